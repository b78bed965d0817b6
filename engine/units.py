"""A consultation split by unit, for the interview's planner on cases with many items.

The interview decides the case again after every answer, and durable_rules cannot retract a
fact: a new consultation asserts every fact again (some 20 per act). In a case with many
items of one kind (acts, say), an answer changes one item; this module re-decides only that
item, exactly as the whole case's consultation would decide it.

**Units.** A *root kind* is a kind of entity with no links (a top-level list of the case
file); a *unit* is one entity of that kind with the entities that link to it (an act and its
act-right pairs). Everything else is *outside*. The shortcut applies when the rules in force
allow it (:func:`plan_for`, checked once per program and kind):

- a rule about a unit's entity reads only that unit's facts (``this``, its root by link, the
  items linked to the root) and facts of outside entities whose concepts do not depend, by
  any chain of rules, on facts about units ("untainted");
- a rule about an outside entity reads units' facts only through one condition over their
  kind (``over``: some / every, or any item), never by a link or by name.

**Phases.** (1) The outside entities alone are consulted (cached by their answers): this gives
every untainted outside conclusion, which is what units read. (2) Each unit is consulted
alone, its rules anchored on its entities, with the untainted outside facts it reads asserted
as settled; its conclusions are cached by its answers and those settled facts, so an answer
about one act re-decides that act only. (3) The outside entities are consulted again with the
units' facts the outside rules read, but only for one *representative* of each group of unit
entities that the outside rules cannot tell apart (same kind, same links to outside entities,
same values of every concept those rules read about them); a derivation resting on a
representative's fact stands for one derivation per member of its group, the member's fact
in its place. Stratified negation makes each phase's conclusions those of the whole case:
what a negation reads is final before it is read, whichever entities share the session.

Derivations keep the whole case's order (engine/session.py: by rule, then by the places of
the premises' entities in the case). Where the rules do not allow the split, or a part of it
finds a conflict between rules, the whole case is consulted as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .casefile import Case
from .compiler import Compiled, compile_for
from .errors import ConsultationError
from .model import CASE, Condition, Derivation, Entity, Premise, Rule, RulePack
from .conclusions import Conclusions, Subcase
from .session import Consultation



@dataclass(frozen=True)
class Split:
    """How a program's rules let a case split into units of `root`."""

    root: str
    members: frozenset           # kinds of entities linking to a root entity
    unit_reads: frozenset        # outside concepts the units' rules read
    outside_reads: dict          # unit kind -> the concepts outside rules read of its entities


def _item(r: Rule) -> Condition:
    """The items a some/every rule reads, as a condition (as the compiler reads it)."""
    assert r.fact is not None and r.over is not None
    return Condition(r.fact, None, "this", r.over, "verdict", (), "not_established", None, r.span)


def _conditions(r: Rule) -> list[Condition]:
    conds = [c for c in r.scope + r.terms + r.unless if not c.link]
    if r.form in ("some", "every"):
        conds.append(_item(r))
    return conds


def _kind_of(pack: RulePack, concept: str) -> str | None:
    info = pack.concepts.get(concept)
    return info.about if info is not None else None


def plan_for(live: RulePack, root: str, members: frozenset) -> Split | None:
    """The split of a case into units of `root` (with entities of `members` kinds linking to
    them), or None when some rule in force reads across units in a way the shortcut cannot
    reproduce exactly."""
    unit = members | {root}
    unit_reads: set[str] = set()
    outside_reads: dict[str, set[str]] = {}
    tainting: dict[str, bool] = {}  # outside concept -> some rule concluding it reads units
    for r in live.rules:
        inside = r.about in unit
        over_units = 0
        for c in _conditions(r):
            assert c.fact is not None
            if c.over:
                if c.over in unit:
                    if inside:  # items of this unit: a root reading the entities linking to it
                        if not (r.about == root and c.over in members and c.linked):
                            return None
                    else:
                        over_units += 1
                        outside_reads.setdefault(c.over, set()).add(c.fact)
                elif inside:
                    unit_reads.add(c.fact)
                continue
            if c.of == "this":
                continue
            kind = CASE if c.of == CASE else c.of.split(":", 1)[0]
            if kind in unit:
                if not (inside and ":" not in c.of and r.about in members and kind == root):
                    return None  # a unit read by link or by name from elsewhere
            elif inside:
                unit_reads.add(c.fact)
        if over_units > 1:
            return None  # one derivation would rest on facts of two groups
        if not inside and over_units:
            tainting[r.then] = True
    # an outside concept is tainted when a rule concluding it reads units or a tainted one
    readers: dict[str, list[Rule]] = {}
    for r in live.rules:
        if r.about not in unit:
            readers.setdefault(r.then, []).append(r)
    tainted: dict[str, bool] = {}

    def taint(concept: str) -> bool:
        if concept not in tainted:
            tainted[concept] = False  # the rule graph is acyclic (the compiler checks)
            tainted[concept] = any(tainting.get(r.then) or any(
                c.fact is not None and (c.over in unit or taint(c.fact)) for c in _conditions(r))
                for r in readers.get(concept, ()))
        return tainted[concept]

    if any(taint(c) for c in unit_reads):
        return None
    return Split(root, members, frozenset(unit_reads), {k: frozenset(v) for k, v in outside_reads.items()})


class Units:
    """Consultations split by unit for one pack, with the caches that make an interview's
    step re-decide only what its answer changed. Not thread-safe: the planner holds a lock."""

    MAX_OUTSIDE = 8  # outside consultations kept (an answer taken back finds its own again)

    def __init__(self, pack: RulePack, min_units: int = 32, refill: float = 0.3):
        self.pack = pack
        self.min_units = min_units
        # above this share of units changed, the whole case is consulted and fills the cache:
        # a unit's own session costs about three times its share of the whole consultation
        self.refill = refill
        self._splits: dict[tuple, Split | None] = {}
        self._outside: dict[tuple, dict] = {}     # outside key -> untainted values units read
        self._units: dict[str, tuple[tuple, dict, dict]] = {}  # root id -> (key, values, derivations)
        self._copies: dict[tuple, list] = {}  # a representative's derivation copied for its group, last case
        self._sigs: dict[str, tuple] = {}  # root id -> (its key, split, what the outside reads of it)
        self._last_aggregate: tuple | None = None  # phase 3's key and conclusions, last case
        self.last_path = ""  # "units" or "whole": which way the last case was decided
        self.last_runs = 0   # the consultations (of parts) it took
        self.whole = self._fresh  # how the whole case is consulted (the planner grows an open one)

    def consult(self, case: Case) -> Conclusions:
        """The conclusions of the whole case's consultation, by units where that is exact."""
        got = None
        self.last_runs = 0
        self.last_path = "units"
        try:
            got = self._by_units(case)
        except ConsultationError:
            got = None  # the whole case's consultation says which rules conflict
        if got is not None:
            return got
        self.last_path = "whole"
        self.last_runs += 1
        return self.whole(case)

    def _fresh(self, case: Case) -> Conclusions:
        with Consultation(self.pack, case) as cons:
            return cons

    # -- splitting ---------------------------------------------------------------------
    def _split(self, compiled: Compiled, live: RulePack, case: Case) -> tuple[Split, dict[str, str]] | None:
        counts: dict[str, int] = {}
        for e in case.entities:
            if not e.links and e.kind != CASE:
                counts[e.kind] = counts.get(e.kind, 0) + 1
        for root, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            if n < self.min_units:
                break
            owner: dict[str, str] = {}  # entity id -> the root entity of its unit
            members: set[str] = set()
            ok = True
            for e in case.entities:
                if e.kind == root:
                    owner[e.id] = e.id
                    continue
                roots = [v for v in e.links.values() if v.split(":", 1)[0] == root]
                if len(roots) > 1:
                    ok = False
                    break
                if roots:
                    owner[e.id] = roots[0]
                    members.add(e.kind)
            # nothing may link to a member: it would belong to the unit too
            if not ok or any(v in owner and owner[v] != v for e in case.entities for v in e.links.values()):
                continue
            key = (compiled.name, root, frozenset(members))
            if key not in self._splits:
                self._splits[key] = plan_for(live, root, frozenset(members))
            split = self._splits[key]
            if split is not None:
                return split, owner
        return None

    def _by_units(self, case: Case) -> Conclusions | None:
        if len(case.entities) < self.min_units:
            return None  # too few entities of any kind: nothing to gain
        compiled = compile_for(self.pack, case.law)
        live = self.pack.as_of(case.law)
        found = self._split(compiled, live, case)
        if found is None:
            return None
        split, owner = found
        order = {e.id: i for i, e in enumerate(case.entities)}
        ents = {e.id: e for e in case.entities}
        outside = tuple(e for e in case.entities if e.id not in owner)
        out_facts: list[tuple[str, str, Any]] = []
        unit_facts: dict[str, list[tuple[str, str, Any]]] = {}
        for f in case.facts:
            root = owner.get(f.entity)
            if root is None:
                out_facts.append((f.concept, f.entity, f.value))
            else:
                unit_facts.setdefault(root, []).append((f.concept, f.entity, f.value))
        reads_answered = [p for p in case.answered if any(p in part.answered for part in compiled.parts)]
        out_key = (compiled.name, tuple((e.id, tuple(e.links.items())) for e in outside), tuple(out_facts),
                   tuple(reads_answered))
        settled = self._outside.get(out_key)
        if settled is None:  # phase 1: what the units read of the outside
            self.last_runs += 1
            known = {e.id: e for e in outside}
            with Consultation(self.pack, case, Subcase(outside, tuple(out_facts), known, order)) as first:
                settled = {k: v for k, v in first.values.items() if k[0] in split.unit_reads}
            self._outside[out_key] = settled
            while len(self._outside) > self.MAX_OUTSIDE:
                del self._outside[next(iter(self._outside))]
        given = tuple((c, e, v) for (c, e), v in settled.items())
        given_key = (compiled.name, given, tuple(reads_answered))
        members_of: dict[str, list[Entity]] = {}
        for e in case.entities:
            if e.id in owner:
                members_of.setdefault(owner[e.id], []).append(e)
        keys = {root_id: (given_key, tuple((e.id, tuple(e.links.items())) for e in unit),
                          tuple(unit_facts.get(root_id, ())))
                for root_id, unit in members_of.items()}
        for gone in set(self._units) - set(keys):
            del self._units[gone]
            self._sigs.pop(gone, None)
        stale = []
        for r, key in keys.items():
            hit = self._units.get(r)
            if hit is None or hit[0] != key:
                stale.append(r)
            else:  # the same key object as before: the relevance walk compares it (engine/walks.py)
                keys[r] = hit[0]
        if len(stale) > self.refill * len(keys):
            whole = self._refill(case, members_of, keys)
            whole.unit_of = {e: (r, keys[r]) for e, r in owner.items()}
            return whole
        result = Conclusions(self.pack, case)
        result.unit_of = {e: (r, keys[r]) for e, r in owner.items()}
        known_out = {e.id: e for e in outside}
        for root_id in stale:  # phase 2: each unit changed, alone
            self.last_runs += 1
            unit = members_of[root_id]
            known = dict(known_out)
            known.update((e.id, e) for e in unit)
            with Consultation(self.pack, case, Subcase(tuple(unit), keys[root_id][2] + given, known, order)) as one:
                self._keep(one, root_id, {e.id for e in unit}, keys[root_id])
        for root_id in keys:
            hit = self._units[root_id]
            result.values.update(hit[1])
            result.derivations.update(hit[2])
        self._aggregate(case, split, outside, out_facts, members_of, ents, order, result)
        return result

    def _keep(self, cons: Conclusions, root_id: str, mine: set, key: tuple) -> None:
        """Cache a unit's conclusions (those about its own entities) under its key."""
        self._units[root_id] = (key, {k: v for k, v in cons.values.items() if k[1] in mine},
                                {k: v for k, v in cons.derivations.items() if k[1] in mine})

    def _refill(self, case: Case, members_of: dict[str, list[Entity]], keys: dict[str, tuple]) -> Conclusions:
        """Most units changed (a case seen for the first time): the whole case's consultation
        costs less than a session per unit, and its conclusions about each unit are the unit's
        own (what the split rests on), so they fill the cache for the next answers."""
        self.last_runs += 1
        self.last_path = "whole"
        with Consultation(self.pack, case) as whole:
            owner = {e.id: root_id for root_id, unit in members_of.items() for e in unit}
            values: dict[str, dict] = {r: {} for r in keys}
            derivations: dict[str, dict] = {r: {} for r in keys}
            for k, v in whole.values.items():
                if k[1] in owner:
                    values[owner[k[1]]][k] = v
            for k, ds in whole.derivations.items():
                if k[1] in owner:
                    derivations[owner[k[1]]][k] = ds
            for root_id, key in keys.items():
                self._units[root_id] = (key, values[root_id], derivations[root_id])
            return whole

    def _aggregate(self, case: Case, split: Split, outside: tuple[Entity, ...], out_facts: list,
                   members_of: dict[str, list[Entity]], ents: dict[str, Entity], order: dict[str, int],
                   result: Conclusions) -> None:
        """Phase 3: the outside entities with one representative of each group of unit
        entities the outside rules cannot tell apart; its derivations, one per member. The
        same outside, the same groups with the same members at the same places: the same
        conclusions about the outside as the last case's (an answer about one act that leaves
        it in its group)."""
        groups: dict[tuple, list[Entity]] = {}
        for root_id, unit in members_of.items():
            for sig, e in self._signatures(split, root_id, unit, members_of, result.values):
                groups.setdefault(sig, []).append(e)
        same = (tuple(order[e.id] for e in outside), tuple(out_facts), case.law, tuple(case.answered),
                tuple((sig, tuple(group[0].links.items()), tuple((e.id, order[e.id]) for e in group))
                      for sig, group in groups.items()))
        kept = self._last_aggregate
        if kept is not None and kept[0] == same and kept[1] == outside:
            result.derivations.update(kept[2])
            result.values.update(kept[3])
            return
        rep_of: dict[str, list[Entity]] = {}
        facts = list(out_facts)
        known = {e.id: e for e in outside}
        for group in groups.values():
            rep = group[0]
            rep_of[rep.id] = group
            known[rep.id] = rep
            for c in sorted(split.outside_reads[rep.kind]):
                v = result.values.get((c, rep.id), _ABSENT)
                if v is not _ABSENT:
                    facts.append((c, rep.id, v))
        self.last_runs += 1
        copied: dict[tuple, list] = {}
        with Consultation(self.pack, case, Subcase(outside, tuple(facts), known, order)) as last:
            mine = {e.id for e in outside}
            for key, derivs in last.derivations.items():
                if key[1] not in mine:
                    continue
                ranked: list[tuple[tuple, Derivation]] = []
                for d, rank in zip(derivs, last.ranks[key]):
                    at = [i for i, p in enumerate(d.premises) if p.entity in rep_of]
                    if not at:
                        ranked.append((rank, d))
                        continue
                    (i,) = at  # one condition over units per rule (plan_for)
                    group = rep_of[d.premises[i].entity]
                    places = tuple(order.get(x.entity, -1) for x in d.premises)
                    copies = (d, rank, i, places, tuple((m.id, order[m.id]) for m in group))
                    made = self._copies.get(copies)  # as made for the last case, if its group is the same
                    if made is None:
                        made = _copies(d, rank, i, places, copies[4])
                    copied[copies] = made
                    ranked += made
                ranked.sort(key=lambda x: x[0])
                result.derivations[key] = [d for _r, d in ranked]
            result.values.update((k, v) for k, v in last.values.items() if k[1] in mine)
            self._last_aggregate = (same, outside, {k: result.derivations[k] for k in last.derivations if k[1] in mine},
                                    {k: v for k, v in last.values.items() if k[1] in mine})
        self._copies = copied

    def _signatures(self, split: Split, root_id: str, unit: list[Entity], members_of: dict,
                    values: dict) -> list[tuple[tuple, Entity]]:
        """What the outside rules read of each entity of a unit (its kind, its links but to
        its root, its values of the facts they read), kept with the unit's conclusions."""
        hit = self._sigs.get(root_id)
        key = self._units[root_id][0]
        if hit is not None and hit[0] is key and hit[1] is split:
            return hit[2]
        sigs = []
        for e in unit:
            reads = split.outside_reads.get(e.kind)
            if not reads:
                continue
            links = tuple((k, v) for k, v in e.links.items() if v not in members_of)  # not its root
            sigs.append(((e.kind, links) + tuple(values.get((c, e.id), _ABSENT) for c in sorted(reads)), e))
        self._sigs[root_id] = (key, split, sigs)
        return sigs


_ABSENT = object()


def _copies(d: Derivation, rank: tuple, i: int, places: tuple, members: tuple) -> list[tuple[tuple, Derivation]]:
    """A derivation resting on a representative's fact (premise `i`), once per member of its
    group (id, place in the case), each with its sort key."""
    p = d.premises[i]
    head, tail = d.premises[:i], d.premises[i + 1:]
    return [(rank[:2] + (places[:i] + (place,) + places[i + 1:],),
             Derivation(d.rule, d.concept, d.entity, d.value, head + (Premise(p.concept, m, p.value, p.absent),) + tail,
                        d.burden))
            for m, place in members]

