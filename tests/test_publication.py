"""The right of publication (Copyright Law Art. 10 para. 1 item (1), 2020 and 2010 Law): engaged only
by the act that first makes an unpublished work public; a work the owner already published engages
the economic rights alone; not knowing whether the work was published first is the plaintiff's loss.
Each test decides a hypothetical, with one fact moved where it says so."""
from __future__ import annotations

from assessor.engine.opinion import render_opinion

from .conftest import hypothetical_case, hypothetical_record

FIRST = "publication-private-chat-first-posted"
R2020 = "cn.copyright_law.art010_01_01"
R2010 = "cn.copyright_law_2010.art010_01_01"


_case, _record = hypothetical_case, hypothetical_record


def _reasons(record: dict, rule: str) -> list[dict]:
    return [r for r in record["reasons"] if r["rule"] == rule]


def _value(reason: dict) -> str:
    """The value a reason concludes ('engages(act_right:A1/publication) = established')."""
    return reason["conclusion"].rsplit(" = ", 1)[1]


def test_first_making_public_a_work_sent_only_to_a_closed_chat_infringes_publication(pack):
    record = _record(pack, FIRST)
    assert record["holdings"]["rights_infringed"] == ["publication", "information_network_dissemination"]
    assert record["acts"][0]["rights"] == ["publication", "information_network_dissemination"]
    (engaged,) = _reasons(record, f"{R2020}/first_made_public")
    assert _value(engaged) == "established" and engaged["cites"][0] == R2020
    assert _reasons(record, f"{R2020}/not_yet_published")
    # publication is a moral right: the apology claimed is granted
    assert record["remedies"]["apology"] is True and record["holdings"]["disposition"] == "upheld"
    assert not [r for r in record["reasons"] if r["rule"].endswith("/not_assessed")]


def test_a_work_already_published_engages_only_the_economic_rights(pack):
    record = _record(pack, FIRST, **{"already_published: false": "already_published: true"})
    assert record["holdings"]["rights_infringed"] == ["information_network_dissemination"]
    (engaged,) = _reasons(record, f"{R2020}/first_made_public")
    assert _value(engaged) == "refuted"
    assert _reasons(record, f"{R2020}/already_published")
    assert record["remedies"]["apology"] is False and record["holdings"]["disposition"] == "partly_upheld"


def test_publication_unknown_is_the_plaintiffs_loss_under_the_burden_of_proof(pack):
    record = _record(pack, FIRST, **{"already_published: false": "already_published: unknown"})
    assert record["holdings"]["rights_infringed"] == ["information_network_dissemination"]
    (burden,) = _reasons(record, f"{R2020}/unpublished_is_the_plaintiffs_to_prove")
    assert _value(burden) == "not_established"
    assert {"cn.cpl_interpretation.art090", "cn.cpl_interpretation.art091"} <= set(burden["cites"])
    assert record["remedies"]["apology"] is False and record["holdings"]["disposition"] == "partly_upheld"


def test_copying_without_offering_the_work_to_the_public_does_not_engage_publication(pack):
    record = _record(pack, FIRST, **{"kind: online_posting": "kind: reproduction"})
    (engaged,) = _reasons(record, f"{R2020}/first_made_public")
    assert _value(engaged) == "refuted"
    assert "publication" not in record["holdings"]["rights_infringed"]


def test_an_act_before_2021_06_01_is_judged_under_the_2010_law_item(pack):
    record = _record(pack, "publication-first-posted-2010-law")
    assert record["acts"][0]["law_date"] == "2020-11-05"
    (engaged,) = _reasons(record, f"{R2010}/first_made_public")
    assert _value(engaged) == "established" and engaged["cites"][0] == R2010
    assert not _reasons(record, f"{R2020}/first_made_public")
    assert record["remedies"]["apology"] is True


def test_the_interview_asks_whether_the_work_was_published_first_only_when_publication_is_claimed(pack):
    from assessor.engine.planner import Planner
    unanswered = {"    already_published: false\n": ""}
    claimed = _case(pack, FIRST, **unanswered)
    assert "acts[0].already_published" in [s.where for s in Planner(pack).plan(claimed.data).candidates]
    other = _case(pack, FIRST, **unanswered, **{"rights: [publication, information_network_dissemination]":
                                                 "rights: [information_network_dissemination]"})
    assert "acts[0].already_published" not in [s.where for s in Planner(pack).plan(other.data).candidates]


def test_the_draft_reasons_on_the_right_and_cites_its_item(pack):
    case = _case(pack, FIRST)
    zh = render_opinion(pack, case, lang="zh")
    assert "该行为发生前涉案作品是否已经发表：否。" in zh
    assert "就被诉行为A1（发表权）而言，被诉行为落入该项权利的控制范围" in zh
    assert "依照《中华人民共和国著作权法》第三条、第九条、第十条第一款第（一）项、第（十二）项" in zh
    # the work shown unpublished, no burden decides the act: the burden of proof is not cited
    assert "第九十条" not in _basis(zh, "依照《中华人民共和国著作权法》")
    en = render_opinion(pack, _case(pack, FIRST, **{"already_published: false": "already_published: unknown"}),
                        lang="en")
    assert "Whether the work had already been published before this act cannot be found." in en
    assert "as to act A1 (right of publication), whether the act falls within this right is not shown" in en


SPC_CPL = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"


def _basis(text: str, opening: str) -> str:
    """The sentence of the draft that cites the provisions the judgment is rendered under."""
    return next(line for line in text.splitlines() if line.startswith(opening))


def test_the_draft_reasons_the_plaintiffs_burden_on_the_act_and_cites_it(pack):
    # whether the work was published before the act cannot be found: the burden's own paragraph,
    # by the act and the fact it is about, under SPC CPL Interpretation Arts. 90 and 91, comes
    # before the rule on the right it decides (which still quotes its item), and both articles
    # are among those the judgment is rendered under; zh and en in one rendering
    both = render_opinion(pack, _case(pack, "publication-date-unknown"), lang="zh+en")
    assert (f"根据{SPC_CPL}第九十条、第九十一条的规定，原告主张发表权受到侵害的，应当证明被诉行为发生时作品尚未发表；"
            in both)
    assert "本案中，就被诉行为A1而言，被诉行为发生时涉案作品尚未发表未得到证明，由原告承担不利后果。" in both
    assert "被诉行为A1未得到证明" not in both
    assert both.index("被诉行为发生时涉案作品尚未发表未得到证明") < both.index(
        "《中华人民共和国著作权法》第十条第一款第（一）项规定：“发表权，即决定作品是否公之于众的权利”")
    assert f"{SPC_CPL}第九十条、第九十一条、第一百零八条" in _basis(both, "依照《中华人民共和国著作权法》")
    assert ("Under Interpretation of the Supreme People's Court on the Application of the Civil Procedure Law of "
            "the People's Republic of China, Arts. 90 and 91, a plaintiff claiming its right of publication impaired "
            "must prove that the work was still unpublished when the act took place;") in both
    assert ("In this case, as to act A1, that the work was still unpublished when the act took place is not proven, "
            "and the plaintiff bears the adverse consequence.") in both
    assert ("the Civil Procedure Law of the People's Republic of China, Arts. 90, 91 and 108;"
            in _basis(both, "In accordance with Copyright Law"))
