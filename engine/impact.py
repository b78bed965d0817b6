"""Law-change impact: decide the same case files under two rule packs, or under one pack as
of two dates, and say case by case what changes (see engine/recorddiff.py). Knows no law."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from .casefile import build_case
from .decision import decide
from .errors import AssessorError
from .model import RulePack
from .recorddiff import outcome_changed, record_diff
from .yamlsrc import load_yaml


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a pack, and the law-as-of date imposed on every case (None:
    each case's own decision date)."""

    pack: RulePack
    as_of: str | None = None

    def decide(self, doc) -> dict:
        if self.as_of is not None:
            doc.data = dict(doc.data, decided_on=self.as_of)
        return decide(self.pack, build_case(doc, self.pack))


def compare(files: list[Path], old: Side, new: Side) -> Iterator[dict]:
    """For each file: {"file", "status": changed|reasons|same|error, "diff" or "error"}."""
    for f in files:
        try:
            before = old.decide(load_yaml(f))
            after = new.decide(load_yaml(f))
        except AssessorError as e:
            yield {"file": str(f), "status": "error", "error": str(e)}
            continue
        diff = record_diff(before, after)
        status = "changed" if outcome_changed(diff) else (
            "reasons" if diff["rules_only_before"] or diff["rules_only_after"] else "same")
        yield {"file": str(f), "status": status, "diff": diff,
               "disposition": [before["holdings"]["disposition"], after["holdings"]["disposition"]]}


def _plain(x):
    """A rule as plain data without source positions (two packs' copies of a rule compare equal)."""
    if dataclasses.is_dataclass(x):
        return {f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x) if f.name != "span"}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, Mapping):
        return {k: _plain(v) for k, v in x.items()}
    return x


def rule_changes(old: RulePack, new: RulePack) -> dict:
    """The rules and burdens added, removed or changed from one pack to the other."""
    a = {r.id: _plain(r) for r in old.rules + old.burdens}
    b = {r.id: _plain(r) for r in new.rules + new.burdens}
    return {"added": sorted(set(b) - set(a)), "removed": sorted(set(a) - set(b)),
            "changed": sorted(i for i in set(a) & set(b) if a[i] != b[i])}
