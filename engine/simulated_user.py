"""A user who answers the interview from a case file they hold: for tests, benchmarks and
scripted interviews (`assessor interview --script`)."""
from __future__ import annotations

from typing import Any

from .interview import Interview
from .slots import ITEMS, get_at


def simulated_answer(iv: Interview, source: dict) -> Any:
    """What a user holding the case file `source` answers to the current question: a value
    for `answer`, or None for "don't know" (`skip`)."""
    slot = iv.current()[0]
    assert slot is not None, "the interview asks nothing more"
    value = get_at(source, slot.path)
    if slot.kind == ITEMS:
        if value is None:
            return None
        have = get_at(iv.data, slot.path) or []
        if len(value) > len(have):
            nxt = value[len(have)]
            return {"id": str(nxt["id"])} if isinstance(nxt, dict) and "id" in nxt else True
        return False
    return value
