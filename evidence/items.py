"""Evidence items as the case file holds them, and the checks every imported file passes.

An importer returns :class:`Item` objects; :func:`add_items` appends them to a case file's
data with fresh ids, keeping everything already there.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..engine.errors import AssessorError, Span

MAX_FILE_BYTES = 256 * 1024 * 1024   # no generator output or account export comes near this


class EvidenceError(AssessorError):
    """A file cannot be read as evidence (truncated, malformed, too large...)."""

    def __init__(self, path: Path | str, message: str, expected: str | None = None):
        super().__init__(message, Span(str(path)), expected)


@dataclass
class Item:
    """One evidence item, as the case file's `evidence` list holds it."""

    kind: str
    proves: list[str]
    contemporaneous: object           # True | False | "unknown"
    matches_subject: str              # yes | partly | no | unknown
    description: str
    timing: str                       # verified | unverified | broken
    source: str = ""                  # the file name
    sha256: str = ""
    part: str = ""                    # which part of the file, when one file gives several items

    def as_case(self, item_id: str) -> dict:
        out = {"id": item_id, "offered_by": "plaintiff", "kind": self.kind, "proves": list(self.proves),
               "contemporaneous": self.contemporaneous, "matches_subject": self.matches_subject,
               "authenticity": "unchallenged", "description": self.description}
        if self.source:
            out["source"] = self.source
        if self.sha256:
            out["sha256"] = self.sha256
        out["timing"] = self.timing
        return out


def joined(parts: list[str], lang: str) -> str:
    """The parts of a description as one sentence of the reader's language."""
    return ("；" if lang == "zh" else "; ").join(p for p in parts if p)


def contemporaneous_for(timing: str) -> object:
    """What the importer can say about when an item was made, from how its time is supported:
    metadata any editor can write says nothing reliable about when it was written."""
    return {"verified": True, "broken": False}.get(timing, "unknown")


def read_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path`, refusing files larger than `limit` before reading them."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise EvidenceError(path, f"file is {size:,} bytes, larger than the {limit:,} an evidence file may have")
        return path.read_bytes()
    except OSError as exc:
        raise EvidenceError(path, f"cannot read the file: {exc.strerror or exc}") from None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def next_ids(existing: list, count: int) -> list[str]:
    """`count` fresh ids E<n> after the highest one already used."""
    used = {str(e.get("id")) for e in existing if isinstance(e, dict)}
    numbers = [int(i[1:]) for i in used if i[:1] == "E" and i[1:].isdigit()]
    n = max(numbers, default=0)
    out = []
    while len(out) < count:
        n += 1
        if f"E{n}" not in used:
            out.append(f"E{n}")
    return out


def add_items(data: dict, items: list[Item]) -> list[tuple[str, Item]]:
    """Append `items` to the case data's evidence list; returns (id, item) of those added.
    An item already in the case (same file by SHA-256, same kind, same part) is not added twice."""
    evidence = data.setdefault("evidence", [])
    known = [e for e in evidence if isinstance(e, dict) and e.get("sha256")]

    def present(it: Item) -> bool:
        return any(e["sha256"] == it.sha256 and e.get("kind") == it.kind and it.part in str(e.get("description", ""))
                   for e in known)

    fresh = [it for it in items if not (it.sha256 and present(it))]
    ids = next_ids(evidence, len(fresh))
    for item_id, it in zip(ids, fresh):
        evidence.append(it.as_case(item_id))
    return list(zip(ids, fresh))
