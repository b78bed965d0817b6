"""The interview core: one question at a time until the decision is determined, for every
front end (the terminal's `assessor interview`, the web application). It takes and returns
plain data (JSON-serialisable dicts, lists, strings, numbers, booleans) and knows no law:
the questions, their help and choices come from the pack's ``questions.yaml``, the fields
from its case format, the order and relevance from the planner (engine/planner.py).

API::

    iv = Interview(pack, data=None, state=None, all_fields=False)
    iv = Interview.from_text(pack, yaml_text, source="case.yaml")  # a saved case file (state line too)

    iv.question(lang=None) -> dict | None   # the current question; None when done
    iv.question_of(field, lang=None) -> dict # the question for any field (review)
        {"id": "creation.prompt", "field": "creation.prompt", "kind": "value"|"multi"|"items"|"detail",
         "type": "enum"|"tri"|"bool"|"count"|"amount"|"text"|"date"|"list",
         "multiple": bool, "optional": bool, "entity": "E1" or "", "stage": "start"|"decision"|"end"|"review",
         "text": ..., "help": ..., "choices": [{"number": 1, "value": ..., "label": ...}],
         "issue": {"index": 0, "count": 5, "label": ...} | None,
         "progress": {"answered": 7, "left": 4}}     # left: the planner's estimate
      text, help and labels are strings in `lang`, or {"zh": ..., "en": ...} when lang is None.
    iv.answer(value, lang="en") -> dict | None  # record an answer, return the next question
      value: text as typed or sent by a form ("2", "yes", "1,3", "5000", a choice's value or
      label), or a plain value (True, 3, ["image"]); for a list of items True (add one, or
      {"id": "E3"}) or False (no more). Raises AnswerError (.text(lang), .messages()) and
      changes nothing when it does not fit.
    iv.skip() -> dict | None                # "don't know": the field stays unanswered
    iv.back() -> bool                       # undo the last answer (also after a resume)
    iv.why(lang=None, field=None) -> dict   # {"field", "moot", "steps": [{"rule", "concept",
                                            #   "entity", "conclusion", "explain", "citations"}], "text"};
                                            # a field answered: "answered", "flips": [{"value",
                                            #   "same_as", "holdings": [{"holding", "from", "to"}]}]
    iv.review(lang=None) -> list[dict]      # every answer: {"number", "field", "id", "label",
                                            #   "kind", "value", "shown", "skipped", "items"}
    iv.change(field, value, lang="en")      # change any answer (a list: True adds an item)
    iv.remove_item(field)                   # remove a list item, e.g. "evidence[1]"
    iv.is_done -> bool
    iv.holdings() -> dict                   # the holdings for the answers so far
    iv.waiting_for() -> list[str]           # skipped fields an undetermined decision waits for
    iv.case_data() -> dict                  # the case file (assessor.case/1) to save
    iv.state() -> dict                      # {"closed", "skipped", "log"}: to save beside it
    iv.to_yaml() -> str                     # both, as the text of a case file

State: ``closed`` lists of items the user said hold no more; ``skipped`` fields answered
"don't know"; ``log`` the answers in order, each with what it replaced (so back works after
a resume, and after a change in review; see engine/history.py). Errors in the user's
language come from the catalogs (engine/i18n.py).

This module keeps the answers and the state and moves the interview on; what a front end is
shown is `question_view.py` (the question, the review) and `why_asked.py` (why a question
matters); a user answering from a case file is `simulated_user.py`.
"""
from __future__ import annotations

import copy
import weakref
from typing import Any

from . import question_view, why_asked
from .answers import AnswerError, read_answer
from .casefile import build_case
from .caseformat import DATE_TYPES
from .casewrite import dump_case, read_state
from .dateorder import refusal
from .errors import InputError
from .gcpause import collect_between_steps, paused_gc
from .itemmemo import ItemMemo
from .planner import Plan, Planner
from .schema import validate
from .history import remove_item, undo
from .details import DETAIL, details_at, detail_slot, item_details
from .slots import ITEMS, Slot, del_at, get_at, item_of, path_of, set_at, where_of
from .yamlsrc import Located, parse_yaml

_planners: dict[int, tuple[Any, Planner]] = {}
_PLANNERS = 4  # packs loaded in one process whose planners are kept (most recently used)


def planner_for(pack) -> Planner:
    """One planner per loaded pack (it indexes the rules and reads questions.yaml)."""
    hit = _planners.pop(id(pack), None)
    if hit is not None and hit[0]() is pack:
        _planners[id(pack)] = hit  # most recently used last
        return hit[1]
    if hit is not None:
        hit[1].close()
    planner = Planner(pack)
    _planners[id(pack)] = (weakref.ref(pack), planner)
    # A planner holds its pack, so neither is ever collected: a process that loads the pack
    # again and again (a test suite, a server reloading it) keeps the last few planners and
    # closes the others, whose open sessions are megabytes of the engine's memory each
    while len(_planners) > _PLANNERS:
        _planners.pop(next(iter(_planners)))[1].close()
    return planner


class Interview:
    """The answers so far, the interview state, and the planner's view of them."""

    def __init__(self, pack, data: dict | None = None, state: dict | None = None, *,
                 all_fields: bool = False):
        self.pack = pack
        self.planner = planner_for(pack)
        self.fmt_root = pack.case_format["root"]
        self.data = copy.deepcopy(data) if data is not None else {"format": pack.case_format["format"]}
        state = state or {}
        self.closed: set[str] = set(state.get("closed", ()))
        self.skipped: set[str] = set(state.get("skipped", ()))
        self.log: list[dict] = [dict(x) for x in state.get("log", ())]
        self.all_fields = all_fields
        self._plan: Plan | None = None
        self._valid = ItemMemo()  # the items of the answers found valid

    @classmethod
    def from_text(cls, pack, text: str, source: str = "<case>", *, all_fields: bool = False) -> "Interview":
        """An interview resumed from a saved case file's text; InputError if it is not one."""
        doc = parse_yaml(text, source)
        build_case(doc, pack)
        return cls(pack, doc.data, read_state(text), all_fields=all_fields)

    # -- reading ------------------------------------------------------------------------
    def plan(self) -> Plan:
        if self._plan is None:
            with paused_gc():  # a big case file makes many objects to plan, none to free
                self._plan = self.planner.plan(self.data, self.closed, self.skipped, self.all_fields)
        return self._plan

    def current(self) -> tuple[Slot | None, str]:
        """The slot asked now and its stage."""
        start = details_at(self.planner, self.data, self.skipped, "start")
        if start:
            return start[0], "start"
        slot = self.plan().question
        # an item's details once the planner has moved off that item (its sub-dialogue stays
        # together): the date of an act is asked after what decides whether it infringes
        for detail in item_details(self.planner, self.data, self.skipped):
            if slot is None or item_of(slot) != detail.path[:2]:
                return detail, "item"
        if slot is not None:
            return slot, "decision"
        end = details_at(self.planner, self.data, self.skipped, "end")
        return (end[0], "end") if end else (None, "end")

    def idle(self) -> None:
        """Call once the question is shown: the planner prepares for the next answer while
        the user reads it (engine/growing.py), so that the answer is quick to take; and the
        collector's work the step left pending."""
        self.planner.idle()
        collect_between_steps()

    @property
    def is_done(self) -> bool:
        return self.current()[0] is None

    def question(self, lang: str | None = None) -> dict | None:
        slot, stage = self.current()
        return None if slot is None else question_view.question(self, slot, stage, lang)

    def question_of(self, field: str, lang: str | None = None) -> dict:
        """The question for any field (to change an answer in review)."""
        return question_view.question(self, self.slot_at(field), "review", lang)

    def progress(self) -> dict:
        return question_view.progress(self)

    def answered_slots(self) -> list[Slot]:
        return [s for s in self.plan().slots if s.answered or s.where in self.skipped]

    def slot_at(self, field: str) -> Slot:
        """The slot at a text path (an answer field, a list, or a detail)."""
        if field in self.planner.details and self.planner.details[field]["at"] != "item":
            return detail_slot(self.planner, field, get_at(self.data, tuple(field.split("."))) is not None)
        path = path_of(field)
        if len(path) == 3 and isinstance(path[1], int):
            qid = f"{path[0]}.{path[2]}"
            if self.planner.details.get(qid, {}).get("at") == "item" and get_at(self.data, path[:2]) is not None:
                return detail_slot(self.planner, qid, get_at(self.data, path) is not None, path)
        if where_of(path) == field:  # else no slot's text path is `field`
            # the slots of the current plan are those of the answers now (a big case's walk)
            for s in self._plan.slots if self._plan is not None else self.planner.slots(self.data):
                if s.path == path:
                    return s
        raise AnswerError("There is no such question in this case file", field)

    def why(self, lang: str | None = None, field: str | None = None) -> dict:
        """Why the current question (or the one at `field`) matters: the rules from it up to
        the issue it serves, with their articles."""
        return why_asked.why(self, lang, field)

    def review(self, lang: str | None = None) -> list[dict]:
        """Every answer given (or skipped), numbered, with what the user sees."""
        return question_view.review(self, lang)

    def holdings(self) -> dict:
        return self.plan().holdings

    def waiting_for(self) -> list[str]:
        """Skipped fields the decision would still ask for (what an undetermined one waits for)."""
        if not self.skipped:
            return []
        plan = self.planner.plan(self.data, self.closed, set())
        return [s.where for s in plan.candidates if s.where in self.skipped]

    def case_data(self) -> dict:
        return copy.deepcopy(self.data)

    def state(self) -> dict:
        return {"closed": sorted(self.closed), "skipped": sorted(self.skipped), "log": copy.deepcopy(self.log)}

    def to_yaml(self) -> str:
        return dump_case(self.data, self.pack.case_format, self.closed, self.skipped, self.log)

    # -- changing -------------------------------------------------------------------------
    def answer(self, value: Any, lang: str = "en") -> dict | None:
        slot = self.current()[0]
        if slot is None:
            raise AnswerError("The interview is complete: there is no question to answer.")
        self._record(slot, value, lang)
        return self.question(lang)

    def skip(self, lang: str = "en") -> dict | None:
        slot = self.current()[0]
        if slot is not None:
            self._record(slot, None, lang, skip=True)
        return self.question(lang)

    def change(self, field: str, value: Any, lang: str = "en", *, skip: bool = False) -> None:
        self._record(self.slot_at(field), value, lang, skip=skip)

    def _record(self, slot: Slot, value: Any, lang: str, skip: bool = False) -> None:
        where = slot.where
        if slot.kind == DETAIL and not skip and str(value).strip() == "":
            skip = True  # Enter leaves a detail blank
        entry = {"op": "set", "field": where, "skipped": where in self.skipped, "closed": where in self.closed}
        old = get_at(self.data, slot.path)
        entry["had"] = old is not None
        if skip:
            if slot.kind == ITEMS:
                entry["op"] = "flag"  # the items stay; only "don't know" is recorded
            else:
                entry["was"] = copy.deepcopy(old)
                del_at(self.data, slot.path)
            self.skipped.add(where)
        elif slot.kind == ITEMS:
            new_id = value.get("id") if isinstance(value, dict) else None
            add = True if new_id is not None else read_answer(slot, question_view.entry(self.planner, slot), value, lang)
            self.skipped.discard(where)
            items = old if isinstance(old, list) else []
            if old is None:
                set_at(self.data, slot.path, items)
            if add:
                entry["op"] = "add"
                items.append(self._new_item(slot, items, new_id))
                self.closed.discard(where)
            else:
                entry["op"] = "close"
                self.closed.add(where)
        else:
            new = read_answer(slot, question_view.entry(self.planner, slot), value, lang)
            entry["was"] = copy.deepcopy(old)
            set_at(self.data, slot.path, new)
            self.skipped.discard(where)
        self.log.append(entry)
        try:
            # the items found valid before are not checked again (engine/itemmemo.py)
            validate(Located(self.data, {}, "<answers>"), self.fmt_root, self._valid)
        except InputError as e:
            self.back()
            raise AnswerError("That answer is not allowed", e.message) from None
        if not skip and slot.node.get("type") in DATE_TYPES:
            refused = refusal(self.data, self.pack.case_format, slot.path)
            if refused is not None:   # out of order with a date already given
                self.back()
                raise refused
        self._plan = None

    def _new_item(self, slot: Slot, items: list, wanted: Any) -> dict:
        fields = slot.node["item"].get("fields", {})
        if "id" not in fields:
            return {}
        taken = {str(x.get("id")) for x in items if isinstance(x, dict)}
        if wanted is not None and str(wanted) not in taken:
            return {"id": str(wanted)}
        prefix = slot.node.get("entity", "item")[0].upper()
        n = len(items) + 1
        while f"{prefix}{n}" in taken:
            n += 1
        return {"id": f"{prefix}{n}"}

    def remove_item(self, field: str) -> None:
        """Remove the list item at `field` (e.g. evidence[1]); back puts it back."""
        path = path_of(field)
        items = get_at(self.data, path[:-1])
        if not path or not isinstance(path[-1], int) or not isinstance(items, list) or path[-1] >= len(items):
            raise AnswerError("There is no such item in this case file", field)
        remove_item(self.data, self.skipped, self.closed, self.log, path)
        self._plan = None

    def back(self) -> bool:
        """Undo the last answer, change or removal. False if there is nothing to undo."""
        if not self.log:
            return False
        undo(self.data, self.skipped, self.closed, self.log)
        self._plan = None
        return True

