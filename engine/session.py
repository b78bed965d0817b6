"""A consultation: one case, decided by durable_rules, with a justification for everything.

This is the only module that imports durable_rules. Traps it works around (measured in
the project's notes on the engine):

- the stock Host starts timer threads that walk all sessions (and crash with many): we
  subclass it with a no-op ``_run``;
- exceptions raised inside actions are swallowed: our one action catches everything,
  keeps it, and we raise it after the engine call returns;
- asserting a fact twice raises, and facts are identified by a 32-bit hash: we keep our
  own registry of facts and never re-assert one; a second rule deriving the same
  conclusion adds a derivation in our registry instead;
- a fact asserted from inside an action can cancel other rules' pending activations: two
  burdens with the same anchor, answers and stage, where the first to fire concluded the
  fact its own negation reads, silently took the second's activation with it. Actions
  therefore only record; their conclusions are queued and asserted once the engine call
  that fired them has returned, into every ruleset ("part") whose rules read them;
- a fact no rule reads raises MessageNotHandledException: harmless, caught;
- no truth maintenance: a consultation is built from the case file, decided, and deleted.
  Changing an answer means building a new one;
- ``assert_facts`` (one call for a batch) was tried for speed: on these rulesets it
  derived wrong aggregates and once crashed the C core, so facts go in one at a time;
- compiling a ruleset in the C core (``create_ruleset``) cost about half of a consultation
  when every consultation had a host of its own, so each compiled ruleset gets one private
  host (never the decorator DSL's global one) and every consultation its own session on it;
  :meth:`Consultation.close` deletes that session's state;
- deleting a session in which no rule fired aborts the C core (seen with an empty case
  file), and one left undeleted keeps megabytes for ever: every ruleset therefore has a
  bookkeeping rule (:data:`compiler.OPEN`) that fires on the fact opening each session, so
  every session can be, and is, deleted when the consultation closes (which also keeps
  each ruleset far from its cap of 1024 live sessions).
"""
from __future__ import annotations

import bisect
import ctypes
import itertools
from collections import deque
from typing import Any

import durable_rules_engine as _core
from durable import engine as _durable

from .casefile import Case
from .compiler import OPEN, Compiled, compile_for
from .errors import ConsultationError
from .model import Derivation, Entity, Premise, RulePack

_sids = itertools.count(1)


class _Host(_durable.Host):
    """A host for one compiled program (its rulesets), without timer threads; each action
    is routed to the consultation whose session fired it."""

    def __init__(self, compiled: Compiled):
        self.live: dict[str, "Consultation"] = {}
        super().__init__()
        self.register_rulesets({p.name: _copy(p.definition) for p in compiled.parts})

    def _run(self):  # no timers: nothing here is time-based
        pass

    def get_action(self, action_name):
        if action_name == OPEN:
            return lambda c: None  # bookkeeping: the session has fired, so it can be deleted
        return lambda c: self.live[c.s.sid]._act(action_name, c)


_hosts: dict[str, _Host] = {}


def _host_for(compiled: Compiled) -> _Host:
    host = _hosts.get(compiled.name)
    if host is None:
        host = _hosts[compiled.name] = _Host(compiled)
    return host


class Consultation:
    """Decide one case. Use as a context manager, or call :meth:`close`."""

    def __init__(self, pack: RulePack, case: Case):
        self.pack = pack
        self.case = case
        self.compiled: Compiled = compile_for(pack, case.decided_on)
        self.entities: dict[str, Entity] = {e.id: e for e in case.entities}
        self._by_kind: dict[str, list[Entity]] = {}
        for e in self.entities.values():
            self._by_kind.setdefault(e.kind, []).append(e)
        self._links: dict[str, dict[tuple[str, str], list[Entity]]] = {}
        self.values: dict[tuple[str, str], Any] = {}
        self.derivations: dict[tuple[str, str], list[Derivation]] = {}
        self.fired: list[Derivation] = []  # in order of firing
        self._errors: list[BaseException] = []
        self._routed: deque[tuple[int, dict]] = deque()  # (part, conclusion) to assert after the engine call
        self._opened: list[str] = []  # the rulesets holding a session of this consultation
        self._proofs: set[tuple] = set()  # (rule, conclusion, premises) already recorded
        self._ranks: dict[tuple[str, str], list[tuple[int, int]]] = {}  # sort keys of derivations
        self._host = _host_for(self.compiled)
        self._sid = str(next(_sids))
        self._host.live[self._sid] = self
        self._open = True
        try:
            self._run()
        except BaseException:
            self.close()
            raise

    # -- the engine side -------------------------------------------------------------
    def _assert(self, fact: dict, part: int) -> None:
        fact = dict(fact, sid=self._sid)
        try:
            self._host.assert_fact(self.compiled.parts[part].name, fact)
        except _durable.MessageNotHandledException:
            pass  # no rule reads this fact: nothing follows from it
        if self._errors:
            error, self._errors = self._errors[0], []
            raise error

    def _assert_where(self, fact: dict, wanted) -> None:
        """Assert `fact` into every part whose rules read it, then what follows in the others."""
        for i, part in enumerate(self.compiled.parts):
            if wanted(part):
                self._assert(fact, i)
        while self._routed:  # in the order concluded
            part, fact = self._routed.popleft()
            self._assert(fact, part)

    def _fact(self, concept: str, entity: str, value: Any) -> dict:
        ent = self.entities[entity]
        fact = {"t": "f", "c": concept, "e": entity, "k": ent.kind, "v": value}
        fact.update({f"l_{k}": v for k, v in ent.links.items()})
        return fact

    def _run(self) -> None:
        for i, part in enumerate(self.compiled.parts):
            self._assert({"t": OPEN}, i)
            self._opened.append(part.name)
        for ent in self.entities.values():
            # facts about an entity no rule is anchored on are still asserted below
            self._assert_where({"t": "ent", "k": ent.kind, "e": ent.id, **{f"l_{k}": v for k, v in ent.links.items()}},
                               lambda p: ent.kind in p.anchors)
        for path in self.case.answered:
            self._assert_where({"t": "answered", "f": path}, lambda p: path in p.answered)
        for f in self.case.facts:
            self.values[(f.concept, f.entity)] = f.value
            self._assert_where(self._fact(f.concept, f.entity, f.value), lambda p: f.concept in p.reads)
        for n in range(1, self.compiled.stages + 1):
            self._assert_where({"t": "stage", "n": n}, lambda p: p.stages)

    def _act(self, name: str, c) -> None:
        try:
            self._record(name, c)
        except BaseException as exc:  # durable_rules would swallow it; keep it for _assert
            self._errors.append(exc)

    def _record(self, name: str, c) -> None:
        action = self.compiled.actions[name]
        entity = c._m["x"]["e"]
        premises = tuple(Premise(c._m[p]["c"], c._m[p]["e"], c._m[p]["v"]) for p in action.premises)
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
        # its compiled forms, the first), not whichever the engine happened to fire first
        rank = (self.pack.rank(d.rule), int(name[1:]))
        self.fired.append(d)
        if key in self.derivations:
            old = self.values[key]
            if old != action.value:
                first = self.derivations[key][0]
                raise ConsultationError(
                    f"conflicting conclusions on {action.concept} of {entity}: "
                    f"{first.rule} gives {old!r}, {action.rule} gives {action.value!r}")
            ranks = self._ranks[key]
            at = bisect.bisect_right(ranks, rank)
            ranks.insert(at, rank)
            self.derivations[key].insert(at, d)
            return
        self.values[key] = action.value
        self.derivations[key] = [d]
        self._ranks[key] = [rank]
        fact = None
        for i, part in enumerate(self.compiled.parts):
            if action.concept in part.reads:  # else no rule there reads it (e.g. a holding)
                fact = fact or self._fact(action.concept, entity, action.value)
                self._routed.append((i, fact))

    # -- results ------------------------------------------------------------------------
    def value(self, concept: str, entity: str = "case", default: Any = None) -> Any:
        return self.values.get((concept, entity), default)

    def why(self, concept: str, entity: str = "case") -> list[Derivation]:
        return self.derivations.get((concept, entity), [])

    def of_kind(self, kind: str) -> list[Entity]:
        return list(self._by_kind.get(kind, ()))

    def linked_to(self, kind: str, target: Entity, link: str | None = None) -> list[Entity]:
        """The entities of `kind` linked to `target` (by their link named `link`, by default
        the target's kind)."""
        index = self._links.get(kind)
        if index is None:  # built once per kind asked: a case with many acts stays linear
            index = self._links[kind] = {}
            for e in self._by_kind.get(kind, ()):
                for k, v in e.links.items():
                    index.setdefault((k, v), []).append(e)
        return list(index.get((link or target.kind, target.id), ()))

    def close(self) -> None:
        """Free the engine's state for this consultation (megabytes per live session)."""
        if self._open:
            self._open = False
            host, self._host = self._host, None
            host.live.pop(self._sid, None)
            for name in self._opened:
                host.delete_state(name, self._sid)
            _trim()

    def __enter__(self) -> "Consultation":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _copy(definition: dict) -> dict:
    # register_rulesets pops "run" from the dict it is given
    return {name: dict(rule) for name, rule in definition.items()}


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
