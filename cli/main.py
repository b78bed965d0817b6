"""The `assessor` command line."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..engine import (AssessorError, Consultation, Form, build_record, cached_pack, decide, disposition_set_aside,
                      justify, of_form, read_case, says, walk)
from .i18n import gettext, pgettext
from .precedentview import precedent_lines

DEFAULT_PACK = Path(__file__).resolve().parent.parent / "rules" / "cn"

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Assessor: decide AI-generated-content copyright disputes under PRC law.")
rules_app = typer.Typer(no_args_is_help=True, help="Check and test a rule pack.")
app.add_typer(rules_app, name="rules")


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


RulesOpt = Annotated[Path, typer.Option("--rules", help="Rule pack directory.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of the output: zh or en.")]


def fail(error: AssessorError) -> None:
    """Print an input error as `file:line:col: message` and exit 1 (never a traceback)."""
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(1)


@app.command("decide")
def decide_cmd(
    case: Annotated[Path, typer.Argument(help="Case file (assessor.case/1, YAML or JSON).")],
    format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = DEFAULT_PACK,
) -> None:
    """Decide a case file and print the decision."""
    try:
        pack = cached_pack(rules)  # read and compiled by an earlier run, if the pack is unchanged
        case_ = read_case(case, pack)
        if format is Format.json:
            record = decide(pack, case_)
            typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
            return
        with Consultation(pack, case_) as c:
            record = build_record(pack, case_, c)
            typer.echo(render_text(pack, c, record, lang.value))
    except AssessorError as e:
        fail(e)


def cite(pack, ids, lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    return sep.join(pack.authorities[i].citation(lang, short=True) for i in ids)


def award_lines(pack, record: dict, lang: str) -> list[str]:
    """The sums the decision awards, each with how it was computed: a claim as base x multiple
    (the pack's indicative multiple), an amount computed on the sum found (with the article)."""
    _ = lambda m: gettext(m, lang)
    remedies, out = pack.manifest["decision"]["remedies"], []
    for key, spec in remedies.items():
        got = record["remedies"].get(key) or {}
        label = spec["label"][lang] if "label" in spec else key
        if spec["form"] == Form.CLAIM and "amount" in got:
            out.append(f"{label}: {got['amount']} {_('yuan')}" + _(" (base %(base)s x %(multiple)s, the rule pack's indicative multiple)")
                       % {"base": got["base"], "multiple": got["multiple"]})
        elif spec["form"] == Form.AMOUNT and got.get("base") is not None:
            under = ("，" if lang == "zh" else ", ") + cite(pack, [got["source"]], lang) if got.get("source") else ""
            out.append(f"{label}: {got['amount']} {_('yuan')}" + _(" (the sum found: %(base)s, within the claim%(under)s)")
                       % {"base": got["base"], "under": under})
    return out


def missing_law_lines(pack, record: dict, lang: str) -> list[str]:
    """What a decision says of the law its case lacks: the provisions known whose text the pack
    does not hold, and those with no version in force on the dates of the case."""
    _ = lambda m: gettext(m, lang)
    unheld = [p for p in record["missing_law"] if not pack.authorities[p].held]
    absent = [p for p in record["missing_law"] if p not in unheld]
    return ([_("The rule pack does not hold the text of: %(provisions)s.") % {"provisions": cite(pack, unheld, lang)}]
            if unheld else []) + \
           ([_("The rule pack holds no version in force for this case of: %(provisions)s.")
             % {"provisions": cite(pack, absent, lang)}] if absent else [])


def entity_label(pack, entity: str, lang: str) -> str:
    """How to name an entity to a reader: a fact to be proved by its field's label, a right
    or a fact offered for by the label of its value, an item by its id."""
    kind, _, name = entity.partition(":")
    findings = pack.manifest["decision"]["findings"]
    if kind == findings["kind"] and name in findings["claims"]:
        return pack.concepts[findings["claims"][name]].label.get(lang)
    fields, parts = pack.case_format.naming
    names = name.split("/")
    kinds = parts.get(kind, [kind]) if len(parts.get(kind, [kind])) == len(names) else [kind] * len(names)
    return " · ".join(pgettext(fields[k], n, lang) if k in fields else n for n, k in zip(names, kinds))


def decisive_reasons(pack, c: Consultation, lang: str) -> list[dict]:
    """The reasons for the disposition, depth first, each conclusion once: its level, the
    entity it is about, what it says, the burden, whether it is open-textured, the citations."""
    _ = lambda m: gettext(m, lang)
    out = []
    shown: set = set()
    skip_below: int | None = None
    for node, level in walk(justify(c, pack.manifest["decision"]["disposition"])):
        if skip_below is not None and level > skip_below:
            continue
        skip_below = None
        if node.absent or node.derivation is None:
            continue
        key = (node.concept, node.entity)
        if key in shown:
            skip_below = level  # already explained above: don't repeat its subtree
            continue
        shown.add(key)
        d = node.derivation
        source = c.law.rule(d.rule) or pack.rule(d.rule)  # its cites: the holdings it may rely on
        rule = source if hasattr(source, "form") else None
        ids = [source.source] + [x for x in source.cites if x != source.source]
        out.append({"level": level, "says": says(pack, node.concept, node.value, lang),
                    "subject": "" if node.entity == "case" else entity_label(pack, node.entity, lang),
                    "burden": _(d.burden) if d.burden else "",
                    "open_textured": bool(getattr(rule, "open_textured", False)),
                    "cites": cite(pack, ids, lang)})
    return out


def law_date_notes(pack, record: dict, lang: str) -> list[str]:
    """The dates besides the decision date that picked the law (pack.yaml law_dates), as decide
    and the decision page say them: each clock's that differs, then, for a clock read per item,
    the items whose own date falls in another period of its law than the clock's."""
    clocks = pack.manifest.get("law_dates") or {}
    out = [f"{clocks[k]['label'][lang if lang == 'en' else 'zh']}: {day}" for k, day in record["law_dates"].items()
           if k in clocks and "label" in clocks[k] and day != record["law_as_of"]]
    return out + [f"{a['id']}: {a['law_date']}" for k, day in record["law_dates"].items() if k in pack.item_clocks
                  for a in record["acts"] if pack.period_of(k, a.get("law_date", day)) != pack.period_of(k, day)]


def render_text(pack, c: Consultation, record: dict, lang: str) -> str:
    """A short readable summary: disposition, holdings, decisive reasons with the articles."""
    _ = lambda m: gettext(m, lang)
    m = pack.manifest["decision"]
    other = law_date_notes(pack, record, lang)
    out = [record["case"], f"{_('Law as of')}: {record['law_as_of']}" + (f" ({'; '.join(other)})" if other else ""), ""]
    # the record's disposition: undetermined, though the rules reached one, where a claim waits on law not held
    disposition = c.value(m["disposition"])
    waiting = disposition_set_aside(pack, c, record["holdings"])
    out.append(f"{_('Disposition')}: {says(pack, m['disposition'], None if waiting else disposition, lang)}")
    for concept in m["holdings"].values():
        label = pack.concepts[concept].label.get(lang)
        out.append(f"  {label}: {says(pack, concept, c.value(concept), lang)}")
    out += [] if waiting else ["", _("Decisive reasons") + ":"]
    for r in ([] if waiting else decisive_reasons(pack, c, lang)):
        who = f" [{_('burden on')} {r['burden']}]" if r["burden"] else ""
        flag = f" ({_('open-textured judgment')})" if r["open_textured"] else ""
        subject = f"{r['subject']}: " if r["subject"] else ""
        out.append(f"{'  ' * (r['level'] + 1)}- {subject}{r['says']}{who}{flag} — {r['cites']}")
    if record.get("item_notes"):
        out += ["", _("On the evidence items") + ":"]
        for n in record["item_notes"]:
            d = c.why(n["fact"], f"{m['item_notes']['kind']}:{n['item']}")[0]
            out.append(f"  - {n['item']}: {n['text'][lang]} — {cite(pack, [pack.rule(d.rule).source], lang)}")
    rem = record["remedies"]
    out += [x for line in award_lines(pack, record, lang) for x in ("", line)]
    for key, spec in of_form(m["remedies"], Form.FEE).items():  # the fees, by the pack's own names
        fee, fee_range = rem.get(key), rem.get(f"{key}_range")
        label = spec["label"][lang] if "label" in spec else key
        out += ["", f"{label}: " + (f"{fee} {_('yuan')}" if fee is not None
                                    else f"{fee_range['low']}-{fee_range['high']} {_('yuan')}" if fee_range
                                    else _("not computed: the amount claimed is unknown"))]
    if record["open_questions"]:
        out.append(f"{_('Open questions')}: " + ", ".join(record["open_questions"]))
    out += missing_law_lines(pack, record, lang)
    out += precedent_lines(pack, c.case, c, lang)
    out += ["", _("English texts of provisions are unofficial translations."),
            f"{_('Rule pack')}: {record['rulebase']['id']} {record['rulebase']['version']} "
            f"{record['rulebase']['digest'][:19]}"]
    return "\n".join(out)


def main() -> None:
    try:
        if not _decide_directly(sys.argv[1:]):
            app()
    except KeyboardInterrupt:
        sys.exit(130)


_DECIDE_OPTIONS = ("--format", "--lang", "--rules")


def _decide_directly(args: list[str]) -> bool:
    """`assessor decide FILE [--format F] [--lang L] [--rules DIR]`, each option at most once,
    read here rather than by Typer: Typer (0.29) reads every argument through pydantic, whose
    import is a sixth of this command's time. Anything else (help, an option not listed, a
    value not allowed, a missing file name) goes to Typer, which says what is wrong."""
    if args[:1] != ["decide"]:
        return False
    given: dict[str, str] = {}
    files = []
    rest = iter(args[1:])
    for arg in rest:
        if arg in _DECIDE_OPTIONS and arg not in given:
            value = next(rest, None)
            if value is None or value.startswith("-"):
                return False
            given[arg] = value
        elif arg.startswith("-") or files:
            return False
        else:
            files.append(arg)
    if not files or given.get("--format", "text") not in Format.__members__ or \
            given.get("--lang", "zh") not in Lang.__members__:
        return False
    try:
        decide_cmd(Path(files[0]), Format(given.get("--format", "text")), Lang(given.get("--lang", "zh")),
                   Path(given["--rules"]) if "--rules" in given else DEFAULT_PACK)
    except typer.Exit as end:
        sys.exit(end.exit_code)
    return True


def _every_command() -> bool:
    """Whether to load every command: `assessor decide FILE` needs only this module, and the
    others' imports (opinion templates, evidence signing, the web application...) would
    double its time."""
    return not (Path(sys.argv[0]).name == "assessor" and sys.argv[1:2] == ["decide"])


if _every_command():
    from .opinion import opinion_cmd, templates_app  # noqa: E402
    app.command("opinion")(opinion_cmd)
    app.add_typer(templates_app, name="templates")

    # the interview and explain commands register themselves on `app`
    from . import interview as _interview  # noqa: E402,F401
    from . import explain as _explain  # noqa: E402,F401

    # the rule-pack, hypotheticals and what-if commands register themselves on `app`
    from . import casebook as _casebook  # noqa: E402,F401

    # casework at scale: minimal flips, batch runs, law-change impact
    from . import flips as _flips  # noqa: E402,F401
    from . import batch as _batch  # noqa: E402,F401
    from . import impact as _impact  # noqa: E402,F401
    from . import quiz as _quiz  # noqa: E402,F401

    # the web application's commands (serve, users) register themselves on `app`
    from . import web as _web  # noqa: E402,F401

    # `assessor evidence import` and `assessor trace ...`
    from .evidence import evidence_app, trace_app  # noqa: E402
    app.add_typer(evidence_app, name="evidence")
    app.add_typer(trace_app, name="trace")
