"""Why the interview asks a question: the rules from its field up to the issue it serves,
each with its conclusion, its explanation and its articles (the planner finds the path),
and the same as one text for the user.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .details import DETAIL
from .i18n import gettext
from .question_view import both, entry, label, label_text, message
from .slots import Slot

if TYPE_CHECKING:
    from .interview import Interview

def why(iv: Interview, lang: str | None = None, field: str | None = None) -> dict:
    """Why the current question (or the one at `field`) matters."""
    slot = iv.slot_at(field) if field else iv.current()[0]
    if slot is None:
        return {"field": None, "moot": True, "steps": [], "text": message("This question cannot change the outcome any more.", lang)}
    if slot.kind == DETAIL:
        return {"field": slot.where, "moot": False, "steps": [], "text": both(entry(iv.planner, slot)["help"], lang)}
    steps = iv.planner.why(iv.data, slot.where, iv.closed, iv.skipped)
    out = []
    for st in steps or ():
        rule = iv.pack.rule(st.rule)
        ids = [rule.source] + [x for x in rule.cites if x != rule.source]
        out.append({"rule": st.rule, "concept": st.concept,
                    "entity": "" if st.entity == "case" else st.entity.split(":", 1)[1],
                    "conclusion": label_text(iv.pack.concepts[st.concept].label, lang),
                    "explain": label_text(rule.explain, lang),
                    "citations": _cites(iv, ids, lang)})
    res = {"field": slot.where, "moot": steps is None, "steps": out}
    res["text"] = _why_text(iv, slot, res, lang) if lang else \
        {lg: _why_text(iv, slot, why(iv, lg, slot.where), lg) for lg in ("zh", "en")}
    return res


def _cites(iv: Interview, ids: list[str], lang: str | None):
    if not lang:
        return {lg: _cites(iv, ids, lg) for lg in ("zh", "en")}
    sep = "；" if lang == "zh" else "; "
    return sep.join(iv.pack.authorities[i].citation(lang, short=True) for i in ids)


def _why_text(iv: Interview, slot: Slot, res: dict, lang: str) -> str:
    _ = lambda m: gettext(m, lang)  # noqa: E731
    if res["moot"]:
        return _("This question cannot change the outcome any more.")
    lines = [f"{_('This answer')} ({label(iv, slot, lang)}) {_('matters because')}:"]
    if not res["steps"] and slot.qid in iv.planner.amount_fields:
        lines.append("  " + _("the judgment states an amount computed from it."))
    elif not res["steps"]:
        lines.append("  " + _("a new item could change the outcome."))
    for st in res["steps"]:
        who = f" [{st['entity']}]" if st["entity"] else ""
        lines.append(f"  → {st['conclusion']}{who} — {st['explain']} ({st['citations']})")
    return "\n".join(lines)
