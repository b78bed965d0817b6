"""The justification of a conclusion as a tree: conclusion <- rule <- premises.

Built from a finished consultation's derivations; each node is one fact, with the
derivation that established it (the first one, others are extra support) and the
nodes of the facts it relied on. Answers from the case file are leaves.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Derivation, Form, Rule
from .session import Consultation


@dataclass
class Node:
    concept: str
    entity: str
    value: Any
    derivation: Derivation | None          # None: an answer from the case file, or absent
    children: list["Node"] = field(default_factory=list)
    support: int = 1                        # how many rules reached the same conclusion
    absent: bool = False                    # a negation: "no such fact" at the close of evidence


def justify(c: Consultation, concept: str, entity: str = "case", depth: int = 12) -> Node:
    """The proof tree of ``concept`` of ``entity`` (cut at `depth`, and never looping)."""
    return _node(c, concept, entity, depth, set())


def _node(c: Consultation, concept: str, entity: str, depth: int, path: set) -> Node:
    derivs = c.why(concept, entity)
    node = Node(concept, entity, c.value(concept, entity), derivs[0] if derivs else None,
                support=max(1, len(derivs)))
    key = (concept, entity)
    if not derivs or depth <= 0 or key in path:
        return node
    for p in derivs[0].premises:
        if p.absent:
            node.children.append(Node(p.concept, p.entity, None, None, absent=True))
        else:
            node.children.append(_node(c, p.concept, p.entity, depth - 1, path | {key}))
    aggregate = _no_item_established(c, derivs[0], node.value)
    if aggregate is not None:
        # A 'some' verdict not reached because no item has it: why not is what was concluded of
        # each item (each act refuted by the defence that succeeded, say), not only their absence
        over, fact = aggregate
        target = c.entities.get(entity)
        items = c.linked_to(over, target) if target is not None and target.kind != "case" else c.of_kind(over)
        for item in items:
            if (fact, item.id) in c.values:
                node.children.append(_node(c, fact, item.id, depth - 1, path | {key}))
    if any(p.absent for p in derivs[0].premises):
        # A conclusion reached because something was lacking (a burden not discharged):
        # show what was offered and why it fell short, i.e. what was concluded about the
        # entities linked to this one (the evidence offered for a fact, say).
        kinds = {cond.over for r in c.pack.rules if r.then == concept
                 for cond in r.scope + r.terms + r.unless if cond.over}
        for other in c.entities.values():
            if other.kind in kinds and entity in other.links.values():
                for (concept_, ent) in list(c.derivations):
                    if ent == other.id:
                        node.children.append(_node(c, concept_, ent, depth - 1, path | {key}))
    return node


def _no_item_established(c: Consultation, d: Derivation, value: Any) -> tuple[str, str] | None:
    """The kind and fact a 'some' rule reads over items, where `d` is its verdict other than
    established, reached for want of an established item (its premise: no such item)."""
    rule = c.pack.rule(d.rule)
    if isinstance(rule, Rule) and rule.form == Form.SOME and rule.over and rule.fact \
            and value != "established" and any(p.absent for p in d.premises):
        return rule.over, rule.fact
    return None


def walk(node: Node, level: int = 0):
    """Depth-first (node, level) pairs."""
    yield node, level
    for child in node.children:
        yield from walk(child, level + 1)
