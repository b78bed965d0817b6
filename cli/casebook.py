"""`assessor rules check|test`, `assessor hypos list|show|run` and `assessor whatif`:
the rule pack's own checks, its library of hypotheticals, and one-fact what-ifs."""
from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..engine import (AssessorError, InputError, build_case, decide, flow_yaml, lint_pack, load_hypotheticals,
                      load_pack, load_yaml, outcome_changed, parse_yaml, record_diff, run_example, run_hypothetical)
from .diffview import render_diff
from .i18n import gettext
from .main import DEFAULT_PACK, Lang, LangOpt, RulesOpt, app, fail, rules_app

hypos_app = typer.Typer(no_args_is_help=True, help="The library of hypotheticals.")
app.add_typer(hypos_app, name="hypos")

PathArg = Annotated[Optional[Path], typer.Argument(help="Rule pack directory (default: the bundled CN pack).")]


def open_pack(path: Optional[Path]):
    try:
        return load_pack(path or DEFAULT_PACK)
    except AssessorError as e:
        fail(e)


@rules_app.command("check")
def check_cmd(path: PathArg = None) -> None:
    """Lint a rule pack: schema, references, quotes, both languages, reachability, conflicts."""
    pack = open_pack(path)
    problems = list(lint_pack(pack))
    for p in problems:
        typer.echo(str(p), err=True)
    if problems:
        raise typer.Exit(1)
    unheld = sum(not a.held for a in pack.authorities.values())
    typer.echo(f"ok: {pack.id} {pack.version}: {len(pack.authorities)} provisions and holdings"
               + (f" ({unheld} without their text)" if unheld else "") + ", "
               f"{len(pack.rules)} rules" + (f" (and {len(pack.wanting)} needing law not held)" if pack.wanting else "")
               + f", {len(pack.burdens)} burdens, {len(pack.concepts)} concepts")


@rules_app.command("test")
def test_cmd(path: PathArg = None) -> None:
    """Run the pack's inline examples and its hypotheticals."""
    pack = open_pack(path)
    try:
        outcomes = [run_example(pack, ex) for ex in pack.examples]
        outcomes += [run_hypothetical(pack, h)[0] for h in load_hypotheticals(pack)]
    except AssessorError as e:
        fail(e)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        for f in o.failures:
            typer.echo(f"{o.where}: {o.name}: {f}", err=True)
    typer.echo(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


def hypotheticals_of(pack) -> list:
    """The pack's hypotheticals, or one error line (a broken index is the user's file)."""
    try:
        return load_hypotheticals(pack)
    except AssessorError as e:
        fail(e)
        raise  # not reached: fail exits


def find_hypothetical(pack, name: str):
    found = hypotheticals_of(pack)
    for h in found:
        if h.name == name:
            return h
    fail(InputError(f"no hypothetical named '{name}'", None, "one of: " + ", ".join(h.name for h in found)))


@hypos_app.command("list")
def hypos_list(lang: LangOpt = Lang.zh, rules: RulesOpt = DEFAULT_PACK) -> None:
    """List the hypotheticals with their expected disposition."""
    pack = open_pack(rules)
    for h in hypotheticals_of(pack):
        title = (h.entry.get("title") or {}).get(lang.value, "")
        pair = f"  ↔ {h.entry['pair']['with']}" if h.entry.get("pair") else ""
        typer.echo(f"{h.name:36} {h.entry.get('expect', {}).get('disposition', ''):14} {title}{pair}")


def _fields(differs_in: str | list) -> str:
    """The field a pair differs in, or the fields where one fact is written in two places."""
    return differs_in if isinstance(differs_in, str) else ", ".join(differs_in)


@hypos_app.command("show")
def hypos_show(name: str, lang: LangOpt = Lang.zh, rules: RulesOpt = DEFAULT_PACK) -> None:
    """Show a hypothetical's case file, expected outcome and teaching note."""
    pack = open_pack(rules)
    h = find_hypothetical(pack, name)
    typer.echo(h.file.read_text(encoding="utf-8"))
    typer.echo(f"# {gettext('Expected', lang.value)}: " + flow_yaml(h.entry.get("expect")))
    if h.entry.get("teaches"):  # a teaching note of its own, for a hypothetical that is not a pair
        typer.echo(f"# {h.entry['teaches'][lang.value]}")
    if h.entry.get("pair"):
        pair = h.entry["pair"]
        typer.echo(f"# {gettext('Pair', lang.value)}: {pair['with']} ({_fields(pair['differs_in'])}): "
                   f"{pair['teaches'][lang.value]}")


@hypos_app.command("run")
def hypos_run(name: str, lang: LangOpt = Lang.zh, rules: RulesOpt = DEFAULT_PACK) -> None:
    """Decide a hypothetical and compare with its expected outcome."""
    pack = open_pack(rules)
    outcome, record = run_hypothetical(pack, find_hypothetical(pack, name))
    if record:
        holdings = record["holdings"]
        typer.echo(" ".join(f"{k}={v}" for k, v in holdings.items()))
    for f in outcome.failures:
        typer.echo(f"{outcome.where}: {f}", err=True)
    typer.echo(gettext("as expected", lang.value) if outcome.ok else gettext("NOT as expected", lang.value))
    if not outcome.ok:
        raise typer.Exit(1)


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _set(data: dict, key: str, raw: str) -> None:
    """Set a dotted path like ``evidence[0].kind`` to a YAML scalar."""
    steps = [m.group(1) if m.group(1) is not None else int(m.group(2)) for m in _STEP.finditer(key)]
    if not steps:
        raise InputError(f"--set {key}: empty path", None, "a path like creation.prompt or evidence[0].kind")
    node = data
    for step, nxt in zip(steps, steps[1:]):
        try:
            if isinstance(step, int):
                node = node[step]
            else:
                node = node.setdefault(step, [] if isinstance(nxt, int) else {})
        except (IndexError, KeyError, TypeError, AttributeError):
            raise InputError(f"--set {key}: no such field", None, "a path that exists in the case file") from None
    value = parse_yaml(raw, f"--set {key}").data
    try:
        node[steps[-1]] = value
    except (IndexError, TypeError):
        raise InputError(f"--set {key}: no such field", None, "a path that exists in the case file") from None


@app.command("whatif")
def whatif_cmd(
    case: Annotated[Path, typer.Argument(help="Case file.")],
    set_: Annotated[list[str], typer.Option("--set", help="KEY=VALUE, e.g. evidence[0].kind=original_generation_record")],
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = DEFAULT_PACK,
) -> None:
    """Decide a case as it is and with some facts changed, and show what changes."""
    pack = open_pack(rules)
    try:
        doc = load_yaml(case)
        before = decide(pack, build_case(doc, pack))
        changed = copy.deepcopy(doc.data)
        for item in set_:
            key, sep, raw = item.partition("=")
            if not sep:
                raise InputError(f"--set {item}: expected KEY=VALUE", None, "KEY=VALUE")
            _set(changed, key.strip(), raw.strip())
        doc.data = changed
        after = decide(pack, build_case(doc, pack))
    except AssessorError as e:
        fail(e)
    diff = record_diff(before, after)
    lines = render_diff(pack, diff, lang.value)
    if not outcome_changed(diff):
        lines.append(gettext("The change does not alter the outcome.", lang.value))
    typer.echo("\n".join(lines))


def _condition_text(pack, c, lang: str) -> str:
    if c.link:
        return f"{c.link} = {c.values[0]}"
    label = pack.concepts[c.fact].label.get(lang)
    where = "" if c.of in ("this", "case") else f" ({c.of})"
    if c.over:
        where = f" ({gettext('some', lang)} {c.over})"
    test = {"verdict": "", "is": f" = {c.values[0]}" if c.values else "", "in": f" ∈ {list(c.values)}",
            "not_in": f" ∉ {list(c.values)}", "gt": f" > {c.values[0] if c.values else ''}",
            "lte": f" ≤ {c.values[0] if c.values else ''}"}[c.op]
    return f"{label}{where}{test}"


@rules_app.command("doc")
def doc_cmd(path: PathArg = None, lang: LangOpt = Lang.zh) -> None:
    """The literate view of a rule pack: each provision's text with the rules under its words."""
    pack = open_pack(path)
    lg = lang.value
    _ = lambda m: gettext(m, lg)
    out = [f"# {pack.manifest['title'][lg]}", ""]
    for a in sorted(pack.authorities.values(), key=lambda a: (a.kind != "provision", a.id)):
        out += [f"## {a.citation(lg)} — {a.title.get(lg)}", f"`{a.id}`"]
        if a.effective_from:
            out.append(f"{_('In force from')} {a.effective_from}" + (f" {_('until')} {a.effective_until}" if a.effective_until else ""))
        if not a.verified:
            out.append(f"> {_('Not verified against an official source.')} {a.note or ''}")
        if not a.held:   # known to exist, its text not held: nothing to show under it
            out += ["", _("(Chinese text not on file)"), ""]
            continue
        text = a.text.zh or _("(Chinese text not on file)")
        quotes = {r.quote for r in pack.rules if r.source == a.id} | {b.quote for b in pack.burdens if b.source == a.id}
        bold: list[str] = []
        for q in sorted(quotes, key=len, reverse=True):
            if q in text and not any(q in b or b in q for b in bold):  # no nested emphasis
                text = text.replace(q, f"**{q}**", 1)
                bold.append(q)
        out += ["", text, "", f"*{a.text_status}*: {a.text.en}", ""]
        for r in (r for r in pack.rules if r.source == a.id):
            concept = pack.concepts[r.then]
            conds = [_condition_text(pack, c, lg) for c in r.scope + r.terms]
            unless = [_condition_text(pack, c, lg) for c in r.unless]
            head = f"- **{r.id.split('/', 1)[1]}** → {concept.label.get(lg)}"
            head += f" = {r.value}" if r.form == "sufficient" else f" ({r.form}{' ' + r.over if r.over else ''})"
            out.append(head + (f" ⟸ {'; '.join(conds)}" if conds else "") +
                       (f"; {_('unless')} {'; '.join(unless)}" if unless else ""))
            out.append(f"  {r.explain.get(lg)}")
        for b in (b for b in pack.burdens if b.source == a.id):
            out.append(f"- **{b.id.split('/', 1)[1]}** ({_('burden on')} {_(b.on)}): {b.explain.get(lg)}")
        out.append("")
    typer.echo("\n".join(out))
