"""Compensatory damages by the law: computed on the loss, gains (or, 2020 Law, royalty) found on
evidence (Copyright Law 2020 Art. 54 para. 1, 2010 Art. 49 para. 1), within the claim; the
statutory range (para. 2) only when none can be computed. Each test decides a hypothetical,
with one fact moved where it says so."""
from __future__ import annotations

from assessor.engine import Consultation, build_record
from assessor.engine.opinion import render_opinion

from .conftest import hypothetical_case, hypothetical_record


_case, _record = hypothetical_case, hypothetical_record


def _fired(record: dict) -> set[str]:
    return {r["rule"] for r in record["reasons"]}


STATUTORY_2020 = {"cn.copyright_law.art054/statutory_damages", "cn.copyright_law.art054/statutory_damages_nothing_computable"}


def test_a_loss_proven_is_the_award_and_the_statutory_range_is_not_reached(pack):
    record = _record(pack, "damages-loss-proven")
    assert record["remedies"]["damages"] == {"amount": 3000, "basis": "computed", "base": 3000, "claimed": 3000,
                                             "source": "cn.copyright_law.art054"}
    assert record["holdings"]["disposition"] == "upheld"
    fired = _fired(record)
    assert "cn.copyright_law.art054/computed_damages" in fired and not fired & STATUTORY_2020
    # the basis is a finding on the plaintiff's evidence, shown with what it claimed
    (finding,) = [f for f in record["findings"] if f["fact"] == "claims.damages_base"]
    assert finding == {"fact": "claims.damages_base", "claimed": "actual_loss", "status": "proven",
                       "burden": "plaintiff", "evidence": ["E4"]}


def test_a_claim_above_the_sum_found_gets_the_sum_and_is_upheld_in_part(pack):
    record = _record(pack, "damages-loss-proven", **{"  damages_claimed: 3000\n": "  damages_claimed: 10000\n",
                                                     "damages_basis_proven: true": "damages_basis_proven: false"})
    assert record["remedies"]["damages"]["amount"] == 3000
    assert record["remedies"]["damages"]["claimed"] == 10000
    assert record["holdings"]["disposition"] == "partly_upheld"
    assert record["remedies"]["court_fee_borne_by"] == "shared"
    # the fee is on the sum claimed (Measures Art. 13), not on the award: 10,000 yuan pays 50
    assert record["remedies"]["court_fee"] == 50


def test_the_loss_on_the_plaintiffs_word_alone_leaves_statutory_damages(pack):
    record = _record(pack, "damages-loss-unproven")
    assert record["remedies"]["damages"] == {"low": 500, "high": 3000, "basis": "statutory"}
    fired = _fired(record)
    assert "cn.copyright_law.art054/statutory_damages" in fired
    assert "cn.copyright_law.art054/computed_damages" not in fired
    (finding,) = [f for f in record["findings"] if f["fact"] == "claims.damages_base"]
    assert finding["status"] == "not_proven" and finding["burden"] == "plaintiff"


def test_a_case_that_says_nothing_of_the_loss_is_statutory(pack):
    """Most case files never mention a basis: the award is statutory, not left open."""
    record = _record(pack, "li-v-liu")
    assert record["remedies"]["damages"]["basis"] == "statutory"
    assert "cn.copyright_law.art054/statutory_damages" in _fired(record)


def test_a_royalty_is_a_basis_under_the_2020_law_and_not_under_the_2010_law(pack):
    royalty = {"damages_base: illegal_gains": "damages_base: royalty"}
    before = _record(pack, "damages-gains-proven-2010", **royalty)
    assert before["remedies"]["damages"]["basis"] == "statutory"
    assert "cn.copyright_law_2010.art049/statutory_damages_not_determined" in _fired(before)
    after = _record(pack, "damages-gains-proven-2010", **royalty, **{'"on": 2021-05-20': '"on": 2021-07-20'})
    assert after["remedies"]["damages"] == {"amount": 1200, "basis": "computed", "base": 1200, "claimed": 5000,
                                            "source": "cn.copyright_law.art054"}


def test_the_gains_found_are_both_the_damages_and_the_punitive_base(pack):
    record = _record(pack, "punitive-wilful-repeat")
    assert record["remedies"]["damages"]["amount"] == 18000
    assert record["remedies"]["punitive_damages"]["amount"] == 36000
    assert record["holdings"]["disposition"] == "upheld"
    # without the sales records the gains are not found: no punitive base either
    unproven = _record(pack, "punitive-wilful-repeat", **{"kind: documentary_evidence": "kind: party_statement"})
    assert unproven["remedies"]["damages"]["basis"] == "statutory"
    assert unproven["remedies"]["punitive_damages"] is None


def test_the_draft_reasons_paragraph_1_and_orders_the_sum(pack):
    case = _case(pack, "damages-gains-proven-2010")
    zh = render_opinion(pack, case, lang="zh")
    assert ("本案中，被告的违法所得或侵权获利经查明为人民币1,200元（不包括原告为制止侵权所支付的合理开支），"
            "依照《中华人民共和国著作权法》（2010年修正）第四十九条第一款的规定") in zh
    assert "原告主张超出该数额的部分，本院不予支持。" in zh
    assert "赔偿原告张某经济损失人民币1,200元" in zh and "【数额】元。" not in zh.split("判决如下")[1].split("案件受理费")[0]
    en = render_opinion(pack, case, lang="en")
    assert ("the court finds the defendant's illegal gains or profits to be RMB 1,200 (reasonable expenses excluded); "
            "under Copyright Law of the People's Republic of China, Art. 49 (2010), paragraph 1") in en
    assert "for economic losses of RMB 1,200." in en


def test_decide_says_the_sum_and_the_article(pack):
    from assessor.cli.main import render_text
    case = _case(pack, "damages-loss-proven")
    with Consultation(pack, case) as c:
        record = build_record(pack, case, c)
        zh, en = render_text(pack, c, record, "zh"), render_text(pack, c, record, "en")
    assert "赔偿损失: 3000 元（查明的数额：3000元，以请求数额为限，《著作权法》第五十四条）" in zh
    assert "Compensate for losses: 3000 yuan (the sum found: 3000, within the claim, Copyright Law, Art. 54)" in en


def test_a_basis_proven_whose_sum_is_not_given_leaves_the_sum_open_and_asks_it(pack):
    from assessor.engine.planner import Planner
    case = _case(pack, "damages-loss-proven", **{"  damages_base_amount: 3000\n": ""})
    with Consultation(pack, case) as c:
        record = build_record(pack, case, c)
    assert record["remedies"]["damages"] == {"basis": "computed", "base": None, "claimed": 3000,
                                             "source": "cn.copyright_law.art054"}
    # the claim is disposed of all the same (the sum found covers it), and the order awaits the sum
    assert record["holdings"]["disposition"] == "upheld"
    assert "赔偿原告李某经济损失人民币【数额】元" in render_opinion(pack, case, lang="zh")
    plan = Planner(pack).plan(case.data)
    assert "claims.damages_base_amount" in [s.where for s in plan.candidates]
