"""`assessor impact`: the same cases under two rule packs that differ in one rule."""
from __future__ import annotations

import json
import shutil

import pytest

from typer.testing import CliRunner

from assessor.cli.main import app

from .conftest import HYPOS, PACK_DIR

runner = CliRunner()
RULE = "cn.evidence_provisions.art093/contemporaneous_record"


def _stricter_pack(tmp_path):
    """The pack with one rule changed: a record whose authenticity is merely challenged no
    longer proves anything (the real rule requires only that it is not rebutted)."""
    new = tmp_path / "cn-new"
    shutil.copytree(PACK_DIR, new)
    f = new / "evidence_provisions" / "art093.yaml"
    old = "{fact: evidence.authenticity, of: evidence, not_in: [rebutted], quote: 完整、可靠}"
    text = f.read_text(encoding="utf-8")
    assert text.count(old) == 1
    f.write_text(text.replace(old, old.replace("[rebutted]", "[rebutted, challenged]")), encoding="utf-8")
    return new


def test_impact_between_two_packs_differing_in_one_rule(tmp_path):
    new = _stricter_pack(tmp_path)
    cases = [HYPOS / "li-v-liu.yaml", HYPOS / "generation-log-challenged.yaml", HYPOS / "cat-pendant.yaml"]
    result = runner.invoke(app, ["impact", *map(str, cases), "--new-rules", str(new), "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"Rules changed: {RULE}" in out
    assert "generation-log-challenged.yaml\n" in out and "li-v-liu.yaml\n" not in out
    assert "disposition: the plaintiff's claims are upheld → all claims of the plaintiff are dismissed" in out
    assert "cn.cpl_interpretation.art090/unproven_claims_dismissed" in out
    assert "Cease the infringement: true → false" in out  # the orders change with the holdings, by their labels
    assert "Summary: 3 cases: 1 with a different outcome, 0 with different reasons only, 2 unchanged, 0 failed" in out

    result = runner.invoke(app, ["impact", *map(str, cases), "--new-rules", str(new), "--format", "json"])
    report = json.loads(result.output)
    assert report["rules"] == {"added": [], "removed": [], "changed": [RULE]}
    assert report["summary"] == {"cases": 3, "changed": 1, "reasons": 0, "same": 2, "error": 0}
    changed = [c for c in report["cases"] if c["status"] == "changed"]
    assert [c["disposition"] for c in changed] == [["upheld", "dismissed"]]
    assert {"key": "is_work", "before": "established", "after": "not_established"} in changed[0]["diff"]["holdings"]


def test_impact_usage_and_bad_files(tmp_path):
    result = runner.invoke(app, ["impact", str(HYPOS / "li-v-liu.yaml")])
    assert result.exit_code == 2 and "--old-rules A --new-rules B, or --as-of D1 --as-of D2" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: assessor.case/1\nacts: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["impact", str(bad), "--new-rules", str(PACK_DIR)])
    assert result.exit_code == 1 and f"error: {bad}:2:7:" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["impact", str(bad), "--as-of", "2024-13-01", "--as-of", "2025-01-01"])
    assert result.exit_code == 1 and "'2024-13-01' is not a date" in result.output


@pytest.mark.slow  # the same comparison as between two packs, run twice over the library
def test_impact_as_of_two_dates():
    result = runner.invoke(app, ["impact", str(HYPOS / "li-v-liu.yaml"), "--as-of", "2025-06-30",
                                 "--as-of", "2025-06-30", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.count("Law as of: 2025-06-30") == 2
    assert "Summary: 1 cases: 0 with a different outcome, 0 with different reasons only, 1 unchanged" in result.output
    result = runner.invoke(app, ["impact", str(HYPOS / "li-v-liu.yaml"), "--as-of", "2023-06-01",
                                 "--as-of", "2025-06-30", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["old"]["as_of"], report["new"]["as_of"]) == ("2023-06-01", "2025-06-30")
    assert report["summary"]["cases"] == 1 and report["summary"]["error"] == 0


def test_impact_as_of_a_date_before_the_cases_events_reports_the_case_not_decided():
    """A case cannot be decided before it happened: as of a day before the work was made, the
    case is reported as an error naming the dates (the case format's order of dates), and the
    command exits 1, as for any case it could not decide."""
    result = runner.invoke(app, ["impact", str(HYPOS / "li-v-liu.yaml"), "--as-of", "2021-06-01",
                                 "--as-of", "2025-06-30", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["summary"]["error"] == 1
    error = report["cases"][0]["error"]
    assert "subject.created_on: 2023-02-24 is after decided_on (2021-06-01)" in error
