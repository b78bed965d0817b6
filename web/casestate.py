"""A stored case: the case file's answers and the interview's state, as one JSON document
``{"data": <assessor.case/1>, "state": {"closed", "skipped", "log"}}``, read and written
through the interview core (engine/interview.py), which the terminal drives too."""
from __future__ import annotations

from ..engine import Interview


def new(pack) -> dict:
    return doc_of(Interview(pack))


def interview(pack, doc: dict) -> Interview:
    return Interview(pack, doc["data"], doc.get("state"))


def doc_of(iv: Interview) -> dict:
    return {"data": iv.case_data(), "state": iv.state()}


def data(doc: dict) -> dict:
    return doc["data"]


def imported(pack, text: str, source: str) -> dict:
    """An imported case file (its interview state line too); InputError if it is not one."""
    return doc_of(Interview.from_text(pack, text, source))


def export(pack, doc: dict) -> str:
    """The case file's text, with the interview state line: what the terminal saves."""
    return interview(pack, doc).to_yaml()
