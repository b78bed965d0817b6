"""Relevance: which open slots of a case file can still change a goal of the decision.

Over one finished consultation, the analysis walks the rule graph down from each goal,
entity by entity (see engine/planner.py for the rules of the walk): a conclusion derived from
final facts without negation is final; a rule whose scope reads a final fact that does not
satisfy it cannot fire; otherwise every fact a rule reads is visited, and an unanswered answer
field is a candidate. Why a slot matters or is moot, read off an analysis:
engine/relevance_reasons.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from .model import CASE, NOT_ESTABLISHED, VERDICT, Condition, Rule
from .remedies import claim_made
from .conclusions import Conclusions
from .slots import ITEMS, VALUE, Slot
from .walks import CHANGING, UnitWalker, Walks

if TYPE_CHECKING:  # the planner imports this module
    from .planner import Planner


_EMPTY: frozenset = frozenset()


def _ignored(*_args: Any) -> None:
    """The reads of a walk not kept for the next plan."""


class Analysis:
    """Reachability of open slots from the goals, over one finished consultation."""

    def __init__(self, planner: Planner, cons: Conclusions, data: dict, closed, skipped,
                 walks: Walks | None = None):
        self.p = planner
        self.c = cons
        self.data = data
        self.memo: dict[tuple, frozenset] = {}
        self.walking: set[tuple] = set()        # nodes being walked (their memo holds a guard)
        askable_of: dict[str, list] = {}
        slots = self.slots = planner.slots(data)
        self.askable: dict[str, Slot] = {}
        self.value_slot: dict[tuple, Slot] = {}
        self.by_qid: dict[str, list[Slot]] = {}
        self.answered_q: set[str] = set()
        split = walks is not None and cons.unit_of
        for s in slots:
            if s.answered:
                self.answered_q.add(s.qid)
                if s.kind != ITEMS:
                    continue  # not open
            where = s.where
            if (not s.answered or where not in closed) and where not in skipped:
                self.askable[where] = s
                self.by_qid.setdefault(s.qid, []).append(s)
                if s.kind == VALUE:
                    self.value_slot[s.fact_key] = s
                    if split and s.entity in cons.unit_of:
                        askable_of.setdefault(cons.unit_of[s.entity][0], []).append(s)
        # the walk of each unit kept from the last plan (a case split by units: engine/walks.py)
        self.walker = UnitWalker(self, walks, {u: tuple(x) for u, x in askable_of.items()}) \
            if walks is not None and split else None
        self._read = self.walker.read if self.walker is not None else _ignored
        self._sources_memo: dict[str, frozenset] = {}
        self._new_memo: dict[tuple, bool] = {}

    @property
    def reused(self) -> int:
        """The units whose walk of the last plan still held."""
        return self.walker.reused if self.walker is not None else 0

    # which open slots could add entities of `kind` (linked to `owner`, if given)
    def sources(self, kind: str) -> frozenset:
        if kind in self._sources_memo:
            return self._sources_memo[kind]
        self._sources_memo[kind] = _EMPTY
        out: set[str] = set()
        for qid, owner_kind in self.p.kind_sources.get(kind, []):
            out |= {s.where for s in self.by_qid.get(qid, [])}
            if owner_kind is not None:
                out |= self.sources(owner_kind)  # a new owner item may bring new ones
        res = frozenset(out)
        self._sources_memo[kind] = res
        return res

    # -- conditions ----------------------------------------------------------------------
    def targets(self, c: Condition, anchor) -> tuple[list[str], str | None]:
        """Entities a condition reads from `anchor`, and the kind whose new entities could
        add targets (for `over`, or a named entity that does not exist yet)."""
        ents = self.c.entities
        if c.over:  # the consultation's indexes: a scan of every entity here made big cases quadratic
            if anchor.kind == CASE or not getattr(c, "linked", True):
                found = [e.id for e in self.c.of_kind(c.over)]
                self._read("of_kind", c.over, tuple(found))
            else:
                found = [e.id for e in self.c.linked_to(c.over, anchor)]
            return found, c.over
        if c.of == "this":
            return [anchor.id], None
        if c.of == CASE:
            return [CASE], None
        if ":" in c.of:
            self._read("named", c.of, c.of in ents)
            return ([c.of] if c.of in ents else []), (None if c.of in ents else c.of.split(":", 1)[0])
        linked = anchor.links.get(c.of)
        return ([linked] if linked else []), None

    def _blocks(self, c: Condition, anchor) -> bool:
        """True when `c` can never be established (for `anchor`) whatever is still asked."""
        if c.link:
            return anchor.links.get(c.link) != f"{c.link}:{c.values[0]}"
        assert c.fact is not None  # a condition that is not a link reads a fact
        targets, new_kind = self.targets(c, anchor)
        if new_kind and self._sources(new_kind) and self._could(c.fact, new_kind, _wanted(c)):
            return False
        for t in targets:
            if self.reach(c.fact, t):
                return False
            value = self.c.value(c.fact, t)
            if self.walker is not None:
                self._read("value", (c.fact, t), value, self.walker.unit(t))
            if c.holds(value):
                return False
        return True

    def _new_could(self, fact: str, kind: str, wanted: tuple | None = None) -> bool:
        """Could `fact` take one of the `wanted` values (None: any) for an entity of `kind`
        not in the case yet? An answer field could; a conclusion only if a rule (or burden)
        drawing such a value is not already blocked by final facts of the case (a conclusion about
        a new entity that needs a holding already decided against it)."""
        key = (fact, kind, wanted)
        if key not in self._new_memo:
            info = self.p.pack.concepts.get(fact)
            phantom = Phantom(kind)
            self._new_memo[key] = True  # guards re-entry; the rule graph is acyclic

            def draws(r: Rule) -> bool:
                if wanted is None:
                    return True
                return r.value in wanted if r.form == "sufficient" else bool(set(wanted) & _VERDICTS)

            self._new_memo[key] = (info is None or not info.derived
                                   or any(b.fact == fact and b.about == kind for b in self.p.burdens)
                                   or any(r.about == kind and draws(r) and not self._blocked_case_only(r, phantom)
                                          for r in self.p.rules_by_then.get(fact, ())))
        return self._new_memo[key]

    def blocked(self, r: Rule, anchor) -> Condition | None:
        for c in self.p.gating[r.id]:
            if self._blocks(c, anchor):
                return c
        return None

    def children(self, concept: str, entity: str) -> Iterator[tuple[str, str, Any]]:
        """What a derived fact rests on: (rule id, "node"|"slots", (concept, entity) | slots)."""
        ent = self.c.entities.get(entity)
        if ent is None:
            return
        for r in self.p.rules_by_then.get(concept, []):
            if r.about != ent.kind or self.blocked(r, ent):
                continue
            for c in self.p.reading[r.id]:
                targets, new_kind = self.targets(c, ent)
                for t in targets:
                    yield r.id, "node", (c.fact, t)
                if new_kind:
                    src = self._sources(new_kind)
                    if src:
                        yield r.id, "slots", src
        for b in self.p.burdens:
            if b.fact != concept or b.about != ent.kind or (b.only and ent.name not in b.only):
                continue
            for path in b.after:
                src = self._waits_for(path)
                if src:
                    yield b.id, "slots", src

    def reach(self, concept: str, entity: str) -> frozenset:
        """The open slots whose answers could change `concept` of `entity` (empty: final)."""
        key = (concept, entity)
        walker = self.walker
        if walker is None:
            return self.memo[key] if key in self.memo else self._reach(key)
        unit = None
        held = self.c.unit_of.get(entity)
        if held is not None:
            unit = held[0]
            if unit not in walker.units:
                walker.enter(unit, held[1])  # the unit's walk of the last plan, if it still holds
        if key in self.memo:  # a node still being walked (re-entry) is read as changing
            res = self.memo[key]
            walker.read("reach", key, CHANGING if key in self.walking else res, unit)
            return res
        walker.frames.append(unit)
        self.walking.add(key)
        try:
            res = self._reach(key)
        finally:
            walker.frames.pop()
            self.walking.discard(key)
        if unit is not None:
            walker.units[unit].walked(key)
        walker.read("reach", key, res, unit)
        return res

    def _reach(self, key: tuple) -> frozenset:
        concept, entity = key
        self.memo[key] = _EMPTY  # the rule graph is acyclic; this only guards re-entry
        info = self.p.pack.concepts.get(concept)
        if info is None or not info.derived:
            s = self.value_slot.get(key)
            res = frozenset((s.where,)) if s else _EMPTY
        else:
            res = _EMPTY
            derivs = self.c.why(concept, entity)
            if derivs and not any(p.absent for p in derivs[0].premises) and \
                    not any(self.reach(p.concept, p.entity) for p in derivs[0].premises):
                res = _EMPTY  # derived from final facts, with no negation: final
            else:
                out: set[str] = set()
                for _rule, what, x in self.children(concept, entity):
                    out |= self.reach(*x) if what == "node" else x
                res = frozenset(out)
        self.memo[key] = res
        return res

    # -- reads that a unit's kept walk rests on (engine/walks.py) -------------------------
    def _sources(self, kind: str) -> frozenset:
        res = self.sources(kind)
        self._read("sources", kind, res)
        return res

    def _could(self, fact: str, kind: str, wanted: tuple | None) -> bool:
        res = self._new_could(fact, kind, wanted)
        self._read("could", (fact, kind, wanted), res)
        return res

    def _waits_for(self, path: str) -> frozenset:
        """The open slots a burden waiting for `path` makes candidates (none once answered)."""
        res = _EMPTY if path in self.answered_q else frozenset(s.where for s in self.by_qid.get(path, []))
        self._read("waits", path, res)
        return res

    def read_again(self, what: str, arg: Any) -> Any:
        """A read of a unit's kept walk, made now."""
        if what == "reach":
            return self.reach(*arg)
        if what == "value":
            return self.c.value(*arg)
        if what == "sources":
            return self.sources(arg)
        if what == "could":
            return self._new_could(*arg)
        if what == "waits":
            return _EMPTY if arg in self.answered_q else frozenset(s.where for s in self.by_qid.get(arg, []))
        if what == "of_kind":
            return tuple(e.id for e in self.c.of_kind(arg))
        return arg in self.c.entities  # named

    def keep_walks(self) -> None:
        """Keep each unit's walk for the next plan."""
        if self.walker is not None:
            self.walker.keep()

    # -- goals ---------------------------------------------------------------------------
    def goal_reach(self, key: str, concept: str | None) -> frozenset:
        if concept is None:  # an amount the judgment states: its fields, once its order holds
            fact, is_, fields = self.p.amounts[key]
            if fact is not None and self.c.value(fact, CASE) != is_:
                return _EMPTY
            when = self.p.amount_claims.get(key, {})
            return frozenset(s.where for f in fields if claim_made(when, self.data, f)
                             for s in self.by_qid.get(f, ()) if s.kind == VALUE)
        if key in self.p.scales:  # the range of an amount, once the order it sizes holds
            fact, is_, _concept = self.p.scales[key]
            if self.c.value(fact, CASE) != is_:
                return _EMPTY
        if key in self.p.entity_lists:  # a holding listing entities: each entity of its kind
            kind = self.p.entity_lists[key]
            out: set[str] = set()
            for e in self.c.entities.values():
                if e.kind == kind:
                    out |= self.reach(concept, e.id)
            # rights not claimed yet: could any rule conclude this about a new one?
            phantom = Phantom(kind)
            if any(not self._blocked_case_only(r, phantom) for r in self.p.rules_by_then.get(concept, [])):
                out |= self.sources(kind)
            return frozenset(out)
        return self.reach(concept, CASE)

    def _blocked_case_only(self, r: Rule, anchor) -> bool:
        """For a phantom entity: a condition on the case that cannot be established, or one
        on the new entity itself that requires a conclusion nothing could draw about it."""
        for c in r.scope + (r.terms if r.form == "sufficient" else ()):
            if c.link:
                continue
            if c.of == CASE and self._blocks(c, anchor):
                return True
            info = self.p.pack.concepts.get(c.fact) if c.fact else None
            if c.fact and c.of == "this" and not c.over and info is not None and info.derived \
                    and c.op in ("is", "in") and NOT_ESTABLISHED not in c.values \
                    and not self._new_could(c.fact, anchor.kind, _wanted(c)):
                return True
        return False

    def candidates(self, issues) -> tuple[list[bool], list[Slot], dict[str, int]]:
        """Which issues are open, the slots that could change one, and the first issue each
        could change (by the slot's text path)."""
        issue_of: dict[str, int] = {}
        open_issues = []
        self.goal_sets = []
        for i, (key, concept) in enumerate(issues):
            reach = self.goal_reach(key, concept)
            self.goal_sets.append(reach)
            open_issues.append(bool(reach))
            for w in reach:
                if w not in issue_of:
                    issue_of[w] = i
        return open_issues, [self.askable[w] for w in issue_of], issue_of


_VERDICTS = frozenset(VERDICT)


def _wanted(c: Condition) -> tuple | None:
    """The values that satisfy a condition, where it names them (None: any may)."""
    return tuple(c.values) if c.op in ("is", "in") and c.values else None


@dataclass(frozen=True)
class Phantom:
    """A not-yet-existing entity of `kind`, to ask whether rules could conclude about one."""

    kind: str
    id: str = "<new>"
    name: str = "<new>"
    links: dict = field(default_factory=dict, hash=False, compare=False)
