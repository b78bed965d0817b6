"""What was worked out from one list item of a case file, kept from one call to the next
while the item's text is the same.

An interview step changes one item of a case file that may have a thousand (acts): its
slots (engine/slots.py), its validation (engine/schema.py) and its entities and answers
(engine/casefile.py) are worked out again for that item only. An item is known by its place
and its text, ``repr``: a case file holds plain values (mappings, lists, strings, numbers,
booleans, dates), whose ``repr`` tells their types apart (``1``, ``1.0``, ``True``, ``'1'``),
so two items with the same text hold the same values. A miss only costs the work again.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator


class ItemMemo:
    """Results by key, for the items of the last call and of this one: a memo as big as the
    case file, not as its history."""

    def __init__(self) -> None:
        self._last: dict[Any, Any] = {}
        self._now: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        """The result kept under `key` (None: not kept)."""
        got = self._now.get(key)
        if got is None:
            got = self._last.get(key)
            if got is not None:
                self._now[key] = got
        return got

    def put(self, key: Any, value: Any) -> None:
        self._now[key] = value

    def done(self) -> None:
        """The call is over: what it did not use is forgotten after the next one."""
        self._last, self._now = self._now, {}


_texts: ContextVar[dict[int, tuple[Any, str]] | None] = ContextVar("item_texts", default=None)


def text(item: Any) -> str:
    """The text of an item (its ``repr``), made once per :func:`same_texts` scope."""
    texts = _texts.get()
    if texts is None:
        return repr(item)
    got = texts.get(id(item))
    if got is None:
        got = texts[id(item)] = (item, repr(item))  # the item kept: its id is not reused
    return got[1]


@contextmanager
def same_texts() -> Iterator[None]:
    """A scope in which the case file does not change: each item's text is made once for all
    its readers (the slots, the validation, the entities and answers)."""
    token = _texts.set({})
    try:
        yield
    finally:
        _texts.reset(token)
