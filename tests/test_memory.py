"""Every consultation gives its engine state back: memory stays flat over many of them,
including the empty case file (where no rule of the pack fires)."""
from __future__ import annotations

import pytest

from assessor.engine import Consultation, parse_case, read_case

from .conftest import HYPOS, hypotheticals
from .memory import growth_mib

pytestmark = pytest.mark.slow


def test_a_thousand_empty_consultations_keep_memory_flat(pack):
    empty = parse_case("format: assessor.case/1\n", pack, "empty.yaml")

    def step(_):
        with Consultation(pack, empty) as c:
            assert c.value("disposition") is None

    # an undeleted session kept about 8.8 MiB: a leak would show as gigabytes
    assert growth_mib(step, 1000) < 16


def test_mixed_consultations_keep_memory_flat(pack):
    cases = [parse_case("format: assessor.case/1\n", pack, "empty.yaml")]
    cases += [read_case(HYPOS / h["file"], pack) for h in hypotheticals()]

    def step(i):
        with Consultation(pack, cases[i % len(cases)]):
            pass

    assert growth_mib(step, 1000, warm_up=2 * len(cases)) < 16
