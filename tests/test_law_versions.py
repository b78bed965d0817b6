"""One process deciding under several dates and several packs, interleaved, decides each case
as a fresh process does: a compiled program is identified by everything it is compiled from."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from assessor.engine import decide, load_pack, parse_case, read_case
from assessor.engine.compiler import compile_for
from assessor.engine.lint import lint_pack

from .conftest import HYPOS, PACK_DIR
from .test_engine import TOY

CASE = "format: toy.case/1\ndecided_on: {day}\nmember: false\nitems: [{{id: a, days_late: 3}}]\n"


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """The toy pack whose only provision is replaced on 2023-01-01 by a version with as many
    rules, one of them changed: an item is late after 5 days, no longer after 0."""
    root = tmp_path_factory.mktemp("versions") / "toy"
    shutil.copytree(TOY, root)
    fmt = root / "case-format.yaml"
    fmt.write_text(fmt.read_text(encoding="utf-8").replace(
        "    fee: {type: amount}\n", "    fee: {type: amount}\n    decided_on: {type: date}\n"), encoding="utf-8")
    old = root / "rules" / "r1.yaml"
    text = old.read_text(encoding="utf-8")
    old.write_text(text.replace("effective: {from: 2020-01-01, until: null}",
                                "effective: {from: 2020-01-01, until: 2022-12-31}"), encoding="utf-8")
    head, rest = text.split("concepts:\n", 1)
    rules = rest[rest.index("rules:\n"):]
    assert "gt: 0}" in rules
    (root / "rules" / "r2.yaml").write_text(
        head.replace("ref: TOY-1", "ref: TOY-2").replace("from: 2020-01-01", "from: 2023-01-01")
        + rules.replace("gt: 0}", "gt: 5}"), encoding="utf-8")
    return root


def _fresh(pack_dir, case_path) -> dict:
    code = ("import json, sys\nfrom assessor.engine import decide, load_pack, read_case\n"
            "p = load_pack(sys.argv[1])\nprint(json.dumps(decide(p, read_case(sys.argv[2], p))))")
    out = subprocess.run([sys.executable, "-c", code, str(pack_dir), str(case_path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_successive_versions_compile_to_different_programs(versions):
    pack = load_pack(versions)
    before, after = compile_for(pack, "2022-06-01"), compile_for(pack, "2023-06-01")
    assert len(pack.as_of("2022-06-01").rules) == len(pack.as_of("2023-06-01").rules)
    assert before.name != after.name


def test_interleaved_dates_and_packs_decide_as_fresh_processes(versions, tmp_path):
    toy, cn = load_pack(versions), load_pack(PACK_DIR)
    cases = []
    for day in ("2022-06-01", "2023-06-01"):
        path = tmp_path / f"{day}.yaml"
        path.write_text(CASE.format(day=day), encoding="utf-8")
        cases.append((versions, toy, path))
    cases.append((PACK_DIR, cn, HYPOS / "li-v-liu.yaml"))
    fresh = {str(path): _fresh(d, path) for d, _, path in cases}
    assert fresh[str(cases[0][2])]["holdings"]["owes_fee"] == "established"  # 3 days late counts
    assert fresh[str(cases[1][2])]["holdings"]["owes_fee"] == "refuted"      # ... no longer
    for _ in range(2):  # interleaved, twice, in both orders
        for _, pack, path in cases + cases[::-1]:
            assert decide(pack, read_case(path, pack)) == fresh[str(path)]


def test_a_day_between_versions_uses_only_the_law_in_force(versions):
    pack = load_pack(versions)
    for day, expected in (("2022-12-31", "established"), ("2023-01-01", "refuted")):
        case = parse_case(CASE.format(day=day), pack, "case.yaml")
        record = decide(pack, case)
        assert record["holdings"]["owes_fee"] == expected
        rules = {r["rule"].split("/")[0] for r in record["reasons"]}
        assert rules == {"toy.rules.r1" if day < "2023" else "toy.rules.r2"}


def test_successive_versions_are_not_rules_that_may_conflict(versions, tmp_path):
    assert not [str(p) for p in lint_pack(load_pack(versions)) if "may conclude different things" in str(p)]
    overlapping = tmp_path / "toy"
    shutil.copytree(versions, overlapping)
    old = overlapping / "rules" / "r1.yaml"
    old.write_text(old.read_text(encoding="utf-8").replace("until: 2022-12-31", "until: 2023-06-30"),
                   encoding="utf-8")
    problems = [str(p) for p in lint_pack(load_pack(overlapping))]
    assert any("rules toy.rules.r1/late_item and toy.rules.r2/late_item may conclude different things" in p
               for p in problems), problems
