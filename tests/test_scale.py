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


def test_between_two_steps_the_collections_pending_are_run():
    """An interview's idle time runs the young collections (and a full one once the oldest
    generation's count reaches its threshold), so that a step does not start with them
    pending; inside a pause it does nothing."""
    import gc

    from assessor.engine.gcpause import collect_between_steps, paused_gc

    junk = [[i] for i in range(500)]  # container objects: counted by the collector
    assert gc.get_count()[0] > 0
    with paused_gc():
        collect_between_steps()
        assert gc.get_count()[0] > 0  # paused: left as it was
    collect_between_steps()
    young, middle, old = gc.get_count()
    assert (young, middle) == (0, 0) and old > 0
    full = gc.get_stats()[2]["collections"]
    while gc.get_count()[2] < gc.get_threshold()[2]:
        gc.collect(1)
    collect_between_steps()
    assert gc.get_stats()[2]["collections"] == full + 1 and gc.get_count()[2] == 0
    del junk
