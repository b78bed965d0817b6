"""Why the interview asks a question: the rules from its field up to the issue it serves,
each with its conclusion, its explanation and its articles (the planner finds the path),
and the same as one text for the user. For a question already answered, whether another
answer would change a holding, and which (each other answer decided, engine/flips.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .answers import show_value
from .details import DETAIL
from .flips import answer_fields, answer_flips
from .holding_words import holding_label, holding_text
from .i18n import gettext
from .model import UNKNOWN
from .question_view import both, entry, label, label_text, message
from .slots import VALUE, Slot, get_at
from .yamlsrc import Located

if TYPE_CHECKING:
    from .interview import Interview

def why(iv: Interview, lang: str | None = None, field: str | None = None) -> dict:
    """Why the current question (or the one at `field`) matters."""
    slot = iv.slot_at(field) if field else iv.current()[0]
    if slot is None:
        return {"field": None, "moot": True, "steps": [], "text": message("This question cannot change the outcome any more.", lang)}
    if slot.kind == DETAIL:
        return {"field": slot.where, "moot": False, "steps": [], "text": both(entry(iv.planner, slot)["help"], lang)}
    if slot.answered and slot.kind == VALUE and any(f.path == slot.path for f in answer_fields(iv.pack, iv.data, True)):
        return _answered(iv, slot, lang)
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


def _answered(iv: Interview, slot: Slot, lang: str | None) -> dict:
    """An answer given: each other answer the rules tell apart that changes a holding, and
    the holdings it changes (none: no other answer could change any holding)."""
    search = answer_flips(iv.pack, Located(iv.data, {}, "<interview>"), slot.path)
    flips = [{"value": f.changes[0].new, "same_as": list(f.changes[0].same_as),
              "holdings": [{"holding": k, "from": search.before[k], "to": f.holdings[k]}
                           for k in f.holdings if f.holdings[k] != search.before.get(k)]}
             for f in search.flips]
    res = {"field": slot.where, "moot": not flips, "answered": True, "steps": [], "flips": flips}
    langs = (lang,) if lang else ("zh", "en")
    texts = {lg: _answered_text(iv, slot, flips, lg) for lg in langs}
    res["text"] = texts[lang] if lang else texts
    return res


def _answered_text(iv: Interview, slot: Slot, flips: list[dict], lang: str) -> str:
    _ = lambda m: gettext(m, lang)  # noqa: E731
    q = entry(iv.planner, slot)

    def shown(v) -> str:
        return show_value(slot, q, None if v == UNKNOWN else v, lang)

    given = f"{label(iv, slot, lang)}: {shown(get_at(iv.data, slot.path))}"
    if not flips:
        return f"{_('This answer')} ({given}): {_('no other answer to this question would change any holding.')}"
    lines = [f"{_('This answer')} ({given}): {_('another answer would change a holding')}:"]
    for fl in flips:
        value = " / ".join(shown(v) for v in [fl["value"], *fl["same_as"]])
        changes = ("；" if lang == "zh" else "; ").join(
            f"{holding_label(iv.pack, h['holding'], lang)}: {holding_text(iv.pack, h['holding'], h['from'], lang)}"
            f" → {holding_text(iv.pack, h['holding'], h['to'], lang)}" for h in fl["holdings"])
        lines.append(f"  {_('if the answer were')} {value} → {changes}")
    return "\n".join(lines)
