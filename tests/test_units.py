"""The interview's consultation split by unit (engine/units.py) concludes exactly what the whole
case's consultation concludes: every value, every derivation, in the same order; and an answer
about one act re-decides that act only."""
from __future__ import annotations

import copy
import dataclasses

import pytest

from assessor.engine import Consultation, parse_case, read_case
from assessor.engine.units import Units, plan_for

from .conftest import HYPOS, hypotheticals, sampled
from .replica import many_acts


def _same(pack, case, units: Units) -> None:
    with Consultation(pack, case) as whole:
        got = units.consult(case)
        assert units.last_path == "units"
        assert got.values == whole.values
        assert got.derivations == whole.derivations  # lists: the order explanations show too


@pytest.fixture(scope="module")
def units(pack):
    return Units(pack, min_units=1, refill=1.0)  # split every case that can be split, however small


@pytest.mark.parametrize("name", sampled([h["file"] for h in hypotheticals()]))
def test_each_hypothetical_is_decided_by_units_as_whole(pack, units, name):
    _same(pack, read_case(HYPOS / name, pack), units)


def _acts(pack, n: int, edit=lambda text: text, name="li-v-liu.yaml"):
    text = many_acts((HYPOS / name).read_text(encoding="utf-8"), n)
    return parse_case(edit(text), pack, "acts.yaml")


def test_an_answer_about_one_act_re_decides_that_act_only(pack):
    units = Units(pack, min_units=8)
    case = _acts(pack, 12)
    with Consultation(pack, case) as whole:
        first = units.consult(case)
        assert (first.values, first.derivations) == (whole.values, whole.derivations)
    assert (units.last_path, units.last_runs) == ("whole", 1 + 1)  # the outside, then the whole case
    changed = _acts(pack, 12, lambda t: "stopped: true".join(t.rsplit("stopped: unknown", 1)))  # the last act
    _same(pack, changed, units)  # the acts kept from the whole case's consultation
    assert units.last_runs == 1 + 1  # the act changed, the outside with the acts' facts
    _same(pack, case, units)
    assert units.last_runs == 1 + 1


def test_few_acts_are_decided_whole(pack):
    units = Units(pack, min_units=8)
    case = _acts(pack, 3)
    with Consultation(pack, case) as whole:
        assert units.consult(case).values == whole.values
    assert units.last_path == "whole"


def test_a_rule_reading_other_acts_keeps_the_whole_consultation(pack):
    """A rule about an act that reads every act (not only its own entities) cannot be decided
    act by act: the split is refused for that pack."""
    live = pack.as_of("2024-06-01")
    assert plan_for(live, "act", frozenset({"act_right"})) is not None
    rules = list(live.rules)
    at = next(i for i, r in enumerate(rules) if r.about == "act" and r.form == "all")
    extra = dataclasses.replace(rules[at].terms[0], fact="infringes", of="this", over="act", linked=False,
                                op="verdict", values=())
    rules[at] = dataclasses.replace(rules[at], terms=rules[at].terms + (extra,))
    assert plan_for(dataclasses.replace(live, rules=tuple(rules)), "act", frozenset({"act_right"})) is None


@pytest.mark.slow  # some 30 steps of two interviews
@pytest.mark.parametrize("name", ["li-v-liu.yaml", "cease-continuing.yaml", "punitive-wilful-repeat.yaml"])
def test_the_interview_asks_the_same_questions_by_units_as_whole(pack, name):
    """Step by step through an interview on a case with 12 acts (their 'stopped' and most
    'commercial' answers not given yet), the planner splitting by units (its consultations
    and its relevance walks kept act by act) and the planner consulting and walking the whole
    case plan the same question, the same candidates and holdings."""
    from assessor.engine import Interview, Planner, simulated_answer

    last = lambda t: "stopped: true".join(t.rsplit("stopped: unknown", 1))  # noqa: E731
    source = _acts(pack, 12, last, name).data
    start = copy.deepcopy(source)
    for i, act in enumerate(start["acts"]):
        act.pop("stopped", None)
        if i > 2:
            act.pop("commercial", None)
    interviews = []
    for min_units in (4, 10**6):
        iv = Interview(pack, start)
        iv.planner = Planner(pack)
        iv.planner._units = Units(pack, min_units=min_units)
        interviews.append(iv)
    split, whole = interviews
    paths = []
    for _ in range(30):
        a, b = split.plan(), whole.plan()
        paths.append(split.planner._units.last_path)
        assert [s.where for s in a.candidates] == [s.where for s in b.candidates]
        assert (a.holdings, a.open_issues, a.issue) == (b.holdings, b.open_issues, b.issue)
        slot, stage = split.current()
        assert (slot and slot.where, stage) == (lambda s: (s[0] and s[0].where, s[1]))(whole.current())
        if slot is None:
            break
        answer = simulated_answer(split, source)
        for iv in interviews:
            iv.skip() if answer is None else iv.answer(answer)
    assert "units" in paths, paths  # an answer about one act: that act re-decided


def test_the_next_plan_walks_again_only_the_act_that_changed(pack):
    from assessor.engine import Planner

    case = _acts(pack, 12)
    changed = _acts(pack, 12, lambda t: "stopped: true".join(t.rsplit("stopped: unknown", 1)))
    planner = Planner(pack)
    planner._units = Units(pack, min_units=4)
    planner.plan(case.data, case=case)
    got = planner.plan(changed.data, case=changed)
    assert planner.last_analysis.reused == 11  # every act but the last
    fresh = Planner(pack)
    fresh._units = Units(pack, min_units=10**6)
    want = fresh.plan(changed.data, case=changed)
    assert [s.where for s in got.candidates] == [s.where for s in want.candidates]
    assert (got.question, got.holdings, got.open_issues) == (want.question, want.holdings, want.open_issues)


def test_the_slots_kept_item_by_item_are_those_of_a_fresh_walk(pack):
    """The planner keeps each list item's slots while the item is the same (slots.SlotCache):
    after an answer about one act, and after an act is removed (the next ones move up), the
    slots are those a walk of the case file from nothing finds, in the same order."""
    from assessor.engine.slots import SlotCache

    def fields(slots):
        return [(s.qid, s.kind, s.path, s.entity, s.answered, s.where) for s in slots]

    data = _acts(pack, 12).data
    kept = SlotCache(pack.case_format)
    first = kept.slots(data)
    assert fields(first) == fields(SlotCache(pack.case_format).slots(data))
    data["acts"][5].pop("commercial", None)
    del data["acts"][2]
    again = kept.slots(data)
    assert fields(again) == fields(SlotCache(pack.case_format).slots(data))
    unchanged = {s.path: s for s in first if s.path[:2] in {("acts", 0), ("acts", 1)}}
    assert all(unchanged[s.path] is s for s in again if s.path in unchanged)  # kept, not made again


def test_an_act_that_stays_in_its_group_keeps_the_rules_over_all_acts(pack):
    """An answer that changes an act's own conclusions but not what the rules over all acts
    read of it (its group) re-decides that act only: the conclusions about the rest of the
    case are the last case's (engine/units.py, phase 3), and still the whole case's."""
    units = Units(pack, min_units=8)
    case = _acts(pack, 12)
    units.consult(case)
    for edit in ("on: 2023-03", "on: 2023-04"), ("permission: none", "permission: disputed"):
        changed = _acts(pack, 12, lambda t, edit=edit: edit[1].join(t.rsplit(edit[0], 1)))
        _same(pack, changed, units)
        assert units.last_runs == 1  # the act changed
        _same(pack, case, units)
