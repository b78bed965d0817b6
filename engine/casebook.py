"""Run a rule pack's own tests: the inline examples of its rule files, and its library of
hypotheticals (``hypos/index.yaml``: each case file with the holdings it must reach and
the rules that must fire). Used by ``assessor rules test``, ``assessor hypos`` and pytest.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .casefile import build_case, read_case
from .decision import build_record
from .errors import InputError, Span
from .model import CASE, Example, RulePack
from .decision_map import Form, Remedy, decision_map, of_form
from .session import Consultation
from .yamlsrc import Located, load_yaml


@dataclass
class Outcome:
    name: str
    where: Span
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _show(v: Any) -> str:
    return "true" if v is True else "false" if v is False else str(v)


def run_example(pack: RulePack, ex: Example) -> Outcome:
    """Decide an inline example's partial case and compare the concepts it pins."""
    out = Outcome(ex.name, ex.span)
    data = copy.deepcopy(ex.case)
    data.setdefault("format", pack.case_format["format"])
    doc = Located(data, {}, f"{ex.span} (example '{ex.name}')")
    try:
        case = build_case(doc, pack)
    except InputError as e:
        out.failures.append(f"the example's case is invalid: {e.message}")
        return out
    with Consultation(pack, case) as c:
        for key, want in ex.expect.items():
            concept, _, entity = key.partition("@")
            if concept not in pack.concepts:
                out.failures.append(f"expect: unknown concept '{concept}'")
                continue
            got = c.value(concept, entity or CASE, "unknown")
            if got != want:
                out.failures.append(f"{key}: expected {_show(want)}, got {_show(got)}")
        fired = {d.rule for d in c.fired}
        for rule in ex.fires:
            if rule not in fired:
                out.failures.append(f"rule {rule} did not fire")
    return out


@dataclass
class Hypothetical:
    name: str
    file: Path
    entry: dict
    span: Span


def load_hypotheticals(pack: RulePack) -> list[Hypothetical]:
    index = Path(pack.root) / "hypos" / "index.yaml"
    if not index.is_file():
        return []
    doc = load_yaml(index)
    if not isinstance(doc.data, list):
        raise InputError("the hypotheticals index must be a list of entries", doc.span(()))
    out = []
    for i, entry in enumerate(doc.data):
        if not isinstance(entry, dict) or "name" not in entry or "file" not in entry:
            raise InputError("each entry needs 'name' and 'file'", doc.span((i,)), "name: ..., file: ...")
        out.append(Hypothetical(entry["name"], index.parent / entry["file"], entry, doc.span((i,))))
    return out


def _amount_kind(amount) -> str:
    """How a hypothetical names the outcome of an amount: none, an amount, a range."""
    return "none" if amount is None else ("amount" if "amount" in amount else "range")


def _sorted(v):
    return sorted(v or []) if isinstance(v, list) or v is None else v


def compare(record: dict, expect: dict, remedies: Mapping[str, Remedy] | None = None) -> list[str]:
    """Differences between a decision record and a hypothetical's expected outcome. Lists of
    entities compare as sets; a remedy of the form ``amount`` (in `remedies`, the pack's
    declarations) compares by its kind: none, amount or range."""
    fails = []
    holdings = record["holdings"]
    for key, want in expect.items():
        if key in ("acts", "remedies"):
            continue
        got = holdings.get(key)
        if isinstance(got, list):
            got, want = sorted(got), _sorted(want)
        if got != want:
            fails.append(f"{key}: expected {want}, got {got}")
    acts = {a["id"]: a for a in record["acts"]}
    for act_id, want in (expect.get("acts") or {}).items():
        got = acts.get(act_id)
        if got is None:
            fails.append(f"act {act_id}: not in the decision")
            continue
        for key, value in got.items():
            if key == "id" or key == "law_date" and key not in want:
                continue  # the date that picked an act's law is checked where the entry states it
            if isinstance(value, list):
                if sorted(value) != _sorted(want.get(key)):
                    fails.append(f"act {act_id} {key}: expected {_sorted(want.get(key))}, got {sorted(value)}")
            elif value != want.get(key):
                fails.append(f"act {act_id} {key}: expected {want.get(key)}, got {value}")
    rem = record["remedies"]
    amounts = of_form(remedies or {}, Form.AMOUNT)
    for key, want in (expect.get("remedies") or {}).items():
        got = _amount_kind(rem.get(key)) if key in amounts else rem.get(key)
        if got != want:
            fails.append(f"remedy {key}: expected {_show(want)}, got {_show(got)}")
    return fails


def run_hypothetical(pack: RulePack, h: Hypothetical) -> tuple[Outcome, dict | None]:
    out = Outcome(h.name, h.span)
    try:
        case = read_case(h.file, pack)
    except InputError as e:
        out.failures.append(str(e))
        return out, None
    with Consultation(pack, case) as c:
        record = build_record(pack, case, c)
        fired = {d.rule for d in c.fired}
    out.failures += compare(record, h.entry.get("expect") or {}, decision_map(pack)["remedies"])
    out.failures += [f"rule {r} did not fire" for r in h.entry.get("fires") or [] if r not in fired]
    return out, record
