"""The difference between two decision records: what a changed fact, a changed rule pack or
a different law-as-of date changes in a decision, beyond the holdings — which rules fired
only before or only after, the findings of fact, the remedies and the court fee.

Used by ``whatif``, ``flips`` and ``impact``. It reads records only (assessor.decision/1),
so it knows no law.
"""
from __future__ import annotations

from typing import Any


def _pairs(before: dict, after: dict) -> list[tuple[str, Any, Any]]:
    return [(k, before.get(k), after.get(k)) for k in list(before) + [k for k in after if k not in before]
            if before.get(k) != after.get(k)]


def record_diff(before: dict, after: dict) -> dict:
    """Everything that differs between two decision records, as plain data (JSON-ready)."""
    acts_b = {a["id"]: a for a in before["acts"]}
    acts_a = {a["id"]: a for a in after["acts"]}
    acts = []
    for act_id in list(acts_b) + [i for i in acts_a if i not in acts_b]:
        old, new = acts_b.get(act_id, {}), acts_a.get(act_id, {})
        if old.get("infringes") != new.get("infringes") or sorted(old.get("rights", [])) != sorted(new.get("rights", [])):
            acts.append({"id": act_id, "before": old.get("infringes"), "after": new.get("infringes"),
                         "rights_before": old.get("rights", []), "rights_after": new.get("rights", [])})
    fired_b = [r["rule"] for r in before["reasons"]]
    fired_a = [r["rule"] for r in after["reasons"]]
    find_b = {f["fact"]: f["status"] for f in before["findings"]}
    find_a = {f["fact"]: f["status"] for f in after["findings"]}
    return {
        "holdings": [{"key": k, "before": o, "after": n} for k, o, n in _pairs(before["holdings"], after["holdings"])],
        "acts": acts,
        "rules_only_before": sorted(set(fired_b) - set(fired_a), key=fired_b.index),
        "rules_only_after": sorted(set(fired_a) - set(fired_b), key=fired_a.index),
        "findings": [{"fact": k, "before": o, "after": n} for k, o, n in _pairs(find_b, find_a)],
        "remedies": [{"key": k, "before": o, "after": n} for k, o, n in _pairs(before["remedies"], after["remedies"])],
    }


def outcome_changed(diff: dict) -> bool:
    """Whether the outcome changed: holdings, acts, findings or remedies (not only reasons)."""
    return any(diff[k] for k in ("holdings", "acts", "findings", "remedies"))
