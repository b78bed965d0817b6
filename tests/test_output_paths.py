"""`opinion -o`: a path that cannot take the opinion is one clear error before any work;
the write is atomic, so a full disk leaves the previous file (or none), never a part."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app

from .conftest import HYPOS

CASE = HYPOS / "cat-pendant.yaml"


def _opinion(*args: str):
    return CliRunner().invoke(app, ["opinion", *args])


def _one_error(result, *said: str) -> None:
    assert result.exit_code == 1, result.output
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    for s in said:
        assert s in lines[0]


def test_output_to_a_directory(tmp_path):
    _one_error(_opinion(str(CASE), "-o", str(tmp_path)), f"{tmp_path}: is a directory")


def test_output_into_a_missing_directory(tmp_path):
    target = tmp_path / "missing" / "x.md"
    _one_error(_opinion(str(CASE), "-o", str(target)), f"the directory {tmp_path / 'missing'} does not exist")


def test_output_under_a_file(tmp_path):
    (tmp_path / "afile").write_text("")
    _one_error(_opinion(str(CASE), "-o", str(tmp_path / "afile" / "x.md")), "is not a directory")


def test_output_where_nothing_may_be_written():
    _one_error(_opinion(str(CASE), "-o", "/sys/opinion.md"), "cannot write in /sys")


def test_the_opinion_is_never_written_over_its_own_case_file(tmp_path):
    case = tmp_path / "case.yaml"
    shutil.copy(CASE, case)
    _one_error(_opinion(str(case), "-o", str(case)), "is the input file")
    assert case.read_bytes() == CASE.read_bytes()
    link = tmp_path / "link.yaml"
    os.symlink(case, link)
    _one_error(_opinion(str(case), "-o", str(link)), "is the input file")


def test_a_write_leaves_no_temporary_file_and_keeps_the_mode(tmp_path):
    target = tmp_path / "op.md"
    target.write_text("old")
    os.chmod(target, 0o640)
    assert _opinion(str(CASE), "-o", str(target)).exit_code == 0
    assert "民事判决书" in target.read_text(encoding="utf-8") and (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["op.md"]


FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails (EFBIG) instead
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
from assessor.cli.main import main
sys.argv = ["assessor"] + sys.argv[1:]
main()
"""


@pytest.mark.parametrize("previous", [pytest.param(b"the previous opinion\n", marks=pytest.mark.slow), None])
def test_a_full_disk_leaves_the_previous_file_or_none(tmp_path, previous):
    """A process that may write only 4 KB (as on a nearly full disk) drafts a 20 KB opinion."""
    target = tmp_path / "op.md"
    if previous is not None:
        target.write_bytes(previous)
    run = subprocess.run([sys.executable, "-c", FULL_DISK, "opinion", str(CASE), "-o", str(target)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert run.stderr.strip().count("\n") == 0 and "the disk is full" in run.stderr
    assert "Traceback" not in run.stderr
    if previous is None:
        assert not target.exists()
    else:
        assert target.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == ([] if previous is None else ["op.md"])


@pytest.mark.slow  # two processes of their own
@pytest.mark.parametrize("previous", [b"the previous results\n", None])
def test_a_batch_on_a_full_disk_leaves_the_previous_results_or_none(tmp_path, previous):
    """`batch -o` streams its results: into a temporary file, which takes the place of the
    output only at the end (Li v. Liu's record alone is over the 4 KB the process may write)."""
    target = tmp_path / "out.jsonl"
    if previous is not None:
        target.write_bytes(previous)
    run = subprocess.run([sys.executable, "-c", FULL_DISK, "batch", str(HYPOS / "li-v-liu.yaml"), "-j", "1",
                          "-o", str(target)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    errors = [x for x in run.stderr.splitlines() if x.startswith("error")]
    assert len(errors) == 1 and "the disk is full" in errors[0], run.stderr
    if previous is None:
        assert not target.exists()
    else:
        assert target.read_bytes() == previous
    assert [p.name for p in tmp_path.iterdir()] == ([] if previous is None else ["out.jsonl"])


def test_a_batch_that_fails_part_way_keeps_the_previous_results(tmp_path, monkeypatch):
    """A run that stops after some results (a worker that dies) does not replace the output."""
    import assessor.cli.batch as batch

    def dies(*_a, **_k):
        yield {"line": "{}", "error": None, "disposition": "x"}
        raise RuntimeError("a worker died")

    target = tmp_path / "out.jsonl"
    target.write_text("the previous results\n")
    monkeypatch.setattr(batch, "run_batch", dies)
    result = CliRunner().invoke(app, ["batch", str(HYPOS / "li-v-liu.yaml"), "-j", "1", "-o", str(target)])
    assert isinstance(result.exception, RuntimeError)
    assert target.read_text() == "the previous results\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
    monkeypatch.undo()
    assert CliRunner().invoke(app, ["batch", str(HYPOS / "li-v-liu.yaml"), "-j", "1", "-o", str(target)]).exit_code == 0
    assert '"format":"assessor.decision/1"' in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_batch_never_writes_over_one_of_its_case_files(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_bytes(CASE.read_bytes())
    _one_error(CliRunner().invoke(app, ["batch", str(case), "-o", str(case)]), "is the input file")
    assert case.read_bytes() == CASE.read_bytes()
