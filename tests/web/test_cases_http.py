"""My cases, import and export, the opinion downloads, and two tabs on one case."""
from __future__ import annotations

import io
import zipfile

import pytest

from tests.conftest import HYPOS

from .interviews import fields_of


def imported(b, name: str, text: bytes | None = None):
    body = text if text is not None else (HYPOS / f"{name}.yaml").read_bytes()
    return b.post("/cases/import", files={"file": (f"{name}.yaml", body, "application/yaml")})


def test_import_export_duplicate_delete(browser, pack):
    b = browser("alice")
    r = imported(b, "li-v-liu")
    assert r.status_code == 200
    case_id = r.url.path.split("/")[2]
    cases = b.get("/cases").text
    assert "李某诉刘某" in cases
    # the interview goes on from the imported answers (it may still ask whether lists are complete)
    assert b.get(f"/cases/{case_id}").status_code == 200
    decision = b.get(f"/cases/{case_id}/decision").text
    assert "部分支持" in decision or "支持" in decision
    # the fee the pack declares, under its own label and computed on the sums claimed
    assert '<p class="court-fee">案件受理费:\n50 元</p>' in decision
    exported = b.get(f"/cases/{case_id}/case.yaml").text
    assert "format: assessor.case/1" in exported and "李某" in exported
    r = b.post(f"/cases/{case_id}/duplicate")
    copy_id = r.url.path.split("/")[2]
    assert copy_id != case_id and b.get(f"/cases/{copy_id}/case.yaml").text == exported
    assert "删除此案件" in b.get(f"/cases/{copy_id}/delete").text  # asks first
    b.post(f"/cases/{copy_id}/delete")
    assert b.get(f"/cases/{copy_id}/decision").status_code == 404
    assert b.get(f"/cases/{case_id}/decision").status_code == 200


def test_a_bad_case_file_gets_one_error_line_and_nothing_is_created(browser):
    b = browser("bob")
    r = imported(b, "broken", b"format: assessor.case/1\ncreation:\n  ai_generated: maybe\n")
    assert r.status_code == 422
    assert "broken.yaml:3:" in r.text and "ai_generated" in r.text
    r = imported(b, "binary", b"\xff\xfe\x00garbage")
    assert r.status_code == 422 and "UTF-8" in r.text
    assert "No cases yet." in b.get("/cases").text


def test_opinion_preview_and_downloads(browser):
    b = browser("bob")
    case_id = imported(b, "cat-pendant").url.path.split("/")[2]
    page = b.get(f"/cases/{case_id}/opinion", params={"lang": "zh+en"})
    assert f"/cases/{case_id}/opinion.html?lang=zh%2Ben" in page.text
    html = b.get(f"/cases/{case_id}/opinion.html", params={"lang": "zh+en"})
    assert html.status_code == 200 and "民事判决书" in html.text and "unsafe-inline" in html.headers["content-security-policy"]
    docx = b.get(f"/cases/{case_id}/opinion.docx", params={"lang": "zh"})
    assert docx.headers["content-disposition"] == f'attachment; filename="opinion-{case_id}.docx"'
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        assert "驳回原告" in z.read("word/document.xml").decode("utf-8")
    md = b.get(f"/cases/{case_id}/opinion.md", params={"lang": "en"})
    assert "dismissed" in md.text.lower()
    assert b.get(f"/cases/{case_id}/opinion.pdf").status_code == 404
    assert b.get(f"/cases/{case_id}/opinion.md", params={"lang": "fr"}).status_code == 404


def test_two_tabs_on_one_case_never_lose_an_answer(browser):
    b = browser("bob")
    r = b.post("/cases")
    case_id = r.url.path.split("/")[2]
    tab1 = tab2 = fields_of(r.text)  # both tabs show the first question
    r = b.post(f"/cases/{case_id}/answer", {**tab1, "action": "answer", "answer": "2024-05-31"})
    assert r.status_code == 200
    r = b.post(f"/cases/{case_id}/answer", {**tab2, "action": "answer", "answer": "2023-01-01"})
    assert r.status_code == 409
    assert "changed in another tab" in r.text
    # the conflict page shows the case as it is now: the next question, at the new version
    now = fields_of(r.text)
    assert now["field"] != "decided_on" and int(now["version"]) == int(tab1["version"]) + 1
    exported = b.get(f"/cases/{case_id}/case.yaml").text
    assert "2024-05-31" in exported and "2023-01-01" not in exported
    # the same in review: a change from a stale page is refused
    r = b.post(f"/cases/{case_id}/review", {**tab2, "action": "change", "answer": "2023-01-01"})
    assert r.status_code == 409 and "2023-01-01" not in b.get(f"/cases/{case_id}/case.yaml").text


@pytest.mark.slow  # a second web application, on another pack
def test_the_fictional_pack_is_imported_decided_and_drafted_in_the_web_app(tmp_path):
    """A pack about something other than copyright: its own holdings, no court fee."""
    from pathlib import Path

    from assessor.engine import load_pack

    from .conftest import Browser, make_app
    toy = load_pack(Path(__file__).resolve().parent.parent / "packs" / "toy")
    b = Browser(make_app(f"sqlite:///{tmp_path / 'toy.db'}", toy))
    b.sign_in("bob")
    case = b"format: toy.case/1\nmember: false\nfee: 20\nitems: [{id: b, days_late: 3}]\n"
    r = imported(b, "late", case)
    assert r.status_code == 200, r.text
    case_id = r.url.path.split("/")[2]
    decision = b.get(f"/cases/{case_id}/decision")
    assert decision.status_code == 200 and "owes a late fee" in decision.text
    assert "court-fee" not in decision.text and "Court fee" not in decision.text
    opinion = b.get(f"/cases/{case_id}/opinion")
    assert opinion.status_code == 200 and "Traceback" not in opinion.text


def test_the_decision_page_names_the_law_the_pack_lacks(browser):
    # a co-author's own use of a joint work before 2021-06-01: undetermined, for want of the
    # Regulations' Art. 9, whose text the pack does not hold
    b = browser("alice")
    r = imported(b, "joint-work-co-author-use-2010-law")
    case_id = r.url.path.split("/")[2]
    page = b.get(f"/cases/{case_id}/decision").text
    assert "规则包未收录本案适用的下列条文的文本：《著作权法实施条例》第九条。" in page


def test_the_decision_page_gives_the_date_of_an_act_judged_under_another_periods_law(browser):
    b = browser("alice")
    case_id = imported(b, "two-acts-2020-and-2022").url.path.split("/")[2]
    page = b.get(f"/cases/{case_id}/decision").text
    assert "2024-03-15 (实体法依被诉行为发生时: 2022-04-10; A1: 2020-09-15)" in page


def test_the_decision_page_gives_the_sums_awarded(browser):
    # the gains found are the damages (Art. 54 para. 1) and the base of the punitive damages
    b = browser("alice")
    case_id = imported(b, "punitive-wilful-repeat").url.path.split("/")[2]
    page = b.get(f"/cases/{case_id}/decision").text
    assert '<p class="award">赔偿损失: 18000 元（查明的数额：18000元，以请求数额为限，《著作权法》第五十四条）</p>' in page
    assert '<p class="award">惩罚性赔偿: 36000 元（计算基数18000元 × 2倍，倍数为规则包的参考）</p>' in page
