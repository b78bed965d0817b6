"""The details: case-file fields the decision does not turn on but the case file needs
(``questions.yaml``'s ``details``), asked outside the planning — at the start (the decision
date), at the end (a title, names, the apology's terms), or for each item of a list once the
planner is done with it (the dates of an act, which pick the law a clock follows). Enter
leaves one blank.
"""
from __future__ import annotations

from collections.abc import Set as AbstractSet

from .planner import Planner
from .slots import Slot, get_at

DETAIL = "detail"


def detail_slot(planner: Planner, qid: str, answered: bool, at: tuple | None = None) -> Slot:
    """The slot of the detail `qid` (at `at`, for an item's detail)."""
    node = planner.detail_nodes[qid]
    assert node is not None  # load_questions checked that a detail names a field
    return Slot(qid, DETAIL, at or tuple(qid.split(".")), "case", node, answered)


def wanted(data: dict, detail: dict) -> bool:
    """A detail with `when` is asked only if that field holds the value (a list: includes it)."""
    when = detail.get("when")
    if not when:
        return True
    value = get_at(data, tuple(when["field"].split(".")))
    return when["has"] in value if isinstance(value, list) else value == when["has"]


def details_at(planner: Planner, data: dict, skipped: AbstractSet[str], at: str) -> list[Slot]:
    """The details still to ask at the start or the end."""
    out = []
    for qid, q in planner.details.items():
        if q["at"] != at or not wanted(data, q):
            continue
        if get_at(data, tuple(qid.split("."))) in (None, "") and qid not in skipped:
            out.append(detail_slot(planner, qid, answered=False))
    return out


def item_details(planner: Planner, data: dict, skipped: AbstractSet[str], answered: bool = False) -> list[Slot]:
    """The details asked of each item of a list (``at: item``): those still to ask (or, with
    `answered`, those answered or skipped), items in order."""
    out = []
    for qid, q in planner.details.items():
        if q["at"] != "item":
            continue
        name, key = qid.split(".", 1)
        items = data.get(name)
        want = None  # wanted(data, q) does not depend on the item: asked once, if at all
        # a slot is made only for the items returned (a case may have a thousand acts)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if not isinstance(item, dict):
                continue
            done = item.get(key) not in (None, "")
            if done or f"{name}[{i}].{key}" in skipped:  # the slot's where
                if answered:
                    out.append(detail_slot(planner, qid, done, (name, i, key)))
            elif not answered:
                want = wanted(data, q) if want is None else want
                if want:
                    out.append(detail_slot(planner, qid, done, (name, i, key)))
    return sorted(out, key=lambda s: s.path)
