"""A generic CSV of prompts with timestamps (a tool's job list, a creator's own log).

The header names the columns; recognised (case-insensitive): a time column (``time``,
``timestamp``, ``date``, ``created_at``), ``prompt``, and optionally ``parameters``/``params``,
``model``, ``output``/``file``/``image``. Other columns are kept out of the description.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from .items import EvidenceError

TIME = ("time", "timestamp", "date", "created_at", "datetime")
PARAMS = ("parameters", "params", "settings")
OUTPUT = ("output", "file", "image", "filename")


@dataclass
class Row:
    time: str
    prompt: str
    params: str = ""
    output: str = ""


def _col(header: list[str], names: tuple[str, ...]) -> int | None:
    for i, h in enumerate(header):
        if h.strip().lower() in names:
            return i
    return None


def parse(data: bytes, source: str) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvidenceError(source, "the CSV is not UTF-8 text") from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise EvidenceError(source, f"malformed CSV: {exc}") from None
    if not rows:
        raise EvidenceError(source, "the CSV is empty", "a header row and one row per prompt")
    header = rows[0]
    t, p = _col(header, TIME), _col(header, ("prompt",))
    if t is None or p is None:
        raise EvidenceError(source, f"the header has no time or prompt column ({', '.join(header)})",
                            "columns named prompt and one of " + ", ".join(TIME))
    k, o = _col(header, PARAMS), _col(header, OUTPUT)
    get = lambda r, i: r[i].strip() if i is not None and i < len(r) else ""
    out = [Row(get(r, t), get(r, p), get(r, k), get(r, o)) for r in rows[1:] if get(r, p)]
    if not out:
        raise EvidenceError(source, "the CSV has no rows with a prompt")
    return out
