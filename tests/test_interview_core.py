"""The interview core (engine/interview.py) without a terminal: plain data in and out, as the
web application drives it; and the terminal's faults (end of stdin, the lock file)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessor.cli.interview import acquire_lock, Locked
from assessor.cli.main import app
from assessor.engine import decide
from assessor.engine.answers import AnswerError
from assessor.engine.casefile import build_case
from assessor.engine import Interview, simulated_answer
from assessor.engine.yamlsrc import Located, load_yaml

ROOT = Path(__file__).resolve().parent.parent
HYPOS = ROOT / "rules" / "cn" / "hypos"




def source(name: str) -> dict:
    return load_yaml(HYPOS / f"{name}.yaml").data


def answer_until(iv: Interview, src: dict, field: str | None = None, lang: str = "en") -> None:
    """Answer from `src` until the question at `field` (or the end)."""
    for _ in range(300):
        q = iv.question(lang)
        if q is None or q["field"] == field:
            return
        value = simulated_answer(iv, src)
        iv.skip(lang) if value is None else iv.answer(value, lang)
    raise AssertionError("the interview did not end")


def decided(pack, data: dict) -> dict:
    return decide(pack, build_case(Located(data, {}, "<t>"), pack))


def test_first_question_is_the_decision_date_in_both_languages_and_json(pack):
    iv = Interview(pack)
    q = iv.question()
    json.dumps(q)  # plain data
    assert q["field"] == "decided_on" and q["stage"] == "start" and q["optional"]
    assert q["text"]["zh"] and q["text"]["en"] and q["text"]["zh"] != q["text"]["en"]
    assert iv.skip("en")["stage"] == "decision"  # Enter/don't know: today's date
    q = iv.question("zh")
    assert isinstance(q["text"], str) and q["choices"] and q["issue"]["count"] >= 5
    assert q["progress"] == {"answered": len(iv.answered_slots()), "left": q["progress"]["left"]}
    assert q["progress"]["left"] >= 1


def test_whole_case_reaches_decides_judgment_with_every_order(pack):
    src = source("banxin-installation-and-repost")
    iv = Interview(pack)
    answer_until(iv, src)
    assert iv.is_done and iv.question() is None
    got, want = decided(pack, iv.case_data()), decided(pack, src)
    assert got["holdings"] == want["holdings"]
    assert got["remedies"] == want["remedies"]  # cease, apology, damages and the court fee
    assert want["remedies"]["cease"] is True
    json.dumps(iv.state()), json.dumps(iv.review()), json.dumps(iv.review("zh"))


def test_a_bad_answer_changes_nothing_and_says_why_in_the_users_language(pack):
    iv = Interview(pack, {"format": "assessor.case/1", "decided_on": "2024-01-01"})
    q = iv.question("zh")
    before = (iv.case_data(), iv.state())
    with pytest.raises(AnswerError) as e:
        iv.answer("42", "zh")
    assert e.value.text("en") == "Please type the number of one of the choices."
    assert e.value.text("zh") != e.value.text("en")
    assert (iv.case_data(), iv.state()) == before
    assert iv.question("zh")["field"] == q["field"]


def test_numbers_multi_select_and_dates(pack):
    iv = Interview(pack, {"format": "assessor.case/1", "decided_on": "2024-01-01", "claims": {}})
    iv.change("claims.damages_claimed", "50,000")
    assert iv.case_data()["claims"]["damages_claimed"] == 50000
    for bad in ("-3", "lots", "nan"):
        with pytest.raises(AnswerError):
            iv.change("claims.damages_claimed", bad)
    iv.change("claims.rights", "1, 2")
    assert iv.case_data()["claims"]["rights"] == ["publication", "authorship"]
    iv.change("claims.rights", ["reproduction"])
    assert iv.case_data()["claims"]["rights"] == ["reproduction"]
    with pytest.raises(AnswerError) as e:
        iv.change("decided_on", "yesterday")
    assert e.value.msgid == "That answer is not allowed"
    assert iv.case_data()["decided_on"] == "2024-01-01"


def test_skip_then_back_restores_the_answer_and_back_works_after_a_resume(pack):
    src = source("li-v-liu")
    iv = Interview(pack)
    answer_until(iv, src, "creation.prompt")
    q = iv.question()
    assert q is not None
    iv.skip()
    assert "creation.prompt" in iv.state()["skipped"]
    assert "prompt" not in iv.case_data().get("creation", {})
    resumed = Interview.from_text(pack, iv.to_yaml(), "c.yaml")
    assert resumed.question()["field"] == iv.question()["field"]
    assert resumed.back()  # undoes the skip, after the resume
    assert resumed.question()["field"] == "creation.prompt"
    assert "creation.prompt" not in resumed.state()["skipped"]
    resumed.answer("detailed")
    assert resumed.back() and resumed.back()  # and the answer before it
    assert resumed.question()["field"] != "creation.prompt"


def test_review_changes_an_answer_and_removes_a_list_item_that_back_puts_back(pack):
    src = source("li-v-liu")
    iv = Interview(pack)
    answer_until(iv, src)
    entries = iv.review("en")
    ev = next(e for e in entries if e["field"] == "evidence")
    assert len(ev["items"]) >= 2
    first_id = ev["items"][0]["id"]
    data = iv.case_data()
    n = len(data["evidence"])
    iv.remove_item("evidence[0]")
    assert len(iv.case_data()["evidence"]) == n - 1
    assert first_id not in [x["id"] for x in iv.case_data()["evidence"]]
    assert iv.back()
    assert iv.case_data() == data
    # change an answer in review: everything is recomputed
    iv.change("creation.ai_generated", False)
    assert iv.case_data()["creation"]["ai_generated"] is False
    assert iv.back() and iv.case_data() == data
    with pytest.raises(AnswerError):
        iv.remove_item("evidence[99]")


def test_removing_an_item_renumbers_what_was_skipped_after_it(pack):
    iv = Interview(pack, {"format": "assessor.case/1", "decided_on": "2024-01-01",
                          "evidence": [{"id": "E1", "kind": "party_statement"}, {"id": "E2"}]})
    iv.change("evidence[1].kind", None, skip=True)
    assert "evidence[1].kind" in iv.state()["skipped"]
    iv.remove_item("evidence[0]")
    assert "evidence[0].kind" in iv.state()["skipped"]
    assert iv.back()
    assert "evidence[1].kind" in iv.state()["skipped"]
    assert iv.case_data()["evidence"][0]["id"] == "E1"


def test_why_gives_the_rule_chain_with_its_articles(pack):
    iv = Interview(pack, {"format": "assessor.case/1", "decided_on": "2024-01-01"})
    why = iv.why()
    json.dumps(why)
    assert not why["moot"] and why["steps"]
    assert any("Art." in s["citations"]["en"] for s in why["steps"])
    assert "matters because" in why["text"]["en"]


def test_why_on_an_answer_given_that_no_other_answer_could_change(pack):
    """A report the system generated by itself, with no prompt, no choice and no editing: who
    directed the generation is answered, and no other answer to it changes a holding (each
    decided); whether AI generated it does change them (the subject would be a work)."""
    iv = Interview(pack, source("autonomous-report-no-human"))
    why = iv.why(field="creation.directed_by")
    json.dumps(why)
    assert why["moot"] and why["flips"] == [] and why["text"] == {
        "zh": "这一回答 (生成过程的主导者: 无人主导（系统自动生成）): 这个问题改为其他任何回答都不会改变任何结论。",
        "en": "This answer (who directed the generation: no one (the system generated it by itself)): "
              "no other answer to this question would change any holding."}
    why = iv.why("en", field="creation.ai_generated")
    assert not why["moot"] and [f["value"] for f in why["flips"]] == [False, "unknown"]
    assert {"holding": "disposition", "from": "dismissed", "to": "partly_upheld"} in why["flips"][0]["holdings"]
    assert "if the answer were no → whether the subject is a work: the subject is not a work under the Copyright Law → " \
           "the subject is a work under the Copyright Law" in why["text"]


def test_end_of_stdin_saves_and_says_how_to_resume_keeping_the_language(tmp_path):
    out = tmp_path / "c.yaml"
    result = CliRunner().invoke(app, ["interview", str(out), "--lang", "en"], input="2024-01-01\n1\n")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert f"assessor interview {out} --lang en" in result.output
    saved = load_yaml(out).data
    assert saved["decided_on"] == "2024-01-01"
    assert not (tmp_path / "c.yaml.lock").exists()
    # resumed with no input at all: it ends at once, cleanly
    again = CliRunner().invoke(app, ["interview", str(out), "--lang", "zh"], input="")
    assert again.exit_code == 0 and "--lang zh" in again.output


def test_a_second_interview_on_the_same_file_is_refused(tmp_path):
    target = tmp_path / "c.yaml"
    lock = acquire_lock(target)
    try:
        result = CliRunner().invoke(app, ["interview", str(target), "--lang", "en"], input="")
        assert result.exit_code == 1
        assert "another interview" in result.output and "Traceback" not in result.output
    finally:
        lock.unlink()
    # a lock left by a process that no longer runs is taken over
    lock.write_text("999999999")
    assert acquire_lock(target) == lock and lock.read_text() == str(os.getpid())
    lock.unlink()
    with pytest.raises(Locked):
        acquire_lock(tmp_path / "missing" / "c.yaml")


def _rss_mib() -> float:
    """The memory the process holds: after a full collection, and with what the C allocator
    keeps of freed memory given back (else the figure swings by some 25 MiB between two
    interviews with nothing kept, and a leak of a few megabytes hides in it)."""
    import ctypes
    import gc
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith("VmRSS:")) / 1024


@pytest.mark.slow  # 200 whole interviews
def test_200_scripted_interviews_keep_memory_flat(pack):
    from assessor.cli.interview import run_script
    index = load_yaml(HYPOS / "index.yaml").data
    cases = [source(Path(h["file"]).stem) for h in index]
    for case in cases:  # warm up: every case once, so every compiled program and cache is made
        run_script(pack, case, None, False, None)
    start = _rss_mib()
    for i in range(20, 200):
        r = run_script(pack, cases[i % len(cases)], None, False, None)
        assert r["asked"] > 0
    grown = _rss_mib() - start
    assert grown < 32, f"RSS grew by {grown:.0f} MiB over 180 interviews"


def test_a_pack_without_questions_gets_one_error_line(tmp_path):
    import shutil
    toy = tmp_path / "toy"   # the fictional pack without its questions
    shutil.copytree(ROOT / "tests" / "packs" / "toy", toy, ignore=shutil.ignore_patterns("questions.yaml"))
    out = tmp_path / "c.yaml"
    result = CliRunner().invoke(app, ["interview", str(out), "--rules", str(toy)], input="")
    assert result.exit_code == 1
    assert "questions.yaml" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "c.yaml.lock").exists()


def test_the_apology_claimed_is_asked_where_and_for_how_long_and_the_order_repeats_it(pack):
    """claims.apology_medium and apology_days: asked at the end (zh and en), only when an
    apology is claimed; the draft's apology order gives them."""
    from assessor.engine.opinion import render_opinion
    src = source("banxin-installation-and-repost")
    src["claims"] = {**src["claims"], "apology_medium": "被告微信公众号", "apology_days": 7}
    assert "apology" in src["claims"]["remedies"]
    iv = Interview(pack)
    answer_until(iv, src, "claims.apology_medium")
    q = iv.question("zh")
    assert q["field"] == "claims.apology_medium" and q["stage"] == "end" and q["optional"]
    assert q["text"] == "原告请求被告在何处刊登致歉声明？"
    assert iv.question("en")["text"] == "Where does the plaintiff ask the defendant to publish the apology?"
    iv.answer("被告微信公众号", "zh")
    assert iv.question("en")["field"] == "claims.apology_days"
    iv.answer("7", "en")
    answer_until(iv, src)
    data = iv.case_data()
    assert data["claims"]["apology_medium"] == "被告微信公众号" and data["claims"]["apology_days"] == 7
    zh = render_opinion(pack, build_case(Located(data, {}, "<t>"), pack), lang="zh")
    assert "在被告微信公众号发布致歉声明" in zh and "声明保留连续7日" in zh
    # no apology claimed: neither is asked
    src2 = source("banxin-installation-and-repost")
    src2["claims"] = {**src2["claims"], "remedies": [r for r in src2["claims"]["remedies"] if r != "apology"]}
    iv2 = Interview(pack)
    answer_until(iv2, src2, "claims.apology_medium")
    assert iv2.is_done


def test_each_acts_dates_are_asked_after_its_questions_and_pick_the_law(pack):
    """acts.on / acts.until (`at: item` details): asked for each act once the planner is done
    with it; the answers pick the substantive law, so the interview reaches decide's holdings
    and orders for a continuing act that ended before 2021-06-01 (the 2010 Law)."""
    src = source("continuing-act-ended-before")
    iv = Interview(pack)
    answer_until(iv, src, "acts[0].on")
    q = iv.question("zh")
    assert q["stage"] == "item" and q["optional"] and q["id"] == "acts.on"
    assert q["text"] == "该行为发生（或开始）的日期（YYYY-MM-DD）？"
    assert iv.question("en")["text"].startswith("Date of this act")
    assert iv.why("en")["text"].startswith("Substantive law is the law in force when the act took place")
    answer_until(iv, src)
    got, want = decided(pack, iv.case_data()), decided(pack, src)
    assert got["law_dates"] == want["law_dates"] and got["holdings"] == want["holdings"]
    assert got["remedies"] == want["remedies"]
    assert [r["field"] for r in iv.review("en") if r["id"] in ("acts.on", "acts.until")] == ["acts[0].on", "acts[0].until"]
    # the date is changed in review like any answer, and back undoes it
    iv.change("acts[0].on", "2022-01-10", "en")
    assert decided(pack, iv.case_data())["law_dates"] != want["law_dates"]
    assert iv.back() and decided(pack, iv.case_data())["law_dates"] == want["law_dates"]


def test_an_item_detail_must_name_a_field_of_a_lists_items(tmp_path):
    import shutil
    pack_dir = tmp_path / "cn"
    shutil.copytree(ROOT / "rules" / "cn", pack_dir)
    q = pack_dir / "questions.yaml"
    q.write_text(q.read_text(encoding="utf-8").replace("  acts.until:\n    at: item", "  acts.untill:\n    at: item"),
                 encoding="utf-8")
    result = CliRunner().invoke(app, ["interview", str(tmp_path / "c.yaml"), "--rules", str(pack_dir)], input="")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "questions.yaml:" in result.output and "acts.untill" in result.output and "acts.on" in result.output


def test_planners_of_packs_loaded_again_are_closed():
    """A planner holds its pack, so neither is ever collected: a process loading the pack again
    and again keeps only the last few planners, and the others' engine sessions are deleted."""
    from assessor.engine import interview as module
    from assessor.engine import load_pack
    planners = []
    for _ in range(module._PLANNERS + 2):
        pack = load_pack(ROOT / "rules" / "cn")
        iv = Interview(pack, {"format": pack.case_format["format"]})
        iv.plan()  # one consultation, kept open for the next answer to grow
        planners.append(iv.planner)
    assert len(module._planners) <= module._PLANNERS
    assert planners[-1]._growing._open and all(c.is_open for c in planners[-1]._growing._open)
    for dropped in planners[:2]:
        assert not dropped._growing._open and dropped._growing._spare is None


def test_a_date_out_of_order_with_an_answer_given_is_refused_naming_it_and_nothing_is_lost(pack):
    """The case format's not_before: an act after the decision, an act ending before it began,
    a decision moved in review to before an act — each refused like any bad answer, in zh and
    en, naming the other date's field and the date; the answers stay as they were."""
    data = source("continuing-act-ended-before")
    data["acts"][0].pop("on")
    iv = Interview(pack, data)
    assert iv.question("en")["field"] == "acts[0].on"

    def refused(do, zh: str, en: str) -> None:
        before = (iv.case_data(), iv.state())
        with pytest.raises(AnswerError) as e:
            do()
        assert e.value.messages() == {"zh": zh, "en": en}
        assert (iv.case_data(), iv.state()) == before

    refused(lambda: iv.answer("2024-03-16", "zh"), "该日期不能晚于裁判日期：2024-03-15。",
            "This date cannot be after the date of the decision: 2024-03-15.")
    assert iv.question("en")["field"] == "acts[0].on"
    iv.answer("2021-03", "en")
    assert iv.question("en")["field"] == "acts[0].until"
    refused(lambda: iv.answer("2021-02-28", "en"), "该日期不能早于被诉行为的日期（A1）：2021-03。",
            "This date cannot be before the day of the act (A1): 2021-03.")
    iv.answer("2021-03-31", "en")
    # review: the decision moved to before the act's last day, the act's first day to after it;
    # a month that holds the act's last day is no fault
    refused(lambda: iv.change("decided_on", "2021-03-30"), "该日期不能早于被诉行为的最后一日（A1）：2021-03-31。",
            "This date cannot be before the last day of the act (A1): 2021-03-31.")
    refused(lambda: iv.change("acts[0].on", "2021-04-01"), "该日期不能晚于被诉行为的最后一日（A1）：2021-03-31。",
            "This date cannot be after the last day of the act (A1): 2021-03-31.")
    iv.change("decided_on", "2021-04", "en")
    assert iv.case_data()["decided_on"] == "2021-04"
