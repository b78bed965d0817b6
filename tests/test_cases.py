"""The two decided example cases: outcome and reasons, as the courts reasoned."""
from __future__ import annotations


import pytest

from assessor.engine import decide, read_case

from .conftest import HYPOS



def reasons(record):
    return {r["rule"].split(".", 1)[1]: r for r in record["reasons"]}


@pytest.fixture(scope="module")
def seed(pack):
    return decide(pack, read_case(HYPOS / "cat-pendant.yaml", pack))


@pytest.fixture(scope="module")
def li(pack):
    return decide(pack, read_case(HYPOS / "li-v-liu.yaml", pack))


def test_seed_case_is_dismissed_because_creative_input_is_not_proven(seed):
    assert seed["format"] == "assessor.decision/1"
    assert seed["holdings"] == {"is_work": "not_established", "plaintiff_is_author": "not_reached",
                                "plaintiff_owns": "not_reached", "infringement": "not_reached", "rights_infringed": [],
                                "disposition": "dismissed"}
    assert [a["infringes"] for a in seed["acts"]] == ["not_reached", "not_reached"]
    assert seed["remedies"]["cease"] is False and seed["remedies"]["damages"] is None
    assert seed["remedies"]["court_fee_borne_by"] == "plaintiff"


def test_seed_case_reasons_follow_the_judgment(seed):
    why = reasons(seed)
    # the reproduction made during the lawsuit proves nothing about the original process
    sim = why["cpl_interpretation.art108/simulation_proves_nothing"]
    assert sim["conclusion"].startswith("probative(proof:E1/") and sim["conclusion"].endswith("= refuted")
    assert "cn.cpl_interpretation.art108" in sim["cites"]
    # the party's own statement, weighed with the other evidence (CPL Art. 78), does not prove its
    # assertion: the fact is left unproven, not disproven
    own = why["civil_procedure_law.art067/own_statement_is_not_proof"]
    assert own["conclusion"].endswith("= not_established") and "cn.civil_procedure_law.art078" in own["cites"]
    # so the prompt is unproven, and the plaintiff bears that burden
    burden = [r for r in seed["reasons"] if r["conclusion"] == "proven(topic:prompt) = not_established"]
    assert burden and burden[0]["burden"] == "plaintiff"
    assert "cn.civil_procedure_law.art067" in burden[0]["cites"]
    # originality (open-textured) not established -> not a work under Art. 3 -> dismissed
    assert why["copyright_regulations.art002/originality_of_ai_output"]["conclusion"] == "original(case) = not_established"
    assert why["copyright_regulations.art002/originality_of_ai_output"]["open_textured"] is True
    work = why["copyright_law.art003/work"]
    assert work["conclusion"] == "is_work(case) = not_established"
    assert work["cites"] == ["cn.copyright_law.art003", "cn.copyright_law.art005"]
    assert "in_protected_field(case) = established" in work["premises"]
    assert "expressible_in_form(case) = established" in work["premises"]
    assert why["cpl_interpretation.art090/unproven_claims_dismissed"]["conclusion"] == "disposition(case) = dismissed"


def test_seed_findings_state_claim_status_burden_and_evidence(seed):
    prompt = next(f for f in seed["findings"] if f["fact"] == "creation.prompt")
    assert prompt == {"fact": "creation.prompt", "claimed": "detailed", "status": "not_proven",
                      "burden": "plaintiff", "evidence": ["E1", "E2"]}


def test_every_reason_cites_a_provision_or_holding(pack, seed, li):
    for record in (seed, li):
        for r in record["reasons"]:
            assert r["cites"] and all(c in pack.authorities for c in r["cites"]), r


def test_li_v_liu_work_author_and_both_rights_infringed(li):
    assert li["holdings"] == {"is_work": "established", "plaintiff_is_author": "established",
                              "plaintiff_owns": "established", "infringement": "established",
                              "rights_infringed": ["authorship", "information_network_dissemination"],
                              "disposition": "partly_upheld"}
    assert li["acts"] == [{"id": "A1", "law_date": "2023-03-28", "infringes": "established",
                           "rights": ["authorship", "information_network_dissemination"]}]
    assert li["remedies"]["apology"] is True
    assert li["remedies"]["damages"] == {"low": 500, "high": 5000, "basis": "statutory"}
    assert li["remedies"]["court_fee"] == 50


def test_li_v_liu_reasons(li):
    why = reasons(li)
    assert why["evidence_provisions.art093/contemporaneous_record"]["conclusion"].endswith("= established")
    assert why["copyright_regulations.art002/prompt_design"]["conclusion"] == "prompt_design_shown(case) = established"
    author = why["copyright_law.art011/natural_person_author"]
    assert author["conclusion"] == "plaintiff_is_author(case) = established"
    assert "cn.cases.bjic_2023_li_v_liu" not in author["cites"]  # a case never cites itself
    assert why["copyright_law.art010_01_02/attribution_removed"]["cites"][0] == "cn.copyright_law.art010_01_02"
    assert why["copyright_law.art010_01_12/online_posting_makes_available"]["conclusion"].endswith("= established")
    assert why["copyright_law.art052/apology_for_moral_right"]["conclusion"] == "order_apology(case) = true"


def test_same_facts_with_original_records_flip_the_seed_case(pack):
    flipped = decide(pack, read_case(HYPOS / "cat-pendant-original-records.yaml", pack))
    assert flipped["holdings"]["is_work"] == "established"
    assert flipped["holdings"]["infringement"] == "established"


def test_decisions_are_reproducible(pack):
    import json
    one = json.dumps(decide(pack, read_case(HYPOS / "li-v-liu.yaml", pack)), ensure_ascii=False)
    two = json.dumps(decide(pack, read_case(HYPOS / "li-v-liu.yaml", pack)), ensure_ascii=False)
    assert one == two
