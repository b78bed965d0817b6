"""The hypotheticals library: each decides as its index says, for the reasons it names;
each one-fact pair differs in exactly that fact and flips the outcome."""
from __future__ import annotations

import pytest

from assessor.engine import load_yaml
from assessor.engine.casebook import load_hypotheticals, run_example, run_hypothetical

from .conftest import HYPOS, hypotheticals


@pytest.fixture(scope="module")
def library(pack) -> dict:
    """The library as the engine reads it, by name (read once: each test takes one entry)."""
    return {h.name: h for h in load_hypotheticals(pack)}


def test_library_is_big_enough(library):
    assert len(library) >= 20


@pytest.mark.parametrize("name", [h["name"] for h in hypotheticals()])
def test_hypothetical_decides_as_expected(pack, library, name):
    h = library[name]
    assert h.entry.get("fires"), "each hypothetical names the rules that must fire"
    note = h.entry.get("teaches") or (h.entry.get("pair") or {}).get("teaches")
    if note is not None:
        assert note["zh"] and note["en"], "a teaching note is in both languages"
    outcome, record = run_hypothetical(pack, h)
    assert outcome.ok, outcome.failures
    assert all(r["cites"] for r in record["reasons"])


def _flatten(value, path=""):
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{path}.{k}" if path else str(k)))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_flatten(v, f"{path}[{i}]"))
        return out
    return {path: value}


PAIRS = [h for h in hypotheticals() if h.get("pair")]


def test_there_are_pairs():
    assert len(PAIRS) >= 5


@pytest.mark.parametrize("name", [h["name"] for h in PAIRS])
def test_pair_differs_in_one_fact_and_flips(pack, name):
    (h,) = [x for x in hypotheticals() if x["name"] == name]
    other = next(x for x in hypotheticals() if x["name"] == h["pair"]["with"])
    a = _flatten(load_yaml(HYPOS / h["file"]).data)
    b = _flatten(load_yaml(HYPOS / other["file"]).data)
    differ = {k for k in a.keys() | b.keys()
              if a.get(k) != b.get(k) and not k.endswith("description") and k not in ("title", "detail")
              and not k.endswith(".detail")}
    fields = h["pair"]["differs_in"]
    # one fact, sometimes written in two places: the answer and what an item proves of it
    assert differ == ({fields} if isinstance(fields, str) else set(fields)), differ
    assert h["expect"] != other["expect"]
    assert h["pair"]["teaches"]["zh"] and h["pair"]["teaches"]["en"]


def test_inline_examples(pack):
    assert len(pack.examples) >= 8
    for ex in pack.examples:
        outcome = run_example(pack, ex)
        assert outcome.ok, (ex.name, str(ex.span), outcome.failures)
