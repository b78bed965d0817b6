"""Read YAML keeping the position of every node, rejecting duplicate keys.

PyYAML's loaders forget where a value came from and silently keep the last of two
duplicate keys. We compose the node graph ourselves and build plain Python values,
recording a :class:`Span` for every mapping key and value under its path, so that
schema errors can say ``file:line:col``. Dates stay strings (``2023-10`` must not
become a date object, and partial dates are legal in case files).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Span

Path_ = tuple  # a path into the document: keys and list indexes
KEY = "<key>"  # path suffix under which the span of a mapping key (not its value) is kept


class Located:
    """A parsed YAML document with a span for every path."""

    def __init__(self, data: Any, spans: dict[Path_, Span], source: str):
        self.data = data
        self.spans = spans
        self.source = source

    def key_span(self, path: Path_) -> Span:
        """The span of the key that ends `path` (falls back to the value's span)."""
        return self.spans.get(tuple(path) + (KEY,)) or self.span(path)

    def span(self, path: Path_) -> Span:
        """The span of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.spans:
            path = path[:-1]
        return self.spans.get(path, Span(self.source, 1, 1))


def _bool(value: str) -> bool | str:
    # YAML 1.2: only true/false are booleans. `yes`, `no` and `on` stay words, because case
    # files use them as values (matches_subject: yes) and keys (on: 2023-10).
    low = value.lower()
    return low == "true" if low in ("true", "false") else value


_SCALARS = {
    "tag:yaml.org,2002:bool": _bool,
    "tag:yaml.org,2002:int": lambda v: int(v.replace("_", ""), 0),
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:null": lambda v: None,
}


def _span(source: str, node: yaml.Node) -> Span:
    return Span(source, node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, path: Path_, spans: dict, source: str) -> Any:
    spans[path] = _span(source, node)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError("a mapping key must be a plain scalar", _span(source, key_node))
            key = _build(key_node, path + ("<key>",), {}, source)
            if key in out:
                first = spans[path + (key, KEY)]
                raise InputError(
                    f"duplicate key '{key}' (first given at line {first.line})", _span(source, key_node)
                )
            out[key] = _build(value_node, path + (key,), spans, source)
            spans[path + (key, KEY)] = _span(source, key_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), spans, source) for i, item in enumerate(node.value)]
    convert = _SCALARS.get(node.tag)
    if convert is not None and not node.style:  # plain: None from PyYAML, "" from libyaml
        try:
            return convert(node.value)
        except ValueError:
            return node.value
    return node.value


# libyaml's parser when PyYAML was built with it (the usual wheels are): same nodes and marks,
# and parsing was most of the time of deciding a case file in a batch
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, source: str) -> Located:
    """Parse one YAML document; raise :class:`InputError` with a position on bad syntax."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(source, mark.line + 1, mark.column + 1) if mark else Span(source)
        raise InputError(f"invalid YAML: {exc.problem or exc.context}", span) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", Span(source)) from None
    spans: dict[Path_, Span] = {}
    data = _build(node, (), spans, source) if node is not None else None
    return Located(data, spans, source)


def load_yaml(path: Path, source: str | None = None) -> Located:
    """Read and parse a YAML (or JSON) file."""
    name = source or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", Span(name)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read file: {exc}", Span(name)) from None
    return parse_yaml(text, name)


def reads_back_plain(text: str) -> bool:
    """True when `text`, written unquoted as a mapping value, reads back as that same text
    under PyYAML's YAML 1.1 rules too (no yes/no/on booleans, no dates): the case-file
    writer (engine/casewrite.py) quotes everything else."""
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False
