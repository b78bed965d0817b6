"""The relevance walk of each unit, kept from one plan to the next (engine/relevance.py).

In a case split by units (engine/units.py), the walk's nodes (the reach of a fact about one
of a unit's entities) depend on the unit's own conclusions (its key), its open answer
fields, and what the walk read outside the unit: the reach and values of outside facts, the
lists that could add entities, the answered fields a burden waits for. Each such read is
kept with its result; a unit whose key, open fields and reads are all as before takes its
nodes as they were.

Most units read the same things outside themselves (the case's own facts, say), so equal
sets of reads are kept once (:meth:`Walks.shared`) and checked once per plan, however many
units share them: a step of an interview on a thousand acts checks a few sets, not a
thousand.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .relevance import Analysis

CHANGING = object()
_NONE: list = []  # never appended to (UnitWalk.walked)  # the result of a read of a node still being walked: never the same again


class ReadSet:
    """The reads of a unit's walk outside the unit, with their results (kept, not changed)."""

    __slots__ = ("items", "sig", "reach", "changing")

    def __init__(self, items: dict, sig: tuple | None):
        self.items = items
        self.sig = sig  # the reads and results as a key (None: some result cannot be one)
        self.reach = tuple(arg for what, arg in items if what == "reach")  # nodes read
        self.changing = any(r is CHANGING for r in items.values())


class Walks:
    """The walk of each unit of a case split by units, from one plan to the next (held by the
    planner)."""

    def __init__(self) -> None:
        self.units: dict[str, tuple] = {}  # root id -> (key, askable slots, ReadSet, {node: reach})
        self._pool: dict[tuple, ReadSet] = {}

    def shared(self, reads: dict, pool: dict) -> ReadSet:
        """The one ReadSet of these reads (and results), kept in `pool` for the next plan."""
        sig = tuple(reads.items())
        try:
            got = self._pool.get(sig) or pool.get(sig)
        except TypeError:  # a result that cannot be a key (a list): kept on its own
            return ReadSet(reads, None)
        if got is None:
            got = ReadSet(reads, sig)
        pool[sig] = got
        return got

    def replace(self, units: dict[str, tuple], pool: dict) -> None:
        self.units, self._pool = units, pool


class UnitWalk:
    """One unit's walk in this plan: what was kept of it, and what is walked anew."""

    __slots__ = ("key", "askable", "kept", "kept_nodes", "reads", "nodes")

    def __init__(self, key: tuple, askable: tuple):
        self.key, self.askable = key, askable
        self.kept: ReadSet | None = None
        self.kept_nodes: dict = {}
        self.reads: dict = {}       # reads outside the unit made in this plan
        self.nodes: list = _NONE    # the unit's nodes walked in this plan (each once: memo)

    def walked(self, node: tuple) -> None:
        if self.nodes is _NONE:  # most units walk nothing new: no list for them
            self.nodes = []
        self.nodes.append(node)


class UnitWalker:
    """A plan's use of the kept walks: which unit each node being walked belongs to, the
    reads each unit's walk makes, and whether a unit's walk of the last plan still holds."""

    def __init__(self, analysis: "Analysis", walks: Walks, askable_of: dict[str, tuple]):
        self.a = analysis
        self.walks = walks
        self.askable_of = askable_of
        self.frames: list[str | None] = []      # the unit (root id) of each node being walked
        self.units: dict[str, UnitWalk] = {}
        self._now: dict[tuple, Any] = {}        # each read made again in this plan
        self._held: dict[int, bool] = {}        # ReadSet (by id) -> its reads give the same results
        self.reused = 0                         # units whose walk of the last plan still held

    def unit(self, entity: str) -> str | None:
        held = self.a.c.unit_of.get(entity)
        return held[0] if held is not None else None

    def read(self, what: str, arg: Any, result: Any, unit: str | None = None) -> None:
        """Note a read made from the walk of a unit (other than of its own nodes)."""
        frame = self.frames[-1] if self.frames else None
        if frame is not None and frame != unit:
            self.units[frame].reads[(what, arg)] = result

    def enter(self, unit: str, key: tuple) -> None:
        """Start the walk of `unit`: with its nodes of the last plan where nothing they read
        has changed."""
        walk = self.units[unit] = UnitWalk(key, self.askable_of.get(unit, ()))
        kept = self.walks.units.get(unit)
        if kept is None or kept[0] != key or kept[1] != walk.askable:
            return
        reads: ReadSet = kept[2]
        walking = self.a.walking
        if reads.changing or not walking.isdisjoint(reads.reach):
            return  # it read a node being walked now: its result is not known yet
        held = self._held.get(id(reads))
        if held is None:
            held = all(self._again(read) == result for read, result in reads.items.items())
            self._held[id(reads)] = held
        if held:
            self.a.memo.update(kept[3])
            walk.kept, walk.kept_nodes = reads, kept[3]
            self.reused += 1

    def _again(self, read: tuple) -> Any:
        """A read of a unit's walk, made again now (once per plan: units share most reads)."""
        if read[0] == "reach" and read[1] in self.a.walking:
            return CHANGING
        if read not in self._now:
            self._now[read] = self.a.read_again(*read)
        return self._now[read]

    def keep(self) -> None:
        """Keep each unit's walk for the next plan."""
        units: dict[str, tuple] = {}
        pool: dict[tuple, ReadSet] = {}
        memo = self.a.memo
        for u, w in self.units.items():
            if w.kept is not None and not w.reads and not w.nodes:  # as it was
                if w.kept.sig is not None:
                    pool[w.kept.sig] = w.kept
                units[u] = (w.key, w.askable, w.kept, w.kept_nodes)
                continue
            reads = dict(w.kept.items) if w.kept is not None else {}
            reads.update(w.reads)
            nodes = dict(w.kept_nodes)
            nodes.update((k, memo[k]) for k in w.nodes)
            units[u] = (w.key, w.askable, self.walks.shared(reads, pool), nodes)
        self.walks.replace(units, pool)
