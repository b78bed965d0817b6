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


def test_the_garbage_collector_runs_again_after_a_consultation_even_a_failed_one(pack):
    import gc

    from assessor.engine.gcpause import paused_gc

    assert gc.isenabled()
    with paused_gc():
        with paused_gc():  # nested, as reading a case inside a decision
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    try:
        with paused_gc():
            raise KeyError("x")
    except KeyError:
        pass
    assert gc.isenabled()
    decide(pack, parse_case((HYPOS / "li-v-liu.yaml").read_text(encoding="utf-8"), pack, "li-v-liu.yaml"))
    assert gc.isenabled()
    gc.disable()  # a program that turned it off keeps it off
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
