"""The consultations an interview keeps open, to grow by its next answer.

After each answer the planner needs the consultation of the whole case file again, and a
fresh one asserts every fact anew (most of a step's time). An answer usually only adds: a
field answered, an item added. :meth:`Consultation.extended` then asserts the additions into
the last consultation's session, which gives exactly the fresh consultation's conclusions
unless an addition is a fact some rule relied on lacking (engine/session.py says why); in
that case, or when the answer changed or removed one, another way is taken.

Besides the consultations (a few, most recently used first: the last answers of the
interviews sharing a planner), one *unstaged* consultation of the last case is kept: its
facts asserted, its stages (the close of evidence) not. No rule relying on a fact lacking
has fired in it, so it grows by any addition; when the last consultation cannot grow, the
unstaged one grows and is finished (its stages asserted), about a third of a fresh
consultation. Only when neither is at hand is the case consulted afresh.

The work that does not decide this step's case is left to a step that grew, the cheap
kind: deleting the sessions thrown away, and one of opening a spare session (about a
millisecond) or building the unstaged consultation on it. Each session holds the
engine's memory (some 9 MiB). Not thread-safe: the planner holds a lock.
"""
from __future__ import annotations

from .casefile import Case
from .compiler import compile_for, items_in
from .model import RulePack
from .session import Consultation, Spare, grows_unstaged


class Growing:
    """Open consultations of one pack, grown answer by answer."""

    KEEP = 2

    def __init__(self, pack: RulePack):
        self.pack = pack
        self._open: list[Consultation] = []
        self._spent: list[Consultation] = []  # sessions to delete
        self._spare: Spare | None = None
        self._unstaged: Consultation | None = None
        self.grown = 0     # consultations grown from an open one
        self.finished = 0  # made from the unstaged one
        self.fresh = 0     # and built afresh

    def consult(self, case: Case) -> Consultation:
        """The consultation of `case` (left open, for the next answer to grow)."""
        for base in list(self._open):
            grown = base.extended(case, self._spent)
            if grown is not None:
                self._open.remove(base)
                self.grown += 1
                self._keep(grown)
                self._chore(case)
                return grown
            if not base.is_open:  # its session went into a growth that failed
                self._open.remove(base)
        unstaged, self._unstaged = self._grow_unstaged(case), None
        if unstaged is not None and unstaged.finish():
            self.finished += 1
            return self._keep(unstaged)
        spare, self._spare = self._spare, None
        self.fresh += 1
        return self._keep(Consultation(self.pack, case, spare=spare))

    def _grow_unstaged(self, case: Case) -> Consultation | None:
        """The unstaged consultation grown to `case`, or None (then none is kept)."""
        if self._unstaged is None:
            return None
        grown = self._unstaged.extended(case, self._spent)
        if grown is None and self._unstaged.is_open:  # not an addition: of no more use
            self._spent.append(self._unstaged)
        self._unstaged = grown
        return grown

    def _keep(self, cons: Consultation) -> Consultation:
        self._open.insert(0, cons)
        while len(self._open) > self.KEEP:
            self._spent.append(self._open.pop())
        return cons

    def _chore(self, case: Case) -> None:
        """One piece of the work left for a step that grew."""
        if self._unstaged is not None:
            self._grow_unstaged(case)  # keeping up costs what growing costs
        for cons in self._spent:
            cons.close()
        self._spent = []
        compiled = compile_for(self.pack, case.law, items_in(self.pack, case.entities))  # the consultation's program
        if self._spare is not None and self._spare.program is not Spare.program_of(compiled):
            self._spare.close()
            self._spare = None
        if self._spare is None:
            self._spare = Spare(compiled)
        elif self._unstaged is None and grows_unstaged(compiled):
            spare, self._spare = self._spare, None
            self._unstaged = Consultation(self.pack, case, spare=spare, staged=False)

    def close(self) -> None:
        for cons in self._open + self._spent + ([self._unstaged] if self._unstaged else []):
            cons.close()
        if self._spare is not None:
            self._spare.close()
        self._open, self._spent, self._spare, self._unstaged = [], [], None, None
