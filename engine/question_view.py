"""The interview as a front end shows it: the current question (its text, help, choices, the
issue it serves and the progress) and the review of every answer given. Texts are strings in
one language, or {"zh": ..., "en": ...} when no language is given (engine/interview.py's API).
"""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .answers import choices, show_value
from .details import DETAIL, item_details
from .i18n import gettext
from .planner import Planner
from .slots import ITEMS, MULTI, Slot, get_at, where_of

if TYPE_CHECKING:
    from .interview import Interview


def both(text: dict, lang: str | None):
    """`text` in `lang`, or in both languages when lang is None."""
    return text[lang] if lang else {"zh": text["zh"], "en": text["en"]}


def message(msgid: str, lang: str | None):
    """An interface message in `lang`, or in both languages when lang is None."""
    return gettext(msgid, lang) if lang else {"zh": gettext(msgid, "zh"), "en": gettext(msgid, "en")}


def label_text(text: dict, lang: str | None):
    """A label of the pack (a concept's, a rule's explanation) in `lang`, or in both."""
    return text.get(lang) if lang else {"zh": text.get("zh"), "en": text.get("en")}


def entry(planner: Planner, slot: Slot) -> dict:
    """The entry of questions.yaml that asks `slot` (a question, or a detail)."""
    if slot.kind == DETAIL:
        return planner.details[slot.qid]
    return planner.questions[slot.qid]


def ask_text(iv: Interview, slot: Slot) -> dict:
    """What the question says: a list already holding items asks for another one."""
    q = entry(iv.planner, slot)
    if slot.kind == ITEMS and get_at(iv.data, slot.path):
        return q["again"]
    return q["ask"]


def progress(iv: Interview) -> dict:
    return {"answered": len(iv.answered_slots()), "left": len(iv.plan().candidates)}


def question(iv: Interview, slot: Slot, stage: str, lang: str | None) -> dict:
    """The question at `slot`, asked at `stage`, as the interview's API describes it."""
    q = entry(iv.planner, slot)
    node = slot.node["item"] if slot.kind == MULTI else slot.node
    langs = (lang,) if lang else ("zh", "en")
    opts = {lg: choices(slot, q, lg) for lg in langs} if slot.kind != DETAIL else {}
    listed = []
    for i, (v, _l) in enumerate(opts.get(langs[0], ()), 1):
        label = opts[lang][i - 1][1] if lang else {lg: opts[lg][i - 1][1] for lg in langs}
        listed.append({"number": i, "value": v, "label": label})
    plan = iv.plan()
    issue = None
    if stage == "decision" and plan.issue is not None:
        _key, concept = iv.planner.issues[plan.issue]
        issue = {"index": plan.issue, "count": len(plan.issues),
                 "label": message("the amounts the judgment states", lang) if concept is None
                 else label_text(iv.pack.concepts[concept].label, lang)}
    return {
        "id": slot.qid, "field": slot.where, "kind": slot.kind,
        "type": "list" if slot.kind == ITEMS else node["type"],
        "multiple": slot.kind == MULTI, "optional": slot.kind == DETAIL,
        "entity": "" if slot.entity == "case" else slot.entity.split(":", 1)[1],
        "stage": stage, "text": both(ask_text(iv, slot), lang), "help": both(q["help"], lang),
        "choices": listed, "issue": issue, "progress": progress(iv),
    }


def label(iv: Interview, slot: Slot, lang: str) -> str:
    """What a field is called: its concept's label, or else its question."""
    if slot.qid in iv.pack.concepts:
        return iv.pack.concepts[slot.qid].label.get(lang)
    return ask_text(iv, slot)[lang]


def review(iv: Interview, lang: str | None) -> list[dict]:
    """Every answer given (or skipped), numbered, with what the user sees."""
    details = [iv.slot_at(p) for p, q in iv.planner.details.items() if q["at"] != "item"]
    slots = [s for s in details if s.answered or s.qid in iv.skipped]
    start = [s for s in slots if iv.planner.details[s.qid]["at"] == "start"]
    end = item_details(iv.planner, iv.data, iv.skipped, answered=True) + [s for s in slots if s not in start]
    out = []
    for n, s in enumerate(start + iv.answered_slots() + end, 1):
        skipped = s.where in iv.skipped
        value = None if skipped else get_at(iv.data, s.path)
        q = entry(iv.planner, s)
        row: dict[str, Any] = {"number": n, "field": s.where, "id": s.qid, "kind": s.kind, "skipped": skipped,
                               "value": copy.deepcopy(value),
                               "label": label(iv, s, lang) if lang else {lg: label(iv, s, lg) for lg in ("zh", "en")},
                               "shown": show_value(s, q, value, lang) if lang else
                               {lg: show_value(s, q, value, lg) for lg in ("zh", "en")},
                               "items": []}
        if s.kind == ITEMS and isinstance(value, list):
            row["items"] = [{"field": where_of(s.path + (i,)),
                             "id": str(x.get("id", i + 1)) if isinstance(x, dict) else str(i + 1)}
                            for i, x in enumerate(value)]
        out.append(row)
    return out
