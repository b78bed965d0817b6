"""The whole seed case and Li v. Liu, interviewed over HTTP, reach decide's holdings."""
from __future__ import annotations

import pytest

from assessor.engine import decide, parse_case, read_case
from assessor.engine.yamlsrc import load_yaml
from tests.conftest import HYPOS

from .interviews import complete, fields_of


def new_case(b) -> str:
    r = b.post("/cases")
    assert r.status_code == 200
    return r.url.path.rsplit("/", 1)[-1]


@pytest.mark.parametrize("name", ["cat-pendant", pytest.param("li-v-liu", marks=pytest.mark.slow)])
def test_interview_reaches_decides_holdings(browser, pack, name):
    source_path = HYPOS / f"{name}.yaml"
    source = load_yaml(source_path).data  # as the engine reads it (YAML 1.2: yes is text)
    expected = decide(pack, read_case(source_path, pack))["holdings"]
    b = browser("alice")
    case_id = new_case(b)
    asked = complete(b, case_id, pack, source)
    assert asked > 5
    page = b.get(f"/cases/{case_id}")
    assert "问答已完成" in page.text
    exported = b.get(f"/cases/{case_id}/case.yaml")
    assert exported.headers["content-disposition"].startswith("attachment")
    got = decide(pack, parse_case(exported.text, pack, "export"))["holdings"]
    assert got == expected
    decision = b.get(f"/cases/{case_id}/decision")
    disposition = pack.manifest["decision"]["disposition"]
    says = pack.concepts[disposition].says[expected["disposition"]].get("zh")
    assert says in decision.text
    # the decision page cites the articles the terminal cites
    assert "著作权法" in decision.text
    # the draft opinion of the case as the interview left it (fields not asked are "not stated")
    opinion = b.get(f"/cases/{case_id}/opinion.md", params={"lang": "zh"})
    assert opinion.status_code == 200 and "本院认为" in opinion.text


def test_bad_answer_gets_the_terminals_message_and_loses_nothing(browser, pack):
    b = browser("bob")  # English
    case_id = new_case(b)
    r = b.get(f"/cases/{case_id}")
    f = fields_of(r.text)
    r = b.post(f"/cases/{case_id}/answer", {**f, "action": "answer", "answer": "2024-13-45"})
    assert r.status_code == 422
    assert 'role="alert"' in r.text and 'value="2024-13-45"' in r.text  # what was typed stays
    r = b.post(f"/cases/{case_id}/answer", {**f, "action": "answer", "answer": "2024-05-31"})
    assert r.status_code == 200
    f2 = fields_of(r.text)
    assert f2["field"] != "decided_on" and int(f2["version"]) == int(f["version"]) + 1
    # a choice question: a number that is not a choice
    r = b.post(f"/cases/{case_id}/answer", {**f2, "action": "answer", "answer": "99"})
    assert r.status_code == 422 and "Please" in r.text
    assert "2024-05-31" in b.get(f"/cases/{case_id}/case.yaml").text


def test_back_and_review_change(browser, pack):
    b = browser("bob")
    case_id = new_case(b)
    r = b.get(f"/cases/{case_id}")
    f = fields_of(r.text)
    r = b.post(f"/cases/{case_id}/answer", {**f, "action": "answer", "answer": "2024-05-31"})
    f2 = fields_of(r.text)
    r = b.post(f"/cases/{case_id}/answer", {**f2, "action": "back"})
    assert fields_of(r.text)["field"] == "decided_on"
    assert "2024-05-31" not in b.get(f"/cases/{case_id}/case.yaml").text
    r = b.post(f"/cases/{case_id}/answer", {**fields_of(r.text), "action": "answer", "answer": "2024-05-31"})
    review = b.get(f"/cases/{case_id}/review")
    assert "2024-05-31" in review.text
    edit = b.get(f"/cases/{case_id}/review/edit", params={"field": "decided_on"})
    assert edit.status_code == 200
    r = b.post(f"/cases/{case_id}/review", {**fields_of(edit.text), "action": "change", "answer": "2025-01-02"})
    assert r.status_code == 200 and "2025-01-02" in r.text
    assert "2025-01-02" in b.get(f"/cases/{case_id}/case.yaml").text


def test_the_engine_prepares_for_the_answer_once_the_question_page_is_sent(browser, pack):
    """The question page's response runs the planner's idle work after it is sent (a
    background task), so the answers of a whole interview grow or finish consultations
    instead of building them afresh: as in the terminal."""
    from assessor.engine.interview import planner_for
    source = load_yaml(HYPOS / "cat-pendant.yaml").data
    planner = planner_for(pack)
    before = dict(planner.growth)
    b = browser("alice")
    case_id = new_case(b)
    assert planner._growing._due is False  # the first question's page was sent: its work is done
    asked = complete(b, case_id, pack, source)
    made = {way: n - before[way] for way, n in planner.growth.items()}
    assert asked > 5 and made["grown"] > 5 * made["finished"], made
    # built afresh: the first question's, and the one after the decision date (another law)
    assert made["fresh"] <= 2, made


def test_a_date_out_of_order_is_refused_naming_the_other_date(browser):
    b = browser("bob")  # English
    text = b"format: assessor.case/1\ndecided_on: 2024-05-31\nacts:\n  - {id: A1, kind: online_posting, on: 2024-03-01}\n"
    r = b.post("/cases/import", files={"file": ("dated.yaml", text, "application/yaml")})
    case_id = r.url.path.split("/")[2]
    edit = b.get(f"/cases/{case_id}/review/edit", params={"field": "decided_on"})
    r = b.post(f"/cases/{case_id}/review", {**fields_of(edit.text), "action": "change", "answer": "2024-02-29"})
    assert r.status_code == 422
    assert 'role="alert"' in r.text and "This date cannot be before the day of the act (A1): 2024-03-01." in r.text
    assert 'decided_on: "2024-05-31"' in b.get(f"/cases/{case_id}/case.yaml").text
