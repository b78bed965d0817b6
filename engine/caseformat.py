"""The case format of a pack (``case-format.yaml``) and what the engine asks of it.

:class:`CaseFormat` is the case format read once: a mapping of the document itself (``root``,
``format``, ``entities``), and, from one walk over its tree, its fields by path, the answer
fields the rules read, the lists that make entities, the entity kinds with their links and
their fixed names (vocabularies), and the field whose values name each kind. The pack keeps
it (``pack.case_format``); every reader of the case format asks it instead of walking the
tree again. :func:`check_case_format` is the case format's own checks, read by the pack
loader: every answer field labelled in zh and en, only lists make entities, every link and
pair names a kind that exists, every date is ordered after other date fields
(``not_before``). Any fault is an :class:`InputError` with ``file:line:col``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterator, Mapping

from .errors import InputError
from .model import CASE
from .yamlsrc import Located

DATE_TYPES = ("date", "day")


@dataclass(frozen=True, eq=False)
class Place:
    """One node of the case format, where it sits."""

    node: dict[str, Any]      # the schema node as case-format.yaml has it
    path: tuple[str, ...]     # its field names, list levels dropped: ("evidence", "kind")
    where: tuple              # its place in case-format.yaml: ("root", "fields", "evidence", "item", ...)
    owner: str                # the entity kind whose items hold it (CASE outside lists of entities)
    in_map: bool              # under a map's value (free keys: no field the rules or questions know)
    in_list: bool             # inside the items of some list
    # reached through objects and items of lists of records that make entities only
    # (the lists the interview adds entities by)
    in_records: bool
    fields: tuple[tuple[str, "Place"], ...]   # an object's fields, in order
    item: "Place | None"                      # a list's item
    name: str                 # the path as text: evidence.kind (a question's id)
    concept: str              # the concept an answer here is (the name; a field named 'item' left out)

    @property
    def entity(self) -> str | None:
        """The entity kind this node's items make (a list), if any."""
        return self.node.get("entity")

    @cached_property
    def named(self) -> dict[str, "Place"]:
        """An object's fields by name (a frozen dataclass may still cache: this writes the
        instance's __dict__ directly)."""
        return dict(self.fields)


class CaseFormat(Mapping):
    """The case format of a pack: the document (a read-only mapping: ``fmt["root"]``) and
    what is known of its tree, each found once, in the case format's order."""

    def __init__(self, data: Mapping[str, Any]):
        self._data = data

    # -- the document itself
    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __reduce__(self):
        # pickled (the pack cache) as its document; what is known of it is found again
        return (CaseFormat, (dict(self._data),))

    @property
    def root(self) -> Mapping[str, Any]:
        return self._data["root"]

    @property
    def id(self) -> str:
        """The format's id, which a case file names (``format: assessor.case/1``)."""
        return self._data["format"]

    # -- the one walk
    @cached_property
    def places(self) -> tuple[Place, ...]:
        """Every node of the tree, parents before children (a list before its item, an
        object's fields in order, a map before its value)."""
        out: list = []

        def walk(node, path, where, owner, in_map, in_list, in_records) -> Place:
            at = len(out)
            out.append(None)   # its place in the order: before its children
            fields = tuple((name, walk(sub, path + (name,), where + ("fields", name), owner, in_map,
                                       in_list, in_records))
                           for name, sub in (node.get("fields") or {}).items())
            item = None
            if node["type"] == "list":
                kind = node.get("entity")
                item = walk(node["item"], path, where + ("item",), kind or owner, in_map, True,
                            in_records and bool(kind) and node["item"]["type"] == "object")
            elif node["type"] == "map":
                walk(node["value"], path, where + ("value",), owner, True, in_list, False)
            out[at] = Place(node, path, where, owner, in_map, in_list, in_records, fields, item,
                            ".".join(path), ".".join(p for p in path if p != "item"))
            return out[at]

        walk(self._data["root"], (), ("root",), CASE, False, False, True)
        return tuple(out)

    @property
    def top(self) -> Place:
        """The root of the tree (the case file itself)."""
        return self.places[0]

    @cached_property
    def _fields(self) -> tuple[Place, ...]:
        """The nodes of named fields: not the root, not under a map's free keys."""
        return tuple(p for p in self.places if p.path and not p.in_map)

    # -- what is asked of it
    @cached_property
    def fields(self) -> dict[str, dict[str, Any]]:
        """Every field by its path with list levels dropped (``evidence``, ``acts.permission``,
        ``parties.plaintiff.kind``), and its schema node (a list, not its item, at a list's path)."""
        out: dict[str, dict[str, Any]] = {}
        for p in self._fields:
            out.setdefault(p.name, p.node)
        return out

    def field(self, path: str, *, in_items: bool = False) -> dict[str, Any] | None:
        """The schema node of a field by its dotted path: outside lists, or with `in_items`
        through the items of lists too (``acts.on``)."""
        for p in self._fields:
            if p.name == path and (in_items or not p.in_list):
                return p.node
        return None

    @cached_property
    def answers(self) -> tuple[tuple[str, dict[str, Any], str], ...]:
        """Every answer field (``fact: true``): (concept name, schema node, entity kind)."""
        return tuple((p.concept, p.node, p.owner) for p in self.places if p.node.get("fact") and not p.in_map)

    @cached_property
    def entity_lists(self) -> tuple[Place, ...]:
        """The lists that make entities, in order."""
        return tuple(p for p in self.places if p.entity and not p.in_map)

    @cached_property
    def kinds(self) -> frozenset[str]:
        """Every entity kind: the case, the kinds lists make, the kinds the format declares."""
        return frozenset({CASE} | set(self._data.get("entities") or {}) | {p.node["entity"] for p in self.entity_lists})

    @cached_property
    def links(self) -> dict[str, frozenset[str]]:
        """Which kinds each entity kind links to (its parent list's kind, `link`, `cross`)."""
        out: dict[str, set[str]] = {}
        for p in self.entity_lists:
            kind = p.node["entity"]
            out.setdefault(kind, set()).update({p.owner} if p.owner != CASE else set())
            if p.node.get("link"):
                out[kind].add(p.node["link"])
        for kind, spec in (self._data.get("entities") or {}).items():
            out.setdefault(kind, set()).update(spec.get("cross", ()))
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def dates(self) -> dict[str, Place]:
        """The date fields by path (``decided_on``, ``acts.on``)."""
        out: dict[str, Place] = {}
        for p in self._fields:
            if p.node["type"] in DATE_TYPES:
                out.setdefault(p.name, p)
        return out

    @cached_property
    def date_orders(self) -> tuple[tuple[Place, Place, int], ...]:
        """The order between date fields the format declares (``not_before`` on a date field):
        (the field, a field it is not before, the lists both sit in: compared item by item)."""
        out = []
        for p in self.dates.values():
            for name in p.node.get("not_before") or ():
                other = self.dates[name]
                out.append((p, other, _shared_lists(p.where, other.where)))
        return tuple(out)

    def names(self, kind: str) -> tuple | None:
        """The fixed names of an entity kind made from a field's choices (None: names vary)."""
        return self._names.get(kind)

    @cached_property
    def _names(self) -> dict[str, tuple]:
        out = {}
        for kind, spec in (self._data.get("entities") or {}).items():
            if "names_from" in spec:
                node = self._data["root"]
                for step in spec["names_from"]:
                    node = node["item"] if step == "item" else node["fields"][step]
                out[kind] = tuple(node["values"])
        return out

    @cached_property
    def sources(self) -> dict[str, tuple[tuple[str, str | None], ...]]:
        """For each entity kind, the lists that make its entities: (question id, the kind of
        the items holding the list, None for the case). A cross kind is made by the lists of
        both its kinds."""
        out: dict[str, list] = {}
        for p in self.entity_lists:
            if p.in_records:
                out.setdefault(p.node["entity"], []).append((p.name, None if p.owner == CASE else p.owner))
        for kind, spec in (self._data.get("entities") or {}).items():
            if "cross" in spec:
                out[kind] = [src for k in spec["cross"] for src in out.get(k, [])]
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def shapes(self) -> dict[str, tuple]:
        """How an entity of each kind is named: ("id", path) for a list of records (by the
        item's id), ("value", path) for a list of values or a kind made from a field's choices
        (by the value, a choice of the field at path), ("cross",) for a kind made of pairs."""
        out: dict[str, tuple] = {}
        for p in self.entity_lists:
            out.setdefault(p.node["entity"], ("id" if p.node["item"]["type"] == "object" else "value", p.name))
        for kind, spec in (self._data.get("entities") or {}).items():
            if "names_from" in spec:
                out[kind] = ("value", ".".join(s for s in spec["names_from"] if s != "item"))
            else:
                out[kind] = ("cross",)
        return out

    @cached_property
    def naming(self) -> tuple[dict[str, str], dict[str, list[str | None]]]:
        """For each entity kind, the case-file field whose values name it (right <- claims.rights),
        and the kinds of the parts of a compound name (proof "E1/prompt" <- evidence, topic)."""
        fields: dict[str, str] = {}
        parts: dict[str, list[str | None]] = {}
        for p in self.entity_lists:
            kind, link = p.node["entity"], p.node.get("link")
            fields.setdefault(link or kind, p.name)
            parts[kind] = [None if p.owner == CASE else p.owner, link] if link else [kind]
        for kind, spec in (self._data.get("entities") or {}).items():
            parts[kind] = list(spec.get("cross", [kind]))
        return fields, parts


def _shared_lists(a: tuple, b: tuple) -> int:
    """How many lists two places of the format both sit in (their `where`s: "fields" NAME,
    "item" for a list's item, "value" for a map's)."""
    shared, i = 0, 1
    while i < min(len(a), len(b)) and a[i] == b[i]:
        if a[i] == "fields":
            if i + 1 >= min(len(a), len(b)) or a[i + 1] != b[i + 1]:
                break
            i += 2
            continue
        shared += a[i] == "item"
        i += 1
    return shared


def check_case_format(doc: Located, case_format: CaseFormat) -> None:
    """What the case format's schema cannot say: answer fields are labelled, entities are
    made by lists, links and synthesised entities name real kinds and fields (`case_format`:
    the format `doc` holds, before anything is asked of it)."""
    fmt = doc.data
    if fmt["root"]["type"] != "object":
        raise InputError("the root of a case format is an object", doc.span(("root", "type")), "type: object")
    kinds: dict[str, tuple] = {}
    links: list[tuple] = []
    for place in case_format.places:
        n, spath = place.node, place.where
        if place.in_map and "not_before" in n:
            raise InputError("a date under a map's free keys cannot be ordered",
                             doc.key_span(spath + ("not_before",)), "not_before on a date field outside maps")
        if n.get("fact") and not n.get("label"):
            raise InputError("an answer field (fact: true) needs a label in zh and en", doc.span(spath),
                             "label: {zh: ..., en: ...}")
        if "entity" in n:
            if n["type"] != "list":
                raise InputError("only a list makes entities (one per item)", doc.key_span(spath + ("entity",)),
                                 "entity: on a node of type list")
            kinds.setdefault(n["entity"], spath)
        if "link" in n:
            if "entity" not in n:
                raise InputError("'link' links the entities of a list: it needs 'entity'",
                                 doc.key_span(spath + ("link",)), "entity: KIND beside link: KIND")
            links.append((n["link"], spath + ("link",)))
    for place in case_format.dates.values():
        for i, name in enumerate(place.node.get("not_before") or ()):
            if name not in case_format.dates or name == place.name:
                raise InputError(f"not_before: '{name}' is not another date field of the case format",
                                 doc.span(place.where + ("not_before", i)),
                                 "one of: " + ", ".join(n for n in case_format.dates if n != place.name))
    declared = set(kinds) | set(fmt.get("entities") or {})
    for kind, spec in (fmt.get("entities") or {}).items():
        path = ("entities", kind)
        if ("names_from" in spec) == ("cross" in spec):
            raise InputError(f"entity kind '{kind}' is made either from a field's values or as pairs",
                             doc.span(path), "names_from: [field path] or cross: [KIND, KIND]")
        if "names_from" in spec:
            node = fmt["root"]
            for step in spec["names_from"]:
                node = (node.get("item") if step == "item" else (node.get("fields") or {}).get(step)) \
                    if isinstance(node, dict) else None
            if not isinstance(node, dict) or node.get("type") != "enum":
                raise InputError(f"entity kind '{kind}': names_from does not lead to a field of choices",
                                 doc.span(path + ("names_from",)), "a path to an enum field, lists as 'item'")
        for i, other in enumerate(spec.get("cross") or ()):
            if other not in declared:
                raise InputError(f"entity kind '{kind}' pairs '{other}', which is not an entity kind",
                                 doc.span(path + ("cross", i)), "one of: " + ", ".join(sorted(declared)))
    for target, span_path in links:
        if target not in declared:
            raise InputError(f"link to '{target}', which is not an entity kind", doc.span(span_path),
                             "one of: " + ", ".join(sorted(declared)))
