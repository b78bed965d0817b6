"""Read YAML keeping the position of every node, rejecting duplicate keys.

PyYAML's loaders forget where a value came from and silently keep the last of two
duplicate keys. We compose the node graph ourselves and build plain Python values,
recording a :class:`Span` for every mapping key and value under its path, so that
schema errors can say ``file:line:col``. Dates stay strings (``2023-10`` must not
become a date object, and partial dates are legal in case files).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, NoReturn, cast

import yaml

from .errors import InputError, Span, position

Path_ = tuple  # a path into the document: keys and list indexes
KEY = "<key>"  # path suffix under which the span of a mapping key (not its value) is kept

#: limits on what a case file or rule file may be, each reported with its own message: no
#: real file comes near them, and past them reading would take minutes or all the memory
MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 64                 # mappings and lists inside each other
MAX_ALIASES = 100              # uses of YAML aliases (*name)
MAX_VALUES = 500_000           # values of the document once its aliases are expanded
MAX_LIST = 10_000              # items of one list


class Located:
    """A parsed YAML document with a span for every path.

    `spans` holds, for each path, the parser's mark of where its node starts (0-based line
    and column): a :class:`Span` is made from it only when an error asks for one, which is
    rare, while a case file with 1,000 items has some 30,000 nodes."""

    def __init__(self, data: Any, spans: dict[Path_, Any], source: str):
        self.data = data
        self.spans = spans
        self.source = source

    def key_span(self, path: Path_) -> Span:
        """The span of the key that ends `path` (falls back to the value's span)."""
        mark = self.spans.get(tuple(path) + (KEY,))
        return self._span(mark) if mark is not None else self.span(path)

    def span(self, path: Path_) -> Span:
        """The span of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.spans:
            path = path[:-1]
        mark = self.spans.get(path)
        return self._span(mark) if mark is not None else Span(self.source, 1, 1)

    def _span(self, mark: Any) -> Span:
        return Span(self.source, mark.line + 1, mark.column + 1)


def _bool(value: str) -> bool | str:
    # YAML 1.2: only true/false are booleans. `yes`, `no` and `on` stay words, because case
    # files use them as values (matches_subject: yes) and keys (on: 2023-10).
    low = value.lower()
    return low == "true" if low in ("true", "false") else value


_SCALARS: dict[str, Callable[[str], Any]] = {
    "tag:yaml.org,2002:bool": _bool,
    "tag:yaml.org,2002:int": lambda v: int(v.replace("_", ""), 0),
    "tag:yaml.org,2002:float": float,
    "tag:yaml.org,2002:null": lambda v: None,
}


def _span(source: str, node: yaml.Node) -> Span:
    return Span(source, node.start_mark.line + 1, node.start_mark.column + 1)


class _Aliases:
    """For a document with aliases, one walk over the composed node graph before it is built
    into values. The graph shares aliased nodes, so 'billion laughs' is cheap to compose and
    explodes only when expanded; each node's expanded size is computed once. (Depth and list
    lengths are checked as values are built.)"""

    def __init__(self, source: str):
        self.source, self.aliases = source, 0
        self.sizes: dict[int, int] = {}   # id of a node -> its expanded size

    def fail(self, message: str, node: yaml.Node, expected: str) -> NoReturn:
        raise InputError(message, _span(self.source, node), expected)

    def size(self, node: yaml.Node, parent: yaml.Node | None = None, depth: int = 0) -> int:
        if id(node) in self.sizes:
            self.aliases += 1        # a second use of a node is a use of its alias
            if self.aliases > MAX_ALIASES:
                self.fail(f"more than {MAX_ALIASES} uses of YAML aliases (*name)", parent or node,
                          "the values written out, or fewer aliases")
            return self.sizes[id(node)]
        if depth > MAX_DEPTH:
            self.fail(f"nested more than {MAX_DEPTH} levels deep", node, "a flatter document")
        self.sizes[id(node)] = 1     # a node inside itself (its own alias) counts once here
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        size = 1 + sum(self.size(child, node, depth + 1) for child in children)
        if size > MAX_VALUES:
            self.fail(f"the document holds more than {MAX_VALUES:,} values once its YAML aliases are expanded",
                      node, "aliases that do not repeat each other")
        self.sizes[id(node)] = size
        return size


def _build(node: yaml.Node, path: Path_, spans: dict, source: str) -> Any:
    if len(path) > MAX_DEPTH:   # one step per level (also levels made by aliases, even of themselves)
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", _span(source, node), "a flatter document")
    spans[path] = node.start_mark
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError("a mapping key must be a plain scalar", _span(source, key_node))
            key = _build(key_node, path + ("<key>",), {}, source)
            if key in out:
                first = spans[path + (key, KEY)]
                raise InputError(
                    f"duplicate key '{key}' (first given at line {first.line + 1})", _span(source, key_node)
                )
            out[key] = _build(value_node, path + (key,), spans, source)
            spans[path + (key, KEY)] = key_node.start_mark
        return out
    if isinstance(node, yaml.SequenceNode):
        if len(node.value) > MAX_LIST:
            raise InputError(f"a list of {len(node.value):,} items; at most {MAX_LIST:,} are allowed",
                             _span(source, node), "a shorter list")
        return [_build(item, path + (i,), spans, source) for i, item in enumerate(node.value)]
    node = cast(yaml.ScalarNode, node)   # neither a mapping nor a list
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
    except yaml.reader.ReaderError as exc:   # a character YAML does not allow (a control character)
        line, col = position(text, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError(f"invalid YAML: the character U+{ord(char):04X} is not allowed", Span(source, line, col),
                         "printable text") from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {str(exc).splitlines()[0]}", Span(source, 1, 1)) from None
    except RecursionError:   # PyYAML's own composer (without libyaml) recurses per level
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", Span(source), "a flatter document") from None
    spans: dict[Path_, Any] = {}
    if node is not None and "*" in text:   # no '*', no alias: nothing can expand
        _Aliases(source).size(node)
    data = _build(node, (), spans, source) if node is not None else None
    return Located(data, spans, source)


def load_yaml(path: Path, source: str | None = None) -> Located:
    """Read and parse a YAML (or JSON) file."""
    name = source or str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"the file is {size:,} bytes; at most {MAX_FILE_BYTES:,} are read", Span(name),
                             "a smaller file")
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", Span(name)) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", Span(name)) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", Span(name)) from None
    return parse_yaml(decode(data, name), name)


def flow_yaml(data: Any) -> str:
    """`data` as one line of flow-style YAML, for showing a value (not for writing files)."""
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=True).strip()


def decode(data: bytes, source: str) -> str:
    """UTF-8 text (a byte order mark is dropped); bad bytes are an error at their line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, col = position(data, e.start)
        raise InputError(f"not UTF-8 text (byte 0x{data[e.start]:02x})", Span(source, line, col),
                         "a file saved as UTF-8") from None


def reads_back_plain(text: str) -> bool:
    """True when `text`, written unquoted as a mapping value, reads back as that same text
    under PyYAML's YAML 1.1 rules too (no yes/no/on booleans, no dates): the case-file
    writer (engine/casewrite.py) quotes everything else."""
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False
