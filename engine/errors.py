"""Errors that name a place in an input file.

    AssessorError              any problem with an input the user gave us
    ├── InputError             a YAML file (rule pack or case file) is malformed or breaks its schema
    └── ConsultationError      the rules disagree with each other on a case (a conflict)

Every error prints as ``path:line:col: message`` so that editors can jump to it; the CLI
prints it and exits with code 1, never with a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Span:
    """A place in a source file (1-based line and column)."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


class AssessorError(Exception):
    """Base class: a message and where it applies."""

    def __init__(self, message: str, span: Span | None = None, expected: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.expected = expected

    def __str__(self) -> str:
        text = f"{self.span}: {self.message}" if self.span else self.message
        if self.expected:
            text += f" (expected {self.expected})"
        # one error, one line: a value quoted from the input may hold line breaks or other
        # control characters, which are shown escaped
        return text.translate(_ESCAPES)


_ESCAPES = {c: f"\\x{c:02x}" for c in range(32) if c != 9} | {10: "\\n", 13: "\\r"}


class InputError(AssessorError):
    """A rule file or case file is malformed, breaks the schema or refers to nothing."""


class ConsultationError(AssessorError):
    """The rule pack reached two different conclusions on the same question."""


def suggest(name: str, known) -> str:
    """What an error expects instead of an unknown name: the closest names known."""
    import difflib
    close = difflib.get_close_matches(name, list(known), n=3)
    return ("one of: " + ", ".join(close)) if close else "a name declared in this pack"


def position(text: str | bytes, index: int) -> tuple[int, int]:
    """The 1-based line and column of character (or byte) `index` of `text`."""
    if isinstance(text, bytes):
        return text.count(b"\n", 0, index) + 1, index - (text.rfind(b"\n", 0, index) + 1) + 1
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def pack_relative(path: Path, root: Path) -> str:
    """A pack file's name as errors show it: from the folder above rules/, else as given."""
    try:
        return str(path.relative_to(root.parent.parent)) if root.parent.name == "rules" else str(path)
    except ValueError:
        return str(path)
