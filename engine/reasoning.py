"""The reasoning of one issue as the judgment gives it: one paragraph per rule, in the order
the conclusions build on each other (premises first), each rule's applications grouped by
what they say. Data only; :mod:`engine.roles` tells where each paragraph belongs.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from .citations import rule_info
from .exhibits import Label
from .explain import Node, justify, walk
from .model import CASE, UNKNOWN, Form, Rule, RulePack, period_concept
from .session import Consultation


def label(pack: RulePack, fields: dict, c: Consultation, entity_id: str) -> Label | None:
    """How the judgment names an entity (None for the case itself)."""
    if entity_id == CASE:
        return None
    e = c.entities[entity_id]
    shape = fields.get(e.kind, ("value", e.kind))
    if shape[0] == "cross" or (e.links and shape[0] == "value" and "/" in e.name):
        links = [label(pack, fields, c, target) for target in e.links.values()]
        return Label(("linked",) + tuple(x for x in links if x))
    if shape[0] == "id":
        return Label(("entity", e.kind, e.name))
    return Label(("value", shape[1], e.name))


def issue_tree(pack: RulePack, c: Consultation, concept: str, in_issue: set[str],
               facts_on: dict[str, list[tuple[str, str]]] | None = None) -> Node:
    """The proof tree of an issue. A holding that one item suffices for (a `some` rule: one
    right held makes the plaintiff a copyright owner) rests on that item alone; the other items
    are added when they reach a conclusion in issue (a defence raised, evidence offered on its
    topic) that the holding's own tree does not, so that the court answers it under the issue
    it belongs to (the rights the plaintiff does not hold, under ownership), with the findings
    on the facts it was put in issue by (`facts_on`: conclusion -> the entities of those facts)."""
    tree = justify(c, concept)
    rule = pack.rule(tree.derivation.rule) if tree.derivation else None
    if not isinstance(rule, Rule) or rule.form != Form.SOME or not rule.over or not rule.fact:
        return tree
    over, fact_of = rule.over, rule.fact
    seen = {(n.concept, n.entity) for n, _level in walk(tree)}
    # items judged under the law of their own date (a per-item clock): an item of a period whose
    # law the tree does not apply yet is reasoned too, so the draft gives each period's law
    periods = [period_concept(clock) for clock, (kind, _) in pack.item_clocks.items() if kind == over]
    law_of = lambda entity: tuple(c.value(p, entity) for p in periods)
    applied = {law_of(e) for (concept, e) in seen if concept == fact_of}
    found: list[Node] = []   # the facts found first: the evidence is weighed before the law is applied
    extra: list[Node] = []
    for e in c.entities.values():
        if e.kind != over or (fact_of, e.id) in seen or c.value(fact_of, e.id) in (None, "unknown"):
            continue
        sub = justify(c, fact_of, e.id)
        raised = {n.concept for n, _level in walk(sub) if n.concept in in_issue and (n.concept, n.entity) not in seen}
        if periods and law_of(e.id) not in applied:
            applied.add(law_of(e.id))
        elif not raised:
            continue
        found += [justify(c, fact, ent) for x in sorted(raised) for fact, ent in (facts_on or {}).get(x, ())
                  if ent in c.entities and (fact, ent) not in seen and c.value(fact, ent) not in (None, "unknown")]
        extra.append(sub)
        seen |= {(n.concept, n.entity) for x in found + extra for n, _level in walk(x)}
    return replace(tree, children=found + tree.children + extra) if extra else tree


def _groups(apps: list[dict]) -> list[dict]:
    """Applications with the same conclusion text and burden, as one sentence each."""
    out: list[dict] = []
    for a in apps:
        for g in out:
            if g["says"] == a["says"] and g["burden"] == a["burden"]:
                if a["subject"] is not None:
                    g["subjects"].append(a["subject"])
                break
        else:
            out.append({"says": a["says"], "burden": a["burden"], "value": a["value"],
                        "subjects": [a["subject"]] if a["subject"] is not None else []})
    return out


def _post_order(node: Node, c: Consultation, in_tree: set) -> Iterator[Node]:
    for child in node.children:
        yield from _post_order(child, c, in_tree)
    d = node.derivation
    if d is not None and any(p.absent for p in d.premises) and not any(ch.derivation for ch in node.children):
        # Concluded for want of proof (a burden): what was offered, and why it fell short,
        # are the conclusions about the entities linked to this one (the evidence for a fact).
        linked = {e.id for e in c.entities.values() if node.entity in e.links.values()}
        for other in c.fired:
            if other.entity in linked:
                # what such a conclusion rests on that a burden decided, and the tree does not
                # give (an act's fact, for a right linked to the act), is reasoned before it
                yield from _decided_by_burden(c, other, in_tree)
                yield Node(other.concept, other.entity, other.value, other)
    yield node


def _decided_by_burden(c: Consultation, d, in_tree: set) -> Iterator[Node]:
    for p in d.premises:
        why = c.why(p.concept, p.entity) if not p.absent and (p.concept, p.entity) not in in_tree else ()
        if why and why[0].burden:
            yield Node(p.concept, p.entity, p.value, why[0])


def paragraphs(pack: RulePack, fields: dict, c: Consultation, root: Node, shown: set) -> list[dict]:
    """The reasoning of one issue: one paragraph per rule, in the order the conclusions
    build on each other (premises first), each rule's applications grouped. A conclusion
    in `shown` (given under an earlier issue) is not given again; it is added there."""
    order: list[str] = []
    apps: dict[str, list[dict]] = {}
    in_tree = {(n.concept, n.entity) for n, _level in walk(root)}
    for node in _post_order(root, c, in_tree):
        d = node.derivation
        if node.absent or d is None or (node.concept, node.entity) in shown:
            continue
        shown.add((node.concept, node.entity))
        if d.rule not in apps:
            order.append(d.rule)
            apps[d.rule] = []
        says = pack.concepts[node.concept].says.get(node.value)
        apps[d.rule].append({"subject": label(pack, fields, c, node.entity), "value": node.value,
                             "says": says, "burden": d.burden,
                             "open_textured": pack.concepts[node.concept].open_textured,
                             # read off the case file alone: no conclusion and no absence among its premises
                             "plain": all(not p.absent and not pack.concepts[p.concept].derived
                                          for p in d.premises),
                             "concept": node.concept, "kind": c.entities[node.entity].kind,
                             # the case file's own answers meet the rule's conditions on them: the
                             # plaintiff says so, whether or not it is proven (the case raises it)
                             "claimed": _claimed(pack, d),
                             # the item of evidence the conclusion is about, if any (as the case file has it)
                             "item": _evidence_item(c, node.entity),
                             # the values of the conclusions it rests on
                             "grounds": tuple(p.value for p in d.premises
                                              if not p.absent and pack.concepts[p.concept].derived)})
    out = []
    for rid in order:
        rule = rule_info(pack, rid, c.case.decided_on)
        a = apps[rid]
        out.append({"rule": rule, "applications": a, "groups": _groups(a),
                    "open_textured": rule["open_textured"] or any(x["open_textured"] for x in a)})
    return out


def _claimed(pack: RulePack, d) -> bool:
    """Whether the answers of the case file a derivation read meet the rule's conditions on
    them: the conclusion then fails (if it fails) on proof or on the law, not because the
    case file never claimed the facts."""
    rule = pack.rule(d.rule)
    answers = {p.concept: p.value for p in d.premises if not p.absent and not pack.concepts[p.concept].derived}
    conds = [c for c in getattr(rule, "scope", ()) + getattr(rule, "terms", ()) if c.fact in answers and c.op != "verdict"]
    # an answer "unknown" claims nothing, whatever the condition makes of it
    return all(answers[c.fact] != UNKNOWN and c.test(answers[c.fact]) is True for c in conds)


def _evidence_item(c: Consultation, entity_id: str) -> dict | None:
    target = c.entities[entity_id].links.get("evidence") if entity_id in c.entities else None
    if not target:
        return None
    name = c.entities[target].name
    return next((ev for ev in c.case.data.get("evidence") or [] if str(ev.get("id")) == name), None)
