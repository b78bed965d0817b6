"""Read a case file against the case format a rule pack declares.

The case format (``case-format.yaml`` in the pack) is a schema whose nodes may also say
which values are answers the rules read (``fact: true``) and which lists hold entities
(``entity: KIND``). This module validates a case file, then turns it into entities and
input facts for a consultation. It knows no field names of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator

from .caseformat import Place
from .dateorder import check_date_order
from .errors import InputError, Span
from .gcpause import paused_gc
from .itemmemo import ItemMemo, text
from .model import CASE, DECIDED, Entity, LawDates, RulePack, items_key, period_concept
from .schema import validate
from .yamlsrc import Located, load_yaml, parse_yaml


@dataclass(frozen=True)
class InputFact:
    concept: str
    entity: str
    value: Any
    path: tuple               # where in the case file the answer is


@dataclass(frozen=True)
class Case:
    """A validated case file and what the rules see of it."""

    doc: Located
    entities: tuple[Entity, ...]
    facts: tuple[InputFact, ...]
    decided_on: str
    # the date each further clock of the pack reads (pack.yaml law_dates)
    law_dates: tuple[tuple[str, str], ...] = ()
    # the own date of each item of a per-item clock: (clock, entity id, day)
    item_dates: tuple[tuple[str, str, str], ...] = ()

    @property
    def law(self) -> LawDates:
        """The dates that pick the version of every provision (RulePack.as_of)."""
        return ((DECIDED, self.decided_on),) + self.law_dates if self.law_dates else self.decided_on

    @property
    def clock_dates(self) -> dict[str, str]:
        """The date of each clock (the decision date's too), without the periods of items."""
        return {DECIDED: self.decided_on, **{k: v for k, v in self.law_dates if "/" not in k}}

    @cached_property
    def answered(self) -> list[str]:
        """Every field path the case file answers (list indexes dropped), e.g. evidence.kind."""
        return answered_paths(self.doc.data)

    @property
    def data(self) -> dict:
        return self.doc.data

    @property
    def source(self) -> str:
        return self.doc.source


def answered_paths(data: Any, memo: ItemMemo | None = None) -> list[str]:
    """Every field path `data` answers (list indexes dropped), in the order first met; with a
    memo, each mapping in a list is walked once while its text is the same (itemmemo.py)."""
    out: dict[str, None] = {}  # ordered, and a membership test that stays cheap with many items

    def walk(value: Any, path: str) -> None:
        if path:
            out[path] = None
        if isinstance(value, dict):
            for k, v in value.items():
                if v is not None:
                    walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, list):
            for item in value:
                if memo is None or type(item) is not dict:
                    walk(item, path)
                    continue
                key = (path, text(item))
                got = memo.get(key)
                if got is None:
                    mine = answered_paths(item, None)
                    got = tuple(f"{path}.{p}" for p in mine)
                    memo.put(key, got)
                out.update(dict.fromkeys(got))

    walk(data, "")
    return list(out)


def fact_name(path: tuple) -> str:
    """The concept name of a field: its path with list indexes dropped."""
    return ".".join(p for p in path if isinstance(p, str) and p != "item")


def read_case(path: Path | str, pack: RulePack, source: str | None = None) -> Case:
    """Read and validate a case file; raise :class:`InputError` naming file, line and key."""
    with paused_gc():
        return build_case(load_yaml(Path(path), source), pack)


def parse_case(text: str, pack: RulePack, source: str) -> Case:
    with paused_gc():
        return build_case(parse_yaml(text, source), pack)


@dataclass
class CaseMemo:
    """Kept from one reading of a case file to the next while it changes an item at a time
    (the interview's): the items found valid, and each item's entities and answers."""

    valid: ItemMemo = field(default_factory=ItemMemo)
    ids: ItemMemo = field(default_factory=ItemMemo)     # items whose lists have unique ids
    items: ItemMemo = field(default_factory=ItemMemo)
    made: ItemMemo = field(default_factory=ItemMemo)    # the entities made from others (cross)
    answered: ItemMemo = field(default_factory=ItemMemo)  # the paths each item answers


def build_case(doc: Located, pack: RulePack, memo: CaseMemo | None = None) -> Case:
    fmt = pack.case_format
    if not isinstance(doc.data, dict):
        raise InputError("a case file must be a mapping of fields", doc.span(()),
                         f"'format: {fmt['format']}' and the case's fields")
    if "format" not in doc.data:
        raise InputError("missing required key 'format'", doc.span(()), f"format: {fmt['format']}")
    validate(doc, fmt["root"], memo.valid if memo is not None else None)
    _check_ids(doc, memo.ids if memo is not None else None)
    check_date_order(doc, fmt)
    entities: dict[str, Entity] = {CASE: Entity(CASE, CASE, CASE)}
    facts: list[InputFact] = []
    _collect(doc, fmt.top, doc.data, (), entities[CASE], entities, facts, memo.items if memo is not None else None)
    for kind, spec in fmt.get("entities", {}).items():
        for entity in _synthesise(kind, spec, fmt.names(kind), entities, memo.made if memo is not None else None):
            entities.setdefault(entity.id, entity)
    if memo is not None:
        for kept in (memo.ids, memo.items, memo.made):
            kept.done()
    decided = _full_day(str(doc.data.get("decided_on") or date.today().isoformat()))
    dates, items = law_dates(pack, doc.data, decided)
    for clock, item, day, index in items:
        if items_key(clock) in dict(dates):  # items in several periods: each rule of an item's law is guarded by it
            facts.append(InputFact(period_concept(clock), item, pack.period_of(clock, day),
                                   (pack.manifest["law_dates"][clock]["items"], index)))
    case = Case(doc, tuple(entities.values()), tuple(facts), decided, dates, tuple(x[:3] for x in items))
    if memo is not None:  # Case.answered, made item by item (cached_property keeps it in __dict__)
        case.__dict__["answered"] = answered_paths(doc.data, memo.answered)
        memo.answered.done()
    return case


def law_dates(pack: RulePack, data: dict, decided: str) -> tuple[tuple[tuple[str, str], ...], list[tuple[str, str, str, int]]]:
    """The date of each clock the pack declares: the latest date the items of its list give
    (an item still continuing lasts until the decision), else the decision date. A clock read
    per item gives each item its own date the same way (an item with no date takes the
    clock's), and, when they fall in more than one period of its law, the periods; each item as
    (clock, entity id, day, index in its list)."""
    out: list[tuple[str, str]] = []
    per_item: list[tuple[str, str, str, int]] = []
    for clock, spec in (pack.manifest.get("law_dates") or {}).items():
        days: list[str] = []
        own: list[tuple[str, str | None, int]] = []
        for i, item in enumerate(data.get(spec["items"]) or ()):
            if not isinstance(item, dict):
                continue
            mine = [_full_day(str(item[k])) for k in spec["dates"] if item.get(k) is not None]
            going = spec.get("continuing")
            if going and item.get(going["field"]) == going["is"]:
                mine.append(decided)
            days += mine
            own.append((f"{pack.item_clocks[clock][0]}:{item.get('id', i + 1)}" if clock in pack.item_clocks else "",
                        min(max(mine), decided) if mine else None, i))
        day = min(max(days), decided) if days else decided
        out.append((clock, day))
        if clock in pack.item_clocks:
            per_item += [(clock, entity, own_day or day, i) for entity, own_day, i in own]
            periods = sorted({pack.period_of(clock, x[2]) for x in per_item if x[0] == clock})
            if len(periods) > 1:
                out.append((items_key(clock), ",".join(periods)))
    return tuple(out), per_item


def _full_day(day: str) -> str:
    # a partial date selects the law in force at the end of that period
    if len(day) == 4:
        return day + "-12-31"
    if len(day) == 7:
        return day + "-28"
    return day


def _check_ids(doc: Located, memo: ItemMemo | None = None) -> None:
    """Ids of items in one list must be unique (within the items `memo` holds, they are)."""

    def walk(value: Any, path: tuple) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, path + (k,))
        elif isinstance(value, list):
            seen: dict[str, int] = {}
            for i, item in enumerate(value):
                if isinstance(item, dict) and "id" in item:
                    if item["id"] in seen:
                        first = doc.span(path + (seen[item["id"]], "id"))
                        raise InputError(f"id '{item['id']}' is used twice (first at line {first.line})",
                                         doc.span(path + (i, "id")), "a different id for each item")
                    seen[item["id"]] = i
                if memo is None or type(item) is not dict:
                    walk(item, path + (i,))
                elif memo.get(text(item)) is None:
                    walk(item, path + (i,))
                    memo.put(text(item), True)

    walk(doc.data, ())


def _entity(kind: str, name: str, links: dict[str, str]) -> Entity:
    return Entity(f"{kind}:{name}", kind, name, MappingProxyType(dict(links)))


def _collect(doc: Located, place: Place, value: Any, path: tuple, owner: Entity,
             entities: dict[str, Entity], facts: list[InputFact], memo: ItemMemo | None = None) -> None:
    node = place.node
    if node.get("fact"):
        facts.append(InputFact(place.concept, owner.id, value, path))
    if node["type"] == "object" and isinstance(value, dict):
        for name, sub in place.fields:
            if name in value and value[name] is not None:
                _collect(doc, sub, value[name], path + (name,), owner, entities, facts, memo)
    elif node["type"] == "list" and isinstance(value, list) and place.item is not None:
        kind, below = node.get("entity"), place.item
        for i, item in enumerate(value):
            if kind and memo is not None and type(item) is dict:
                # an item's entities and answers: from its place, its text and its owner
                key = (path, i, text(item), owner.id)
                got = memo.get(key)
                if got is None:
                    mine: dict[str, Entity] = {}
                    answers: list[InputFact] = []
                    _item(doc, node, below, item, path, i, owner, mine, answers, memo)
                    got = (mine, tuple(answers))
                    memo.put(key, got)
                entities.update(got[0])  # as if each were set in turn: the first place, the last value
                facts.extend(got[1])
            else:
                _item(doc, node, below, item, path, i, owner, entities, facts, memo)


def _item(doc: Located, node: dict, below: Place, item: Any, path: tuple, i: int, owner: Entity,
          entities: dict[str, Entity], facts: list[InputFact], memo: ItemMemo | None) -> None:
    """One item of a list: its entity (a list of entities) and what it holds."""
    child = owner
    kind = node.get("entity")
    if kind:
        name = str(item.get("id", i + 1)) if isinstance(item, dict) else str(item)
        links = {} if owner.id == CASE else {owner.kind: owner.id}
        if node.get("link"):
            name = f"{owner.name}/{item}"
            links[node["link"]] = f"{node['link']}:{item}"
        child = _entity(kind, name, links)
        entities[child.id] = child
    _collect(doc, below, item, path + (i,), child, entities, facts, memo)


def _synthesise(kind: str, spec: dict, names: tuple | None, entities: dict[str, Entity],
                memo: ItemMemo | None = None) -> Iterator[Entity]:
    if names is not None:   # made from a field's choices (names_from): one entity per choice
        for name in names:
            yield _entity(kind, name, {})
    elif "cross" in spec:
        left, right = spec["cross"]
        rights = [e for e in entities.values() if e.kind == right]  # once, not once per left entity
        for a in [e for e in entities.values() if e.kind == left]:
            for b in rights:
                if memo is None:
                    yield _entity(kind, f"{a.name}/{b.name}", {left: a.id, right: b.id})
                    continue
                key = (kind, a.id, b.id)  # its name and links: from the two ids
                made = memo.get(key)
                if made is None:
                    made = _entity(kind, f"{a.name}/{b.name}", {left: a.id, right: b.id})
                    memo.put(key, made)
                yield made
    else:
        raise InputError(f"entity kind '{kind}': expected names_from or cross", Span("case-format.yaml"))
