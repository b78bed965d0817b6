"""The remedies of a decision record, read off the pack's declarations (``pack.yaml``'s
``decision.remedies``): each remedy has a `form` the engine knows, and a name the pack
chooses. The engine knows the forms, never the names:

- ``order``  granted or not: whether a conclusion has a value;
- ``amount`` a sum within a range, or the sum claimed in full when it is not above the floor;
  where the pack names a ``computed`` value of the conclusion and the case-file sum it is
  computed on, that sum as found, never above the claim, with its basis;
- ``claim``  a sum as claimed, once granted; where the pack names a ``base`` (a case-file
  sum) and a ``multiple`` (a conclusion whose value the pack's ``multiples`` make a number),
  also the base, the multiple and the amount (base times multiple, never above the claim);
- ``fee``    a fee computed on the sums claimed (a flat first bracket, then cumulative
  brackets), with who bears it by disposition and the provision it comes from; a sum the pack
  ties to one claim (``when``) counts only when the case makes that claim.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Mapping

from .casefile import Case
from .decision_map import Claim, Computed, Form, Remedy, is_number, of_form
from .session import Consultation
from .slots import get_at

__all__ = ["Form", "bracketed_fee", "case_value", "claim_made", "of_form", "remedies"]


def case_value(case: Case, path: str) -> Any:
    """The value at a dotted path of the case file (None: not given)."""
    return get_at(case.data, tuple(path.split(".")))


def bracketed_fee(spec: Remedy, amount: float) -> float:
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


def claim_made(when: Mapping[str, Claim], data: Mapping, field: str) -> bool | None:
    """Whether the claim a fee's field measures is made: True for a field tied to no claim (not
    in `when`) or whose list `in` holds `has`; False when that list is given without it (the
    sum then counts for nothing); None while the list is not given (the sum counts if given)."""
    claim = when.get(field)
    if claim is None:
        return True
    listed = get_at(data, tuple(claim["in"].split(".")))
    return claim["has"] in listed if isinstance(listed, list) else None


def _plain(x: float) -> float | int:
    """A sum as the record gives it: a whole number without its '.0'."""
    return int(x) if x == math.floor(x) else x


def _granted(spec: Remedy, c: Consultation) -> bool:
    return bool(c.value(spec["fact"]) == spec["is"])


def _order(key: str, spec: Remedy, case: Case, c: Consultation, disposition: str) -> dict:
    return {key: _granted(spec, c)}


def _amount(key: str, spec: Remedy, case: Case, c: Consultation, disposition: str) -> dict:
    claimed = case_value(case, spec["claimed"])
    computed = spec.get("computed")
    if computed and c.value(spec["fact"]) == computed["is"]:
        return {key: _computed(computed, case, c, spec["fact"], claimed)}
    if not _granted(spec, c):
        return {key: None}
    ranges = spec["ranges"]
    scale = ranges.get(c.value(spec["scale"]), max(ranges.values(), key=lambda r: r["high"]))
    low, high = scale["low"], scale["high"]
    if is_number(claimed) and claimed <= low:
        return {key: {"amount": claimed}}
    cap = min(high, claimed) if is_number(claimed) else high
    return {key: {"low": low, "high": cap, "basis": spec["basis"]}}


def _computed(computed: Computed, case: Case, c: Consultation, fact: str, claimed: Any) -> dict:
    """A sum the case file states as found (its `base`), awarded within the claim (no amount
    while the sum is not known), with the provision of the rule that concluded it (the draft
    cites it beside the sum)."""
    base = case_value(case, computed["base"])
    out: dict[str, Any] = {"basis": computed["basis"], "base": base if is_number(base) else None,
                           "claimed": claimed if is_number(claimed) else None}
    if is_number(base):  # a court awards within the claim: the sum found, capped by the sum claimed
        out["amount"] = _plain(float(min(base, claimed) if is_number(claimed) else base))
    rule = next((c.pack.rule(d.rule) for d in c.why(fact)), None)
    if rule is not None:
        out["source"] = rule.source
    return out


def _claim(key: str, spec: Remedy, case: Case, c: Consultation, disposition: str) -> dict:
    if not _granted(spec, c):
        return {key: None}
    claimed = case_value(case, spec["claimed"])
    out: dict[str, Any] = {"claimed": claimed if is_number(claimed) else None}
    base = case_value(case, spec["base"]) if "base" in spec else None
    times = spec.get("multiples", {}).get(c.value(spec["multiple"])) if "multiple" in spec else None
    if is_number(base) and is_number(times):
        # a court awards within the claim: the product is capped by the sum claimed
        product = float(base) * float(times)  # type: ignore[arg-type]
        amount = min(product, claimed) if is_number(claimed) else product
        out.update(base=base, multiple=times, amount=_plain(amount))
    return {key: out}


def _fee(key: str, spec: Remedy, case: Case, c: Consultation, disposition: str) -> dict:
    out: dict[str, Any] = {}
    when = spec.get("when") or {}
    # a sum whose claim the case does not make counts for nothing
    amounts: list[Any] = [None if claim_made(when, case.data, p) is False else case_value(case, p)
                          for p in spec["on"]]
    if amounts[0] in (None, "unknown") or any(a == "unknown" for a in amounts):
        out[key] = None
        if all(a is None for a in amounts) and "unvalued" in spec:  # nothing claimed in money
            out[f"{key}_range"] = dict(spec["unvalued"])
    else:
        value = bracketed_fee(spec, sum(a for a in amounts if is_number(a)))
        out[key] = _plain(value)
    out[f"{key}_borne_by"] = spec["borne_by"].get(disposition)
    out[f"{key}_source"] = spec["source"]
    return out


_FORMS: dict[Form, Callable[[str, Remedy, Case, Consultation, str], dict]] = {
    Form.ORDER: _order, Form.AMOUNT: _amount, Form.CLAIM: _claim, Form.FEE: _fee,
}


def remedies(specs: Mapping[str, Remedy], case: Case, c: Consultation, disposition: str) -> dict:
    """The record's remedies, in the order the pack declares them."""
    out: dict[str, Any] = {}
    for key, spec in specs.items():
        out.update(_FORMS[Form(spec["form"])](key, spec, case, c, disposition))
    return out
