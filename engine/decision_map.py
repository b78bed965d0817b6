"""The decision map of ``pack.yaml``, typed (what the record, the batch, the casebook and the
planner read), and what its schema cannot say about its decision map and its parties: every
name it uses is a concept, entity kind, case-file field, provision or party of this pack,
a fee's brackets increase, a range's floor is not above its ceiling; and the parties named
by rule files (who bears a burden, whom a factor favours) are the pack's declared parties.
Read by engine/loader.py after the pack is loaded; knows forms, never names of remedies.
"""
from __future__ import annotations

from enum import Enum
from typing import Any, Iterator, Mapping, NotRequired, Required, TypedDict, cast

from .errors import InputError
from .errors import suggest as _suggest
from .model import RulePack
from .yamlsrc import Located


# -- the decision map, typed (its schema: engine/pack.schema.yaml) ---------------------------

class Form(str, Enum):
    """The forms of a remedy the engine computes (engine/remedies.py)."""
    ORDER = "order"
    AMOUNT = "amount"
    CLAIM = "claim"
    FEE = "fee"


class Range(TypedDict):
    low: float
    high: float


class Flat(TypedDict):
    upto: float
    fee: float


# keys such as `is` and `from` are Python keywords: these are declared by the functional syntax
EntityList = TypedDict("EntityList", {"kind": str, "fact": str, "is": Any, "label": NotRequired[Mapping[str, str]]})
LinkedList = TypedDict("LinkedList", {"kind": str, "fact": str, "is": Any, "link": str})
Evidence = TypedDict("Evidence", {"kind": str, "link": str, "from": str})
# the claim a fee's field measures: made when the list field `in` holds `has`
Claim = TypedDict("Claim", {"in": str, "has": Any})
# an amount's computed value: when the conclusion has the value `is`, the sum `base` (a case-file
# field) as found, within the claim, with its `basis`
Computed = TypedDict("Computed", {"is": Any, "base": str, "basis": str})
# a remedy: `form` says which of the other keys it has (the schema requires them by form)
Remedy = TypedDict("Remedy", {
    "form": Required[str], "label": Mapping[str, str], "fact": str, "is": Any, "claimed": str,
    "source": str, "basis": str, "scale": str, "ranges": dict[str, Range], "on": list[str],
    "flat": Flat, "brackets": list[list[Any]], "borne_by": dict[str, str], "unvalued": Range,
    "base": str, "multiple": str, "multiples": dict[str, float], "when": dict[str, Claim],
    "computed": Computed,
}, total=False)


class Acts(TypedDict):
    kind: str
    holdings: dict[str, str]
    lists: NotRequired[dict[str, LinkedList]]


class Findings(TypedDict):
    kind: str
    fact: str
    status: dict[str, str]
    evidence: Evidence
    claims: dict[str, str]


class ItemNotes(TypedDict):
    kind: str
    facts: list[str]


class DecisionMap(TypedDict):
    holdings: dict[str, str]
    entity_lists: NotRequired[dict[str, EntityList]]
    disposition: str
    notes: NotRequired[list[str]]
    item_notes: NotRequired[ItemNotes]
    acts: NotRequired[Acts]
    findings: Findings
    remedies: dict[str, Remedy]


def decision_map(pack: RulePack) -> DecisionMap:
    """The pack's decision map (validated by the loader against its schema and the pack)."""
    return cast(DecisionMap, pack.manifest["decision"])


def of_form(remedies: Mapping[str, Remedy], form: Form) -> dict[str, Remedy]:
    """The declared remedies of one form, by record key."""
    return {k: s for k, s in remedies.items() if s["form"] == form.value}


# -- checks ----------------------------------------------------------------------------------

# a fee's bearer may be a declared party or both of them
SHARED = "shared"


def is_number(v: Any) -> bool:
    """A number that is not a boolean (YAML's true is an int to Python)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def respondents(manifest) -> frozenset[str]:
    """The parties who answer the claim (all but the first declared, the claimant): a burden
    on one of them is a defence."""
    return frozenset((manifest.get("parties") or [])[1:])


def party_refs(data: dict) -> Iterator[tuple[tuple, Any]]:
    """The places in a rule file that name a party: burdens' `on`, precedent factors' `favours`."""
    for i, b in enumerate(data.get("burdens") or ()):
        yield ("burdens", i, "on"), b["on"]
    for i, f in enumerate((data.get("precedent") or {}).get("factors") or ()):
        yield ("precedent", "factors", i, "favours"), f["favours"]


def check_party(manifest: Located, doc: Located, path: tuple, party: Any) -> None:
    parties = manifest.data.get("parties") or []
    if party not in parties:
        raise InputError(f"'{party}' is not a party declared in pack.yaml", doc.span(path),
                         ("one of: " + ", ".join(parties)) if parties else "parties: [...] in pack.yaml")


def check_decision_map(doc: Located, concepts: dict, kinds, authorities: dict, fields: dict) -> None:
    m = doc.data["decision"]
    base = ("decision",)

    def need(value, path, table, what):
        if value not in table:
            raise InputError(f"'{value}' is not {what} of this pack", doc.span(base + path),
                             _suggest(str(value), table))

    def need_range(r, path):
        if not (is_number(r["low"]) and is_number(r["high"]) and r["low"] <= r["high"]):
            raise InputError("a range's low must be an amount not above its high", doc.span(base + path),
                             "{low: 500, high: 5000}")

    derived = {n for n, c in concepts.items() if c.derived}
    for key, concept in m["holdings"].items():
        need(concept, ("holdings", key), derived, "a concept concluded by the rules")
    need(m["disposition"], ("disposition",), derived, "a concept concluded by the rules")
    for i, n in enumerate(m.get("notes") or []):
        need(n, ("notes", i), derived, "a concept concluded by the rules")
    if "item_notes" in m:
        need(m["item_notes"]["kind"], ("item_notes", "kind"), kinds, "an entity kind")
        for i, n in enumerate(m["item_notes"]["facts"]):
            need(n, ("item_notes", "facts", i), derived, "a concept concluded by the rules")
    for key in m.get("entity_lists") or {}:
        if key in m["holdings"] or key == "disposition":
            raise InputError(f"'{key}' is already a holding of the decision", doc.key_span(base + ("entity_lists", key)),
                             "a key of its own")
    specs: list[tuple] = [(("entity_lists", k), s) for k, s in (m.get("entity_lists") or {}).items()]
    specs += [(("findings",), m["findings"]), (("findings", "evidence"), m["findings"]["evidence"])]
    if "acts" in m:
        acts = m["acts"]
        specs.append((("acts",), acts))
        specs += [(("acts", "lists", k), s) for k, s in (acts.get("lists") or {}).items()]
        for key, concept in acts["holdings"].items():
            need(concept, ("acts", "holdings", key), concepts, "a concept")
    for path, spec in specs:
        for key in ("kind", "link", "from"):
            if key in spec:
                need(spec[key], path + (key,), kinds, "an entity kind")
        if "fact" in spec:
            need(spec["fact"], path + ("fact",), concepts, "a concept")
    for topic, field in m["findings"]["claims"].items():
        need(field, ("findings", "claims", topic), fields, "a case-file field")
    parties = list(doc.data.get("parties") or []) + [SHARED]
    for key, spec in m["remedies"].items():
        path = ("remedies", key)
        form = Form(spec["form"])
        if "fact" in spec:
            need(spec["fact"], path + ("fact",), concepts, "a concept")
        if "claimed" in spec:
            need(spec["claimed"], path + ("claimed",), fields, "a case-file field")
        if "source" in spec:
            need(spec["source"], path + ("source",), authorities, "a provision")
        if "base" in spec:
            need(spec["base"], path + ("base",), fields, "a case-file field")
        if "multiple" in spec:
            need(spec["multiple"], path + ("multiple",), concepts, "a concept")
        if form is Form.AMOUNT:
            need(spec["scale"], path + ("scale",), concepts, "a concept")
            for name, r in spec["ranges"].items():
                need_range(r, path + ("ranges", name))
            if "computed" in spec:
                need(spec["computed"]["base"], path + ("computed", "base"), fields, "a case-file field")
        if form is Form.FEE:
            _check_fee(doc, base + path, spec, fields, parties, need, need_range)


def _check_fee(doc: Located, path: tuple, spec: dict, fields: dict, parties: list, need, need_range) -> None:
    for i, field in enumerate(spec["on"]):
        need(field, path[1:] + ("on", i), fields, "a case-file field")
    for field, claim in (spec.get("when") or {}).items():
        where = path[1:] + ("when", field)
        if field not in spec["on"][1:]:
            raise InputError(f"'{field}' is not a field the fee is on, after the first", doc.key_span(path + ("when", field)),
                             "one of: " + ", ".join(spec["on"][1:]))
        need(claim["in"], where + ("in",), fields, "a case-file field")
        values = (fields[claim["in"]].get("item") or {}).get("values") or ()
        if claim["has"] not in values:
            raise InputError(f"'{claim['has']}' is not a value of the list {claim['in']}", doc.span(path + ("when", field, "has")),
                             ("one of: " + ", ".join(map(str, values))) if values else "a list of values")
    for disposition, party in spec["borne_by"].items():
        need(party, path[1:] + ("borne_by", disposition), parties, "a party (or 'shared')")
    if "unvalued" in spec:
        need_range(spec["unvalued"], path[1:] + ("unvalued",))
    lower = spec["flat"]["upto"]
    for i, (upper, rate) in enumerate(spec["brackets"]):
        last = i == len(spec["brackets"]) - 1
        ok_upper = (upper is None and last) or (is_number(upper) and is_number(lower) and upper > lower)
        if not ok_upper or not (is_number(rate) and 0 <= rate <= 1):
            raise InputError("a fee bracket is [upper amount, rate]: amounts increasing, a rate between "
                             "0 and 1, only the last open (null)", doc.span(path + ("brackets", i)),
                             "[100000, 0.025]")
        lower = upper
