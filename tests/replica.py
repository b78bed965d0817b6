"""Bigger inputs made from the CN pack and its hypotheticals, for tests and benchmarks."""
from __future__ import annotations

import dataclasses


def replicate(pack, copies: int):
    """The pack plus renamed copies of every rule and burden, each copy concluding (and
    reading) renamed concepts: copy k decides k.<concept> from the same answers."""
    derived = {r.then for r in pack.rules} | {b.fact for b in pack.burdens}

    def name(concept, k):
        return f"k{k}.{concept}" if concept in derived else concept

    def cond(c, k):
        return dataclasses.replace(c, fact=name(c.fact, k)) if c.fact else c

    rules, burdens, concepts = list(pack.rules), list(pack.burdens), dict(pack.concepts)
    for k in range(1, copies):
        rules += [dataclasses.replace(r, id=f"k{k}.{r.id}", then=name(r.then, k), fact=name(r.fact, k),
                                      scope=tuple(cond(c, k) for c in r.scope),
                                      terms=tuple(cond(c, k) for c in r.terms),
                                      unless=tuple(cond(c, k) for c in r.unless)) for r in pack.rules]
        burdens += [dataclasses.replace(b, id=f"k{k}.{b.id}", fact=name(b.fact, k)) for b in pack.burdens]
        concepts.update({name(c, k): dataclasses.replace(pack.concepts[c], name=name(c, k)) for c in derived})
    return dataclasses.replace(pack, digest=f"{pack.digest}+{copies}x", rules=tuple(rules),
                               burdens=tuple(burdens), concepts=concepts)


def many_acts(case_text: str, n: int) -> str:
    """A case file with its first act repeated `n` times (A1 ... An). Text is edited, not
    re-dumped, so that every answer keeps its spelling (``yes`` stays a word)."""
    lines = case_text.splitlines(keepends=True)
    first = lines.index("acts:\n") + 1
    last = first + 1
    while last < len(lines) and (lines[last].startswith("    ") or not lines[last].strip()):
        last += 1
    act = "".join(lines[first:last])
    assert act.startswith("  - id: A1\n"), act
    acts = "".join(act.replace("  - id: A1\n", f"  - id: A{i}\n", 1) for i in range(1, n + 1))
    return "".join(lines[:first]) + acts + "".join(lines[last:])


def two_periods(case_text: str) -> str:
    """A case file of `many_acts` with every other act (A1, A3, ...) moved from 2023 to 2020,
    before the 2020 Law: its acts fall in two periods of the law."""
    parts = case_text.split("  - id: A")
    return "  - id: A".join(p.replace("    on: 2023-03\n", "    on: 2020-09\n", 1) if i % 2 else p
                            for i, p in enumerate(parts))
