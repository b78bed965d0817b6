"""A rule pack about something other than copyright runs every command: the fictional pack in
tests/packs/toy (late fees at a library) is decided, explained, interviewed, drafted as the
neutral decision report, checked, tested, documented, varied (whatif, flips), run in a batch
and compared (impact), with no traceback and with its own answers."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app

TOY = Path(__file__).parent / "packs" / "toy"
LATE = "format: toy.case/1\nmember: false\nfee: 20\nitems: [{id: b, days_late: 3}]\n"
MEMBER = "format: toy.case/1\nmember: true\nitems: [{id: c, days_late: 1}]\n"


@pytest.fixture
def cases(tmp_path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "late.yaml").write_text(LATE, encoding="utf-8")
    (folder / "member.yaml").write_text(MEMBER, encoding="utf-8")
    (folder / "notes.yaml").write_text("not: a case file\n", encoding="utf-8")
    return folder


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and result.exit_code == 0, result.output
    return result.output


def test_decide_and_explain(cases):
    record = json.loads(_run("decide", "--rules", str(TOY), "--format", "json", str(cases / "late.yaml")))
    assert record["holdings"]["owes_fee"] == "established" and record["holdings"]["disposition"] == "pay"
    assert {r["rule"] for r in record["reasons"]} == {f"toy.rules.r1/{r}" for r in ("late_item", "any", "member", "fee", "pay")}
    assert all(r["cites"] == ["toy.rules.r1"] for r in record["reasons"])
    tree = _run("explain", "--rules", str(TOY), "--lang", "en", str(cases / "late.yaml"))
    assert "owes a late fee" in tree and "[toy.rules.r1/fee]" in tree and "not exempt" in tree


def test_the_record_follows_the_packs_own_declarations(cases, tmp_path):
    """No court fee, no rights infringed: the toy pack's holdings, acts and remedies are its own."""
    record = json.loads(_run("decide", "--rules", str(TOY), "--format", "json", str(cases / "late.yaml")))
    assert record["holdings"] == {"owes_fee": "established", "late_items": ["b"], "disposition": "pay"}
    assert record["acts"] == [{"id": "b", "late": "established"}]
    assert record["remedies"] == {"pay": True, "late_fee": {"claimed": 20}}
    text = _run("decide", "--rules", str(TOY), "--lang", "en", str(cases / "member.yaml"))
    assert "owes no late fee" in text and "Court fee" not in text and "yuan" not in text
    csv_out = tmp_path / "batch.csv"
    _run("batch", "--rules", str(TOY), "--format", "csv", "--jobs", "1", "-o", str(csv_out), str(cases))
    lines = csv_out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,status,owes_fee,late_items,disposition,error"
    assert lines[1].endswith(",ok,established,b,pay,")


def test_interview_scripted_fills_in_the_case_and_decides(cases, tmp_path):
    out, transcript = tmp_path / "out.yaml", tmp_path / "transcript.jsonl"
    _run("interview", "--rules", str(TOY), "--lang", "en", "--answers-from", str(cases / "late.yaml"),
         "--transcript", str(transcript), "--out", str(out))
    lines = [json.loads(x) for x in transcript.read_text(encoding="utf-8").splitlines()]
    assert [x["field"] for x in lines if "field" in x] == ["member", "items", "items[0].days_late", "items"]
    assert lines[-1]["holdings"]["disposition"] == "pay"
    assert "days_late: 3" in out.read_text(encoding="utf-8")


def test_opinion_is_the_neutral_report_in_each_format(cases, tmp_path):
    md = _run("opinion", "--rules", str(TOY), "--lang", "zh+en", str(cases / "member.yaml"))
    assert "# 裁决报告 / Decision report" in md and "owes no late fee" in md and "民事判决书" not in md
    _run("opinion", "--rules", str(TOY), "--format", "docx", "-o", str(tmp_path / "o.docx"), str(cases / "late.yaml"))
    assert (tmp_path / "o.docx").stat().st_size > 0


def test_rules_check_test_and_doc():
    assert "ok: toy 1" in _run("rules", "check", str(TOY))
    assert "0 failed" in _run("rules", "test", str(TOY))
    assert "Fictional library rules" in _run("rules", "doc", str(TOY), "--lang", "en")


def test_whatif_and_flips(cases):
    changed = _run("whatif", "--rules", str(TOY), "--lang", "en", str(cases / "late.yaml"), "--set", "member=true")
    assert "owes_fee" in changed or "owes a late fee" in changed
    _run("flips", "--rules", str(TOY), "--lang", "en", str(cases / "late.yaml"))


def test_explain_why_on_an_answer_given_says_which_holding_another_answer_changes(cases, tmp_path):
    """member: false is answered, and member: true changes the fee owed (whatif shows it):
    explain --why says so and names the holding, in each language; an open question is
    still explained by the rules up to its issue."""
    args = ("explain", "--rules", str(TOY), "--why", "member", str(cases / "late.yaml"))
    assert _run(*args, "--lang", "en").splitlines() == [
        "This answer (member: no): another answer would change a holding:",
        "  if the answer were yes → owes a late fee: owes a late fee → owes no late fee; outcome: pay → undetermined"]
    assert _run(*args, "--lang", "zh").splitlines() == [
        "这一回答 (会员: 否): 改为其他回答将改变以下结论:",
        "  如果回答为 是 → 应付逾期费: 应当支付逾期费 → 无需支付逾期费；结果: 支付 → 尚未确定"]
    assert "owes no late fee" in _run("whatif", "--rules", str(TOY), "--lang", "en", str(cases / "late.yaml"),
                                      "--set", "member=true")
    open_ = tmp_path / "open.yaml"
    open_.write_text("format: toy.case/1\nitems: [{id: b, days_late: 3}]\n", encoding="utf-8")
    assert _run("explain", "--rules", str(TOY), "--lang", "en", "--why", "member", str(open_)).splitlines() == [
        "This answer (member) matters because:",
        "  → exempt — Members are exempt. (Fictional library rules, 1)",
        "  → owes a late fee — Late and not exempt means a fee. (Fictional library rules, 1)"]


def test_batch_and_impact_find_the_packs_own_case_files(cases, tmp_path):
    report = tmp_path / "batch.jsonl"
    _run("batch", "--rules", str(TOY), "--format", "jsonl", "-o", str(report), "--opinions", str(tmp_path / "op"), str(cases))
    rows = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines()]
    # notes.yaml does not name the toy pack's case format: not a case file
    assert sorted((Path(r["file"]).name, r["decision"]["holdings"]["owes_fee"]) for r in rows) == \
        [("late.yaml", "established"), ("member.yaml", "refuted")]
    assert sorted(p.name for p in (tmp_path / "op").iterdir()) == ["late.md", "member.md"]
    out = json.loads(_run("impact", "--old-rules", str(TOY), "--new-rules", str(TOY), "--format", "json", str(cases)))
    assert sorted((Path(c["file"]).name, c["status"]) for c in out["cases"]) == [("late.yaml", "same"), ("member.yaml", "same")]


@pytest.mark.slow  # a terminal program driven by pexpect
def test_interview_in_the_terminal(tmp_path):
    import os
    import sys

    import pexpect
    out = tmp_path / "case.yaml"
    exe = str(Path(sys.executable).with_name("assessor"))
    child = pexpect.spawn(exe, ["interview", str(out), "--rules", str(TOY), "--lang", "en"], encoding="utf-8",
                          timeout=60, env=dict(os.environ, COLUMNS="200"), dimensions=(50, 200))
    for question, answer in (("Is the borrower a member?", "2"), ("Is there a borrowed item?", "1"),
                             ("How many days late was the item returned?", "3"),
                             ("Is there another borrowed item?", "2")):
        child.expect_exact(question)
        child.expect_exact("> ")
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    text = child.before.replace("\r", "")
    assert child.exitstatus == 0 and "Traceback" not in text
    assert "Disposition: pay" in text and "owes a late fee — Fictional library rules, 1" in text
    assert "days_late: 3" in out.read_text(encoding="utf-8")


def test_the_pack_declares_its_own_citation_typography(tmp_path):
    # the toy pack ends a sentence only with 。, so the sentence quoted around '会员免除逾期费'
    # is the whole text; under the CN pack's typography (； ends a sentence) it is the last clause
    from assessor.engine import load_pack
    from assessor.engine.citations import rule_info, whole_sentence
    toy = load_pack(TOY)
    text = toy.authorities["toy.rules.r1"].text.zh
    assert rule_info(toy, "toy.rules.r1/member")["sentence"] == "借阅物品逾期归还的，借阅人应当支付逾期费；会员免除逾期费"
    cn = {"sentence_breaks": "。；：", "sentence_ends": "。；"}
    assert whole_sentence(text, "会员免除逾期费", cn) == "会员免除逾期费"
    assert whole_sentence(text, "会员免除逾期费", {}) == ""   # none declared: no sentence is quoted
    # a pattern that is not a regular expression is refused at its place in pack.yaml
    bad = tmp_path / "toy"
    shutil.copytree(TOY, bad)
    manifest = bad / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "    item_number: '（[一二'\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "check", str(bad)])
    assert result.exit_code == 1
    line = len(manifest.read_text(encoding="utf-8").splitlines())
    assert f"pack.yaml:{line}:18: opinion.citation.item_number: not a regular expression" in result.output
    assert "Traceback" not in result.output


# A charge linked to each item (item_charge), due only if posted: whether it was posted is the
# library's to prove (under a provision of its own, r3), and a waiver the borrower's.
_CHARGES = """# Fictional text for testing only; it is not law.
kind: provision
title: {zh: 收费标准, en: Charges}
source: {instrument: {zh: 虚构的图书馆规则, en: Fictional library rules}, article: "2", ref: TOY-2, origin: test fixture (fictional)}
effective: {from: 2020-01-01, until: null}
verified: false
text: {zh: 图书馆只收取已经公示的费用；借阅人经图书馆免除的，不收取。, en: Only posted charges; none if waived., en_status: fictional test text}
concepts:
  posted:
    about: charge
    label: {zh: 已公示, en: posted}
    says:
      established: {zh: 该费用已经公示, en: the charge was posted}
      not_established: {zh: 该费用已经公示未得到证明, en: that the charge was posted is not proven}
      refuted: {zh: 该费用未公示, en: the charge was not posted}
  charged:
    about: item_charge
    label: {zh: 应收费用, en: charged}
    says:
      established: {zh: 应当收取该费用, en: the charge is due}
      not_established: {zh: 是否应收该费用不明, en: whether the charge is due is not shown}
      refuted: {zh: 不收取该费用, en: the charge is not due}
  waived:
    about: item
    label: {zh: 已免除, en: waived}
    says:
      established: {zh: 已免除, en: waived}
      not_established: {zh: 免除未得到证明, en: waiver not proven}
      refuted: {zh: 未免除, en: not waived}
rules:
  - id: tariff
    then: posted
    if: [{fact: tariff_posted, of: case, is: true}]
    is: established
    quote: 已经公示的费用
    explain: {zh: 收费标准已公示。, en: The tariff was posted.}
  - id: charge
    then: charged
    form: all
    if: [{fact: late, of: item}, {fact: posted, of: charge}]
    quote: 图书馆只收取已经公示的费用
    explain: {zh: 逾期且已公示的费用应当收取。, en: A posted charge is due for a late item.}
burdens:
  - {id: posting_is_the_librarys_to_prove, about: charge, fact: posted, on: library, default: not_established,
     after: [tariff_posted], quote: 已经公示的费用, cites: [toy.rules.r3],
     explain: {zh: 图书馆应当证明收费标准已经公示。, en: The library must prove the tariff was posted.}}
  - {id: waiver_is_the_borrowers_to_prove, about: item, fact: waived, on: borrower, default: not_established,
     after: [items.days_late], quote: 借阅人经图书馆免除的,
     explain: {zh: 借阅人应当证明已经免除。, en: The borrower must prove the waiver.}}
"""
_PROOF = """# Fictional text for testing only; it is not law.
kind: provision
title: {zh: 举证, en: Proof}
source: {instrument: {zh: 虚构的图书馆规则, en: Fictional library rules}, article: "3", ref: TOY-3, origin: test fixture (fictional)}
effective: {from: 2020-01-01, until: null}
verified: false
text: {zh: 主张收费的一方，应当证明收费的依据。, en: Whoever claims a charge proves what it rests on., en_status: fictional test text}
"""


def _with_charges(dst: Path) -> Path:
    shutil.copytree(TOY, dst)

    def edit(name: str, old: str, new: str, tail: str = "") -> None:
        path = dst / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new) + tail, encoding="utf-8")

    edit("case-format.yaml", "entities: {}", "entities:\n  item_charge: {cross: [item, charge]}",
         "    tariff_posted: {type: tri, fact: true, label: {zh: 收费标准已公示, en: tariff posted}}\n"
         "    charges:\n      type: list\n      unique: true\n      entity: charge\n      item:\n"
         "        {type: enum, values: [late_fee], fact: true, label: {zh: 收取的费用, en: charge}}\n")
    edit("questions.yaml", "sections: [member, items]", "sections: [member, items, tariff_posted, charges]",
         "  tariff_posted:\n    ask: {zh: 收费标准是否已公示？, en: \"Was the tariff posted?\"}\n"
         "    help: {zh: 由图书馆证明。, en: The library proves it.}\n"
         "  charges:\n    ask: {zh: 收取哪些费用？, en: \"Which charges?\"}\n    help: {zh: 逐项选择。, en: One each.}\n"
         "    choices: {late_fee: {zh: 逾期费, en: late fee}}\n")
    edit("rules/r1.yaml", "      - {fact: items.days_late, gt: 0}\n",
         "      - {fact: items.days_late, gt: 0}\n    unless:\n      - {fact: waived}\n")
    (dst / "rules" / "r2.yaml").write_text(_CHARGES, encoding="utf-8")
    (dst / "rules" / "r3.yaml").write_text(_PROOF, encoding="utf-8")
    return dst


def test_a_burden_about_a_linked_item_is_reasoned_under_the_law_it_cites(tmp_path):
    # the late fee linked to a late item rests on whether the fee was posted, which the tree of
    # the holding does not reach (it reaches the item, and the borrower's waiver not proven):
    # not known, the library's burden is reasoned by the charge and its fact, stated under r3,
    # which the report cites; shown posted, no burden decides and r3 is not cited
    from assessor.engine import Consultation, load_pack, parse_case
    from assessor.engine.judgment_model import build_model
    from assessor.engine.opinion import REPORT_DIR, render_model
    pack = load_pack(_with_charges(tmp_path / "toy"))
    models = {}
    for posted in ("unknown", "true"):
        case = parse_case(f"format: toy.case/1\nmember: false\ntariff_posted: {posted}\ncharges: [late_fee]\n"
                          "items: [{id: b, days_late: 3}]\n", pack, "charges.yaml")
        with Consultation(pack, case) as c:
            models[posted] = build_model(pack, case, c)
    (issue,) = models["unknown"]["issues"]
    (p,) = issue["item_burden"]
    assert p["rule"]["id"] == "toy.rules.r2/posting_is_the_librarys_to_prove"
    assert p["rule"]["under"].en == "Fictional library rules, 3"
    assert [(a["value"], a["burden"], a["subject"].parts) for a in p["applications"]] == [
        ("not_established", "library", ("value", "charges", "late_fee"))]
    assert "toy.rules.r3" in models["unknown"]["basis_ids"]
    report = render_model(models["unknown"], lang="en", fmt="md", pack_dir=REPORT_DIR)
    assert "The library must prove the tariff was posted. Here: that the charge was posted is not proven." in report
    assert not models["true"]["issues"][0]["item_burden"] and "toy.rules.r3" not in models["true"]["basis_ids"]
