"""The interview's history: the log of answers that `back` undoes, also after a resume.

Each entry is plain data saved on the case file's state line (engine/casewrite.py):

- ``{"op": "set", "field", "had", "was", "skipped", "closed"}`` an answer or "don't know"
  (``had``/``was``: the value it replaced; ``skipped``/``closed``: the field's flags before);
- ``{"op": "add" | "close", "field", "had", ...}`` an item added to a list, or "no more items"
  (``had``: whether the list existed);
- ``{"op": "flag", ...}`` "don't know" to a list (only the flag changes);
- ``{"op": "remove", "field": "evidence[1]", "item": {...}}`` a list item removed in review.

Removing an item renumbers every saved path under its list (the flags and the log's own
entries), and the removed item's paths become a tombstone (``evidence[~7]``, 7 being the
entry's position in the log) that undoing the removal turns back into the item.
"""
from __future__ import annotations

from .slots import del_at, get_at, path_of, set_at, where_of


def remove_item(data: dict, skipped: set, closed: set, log: list, path: tuple) -> None:
    """Remove the item at `path` (the list's path + its index) and log it."""
    index = path[-1]
    entry = {"op": "remove", "field": where_of(path), "item": get_at(data, path[:-1]).pop(index)}
    _shift(skipped, closed, log, path[:-1], index, -1, tomb=f"~{len(log)}")
    log.append(entry)


def undo(data: dict, skipped: set, closed: set, log: list) -> None:
    """Undo the last entry of a non-empty log."""
    e = log.pop()
    path = path_of(e["field"])
    if e["op"] == "remove":
        items = get_at(data, path[:-1])
        if not isinstance(items, list):
            items = []
            set_at(data, path[:-1], items)
        items.insert(path[-1], e["item"])
        _shift(skipped, closed, log, path[:-1], path[-1], +1, tomb=f"~{len(log)}")
        return
    if e["op"] == "add":
        items = get_at(data, path)
        if isinstance(items, list) and items:
            items.pop()
    if e["op"] in ("add", "close"):
        if not e.get("had"):
            del_at(data, path)
    elif e["op"] == "flag":
        pass
    elif e.get("had"):
        set_at(data, path, e.get("was"))
    else:
        del_at(data, path)
    _flag(skipped, e["field"], e.get("skipped"))
    _flag(closed, e["field"], e.get("closed"))


def _shift(skipped: set, closed: set, log: list, list_path: tuple, index: int, delta: int, tomb: str) -> None:
    """Renumber saved paths under a list after an item is removed (delta -1: the item's own
    paths become the tombstone `tomb`) or put back (delta +1: the tombstone becomes the item)."""
    n = len(list_path)

    def move(where: str) -> str:
        p = path_of(where)
        if len(p) <= n or p[:n] != list_path:
            return where
        j = p[n]
        if delta < 0:
            if j == index:
                j = tomb
            elif isinstance(j, int) and j > index:
                j -= 1
        else:
            if j == tomb:
                j = index
            elif isinstance(j, int) and j >= index:
                j += 1
        return where_of(p[:n] + (j,) + p[n + 1:])

    for flags in (skipped, closed):
        moved = {move(w) for w in flags}
        flags.clear()
        flags.update(moved)
    for e in log:
        e["field"] = move(e["field"])


def _flag(flags: set, where: str, on: bool) -> None:
    if on:
        flags.add(where)
    else:
        flags.discard(where)
