"""`assessor explain`: the reasoning as a tree; why a question matters; which questions were
not asked, and which answer made them moot."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..engine import (AssessorError, Consultation, Interview, build_case, justify, load_pack, load_yaml, read_state,
                      walk)
from .i18n import gettext
from .main import DEFAULT_PACK, Lang, LangOpt, RulesOpt, app, fail
from .precedentview import precedent_lines


@app.command("explain")
def explain_cmd(
    case: Annotated[Path, typer.Argument(help="Case file.")],
    skipped: Annotated[bool, typer.Option("--skipped", help="Questions not asked, and which answer made them moot.")] = False,
    why: Annotated[Optional[str], typer.Option("--why", help="Why this question (a case-file path) matters; for an answer given, which holdings another answer would change.")] = None,
    how: Annotated[Optional[str], typer.Option("--how", help="How this conclusion (a concept name) was reached.")] = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = DEFAULT_PACK,
) -> None:
    """The reasoning as a tree; why a question matters; why questions were not asked."""
    _ = lambda m: gettext(m, lang.value)  # noqa: E731
    try:
        pack = load_pack(rules)
        doc = load_yaml(case)
        c_ = build_case(doc, pack)
        iv = Interview(pack, doc.data, read_state(case.read_text(encoding="utf-8")))
        if skipped:
            typer.echo(skipped_text(iv, lang.value))
        if why:
            slot = next((s for s in iv.planner.slots(iv.data) if s.where == why or s.qid == why), None)
            if slot is None:
                typer.echo(f"error: no question '{why}' in this case file", err=True)
                raise typer.Exit(2)
            typer.echo(iv.why(lang.value, field=slot.where)["text"])
        if how or not (skipped or why):
            concept = how or pack.manifest["decision"]["disposition"]
            entity = "case"
            if "@" in concept:
                concept, entity = concept.split("@", 1)
            if concept not in pack.concepts:
                typer.echo(f"error: no conclusion '{concept}' in this rule pack", err=True)
                raise typer.Exit(2)
            with Consultation(pack, c_) as c:
                shown = set()
                for node, level in walk(justify(c, concept, entity)):
                    shown.add(node.concept)
                    label = pack.concepts[node.concept].label.get(lang.value)
                    if node.absent:
                        typer.echo(f"{'  ' * level}- {_('no proof')}: {label}")
                        continue
                    says = pack.concepts[node.concept].says.get(node.value)
                    value = says.get(lang.value) if says else (_("undetermined") if node.value is None else node.value)
                    rule = f" [{node.derivation.rule}]" if node.derivation else ""
                    who = "" if node.entity == "case" else f"{node.entity}: "
                    typer.echo(f"{'  ' * level}- {who}{label}: {value}{rule}")
                lines = precedent_lines(pack, c_, c, lang.value, questions=shown)
                if lines:
                    typer.echo("\n".join(lines))
    except AssessorError as e:
        fail(e)


def skipped_text(iv: Interview, lang: str) -> str:
    _ = lambda m: gettext(m, lang)  # noqa: E731
    pack = iv.pack
    lines = [_("Questions not asked, and why:")]
    for slot, why in iv.planner.moot(iv.data, iv.closed, iv.skipped):
        label = pack.concepts[slot.qid].label.get(lang) if slot.qid in pack.concepts else \
            iv.question_of(slot.where, lang)["text"]
        if why["kind"] == "unread":
            reason = _("no rule reads this answer (asked only with --all)")
        elif why["fact"] is None:
            reason = _("it cannot change any holding")
        else:
            concl = pack.concepts[why["fact"]].label.get(lang)
            says = pack.concepts[why["fact"]].says.get(why["value"])
            value = says.get(lang) if says else str(why["value"])
            answers = ", ".join(f"{a}={_show(v)}" + ("" if e == "case" else f" ({e.split(':', 1)[1]})")
                                for a, e, v in why["answers"][:4])
            reason = f"{_('moot because')} {concl}: {value}" + (f" ({_('from the answers')} {answers})" if answers else "")
        lines.append(f"  - {slot.where} ({label}): {reason}")
    if len(lines) == 1:
        lines.append("  " + _("none"))
    return "\n".join(lines)


def _show(v: Any) -> str:
    return "true" if v is True else "false" if v is False else str(v)
