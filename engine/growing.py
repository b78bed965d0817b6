"""The consultations an interview keeps open, to grow by its next answer.

After each answer the planner needs the consultation of the whole case file again, and a
fresh one asserts every fact anew (most of a step's time). An answer usually only adds: a
field answered, an item added. :meth:`Consultation.extended` then asserts the additions into
the last consultation's session, which gives exactly the fresh consultation's conclusions
unless an addition is a fact some rule relied on lacking (engine/extending.py says why); in
that case, or when the answer changed or removed one, another way is taken.

Besides the consultations (a few, most recently used first: the last answers of the
interviews sharing a planner), one *unstaged* consultation of the last case is kept: its
facts asserted, its stages (the close of evidence) not. No rule relying on a fact lacking
has fired in it, so it grows by any addition; when the last consultation cannot grow, the
unstaged one grows and is finished (its stages asserted), about a third of a fresh
consultation. Only when neither is at hand is the case consulted afresh.

The work that does not decide this step's case (deleting the sessions thrown away,
growing the unstaged consultation to the last case or building it, opening a spare session)
is done by :meth:`Growing.idle`, which the interview calls once the next question is shown,
while the user reads it (the terminal before it waits for the answer, the web after the
page is sent). A caller that never calls it gets that work done on the next step that grew,
the cheap kind, one piece at a time. Each session holds the engine's memory (some 9 MiB).
Not thread-safe: the planner holds a lock.
"""
from __future__ import annotations

import weakref

from .casefile import Case
from .compiler import compile_for, items_in
from .model import RulePack
from .conclusions import Conclusions
from .session import Consultation, Spare, grows_unstaged


class Growing:
    """Open consultations of one pack, grown answer by answer."""

    KEEP = 2      # consultations kept open
    UNSTAGED = 1  # unstaged consultations kept (two cost more chores than the fresh steps they save)
    FEW = 4       # answers: a case this small gets an unstaged twin with its fresh consultation

    def __init__(self, pack: RulePack):
        self.pack = pack
        self._open: list[Consultation] = []
        self._spent: list[Consultation] = []  # sessions to delete
        self._spare: Spare | None = None
        # unstaged consultations, most recent first, grown on the steps that grew
        self._unstaged: list[Consultation] = []
        self._made: weakref.WeakSet[Consultation] = weakref.WeakSet()  # every consultation it gave
        self.grown = 0     # consultations grown from an open one
        self.finished = 0  # made from an unstaged one
        self.fresh = 0     # and built afresh
        self._last: Case | None = None  # the case of the last consultation given
        self._due = False  # whether the work for the last case is still to do

    def consult(self, case: Case) -> Consultation:
        """The consultation of `case` (left open, for the next answer to grow)."""
        due, self._due, self._last = self._due, True, case
        for base in list(self._open):
            grown = base.extended(case, self._spent)
            if grown is not None:
                self._open.remove(base)
                self.grown += 1
                self._keep(grown)
                if due:  # no idle time since the last step: do a part of its work now
                    self._chore(case)
                return grown
            if not base.is_open:  # its session went into a growth that failed
                self._open.remove(base)
        while self._unstaged:
            twin = self._unstaged.pop(0)
            unstaged = twin.extended(case, self._spent)
            if unstaged is None and twin.is_open:  # the answers changed: its session is of no more use
                self._spent.append(twin)
            if unstaged is not None and unstaged.finish():
                self.finished += 1
                return self._keep(unstaged)
        spare, self._spare = self._spare, None
        self.fresh += 1
        cons = self._keep(Consultation(self.pack, case, spare=spare))
        if len(case.facts) <= self.FEW and grows_unstaged(cons.compiled):
            # an interview's start: its unstaged twin costs little now, and the first answers,
            # which answer fields burdens wait for, seldom grow the consultation itself
            self._unstaged.append(Consultation(self.pack, case, staged=False))
        return cons

    def revisit(self, cons: Conclusions) -> None:
        """The answers of `cons`, one of this pool's consultations, are the interview's again
        (an answer taken back, a new interview on the same first answers): if its session has
        grown into another's, an unstaged consultation of its case is wanted for the next
        answer to grow and finish: :meth:`idle` builds it, or, with no idle time, the step
        that grew next."""
        if not isinstance(cons, Consultation) or cons.is_open or cons not in self._made \
                or any(u.case is cons.case for u in self._unstaged):
            return
        self._last, self._due = cons.case, True

    def _keep(self, cons: Consultation) -> Consultation:
        self._made.add(cons)
        self._open.insert(0, cons)
        while len(self._open) > self.KEEP:
            self._spent.append(self._open.pop())
        return cons

    def idle(self) -> None:
        """The work for the next answer, done while the user reads the question: everything
        :meth:`_chore` does, and the unstaged consultation of the last case built if there is
        none, so that the next answer grows or finishes a consultation, never builds one."""
        if not self._due or self._last is None:
            return
        self._due = False
        self._chore(self._last)
        if not self._unstaged:
            self._chore(self._last)  # the spare just opened takes the unstaged consultation
        if self._spare is None:
            self._chore(self._last)  # and another spare for a step that must build afresh

    def _chore(self, case: Case) -> None:
        """The work left for a step that grew: the unstaged consultations grown to `case`, the
        sessions thrown away deleted, and one of a spare session opened or an unstaged
        consultation of `case` built on it."""
        kept = []
        for unstaged in self._unstaged:  # kept up to the last case: growing costs little now
            grown = unstaged.extended(case, self._spent)
            if grown is not None:
                kept.append(grown)
            elif unstaged.is_open:  # the answers changed: of no more use
                self._spent.append(unstaged)
        self._unstaged = kept
        for cons in self._spent:
            cons.close()
        self._spent = []
        compiled = compile_for(self.pack, case.law, items_in(self.pack, case.entities))  # the consultation's program
        if self._spare is not None and self._spare.program is not Spare.program_of(compiled):
            self._spare.close()
            self._spare = None
        if self._spare is None:
            self._spare = Spare(compiled)
        elif len(self._unstaged) < self.UNSTAGED and grows_unstaged(compiled):
            spare, self._spare = self._spare, None
            self._unstaged.insert(0, Consultation(self.pack, case, spare=spare, staged=False))

    def __del__(self) -> None:
        # a planner dropped (a test's, an interview's on a pack reloaded) takes its pool with it:
        # the engine's sessions are not Python memory, and would stay for the life of the process
        self.close()

    def close(self) -> None:
        for cons in self._open + self._spent + self._unstaged:
            cons.close()
        if self._spare is not None:
            self._spare.close()
        self._open, self._spent, self._spare, self._unstaged = [], [], None, []
        self._due = False
