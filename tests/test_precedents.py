"""Precedents on both sides: the holdings' factors compared with a case's answers."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import Consultation, InputError, load_pack, parse_case, read_case
from assessor.engine.precedents import compare, precedents

from .conftest import HYPOS, PACK_DIR

runner = CliRunner()


def _compare(pack, name, decided_on=None):
    case = read_case(HYPOS / name, pack)
    if decided_on:  # the same facts decided on another day
        case = parse_case((HYPOS / name).read_text(encoding="utf-8").replace(f"decided_on: {case.data['decided_on']}", f"decided_on: {decided_on}"),
                          pack, name)
    with Consultation(pack, case) as c:
        return compare(pack, case, {"original": c.value("original")})["original"]


def test_every_declared_factor_tests_a_case_file_answer(pack):
    precs = {p.authority: p for p in precedents(pack)}
    assert precs["cn.cases.bjic_2023_li_v_liu"].outcome == "established"
    assert precs["cn.cases.bjic_2025_cat_pendant"].outcome == "not_established"
    for p in precs.values():
        assert p.factors and all(not pack.concepts[f.fact].derived for f in p.factors)


def test_seed_case_the_strongest_counter_argument_is_li_v_liu(pack):
    comps = _compare(pack, "cat-pendant.yaml")
    other = [c for c in comps if not c.agrees]
    assert other[0].precedent.authority == "cn.cases.bjic_2023_li_v_liu"   # most shared factors first
    assert [f.id for f in other[0].shared] == ["detailed_prompt"]
    assert {f.id for f in other[0].only_precedent} == {"original_records", "parameters_set", "iterations", "selection"}
    assert [f.id for f in other[0].only_case] == ["after_the_fact_reproduction"]
    same = [c.precedent.authority for c in comps if c.agrees]
    # a case never cites itself: the seed case's own holding is no precedent for its decision
    assert "cn.cases.zjg_2025_butterfly_chair" in same and "cn.cases.bjic_2025_cat_pendant" not in same


def test_a_holding_is_a_precedent_only_for_decisions_after_it(pack):
    # decided in 2023, Li v. Liu's facts meet no precedent the other way: both came later
    assert [c for c in _compare(pack, "li-v-liu.yaml") if not c.agrees] == []


def test_li_v_liu_distinguishes_the_cases_that_denied_protection(pack):
    comps = _compare(pack, "li-v-liu.yaml", decided_on="2026-01-05")
    other = {c.precedent.authority: c for c in comps if not c.agrees}
    assert set(other) == {"cn.cases.zjg_2025_butterfly_chair", "cn.cases.bjic_2025_cat_pendant"}
    chair = other["cn.cases.zjg_2025_butterfly_chair"]
    assert {f.id for f in chair.only_precedent} == {"simple_prompt", "after_the_fact_reproduction"}
    assert all(f.favours == "defendant" for f in chair.only_precedent)
    assert "original_records" in {f.id for f in chair.only_case}


def test_decide_and_explain_show_precedents():
    result = runner.invoke(app, ["decide", str(HYPOS / "cat-pendant.yaml"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Precedents on both sides — originality:" in out
    assert "  - Li v. Liu (the other way: the subject is original)\n      shared factors: detailed prompts [the plaintiff]" in out
    result = runner.invoke(app, ["explain", str(HYPOS / "banxin-installation-and-repost.yaml"), "--how", "is_work"])
    assert result.exit_code == 0, result.output
    assert "正反两方面的先例" in result.output and "李某诉刘某案" in result.output


def test_a_factor_defined_two_ways_is_an_error(tmp_path):
    new = tmp_path / "cn"
    shutil.copytree(PACK_DIR, new)
    f = new / "cases" / "changshu_2024_banxin.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("fact: creation.iterations, gt: 1", "fact: creation.iterations, gt: 2"), encoding="utf-8")
    with pytest.raises(InputError, match="factor 'iterations' is defined differently"):
        precedents(load_pack(new))


def test_precedents_are_read_from_the_pack_wherever_the_command_runs(pack, tmp_path, monkeypatch):
    # the holdings' files are found under the pack's folder, not by the name errors show
    # (relative to the repository): decide worked only when run from the repository
    from assessor.engine.precedents import _load
    monkeypatch.chdir(tmp_path)
    _load.cache_clear()
    assert _load(pack)
