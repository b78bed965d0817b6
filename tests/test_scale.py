"""A case with many acts decides each one as the case with one act decides it."""
from __future__ import annotations

from assessor.engine import decide, parse_case

from .conftest import HYPOS
from .replica import many_acts


def test_each_of_many_acts_is_decided_as_the_one(pack):
    text = (HYPOS / "li-v-liu.yaml").read_text(encoding="utf-8")
    one = decide(pack, parse_case(text, pack, "li-v-liu.yaml"))
    many = decide(pack, parse_case(many_acts(text, 150), pack, "acts.yaml"))
    assert [a["id"] for a in many["acts"]] == [f"A{i}" for i in range(1, 151)]
    assert all({k: v for k, v in a.items() if k != "id"} == {k: v for k, v in one["acts"][0].items() if k != "id"}
               for a in many["acts"])
    assert many["holdings"] == one["holdings"]
    assert len(many["reasons"]) > len(one["reasons"])
