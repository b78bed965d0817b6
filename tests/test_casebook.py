"""`assessor rules check|test`, `hypos`, `whatif`: the pack's own checks from the command line."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import load_pack
from assessor.engine.lint import lint_pack

from .conftest import HYPOS, PACK_DIR

runner = CliRunner()


@pytest.fixture()
def copy(tmp_path):
    shutil.copytree(PACK_DIR, tmp_path / "cn")
    return tmp_path / "cn"


def test_bundled_pack_passes_check():
    result = runner.invoke(app, ["rules", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: cn")


@pytest.mark.slow  # every hypothetical again: test_hypos decides each of them in the fast run
def test_bundled_pack_passes_test():
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


def test_conflicting_rules_are_found(copy):
    f = copy / "copyright_law" / "art003.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("  - id: form_by_kind\n", "  - id: image_is_not_a_form\n    then: expressible_in_form\n"
                              "    if:\n      - {fact: subject.kind, is: image}\n    is: refuted\n"
                              "    quote: 能以一定形式表现\n    explain: {zh: 测试。, en: Test.}\n  - id: form_by_kind\n"),
                 encoding="utf-8")
    problems = [str(p) for p in lint_pack(load_pack(copy))]
    assert any("image_is_not_a_form and" in p and "may conclude different things about 'expressible_in_form'" in p
               or ("form_by_kind and" in p and "image_is_not_a_form" in p) for p in problems), problems
    result = runner.invoke(app, ["rules", "check", str(copy)])
    assert result.exit_code == 1 and "art003.yaml:" in result.output


def test_unused_holding_and_dead_rule_are_found(copy):
    f = copy / "cases" / "nanshan_2019_dreamwriter.yaml"
    f.write_text(f.read_text(encoding="utf-8").split("holding:")[0] + "holding:\n  zh: 测试。\n  en: Test.\n"
                 "  status: test\n", encoding="utf-8")
    c = copy / "copyright_regulations" / "art002.yaml"
    c.write_text(c.read_text(encoding="utf-8").replace(", cn.cases.nanshan_2019_dreamwriter]", "]"),
                 encoding="utf-8")
    problems = [str(p) for p in lint_pack(load_pack(copy))]
    assert any("holding cn.cases.nanshan_2019_dreamwriter is applied by no rule" in p for p in problems)


def test_failing_hypothetical_fails_rules_test(copy):
    index = copy / "hypos" / "index.yaml"
    text = index.read_text(encoding="utf-8")
    start = text.index("- name: li-v-liu")
    end = text.find("\n- name:", start)
    entry = text[start:end + 1 if end >= 0 else len(text)]   # the one entry the test breaks: no need to run all
    index.write_text(entry.replace("disposition: partly_upheld", "disposition: upheld", 1), encoding="utf-8")
    result = runner.invoke(app, ["rules", "test", str(copy)])
    assert result.exit_code == 1
    assert "index.yaml:" in result.output and "li-v-liu: disposition: expected upheld, got partly_upheld" in result.output


def test_hypos_commands():
    result = runner.invoke(app, ["hypos", "list", "--lang", "en"])
    assert result.exit_code == 0 and "cat-pendant" in result.output
    result = runner.invoke(app, ["hypos", "run", "li-v-liu", "--lang", "en"])
    assert result.exit_code == 0 and "as expected" in result.output
    result = runner.invoke(app, ["hypos", "show", "generation-log-rebutted", "--lang", "en"])
    assert result.exit_code == 0 and "Pair" in result.output
    result = runner.invoke(app, ["hypos", "run", "no-such-case"])
    assert result.exit_code == 1 and "no hypothetical named" in result.output


def test_whatif_shows_the_flip():
    result = runner.invoke(app, ["whatif", str(HYPOS / "cat-pendant.yaml"),
                                 "--set", "evidence[0].kind=original_generation_record",
                                 "--set", "evidence[0].contemporaneous=true",
                                 "--set", "evidence[0].matches_subject=yes",
                                 "--set", "creation.selected_from_candidates=true"])
    assert result.exit_code == 0, result.output
    assert "裁判结果: 驳回原告的全部诉讼请求 → 支持原告的诉讼请求" in result.output
    result = runner.invoke(app, ["whatif", str(HYPOS / "cat-pendant.yaml"), "--set", "subject.kind=painting"])
    assert result.exit_code == 1 and "'painting' is not allowed" in result.output


def test_rules_doc_shows_text_rules_and_quotes():
    result = runner.invoke(app, ["rules", "doc", "--lang", "en"])
    assert result.exit_code == 0
    assert "## Copyright Law of the People's Republic of China, Art. 3" in result.output
    assert "**本法所称的作品，是指文学、艺术和科学领域内具有独创性并能以一定形式表现的智力成果**" in result.output
    assert "- **work** → whether the subject is a work (all)" in result.output
    assert "Not verified against an official source." in result.output


def test_a_broken_hypotheticals_index_is_one_error_line_for_every_command(tmp_path):
    root = tmp_path / "cn"
    shutil.copytree(PACK_DIR, root)
    with (root / "hypos" / "index.yaml").open("a", encoding="utf-8") as f:
        f.write("- name: [\n")
    for args in (["hypos", "list"], ["hypos", "show", "cat-pendant"], ["hypos", "quiz"], ["hypos", "run", "cat-pendant"]):
        result = runner.invoke(app, args + ["--rules", str(root)], input="")
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith(f"error: {root / 'hypos' / 'index.yaml'}:"), (args, result.output)
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    result = runner.invoke(app, ["rules", "test", str(root)])
    assert result.exit_code == 1 and "invalid YAML" in result.output
