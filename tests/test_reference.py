"""Every hypothetical decided by durable_rules and by the reference evaluator agrees: on every
conclusion, and on every derivation of it (the rule and the facts it rested on)."""
from __future__ import annotations

import pytest

from assessor.engine import Consultation, read_case

from .conftest import HYPOS, hypotheticals, sampled
from .reference import Reference, engine_derivations


# every hypothetical in the slow run; the fast run takes the sample (conftest.FAST_SAMPLE)
@pytest.mark.parametrize("name", sampled([h["file"] for h in hypotheticals()]))
def test_engine_agrees_with_reference_evaluator(pack, name):
    case = read_case(HYPOS / name, pack)
    reference = Reference(pack, case)
    expected = reference.run()
    with Consultation(pack, case) as c:
        got = dict(c.values)
        derived = engine_derivations(c)
        shown = {key: ds[0].rule for key, ds in c.derivations.items()}
    assert got == expected
    assert derived == reference.derivations()
    # the derivation an explanation shows is the pack's first rule among those that fired
    assert shown == {key: min((d[0] for d in ds), key=pack.rank) for key, ds in derived.items()}
