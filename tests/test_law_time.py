"""Law across time and holdings in time: the substantive law of the acts' date (Copyright Law
2020 Art. 66 para. 2), procedure of the trial's, and holdings only for decisions after them."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import Consultation, InputError, build_record, load_pack, parse_case, read_case
from assessor.engine.lint import lint_pack

from .conftest import HYPOS, PACK_DIR

runner = CliRunner()
LI_V_LIU = "cn.cases.bjic_2023_li_v_liu"


def _record(pack, name: str, **replace: str) -> dict:
    """Decide a hypothetical, with some of its text replaced (one fact moved)."""
    text = (HYPOS / f"{name}.yaml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    case = parse_case(text, pack, f"{name}.yaml")
    with Consultation(pack, case) as c:
        return build_record(pack, case, c)


def _cited(record: dict) -> set[str]:
    return {x for r in record["reasons"] for x in r["cites"]}


def _fired(record: dict) -> set[str]:
    return {r["rule"] for r in record["reasons"]}


def test_the_acts_date_picks_the_substantive_law_and_the_trial_date_the_procedure(pack):
    before = _record(pack, "acts-before-2021-06-01")
    assert before["law_dates"] == {"decided_on": "2024-03-15", "acts": "2021-05-20"}
    fired = _fired(before)
    assert "cn.copyright_law_2010.art047/partly_upheld" in fired
    assert not any(r.startswith("cn.copyright_law.") for r in fired)
    # procedure and evidence: the law at trial (the 2017 CPL Art. 64 ended on 2021-12-31)
    assert not any(r.startswith("cn.civil_procedure_law.art064/") for r in fired)
    after = _record(pack, "acts-before-2021-06-01", **{'"on": 2021-05-20': '"on": 2021-07-20'})
    assert "cn.copyright_law.art052/upheld" in _fired(after)
    assert not any(r.startswith("cn.copyright_law_2010.") for r in _fired(after))


def test_an_act_still_going_on_at_the_trial_is_judged_under_the_law_of_the_decision(pack):
    going = _record(pack, "continuing-act-ended-before", **{"stopped: true": "stopped: false"})
    assert going["law_dates"]["acts"] == "2024-03-15"
    assert going["holdings"]["disposition"] != "undetermined"
    assert "cn.copyright_law.art011/natural_person_author" in _fired(going)


def test_a_case_decided_before_2022_uses_the_procedure_of_its_time(pack):
    record = _record(pack, "decided-in-2020-acts-of-2019")
    assert record["holdings"]["disposition"] == "partly_upheld"
    assert "cn.civil_procedure_law.art064/records_examined" in _fired(record)
    assert not any(r.startswith("cn.civil_procedure_law.art067/") for r in _fired(record))


def test_a_holding_is_cited_only_by_decisions_made_after_it(pack):
    before = _record(pack, "decided-before-li-v-liu")
    later = _record(pack, "decided-before-li-v-liu", **{"decided_on: 2023-06-30": "decided_on: 2023-11-28"})
    assert LI_V_LIU not in _cited(before) and LI_V_LIU in _cited(later)
    # the reasoning rests on the provisions: the outcome is the same either way
    assert before["holdings"] == later["holdings"] and before["remedies"] == later["remedies"]
    # on the day of the judgment itself the case is not cited: a case never cites itself
    same_day = _record(pack, "decided-before-li-v-liu", **{"decided_on: 2023-06-30": "decided_on: 2023-11-27"})
    assert LI_V_LIU not in _cited(same_day)


def test_a_holding_dated_by_its_month_counts_from_the_end_of_that_month(pack):
    # the Ban Xin case is dated November 2024 only
    assert pack.authorities["cn.cases.changshu_2024_banxin"].made_on == "2024-11-30"
    record = _record(pack, "banxin-installation-and-repost")
    assert "cn.cases.changshu_2024_banxin" not in _cited(record)


@pytest.mark.parametrize("name", ["feilin-2019-report", "li-v-liu", "cat-pendant", "banxin-installation-and-repost",
                                  "butterfly-chair-prompt-reuse", "dreamwriter-legal-person-text"])
def test_the_real_cases_are_decided_and_never_cite_themselves(pack, name):
    record = _record(pack, name)
    assert record["holdings"]["disposition"] != "undetermined"
    day = record["law_as_of"]
    for holding in _cited(record) & {a for a in pack.authorities if a.startswith("cn.cases.")}:
        assert pack.authorities[holding].made_on < day, holding


def test_feilin_is_marked_obiter_and_never_noted_as_the_courts_view(pack):
    feilin = pack.authorities["cn.cases.bjic_2019_feilin_v_baidu"]
    assert feilin.source["obiter"] is True and "obiter" in feilin.text_status


def test_no_version_in_the_pack_leaves_the_case_undetermined_and_says_which(pack):
    record = _record(pack, "acts-before-2010-law")
    assert record["holdings"]["disposition"] == "undetermined"
    assert {"cn.copyright_law_2010.art011", "cn.copyright_law.art011", "cn.copyright_law_2010.art047"} \
        <= set(record["missing_law"])
    result = runner.invoke(app, ["decide", str(HYPOS / "acts-before-2010-law.yaml"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "The rule pack holds no version in force for this case of: " in result.output
    assert "Copyright Law, Art. 11 (2010)" in result.output
    # the version is said once: the short name is the instrument's, the cite names the version
    zh = runner.invoke(app, ["decide", str(HYPOS / "acts-before-2010-law.yaml")]).output
    assert "《著作权法》（2010年修正）第十一条" in zh and "修正）》" not in zh
    assert "substantive law as of the acts: 2009-09-01" in result.output
    decided = _record(pack, "acts-after-2021-06-01")
    assert decided["missing_law"] == []



def test_a_service_work_before_2021_06_01_names_the_one_provision_the_pack_lacks(pack):
    # the 2010 Law's service-work article is known but its text is not held: ownership is left
    # open, not given to the author by the general rule, and that article alone is named as
    # missing (not the 2020 Art. 18, which is not the law of these acts); no open question is
    # listed, since no answer could decide ownership without it
    record = _record(pack, "service-work-2010-law")
    assert record["holdings"]["plaintiff_owns"] == "undetermined"
    assert record["holdings"]["disposition"] == "undetermined"
    assert record["missing_law"] == ["cn.copyright_law_2010.art016"]
    assert not pack.authorities["cn.copyright_law_2010.art016"].held
    assert record["open_questions"] == []
    assert "cn.copyright_law_2010.art011/made_for_anothers_work_task" in _fired(record)
    later = _record(pack, "service-work-after-2021-06-01")
    assert later["holdings"]["disposition"] == "partly_upheld" and later["missing_law"] == []


def test_open_questions_of_an_undetermined_case_are_only_fields_that_could_decide_it(pack):
    # the same service-work case without the evidence list: the burdens wait for it, and it is
    # an open question; the fields of commissions, read by rules that can no longer fire (the work
    # was made for a work task), are not. Those of a legal person's work are: evidence yet to come
    # could prove that an organisation is deemed the author (Art. 11 para. 3), which a natural
    # person cannot be
    text = (HYPOS / "service-work-2010-law.yaml").read_text(encoding="utf-8")
    start, end = text.index("evidence:"), text.index("claims:")
    case = parse_case(text[:start] + text[end:], pack, "service-work-2010-law.yaml")
    with Consultation(pack, case) as c:
        record = build_record(pack, case, c)
    assert record["holdings"]["disposition"] == "undetermined"
    assert "evidence" in record["open_questions"]
    assert not any(q.startswith("creation.commission") for q in record["open_questions"])
    # facts are missing, not yet the law: nothing is named as missing law until the facts the
    # service-work article would need are settled (the 2020 Art. 18 is never named for 2021 acts)
    assert record["missing_law"] == []


def test_a_co_authors_own_use_before_2021_06_01_waits_on_the_regulations_article_not_held(pack):
    # the 2010 Law's joint-works article says nothing of a co-author's own use: the Regulations
    # Art. 9 did, and its text is not held. Infringement is left undetermined, not held made out.
    before = _record(pack, "joint-work-co-author-use-2010-law")
    assert before["holdings"]["infringement"] == "undetermined"
    assert before["holdings"]["disposition"] == "undetermined"
    assert before["missing_law"] == ["cn.copyright_regulations.art009"]
    assert before["open_questions"] == []
    assert "cn.copyright_law_2010.art047/co_author_published_as_his_own" in _fired(before)
    assert not pack.authorities["cn.copyright_regulations.art009"].held
    # the posting in July 2021: the 2020 Art. 14 para. 2 clears the co-author's use
    after = _record(pack, "joint-work-co-author-use-2020-law")
    assert after["holdings"]["disposition"] == "partly_upheld"
    assert after["holdings"]["rights_infringed"] == ["authorship"]
    assert "cn.copyright_law.art014/co_author_may_exploit" in _fired(after)
    # no joint work proven: the 2010 Law decides the case, the Regulations are not needed
    sole = _record(pack, "joint-work-co-author-use-2010-law", **{"authenticity: unchallenged\n    description: 合作期间": "authenticity: rebutted\n    description: 合作期间"})
    assert sole["holdings"]["disposition"] == "upheld" and sole["missing_law"] == []
    result = runner.invoke(app, ["decide", str(HYPOS / "joint-work-co-author-use-2010-law.yaml"), "--lang", "en"])
    assert "The rule pack does not hold the text of: Copyright Regulations, Art. 9." in result.output


@pytest.fixture
def pack_dir(tmp_path):
    root = tmp_path / "cn"
    shutil.copytree(PACK_DIR, root, ignore=shutil.ignore_patterns("hypos"))
    return root


def _edit(root, name, old, new):
    f = root / name
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("old,new,said", [
    ("instruments: [copyright_law, copyright_law_2010", "instruments: [copyright_lax, copyright_law_2010",
     "instrument 'copyright_lax' is not a folder of this pack"),
    ('dates: ["on", until]', 'dates: ["on", kind]', "'acts.kind' is not a date field of the case format"),
    ("    items: acts\n", "    items: claims\n", "'claims' is not a list of the case format"),
    ("    per_item: true\n", "    per_item: each\n", "per_item"),
])
def test_a_broken_clock_is_one_error_line(pack_dir, old, new, said):
    _edit(pack_dir, "pack.yaml", old, new)
    with pytest.raises(InputError) as e:
        load_pack(pack_dir)
    assert str(e.value).startswith(str(pack_dir / "pack.yaml") + ":") and said in str(e.value), str(e.value)


def test_a_rule_resting_on_provisions_never_in_force_together_is_found(pack_dir):
    # a 2020 Law rule made to cite a 2010 Law provision: both follow the acts' date, never together
    _edit(pack_dir, "copyright_law/art054.yaml", "    cites: [cn.copyright_law.art052]\n",
          "    cites: [cn.copyright_law.art052, cn.copyright_law_2010.art049]\n")
    problems = [str(p) for p in lint_pack(load_pack(pack_dir))]
    assert any("is never in force" in p and "acts" in p for p in problems), problems


def test_a_case_file_reading_a_clock_needs_no_act_dates(pack):
    case = read_case(HYPOS / "li-v-liu.yaml", pack)
    assert dict(case.law) == {"decided_on": "2023-11-27", "acts": "2023-03-28"}
    text = (HYPOS / "li-v-liu.yaml").read_text(encoding="utf-8").replace("    on: 2023-03\n", "")
    undated = parse_case(text, pack, "li-v-liu.yaml")
    assert dict(undated.law)["acts"] == "2023-11-27"   # no act date: the decision date


def test_joint_creation_is_decided_by_one_burden_in_each_period(pack):
    # tried in 2021 (CPL 2017 in force) on acts after 2021-06-01: the 2020 Art. 14's burden alone
    record = _record(pack, "joint-creation-decided-in-2021")
    burdens = {r["rule"] for r in record["reasons"] if r["rule"].endswith("/joint_creation_is_the_defendants_to_prove")}
    assert burdens == {"cn.copyright_law.art014/joint_creation_is_the_defendants_to_prove"}
    # the same posting in May 2021: the 2010 Art. 13's burden alone, the same holdings
    before = _record(pack, "joint-creation-decided-in-2021", **{"on: 2021-08": "on: 2021-05", "stopped: false": "stopped: true"})
    burdens = {r["rule"] for r in before["reasons"] if r["rule"].endswith("/joint_creation_is_the_defendants_to_prove")}
    assert burdens == {"cn.copyright_law_2010.art013/joint_creation_is_the_defendants_to_prove"}
    assert before["holdings"]["plaintiff_is_author"] == "established"


def test_rules_check_reports_two_burdens_on_one_fact_in_force_together(pack):
    from dataclasses import replace
    art014 = next(b for b in pack.burdens if b.id == "cn.copyright_law.art014/joint_creation_is_the_defendants_to_prove")
    twice = replace(art014, id="cn.civil_procedure_law.art064/joint_creation_is_the_defendants_to_prove",
                    source="cn.civil_procedure_law.art064")
    doubled = replace(pack, burdens=pack.burdens + (twice,))
    assert any("both decide 'joint_creation' on the same dates" in str(e) for e in lint_pack(doubled))
    assert not any("both decide" in str(e) for e in lint_pack(pack))


@pytest.mark.parametrize("name,old,new,said", [
    # a rule may not cite a provision whose text is not held, nor need one whose text is held
    ("copyright_law_2010/art013.yaml", "    needs_law: [cn.copyright_regulations.art009]\n",
     "    cites: [cn.copyright_regulations.art009]\n", "whose text the pack does not hold"),
    ("copyright_law_2010/art013.yaml", "    needs_law: [cn.copyright_regulations.art009]\n",
     "    needs_law: [cn.copyright_regulations.art002]\n", "whose text the pack holds"),
    # a provision whose text is not held carries no text, and is not verified
    pytest.param("copyright_regulations/art009.yaml", "verified: false\n", "verified: true\n", "has no verified text",
                 marks=pytest.mark.slow),
    pytest.param("copyright_regulations/art009.yaml", "text_held: false\n",
                 "text_held: false\ntext: {zh: 第九条, en: Art. 9, en_status: none}\n", "has no 'text'",
                 marks=pytest.mark.slow),
])
def test_a_provision_not_held_is_one_error_line(pack_dir, name, old, new, said):
    _edit(pack_dir, name, old, new)
    with pytest.raises(InputError) as e:
        load_pack(pack_dir)
    assert str(e.value).startswith(str(pack_dir / name) + ":") and said in str(e.value), str(e.value)


def test_the_draft_of_a_case_waiting_on_law_not_held_says_so_and_never_quotes_it(pack):
    result = runner.invoke(app, ["opinion", str(HYPOS / "joint-work-co-author-use-2010-law.yaml")])
    assert result.exit_code == 0, result.output
    assert "【裁判主文暂无法起草：规则包未收录所需的法律条文（《中华人民共和国著作权法实施条例》第九条）。】" in result.output
    assert "所需事实尚不明确" not in result.output
    # named as missing, never in the basis clause nor quoted in the appendix
    assert "实施条例》第九条规定" not in result.output and "> 第九条" not in result.output


def _rules_by_act(c, concept: str) -> dict[str, set[str]]:
    return {e: {d.rule for d in ds} for (k, e), ds in c.derivations.items() if k == concept}


def test_separate_acts_on_both_sides_of_2021_06_01_are_each_judged_under_the_law_of_their_time(pack):
    case = read_case(HYPOS / "two-acts-2020-and-2022.yaml", pack)
    # the case date (the last act) for what is not about one act; each act its own date
    assert case.clock_dates == {"decided_on": "2024-03-15", "acts": "2022-04-10"}
    assert case.item_dates == (("acts", "act:A1", "2020-09-15"), ("acts", "act:A2", "2022-04-10"))
    with Consultation(pack, case) as c:
        infringes = _rules_by_act(c, "infringes")
        licensed = _rules_by_act(c, "licensed")
        infringed = {e: {d.rule for d in ds} for (k, e), ds in c.derivations.items() if k == "infringed"}
        record = build_record(pack, case, c)
    assert infringes == {"act:A1": {"cn.copyright_law_2010.art047/act_infringes_some_right"},
                         "act:A2": {"cn.copyright_law.art052/act_infringes_some_right"}}
    # the burdens about an act are each act's law's too (2010 Art. 10 / 2020 Art. 10)
    assert licensed == {"act:A1": {"cn.copyright_law_2010.art010/licence_is_the_defendants_to_prove"},
                        "act:A2": {"cn.copyright_law.art010/licence_is_the_defendants_to_prove"}}
    assert infringed["act_right:A1/authorship"] == {"cn.copyright_law_2010.art047/unlicensed_use"}
    assert infringed["act_right:A2/authorship"] == {"cn.copyright_law.art052/unlicensed_use"}
    # the remedies follow the case date: the 2020 Law's damages (floor 500: 300 granted in full)
    assert record["law_dates"] == {"decided_on": "2024-03-15", "acts": "2022-04-10"}
    assert [(a["id"], a["law_date"]) for a in record["acts"]] == [("A1", "2020-09-15"), ("A2", "2022-04-10")]
    assert record["remedies"]["damages"] == {"amount": 300}
    assert "cn.copyright_law.art054/statutory_damages" in _fired(record)
    assert not any(r.startswith("cn.copyright_law_2010.art049/") and r.endswith("_disposed") for r in _fired(record))


def test_acts_of_one_period_compile_as_before_without_a_guard(pack):
    both_before = read_case(HYPOS / "two-acts-both-before-2021-06-01.yaml", pack)
    assert "acts/items" not in dict(both_before.law)
    assert not any(f.concept == "law_dates.acts" for f in both_before.facts)
    live = pack.as_of(both_before.law)
    assert not any(c.fact == "law_dates.acts" for r in live.rules + live.burdens for c in r.scope)
    mixed = pack.as_of(read_case(HYPOS / "two-acts-2020-and-2022.yaml", pack).law)
    guarded = {r.id: next(c.values for c in r.scope if c.fact == "law_dates.acts")
               for r in mixed.rules + mixed.burdens if any(c.fact == "law_dates.acts" for c in r.scope)}
    assert guarded["cn.copyright_law_2010.art047/unlicensed_use"] == ("2010-04-01",)
    assert guarded["cn.copyright_law.art052/unlicensed_use"] == ("2021-06-01",)
    # not about one act: the case date's law alone, unguarded
    ids = {r.id for r in mixed.rules}
    assert "cn.copyright_law.art054/statutory_damages" in ids and "cn.copyright_law_2010.art049/statutory_damages" not in ids
    assert "cn.copyright_law.art052/infringement_by_some_act" not in guarded

def test_a_punitive_claim_decided_after_the_2021_interpretation_names_its_replacement(pack):
    # the 2021 interpretation applies to decisions up to 2026-04-30; after it, its replacement
    # (text not held) decides the punitive claim: the disposition waits and names it, no answer
    # could help, and no rule of the 2021 text fires
    record = _record(pack, "punitive-decided-after-2026-04-30")
    assert record["holdings"]["infringement"] == "established"
    assert record["holdings"]["disposition"] == "undetermined"
    assert record["missing_law"] == ["cn.punitive_damages_2026.interpretation"]
    assert record["open_questions"] == [] and record["remedies"]["punitive_damages"] is None
    assert not {r for r in _fired(record) if r.startswith("cn.punitive_damages.")}
    # the disposition the rules reached over the other claims is set aside, in the reasons and the draft
    assert not [r for r in record["reasons"] if r["conclusion"].startswith("disposition(")]
    assert not pack.authorities["cn.punitive_damages_2026.interpretation"].held
    result = runner.invoke(app, ["decide", str(HYPOS / "punitive-decided-after-2026-04-30.yaml")])
    assert result.exit_code == 0, result.output
    assert "裁判结果: 尚未确定" in result.output and "《惩罚性赔偿解释》（2026年）" in result.output
    # the same case decided in 2025 is disposed of under the 2021 text, and lacks no law
    earlier = _record(pack, "punitive-decided-after-2026-04-30", **{"decided_on: 2026-06-15": "decided_on: 2025-09-15"})
    assert earlier["holdings"]["disposition"] == "upheld" and earlier["missing_law"] == []
    assert [r for r in earlier["reasons"] if r["conclusion"].startswith("disposition(")]
    draft = runner.invoke(app, ["opinion", str(HYPOS / "punitive-decided-after-2026-04-30.yaml"), "--format", "md"])
    assert draft.exit_code == 0, draft.output
    assert "均能成立" not in draft.output and "裁判主文暂无法起草" in draft.output


def test_punitive_damages_are_the_base_found_times_the_indicative_multiple_within_the_claim(pack):
    # Interpretation Arts. 5 and 6: the record reports the base, the multiple and the amount
    record = _record(pack, "punitive-wilful-repeat")
    assert record["remedies"]["punitive_damages"] == {"claimed": 36000, "base": 18000, "multiple": 2, "amount": 36000}
    # piracy: the indicative multiple is three, but a court awards within the claim
    pirate = _record(pack, "punitive-wilful-repeat", **{"piracy: false": "piracy: true"})
    assert pirate["remedies"]["punitive_damages"] == {"claimed": 36000, "base": 18000, "multiple": 3, "amount": 36000}
    assert pirate["holdings"]["disposition"] == "upheld"
    # a fine executed for the same act: no reduction as such, one step lower on the multiple
    fined = _record(pack, "punitive-fine-executed")
    assert fined["remedies"]["punitive_damages"]["amount"] == 18000
    assert "fine_no_reduction" in {n["fact"] for n in fined["notes"]}
    text = runner.invoke(app, ["decide", str(HYPOS / "punitive-fine-executed.yaml"), "--lang", "en"]).output
    assert "Punitive damages: 18000 yuan (base 18000 x 1, the rule pack's indicative multiple)" in text
    assert fined["holdings"]["disposition"] == "partly_upheld"
    # a claim above the indicative multiple is granted in part
    high = _record(pack, "punitive-wilful-repeat", **{"punitive_claimed: 36000": "punitive_claimed: 54000",
                                                      "punitive_multiple: 2": "punitive_multiple: 3"})
    assert high["remedies"]["punitive_damages"]["amount"] == 36000
    assert high["holdings"]["disposition"] == "partly_upheld"


def test_the_court_fee_is_on_every_sum_claimed_the_punitive_sum_included(pack):
    # Litigation Costs Measures Art. 13 item (1): on the amount of the claims (the project's
    # reading: a punitive claim's sum is part of it). Damages 18,000 + punitive 36,000 = 54,000
    # yuan: 50 for the first 10,000, then 2.5% of the 44,000 above it (1,100): 1,150. Granted
    # (wilful-repeat) or dismissed (not-serious), the sum was claimed
    for name in ("punitive-wilful-repeat", "punitive-not-serious"):
        assert _record(pack, name)["remedies"]["court_fee"] == 1150
    # 18,000 + 182,000 = 200,000: 50 + 2.5% of 90,000 (2,250) + 2% of 100,000 (2,000) = 4,300
    big = _record(pack, "punitive-wilful-repeat", **{"punitive_claimed: 36000": "punitive_claimed: 182000"})
    assert big["remedies"]["court_fee"] == 4300
    # a punitive sum written but not claimed (claims.remedies does not list it) counts for
    # nothing: 18,000 alone, 50 + 2.5% of 8,000 (200) = 250, the fee before the punitive claim
    unclaimed = _record(pack, "punitive-wilful-repeat", **{"remedies: [cease, damages, punitive_damages]":
                                                           "remedies: [cease, damages]"})
    assert unclaimed["remedies"]["court_fee"] == 250
    # claimed, its sum not known: the fee cannot be computed yet
    unknown = _record(pack, "punitive-wilful-repeat", **{"punitive_claimed: 36000": "punitive_claimed: unknown"})
    assert unknown["remedies"]["court_fee"] is None



def test_a_question_only_the_earlier_law_asks_is_decided_by_it_for_the_acts_of_its_time(pack):
    # co-authors (the plaintiff's own account: both directed the generation), only the right of
    # authorship claimed: the 2020 posting is judged by 2010 Art. 47 item (2), which asks whether
    # only authorship and publication are claimed (a case-level question the 2020 Law does not ask)
    text = (HYPOS / "two-acts-2020-and-2022.yaml").read_text(encoding="utf-8")
    text = text.replace("directed_by: plaintiff\n", "directed_by: plaintiff_and_defendant\n")
    text = text.replace("rights: [authorship, information_network_dissemination]", "rights: [authorship]")
    case = parse_case(text, pack, "two-acts-co-authors.yaml")
    with Consultation(pack, case) as c:
        record = build_record(pack, case, c)
        governed = c.derivations[("co_author_use_governed", "case")]
    assert [d.rule for d in governed] == ["cn.copyright_law_2010.art047/only_authorship_and_publication_claimed"]
    assert [(a["id"], a["infringes"], a["rights"]) for a in record["acts"]] == \
        [("A1", "established", ["authorship"]), ("A2", "established", ["authorship"])]
    assert "cn.copyright_law_2010.art047/co_author_published_as_his_own" in _fired(record)


def test_the_draft_reasons_each_act_under_its_law_and_cites_both_versions(pack):
    from assessor.engine.opinion import render_opinion

    case = read_case(HYPOS / "two-acts-2020-and-2022.yaml", pack)
    zh = render_opinion(pack, case, lang="zh")
    assert "根据《中华人民共和国著作权法》（2010年修正）第四十七条的规定，被诉行为侵害原告主张的任何一项权利的，即构成侵权行为。本案中，就被诉行为A1而言" in zh
    assert "根据《中华人民共和国著作权法》第五十二条的规定，被诉行为侵害原告主张的任何一项权利的，即构成侵权行为。本案中，就被诉行为A2而言" in zh
    # each version named once in the basis clause, the 2020 Law's first
    assert ("依照《中华人民共和国著作权法》第三条、第九条、第十条第一款第（二）项、第（十二）项、第十一条、第五十二条、第五十四条，"
            "《中华人民共和国著作权法》（2010年修正）第十条、第十条第一款第（二）项、第（十二）项、第四十七条，") in zh
    en = render_opinion(pack, case, lang="en")
    assert "Act A1 complained of: posting online, on September 15, 2020," in en
    assert "Copyright Law of the People's Republic of China, Arts. 10, 10(1)(2), 10(1)(12) and 47 (2010);" in en


@pytest.mark.parametrize("wilful,serious,awarded", [("A2", "A2", True), ("A1", "A1", False), ("A2", "A1", False)])
def test_punitive_damages_rest_only_on_acts_the_2020_law_governs(pack, wilful, serious, awarded):
    # a pirated copy sold in October 2020 (A1, stopped) and again in October 2024 (A2): the
    # intent and the seriousness count only where the act is the 2020 Law's (its Art. 54 para. 1)
    text = (HYPOS / "punitive-wilful-repeat.yaml").read_text(encoding="utf-8")
    act = text[text.index("  - id: A1\n"):]
    flags = lambda a: act.replace("  - id: A1\n", f"  - id: {a}\n").replace(
        "after_notice: true", f"after_notice: {str(wilful == a).lower()}").replace(
        "repeat_infringement: true", f"repeat_infringement: {str(serious == a).lower()}")
    first = flags("A1").replace("on: 2024-10", "on: 2020-10").replace("stopped: false", "stopped: true")
    case = parse_case(text[:text.index("  - id: A1\n")] + first + flags("A2"), pack, "two-acts-punitive.yaml")
    with Consultation(pack, case) as c:
        record = build_record(pack, case, c)
        wilful_acts = {e for (k, e) in c.values if k == "wilful_act" and c.value(k, e) == "established"}
    assert [a["law_date"] for a in record["acts"]] == ["2020-10-28", "2025-09-15"]   # A2 goes on: the decision date
    assert wilful_acts == ({"act:A2"} if wilful == "A2" else set())
    assert (record["remedies"]["punitive_damages"] is not None) == awarded, record["remedies"]


def test_decide_names_the_acts_judged_under_another_periods_law(pack):
    result = runner.invoke(app, ["decide", str(HYPOS / "two-acts-2020-and-2022.yaml"), "--lang", "en"])
    assert result.output.splitlines()[1] == "Law as of: 2024-03-15 (substantive law as of the acts: 2022-04-10; A1: 2020-09-15)"
    result = runner.invoke(app, ["decide", str(HYPOS / "two-acts-both-before-2021-06-01.yaml"), "--lang", "en"])
    assert result.output.splitlines()[1] == "Law as of: 2024-03-15 (substantive law as of the acts: 2020-11-10)"


def test_a_co_authors_own_use_in_2020_waits_on_the_regulations_even_beside_an_act_of_2022(pack):
    # co-authors, the right of communication through networks claimed too: whether the 2020
    # posting was a co-author's lawful use is the Regulations Art. 9's (not held), as in a case of
    # 2020 acts alone; the 2022 posting is judged by the 2020 Law's Art. 14
    text = (HYPOS / "two-acts-2020-and-2022.yaml").read_text(encoding="utf-8")
    case = parse_case(text.replace("directed_by: plaintiff\n", "directed_by: plaintiff_and_defendant\n"), pack,
                      "two-acts-co-authors.yaml")
    with Consultation(pack, case) as c:
        record = build_record(pack, case, c)
    assert [(a["id"], a["infringes"]) for a in record["acts"]] == [("A1", "undetermined"), ("A2", "established")]
    assert record["holdings"]["disposition"] == "undetermined"
    assert record["missing_law"] == ["cn.copyright_regulations.art009"]


def test_an_act_before_every_version_the_pack_holds_leaves_the_case_undetermined_beside_a_later_act(pack):
    # the 2020 posting moved to 2009, before the 2010 Law: nothing in the pack judges it, so the
    # case is not decided on the 2022 posting alone; it names the provisions it lacks for that act
    record = _record(pack, "two-acts-2020-and-2022", **{'"on": 2020-09-15': '"on": 2009-09-15'})
    assert [(a["id"], a["law_date"], a["infringes"]) for a in record["acts"]] == \
        [("A1", "2009-09-15", "undetermined"), ("A2", "2022-04-10", "established")]
    assert record["holdings"]["disposition"] == "undetermined"
    assert record["missing_law"] == ["cn.copyright_law.art052", "cn.copyright_law_2010.art047"]
