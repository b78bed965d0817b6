"""A paralegal who holds a case file answers the web interview's questions from it, through
the forms, as a person would (choice numbers, typed text, "don't know")."""
from __future__ import annotations

import re

from assessor.engine import simulated_answer
from assessor.web import casestate


def form_for(q: dict, value) -> dict:
    """The form fields a person sends to answer question `q` with `value` (None: don't know)."""
    if value is None:
        return {"action": "skip"}
    if isinstance(value, dict):  # a new list item with its id: "yes, there is one"
        value = True
    if q["choices"]:
        numbers = {repr(c["value"]): str(c["number"]) for c in q["choices"]}
        if q["multiple"]:
            return {"action": "answer", "answer": [numbers[repr(v)] for v in value] or ["0"]}
        return {"action": "answer", "answer": numbers[repr(value)]}
    return {"action": "answer", "answer": str(value)}


def fields_of(html: str) -> dict:
    version = re.search(r'name="version" value="(\d+)"', html)
    field = re.search(r'name="field" value="([^"]*)"', html)
    return {"version": version.group(1) if version else None, "field": field.group(1) if field else None}


def complete(browser, case_id: str, pack, source: dict, limit: int = 200) -> int:
    """Answer every question of the case's interview from `source`; the number asked."""
    asked = 0
    r = browser.get(f"/cases/{case_id}")
    while 'action="/cases/%s/answer"' % case_id in r.text:
        assert asked < limit, "the interview does not end"
        f = fields_of(r.text)
        # what the question is, read from the same core and the stored case the page came from
        row_iv = casestate.interview(pack, browser.store.case(case_id).doc)
        q = row_iv.question("en")
        assert q["field"] == f["field"]
        data = {"version": f["version"], "field": f["field"], **form_for(q, simulated_answer(row_iv, source))}
        r = browser.post(f"/cases/{case_id}/answer", data)
        assert r.status_code == 200, r.text
        asked += 1
    return asked
