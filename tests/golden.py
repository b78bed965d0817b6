"""Golden files: expected output kept in tests/golden/ and reviewed by reading it.

After a change that alters the output on purpose, rewrite them with

    ASSESSOR_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_opinion.py

In that mode every golden-file test fails: one whose file changed says it was rewritten, the
others that their file was already up to date. An update run never passes, so it cannot stand
in for a test run: read the diff (`git diff tests/golden`), then run the tests again as usual.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("ASSESSOR_UPDATE_GOLDEN") == "1"


def check_golden(path: Path, text: str) -> None:
    """`text` must equal the golden file at `path` (under tests/golden/)."""
    if UPDATE:
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            pytest.fail(f"{path.relative_to(GOLDEN.parent)}: up to date (ASSESSOR_UPDATE_GOLDEN=1 never passes; "
                        "run the tests without it)")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pytest.fail(f"{path.relative_to(GOLDEN.parent)}: rewritten; read the diff, then run the tests without "
                    "ASSESSOR_UPDATE_GOLDEN")
    assert path.is_file(), f"no golden file {path}: run with ASSESSOR_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{path.relative_to(GOLDEN.parent)} differs (see the diff above)"
