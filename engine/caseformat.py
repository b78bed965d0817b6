"""The case format's own checks and the entity kinds it makes, read by the pack loader: every
answer field labelled in zh and en, only lists make entities, every link and pair names a kind
that exists. Any fault is an :class:`InputError` with ``file:line:col``.
"""
from __future__ import annotations


from .errors import InputError
from .model import CASE
from .yamlsrc import Located


def field_paths(case_format: dict) -> dict[str, dict]:
    """Every field of the case format by its path with list levels dropped (``evidence``,
    ``acts.permission``, ``parties.plaintiff.kind``), and its schema node."""
    out: dict[str, dict] = {}

    def walk(node: dict, path: tuple):
        if path:
            out.setdefault(".".join(path), node)
        for name, sub in node.get("fields", {}).items():
            walk(sub, path + (name,))
        if node["type"] == "list":
            walk(node["item"], path)

    walk(case_format["root"], ())
    return out


def check_case_format(doc: Located) -> None:
    """What the case format's schema cannot say: answer fields are labelled, entities are
    made by lists, links and synthesised entities name real kinds and fields."""
    fmt = doc.data
    if fmt["root"]["type"] != "object":
        raise InputError("the root of a case format is an object", doc.span(("root", "type")), "type: object")
    kinds: dict[str, tuple] = {}
    links: list[tuple] = []

    def walk(node: dict, spath: tuple):
        if node.get("fact") and not node.get("label"):
            raise InputError("an answer field (fact: true) needs a label in zh and en", doc.span(spath),
                             "label: {zh: ..., en: ...}")
        if "entity" in node:
            if node["type"] != "list":
                raise InputError("only a list makes entities (one per item)", doc.key_span(spath + ("entity",)),
                                 "entity: on a node of type list")
            kinds.setdefault(node["entity"], spath)
        if "link" in node:
            if "entity" not in node:
                raise InputError("'link' links the entities of a list: it needs 'entity'",
                                 doc.key_span(spath + ("link",)), "entity: KIND beside link: KIND")
            links.append((node["link"], spath + ("link",)))
        for name, sub in (node.get("fields") or {}).items():
            walk(sub, spath + ("fields", name))
        for key in ("item", "value"):
            if isinstance(node.get(key), dict) and node["type"] in ("list", "map"):
                walk(node[key], spath + (key,))

    walk(fmt["root"], ("root",))
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


def entity_links(case_format: dict) -> dict[str, set[str]]:
    """Which kinds each entity kind links to (its parent list's kind, `link`, `cross`)."""
    links: dict[str, set[str]] = {}

    def walk(node, parent):
        kind = node.get("entity")
        if kind:
            links.setdefault(kind, set()).update({parent} if parent else set())
            if node.get("link"):
                links[kind].add(node["link"])
        for sub in node.get("fields", {}).values():
            walk(sub, kind or parent)
        if "item" in node:
            walk(node["item"], kind or parent)

    walk(case_format["root"], None)
    for kind, spec in case_format.get("entities", {}).items():
        links.setdefault(kind, set()).update(spec.get("cross", ()))
    return links


def entity_kinds(case_format: dict) -> set[str]:
    kinds = {CASE} | set(case_format.get("entities", {}))

    def walk(node):
        if node.get("entity"):
            kinds.add(node["entity"])
        for sub in node.get("fields", {}).values():
            walk(sub)
        if "item" in node:
            walk(node["item"])

    walk(case_format["root"])
    return kinds


def entity_names(case_format: dict, kind: str) -> list | None:
    """The fixed names of an entity kind made from a field's choices (None: names vary)."""
    spec = (case_format.get("entities") or {}).get(kind) or {}
    if "names_from" not in spec:
        return None
    node = case_format["root"]
    for step in spec["names_from"]:
        node = node["item"] if step == "item" else node["fields"][step]
    return list(node["values"])
