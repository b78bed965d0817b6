"""`assessor flips` and the reason diff of `assessor whatif`: searched over the case format's
allowed values, decided for real, on the seed case and Li v. Liu."""
from __future__ import annotations

import json

import pytest

from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import decide, read_case
from assessor.engine.flips import find_flips
from assessor.engine.recorddiff import outcome_changed, record_diff
from assessor.engine.yamlsrc import load_yaml

from .conftest import HYPOS

runner = CliRunner()


def _changes(flip) -> dict:
    return {c.key: c.new for c in flip.changes}


@pytest.mark.slow  # a search deciding hundreds of variants
def test_seed_case_flips_include_original_contemporaneous_records(pack):
    search = find_flips(pack, load_yaml(HYPOS / "cat-pendant.yaml"), max_changes=4, unknown=True)
    assert search.before["disposition"] == "dismissed"
    assert search.flips and all(f.holdings["disposition"] == "upheld" for f in search.flips)
    sizes = [f.size for f in search.flips]
    assert sizes == sorted(sizes)  # ranked by size
    records = [f for f in search.flips if _changes(f).get("evidence[0].kind") == "original_generation_record"]
    assert records, [_changes(f) for f in search.flips]
    # a record made at the time, matching the image, and one more proven step of the process
    assert all(_changes(f)["evidence[0].contemporaneous"] is True and
               _changes(f)["evidence[0].matches_subject"] == "yes" for f in records)
    assert {"creation.selected_from_candidates", "creation.parameters_adjusted", "creation.iterations"} & \
        {k for f in records for k in _changes(f)}
    # the kinds the rules treat like an original generation record are listed with it
    kind = next(c for c in records[0].changes if c.key == "evidence[0].kind")
    assert "generation_metadata" in kind.same_as
    # nothing a party could not bring about
    assert not any(c.path[0] in ("decided_on", "jurisdiction", "title") for f in search.flips for c in f.changes)
    assert all(f.holdings["is_work"] == "established" for f in records)


@pytest.mark.slow  # a whole search over one-change variants; the fast run searches the seed case
def test_li_v_liu_flips(pack):
    search = find_flips(pack, load_yaml(HYPOS / "li-v-liu.yaml"), max_changes=1)
    assert not search.stopped_early
    assert search.before["disposition"] == "partly_upheld"
    singles = {(c.key, c.new): f.holdings["disposition"] for f in search.flips if f.size == 1 for c in f.changes}
    assert singles[("acts[0].permission", "licensed")] == "dismissed"
    assert singles[("evidence[0].authenticity", "rebutted")] == "dismissed"
    assert singles[("evidence[0].contemporaneous", False)] == "dismissed"
    assert singles[("creation.directed_by", "no_human")] == "dismissed"
    assert singles[("claims.damages_claimed", 0)] == "upheld"  # claimed within what the facts support
    target = find_flips(pack, load_yaml(HYPOS / "li-v-liu.yaml"), max_changes=1, target="upheld")
    assert target.flips and all(f.holdings["disposition"] == "upheld" for f in target.flips)


@pytest.mark.slow
def test_li_v_liu_flips_of_two_changes_are_minimal(pack):
    search = find_flips(pack, load_yaml(HYPOS / "li-v-liu.yaml"), max_changes=2, budget=5000)
    assert not search.stopped_early
    pairs = [_changes(f) for f in search.flips if f.size == 2]
    # the image is not AI-generated and the publication record no longer proves authorship
    assert {"creation.ai_generated": False, "evidence[1].authenticity": "rebutted"} in pairs
    sets = [set(f.changes) for f in search.flips]
    assert not any(a < b for a in sets for b in sets)  # minimal: no flip contains a smaller one


@pytest.mark.slow  # the same search twice, through the command line
def test_flips_command_text_and_json():
    result = runner.invoke(app, ["flips", str(HYPOS / "li-v-liu.yaml"), "--max-changes", "1", "--lang", "en",
                                 "--target", "upheld"])
    assert result.exit_code == 0, result.output
    assert "claims.damages_claimed (damages claimed): 5000 → 0" in result.output
    assert "Rules that fired only after:" in result.output
    assert "cn.copyright_law.art052/upheld — Copyright Law, Art. 52" in result.output
    result = runner.invoke(app, ["flips", str(HYPOS / "li-v-liu.yaml"), "--max-changes", "1", "--format", "json"])
    data = json.loads(result.output)
    assert data["disposition"] == "partly_upheld" and not data["stopped_early"]
    assert {"field": "acts[0].permission", "from": "none", "to": "licensed", "same_as": []} in \
        [c for f in data["flips"] for c in f["changes"]]
    result = runner.invoke(app, ["flips", str(HYPOS / "li-v-liu.yaml"), "--target", "won"])
    assert result.exit_code == 1 and "'won' is not a disposition" in result.output
    assert "Traceback" not in result.output


def test_flips_budget_says_it_stopped_early():
    result = runner.invoke(app, ["flips", str(HYPOS / "cat-pendant.yaml"), "--budget", "20", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "stopped early" in result.output


def test_reason_diff(pack):
    before = decide(pack, read_case(HYPOS / "cat-pendant.yaml", pack))
    after = decide(pack, read_case(HYPOS / "cat-pendant-original-records.yaml", pack))
    diff = record_diff(before, after)
    assert outcome_changed(diff)
    assert {"key": "disposition", "before": "dismissed", "after": "upheld"} in diff["holdings"]
    assert "cn.cpl_interpretation.art108/simulation_proves_nothing" in diff["rules_only_before"]
    assert "cn.evidence_provisions.art093/contemporaneous_record" in diff["rules_only_after"]
    assert {"fact": "creation.prompt", "before": "not_proven", "after": "proven"} in diff["findings"]
    assert {"key": "apology", "before": False, "after": True} in diff["remedies"]
    assert not outcome_changed(record_diff(before, before))


def test_whatif_shows_the_reason_diff():
    result = runner.invoke(app, ["whatif", str(HYPOS / "li-v-liu.yaml"), "--set", "claims.damages_claimed=400",
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "disposition: the plaintiff's claims are upheld in part → the plaintiff's claims are upheld" in out
    assert "Rules that fired only before:\n    - cn.copyright_law.art052/partly_upheld" in out
    assert "Rules that fired only after:\n    - cn.copyright_law.art052/upheld" in out
    assert "Compensate for losses: low=500, high=5000, basis=statutory → amount=400" in out
    assert "court_fee_borne_by: shared → defendant" in out
    result = runner.invoke(app, ["whatif", str(HYPOS / "li-v-liu.yaml"), "--set", "acts[0].commercial=true",
                                 "--lang", "en"])
    assert "cn.copyright_law.art054/substantial_award" in result.output
    assert "The change does not alter the outcome." in result.output
