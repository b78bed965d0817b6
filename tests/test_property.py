"""Variants of the hypotheticals, made by changing some of their answers to other values the
case format allows, decided by durable_rules and by the reference evaluator: they must agree
on every conclusion and every derivation of it (rule and premises), and the rule pack must
never conclude two different things about the same fact (a ConsultationError fails the test).
The interview's consultation split by unit (engine/units.py) must conclude exactly what the
whole case's does, derivations in the same order."""
from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessor.engine import Consultation, Located, build_case, load_yaml
from assessor.engine.units import Units

from .conftest import HYPOS, bundled_pack, hypotheticals
from .reference import Reference, engine_derivations

PACK = bundled_pack()
BASES = [load_yaml(HYPOS / h["file"]).data for h in hypotheticals()]  # typed as the engine reads them


def _choices(node: dict) -> list:
    kind = node["type"]
    if kind == "enum":
        return list(node["values"])
    if kind == "tri":
        return [True, False, "unknown"]
    if kind == "count":
        return [0, 1, 4, "unknown"]
    if kind == "amount":
        return [0, 300, 500, 5000, 600000, "unknown"]
    return []


def _leaves(node: dict, value, path=()):
    """Every answer in a case (path, choices), and the places an answer could be added."""
    if node["type"] == "object":
        for name, sub in node.get("fields", {}).items():
            if name == "format":
                continue
            if isinstance(value, dict) and name in value:
                yield from _leaves(sub, value[name], path + (name,))
            elif _choices(sub) and isinstance(value, dict):
                yield path + (name,), _choices(sub)
    elif node["type"] == "list" and isinstance(value, list) and node["item"]["type"] != "enum":
        for i, item in enumerate(value):
            yield from _leaves(node["item"], item, path + (i,))
    elif _choices(node):
        yield path, _choices(node)


ROOT = PACK.case_format["root"]
# the days an act's date is moved to: before the 2010 Law, the last day of the 2010 Law, the first of the
# 2020 Law, and others
ACT_DAYS = ["2009-09-15", "2020-09-15", "2021-05-31", "2021-06-01", "2022-04-10"]


@st.composite
def variants(draw):
    base = copy.deepcopy(draw(st.sampled_from(BASES)))
    leaves = list(_leaves(ROOT, base))
    for path, choices in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=4, unique_by=lambda leaf: leaf[0])):
        node = base
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = draw(st.sampled_from(choices))
    acts = base.get("acts")
    # a case is decided after its acts (the case format refuses an act after the decision)
    days = [d for d in ACT_DAYS if "decided_on" not in base or d <= str(base["decided_on"])]
    if acts and days and draw(st.booleans()):  # per-act dates: acts on either side of 2021-06-01, each under its own law
        if draw(st.booleans()):
            acts.append(dict(copy.deepcopy(acts[0]), id="Z9"))
        for act in acts:
            act.pop("until", None)
            act["on"] = draw(st.sampled_from(days))
    return base


UNITS = Units(PACK, min_units=1, refill=1.0)  # the interview's consultation by units, on every case it can split


def _agree(data):
    case = build_case(Located(data, {}, "variant.yaml"), PACK)
    with Consultation(PACK, case) as c:
        got = dict(c.values)
        derived = engine_derivations(c)
        whole = dict(c.derivations)
    reference = Reference(PACK, case)
    assert got == reference.run()
    assert derived == reference.derivations()
    split = UNITS.consult(case)
    assert (split.values, split.derivations) == (got, whole)


def _variants_test(n):
    # deterministic: the same variants every run
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])(given(variants())(_agree))


# the fast run tries a few dozen variants; the slow run (CI) three hundred
test_variants_engine_agrees_with_reference = _variants_test(30)
test_many_variants_engine_agrees_with_reference = pytest.mark.slow(_variants_test(300))
