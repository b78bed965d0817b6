"""Precedents on both sides of an open-textured question, HYPO-style.

A holding may declare (``precedent:`` in its rule file) the question it decided (a concept),
how it decided it, and its factors: facts of that case, each a test on a case-file answer,
each favouring the plaintiff or the defendant. For a case being decided, a factor is present
when the case file's answers pass its test. Every precedent is then compared with the case:
the factors they share, and those that distinguish them (present in only one of the two).
A precedent that decided the question the other way and shares the most factors is the
strongest counter-argument for a student, and the first case to distinguish for a judge.

Knows no law: questions, factors and outcomes are the pack's data.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .casefile import Case
from .errors import InputError
from .model import CASE, ESTABLISHED, VERDICT, RulePack
from .yamlsrc import load_yaml


@dataclass(frozen=True)
class Factor:
    id: str
    favours: str
    label: Any               # Text-like mapping {zh, en}
    fact: str
    over: str | None
    op: str
    value: Any

    def holds(self, v: Any) -> bool:
        if self.op == "is":
            return v == self.value
        if self.op == "in":
            return v in self.value
        return isinstance(v, (int, float)) and not isinstance(v, bool) and v > self.value

    def present(self, case: Case) -> bool:
        kind = self.over or CASE
        return any(f.concept == self.fact and (f.entity == CASE if kind == CASE else f.entity.startswith(kind + ":"))
                   and self.holds(f.value) for f in case.facts)


@dataclass(frozen=True)
class Precedent:
    authority: str           # the holding's id
    question: str
    outcome: Any
    factors: tuple[Factor, ...]


@dataclass
class Comparison:
    precedent: Precedent
    agrees: bool             # decided the question as this case does
    shared: list[Factor]
    only_precedent: list[Factor]
    only_case: list[Factor]


def _factor(raw: dict, where) -> Factor:
    op = next((k for k in ("is", "in", "gt") if k in raw), None)
    if op is None:
        raise InputError(f"factor '{raw['id']}': no test", where, "one of is, in, gt")
    return Factor(raw["id"], raw["favours"], raw["label"], raw["fact"], raw.get("over"), op,
                  tuple(raw[op]) if op == "in" else raw[op])


@lru_cache(maxsize=8)
def _load(pack: RulePack) -> tuple[Precedent, ...]:
    out = []
    seen: dict[str, tuple[Factor, Any]] = {}
    for a in pack.authorities.values():
        if a.kind != "holding":
            continue
        # the file under the pack's folder (its id is its path there): the span's name is how
        # errors show it, relative to the repository, not to where the command runs
        doc = load_yaml(Path(pack.root, *a.id.split(".")[1:]).with_suffix(".yaml"), a.span.path)
        data = doc.data.get("precedent")
        if not data:
            continue
        if data["question"] not in pack.concepts:
            raise InputError(f"precedent.question: unknown concept '{data['question']}'", doc.span(("precedent", "question")))
        factors = []
        for i, raw in enumerate(data["factors"]):
            where = doc.span(("precedent", "factors", i))
            if raw["fact"] not in pack.concepts or pack.concepts[raw["fact"]].derived:
                raise InputError(f"factor '{raw['id']}': '{raw['fact']}' is not a case-file answer", where)
            f = _factor(raw, where)
            first = seen.setdefault(f.id, (f, where))
            if (first[0].fact, first[0].over, first[0].op, first[0].value, first[0].favours) != \
                    (f.fact, f.over, f.op, f.value, f.favours):
                raise InputError(f"factor '{f.id}' is defined differently at {first[1]}", where,
                                 "one definition of a factor across the holdings")
            factors.append(f)
        out.append(Precedent(a.id, data["question"], data["outcome"], tuple(factors)))
    return tuple(out)


def precedents(pack: RulePack) -> tuple[Precedent, ...]:
    """The holdings that declare factors (their files are read once per pack)."""
    return _load(pack)


def _same_side(a: Any, b: Any) -> bool:
    # on a question with a burden of proof, "not proven" and "refuted" both go against the
    # party that bore it: a precedent pointing the other way is one that found it established
    if ESTABLISHED in (a, b):
        return a == b
    return a == b or {a, b} <= set(VERDICT)


def compare(pack: RulePack, case: Case, values: dict) -> dict[str, list[Comparison]]:
    """For each question some precedent decided and the case reached (`values`: concept ->
    the case's value), every precedent compared with the case: those that decided it the
    other way first, most shared factors first."""
    precs = precedents(pack)
    catalogue = {f.id: f for p in precs for f in p.factors}
    present = {i for i, f in catalogue.items() if f.present(case)}
    out: dict[str, list[Comparison]] = {}
    for p in precs:
        value = values.get(p.question)
        if value is None or not (pack.authorities[p.authority].made_on or "9") < case.decided_on:
            continue  # not reached, or not yet decided when this case is (a case never cites itself)
        mine = {f.id for f in p.factors}
        out.setdefault(p.question, []).append(Comparison(
            p, _same_side(p.outcome, value),
            [catalogue[i] for i in sorted(mine & present)],
            [catalogue[i] for i in sorted(mine - present)],
            [catalogue[i] for i in sorted(present - mine)]))
    for q in out:
        out[q].sort(key=lambda c: (c.agrees, -len(c.shared), c.precedent.authority))
    return out
