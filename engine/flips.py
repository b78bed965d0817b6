"""Minimal flips: the smallest sets of changes to a case file's answers that change its
disposition.

Nothing here knows any law. The changes are read off the pack's case format (every answer
field, ``fact: true``, with its allowed values) and off the pack's rules:

- values a field may take are grouped by how the rules see them: two values that every
  condition on the field treats alike (``in [a, b, c]`` cannot tell ``a`` from ``b``) give
  the same decision, so one stands for its class and the others are listed as equivalent;
- besides single changes, each rule proposes the one bundle of changes that would satisfy
  all its conditions on answers (a rule that needs three things about one item of evidence
  is only reached by changing all three together);
- two candidates are combined only when each alone changed some conclusion, most
  promising first, within a budget of consultations; the result says when it stopped early.

Only answer fields are changed: the decision date, the jurisdiction, titles and names are
not answers, so no flip ever changes them. Every candidate is decided for real; the search
only chooses which ones to decide.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Iterator

from .casefile import build_case
from .decision import holdings_of
from .model import CASE, UNKNOWN, Condition, Form, Holding, RulePack
from .session import Consultation
from .yamlsrc import Located

SCALAR_TYPES = ("enum", "tri", "count", "amount")


@dataclass(frozen=True)
class Change:
    path: tuple                 # where in the case file, e.g. ("evidence", 0, "kind")
    old: Any                    # None: the field is absent
    new: Any
    same_as: tuple = ()         # other values the rules treat exactly like `new`

    @property
    def key(self) -> str:
        out = ""
        for p in self.path:
            out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
        return out


@dataclass(frozen=True)
class Field:
    path: tuple
    concept: str
    entity: str
    node: dict
    value: Any                  # None when absent


@dataclass
class Flip:
    changes: tuple[Change, ...]
    holdings: dict

    @property
    def size(self) -> int:
        return len(self.changes)


@dataclass
class FlipSearch:
    before: dict                # holdings of the case as it is
    flips: list[Flip] = field(default_factory=list)
    evaluated: int = 0
    stopped_early: bool = False


def answer_fields(pack: RulePack, data: dict, unknown: bool) -> list[Field]:
    """The answer fields of a case file a party could change: answered ones, and with
    `unknown` also those left unknown or absent (inside objects and items that exist)."""
    out: list[Field] = []

    def walk(place, value, path, entity):
        node = place.node
        if node.get("fact") and node["type"] in SCALAR_TYPES and (path and isinstance(path[-1], str)):
            if value not in (None, UNKNOWN) or unknown:
                out.append(Field(path, place.concept, entity, node, value))
            return
        if node["type"] == "object" and isinstance(value, dict):
            for name, sub in place.fields:
                walk(sub, value.get(name), path + (name,), entity)
        elif node["type"] == "object" and value is None and unknown and path:
            return  # an object the case file lacks altogether: nothing to attach changes to
        elif node["type"] == "list" and isinstance(value, list) and node["item"]["type"] == "object":
            kind = node.get("entity")
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    ent = f"{kind}:{item.get('id', i + 1)}" if kind else entity
                    walk(place.item, item, path + (i,), ent)

    walk(pack.case_format.top, data, (), CASE)
    return out


def _conditions(pack: RulePack) -> dict[str, list[Condition]]:
    out: dict[str, list[Condition]] = {}
    for r in pack.rules:
        for c in r.scope + r.terms + r.unless:
            if c.fact:
                out.setdefault(c.fact, []).append(c)
    return out


def _holds(c: Condition, v: Any) -> bool | str | None:
    """How a condition sees an answer v (its test; "u" for an unknown it cannot compare)."""
    return "u" if v is None or v == UNKNOWN else c.test(v)  # an absent answer reads as unknown


def _domain(node: dict, conds: list[Condition]) -> list:
    if node["type"] == "enum":
        return list(node["values"])
    if node["type"] == "tri":
        return [True, False, UNKNOWN]
    limits = sorted({c.values[0] for c in conds if c.op in ("gt", "lte") and c.values})
    return sorted({0, *limits, *(t + 1 for t in limits)}) + [UNKNOWN]


def value_classes(node: dict, conds: list[Condition]) -> list[list]:
    """The field's values grouped by how the rules' conditions see them."""
    classes: dict[tuple, list] = {}
    for v in _domain(node, conds):
        sig = ("unknown",) if v == UNKNOWN else tuple(_holds(c, v) for c in conds)
        classes.setdefault(sig, []).append(v)
    return list(classes.values())


def _singles(fields: list[Field], conds: dict) -> Iterator[Change]:
    for f in fields:
        cs = conds.get(f.concept)
        if not cs:
            continue  # no rule reads it: changing it cannot change a conclusion
        for cls in value_classes(f.node, cs):
            if f.value in cls or (f.value is None and UNKNOWN in cls):
                continue  # absent reads as unknown
            yield Change(f.path, f.value, cls[0], tuple(cls[1:]))


def _satisfying(c: Condition, f: Field, conds: dict) -> Change | None:
    """The change that makes condition c true of field f (None: it already holds, or can't)."""
    if _holds(c, f.value) is True:
        return None
    for cls in value_classes(f.node, conds[f.concept]):
        if _holds(c, cls[0]) is True:
            return Change(f.path, f.value, cls[0], tuple(cls[1:]))
    return None


def _target(c: Condition, anchor) -> str | None:
    """The entity a condition of a rule anchored on `anchor` is about (None: several)."""
    if c.over:
        return None
    if c.of == "this":
        return anchor.id
    if c.of == CASE:
        return CASE
    return anchor.links.get(c.of)


def _bundles(pack: RulePack, entities, fields: list[Field], conds: dict) -> Iterator[frozenset]:
    """For each rule and each entity it may be about, the changes that satisfy all its
    conditions on answers (its terms one at a time when any one of them suffices)."""
    by = {(f.concept, f.entity): f for f in fields}
    for r in pack.rules:
        groups = [r.scope + r.terms] if r.form != Form.ANY else [r.scope + (t,) for t in r.terms]
        for anchor in (e for e in entities if e.kind == r.about):
            for group in groups:
                changes = []
                for c in group:
                    target = _target(c, anchor)
                    f = by.get((c.fact, target)) if c.fact and target else None  # a link, or several
                    ch = _satisfying(c, f, conds) if f else None
                    if ch:
                        changes.append(ch)
                if len(changes) > 1:
                    yield frozenset(changes)


def _progress(opt, pack: RulePack, entities, fields: list[Field]) -> int:
    """How many rule conditions on answers the changes make true that were not: a change
    that alters no conclusion alone may still be half of one that does."""
    by = {f.path: f for f in fields}
    n = 0
    for ch in opt:
        f = by[ch.path]
        for r in pack.rules:
            for c in r.scope + r.terms:
                if c.fact == f.concept and _holds(c, ch.new) is True and _holds(c, f.value) is not True:
                    n += 1
    return n


def apply_changes(data: dict, changes) -> dict:
    """A copy of a case file's data with the changes made."""
    out = copy.deepcopy(data)
    for ch in changes:
        node = out
        for step in ch.path[:-1]:
            node = node[step]
        node[ch.path[-1]] = ch.new
    return out


class _Evaluator:
    def __init__(self, pack: RulePack, doc: Located):
        self.pack, self.doc, self.count = pack, doc, 0

    def __call__(self, changes) -> tuple[dict, dict]:
        self.count += 1
        case = build_case(Located(apply_changes(self.doc.data, changes), {}, self.doc.source), self.pack)
        with Consultation(self.pack, case) as c:
            return holdings_of(self.pack, c), dict(c.values)


def answer_flips(pack: RulePack, doc: Located, path: tuple) -> FlipSearch:
    """The answer at `path` changed to each other class of values the rules tell apart
    (value_classes), each decided: the flips are those that change any holding, not only
    the disposition. No flip when no rule reads the field, or none of its other answers
    changes a holding."""
    case = build_case(doc, pack)
    conds = _conditions(pack.as_of(case.law))
    fields = [f for f in answer_fields(pack, doc.data, unknown=True) if f.path == path]
    evaluate = _Evaluator(pack, doc)
    result = FlipSearch(evaluate(())[0])
    for ch in _singles(fields, conds):
        holdings = evaluate((ch,))[0]
        if holdings != result.before:
            result.flips.append(Flip((ch,), holdings))
    result.evaluated = evaluate.count
    return result


def _reaches(holdings: dict, before: dict, disposition: str, target: str | None) -> bool:
    new = holdings[disposition]
    if target:
        return new == target
    return new != before[disposition] and new != Holding.UNDETERMINED


def _weight(opt) -> tuple:
    """Which option of a pair leads it: the larger, then the first by its changes' keys."""
    return (len(opt), sorted(c.key for c in opt))


def find_flips(pack: RulePack, doc: Located, max_changes: int = 2, target: str | None = None,
               unknown: bool = False, budget: int = 600) -> FlipSearch:
    """Search for the smallest change sets (at most `max_changes` fields) that change the
    disposition (to `target`, if given), deciding at most `budget` variants."""
    disposition = "disposition"
    case = build_case(doc, pack)
    live = pack.as_of(case.law)
    conds = _conditions(live)
    fields = answer_fields(pack, doc.data, unknown)
    evaluate = _Evaluator(pack, doc)
    before, base_values = evaluate(())
    result = FlipSearch(before)

    options: dict[frozenset, None] = {}
    for ch in _singles(fields, conds):
        options[frozenset([ch])] = None
    for b in _bundles(live, case.entities, fields, conds):
        if len(b) <= max_changes and len({c.path for c in b}) == len(b):
            options.setdefault(b, None)

    found: list[frozenset] = []
    effect: dict[frozenset, int] = {}

    def minimal(opt) -> bool:
        return not any(f <= opt for f in found)

    def run(opt) -> bool:
        if evaluate.count > budget:
            result.stopped_early = True
            return False
        holdings, values = evaluate(opt)
        if _reaches(holdings, before, disposition, target):
            found.append(opt)
            result.flips.append(Flip(tuple(sorted(opt, key=lambda c: c.key)), holdings))
        else:
            effect[opt] = sum(1 for k in set(values) | set(base_values)
                              if values.get(k) != base_values.get(k) and pack.concepts[k[0]].derived)
        return True

    for opt in sorted(options, key=len):
        if minimal(opt) and not run(opt):
            break
    score = {o: n + _progress(o, live, case.entities, fields) for o, n in effect.items()}
    promising = [o for o, n in score.items() if n]
    pairs = []
    for a, b in combinations(promising, 2):
        union = a | b
        if len(union) <= max_changes and len({c.path for c in union}) == len(union) and union not in options:
            pairs.append((-(score[a] + score[b]), len(union), union, max(a, b, key=_weight)))
    # Best-scored pairs first; but once an option has flipped the outcome with one partner,
    # its pairs with other partners wait until every other option's pairs have been tried:
    # a strong option (a record of one kind) would otherwise spend the budget on variants of
    # the same flip (with each small change in turn) before another kind is tried at all.
    seen: set = set()
    leaders: set = set()
    later = []
    for _score, _size, union, leader in sorted(pairs, key=lambda p: p[:2]):
        if result.stopped_early:
            break
        if union in seen or not minimal(union):
            continue
        if leader in leaders:
            later.append(union)
            continue
        seen.add(union)
        if run(union) and union in found:
            leaders.add(leader)
    for union in later:
        if result.stopped_early:
            break
        if minimal(union):
            run(union)
    result.evaluated = evaluate.count
    keep = [f for f in result.flips if not any(set(o.changes) < set(f.changes) for o in result.flips)]
    result.flips = sorted(keep, key=lambda f: (f.size, [c.key for c in f.changes]))
    return result
