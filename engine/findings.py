"""The findings of fact and the acts complained of, as the judgment reports them: the
decision record's entries with the labels by which the draft names their topics, evidence
and rights. Data only, no wording.
"""
from __future__ import annotations

from .casefile import Case
from .exhibits import Label
from .model import RulePack


def findings(pack: RulePack, record: dict, fields: dict) -> list[dict]:
    """The record's findings, each with its concept's label, its topic and its evidence named."""
    m = pack.manifest["decision"]
    labels = {v: k for k, v in m["findings"]["claims"].items()}
    out = []
    for f in record["findings"]:
        concept = pack.concepts.get(f["fact"])
        out.append({**f, "field": f["fact"],
                    "label": concept.label if concept else None,
                    "topic": Label(("value", fields.get("topic", ("value", "topic"))[1],
                                    labels.get(f["fact"], f["fact"]))),
                    "evidence_labels": [Label(("entity", "evidence", e)) for e in f["evidence"]]})
    return out


def acts(pack: RulePack, record: dict, case: Case, fields: dict) -> list[dict]:
    """The acts as the pack declares them (decision.acts): the case file's list that makes their
    entities, and each list the record keeps of an act (the rights it infringes...) labelled."""
    act_spec = pack.manifest["decision"].get("acts") or {}
    act_kind = act_spec.get("kind", "")
    act_list = fields.get(act_kind, ("id", ""))[1]
    out = []
    for a_rec, a_data in zip(record["acts"], case.data.get(act_list) or [] if act_list else []):
        labels = {name: [Label(("value", fields.get(spec["link"], ("value", spec["link"]))[1], v))
                         for v in a_rec.get(name, [])]
                  for name, spec in (act_spec.get("lists") or {}).items()}
        out.append({**a_rec, "data": a_data, "label": Label(("entity", act_kind, a_rec["id"])),
                    "labels": labels})
    return out
