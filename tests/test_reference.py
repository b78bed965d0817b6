"""Every hypothetical decided by durable_rules and by the reference evaluator agrees."""
from __future__ import annotations

import pytest

from assessor.engine import Consultation, read_case

from .conftest import HYPOS, hypotheticals
from .reference import Reference


@pytest.mark.parametrize("name", [h["file"] for h in hypotheticals()])
def test_engine_agrees_with_reference_evaluator(pack, name):
    case = read_case(HYPOS / name, pack)
    expected = Reference(pack, case).run()
    with Consultation(pack, case) as c:
        got = dict(c.values)
    assert got == expected
