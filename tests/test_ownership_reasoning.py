"""The ownership issue of the judgment draft reasons the provision a holding on ownership rests
on (a service work's Art. 18), with the facts found on the evidence of the party who bore the
burden, and answers the defence that raised it, in Chinese and in English."""
from __future__ import annotations

import re

import pytest

from assessor.engine import read_case, render_opinion

from .conftest import HYPOS

CASE = "employee-author-admitted.yaml"   # the plaintiff, a newspaper's reporter, admits the work task


@pytest.fixture(scope="module")
def drafts(pack):
    case = read_case(HYPOS / CASE, pack)
    return {lang: render_opinion(pack, case, lang=lang) for lang in ("zh", "en")}


def _section(text: str, number: str) -> str:
    """One issue of 本院认为 (its heading starts with `number`), up to the next heading."""
    return re.search(rf"^### {number}.*?(?=^### |\Z)", text, re.S | re.M).group(0)


def test_the_ownership_issue_quotes_art_18_and_finds_the_work_task_on_the_defendants_evidence(pack, drafts):
    owned = _section(drafts["zh"], "三、")
    assert owned.startswith("### 三、关于原告是否享有著作权的问题")
    # the provision, quoted from the pack's verbatim text where it is first applied
    quote = "自然人为完成法人或者非法人组织工作任务所创作的作品是职务作品"
    assert quote in pack.authorities["cn.copyright_law.art018"].text.zh
    assert f"《中华人民共和国著作权法》第十八条规定：“{quote}" in owned
    # the fact, on the evidence of the party who relied on it, then the law, then the conclusion
    offered = owned.index("被告提交了证据E4（对方当事人的自认）")
    found = owned.index("本院认定原告系为完成他人的工作任务或受他人委托而创作、原告创作的职务作品属于著作权法"
                        "第十八条第二款规定的情形（著作权由其单位享有）已得到证明")
    applied = owned.index("本案中，原告作为职务作品的作者仅享有署名权，著作权的其他权利由其单位享有")
    held = owned.index("本案中，就信息网络传播权而言，原告不享有该项权利")
    assert offered < found < applied < held < owned.index("综上，原告是涉案作品的著作权人")
    assert "第十八条" in drafts["zh"].split("判决如下")[0].split("依照")[-1]   # and in the basis clause
    # para. 2, where it is applied, quoted whole with its items from the pack's text
    para2 = pack.authorities["cn.copyright_law.art018"].text.zh.splitlines()[1]
    assert para2.startswith("有下列情形之一的职务作品") and para2.endswith("：")
    assert "《中华人民共和国著作权法》第十八条第二款规定：“" + para2 + "（一）" in owned
    assert "（二）报社、期刊社、通讯社、广播电台、电视台的工作人员创作的职务作品；" in owned


def test_the_defence_that_raised_it_is_answered_not_left_to_the_court(drafts):
    assert "【由审判人员评述】" not in drafts["zh"]
    assert "[for the court to address]" not in drafts["en"]


def test_the_english_draft_reasons_the_same_issue(drafts):
    owned = _section(drafts["en"], r"3\\\.")
    assert "On the issue: whether the plaintiff holds copyright in the work" in owned
    assert "Copyright Law of the People's Republic of China, Art. 18" in owned
    assert "the defendant offered evidence E4" in owned
    assert "as to right of communication through information networks, the plaintiff does not hold this right" in owned


def test_a_commissioners_standing_answers_the_defence_only_with_evidence_on_the_contract(pack):
    """The commissioner's contract (Art. 19), proven on its own evidence, answers 'the plaintiff
    is not the copyright owner'; the same kind of defence with no evidence on those topics (the
    seed case's 'cannot tell whether the plaintiff holds rights') stays for the court (its
    golden file)."""
    text = render_opinion(pack, read_case(HYPOS / "commission-contract-to-commissioner.yaml", pack), lang="zh")
    owned = _section(text, "三、")
    assert "《中华人民共和国著作权法》第十九条规定：“" in owned
    assert owned.index("原告提交了证据E4（书证）") < owned.index("本案中，就信息网络传播权而言，原告享有该项权利")
    assert "【由审判人员评述】" not in text and "本院不再评述" not in text
