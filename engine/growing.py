"""The consultations an interview keeps open, to grow by its next answer.

After each answer the planner needs the consultation of the whole case file again, and a
fresh one asserts every fact anew (most of a step's time). An answer usually only adds: a
field answered, an item added. :meth:`Consultation.extended` then asserts the additions into
the last consultation's session, which gives exactly the fresh consultation's conclusions
unless an addition is a fact some rule relied on lacking (engine/session.py says why); in
that case, or when the answer changed or removed one, a fresh consultation is built.

A few sessions are kept open (each holds the engine's memory), most recently used first:
the last answers of the interviews sharing a planner. Not thread-safe: the planner holds a
lock.
"""
from __future__ import annotations

from .casefile import Case
from .model import RulePack
from .session import Consultation


class Growing:
    """Open consultations of one pack, grown answer by answer."""

    KEEP = 2

    def __init__(self, pack: RulePack):
        self.pack = pack
        self._open: list[Consultation] = []
        self.grown = 0   # consultations grown from an open one
        self.fresh = 0   # and built afresh

    def consult(self, case: Case) -> Consultation:
        """The consultation of `case` (left open, for the next answer to grow)."""
        for base in list(self._open):
            grown = base.extended(case)
            if grown is not None:
                self._open.remove(base)
                return self._keep(grown, grew=True)
            if not base.is_open:  # its session went into a growth that failed
                self._open.remove(base)
        return self._keep(Consultation(self.pack, case), grew=False)

    def _keep(self, cons: Consultation, grew: bool) -> Consultation:
        if grew:
            self.grown += 1
        else:
            self.fresh += 1
        self._open.insert(0, cons)
        while len(self._open) > self.KEEP:
            self._open.pop().close()
        return cons

    def close(self) -> None:
        for cons in self._open:
            cons.close()
        self._open = []
