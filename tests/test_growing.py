"""The interview's consultation grown answer by answer (engine/growing.py,
Consultation.extended) concludes exactly what a fresh consultation of the same answers
concludes, and the planner asks the same questions: at every step of the simulated
interview of every hypothetical (one in the fast run)."""
from __future__ import annotations

import pytest

from assessor.engine import Consultation, Interview, Located, Planner, build_case, read_case, simulated_answer

from .conftest import HYPOS, hypotheticals


def _start(pack, source: dict, planner: Planner) -> Interview:
    data = {k: source[k] for k in ("format", "jurisdiction", "title", "decided_on") if k in source}
    iv = Interview(pack, data)
    iv.planner = planner
    while iv.current()[1] == "start":  # the decision date, if the case file has none
        iv.skip()
    return iv


def _walk_both(pack, name: str, idle: bool = False) -> tuple[int, int, int]:
    """Step by step through the interview of hypothetical `name`, a planner growing its
    consultations and one building each afresh: the same conclusions, derivations (in the
    same order), question, candidates and holdings at every step. The growing planner's
    consultations grown, finished from the unstaged one and built afresh. `idle`: the
    growing interview is given the time the user takes to read each question, as the
    terminal and the web give it."""
    source = read_case(HYPOS / name, pack).data
    grower = Planner(pack)
    grown, fresh = _start(pack, source, grower), _start(pack, source, Planner(pack, grow=False))
    while True:
        a, b = grown.plan(), fresh.plan()
        assert [s.where for s in a.candidates] == [s.where for s in b.candidates]
        assert (a.question, a.holdings, a.open_issues, a.issue) == (b.question, b.holdings, b.open_issues, b.issue)
        cons = grower._consulted(grown.data)[0]
        with Consultation(pack, build_case(Located(grown.data, {}, "<answers>"), pack)) as whole:
            assert cons.values == whole.values
            assert cons.derivations == whole.derivations  # lists: the order explanations show too
        slot, stage = grown.current()
        assert (slot, stage) == fresh.current()
        if slot is None:
            break
        if idle:
            grown.idle()
        answer = simulated_answer(grown, source)
        for iv in (grown, fresh):
            iv.skip() if answer is None else iv.answer(answer)
    return grower._growing.grown, grower._growing.finished, grower._growing.fresh


@pytest.fixture
def made(monkeypatch) -> list:
    """Every consultation built in the test (grown ones take over a built one's session),
    kept alive to be looked at."""
    made: list = []
    built = Consultation.__init__

    def recorded(self, *args, **kwargs):
        built(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(Consultation, "__init__", recorded)
    return made


def _no_session_lost(planner: Planner, made: list) -> None:
    """Every consultation the planner built that still holds an engine session is one it
    keeps (to grow, to finish, or to delete on a later step): a session dropped while open
    keeps its megabytes for the life of the process."""
    g = planner._growing
    held = {id(c) for c in g._open + g._unstaged + g._spent}
    lost = [c for c in made if c.is_open and id(c) not in held]
    assert not lost, f"{len(lost)} of {len(made)} consultations dropped with their sessions open"


def test_a_grown_consultation_is_the_fresh_one_at_every_step(pack):
    grew, finished, built = _walk_both(pack, "li-v-liu.yaml")
    # most answers grow the last consultation; an added proof of a fact a burden had found
    # unproven cannot: the unstaged consultation grows and is finished, or (the first
    # answer, or two such answers in a row) the case is consulted afresh
    assert grew > 2 * (finished + built) and finished > 0 and built > 0, (grew, finished, built)


def test_given_the_time_to_read_each_question_no_step_builds_a_consultation(pack):
    """With idle time after each question, the unstaged consultation is always ready: every
    answer grows the last consultation or finishes the unstaged one. Two are built: the
    interview's first, and the one after the act's date, which puts the case under another
    law (another program); the conclusions are still the fresh ones."""
    grew, finished, built = _walk_both(pack, "li-v-liu.yaml", idle=True)
    assert built == 2 and finished > 0 and grew > 2 * finished, (grew, finished, built)


@pytest.mark.slow  # some 2,700 steps, each decided three times
@pytest.mark.parametrize("name", [h["file"] for h in hypotheticals() if h["file"] != "li-v-liu.yaml"])
def test_every_hypotheticals_interview_grown_is_as_fresh(pack, name):
    _walk_both(pack, name, idle=True)


def test_an_answer_taken_back_and_given_otherwise_is_decided_as_fresh(pack, made):
    """Back to the answers of a consultation grown since: an unstaged consultation of them is
    built (Growing.revisit, then idle), and the other answer then given grows it and is finished."""
    source = read_case(HYPOS / "cat-pendant.yaml", pack).data
    grower = Planner(pack)
    grown, fresh = _start(pack, source, grower), _start(pack, source, Planner(pack, grow=False))
    for step in range(40):
        answer = simulated_answer(grown, source)
        choices = [c["value"] for c in grown.question("en")["choices"]]
        if step >= 4 and len(choices) > 1 and answer in choices:
            break
        for iv in (grown, fresh):
            iv.skip() if answer is None else iv.answer(answer)
    other = next(v for v in choices if v != answer)
    for iv in (grown, fresh):
        iv.answer(answer)
        iv.plan()
        iv.back()
        iv.plan()
        iv.idle()  # the question shown again: the unstaged consultation is built now
    finished = grower._growing.finished
    for iv in (grown, fresh):
        iv.answer(other)
    a, b = grown.plan(), fresh.plan()
    assert (a.question, a.holdings, [s.where for s in a.candidates]) == (b.question, b.holdings, [s.where for s in b.candidates])
    cons = grower._consulted(grown.data)[0]
    with Consultation(pack, build_case(Located(grown.data, {}, "<answers>"), pack)) as whole:
        assert (cons.values, cons.derivations) == (whole.values, whole.derivations)
    assert grower._growing.finished == finished + 1
    _no_session_lost(grower, made)


def test_interviews_one_after_another_lose_no_session(pack, made):
    """The planner is shared by the interviews on a pack: a consultation kept for the last
    interview's answers, which the next one's do not add to, is deleted, not dropped."""
    planner = Planner(pack)
    for name in ("li-v-liu.yaml", "cat-pendant-original-records.yaml"):
        source = read_case(HYPOS / name, pack).data
        iv = _start(pack, source, planner)
        while iv.current()[0] is not None:
            answer = simulated_answer(iv, source)
            iv.skip() if answer is None else iv.answer(answer)
    _no_session_lost(planner, made)
