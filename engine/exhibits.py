"""The evidence in the opinion: what the judgment says of each item (accepted, rejected or
accepted in part, and why), and the label by which an entity is named, resolved per language
when the opinion is rendered. Data only, no wording.
"""
from __future__ import annotations

from dataclasses import dataclass

from .casefile import Case
from .citations import rule_info
from .model import Holding, RulePack
from .session import Consultation


@dataclass(frozen=True)
class Label:
    """A name to show for an entity, resolved per language at render time."""

    parts: tuple  # ("entity", kind, name) | ("value", context, value) | ("linked", Label, Label)


def exhibits(pack: RulePack, case: Case, c: Consultation, fields: dict) -> list[dict]:
    """Each item of evidence as the judgment reports it: what it is offered to prove, whether
    the court accepts it (all its proofs established), rejects it (all refuted) or accepts it
    in part, and the reasons, each said once (an item weighed like one before it names it)."""
    m = pack.manifest["decision"]
    # the items and what each is offered to prove, as the decision map's findings declare them
    # (findings.evidence: the entities linking an item to a topic, and the link to the item)
    spec = m["findings"]["evidence"]
    kind = spec["from"]
    items = fields.get(kind, ("id", ""))[1]
    topics = fields.get(m["findings"]["kind"], ("value", ""))[1]
    proves = topics.rsplit(".", 1)[-1]
    evidence = []
    for ev in (case.data.get(items) or []) if items else []:
        eid = f"{kind}:{ev.get('id')}"
        proofs = [e for e in c.entities.values() if e.kind == spec["kind"] and e.links.get(kind) == eid]
        verdicts, reasons = [], []
        for fact in (m.get("item_notes") or {}).get("facts", []):   # e.g. how its integrity was verified
            for d in c.why(fact, eid):
                info = rule_info(pack, d.rule, case.decided_on)
                reasons.append({"explain": info["explain"], "value": d.value,
                                "citations": info["provisions"] + info["holdings"]})
        for p in proofs:
            concept = _probative_concept(c, p.id)
            for d in c.why(concept, p.id) if concept else []:
                verdicts.append(d.value)
                # the reason is the rule that weighed the item itself, not one that only
                # passes its weight on (an item offered by the plaintiff supports its claim)
                d = _root(c, d, p.id)
                info = rule_info(pack, d.rule, case.decided_on)
                if info["explain"] not in [r["explain"] for r in reasons]:
                    reasons.append({"explain": info["explain"], "value": d.value,
                                    "citations": info["provisions"] + info["holdings"]})
        # an item that proves none of the facts it is offered for (refuted, or not enough on its
        # own) has its purpose rejected; in part only where it proves some of them
        proving = [v == Holding.ESTABLISHED for v in verdicts]
        accepted = ("unassessed" if not verdicts else "accepted" if all(proving) else
                    "partly" if any(proving) else "rejected")
        evidence.append({"id": ev.get("id"), "data": ev, "label": Label(("entity", kind, ev.get("id"))),
                         "proves": [Label(("value", topics, t)) for t in ev.get(proves) or []],
                         "assessment": accepted, "reasons": reasons})
    for i, item in enumerate(evidence):
        # an item weighed for the same reasons as one before it says so instead of repeating them
        item["same_as"] = next((e["id"] for e in evidence[:i] if item["reasons"] and
                                e["assessment"] == item["assessment"] and e["reasons"] == item["reasons"]), None)
    return evidence


def _root(c: Consultation, d, entity_id: str):
    """Follow a derivation about an entity down the conclusions about the same entity it
    rests on, to the first one that rests on none."""
    for _ in range(8):
        inner = [p for p in d.premises if p.entity == entity_id and not p.absent
                 and c.pack.concepts[p.concept].derived and c.why(p.concept, entity_id)]
        if not inner:
            break
        d = c.why(inner[0].concept, entity_id)[0]
    return d


def _probative_concept(c: Consultation, entity_id: str) -> str | None:
    kind = c.entities[entity_id].kind
    for name, concept in c.pack.concepts.items():
        if concept.about == kind and concept.derived and c.why(name, entity_id):
            return name
    return None
