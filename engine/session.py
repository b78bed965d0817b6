"""A consultation: one case, decided by durable_rules, with a justification for everything.

This is the only module that imports durable_rules. It drives the C core
(``durable_rules_engine``) directly: the same rulesets and the same calls its Python
wrapper makes (create the ruleset from its JSON definition; assert a fact; start the
actions it made ready, run each and complete it; delete a session's state), without the
wrapper's per-action closures, state round trips and timer threads (a third of the time of
a consultation). Traps it works around (measured in the project's notes on the engine):

- an exception in an action leaves the core's action started: it is abandoned before the
  exception goes on;
- asserting a fact twice is refused, and facts are identified by a 32-bit hash: we keep our
  own registry of facts and never re-assert one; a second rule deriving the same
  conclusion adds a derivation in our registry instead;
- a fact asserted from inside an action can cancel other rules' pending activations: two
  burdens with the same anchor, answers and stage, where the first to fire concluded the
  fact its own negation reads, silently took the second's activation with it. Actions
  therefore only record; their conclusions are queued and asserted once every action the
  last fact made ready has run, into every ruleset ("part") whose rules read them;
- a fact no rule reads is refused (code 1): harmless;
- no truth maintenance: a consultation is built from the case file, decided, and deleted.
  Changing an answer means building a new one; answers that only add may grow an open
  session instead, unless what they add was relied on lacking (:meth:`Consultation.extended`);
- asserting a batch of facts in one call was tried for speed: on these rulesets it derived
  wrong aggregates and once crashed the C core, so facts go in one at a time;
- compiling a ruleset in the C core (``create_ruleset``) cost about half of a consultation
  when each consultation compiled its own, so each compiled program (one or more rulesets,
  named by a digest of their content) is created once per process, and every consultation
  has its own session (sid) on it; :meth:`Consultation.close` deletes that session;
- deleting a session in which no rule fired aborts the C core (seen with an empty case
  file), and one left undeleted keeps megabytes for ever: every ruleset therefore has a
  bookkeeping rule (:data:`compiler.OPEN`) that fires on the fact opening each session, so
  every session can be, and is, deleted when the consultation closes (which also keeps
  each ruleset far from its cap of 1024 live sessions);
- the core has no locks and never releases the GIL between the calls of one assert: a lock
  per program keeps threads (a web server's) from interleaving their calls.
"""
from __future__ import annotations

import bisect
import ctypes
import itertools
import json
import os
import threading
from collections import deque
from typing import Any, Callable

import durable_rules_engine as _core

from .casefile import Case
from .compiler import OPEN, Compiled, compile_for, items_in
from .errors import ConsultationError
from .gcpause import paused_gc
from . import extending
from .conclusions import Conclusions, Subcase
from .model import Derivation, Entity, Premise, RulePack

_sids = itertools.count(1)


def core_build() -> str:
    """Which build of durable_rules' C core this is (the size and time of its library): the
    cache of compiled packs (engine/packcache.py) is made for one."""
    st = os.stat(_core.__file__)
    return f"{st.st_size}:{st.st_mtime_ns}"


# json.dumps(text, ensure_ascii=False) is this function, after a dozen checks of its options
_quoted: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _dumps(value: Any) -> str:
    return _quoted(value) if type(value) is str else json.dumps(value, ensure_ascii=False)


_NOT_HANDLED = 1  # the core's result when no rule reads a fact


class _Program:
    """A compiled program's rulesets, created in the C core once per process."""

    def __init__(self, compiled: Compiled):
        self.handles: list[int] = []
        for part in compiled.parts:
            self.handles.append(_core.create_ruleset(part.name, part.ruleset_json))
        self.lock = threading.RLock()
        self._parts = compiled.parts
        # whether every rule relying on a fact lacking waits for a stage (the compiler's
        # stratified negation): then a consultation without its stages can grow by anything
        self.staged_negation = all(
            any(next(iter(pattern)) == "s" for pattern in rule["all"])
            for part in compiled.parts for name, rule in part.definition.items()
            if name in compiled.actions and compiled.actions[name].absent)
        self._routes: dict[tuple[str, str | None, str | None], tuple[int, ...]] = {}

    def route(self, reads: str, key: str | None, period: str | None = None) -> tuple[int, ...]:
        """The parts (by index) whose rules read a fact: `key` is in the part's `reads` field
        (anchors, reads, answered), or, without a key, that field is true (stages); for a fact
        about an item of `period` (Compiled.item_periods), not the other periods' parts."""
        got = self._routes.get((reads, key, period))
        if got is None:
            got = self._routes[(reads, key, period)] = tuple(
                i for i, part in enumerate(self._parts)
                if ((key in getattr(part, reads)) if key is not None else getattr(part, reads))
                and (period is None or part.period in (None, period)))
        return got


_programs: dict[str, _Program] = {}
_programs_lock = threading.Lock()


def _program_for(compiled: Compiled) -> _Program:
    with _programs_lock:
        program = _programs.get(compiled.name)
        if program is None:
            program = _programs[compiled.name] = _Program(compiled)
        return program


def _open(handle: int, sid: str) -> None:
    """Open the session `sid` on a ruleset: its first fact (the core allocates and clears the
    session's tables, about a millisecond for a big ruleset), which fires the bookkeeping rule."""
    _code, state = _core.assert_fact(handle, f'{{"t": "{OPEN}", "sid": {_dumps(sid)}}}')
    ready = _core.start_action_for_state(handle, state)
    matched = ready[1] if ready else None
    while matched:
        matched = _core.complete_and_start_action(handle, state)


def grows_unstaged(compiled: Compiled) -> bool:
    """Whether a consultation of `compiled` made without its stages can grow by any addition."""
    return _program_for(compiled).staged_negation


class Spare:
    """A session opened on a compiled program before a consultation needs it: the interview
    opens one on a step that grew (engine/growing.py), so that a step that must consult
    afresh does not pay for opening it."""

    def __init__(self, compiled: Compiled):
        self.program = _program_for(compiled)
        self.sid = str(next(_sids))
        with self.program.lock:
            for handle in self.program.handles:
                _open(handle, self.sid)

    @staticmethod
    def program_of(compiled: Compiled) -> object:
        """The program a spare for `compiled` would be opened on (to compare with a spare's)."""
        return _program_for(compiled)

    def close(self) -> None:
        with self.program.lock:
            for handle in self.program.handles:
                _core.delete_state(handle, self.sid)
        _trim()


class Consultation(Conclusions):
    """Decide one case (or, given a :class:`Subcase`, one part of it). Use as a context
    manager, or call :meth:`close`. `spare`: a session opened for it beforehand, used if it
    is on this case's program (else closed)."""

    def __init__(self, pack: RulePack, case: Case, part: Subcase | None = None, spare: Spare | None = None,
                 staged: bool = True):
        super().__init__(pack, case)
        # without its stages (staged=False) a consultation has fired no rule that relies on a
        # fact lacking: it can grow by any addition, and :meth:`finish` closes the evidence
        self.staged = staged
        self.law = pack.as_of(case.law)  # the rules in force for this case (each clock's date)
        # the program laid out for a case of as many items (compiler.ITEMS_APART)
        self.compiled: Compiled = compile_for(pack, case.law, items_in(pack, part.anchored if part else case.entities))
        self._anchored: tuple[Entity, ...] = case.entities
        self._inputs: Any = ((f.concept, f.entity, f.value) for f in case.facts)
        self._order: dict[str, int] = {e.id: i for i, e in enumerate(case.entities)}
        if part is not None:
            self.entities = part.known
            self._anchored, self._inputs, self._order = part.anchored, part.facts, part.order
        if self.compiled.items is not None:  # parts by period: each entity's period routes its facts
            self._inputs = tuple(self._inputs)
        self._periods = self.compiled.item_periods(self.entities.values(), self._inputs)
        self.fired: list[Derivation] = []  # in order of firing
        self._routed: deque[tuple[int, str]] = deque()  # (part, conclusion) to assert after the engine call
        self._opened: list[int] = []  # the rulesets (handles) holding a session of this consultation
        self._proofs: set[tuple] = set()  # (rule, conclusion, premises) already recorded
        self.ranks: dict[tuple[str, str], list[tuple]] = {}  # sort keys of derivations, in step
        self._heads: dict[str, tuple[str, str]] = {}  # per entity, the JSON around a fact's value
        # the facts a derivation relied on lacking: (concept, entity), or any entity's (some/every)
        self._lacks: set[tuple[str, str]] = set()
        self._lacks_any: set[str] = set()
        self._part = part is not None
        self._program = _program_for(self.compiled)
        self._sid = str(next(_sids))
        self._open = True
        if spare is not None and spare.program is not self._program:
            spare.close()
            spare = None
        if spare is not None:
            self._sid, self._opened = spare.sid, list(self._program.handles)
        try:
            with self._program.lock, paused_gc():
                self._run()
        except BaseException:
            self.close()
            raise

    # -- the engine side -------------------------------------------------------------
    def _assert(self, fact: str, part: int) -> None:
        """Assert one fact (its JSON) into one part, and run every action it makes ready."""
        handle = self._program.handles[part]
        code, state = _core.assert_fact(handle, fact)
        if code == _NOT_HANDLED:
            return  # no rule reads this fact: nothing follows from it
        ready = _core.start_action_for_state(handle, state)
        if not ready:
            return
        matched = ready[1]
        while matched:
            ((name, patterns),) = json.loads(matched).items()
            if name != OPEN:  # bookkeeping: the session has fired, so it can be deleted
                try:
                    self._record(name, patterns)
                except BaseException:
                    _core.abandon_action(handle, state)
                    raise
            matched = _core.complete_and_start_action(handle, state)

    def _assert_where(self, fact: str, reads: str, key: str | None = None, entity: str = "") -> None:
        """Assert `fact` into every part whose rules read it (`key` is in the part's `reads`
        field: anchors, reads, answered; or, without a key, that field is true; the parts of
        the period of the item `entity` is or links to), then what follows from it in the others."""
        for i in self._program.route(reads, key, self._periods.get(entity)):
            self._assert(fact, i)
        while self._routed:  # in the order concluded
            at, routed = self._routed.popleft()
            self._assert(routed, at)

    def _fact(self, concept: str, entity: str, value: Any) -> str:
        """The JSON of a fact about an entity, as ``json.dumps`` writes the dict
        ``{"t": "f", "c": concept, "e": entity, "k": kind, "v": value, "l_<kind>": id..., "sid": sid}``,
        but from pieces made once per entity and per concept: a case with 1,000 acts asserts
        some 20,000 facts, and dumping each whole dict was a tenth of its consultation."""
        head = self._heads.get(entity)
        if head is None:
            ent = self.entities[entity]
            links = "".join(f", {_dumps('l_' + k)}: {_dumps(v)}" for k, v in ent.links.items())
            head = self._heads[entity] = (f', "e": {_dumps(entity)}, "k": {_dumps(ent.kind)}, "v": ',
                                          f'{links}, "sid": {_dumps(self._sid)}}}')
        return f'{{"t": "f", "c": {_dumps(concept)}{head[0]}{_dumps(value)}{head[1]}'

    def _assert_entity(self, ent: Entity) -> None:
        # the JSON of each fact written from pieces, as json.dumps writes the dict (see _fact)
        links = "".join(f"{_dumps('l_' + k)}: {_dumps(v)}, " for k, v in ent.links.items())
        self._assert_where(f'{{"t": "ent", "k": {_dumps(ent.kind)}, "e": {_dumps(ent.id)}, {links}"sid": '
                           f'{_dumps(self._sid)}}}', "anchors", ent.kind, ent.id)

    def _assert_answered(self, path: str) -> None:
        self._assert_where(f'{{"t": "answered", "f": {_dumps(path)}, "sid": {_dumps(self._sid)}}}', "answered", path)

    def _run(self) -> None:
        if not self._opened:  # else a spare session, opened already
            for handle in self._program.handles:
                _open(handle, self._sid)
                self._opened.append(handle)
        for ent in self._anchored:
            # facts about an entity no rule is anchored on are still asserted below
            self._assert_entity(ent)
        for path in self.case.answered:
            self._assert_answered(path)
        for concept, entity, value in self._inputs:
            self.values[(concept, entity)] = value
            self._assert_where(self._fact(concept, entity, value), "reads", concept, entity)
        if self.staged:
            self._stages()

    def _stages(self) -> None:
        sid = f'"sid": {_dumps(self._sid)}}}'
        for n in range(1, self.compiled.stages + 1):
            self._assert_where(f'{{"t": "stage", "n": {n}, {sid}', "stages")

    def finish(self) -> bool:
        """Assert the stages into a consultation made without them: it is then the fresh
        consultation of its case (the facts asserted before the stages, however many times it
        grew, conclude what they conclude in any order, since no rule relying on a fact
        lacking fires before its stage). False, and the session deleted, if rules conflict
        (a fresh consultation says which)."""
        assert not self.staged and self._open
        self.staged = True
        try:
            with self._program.lock, paused_gc():
                self._stages()
        except ConsultationError:
            self.close()
            return False
        except BaseException:
            self.close()
            raise
        return True

    def _record(self, name: str, m: dict) -> None:
        """What the rule `name` concludes from the facts it matched (`m`, by pattern name)."""
        action = self.compiled.actions[name]
        entity = m["x"]["e"]
        premises = tuple(Premise(m[p]["c"], m[p]["e"], m[p]["v"]) for p in action.premises)
        if action.period is not None:  # a guard the routing met: the premise its pattern would have matched
            at, concept, of = action.period
            item = entity if of == "this" else m["x"][f"l_{of}"]
            premises = premises[:at] + (Premise(concept, item, self._periods[entity]),) + premises[at:]
        premises += tuple(Premise(concept, desc if desc != "this" else entity, None, absent=True)
                          for concept, desc in action.absent)
        d = Derivation(action.rule, action.concept, entity, action.value, premises, action.burden)
        key = (action.concept, entity)
        if key in self.values and key not in self.derivations:
            raise ConsultationError(f"rule {action.rule} concludes '{action.concept}', which the case file answers")
        proof = (d.rule, key, frozenset(premises))
        if proof in self._proofs:
            return  # one three-valued rule compiles to several; the same proof twice is one
        self._proofs.add(proof)
        # the first derivation is the one explanations show: the pack's first rule (and of
        # its compiled forms, the first), not whichever the engine happened to fire first;
        # one compiled rule's several derivations (one per item of a "some") by the places
        # of their premises' entities in the case, not in the engine's order of firing
        rank = (self.pack.rank(d.rule), int(name[1:]), tuple(self._order.get(p.entity, -1) for p in premises))
        self.fired.append(d)
        for concept, desc in action.absent:  # what must stay absent for this to hold (extended)
            if desc == "this":
                self._lacks.add((concept, entity))
            else:
                self._lacks_any.add(concept)
        if key in self.derivations:
            old = self.values[key]
            if old != action.value:
                first = self.derivations[key][0]
                raise ConsultationError(
                    f"conflicting conclusions on {action.concept} of {entity}: "
                    f"{first.rule} gives {old!r}, {action.rule} gives {action.value!r}")
            ranks = self.ranks[key]
            at = bisect.bisect_right(ranks, rank)
            ranks.insert(at, rank)
            self.derivations[key].insert(at, d)
            return
        self.values[key] = action.value
        self.derivations[key] = [d]
        self.ranks[key] = [rank]
        parts = self._program.route("reads", action.concept, self._periods.get(entity))  # none reads a holding, say
        if parts:
            fact = self._fact(action.concept, entity, action.value)
            self._routed.extend((i, fact) for i in parts)

    # -- growing (engine/extending.py) ------------------------------------------------
    def extended(self, case: Case, spent: list | None = None) -> "Consultation | None":
        """The consultation of `case`, grown from this one's session, which it takes over;
        or None when `case` does not only add to this one's case, or adds a fact some rule
        relied on lacking (:func:`extending.extended` says when and why)."""
        return extending.extended(self, case, spent)

    def _successor(self, case: Case, ents: list[Entity], facts: list[tuple[str, str, Any]]) -> "Consultation":
        """A consultation of `case` that takes over this one's session and run state, with
        copies of its conclusions (this one keeps them, closed)."""
        new = Consultation.__new__(Consultation)
        Conclusions.__init__(new, self.pack, case)
        new.law, new.compiled, new._program, new._sid, new._opened = \
            self.law, self.compiled, self._program, self._sid, self._opened
        new._anchored, new._inputs, new._part = case.entities, (), False
        new._order = {e.id: i for i, e in enumerate(case.entities)}
        new._periods = dict(self._periods, **self.compiled.item_periods(ents, facts, self._periods))
        new.values = dict(self.values)
        new.derivations = {k: list(v) for k, v in self.derivations.items()}
        new.ranks = {k: list(v) for k, v in self.ranks.items()}
        new.fired = list(self.fired)
        new._routed = deque()
        # the run's own state goes with the session: this one keeps its conclusions only
        new._proofs, new._heads, new._lacks, new._lacks_any = self._proofs, self._heads, self._lacks, self._lacks_any
        self._open, self._proofs, self._heads = False, set(), {}
        new._open, new.staged = True, self.staged
        return new

    def close(self) -> None:
        """Free the engine's state for this consultation (megabytes per live session)."""
        if self._open:
            self._open = False
            # what only the run needs: a closed consultation the planner keeps (engine/units.py)
            # would keep it too, for the collector to walk again and again
            self._proofs = set()
            self._heads = {}
            with self._program.lock:
                for handle in self._opened:
                    _core.delete_state(handle, self._sid)
            _trim()

    @property
    def is_open(self) -> bool:
        """Whether this consultation still holds its session (not closed, not grown into another)."""
        return self._open

    def __enter__(self) -> "Consultation":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_closed = itertools.count(1)
_TRIM_EVERY = 1024  # malloc_trim costs milliseconds: freed memory is reused anyway, give it back rarely


def _trim() -> None:
    # glibc keeps freed engine memory in the process until asked to give it back
    if next(_closed) % _TRIM_EVERY:
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass

