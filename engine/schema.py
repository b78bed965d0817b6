"""A small closed-schema validator for YAML documents with positions.

Schemas are data (dicts, usually read from YAML) so that the case-file format lives in
the rule pack and the rule-file format lives beside the loader. Node types:

    object   fields: {name: node}; a field node may say ``required: true``; unknown keys fail
    map      free keys matching ``key`` (a regex), each value a ``value`` node
    list     ``item`` node; ``unique: true`` rejects repeated items
    enum     ``values``: the allowed values
    const    ``value``
    text     a string (numbers are accepted and read as text)
    bool     true | false
    tri      true | false | unknown
    int      an integer (``min`` optional)
    count    a non-negative integer or ``unknown``
    amount   a non-negative number or ``unknown``
    date     YYYY, YYYY-MM or YYYY-MM-DD
    day      YYYY-MM-DD
    id       a name: letters, digits, ``_``, ``-``, ``.``
    scalar   any string, number or boolean
    bilingual  ``{zh: text, en: text}``, both required and non-empty
    any      anything (checked later by whoever reads it)
    ref      the definition ``ref`` names under the root schema's ``defs`` (nodes that nest)
    tagged   a mapping whose key ``tag`` picks its fields: ``common`` plus ``variants[tag]``

Lists and maps take ``min`` and ``max`` (numbers of items); ``text`` takes ``nonblank: true``.
Dates must exist in the calendar (no February 30).

Extra keys in a schema node that the validator does not read (``fact``, ``entity``,
``label``...) are for the code that interprets the document.
"""
from __future__ import annotations

import math

import re
from contextvars import ContextVar
from datetime import date
from typing import Any

from .errors import InputError
from .itemmemo import ItemMemo, text
from .yamlsrc import Located

_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_DAY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return repr(value) if isinstance(value, str) else str(value)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else _show(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate(doc: Located, schema: dict, items: ItemMemo | None = None) -> None:
    """Check `doc.data` against `schema`; raise :class:`InputError` at the first fault.
    `items`: the mappings in lists found valid by an earlier call, by their schema node and
    text (engine/itemmemo.py), not checked again (whether an item is valid depends on the
    item alone; only a fault's message needs its place)."""
    token = _valid.set(items)
    try:
        _check(doc, schema, doc.data, ())
    finally:
        _valid.reset(token)
        if items is not None:
            items.done()


_valid: ContextVar[ItemMemo | None] = ContextVar("valid_items", default=None)


def resolve_refs(schema: dict) -> dict:
    """Link every ``{type: ref, ref: NAME}`` node of `schema` to ``schema['defs'][NAME]``
    (the result may be cyclic: a node type that contains itself)."""
    defs = schema.get("defs", {})

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "ref":
                node["_def"] = defs[node["ref"]]
            for key, v in list(node.items()):
                if key != "_def":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return schema


def _where(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the document"


def _fail(doc: Located, path: tuple, message: str, expected: str | None = None, key: bool = False):
    span = doc.key_span(path) if key else doc.span(path)
    raise InputError(f"{_where(path)}: {message}", span, expected)


def _check(doc: Located, node: dict, value: Any, path: tuple) -> None:
    kind = node["type"]
    if value is None and kind not in ("const", "any"):
        _fail(doc, path, "is empty", _expected(node))
    checker = _CHECKS.get(kind)
    if checker is None:
        raise ValueError(f"schema: unknown type {kind!r}")
    checker(doc, node, value, path)


def _expected(node: dict) -> str:
    kind = node["type"]
    if kind == "enum":
        return "one of: " + ", ".join(_plain(v) for v in node["values"])
    return {
        "object": "a mapping of: " + ", ".join(node.get("fields", {})),
        "map": "a mapping",
        "list": "a list",
        "const": _plain(node.get("value")),
        "text": "text",
        "bool": "true or false",
        "tri": "true, false or unknown",
        "int": "an integer",
        "count": "a whole number or unknown",
        "amount": "an amount in yuan (a number) or unknown",
        "date": "a date written YYYY, YYYY-MM or YYYY-MM-DD",
        "day": "a date written YYYY-MM-DD",
        "id": "a name made of letters, digits, '_', '-' or '.'",
        "scalar": "a string, number or boolean",
        "bilingual": "a mapping with both zh and en texts",
        "any": "a value",
        "ref": "a mapping",
        "tagged": f"a mapping with '{node.get('tag')}: ' one of " + ", ".join(node.get("variants", {})),
    }[kind]


def _object(doc, node, value, path):
    fields = node.get("fields", {})
    if not isinstance(value, dict):
        _fail(doc, path, f"must be a mapping, not {_show(value)}", _expected(node))
    for key in value:
        if key not in fields:
            _fail(doc, path + (key,), f"unknown key '{key}'", "one of: " + ", ".join(fields), key=True)
    for name, sub in fields.items():
        if name in value:
            if value[name] is None and sub.get("nullable"):
                continue
            _check(doc, sub, value[name], path + (name,))
        elif sub.get("required"):
            _fail(doc, path, f"missing required key '{name}'", _expected(sub))


def _counted(doc, node, value, path, what: str):
    if len(value) < node.get("min", 0):
        _fail(doc, path, f"has {len(value)} {what}; at least {node['min']} needed")
    if "max" in node and len(value) > node["max"]:
        _fail(doc, path, f"has {len(value)} {what}; at most {node['max']} allowed")


def _map(doc, node, value, path):
    if not isinstance(value, dict):
        _fail(doc, path, "must be a mapping", "a mapping")
    _counted(doc, node, value, path, "entries")
    pattern = re.compile(node["key"]) if "key" in node else None
    for key, item in value.items():
        if pattern and (not isinstance(key, str) or not pattern.match(key)):
            _fail(doc, path + (key,), f"bad key '{key}'", "a name", key=True)
        _check(doc, node["value"], item, path + (key,))


def _list(doc, node, value, path):
    if not isinstance(value, list):
        _fail(doc, path, f"must be a list, not {_show(value)}", "a list")
    _counted(doc, node, value, path, "items")
    seen = []
    valid = _valid.get()
    for i, item in enumerate(value):
        if valid is None or type(item) is not dict:
            _check(doc, node["item"], item, path + (i,))
        else:
            key = (id(node["item"]), text(item))
            if valid.get(key) is None:
                _check(doc, node["item"], item, path + (i,))
                valid.put(key, True)
        if node.get("unique"):
            if item in seen:
                _fail(doc, path + (i,), f"{_show(item)} is listed twice")
            seen.append(item)


def _enum(doc, node, value, path):
    if value not in node["values"] or isinstance(value, bool) != any(
        isinstance(v, bool) and v == value for v in node["values"]
    ):
        _fail(doc, path, f"{_show(value)} is not allowed", _expected(node))


def _const(doc, node, value, path):
    if value != node["value"]:
        _fail(doc, path, f"{_show(value)} is not allowed", _expected(node))


def _text(doc, node, value, path):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        _fail(doc, path, f"must be text, not {_show(value)}", "text")
    if node.get("nonblank") and not str(value).strip():
        _fail(doc, path, "is blank", "some text")


def _bool(doc, node, value, path):
    if not isinstance(value, bool):
        _fail(doc, path, f"{_show(value)} is not allowed", _expected(node))


def _tri(doc, node, value, path):
    if not (isinstance(value, bool) or value == "unknown"):
        _fail(doc, path, f"{_show(value)} is not allowed", _expected(node))


def _int(doc, node, value, path):
    if not (isinstance(value, int) and not isinstance(value, bool)) or value < node.get("min", value):
        _fail(doc, path, f"{_show(value)} is not allowed", _expected(node))


#: The largest amount and count a file may state. Beyond them no claim is plausible, and the
#: inference engine's JSON reader cannot take such numbers (2e27 failed inside it), nor can the
#: opinion's decimal formatting: the user gets this limit, not an error from deep inside.
MAX_AMOUNT = 10 ** 12
MAX_COUNT = 10 ** 9


def _count(doc, node, value, path):
    if value == "unknown":
        return
    if not (isinstance(value, int) and not isinstance(value, bool)) or value < 0:
        _fail(doc, path, f"{_show(value)} is not allowed", _expected(node))
    if value > MAX_COUNT:
        _fail(doc, path, f"{_show(value)} is too large (a count is at most {MAX_COUNT:,})", _expected(node))


def _amount(doc, node, value, path):
    if value == "unknown":
        return
    if not _is_number(value) or not math.isfinite(value) or value < 0:
        _fail(doc, path, f"{_show(value)} is not allowed", _expected(node))
    if value > MAX_AMOUNT:
        _fail(doc, path, f"{_show(value)} is too large (an amount is at most {MAX_AMOUNT:,})", _expected(node))


def _date(doc, node, value, path):
    pattern = _DAY if node["type"] == "day" else _DATE
    if not pattern.match(str(value)) or isinstance(value, bool):
        _fail(doc, path, f"{_show(value)} is not a valid date", _expected(node))
    if _DAY.match(str(value)):
        try:
            date.fromisoformat(str(value))
        except ValueError:
            _fail(doc, path, f"{_show(value)} is not a day of the calendar", _expected(node))


def _id(doc, node, value, path):
    if not isinstance(value, str) or not _ID.match(value):
        _fail(doc, path, f"{_show(value)} is not a valid name", _expected(node))


def _scalar(doc, node, value, path):
    if not isinstance(value, (str, int, float, bool)):
        _fail(doc, path, f"{_show(value)} is not a single value", _expected(node))


def _bilingual(doc, node, value, path):
    if not isinstance(value, dict):
        _fail(doc, path, "must give the text in both languages", _expected(node))
    for key in value:
        if key not in ("zh", "en"):
            _fail(doc, path + (key,), f"unknown language '{key}'", "zh or en", key=True)
    for lang in ("zh", "en"):
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            _fail(doc, path, f"missing the {'Chinese (zh)' if lang == 'zh' else 'English (en)'} text",
                  "both zh and en")


def _ref(doc, node, value, path):
    _check(doc, node["_def"], value, path)


def _tagged(doc, node, value, path):
    if not isinstance(value, dict):
        _fail(doc, path, f"must be a mapping, not {_show(value)}", _expected(node))
    tag = node["tag"]
    if tag not in value:
        _fail(doc, path, f"missing required key '{tag}'", _expected(node))
    variant = value[tag]
    if not isinstance(variant, str) or variant not in node["variants"]:
        _fail(doc, path + (tag,), f"{_show(variant)} is not allowed", "one of: " + ", ".join(node["variants"]))
    fields = {**node.get("common", {}), **(node["variants"][variant] or {})}
    _object(doc, {"type": "object", "fields": fields}, value, path)


_CHECKS = {
    "object": _object, "map": _map, "list": _list, "enum": _enum, "const": _const,
    "text": _text, "bool": _bool, "tri": _tri, "int": _int, "count": _count,
    "amount": _amount, "date": _date, "day": _date, "id": _id, "scalar": _scalar,
    "bilingual": _bilingual, "any": lambda doc, node, value, path: None, "ref": _ref, "tagged": _tagged,
}
