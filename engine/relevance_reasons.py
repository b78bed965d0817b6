"""Why a question matters, or why it is not asked: read off a relevance analysis
(engine/relevance.py). The chain of rules from a slot up to the first goal it can change;
for a slot the planner would not ask, the final conclusion above it (and the answers it
rests on) or the rule that cannot fire.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import CASE
from .relevance import Analysis
from .slots import VALUE, Slot


@dataclass(frozen=True)
class Step:
    """One link of a why-chain: a rule (or burden) that reads a fact to conclude another."""

    rule: str                 # rule or burden id
    concept: str              # what the rule concludes
    entity: str


def chain(a: Analysis, where: str, issues) -> list[Step] | None:
    """Steps from the slot `where` up to the first goal it can change."""
    for i, (key, concept) in enumerate(issues):
        if where not in a.goal_sets[i]:
            continue
        if concept is None:
            return []  # an amount the judgment states
        starts = [(concept, CASE)]
        if key in a.p.entity_lists:
            starts = [(concept, e.id) for e in a.c.entities.values() if e.kind == a.p.entity_lists[key]]
        for start in starts:
            path = _down(a, start, where)
            if path is not None:
                return list(reversed(path))
        return []  # reached through a list that could add a new entity of the goal's kind
    return None

def _down(a: Analysis, node: tuple, where: str) -> list[Step] | None:
    if where not in a.reach(*node):
        return None
    for rule, what, x in a.children(*node):
        if what == "slots":
            if where in x:
                return [Step(rule, node[0], node[1])]
        elif where in a.reach(*x):
            info = a.p.pack.concepts.get(x[0])
            if info is not None and not info.derived:
                return [Step(rule, node[0], node[1])]
            below = _down(a, x, where)
            if below is not None:
                return [Step(rule, node[0], node[1])] + below
    return None

def reason_moot(a: Analysis, slot: Slot) -> dict:
    """Why an unanswered slot cannot change the outcome: the nearest conclusion above it
    that is final (and the answers it rests on), or a rule that cannot fire."""
    readers = a.p.rules_by_reads.get(slot.qid, [])
    if slot.kind != VALUE:
        readers = [r for rules in a.p.rules_by_then.values() for r in rules
                   if any(c.over for c in r.scope + r.terms + r.unless) or r.over]
    if not readers:
        return {"kind": "unread"}
    for r in readers:
        for ent in a.c.entities.values():
            if ent.kind != r.about:
                continue
            c = a.blocked(r, ent)
            if c is not None and c.fact:
                targets, _ = a.targets(c, ent)
                t = targets[0] if targets else None
                return {"kind": "blocked", "rule": r.id, "fact": c.fact, "entity": t,
                        "value": a.c.value(c.fact, t) if t else None,
                        "answers": _leaves(a, c.fact, t) if t else []}
            if a.c.why(r.then, ent.id) and not a.reach(r.then, ent.id):
                return {"kind": "final", "rule": r.id, "fact": r.then, "entity": ent.id,
                        "value": a.c.value(r.then, ent.id), "answers": _leaves(a, r.then, ent.id)}
    return {"kind": "final", "rule": None, "fact": None, "entity": None, "value": None, "answers": []}

def _leaves(a: Analysis, concept: str, entity: str, seen=None) -> list[tuple[str, str, Any]]:
    """The answers (input facts) a conclusion rests on."""
    seen = set() if seen is None else seen
    if (concept, entity) in seen:
        return []
    seen.add((concept, entity))
    info = a.p.pack.concepts.get(concept)
    if info is not None and not info.derived:
        return [(concept, entity, a.c.value(concept, entity))]
    out = []
    for d in a.c.why(concept, entity)[:1]:
        for p in d.premises:
            if not p.absent:
                out += [x for x in _leaves(a, p.concept, p.entity, seen) if x not in out]
    return out
