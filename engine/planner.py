"""The interview's planner: which question to ask next, and why; which were not asked, and why.

Generic: it reads the rule graph of the pack, the case format and ``questions.yaml``; it
knows no field of any jurisdiction.

**Slots.** A question is asked to fill one *slot* of the case file: an unanswered answer
field of the case or of one list item (``creation.prompt``, ``evidence[0].kind``), a list of
vocabulary values that makes entities (``claims.rights``, ``evidence[0].proves``), or a list
of items (``evidence``, ``acts``, ``defenses``). A list of items is a sub-dialogue: its slot
asks "is there an item?" (or "another item?" once it has some); a yes adds an item, whose own
fields become slots. The list stays open until the user says there are no (more) items;
which lists are closed is interview state, kept beside the answers (see cli/interview.py).

**Relevance.** A slot is asked only if its answer can still change the outcome: the
decision's holdings (``pack.yaml``'s ``decision.holdings``, ``rights_infringed`` and the
disposition). The planner builds the consultation for the answers so far and walks the rule
graph down from every goal, entity by entity:

- a conclusion already derived, by a rule whose premises are all final and without any
  "no such fact" premise (a burden of proof, a ``some``/``every`` closing over entities), is
  final: nothing below it is asked (it cannot change: there is no retraction);
- a rule whose scope (or, for a sufficient rule, any condition) reads a final fact that does
  not satisfy it cannot fire: nothing is asked for it;
- otherwise every fact the rule reads is visited: an unanswered answer field is a candidate;
  a condition over entities of some kind (``over: proof``) also makes candidates of the
  lists that could add such entities (the evidence list, an item's ``proves``);
- a burden of proof that waits for fields (``after:``) makes those fields candidates.

This over-approximates "can change the outcome" only where the outcome itself is still
open or provisional (resting on a negation that more answers could undo); it never asks for
a field below a final conclusion. Questions the user skips ("don't know") are not asked
again; the fields stay unanswered ("not known yet"), exactly as a case file that lacks them.

**Order.** Issues in the order of the decision's holdings (is it a work, who is the author,
was it infringed, ...): a question serves the first issue it can change. Within an issue,
an item already started is finished first (its sub-dialogue stays together), then answers
that some rule's scope reads (gates: "was it generated with AI?" decides which branches of
the rules matter at all), then the
sections in ``questions.yaml`` order (parties, subject, creation, evidence, acts, defences,
claims), list items in order, and the questions in the order that file lists them (the
most decisive of a section first). When an issue is decided its remaining questions vanish,
so a case that fails on the first issue never hears of the later ones.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .casefile import build_case
from .loader import load_questions
from .model import CASE, UNKNOWN, Condition, Rule, RulePack
from .session import Consultation
from .yamlsrc import Located

ITEMS, MULTI, VALUE = "items", "multi", "value"


@dataclass(frozen=True)
class Slot:
    """One place in the case file a question fills."""

    qid: str                  # stable question id: the field's path without list indexes
    kind: str                 # value | multi | items
    path: tuple               # concrete path in the case data, e.g. ("evidence", 0, "kind")
    entity: str               # the entity the answer is about ("case", "evidence:E1")
    node: dict = field(compare=False, hash=False, repr=False)
    answered: bool = False

    @property
    def where(self) -> str:
        """The case-file path as text: evidence[0].kind."""
        out = ""
        for p in self.path:
            out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
        return out

    @property
    def concept(self) -> str:
        return self.qid


@dataclass(frozen=True)
class Step:
    """One link of a why-chain: a rule (or burden) that reads a fact to conclude another."""

    rule: str                 # rule or burden id
    concept: str              # what the rule concludes
    entity: str


@dataclass
class Plan:
    question: Slot | None                     # the next question (None: stop)
    issue: int | None                         # index into `issues` of the issue it serves
    issues: list[tuple[str, str]]             # (holding key, concept) in order
    open_issues: list[bool]                   # which issues can still change
    candidates: list[Slot]                    # every relevant question, in asking order
    holdings: dict
    record: dict


class Planner:
    """Plans an interview over one rule pack."""

    def __init__(self, pack: RulePack):
        self.pack = pack
        fmt = dict(pack.case_format)
        self.fmt = fmt
        q = load_questions(Path(pack.root), fmt)
        self.questions: dict[str, dict] = q["questions"]
        self.sections: list[str] = list(q["sections"])
        self.order = {qid: i for i, qid in enumerate(self.questions)}
        self._rules_by_then: dict[str, list[Rule]] = {}
        self._rules_by_reads: dict[str, list[Rule]] = {}
        self._kind_sources = _kind_sources(fmt)
        m = pack.manifest["decision"]
        ri = m["rights_infringed"]
        self.issues: list[tuple[str, str]] = [(k, c) for k, c in m["holdings"].items()]
        self.issues.append(("rights_infringed", ri["fact"]))
        self.issues.append(("disposition", m["disposition"]))
        self._rights_kind = ri["kind"]
        self._live_day = None

    # -- the rules in force -------------------------------------------------------------
    def _index(self, day: str) -> None:
        if self._live_day == day:
            return
        live = self.pack.as_of(day)
        self._rules_by_then, self._rules_by_reads = {}, {}
        for r in live.rules:
            self._rules_by_then.setdefault(r.then, []).append(r)
            for c in r.scope + r.terms + r.unless:
                if c.fact:
                    self._rules_by_reads.setdefault(c.fact, []).append(r)
            if r.fact:
                self._rules_by_reads.setdefault(r.fact, []).append(r)
        self._burdens = live.burdens
        self._gates = {c.fact for r in live.rules for c in r.scope
                       if c.fact and not self.pack.concepts[c.fact].derived}
        self._live_day = day

    # -- slots --------------------------------------------------------------------------
    def slots(self, data: dict) -> list[Slot]:
        """Every slot of the case file, answered or not, in case-format order."""
        return list(_walk_slots(self.fmt["root"], data, (), (), CASE))

    def sort_key(self, slot: Slot, data: dict) -> tuple:
        top = slot.path[0]
        section = self.sections.index(top) if top in self.sections else len(self.sections)
        idx = tuple(p for p in slot.path if isinstance(p, int))
        if slot.kind == ITEMS:
            items = _get(data, slot.path)
            idx = idx + (len(items) if isinstance(items, list) else 0,)
        return section, idx, self.order.get(slot.qid, len(self.order))

    # -- planning -----------------------------------------------------------------------
    def plan(self, data: dict, closed: set[str] = frozenset(), skipped: set[str] = frozenset(),
             all_fields: bool = False, case=None) -> Plan:
        """The next question for the answers in `data` (a case file as a dict).

        `closed`: item lists (by their text path) the user said hold no more items;
        `skipped`: slots (by text path) the user answered "don't know".
        """
        from .decision import holdings_of
        case = case or build_case(Located(data, {}, "<interview>"), self.pack)
        self._index(case.decided_on)
        with Consultation(self.pack, case) as cons:
            record = {"holdings": holdings_of(self.pack, cons)}  # the full record is built at the end
            analysis = _Analysis(self, cons, data, closed, skipped)
            open_issues, cands, issue_of = analysis.candidates(self.issues)
            self.last_analysis = analysis
        started = _started_items(data)
        # gates first: an answer a rule's scope reads decides whether whole branches matter
        gates = self._gates
        cands.sort(key=lambda s: (issue_of[s], 0 if _item_of(s) in started else 1,
                                  0 if s.qid in gates else 1) + self.sort_key(s, data))
        question = cands[0] if cands else None
        issue = issue_of[question] if question else None
        if question is None and all_fields:
            rest = [s for s in analysis.askable.values()]
            rest.sort(key=lambda s: (0 if _item_of(s) in started else 1,) + self.sort_key(s, data))
            question = rest[0] if rest else None
        return Plan(question, issue, self.issues, open_issues, cands, record["holdings"], record)

    def why(self, data: dict, slot_where: str, closed=frozenset(), skipped=frozenset()) -> list[Step] | None:
        """The chain from the question at `slot_where` up to the issue it serves (first
        step: the rule reading the field; last: the rule concluding the holding)."""
        case = build_case(Located(data, {}, "<interview>"), self.pack)
        self._index(case.decided_on)
        with Consultation(self.pack, case) as cons:
            analysis = _Analysis(self, cons, data, closed, skipped)
            analysis.candidates(self.issues)
            return analysis.chain(slot_where, self.issues)

    def moot(self, data: dict, closed=frozenset(), skipped=frozenset()) -> list[tuple[Slot, dict]]:
        """Questions not asked (unanswered slots the planner would not ask) and why: for
        each, the final conclusion or blocked rule above it and the answers that decided it."""
        case = build_case(Located(data, {}, "<interview>"), self.pack)
        self._index(case.decided_on)
        with Consultation(self.pack, case) as cons:
            analysis = _Analysis(self, cons, data, closed, skipped)
            _, cands, _ = analysis.candidates(self.issues)
            wanted = set(cands)
            out = []
            for slot in sorted(analysis.askable.values(), key=lambda s: self.sort_key(s, data)):
                if slot in wanted:
                    continue
                out.append((slot, analysis.reason_moot(slot)))
            return out


# -- walking the case file ---------------------------------------------------------------------

def _get(data: Any, path: tuple) -> Any:
    node = data
    for p in path:
        if isinstance(p, int):
            if not isinstance(node, list) or p >= len(node):
                return None
            node = node[p]
        else:
            if not isinstance(node, dict) or p not in node:
                return None
            node = node[p]
    return node


def _walk_slots(node: dict, value: Any, path: tuple, qpath: tuple, owner: str,
                owner_name: str = "") -> Iterator[Slot]:
    for name, sub in node.get("fields", {}).items():
        v = value.get(name) if isinstance(value, dict) else None
        p, q = path + (name,), qpath + (name,)
        qid = ".".join(q)
        if sub["type"] == "list" and sub.get("entity"):
            items = sub["item"]["type"] == "object"
            yield Slot(qid, ITEMS if items else MULTI, p, owner, sub, v is not None)
            if items and isinstance(v, list):
                for i, item in enumerate(v):
                    nm = str(item.get("id", i + 1)) if isinstance(item, dict) else str(i + 1)
                    yield from _walk_slots(sub["item"], item, p + (i,), q, f"{sub['entity']}:{nm}", nm)
        elif sub.get("fact"):
            yield Slot(qid, VALUE, p, owner, sub, v is not None)
        elif sub["type"] == "object":
            yield from _walk_slots(sub, v if isinstance(v, dict) else {}, p, q, owner, owner_name)


def _item_of(slot: Slot) -> tuple | None:
    """The path of the list item a slot belongs to (None: not in an item)."""
    for i in range(len(slot.path) - 1, -1, -1):
        if isinstance(slot.path[i], int):
            return slot.path[: i + 1]
    return None


def _started_items(data: dict) -> set[tuple]:
    """Items that hold an answer besides their id: their sub-dialogue is under way."""
    out: set[tuple] = set()

    def walk(v, path):
        if isinstance(v, dict):
            if path and isinstance(path[-1], int) and any(k != "id" for k in v):
                out.add(path)
            for k, x in v.items():
                walk(x, path + (k,))
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, path + (i,))

    walk(data, ())
    return out


def _kind_sources(fmt: dict) -> dict[str, list[tuple[str, str | None]]]:
    """For each entity kind, the lists that make its entities: [(question id, owner kind)].
    A cross kind is made by the lists of both its kinds."""
    out: dict[str, list] = {}

    def walk(node: dict, q: tuple, owner_kind: str | None):
        for name, sub in node.get("fields", {}).items():
            qq = q + (name,)
            if sub["type"] == "list":
                if sub.get("entity"):
                    out.setdefault(sub["entity"], []).append((".".join(qq), owner_kind))
                    if sub["item"]["type"] == "object":
                        walk(sub["item"], qq, sub["entity"])
            elif sub["type"] == "object":
                walk(sub, qq, owner_kind)

    walk(fmt["root"], (), None)
    for kind, spec in fmt.get("entities", {}).items():
        if "cross" in spec:
            out[kind] = [src for k in spec["cross"] for src in out.get(k, [])]
    return out


# -- the analysis --------------------------------------------------------------------------------

_EMPTY: frozenset = frozenset()


class _Analysis:
    """Reachability of open slots from the goals, over one finished consultation."""

    def __init__(self, planner: Planner, cons: Consultation, data: dict, closed, skipped):
        self.p = planner
        self.c = cons
        self.data = data
        self.memo: dict[tuple, frozenset] = {}
        slots = planner.slots(data)
        self.askable: dict[str, Slot] = {}
        self.value_slot: dict[tuple, Slot] = {}
        self.by_qid: dict[str, list[Slot]] = {}
        self.answered_q: set[str] = set()
        for s in slots:
            if s.answered:
                self.answered_q.add(s.qid)
            open_ = (not s.answered) or (s.kind == ITEMS and s.where not in closed)
            if open_ and s.where not in skipped:
                self.askable[s.where] = s
                self.by_qid.setdefault(s.qid, []).append(s)
                if s.kind == VALUE:
                    self.value_slot[(s.qid, s.entity)] = s
        self._sources_memo: dict[tuple, frozenset] = {}

    # which open slots could add entities of `kind` (linked to `owner`, if given)
    def sources(self, kind: str) -> frozenset:
        if kind in self._sources_memo:
            return self._sources_memo[kind]
        self._sources_memo[kind] = _EMPTY
        out: set[str] = set()
        for qid, owner_kind in self.p._kind_sources.get(kind, []):
            out |= {s.where for s in self.by_qid.get(qid, [])}
            if owner_kind is not None:
                out |= self.sources(owner_kind)  # a new owner item may bring new ones
        res = frozenset(out)
        self._sources_memo[kind] = res
        return res

    # -- conditions ----------------------------------------------------------------------
    def _targets(self, c: Condition, anchor) -> tuple[list[str], str | None]:
        """Entities a condition reads from `anchor`, and the kind whose new entities could
        add targets (for `over`, or a named entity that does not exist yet)."""
        ents = self.c.entities
        if c.over:
            if anchor.kind == CASE or not getattr(c, "linked", True):
                found = [e.id for e in ents.values() if e.kind == c.over]
            else:
                found = [e.id for e in ents.values() if e.kind == c.over and e.links.get(anchor.kind) == anchor.id]
            return found, c.over
        if c.of == "this":
            return [anchor.id], None
        if c.of == CASE:
            return [CASE], None
        if ":" in c.of:
            return ([c.of] if c.of in ents else []), (None if c.of in ents else c.of.split(":", 1)[0])
        linked = anchor.links.get(c.of)
        return ([linked] if linked else []), None

    def _verdict(self, c: Condition, value: Any) -> str | None:
        if value is None:
            return None
        if c.op == "verdict":
            return value
        if value == UNKNOWN:
            return c.if_unknown
        vs = c.values
        if c.op == "is":
            ok = value == vs[0]
        elif c.op == "in":
            ok = value in vs
        elif c.op == "not_in":
            ok = value not in vs
        elif c.op == "gt":
            ok = isinstance(value, (int, float)) and value > vs[0]
        else:
            ok = isinstance(value, (int, float)) and value <= vs[0]
        return "established" if ok else "refuted"

    def _blocks(self, c: Condition, anchor) -> bool:
        """True when `c` can never be established (for `anchor`) whatever is still asked."""
        if c.link:
            return anchor.links.get(c.link) != f"{c.link}:{c.values[0]}"
        targets, new_kind = self._targets(c, anchor)
        if new_kind and self.sources(new_kind):
            return False
        for t in targets:
            if self.reach(c.fact, t):
                return False
            if self._verdict(c, self.c.value(c.fact, t)) == "established":
                return False
        return True

    def _blocked(self, r: Rule, anchor) -> Condition | None:
        conds = r.scope + (r.terms if r.form == "sufficient" else tuple(x for x in r.terms if x.link))
        for c in conds:
            if self._blocks(c, anchor):
                return c
        return None

    def children(self, concept: str, entity: str) -> Iterator[tuple[str, str, Any]]:
        """What a derived fact rests on: (rule id, "node"|"slots", (concept, entity) | slots)."""
        ent = self.c.entities.get(entity)
        if ent is None:
            return
        for r in self.p._rules_by_then.get(concept, []):
            if r.about != ent.kind or self._blocked(r, ent):
                continue
            conds = [x for x in r.scope + r.terms + r.unless if not x.link]
            if r.form in ("some", "every"):
                conds.append(Condition(r.fact, None, "this", r.over, "verdict", (), "not_established", None, r.span))
            for c in conds:
                targets, new_kind = self._targets(c, ent)
                for t in targets:
                    yield r.id, "node", (c.fact, t)
                if new_kind:
                    src = self.sources(new_kind)
                    if src:
                        yield r.id, "slots", src
        for b in self.p._burdens:
            if b.fact != concept or b.about != ent.kind or (b.only and ent.name not in b.only):
                continue
            for path in b.after:
                if path not in self.answered_q:
                    src = frozenset(s.where for s in self.by_qid.get(path, []))
                    if src:
                        yield b.id, "slots", src

    def reach(self, concept: str, entity: str) -> frozenset:
        """The open slots whose answers could change `concept` of `entity` (empty: final)."""
        key = (concept, entity)
        if key in self.memo:
            return self.memo[key]
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

    # -- goals ---------------------------------------------------------------------------
    def goal_reach(self, key: str, concept: str) -> frozenset:
        if key == "rights_infringed":
            kind = self.p._rights_kind
            out: set[str] = set()
            for e in self.c.entities.values():
                if e.kind == kind:
                    out |= self.reach(concept, e.id)
            # rights not claimed yet: could any rule conclude this about a new one?
            phantom = _Phantom(kind)
            if any(not self._blocked_case_only(r, phantom) for r in self.p._rules_by_then.get(concept, [])):
                out |= self.sources(kind)
            return frozenset(out)
        return self.reach(concept, CASE)

    def _blocked_case_only(self, r: Rule, anchor) -> bool:
        for c in r.scope + (r.terms if r.form == "sufficient" else ()):
            if not c.link and c.of == CASE and self._blocks(c, anchor):
                return True
        return False

    def candidates(self, issues) -> tuple[list[bool], list[Slot], dict[Slot, int]]:
        issue_of: dict[Slot, int] = {}
        open_issues = []
        self.goal_sets = []
        for i, (key, concept) in enumerate(issues):
            reach = self.goal_reach(key, concept)
            self.goal_sets.append(reach)
            open_issues.append(bool(reach))
            for w in reach:
                s = self.askable[w]
                issue_of.setdefault(s, i)
        return open_issues, list(issue_of), issue_of

    # -- explanations --------------------------------------------------------------------
    def chain(self, where: str, issues) -> list[Step] | None:
        """Steps from the slot `where` up to the first goal it can change."""
        for i, (key, concept) in enumerate(issues):
            if where not in self.goal_sets[i]:
                continue
            starts = [(concept, CASE)]
            if key == "rights_infringed":
                starts = [(concept, e.id) for e in self.c.entities.values() if e.kind == self.p._rights_kind]
            for start in starts:
                path = self._down(start, where)
                if path is not None:
                    return list(reversed(path))
            return []  # reached through a list that could add a new entity of the goal's kind
        return None

    def _down(self, node: tuple, where: str) -> list[Step] | None:
        if where not in self.reach(*node):
            return None
        for rule, what, x in self.children(*node):
            if what == "slots":
                if where in x:
                    return [Step(rule, node[0], node[1])]
            elif where in self.reach(*x):
                info = self.p.pack.concepts.get(x[0])
                if info is not None and not info.derived:
                    return [Step(rule, node[0], node[1])]
                below = self._down(x, where)
                if below is not None:
                    return [Step(rule, node[0], node[1])] + below
        return None

    def reason_moot(self, slot: Slot) -> dict:
        """Why an unanswered slot cannot change the outcome: the nearest conclusion above it
        that is final (and the answers it rests on), or a rule that cannot fire."""
        readers = self.p._rules_by_reads.get(slot.qid, [])
        if slot.kind != VALUE:
            readers = [r for r in self.p._rules_by_then.values() for r in r
                       if any(c.over for c in r.scope + r.terms + r.unless) or r.over]
        if not readers:
            return {"kind": "unread"}
        for r in readers:
            for ent in self.c.entities.values():
                if ent.kind != r.about:
                    continue
                c = self._blocked(r, ent)
                if c is not None and c.fact:
                    targets, _ = self._targets(c, ent)
                    t = targets[0] if targets else None
                    return {"kind": "blocked", "rule": r.id, "fact": c.fact, "entity": t,
                            "value": self.c.value(c.fact, t) if t else None,
                            "answers": self._leaves(c.fact, t) if t else []}
                if self.c.why(r.then, ent.id) and not self.reach(r.then, ent.id):
                    return {"kind": "final", "rule": r.id, "fact": r.then, "entity": ent.id,
                            "value": self.c.value(r.then, ent.id), "answers": self._leaves(r.then, ent.id)}
        return {"kind": "final", "rule": None, "fact": None, "entity": None, "value": None, "answers": []}

    def _leaves(self, concept: str, entity: str, seen=None) -> list[tuple[str, str, Any]]:
        """The answers (input facts) a conclusion rests on."""
        seen = set() if seen is None else seen
        if (concept, entity) in seen:
            return []
        seen.add((concept, entity))
        info = self.p.pack.concepts.get(concept)
        if info is not None and not info.derived:
            return [(concept, entity, self.c.value(concept, entity))]
        out = []
        for d in self.c.why(concept, entity)[:1]:
            for p in d.premises:
                if not p.absent:
                    out += [x for x in self._leaves(p.concept, p.entity, seen) if x not in out]
        return out


@dataclass(frozen=True)
class _Phantom:
    """A not-yet-existing entity of `kind`, to ask whether rules could conclude about one."""

    kind: str
    id: str = "<new>"
    name: str = "<new>"
    links: dict = field(default_factory=dict, hash=False, compare=False)
