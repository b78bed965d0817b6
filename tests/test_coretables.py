"""durable_rules' fixed tables: a pack too big for one ruleset is split and decides exactly as
the pack alone; a rule too big for any ruleset is refused at compile time, by name."""
from __future__ import annotations

import dataclasses

import pytest

from assessor.engine import Consultation, InputError, load_pack, read_case
from assessor.engine.compiler import compile_pack
from assessor.engine.coretables import STACK, Limit, Network

from .conftest import HYPOS, hypotheticals
from .reference import Reference, engine_derivations
from .replica import replicate
from .test_engine import TOY

COPIES = 4


@pytest.fixture(scope="module")
def big(pack):
    return replicate(pack, COPIES)


def test_the_replicated_pack_needs_several_rulesets(big):
    compiled = compile_pack(big.as_of("2025-06-30"))
    assert len(compiled.parts) > 1
    for part in compiled.parts:  # each within every table
        net = Network()
        for n, rule in part.definition.items():
            net.add(n, rule)
        net.check()


# the fast run checks the two decided cases; the slow run every hypothetical
@pytest.mark.parametrize("name", [h["file"] if h["file"] in ("cat-pendant.yaml", "li-v-liu.yaml")
                                  else pytest.param(h["file"], marks=pytest.mark.slow)
                                  for h in hypotheticals()])
def test_replicated_pack_decides_each_hypothetical_as_the_pack_alone(pack, big, name):
    case = read_case(HYPOS / name, pack)
    with Consultation(pack, case) as c:
        alone = dict(c.values)
        reasons = sorted(((d.rule, d.concept, d.entity, d.value, d.premises) for d in c.fired), key=repr)
    with Consultation(big, case) as c:
        got = dict(c.values)
        fired = list(c.fired)
    for k in range(1, COPIES):
        copy = {(concept.removeprefix(f"k{k}."), e): v for (concept, e), v in got.items()
                if concept.startswith(f"k{k}.") or (concept, e) in case_inputs(case)}
        assert copy == alone
        mine = [d for d in fired if d.rule.startswith(f"k{k}.")]
        assert sorted(((d.rule.removeprefix(f"k{k}."), d.concept.removeprefix(f"k{k}."), d.entity, d.value,
                        tuple(dataclasses.replace(p, concept=p.concept.removeprefix(f"k{k}.")) for p in d.premises))
                       for d in mine), key=repr) == reasons
    assert {key: v for key, v in got.items() if not key[0].startswith("k")} == alone


@pytest.mark.slow
@pytest.mark.parametrize("name", [h["file"] for h in hypotheticals()])
def test_reference_evaluator_agrees_on_the_replicated_pack(pack, big, name):
    case = read_case(HYPOS / name, pack)
    reference = Reference(big, case)
    with Consultation(big, case) as c:
        assert dict(c.values) == reference.run()
        assert engine_derivations(c) == reference.derivations()


def case_inputs(case) -> set:
    return {(f.concept, f.entity) for f in case.facts}


def test_a_rule_too_big_for_any_ruleset_is_refused_by_name():
    toy = load_pack(TOY)
    (rule,) = [r for r in toy.rules if r.id.endswith("/fee")]
    huge = dataclasses.replace(rule, terms=rule.terms * (STACK + 1))
    bad = dataclasses.replace(toy, rules=tuple(huge if r is rule else r for r in toy.rules))
    with pytest.raises(InputError, match=r"durable_rules cannot hold rule toy\.rules\.r1/fee in one ruleset: .*\(at most \d+\)") as e:
        compile_pack(bad)
    assert "r1.yaml" in str(e.value)


def test_network_counts_what_the_core_would_overflow():
    net = Network()
    for i in range(STACK + 1):  # join tests on one concept are never shared and always visited
        net.add(f"r{i}", {"all": [{"p": {"$and": [{"t": "f"}, {"c": "x"}, {"e": {"x": "e"}}]}}]})
    with pytest.raises(Limit, match="wake"):
        net.check()
    net = Network()
    for i in range(300):  # one pattern shared by many rules: the join list of its last test
        net.add(f"r{i}", {"all": [{"x": {"$and": [{"t": "ent"}, {"k": "case"}]}}]})
    with pytest.raises(Limit, match="300 rules sharing one pattern"):
        net.check()


def test_a_full_list_of_the_core_is_refused():
    """The core walks a node's list of patterns (and of alternatives) up to its first empty
    slot: a list filled to its length has none, and a fact reaching that node walked on past
    its end (a crash, with 256 rules anchored on the case in one ruleset)."""
    def shared(n):
        net = Network()
        for i in range(n):
            net.add(f"r{i}", {"all": [{"x": {"$and": [{"t": "ent"}, {"k": "case"}]}}]})
        return net
    shared(255).check()
    with pytest.raises(Limit, match="256 rules sharing one pattern"):
        shared(256).check()
    net = Network()
    for i in range(128):  # each $or ends in a forward node of its own under the tests it shares
        net.add(f"r{i}", {"all": [{"p": {"$and": [{"t": "f"}, {"$or": [{"c": "a"}, {"c": "b"}]}]}}]})
    with pytest.raises(Limit, match="128 alternatives"):
        net.check()
