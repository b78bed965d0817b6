"""Read the decision record (``assessor.decision/1``) off a finished consultation.

Which concepts answer which holding is data: the ``decision`` map in the pack's
``pack.yaml``. This module only follows it.
"""
from __future__ import annotations

import math
from typing import Any

from .casefile import Case
from .model import CASE, RulePack
from .session import Consultation

FORMAT = "assessor.decision/1"


def decide(pack: RulePack, case: Case) -> dict:
    """Decide `case` and return the decision record (a JSON-ready dict)."""
    with Consultation(pack, case) as c:
        return build_record(pack, case, c)


def _holding(c: Consultation, concept: str, entity: str = CASE) -> str:
    return c.value(concept, entity, "undetermined")


def holdings_of(pack: RulePack, c: Consultation) -> dict:
    """Just the holdings of a consultation (what the interview's planner needs each step)."""
    m = pack.manifest["decision"]
    holdings = {key: _holding(c, concept) for key, concept in m["holdings"].items()}
    spec = m["rights_infringed"]
    holdings["rights_infringed"] = [e.name for e in c.of_kind(spec["kind"])
                                    if c.value(spec["fact"], e.id) == spec["is"]]
    holdings["disposition"] = _holding(c, m["disposition"])
    return holdings


def build_record(pack: RulePack, case: Case, c: Consultation) -> dict:
    m = pack.manifest["decision"]
    holdings = holdings_of(pack, c)
    return {
        "format": FORMAT,
        "case": str(case.data.get("title", "")),
        "jurisdiction": str(case.data.get("jurisdiction", pack.manifest["jurisdiction"])),
        "law_as_of": case.decided_on,
        "rulebase": {"id": pack.id, "version": pack.version, "digest": pack.digest},
        "holdings": holdings,
        "acts": _acts(m["acts"], c),
        "remedies": _remedies(m["remedies"], case, c, holdings["disposition"]),
        "findings": _findings(m["findings"], pack, case, c),
        "reasons": _reasons(pack, c),
        "open_questions": _open_questions(pack, case, c, holdings),
        "notes": [{"fact": n, "text": {"zh": pack.concepts[n].says[c.value(n)].zh,
                                       "en": pack.concepts[n].says[c.value(n)].en}}
                  for n in m.get("notes", []) if c.value(n) is not None],
        "item_notes": _item_notes(m.get("item_notes", {}), pack, c),
    }


def _item_notes(spec: dict, pack: RulePack, c: Consultation) -> list[dict]:
    """Conclusions about single entities (say, each evidence item) the pack reports as notes."""
    out = []
    for fact in spec.get("facts", []):
        for e in c.of_kind(spec["kind"]):
            value = c.value(fact, e.id)
            says = pack.concepts[fact].says.get(value)
            if says:
                out.append({"item": e.name, "fact": fact, "value": value, "text": {"zh": says.zh, "en": says.en}})
    return out


def _acts(spec: dict, c: Consultation) -> list[dict]:
    sub = spec["rights"]
    out = []
    for act in c.of_kind(spec["kind"]):
        rights = [c.entities[e.links[sub["link"]]].name for e in c.linked_to(sub["kind"], act)
                  if c.value(sub["fact"], e.id) == sub["is"]]
        out.append({"id": act.name, "infringes": _holding(c, spec["fact"], act.id), "rights": rights})
    return out


def _case_value(case: Case, path: str) -> Any:
    node: Any = case.data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def court_fee(spec: dict, amount: float) -> float:
    """A fee charged cumulatively by brackets above a flat first bracket."""
    flat = spec["flat"]
    fee, lower = float(flat["fee"]), float(flat["upto"])
    for upper, rate in spec["brackets"]:
        if amount <= lower:
            break
        top = amount if upper is None else min(amount, upper)
        fee += (top - lower) * rate
        lower = top if upper is None else upper
    return round(fee, 2)


def _remedies(spec: dict, case: Case, c: Consultation, disposition: str) -> dict:
    out: dict[str, Any] = {}
    for key in ("cease", "apology"):
        out[key] = c.value(spec[key]["fact"]) == spec[key]["is"]
    d = spec["damages"]
    damages = None
    if c.value(d["fact"]) == d["is"]:
        claimed = _case_value(case, d["claimed"])
        scale = d["ranges"].get(c.value(d["scale"]), max(d["ranges"].values(), key=lambda r: r["high"]))
        low, high = scale["low"], scale["high"]
        if isinstance(claimed, (int, float)) and claimed <= low:
            damages = {"amount": claimed}
        else:
            cap = min(high, claimed) if isinstance(claimed, (int, float)) else high
            damages = {"low": low, "high": cap, "basis": "statutory"}
    out["damages"] = damages
    if "costs" in spec:
        cs = spec["costs"]
        claimed = _case_value(case, cs["claimed"])
        out["costs"] = ({"claimed": claimed if isinstance(claimed, (int, float)) else None}
                        if c.value(cs["fact"]) == cs["is"] else None)
    fee = spec["court_fee"]
    amounts = [_case_value(case, p) for p in fee["on"]]
    if amounts[0] in (None, "unknown") or any(a == "unknown" for a in amounts):
        out["court_fee"] = None
        if all(a is None for a in amounts) and "unvalued" in fee:  # nothing claimed in money
            out["court_fee_range"] = dict(fee["unvalued"])
    else:
        total = sum(a for a in amounts if isinstance(a, (int, float)))
        value = court_fee(fee, total)
        out["court_fee"] = int(value) if value == math.floor(value) else value
    out["court_fee_borne_by"] = fee["borne_by"].get(disposition)
    out["court_fee_source"] = fee["source"]
    return out


def _findings(spec: dict, pack: RulePack, case: Case, c: Consultation) -> list[dict]:
    ev = spec["evidence"]
    burdens = {n: b.on for b in pack.burdens if b.fact == spec["fact"] for n in b.only}
    out = []
    for topic in c.of_kind(spec["kind"]):
        evidence = sorted({c.entities[p.links[ev["from"]]].name for p in c.linked_to(ev["kind"], topic, ev["link"])})
        path = spec["claims"].get(topic.name)
        claimed = _case_value(case, path) if path else None
        if not evidence and claimed in (None, "unknown", False, "none", 0):
            continue  # nothing asserted and nothing offered: not a finding
        value = c.value(spec["fact"], topic.id)
        derivs = c.why(spec["fact"], topic.id)
        burden = next((d.burden for d in derivs if d.burden), None) or burdens.get(topic.name)
        out.append({
            "fact": path or topic.name,
            "claimed": claimed,
            "status": spec["status"].get(value, "unknown"),
            "burden": burden,
            "evidence": evidence,
        })
    return out


def _premise_text(p) -> str:
    if p.absent:
        return f"no {p.concept} ({p.entity})"
    return f"{p.concept}({p.entity}) = {_show(p.value)}"


def _show(v: Any) -> str:
    return "true" if v is True else "false" if v is False else str(v)


def _reasons(pack: RulePack, c: Consultation) -> list[dict]:
    out = []
    for d in c.fired:
        rule = pack.rule(d.rule)
        cites = [rule.source] + [x for x in rule.cites if x != rule.source]
        concept = pack.concepts[d.concept]
        says = concept.says.get(d.value)
        out.append({
            "rule": d.rule,
            "conclusion": f"{d.concept}({d.entity}) = {_show(d.value)}",
            "premises": [_premise_text(p) for p in d.premises],
            "cites": cites,
            "burden": d.burden,
            "open_textured": bool(getattr(rule, "open_textured", False) or concept.open_textured),
            "text": {"zh": says.zh, "en": says.en} if says else None,
        })
    return out



def _open_questions(pack: RulePack, case: Case, c: Consultation, holdings: dict) -> list[str]:
    """Case-file fields not answered that a still-undetermined holding depends on."""
    if holdings.get("disposition") != "undetermined":
        return []
    by_concept: dict[str, list] = {}
    for r in pack.as_of(case.decided_on).rules:
        by_concept.setdefault(r.then, []).append(r)
    answered = {f.concept for f in case.facts}
    missing: list[str] = []
    seen: set[str] = set()

    def walk(concept: str):
        if concept in seen:
            return
        seen.add(concept)
        if not pack.concepts[concept].derived:
            if concept not in answered and concept not in missing:
                missing.append(concept)
            return
        for b in pack.burdens:
            if b.fact == concept:
                missing.extend(p for p in b.after if p not in case.answered and p not in missing)
        for r in by_concept.get(concept, []):
            for cond in r.scope + r.terms + r.unless:
                if cond.fact:
                    walk(cond.fact)
            if r.fact:
                walk(r.fact)

    undetermined = [k for k, v in pack.manifest["decision"]["holdings"].items() if holdings[k] == "undetermined"]
    for key in undetermined + ["disposition"]:
        concept = pack.manifest["decision"]["holdings"].get(key) or pack.manifest["decision"]["disposition"]
        walk(concept)
    return missing
