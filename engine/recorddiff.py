"""The difference between two decision records: what a changed fact, a changed rule pack or
a different law-as-of date changes in a decision, beyond the holdings — which rules fired
only before or only after, the findings of fact, the remedies (amounts and fees included).

Used by ``whatif``, ``flips`` and ``impact``. It reads records only (assessor.decision/1),
so it knows no law.
"""
from __future__ import annotations

from typing import Any


def _pairs(before: dict, after: dict) -> list[tuple[str, Any, Any]]:
    return [(k, before.get(k), after.get(k)) for k in list(before) + [k for k in after if k not in before]
            if before.get(k) != after.get(k)]


def _same(a: dict, b: dict) -> bool:
    """Two entries of an act alike: the same holdings, the same lists in any order."""
    key = lambda e: {k: sorted(v) if isinstance(v, list) else v for k, v in e.items()}
    return key(a) == key(b)


def record_diff(before: dict, after: dict) -> dict:
    """Everything that differs between two decision records, as plain data (JSON-ready).
    An act that changed is {"id", "before", "after"}: its holdings and lists on each side
    (empty on the side where it does not exist)."""
    # an act's holdings and lists; not the date that picked its law (a later decision date moves
    # a continuing act's), which is no outcome
    acts_b = {a["id"]: {k: v for k, v in a.items() if k not in ("id", "law_date")} for a in before["acts"]}
    acts_a = {a["id"]: {k: v for k, v in a.items() if k not in ("id", "law_date")} for a in after["acts"]}
    acts = [{"id": act_id, "before": acts_b.get(act_id, {}), "after": acts_a.get(act_id, {})}
            for act_id in list(acts_b) + [i for i in acts_a if i not in acts_b]
            if not _same(acts_b.get(act_id, {}), acts_a.get(act_id, {}))]
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
