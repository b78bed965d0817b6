"""The engine on a fictional pack: three-valued rules, aggregation, burdens, clean-up."""
from __future__ import annotations

from pathlib import Path

import pytest

from assessor.engine import Consultation, ConsultationError, load_pack, parse_case
from assessor.engine.compiler import compile_for

from .reference import Reference, engine_derivations

TOY = Path(__file__).parent / "packs" / "toy"


@pytest.fixture(scope="module")
def toy():
    return load_pack(TOY)


def consult(pack, text):
    return Consultation(pack, parse_case(text, pack, "case.yaml"))


CASES = {
    "late and not a member owes the fee":
        ("member: false\nitems: [{id: a, days_late: 0}, {id: b, days_late: 3}]", "established"),
    "a member is exempt (unless defeats the rule)":
        ("member: true\nitems: [{id: b, days_late: 3}]", "refuted"),
    "nothing late: every item refuted makes the aggregate refuted":
        ("member: unknown\nitems: [{id: a, days_late: 0}]", "refuted"),
    "an unknown answer leaves the element not established":
        ("member: false\nitems: [{id: a, days_late: unknown}]", "not_established"),
}


@pytest.mark.parametrize("name", CASES)
def test_three_valued_rules(toy, name):
    text, expected = CASES[name]
    with consult(toy, "format: toy.case/1\n" + text) as c:
        assert c.value("owes_fee") == expected
        reference = Reference(toy, c.case)
        assert c.value("owes_fee") == reference.run()[("owes_fee", "case")]
        assert engine_derivations(c) == reference.derivations()


def test_missing_answer_is_undetermined_not_false(toy):
    with consult(toy, "format: toy.case/1\nitems: [{id: a, days_late: 2}]") as c:
        assert c.value("any_late") == "established"
        assert c.value("owes_fee") is None  # membership never answered


def test_every_conclusion_has_its_rule_and_premises(toy):
    with consult(toy, "format: toy.case/1\nmember: false\nitems: [{id: b, days_late: 3}]") as c:
        (d,) = c.why("owes_fee")
        assert d.rule == "toy.rules.r1/fee"
        assert {(p.concept, p.value) for p in d.premises} == {("any_late", "established"),
                                                            ("exempt", "refuted")}
        assert [x.rule for x in c.fired][-1] == "toy.rules.r1/pay"


def test_compiled_rules_are_plain_data_with_dist_zero(toy):
    compiled = compile_for(toy, "2024-01-01")
    assert all(rule["dist"] == 0 and isinstance(rule["run"], str) for rule in compiled.definition.values())
    negated = [r for r in compiled.definition.values() if any("$not" in k for p in r["all"] for k in p)]
    assert negated and all(any("s" in p for p in r["all"]) for r in negated)  # negation waits for a stage


def test_law_not_yet_in_force_decides_nothing(toy):
    text = "format: toy.case/1\nmember: false\nitems: [{id: b, days_late: 3}]"
    case = parse_case(text, toy, "case.yaml")
    object.__setattr__(case, "decided_on", "2019-06-01")
    with Consultation(toy, case) as c:
        assert c.value("owes_fee") is None


def test_closing_frees_the_engine_state_many_times(toy):
    # durable_rules caps live sessions per ruleset at 1024; build and close well beyond it
    text = "format: toy.case/1\nmember: false\nitems: [{id: b, days_late: 3}]"
    for _ in range(1100):
        with consult(toy, text) as c:
            assert c.value("owes_fee") == "established"


def test_conflicting_rules_are_reported_not_silently_resolved(tmp_path, toy):
    import shutil
    shutil.copytree(TOY, tmp_path / "toy")
    rules = tmp_path / "toy" / "rules" / "r1.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace(
        "  - id: pay\n", "  - id: free\n    then: outcome\n    if:\n      - {fact: any_late, is: established}\n"
        "    is: free\n    quote: 会员免除逾期费\n    explain: {zh: 免。, en: Free.}\n  - id: pay\n"), encoding="utf-8")
    pack = load_pack(tmp_path / "toy")
    with pytest.raises(ConsultationError, match="conflicting conclusions on outcome"):
        consult(pack, "format: toy.case/1\nmember: false\nitems: [{id: b, days_late: 3}]")
