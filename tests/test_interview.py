"""The interview, driven as a user drives it: the real `assessor` program in a pseudo-terminal
(pexpect), answering from a case file, in Chinese and in English; plus the scripting
interface on every hypothetical, the saved file's format and questions.yaml's checks."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
from pathlib import Path

import pexpect
import pytest
import yaml  # only to show that YAML 1.1 readers read a saved case file as Assessor does
from typer.testing import CliRunner

from assessor.cli.interview import dump_case, read_state
from assessor.cli.main import app
from assessor.engine import InputError, decide, load_pack, read_case
from assessor.engine.planner import ITEMS, MULTI, Planner, get_at as _get
from assessor.engine.yamlsrc import load_yaml

from .conftest import sampled

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules" / "cn"
HYPOS = PACK / "hypos"
EXE = str(Path(sys.executable).with_name("assessor"))
HEADER = re.compile(r"\]  \(([^)\s]+)\)\r?\n")
DETAIL = re.compile(r"\{([\w.\[\]]+)\} \(")  # the free-text details (an item's too: acts[0].on)




def shared_case(name: str) -> Path:
    # the two decided example cases are bundled with the pack (rules/cn/hypos/)
    return HYPOS / f"{name}.yaml"


class Driver:
    """Answers the interview's questions from a case file, as a paralegal holding it would."""

    def __init__(self, pack, source: dict, path: Path, lang: str, overrides=None):
        self.pack = pack
        self.planner = Planner(pack)
        self.source = source
        self.slots = {s.where: s for s in self.planner.slots(source)}
        self.overrides = overrides or {}
        self.items: dict[str, int] = {}
        self.lang = lang
        self.path = path
        self.child = None

    def spawn(self, *extra):
        self.child = pexpect.spawn(EXE, ["interview", str(self.path), "--lang", self.lang, *extra],
                                   encoding="utf-8", timeout=60, env=dict(os.environ, COLUMNS="200"),
                                   dimensions=(50, 200))
        return self.child

    def next_question(self) -> str | None:
        """Wait for the next question; its case-file path, or None when the interview ended.
        The free-text details at the end are answered from the source on the way."""
        while True:
            i = self.child.expect([HEADER, DETAIL, pexpect.EOF])
            if i != 1:
                return self.child.match.group(1) if i == 0 else None
            path = tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", self.child.match.group(1)) if p)
            self.child.expect(": ")
            value = _get(self.source, path)
            self.child.sendline("" if value is None else str(value))

    def answer_for(self, where: str) -> str:
        node_slot = self.slots.get(where)
        value = self.overrides.get(where, _get(self.source, node_slot.path) if node_slot else None)
        if node_slot is None:
            # an item list the source answers only implicitly, or a field of a list item
            base = re.sub(r"\[\d+\]", "", where)
            value = _get(self.source, tuple(int(p) if p.isdigit() else p
                                             for p in re.split(r"[.\[\]]+", where) if p))
            if value is None:
                return "?"
            node_slot = next(s for s in self.planner.slots(self.source) if s.qid == base)
        if value is None:
            return "?"
        if node_slot.kind == ITEMS:
            have = self.items.get(where, 0)
            if len(value) > have:
                self.items[where] = have + 1
                return "y"
            return "n"
        node = node_slot.node["item"] if node_slot.kind == MULTI else node_slot.node
        if node_slot.kind == MULTI:
            return ",".join(str(node["values"].index(v) + 1) for v in value) or "0"
        if node["type"] == "enum":
            return str(node["values"].index(value) + 1)
        if node["type"] == "tri":
            return {True: "1", False: "2", "unknown": "3"}[value]
        return str(value)

    def run(self, stop_at=None, max_questions=200) -> str | None:
        """Answer until the interview ends (None) or reaches the question at `stop_at`."""
        for _ in range(max_questions):
            where = self.next_question()
            if where is None or where == stop_at:
                return where
            self.child.expect("> ")
            self.child.sendline(self.answer_for(where))
        raise AssertionError("the interview did not end")


def holdings_of(pack, path: Path) -> dict:
    return decide(pack, read_case(path, pack))["holdings"]


def says(pack, concept, value, lang):
    return pack.concepts[concept].says[value].get(lang)


@pytest.mark.slow  # a terminal program driven by pexpect
@pytest.mark.parametrize("name", ["cat-pendant", "li-v-liu"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_complete_interview_reaches_the_same_decision_as_decide(pack, tmp_path, name, lang):
    source = shared_case(name)
    expected = holdings_of(pack, source)
    out = tmp_path / "case.yaml"
    d = Driver(pack, load_yaml(source).data, out, lang)
    d.spawn()
    assert d.run() is None
    text = d.child.before
    d.child.close()
    assert d.child.exitstatus == 0
    # the summary at the end: the disposition in the user's language, and how to draft the opinion
    disposition = says(pack, "disposition", expected["disposition"], lang)
    assert disposition in text.replace("\r", "")
    assert f"assessor opinion {out}" in text
    # the saved file is a valid case file that decides the same way
    assert holdings_of(pack, out) == expected
    # and carries the details asked at the end for the opinion (the title, the parties' names)
    saved = load_yaml(out).data
    assert saved["title"] == d.source["title"]
    assert saved["parties"]["plaintiff"]["name"] == d.source["parties"]["plaintiff"]["name"]


@pytest.mark.slow  # a terminal program driven by pexpect
def test_bad_answer_why_and_back(pack, tmp_path):
    source = shared_case("cat-pendant")
    d = Driver(pack, load_yaml(source).data, tmp_path / "c.yaml", "en")
    child = d.spawn()
    first = d.next_question()
    assert first is not None
    child.expect("> ")
    child.sendline("42")
    child.expect("Please type the number of one of the choices.")
    child.sendline("why")
    child.expect("matters because")
    child.expect(r"Copyright Law, Art\. 3")  # the chain reaches the issue with its article
    child.expect("> ")
    child.sendline(d.answer_for(first))
    second = d.next_question()
    assert second != first
    child.expect("> ")
    child.sendline("back")
    child.expect("The last answer was undone.")
    assert d.next_question() == first  # asked again
    assert "kind" not in (load_yaml(tmp_path / "c.yaml").data.get("subject") or {})
    child.expect("> ")
    child.sendline("quit")
    child.expect("Resume with")
    child.expect(pexpect.EOF)


def _review(d: Driver, where: str, answer: str) -> None:
    child = d.child
    child.expect("> ")
    child.sendline("review")
    child.expect(r"Enter to go on\)?: |（直接回车继续）：")
    listing = child.before
    m = re.search(r"(\d+)\) " + re.escape(where) + ":", listing)
    assert m, listing
    child.sendline(m.group(1))
    child.expect("> ")
    child.sendline(answer)
    child.expect("Changed|已修改")


@pytest.mark.slow  # a terminal program driven by pexpect
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_changes_the_evidence_and_flips_the_seed_case(pack, tmp_path, lang):
    source = shared_case("cat-pendant")
    src = load_yaml(source).data
    out = tmp_path / "c.yaml"
    d = Driver(pack, src, out, lang, overrides={
        "evidence[0].contemporaneous": True, "evidence[0].matches_subject": "yes"})
    d.spawn()
    # answer everything up to the last question (is there another evidence item?)
    d.items["evidence"] = 0
    while True:
        where = d.next_question()
        assert where is not None
        if where == "evidence" and d.items.get("evidence", 0) == len(src["evidence"]):
            break
        d.child.expect("> ")
        d.child.sendline(d.answer_for(where))
    assert holdings_of(pack, out)["disposition"] == "dismissed"  # as the seed case, so far
    kinds = pack.case_format["root"]["fields"]["evidence"]["item"]["fields"]["kind"]["values"]
    _review(d, "evidence[0].kind", str(kinds.index("original_generation_record") + 1))
    _review(d, "creation.iterations", "6")
    _review(d, "creation.parameters_adjusted", "1")
    _review(d, "creation.selected_from_candidates", "1")
    assert d.run() is None  # the newly relevant questions on E1 are asked, then it ends
    d.child.close()
    flipped = holdings_of(pack, out)
    assert flipped["is_work"] == "established"
    assert flipped["disposition"] in ("upheld", "partly_upheld")
    assert holdings_of(pack, shared_case("cat-pendant"))["disposition"] == "dismissed"


@pytest.mark.slow  # a terminal program driven by pexpect
def test_kill_and_resume_loses_nothing(pack, tmp_path):
    source = shared_case("li-v-liu")
    src = load_yaml(source).data
    out = tmp_path / "c.yaml"
    d = Driver(pack, src, out, "en")
    child = d.spawn()
    asked = []
    for _ in range(6):
        where = d.next_question()
        asked.append(where)
        child.expect("> ")
        child.sendline(d.answer_for(where))
    pending = d.next_question()
    child.expect("> ")
    child.send("1")  # typed, not entered: this is the only answer a kill may lose
    child.kill(signal.SIGKILL)
    child.close()
    _text, _closed, skipped = read_state(out)
    saved = load_yaml(out).data
    for where in asked:
        slot = next(s for s in Planner(pack).slots(saved) if s.where == where)
        assert slot.answered or where in skipped, where  # "don't know" is kept too
    # resume: the question pending when it was killed comes first, and the interview completes
    d.child = None
    d.spawn()
    assert d.next_question() == pending
    d.child.expect("> ")
    d.child.sendline(d.answer_for(pending))
    assert d.run() is None
    d.child.close()
    assert holdings_of(pack, out) == holdings_of(pack, source)


@pytest.mark.slow  # a terminal program driven by pexpect
def test_ctrl_c_saves_and_says_how_to_resume(pack, tmp_path):
    source = shared_case("cat-pendant")
    out = tmp_path / "c.yaml"
    d = Driver(pack, load_yaml(source).data, out, "zh")
    child = d.spawn()
    where = d.next_question()
    child.expect("> ")
    child.sendline(d.answer_for(where))
    d.next_question()
    child.expect("> ")
    child.sendintr()
    child.expect("继续问答请运行")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert load_yaml(out).data["subject"]["kind"] == "image"


def _hypos():
    return [h["file"] for h in load_yaml(HYPOS / "index.yaml").data]


# The fast run interviews a sample (conftest.FAST_SAMPLE); the slow run every hypothetical, to
# determination and with --all.
@pytest.mark.parametrize("all_", [False, pytest.param(True, marks=pytest.mark.slow)],
                         ids=["to-determination", "all"])
@pytest.mark.parametrize("name", sampled(_hypos()))
def test_scripting_interface_gives_decides_holdings(pack, tmp_path, name, all_):
    src = HYPOS / name
    transcript = tmp_path / "t.jsonl"
    out = tmp_path / "out.yaml"
    args = ["interview", "--answers-from", str(src), "--transcript", str(transcript), "--out", str(out)]
    result = CliRunner().invoke(app, args + (["--all"] if all_ else []))
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in transcript.read_text().splitlines()]
    *questions, last = lines
    expected = holdings_of(pack, src)
    assert last == {"asked": len(questions), "holdings": expected}
    planner = Planner(pack)
    ids = set(planner.questions) | {d for d, q in planner.details.items() if q["at"] == "item"}
    for q in questions:
        assert set(q) == {"question", "field", "answer"}
        assert q["question"] in ids
    lists = {s.qid for s in planner.slots({}) if s.kind == ITEMS}
    fields = [q["field"] for q in questions if q["question"] not in lists]
    assert len(fields) == len(set(fields))  # no question is asked twice
    assert holdings_of(pack, out) == expected
    # the judgment is determined, not only the holdings: every order and amount it states
    assert decide(pack, read_case(out, pack))["remedies"] == decide(pack, read_case(src, pack))["remedies"]


@pytest.mark.slow  # a terminal program driven by pexpect
def test_the_scripting_interface_runs_as_a_program(pack, tmp_path):
    src = shared_case("cat-pendant")
    t = tmp_path / "t.jsonl"
    child = pexpect.spawn(EXE, ["interview", "--answers-from", str(src), "--transcript", str(t)],
                          encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    last = json.loads(t.read_text().splitlines()[-1])
    assert last["holdings"] == holdings_of(pack, src)


def test_stops_once_determined_and_never_asks_the_later_issues(pack, tmp_path):
    t = tmp_path / "t.jsonl"
    CliRunner().invoke(app, ["interview", "--answers-from", str(shared_case("cat-pendant")), "--transcript", str(t)])
    fields = [json.loads(x).get("field") for x in t.read_text().splitlines()[:-1]]
    # the seed case fails on the first issue (no work): nothing about acts, remedies or parties;
    # only the sums claimed, on which the court fee the judgment states is computed
    assert not [f for f in fields if f.startswith(("acts", "claims", "parties", "defenses"))
                and f not in ("claims.damages_claimed", "claims.costs_claimed")]
    assert fields[-3:] == ["evidence", "claims.damages_claimed", "claims.costs_claimed"]


def test_the_punitive_sum_the_fee_is_on_is_asked_only_once_that_claim_is_made(pack):
    # the court fee is on every sum claimed, the punitive sum only where claims.remedies makes
    # that claim (pack.yaml's `when`): the seed case above, which never gets to its claims, is
    # not asked it; a dismissed punitive claim's sum is still asked, for the fee alone
    planner = Planner(pack)
    data = load_yaml(HYPOS / "punitive-not-serious.yaml").data
    del data["claims"]["punitive_claimed"]
    assert "claims.punitive_claimed" in {s.where for s in planner.plan(data).candidates}
    data["claims"]["remedies"].remove("punitive_damages")
    assert "claims.punitive_claimed" not in {s.where for s in planner.plan(data).candidates}


def test_explain_skipped_says_which_answer_made_a_question_moot(pack, tmp_path):
    out = tmp_path / "c.yaml"
    CliRunner().invoke(app, ["interview", "--answers-from", str(shared_case("cat-pendant")),
                             "--transcript", str(tmp_path / "t"), "--out", str(out)])
    result = CliRunner().invoke(app, ["explain", str(out), "--skipped", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "acts" in result.output
    assert "moot because" in result.output
    # e.g. E1's timing was never asked: its kind (an after-the-fact reproduction) decided it
    line = next(x for x in result.output.splitlines() if "evidence[0].contemporaneous" in x)
    assert "after_the_fact_reproduction" in line or "evidence.kind" in line


def test_explain_why_and_how(pack, tmp_path):
    src = shared_case("cat-pendant")
    result = CliRunner().invoke(app, ["explain", str(src), "--how", "is_work", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "whether the subject is a work" in result.output


def test_saved_file_is_valid_yaml_for_every_reader(pack, tmp_path):
    data = {"format": "assessor.case/1", "title": "no",
            "subject": {"kind": "image", "published": {"on": "2023-05", "where": "on", "attributed_to": "none"}},
            "evidence": [{"id": "E1", "kind": "party_statement", "proves": ["prompt"], "matches_subject": "yes",
                          "description": "a: b # c"}],
            "acts": [{"id": "A1", "kind": "online_posting", "on": "2024-03-01", "commercial": False}]}
    text = dump_case(data, pack.case_format, closed={"evidence"}, skipped={"creation.prompt"})
    assert yaml.safe_load(text) == data  # YAML 1.1 readers too: yes/no/on stay strings
    assert '"on": 2023-05' in text or "\"on\": \"2023-05\"" in text
    assert text.index("format:") < text.index("subject:") < text.index("evidence:") < text.index("acts:")
    p = tmp_path / "state.yaml"
    p.write_text(text)
    _t, closed, skipped = read_state(p)
    assert closed == {"evidence"} and skipped == {"creation.prompt"}
    read_case(p, pack)


def _copy_pack(tmp_path: Path) -> Path:
    dst = tmp_path / "rules" / "cn"
    shutil.copytree(PACK, dst)
    return dst


def test_questions_file_must_cover_every_field_in_both_languages(tmp_path):
    root = _copy_pack(tmp_path)
    q = root / "questions.yaml"
    text = q.read_text()
    q.write_text(text.replace("  creation.post_editing:\n", "  creation.post_editing_gone:\n", 1))
    with pytest.raises(InputError) as e:
        load_pack(root)
    assert "questions.yaml" in str(e.value) and "creation.post_editing" in str(e.value)
    lines = text.splitlines()
    i = next(n for n, x in enumerate(lines) if x.startswith("  subject.kind:"))
    ask = lines[i + 1]
    assert ask.strip().startswith("ask:")
    lines[i + 1] = re.sub(r", en: .*\}$", "}", ask)
    q.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as e:
        load_pack(root)
    assert re.search(r"questions\.yaml:\d+:\d+: .*English \(en\)", str(e.value))


@pytest.mark.slow  # a terminal program driven by pexpect
@pytest.mark.parametrize("delay", [0.0, 0.2, 0.6, 1.5])
def test_ctrl_c_at_any_moment_of_start_up_ends_quietly(tmp_path, delay):
    import time
    child = pexpect.spawn(EXE, ["interview", str(tmp_path / "c.yaml"), "--lang", "en"],
                          encoding="utf-8", timeout=60)
    time.sleep(delay)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert "Traceback" not in child.before and "KeyboardInterrupt" not in child.before
    # 130 once Python runs; killed by the signal itself only before the interpreter is up
    assert child.exitstatus == 130 or child.signalstatus == signal.SIGINT


@pytest.mark.slow  # a terminal program driven by pexpect
def test_ctrl_d_saves_and_back_works_after_the_resume(pack, tmp_path):
    src = load_yaml(shared_case("li-v-liu")).data
    out = tmp_path / "c.yaml"
    d = Driver(pack, src, out, "en")
    child = d.spawn()
    asked = []
    for _ in range(3):
        where = d.next_question()
        asked.append(where)
        child.expect("> ")
        child.sendline(d.answer_for(where))
    d.next_question()
    child.expect("> ")
    child.sendeof()
    child.expect(f"Resume with: assessor interview {out} --lang en")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in child.before
    assert not out.with_name("c.yaml.lock").exists()
    # resumed: back undoes the last answer given before Ctrl-D, and asks it again
    d.spawn()
    d.next_question()
    d.child.expect("> ")
    d.child.sendline("back")
    d.child.expect("The last answer was undone.")
    assert d.next_question() == asked[-1]
    d.child.expect("> ")
    d.child.sendline("quit")
    d.child.expect(pexpect.EOF)


@pytest.mark.slow  # a terminal program driven by pexpect
def test_review_removes_a_list_item(pack, tmp_path):
    src = load_yaml(shared_case("li-v-liu")).data
    out = tmp_path / "c.yaml"
    d = Driver(pack, src, out, "en")
    child = d.spawn()
    while True:  # answer until the evidence list holds an item
        where = d.next_question()
        child.expect("> ")
        child.sendline(d.answer_for(where))
        if (load_yaml(out).data or {}).get("evidence"):
            break
    d.next_question()
    child.expect("> ")
    child.sendline("review")
    child.expect(r"Enter to go on\)?: ")
    m = re.search(r"(\d+)\) evidence: ", child.before)
    assert m, child.before
    child.sendline(m.group(1))
    child.expect("Type \\+ to add an item")
    child.sendline("-1")
    child.expect("Changed")
    assert not load_yaml(out).data.get("evidence")
    child.expect("> ")
    child.sendline("quit")
    child.expect(pexpect.EOF)


@pytest.mark.slow  # a terminal program driven by pexpect
def test_arrow_keys_edit_the_answer_line(tmp_path):
    out = tmp_path / "c.yaml"
    child = pexpect.spawn(EXE, ["interview", str(out), "--lang", "en"], encoding="utf-8", timeout=60)
    child.expect(DETAIL)  # the decision date comes first
    child.expect(": ")
    child.send("2024-01-1")
    child.send("\x1b[D")  # the left arrow: without line editing this would be typed into the date
    child.send("0\r")
    child.expect(HEADER)
    child.expect("> ")
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.close()
    assert load_yaml(out).data["decided_on"] == "2024-01-01"
