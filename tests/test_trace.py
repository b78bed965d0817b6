"""`assessor trace`: a creator's session recorded, verified, exported into the seed case.

A verified trace flips the seed case (the image becomes a work, the reasons citing the trace
item); the same trace with one entry edited is caught by `verify` and does not flip it.
"""
from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import decide, load_yaml, read_case
from assessor.evidence import trace

from . import evidence_samples as samples
from .conftest import HYPOS, bundled_pack
from .local_tsa import LocalTSA

runner = CliRunner()
PACK = bundled_pack()

ROUNDS = [  # prompt, parameters, outputs (picture seeds), chosen, note
    ("crystal cat pendant", ["seed=11", "steps=20"], [0, 1, 2, 3], None, "first ideas: too plain"),
    ("crystal cat pendant, pink diamonds, silver chain, macro photo", ["seed=11", "steps=30"], [4, 5, 6, 7], None,
     "diamonds too large"),
    ("crystal cat pendant, small pink diamonds, silver chain, macro photo, warm rim light",
     ['{"seed": 2024, "steps": 40, "cfg": 8}'], [8, 9, 10, 11], 10, "chose the third: best light on the eyes"),
]


def cli(*args):
    result = runner.invoke(app, [*map(str, args)])
    return result


@pytest.fixture
def session(tmp_path):
    """A trace of three rounds with four candidates each, the last with a choice."""
    folder, out = tmp_path / "trace", tmp_path / "outputs"
    out.mkdir()
    assert cli("trace", "init", folder, "--sign", "--lang", "en").exit_code == 0
    for n, (prompt, params, seeds, chosen, note) in enumerate(ROUNDS, 1):
        files = []
        for s in seeds:
            files.append(out / f"r{n}-{s}.png")
            samples.picture(s).save(files[-1])
        args = ["trace", "add", folder, "--prompt", prompt, "--note", note]
        args += [a for p in params for a in ("--params", p)] + [a for f in files for a in ("--output", f)]
        if chosen is not None:
            args += ["--selected", out / f"r{n}-{chosen}.png"]
        result = cli(*args)
        assert result.exit_code == 0, result.output
    return folder, out / "r3-10.png"


@pytest.fixture
def seed(tmp_path):
    case = tmp_path / "cat-pendant.yaml"
    shutil.copy(HYPOS / "cat-pendant.yaml", case)
    return case


def _edit_entry(folder, seq, **changes):
    lines = (folder / trace.LOG).read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[seq])
    entry.update(changes)
    lines[seq] = json.dumps(entry, ensure_ascii=False)
    (folder / trace.LOG).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_verify_a_recorded_session(session):
    folder, _ = session
    result = cli("trace", "verify", folder, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "verified: 4 entries, hash chain intact, signatures verified" in result.output
    entries = trace.read_entries(folder)
    assert [e["kind"] for e in entries] == ["init", "generation", "generation", "generation"]
    assert all(e["prev"] == p["hash"] for p, e in zip(entries, entries[1:]))
    assert len(entries[3]["outputs"]) == 4 and entries[3]["selected"] == [entries[3]["outputs"][2]["sha256"]]
    assert sorted(p.name for p in (folder / trace.STAMPS).iterdir()) == [f"{i:04d}.tsq" for i in range(4)]


def test_verified_trace_flips_the_seed_case(session, seed):
    folder, chosen = session
    assert decide(PACK, read_case(seed, PACK))["holdings"]["is_work"] == "not_established"
    result = cli("trace", "export", folder, "--case", seed, "--subject", chosen, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "filled in from the trace: creation.iterations, creation.parameters_adjusted, " \
           "creation.selected_from_candidates" in result.output
    data = load_yaml(seed).data
    item = data["evidence"][-1]
    assert item["id"] == "E4" and item["kind"] == "original_generation_record"
    assert item["proves"] == ["prompt", "iterations", "parameters_adjusted", "selected_from_candidates"]
    assert item["contemporaneous"] is True and item["timing"] == "verified" and item["matches_subject"] == "yes"
    assert "3 generations" in item["description"] and "12 outputs" in item["description"]
    assert "hash chain verified, signatures verified" in item["description"]
    assert data["creation"]["iterations"] == 2 and data["creation"]["selected_from_candidates"] is True
    assert data["creation"]["prompt"] == "detailed"   # what the case file said is kept

    record = decide(PACK, read_case(seed, PACK))
    assert record["holdings"]["is_work"] == "established"
    assert record["holdings"]["disposition"] == "upheld"
    cited = [r for r in record["reasons"] if "(evidence:E4)" in r["conclusion"] or "E4/" in r["conclusion"]]
    rules = {r["rule"] for r in cited}
    assert "cn.evidence_provisions.art093/contemporaneous_record" in rules
    assert "cn.evidence_provisions.art093_01_04/integrity_verified" in rules
    prompt = next(f for f in record["findings"] if f["fact"] == "creation.prompt")
    assert prompt["status"] == "proven" and "E4" in prompt["evidence"]
    text = cli("decide", seed, "--lang", "en").output
    assert "E4 · the prompts: the item proves the fact it is offered for" in text
    assert "E4: the record's time and integrity are verified — SPC Evidence Provisions, Art. 93(1)(4)" in text


def test_one_edited_entry_breaks_the_trace_and_does_not_flip(session, seed):
    folder, chosen = session
    _edit_entry(folder, 2, prompt="crystal cat pendant, pink diamonds, silver chain, macro photo, 8k")
    result = cli("trace", "verify", folder, "--lang", "en")
    assert result.exit_code == 1
    assert "broken at entry 2: its content does not match its hash (the entry was edited)" in result.output
    result = cli("trace", "export", folder, "--case", seed, "--subject", chosen, "--lang", "en")
    assert result.exit_code == 0, result.output
    item = load_yaml(seed).data["evidence"][-1]
    assert item["timing"] == "broken" and item["contemporaneous"] is False
    assert "verification failed at entry 2" in item["description"]
    record = decide(PACK, read_case(seed, PACK))
    assert record["holdings"]["is_work"] == "not_established" and record["holdings"]["disposition"] == "dismissed"
    assert any(n["item"] == "E4" and n["value"] == "refuted" for n in record["item_notes"])


def test_edit_with_a_recomputed_hash_is_caught_by_the_next_entry_or_the_signature(session):
    folder, _ = session
    entries = trace.read_entries(folder)
    forged = dict(entries[1], prompt="a different prompt")
    forged["hash"] = trace.entry_hash(forged)
    _edit_entry(folder, 1, prompt=forged["prompt"], hash=forged["hash"])
    v = trace.verify(folder)
    assert v.broken_at == 1 and v.reason == "its signature does not verify"
    # unsigned: the forger can recompute the hash, but the next entry no longer follows
    plain = folder.parent / "plain"
    trace.init(plain)
    for p in ("one", "two", "three"):
        trace.add(plain, p)
    e1 = trace.read_entries(plain)[1]
    e1["prompt"] = "ONE"
    e1["hash"] = trace.entry_hash(e1)
    _edit_entry(plain, 1, prompt="ONE", hash=e1["hash"])
    v = trace.verify(plain)
    assert v.broken_at == 2 and "does not follow" in v.reason


def test_removed_or_inserted_entry_is_named(session):
    folder, _ = session
    lines = (folder / trace.LOG).read_text(encoding="utf-8").splitlines()
    (folder / trace.LOG).write_text("\n".join(lines[:2] + lines[3:]) + "\n", encoding="utf-8")
    v = trace.verify(folder)
    assert v.broken_at == 2 and "inserted or removed" in v.reason


def test_changed_output_file_is_caught(session):
    folder, chosen = session
    samples.picture(99).save(chosen)
    v = trace.verify(folder)
    assert v.broken_at == 3 and v.reason_args == {"file": str(chosen.resolve())}


def test_rfc3161_answers_are_verified(session):
    folder, _ = session
    tsa = LocalTSA()
    for n in (1, 3):
        (folder / trace.STAMPS / f"{n:04d}.tsr").write_bytes(tsa.respond((folder / trace.STAMPS / f"{n:04d}.tsq").read_bytes()))
    result = cli("trace", "verify", folder, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "entry 1 time-stamped at" in result.output and "by Common Name: Assessor test TSA" in result.output
    # an answer to another request (another digest) is not accepted
    other = trace.timestamp.request(b"\x01" * 32)
    (folder / trace.STAMPS / "0002.tsr").write_bytes(tsa.respond(other))
    result = cli("trace", "verify", folder, "--lang", "en")
    assert result.exit_code == 1
    assert "broken at entry 2: time stamp 0002.tsr does not verify:" in result.output


def test_watch_records_new_images_with_their_metadata(tmp_path):
    folder, out = tmp_path / "trace", tmp_path / "outputs"
    out.mkdir()
    assert cli("trace", "init", folder).exit_code == 0
    samples.a1111_png(out / "00001.png", seed=1)
    samples.comfyui_png(out / "00002.png", seed=2)
    result = cli("trace", "watch", folder, "--folder", out, "--once", "--lang", "en")
    assert result.exit_code == 0, result.output
    entries = trace.read_entries(folder)
    assert entries[1]["prompt"].startswith("a crystal cat pendant, pink diamonds")
    assert entries[1]["params"]["Seed"] == "1234567" and entries[1]["params"]["negative"] == "blurry, lowres"
    assert entries[2]["prompt"] == "a crystal cat pendant on velvet" and entries[2]["params"]["seed"] == 42
    # nothing new: nothing recorded
    assert cli("trace", "watch", folder, "--folder", out, "--once").exit_code == 0
    assert len(trace.read_entries(folder)) == 3


def test_bad_trace_folder_is_one_error_line(tmp_path, seed):
    before = seed.read_bytes()
    result = cli("trace", "export", tmp_path / "nowhere", "--case", seed)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"error: {tmp_path / 'nowhere'}: no process trace here "
                                                  f"(expected a folder made by 'assessor trace init' (with trace.jsonl))"]
    assert seed.read_bytes() == before


@pytest.mark.slow
def test_watch_in_a_terminal_follows_the_folder_until_ctrl_c(tmp_path):
    """As a creator runs it: `trace watch` in a terminal, a generator writing images into its
    folder while it runs, Ctrl-C to stop; then `trace verify`."""
    import sys
    from pathlib import Path

    import pexpect

    exe = str(Path(sys.executable).with_name("assessor"))
    folder, out = tmp_path / "trace", tmp_path / "outputs"
    out.mkdir()
    assert cli("trace", "init", folder).exit_code == 0
    child = pexpect.spawn(exe, ["trace", "watch", str(folder), "--folder", str(out), "--interval", "0.2",
                                "--lang", "en"], timeout=20, encoding="utf-8")
    samples.a1111_png(out / "00001.png", seed=1)
    child.expect(r"entry 1 recorded at .* · 00001\.png")
    samples.comfyui_png(out / "00002.png", seed=2)
    child.expect(r"entry 2 recorded at .* · 00002\.png")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and "Traceback" not in child.before
    entries = trace.read_entries(folder)
    assert [e.get("prompt", "")[:22] for e in entries[1:]] == ["a crystal cat pendant,", "a crystal cat pendant "]
    verify = pexpect.spawn(exe, ["trace", "verify", str(folder), "--lang", "zh"], encoding="utf-8", timeout=20)
    verify.expect("核验通过：共 3 条记录，哈希链完整")
    verify.expect(pexpect.EOF)


def test_watch_waits_for_an_image_still_being_written(tmp_path):
    folder, out = tmp_path / "trace", tmp_path / "outputs"
    out.mkdir()
    trace.init(folder)
    whole = samples.a1111_png(tmp_path / "whole.png").read_bytes()
    (out / "00001.png").write_bytes(whole[: len(whole) // 2])
    assert cli("trace", "watch", folder, "--folder", out, "--once").exit_code == 0
    assert len(trace.read_entries(folder)) == 1          # half an image: not recorded yet
    (out / "00001.png").write_bytes(whole)
    assert cli("trace", "watch", folder, "--folder", out, "--once").exit_code == 0
    entries = trace.read_entries(folder)
    assert len(entries) == 2 and entries[1]["outputs"][0]["sha256"] == trace.sha256_hex(whole)


def test_a_trace_begun_after_publication_is_not_contemporaneous(session, seed):
    """A verified chain shows the log was not altered, not that it was kept while the subject was
    made: one that starts after the subject's publication is no record of its making."""
    folder, chosen = session
    data = load_yaml(seed).data
    seed.write_text(seed.read_text(encoding="utf-8").replace("published: {where: 微信群聊",
                                                              "published: {on: 2023-05, where: 微信群聊"),
                    encoding="utf-8")
    assert data["subject"]["published"]["where"] == "微信群聊"
    result = cli("trace", "export", folder, "--case", seed, "--subject", chosen, "--lang", "en")
    assert result.exit_code == 0, result.output
    item = load_yaml(seed).data["evidence"][-1]
    assert item["timing"] == "verified" and item["contemporaneous"] is False
    assert "the trace begins after subject.published.on (2023-05)" in item["description"]
    assert decide(PACK, read_case(seed, PACK))["holdings"]["is_work"] == "not_established"
