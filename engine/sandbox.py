"""The Jinja2 sandbox court templates run in: a folder they cannot leave, data they cannot
change, and work they cannot make unbounded.

A court's ``--templates DIR`` is code we did not write, run on a judge's machine or a
server. Jinja2's :class:`SandboxedEnvironment` already refuses Python internals; this
module adds what it leaves open:

- reading: :class:`FolderLoader` resolves every template path (symlinks included) and
  refuses one that leaves its folder, a directory, a non-UTF-8 file, an oversized file;
- writing: the opinion model is handed over as :func:`frozen` views, whose mutating
  methods (``update``, ``clear``, ``append``...) the sandbox refuses, so a template
  cannot rewrite the stamp or the case it reports; lists a template makes itself stay
  ordinary lists;
- work: every block a template enters (a loop iteration, a macro call, an ``if`` body)
  counts a step, with a step and time budget per render; operators and calls that can
  make huge values (``'x' * 10**10``, ``2 ** 10**9``, ``'%*s'``, ``center(10**9)``,
  ``lipsum(n=10**6)``) are refused before they allocate; the rendered text has a size
  limit. Each limit says which one was hit.
"""
from __future__ import annotations

import contextvars
import functools
import math
import re
import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import BaseLoader, TemplateError, TemplateNotFound
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, modifies_known_mutable
from jinja2.utils import generate_lorem_ipsum

from .errors import position

#: limits of one render (a template and everything it includes or calls)
MAX_STEPS = 2_000_000          # blocks entered: loop iterations, macro calls, if bodies
MAX_SECONDS = 10.0             # wall time
MAX_CHARS = 5_000_000          # characters of output, and of any one value a template makes
MAX_TEMPLATE_BYTES = 1_000_000  # size of one template file
MAX_LIPSUM = 20                # paragraphs of placeholder text


class TemplateRefused(TemplateError):
    """A template may not be read (outside its folder, a directory, not UTF-8, too big)."""

    def __init__(self, message: str, path: str, line: int = 0, col: int = 0):
        super().__init__(message)
        self.reason, self.path, self.line, self.col = message, path, line, col


class RenderLimit(TemplateError):
    """A render went past one of its limits."""


# --------------------------------------------------------------------------- reading

class FolderLoader(BaseLoader):
    """Templates from one folder, and only from it, whatever its links point to."""

    def __init__(self, folder: Path | str):
        self.shown = str(folder)                 # as the user wrote it: what errors name
        self.root = Path(folder).resolve()

    def get_source(self, environment, template: str):
        path = Path(self.shown).joinpath(*split_template_path(template))
        if not path.exists():
            raise TemplateNotFound(template)
        real = path.resolve()
        if real != self.root and self.root not in real.parents:
            raise TemplateRefused(f"leads outside the template folder {self.shown} (to {real}); "
                                  f"templates may only read files inside their folder", str(path))
        if not real.is_file():
            raise TemplateRefused("is not a file (a template must be a UTF-8 text file)", str(path))
        data = real.read_bytes()
        if len(data) > MAX_TEMPLATE_BYTES:
            raise TemplateRefused(f"is {len(data):,} bytes; a template may have at most "
                                  f"{MAX_TEMPLATE_BYTES:,}", str(path))
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as e:
            line, col = position(data, e.start)
            raise TemplateRefused(f"is not UTF-8 text (byte 0x{data[e.start]:02x})", str(path), line, col) \
                from None
        mtime = real.stat().st_mtime

        def uptodate() -> bool:
            try:
                return real.stat().st_mtime == mtime
            except OSError:
                return False

        return source, str(path), uptodate

    def list_templates(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.j2") if p.is_file())


# --------------------------------------------------------------------------- writing

class FrozenDict(dict):
    """A dict a sandboxed template may read but not change (see :func:`frozen`)."""

    __slots__ = ()


class FrozenList(list):
    """A list a sandboxed template may read but not change."""

    __slots__ = ()


def frozen(value):
    """`value` with every dict and list inside it replaced by a read-only view for templates.
    Other objects (frozen dataclasses, strings, numbers) are returned as they are."""
    if isinstance(value, dict):
        out = FrozenDict((k, frozen(v)) for k, v in value.items())
        return out
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        items = [frozen(v) for v in value]
        return FrozenList(items) if isinstance(value, list) else tuple(items)
    return value


# --------------------------------------------------------------------------- work

@dataclass
class _Budget:
    steps: int
    deadline: float


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("render_budget", default=None)


class _CountingCodeGenerator(CodeGenerator):
    """Compiles every block body to start with ``environment.step()`` (Jinja writes a
    ``pass`` there), and every ``~`` concatenation through ``environment.bounded``."""

    def blockvisit(self, nodes, frame) -> None:
        self.writeline("environment.step()")
        super().blockvisit(nodes, frame)

    def visit_Concat(self, node, frame) -> None:
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


_FORMAT_WIDTH = re.compile(r"%[-#0 +]*\*|%[-#0 +]*\d{7,}|%[-#0 +]*\d*\.\d{7,}|\{[^{}]*\d{7,}[^{}]*\}")


def _size(value) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict)) else 0


def _check_format(fmt) -> None:
    if isinstance(fmt, str) and _FORMAT_WIDTH.search(fmt):
        raise RenderLimit(f"a format with a width or precision over {MAX_CHARS:,} characters (or '*')")


class Sandbox(SandboxedEnvironment):
    """A SandboxedEnvironment with read-only data and bounded work (see the module doc)."""

    code_generator_class = _CountingCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.globals["lipsum"] = _lipsum

    # reading and writing the data --------------------------------------------
    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if isinstance(obj, (FrozenDict, FrozenList)) and modifies_known_mutable(obj, attr):
            return False
        return super().is_safe_attribute(obj, attr, value)

    # work -------------------------------------------------------------------
    def step(self) -> None:
        budget = _BUDGET.get()
        if budget is None:
            return
        budget.steps -= 1
        if budget.steps < 0:
            raise RenderLimit(f"the template does too much work (over {MAX_STEPS:,} steps: "
                              f"loops within loops?)")
        if budget.steps & 1023 == 0 and time.monotonic() > budget.deadline:
            raise RenderLimit(f"the template took more than {MAX_SECONDS:g} seconds to render")

    def bounded(self, value):
        if _size(value) > MAX_CHARS:
            raise RenderLimit(f"the template made a text of {_size(value):,} characters; "
                              f"at most {MAX_CHARS:,} are allowed")
        return value

    def call_binop(self, context, op: str, left, right):
        if op == "*":
            n, seq = (left, right) if isinstance(left, int) else (right, left)
            if isinstance(n, int) and isinstance(seq, (str, list, tuple)) and n * len(seq) > MAX_CHARS:
                raise RenderLimit(f"a repetition of {n:,} times would make a value of over "
                                  f"{MAX_CHARS:,} items")
        elif op == "**":
            if isinstance(left, (int, float)) and isinstance(right, (int, float)) and abs(left) > 1 \
                    and right * math.log2(abs(left)) > 4096:
                raise RenderLimit("a power too large to compute (over 4,096 bits)")
        elif op == "%":
            _check_format(left)
        self.step()
        return self.bounded(self.binop_table[op](left, right))

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None

        def checked(*args, **kwargs):       # '{:>999999999}'.format('x')
            _check_format(value.__self__)
            return self.bounded(wrapped(*args, **kwargs))
        return checked

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        __self.step()
        if isinstance(getattr(__obj, "__self__", None), str):   # a string method: 'x'.ljust(10**9)
            _check_format(__obj.__self__)
            _check_sizes(args, kwargs)
        return __self.bounded(super().call(__context, __obj, *args, **kwargs))

    def guard_filters(self) -> None:
        """Wrap every filter so that a size argument over the limit is refused and its
        result is bounded (``'x' | center(10**9)``, ``indent(10**9)``)."""
        for name, func in list(self.filters.items()):
            self.filters[name] = _guarded(self, func)


def _check_sizes(args, kwargs) -> None:
    for a in list(args) + list(kwargs.values()):
        if isinstance(a, int) and not isinstance(a, bool) and a > MAX_CHARS:
            raise RenderLimit(f"a size argument of {a:,} (at most {MAX_CHARS:,})")
        _check_format(a)


def _guarded(env: Sandbox, func):
    @functools.wraps(func)
    def guarded(*args, **kwargs):
        # the first argument (or the one after a context/environment) is the value filtered;
        # the others are the filter's options
        _check_sizes(args[2:] if hasattr(func, "jinja_pass_arg") else args[1:], kwargs)
        return env.bounded(func(*args, **kwargs))
    return guarded


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100):  # noqa: A002 - Jinja's names
    if n > MAX_LIPSUM or max > 1000:
        raise RenderLimit(f"lipsum of more than {MAX_LIPSUM} paragraphs or 1,000 words")
    return generate_lorem_ipsum(n, html, min, max)


def render_bounded(template, context: dict) -> str:
    """Render `template` within the step, time and output limits of one render. A render
    inside another (a reason paragraph inside the judgment) spends the outer one's budget."""
    outer = _BUDGET.get()
    token = _BUDGET.set(outer or _Budget(MAX_STEPS, time.monotonic() + MAX_SECONDS))
    try:
        out, size = [], 0
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_CHARS:
                raise RenderLimit(f"the rendered text is over {MAX_CHARS:,} characters")
            out.append(piece)
        return "".join(out)
    finally:
        _BUDGET.reset(token)

