"""`assessor batch`: many case files, a broken one among them, jsonl and csv, opinions."""
from __future__ import annotations

import csv
import json
import shutil

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app

from .casegen import generate_cases
from .conftest import HYPOS

runner = CliRunner()
BROKEN = "format: assessor.case/1\nsubject:\n  kind: painting\n"


def _folder(tmp_path, names=("cat-pendant", "li-v-liu", "licensed-use")):
    folder = tmp_path / "cases"
    (folder / "sub").mkdir(parents=True)
    for n in names:
        shutil.copy(HYPOS / f"{n}.yaml", folder / f"{n}.yaml")
    (folder / "sub" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (folder / "notes.yaml").write_text("- not a case file\n", encoding="utf-8")
    return folder


def test_batch_reports_a_broken_file_and_goes_on(tmp_path):
    folder = _folder(tmp_path)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(folder), "-j", "1", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert f"error: {folder}/sub/broken.yaml:3:9: subject.kind: 'painting' is not allowed" in result.output
    assert "Traceback" not in result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    by = {x["file"].rsplit("/", 1)[1]: x for x in lines}
    assert sorted(by) == ["broken.yaml", "cat-pendant.yaml", "li-v-liu.yaml", "licensed-use.yaml"]  # notes skipped
    assert by["cat-pendant.yaml"]["decision"]["holdings"]["disposition"] == "dismissed"
    assert by["li-v-liu.yaml"]["decision"]["format"] == "assessor.decision/1"
    assert by["broken.yaml"] == {"file": f"{folder}/sub/broken.yaml", "ok": False,
                                 "error": by["broken.yaml"]["error"]} and ":3:9:" in by["broken.yaml"]["error"]
    # the summary table: dispositions, failures, skipped files, time
    assert "Batch summary" in result.output
    assert "all claims of the plaintiff are dismissed" in result.output
    assert "Files that failed" in result.output and "Files skipped (not case files)" in result.output


@pytest.mark.slow  # two worker processes drafting opinions; the fast run batches in one
def test_batch_csv_in_two_processes_with_opinions(tmp_path):
    folder = _folder(tmp_path, ("cat-pendant", "li-v-liu"))
    (folder / "sub" / "broken.yaml").unlink()
    out, ops = tmp_path / "out.csv", tmp_path / "opinions"
    result = runner.invoke(app, ["batch", str(folder), "--jobs", "2", "--format", "csv", "-o", str(out),
                                 "--opinions", str(ops), "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["file"].rsplit("/", 1)[1], r["disposition"]) for r in rows] == \
        [("cat-pendant.yaml", "dismissed"), ("li-v-liu.yaml", "partly_upheld")]
    assert rows[1]["rights_infringed"] == "authorship;information_network_dissemination"
    assert rows[0]["status"] == "ok" and rows[0]["error"] == ""
    assert sorted(p.name for p in ops.iterdir()) == ["cat-pendant.md", "li-v-liu.md"]
    assert "unofficial" in (ops / "li-v-liu.md").read_text(encoding="utf-8").lower()


def test_batch_bad_paths(tmp_path):
    result = runner.invoke(app, ["batch", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "no such file or directory" in result.output
    result = runner.invoke(app, ["batch", str(HYPOS / "li-v-liu.yaml"), "-o", str(tmp_path)])
    assert result.exit_code == 1 and "-o expects a file" in result.output


@pytest.mark.slow
def test_batch_of_a_thousand_generated_case_files(tmp_path, pack):
    files = generate_cases(pack, tmp_path / "gen", 1000)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(tmp_path / "gen"), "--jobs", "2", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["file"] for x in lines] == [str(f) for f in files]  # in order
    assert all(x["ok"] for x in lines)
    assert len({x["decision"]["holdings"]["disposition"] for x in lines}) >= 3
    assert "1000 files in" in result.output
