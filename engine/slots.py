"""Slots: the places in a case file a question fills, found by walking the case format.

A *slot* is an unanswered (or answered) answer field of the case or of one list item
(``creation.prompt``, ``evidence[0].kind``), a list of vocabulary values that makes entities
(``claims.rights``, ``evidence[0].proves``), or a list of items (``evidence``, ``acts``). Its
``where`` is the case-file path as text (``evidence[0].kind``); ``path`` the same as a tuple.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from .caseformat import CaseFormat, Place
from .itemmemo import ItemMemo, text
from .model import CASE

ITEMS, MULTI, VALUE = "items", "multi", "value"


@dataclass(frozen=True)
class Slot:
    """One place in the case file a question fills."""

    qid: str                  # stable question id: the field's path without list indexes
    kind: str                 # value | multi | items
    path: tuple               # concrete path in the case data, e.g. ("evidence", 0, "kind")
    entity: str               # the entity the answer is about ("case", "evidence:E1")
    node: dict = field(compare=False, hash=False, repr=False)
    answered: bool = False

    def __hash__(self) -> int:  # equal slots have equal paths, so equal texts (kept: where)
        return hash(self.where)

    @cached_property  # a slot kept from one plan to the next (SlotCache) makes it once
    def where(self) -> str:
        """The case-file path as text: evidence[0].kind."""
        return where_of(self.path)

    @property
    def concept(self) -> str:
        return self.qid

    @cached_property
    def item(self) -> tuple | None:
        """The path of the list item the slot belongs to (None: not in an item)."""
        for i in range(len(self.path) - 1, -1, -1):
            if isinstance(self.path[i], int):
                return self.path[: i + 1]
        return None

    @cached_property
    def indexes(self) -> tuple:
        """The list indexes of its path: (2,) for evidence[2].kind."""
        return tuple(p for p in self.path if isinstance(p, int))

    @cached_property
    def fact_key(self) -> tuple[str, str]:
        """(its question id, its entity): the fact an answer field gives."""
        return self.qid, self.entity


def where_of(path) -> str:
    """A path as text: ("evidence", 0, "kind") -> evidence[0].kind."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def path_of(where: str) -> tuple:
    """Text back to a path: evidence[0].kind -> ("evidence", 0, "kind")."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", where) if p)


def set_at(data: dict, path: tuple, value: Any) -> None:
    """Set the value at `path`, making the objects on the way."""
    node = data
    for p in path[:-1]:
        node = node[p] if isinstance(p, int) else node.setdefault(p, {})
    node[path[-1]] = value


def del_at(data: dict, path: tuple) -> None:
    """Remove the value at `path` (nothing if it is not there)."""
    parent = get_at(data, path[:-1]) if len(path) > 1 else data
    if isinstance(parent, dict):
        parent.pop(path[-1], None)


class SlotCache:
    """The slots of a case file, each list item's kept from one call to the next while the
    item is the same (engine/itemmemo.py): an interview step changes one item of a case that
    may have a thousand, and the others' slots are the same objects as before."""

    def __init__(self, fmt: CaseFormat):
        self.fmt = fmt
        self._items = ItemMemo()

    def slots(self, data: dict) -> list[Slot]:
        out = list(_walk_slots(self.fmt.top, data, (), CASE, self._items))
        self._items.done()
        return out


def get_at(data: Any, path: tuple) -> Any:
    """The value at `path` (None where the path does not lead)."""
    node = data
    for p in path:
        if isinstance(p, int):
            if not isinstance(node, list) or p >= len(node):
                return None
            node = node[p]
        else:
            if not isinstance(node, dict) or p not in node:
                return None
            node = node[p]
    return node


def _walk_slots(place: Place, value: Any, path: tuple, owner: str, memo: ItemMemo | None = None) -> Iterator[Slot]:
    for name, sub in place.fields:
        node = sub.node
        v = value.get(name) if isinstance(value, dict) else None
        p = path + (name,)
        if node["type"] == "list" and node.get("entity"):
            items = node["item"]["type"] == "object"
            yield Slot(sub.name, ITEMS if items else MULTI, p, owner, node, v is not None)
            if items and isinstance(v, list) and sub.item is not None:
                for i, item in enumerate(v):
                    nm = str(item.get("id", i + 1)) if isinstance(item, dict) else str(i + 1)
                    if memo is None:
                        yield from _walk_slots(sub.item, item, p + (i,), f"{node['entity']}:{nm}")
                        continue
                    key = (p, i, text(item))  # the item's place and text: all its slots depend on
                    got = memo.get(key)
                    if got is None:
                        got = tuple(_walk_slots(sub.item, item, p + (i,), f"{node['entity']}:{nm}", memo))
                        memo.put(key, got)
                    yield from got
        elif node.get("fact"):
            yield Slot(sub.name, VALUE, p, owner, node, v is not None)
        elif node["type"] == "object":
            yield from _walk_slots(sub, v if isinstance(v, dict) else {}, p, owner, memo)


def item_of(slot: Slot) -> tuple | None:
    """The path of the list item a slot belongs to (None: not in an item)."""
    return slot.item


class StartedItems:
    """Items that hold an answer besides their id: their sub-dialogue is under way. Asked of
    the items of the slots being ordered, each once (not a walk of the whole case file)."""

    def __init__(self, data: dict):
        self.data = data
        self._seen: dict[tuple, bool] = {}

    def __contains__(self, item: tuple | None) -> bool:
        if item is None:
            return False
        got = self._seen.get(item)
        if got is None:
            value = get_at(self.data, item)
            got = self._seen[item] = isinstance(value, dict) and any(k != "id" for k in value)
        return got
