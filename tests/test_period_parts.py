"""A program whose rules about acts differ by the acts' period (per-item law, acts on both sides
of 2021-06-01) keeps each period's rules about acts in rulesets of their own, without their
guard, and routes an act's facts to its own period's rules only (engine/compiler.py,
in_force.period_scope), in a case of many acts: it concludes exactly what the same rules,
guarded, in rulesets laid out in pack order conclude — every value, every derivation (the
guard's premise included), in the same order."""
from __future__ import annotations

import pytest

from assessor.engine import Consultation, parse_case, read_case
from assessor.engine import compiler
from assessor.engine.conclusions import Subcase
from assessor.engine.session import _program_for

from .conftest import HYPOS, hypotheticals
from .replica import many_acts, two_periods

MIXED = HYPOS / "two-acts-2020-and-2022.yaml"
PERIODS = ("2010-04-01", "2021-06-01")


def _decided(pack, case, part=None, monkeypatch=None, apart=1) -> tuple:
    """The case decided by the program for a case of many acts (its rules about acts in
    rulesets of their own, `apart` acts or more), or, with `apart` above the case's acts, by
    the program of rules guarded and in pack order."""
    with monkeypatch.context() as m:
        m.setattr(compiler, "ITEMS_APART", apart)
        with Consultation(pack, case, part) as c:
            return dict(c.values), dict(c.derivations), sorted(map(repr, c.fired)), c.compiled


def _both(pack, case, monkeypatch, part=None) -> tuple[tuple, tuple]:
    by_items = _decided(pack, case, part, monkeypatch)
    in_order = _decided(pack, case, part, monkeypatch, apart=10**9)
    assert by_items[3].items is not None and in_order[3].items is None
    return by_items, in_order


def test_each_periods_rules_about_acts_are_parts_of_their_own(pack):
    case = read_case(MIXED, pack)
    compiled = compiler.compile_for(pack, case.law, compiler.ITEMS_APART)
    assert compiled.items == ("law_dates.acts", "act", frozenset({"act_right"}))
    periods = {p.period for p in compiled.parts}
    assert periods == {None, "", *PERIODS}  # "": the rules about acts in force in every period
    for part in compiled.parts:
        assert ("act" in part.anchors) == (part.period is not None)
        assert "law_dates.acts" not in part.reads  # the guard is met by the routing, never matched

    def periods_of(rule_id):
        return {p.period for p in compiled.parts for n in p.definition if n in compiled.actions
                and compiled.actions[n].rule == rule_id}
    assert periods_of("cn.copyright_law_2010.art047/unlicensed_use") == {"2010-04-01"}
    assert periods_of("cn.copyright_law.art052/unlicensed_use") == {"2021-06-01"}
    assert periods_of("cn.copyright_law.art054/statutory_damages") == {None}
    # an act's facts go to its own period's parts and to the rules about no act, never the other's
    program = _program_for(compiled)
    for period, other in (PERIODS, PERIODS[::-1]):
        reached = {compiled.parts[i].period for i in program.route("reads", "acts.kind", period)}
        assert period in reached and other not in reached


def test_a_case_of_two_periods_is_decided_as_by_the_guarded_rules_in_pack_order(pack, monkeypatch):
    by_period, in_order = _both(pack, read_case(MIXED, pack), monkeypatch)
    assert by_period[:3] == in_order[:3]
    # the guard's premise stands in each derivation from an act's period's rules
    (d,) = by_period[1][("infringed", "act_right:A1/authorship")]
    assert ("law_dates.acts", "act:A1", "2010-04-01") in [(p.concept, p.entity, p.value) for p in d.premises]


def test_many_acts_of_two_periods_are_decided_as_in_pack_order(pack, monkeypatch):
    text = two_periods(many_acts((HYPOS / "li-v-liu.yaml").read_text(encoding="utf-8"), 24))
    case = parse_case(text, pack, "acts.yaml")
    assert dict(case.law)["acts/items"] == ",".join(PERIODS)
    by_period, in_order = _both(pack, case, monkeypatch)
    assert by_period[:3] == in_order[:3]


def test_an_act_of_no_period_reaches_only_the_rules_of_every_period(pack, monkeypatch):
    """An act whose period fact is not given (a part of a case consulted alone, say) is
    decided by the rules about acts in force in every period, as the guarded rules decide it."""
    text = MIXED.read_text(encoding="utf-8")
    case = parse_case(text.replace('"on": 2020-09-15\n', '"on": 2020-09-15\n    fine_executed: true\n', 1), pack, "a1.yaml")
    mine = [e for e in case.entities if e.id == "act:A1" or e.links.get("act") == "act:A1"]
    facts = tuple((f.concept, f.entity, f.value) for f in case.facts
                  if (f.concept, f.entity) != ("law_dates.acts", "act:A1"))
    order = {e.id: i for i, e in enumerate(case.entities)}
    part = Subcase(tuple(mine), facts, {e.id: e for e in case.entities}, order)
    by_period, in_order = _both(pack, case, monkeypatch, part)
    assert by_period[:3] == in_order[:3]
    # the rule of the punitive damages interpretation on a fine executed (about an act, of every period)
    assert [d.rule for d in by_period[1][("fined_act", "act:A1")]] == \
        ["cn.punitive_damages.art006/fine_executed_for_the_act"]


@pytest.mark.parametrize("name", ["li-v-liu.yaml", pytest.param("two-acts-both-before-2021-06-01.yaml",
                                                                 marks=pytest.mark.slow)])
def test_a_case_of_one_period_by_its_acts_is_decided_as_in_pack_order(pack, monkeypatch, name):
    by_items, in_order = _both(pack, read_case(HYPOS / name, pack), monkeypatch)
    assert {p.period for p in by_items[3].parts} == {None, ""}
    assert by_items[:3] == in_order[:3]


def test_only_a_case_of_many_acts_has_its_rules_about_acts_apart(pack):
    """A case of an act or two keeps the rules in pack order (a ruleset more would cost it
    more than it saves); one of ITEMS_APART acts or more has them apart."""
    text = (HYPOS / "li-v-liu.yaml").read_text(encoding="utf-8")
    for n, apart in ((1, False), (compiler.ITEMS_APART - 1, False), (compiler.ITEMS_APART, True)):
        with Consultation(pack, parse_case(many_acts(text, n), pack, "acts.yaml")) as c:
            assert (c.compiled.items is not None) == apart, n


@pytest.mark.slow
@pytest.mark.parametrize("name", [h["file"] for h in hypotheticals()])
def test_every_hypothetical_is_decided_alike_by_either_program(pack, monkeypatch, name):
    case = read_case(HYPOS / name, pack)
    by_items = _decided(pack, case, monkeypatch=monkeypatch)
    in_order = _decided(pack, case, monkeypatch=monkeypatch, apart=10**9)
    assert by_items[:3] == in_order[:3]


def test_an_interview_step_on_many_acts_of_two_periods_is_decided_by_units_as_whole(pack):
    """The planner's consultation by units mixes programs: the whole case (by items) fills its
    cache, an act changed is consulted alone (pack order), the rules over all acts with one
    representative per group; it concludes what the whole case's consultation concludes."""
    from assessor.engine.units import Units

    text = two_periods(many_acts((HYPOS / "li-v-liu.yaml").read_text(encoding="utf-8"), compiler.ITEMS_APART + 2))
    units = Units(pack, min_units=8)
    for step in (text, "stopped: true".join(text.rsplit("stopped: unknown", 1))):  # the last act's answer
        case = parse_case(step, pack, "acts.yaml")
        with Consultation(pack, case) as whole:
            assert whole.compiled.items is not None
            got = units.consult(case)
            assert (got.values, got.derivations) == (whole.values, whole.derivations)
    assert (units.last_path, units.last_runs) == ("units", 2)  # the act changed, then the rules over all acts
