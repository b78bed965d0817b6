"""`assessor decide` end to end: outputs, exit codes, errors without tracebacks."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from assessor.cli.main import app

from .conftest import HYPOS

runner = CliRunner()


def test_decide_text_zh():
    result = runner.invoke(app, ["decide", str(HYPOS / "cat-pendant.yaml")])
    assert result.exit_code == 0, result.output
    assert "裁判结果: 驳回原告的全部诉讼请求" in result.output
    assert "《著作权法》第三条" in result.output and "李某诉刘某案" in result.output
    assert "“猫咪晶钻吊坠”案" not in result.output  # its own holding, published after this decision
    assert "举证责任在 原告" in result.output


def test_decide_text_en():
    result = runner.invoke(app, ["decide", str(HYPOS / "li-v-liu.yaml"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Disposition: the plaintiff's claims are upheld in part" in result.output
    assert "Copyright Law, Art. 10(1)(2)" in result.output
    assert "unofficial translations" in result.output


def test_decide_json():
    result = runner.invoke(app, ["decide", str(HYPOS / "li-v-liu.yaml"), "--format", "json"])
    assert result.exit_code == 0
    record = json.loads(result.output)
    assert record["holdings"]["is_work"] == "established"


def test_bad_case_file_exits_1_with_location(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("format: assessor.case/1\nsubject:\n  kind: painting\n", encoding="utf-8")
    result = runner.invoke(app, ["decide", str(f)])
    assert result.exit_code == 1
    assert f"{f}:3:9: subject.kind: 'painting' is not allowed" in result.output
    assert "Traceback" not in result.output


def test_broken_rule_pack_exits_1(tmp_path):
    import shutil
    from .conftest import PACK_DIR
    shutil.copytree(PACK_DIR, tmp_path / "cn")
    f = tmp_path / "cn" / "copyright_law" / "art003.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("form: all", "form: most", 1), encoding="utf-8")
    result = runner.invoke(app, ["decide", str(HYPOS / "li-v-liu.yaml"), "--rules", str(tmp_path / "cn")])
    assert result.exit_code == 1
    assert "art003.yaml:" in result.output and "'most' is not allowed" in result.output


def test_usage_error_exits_2():
    result = runner.invoke(app, ["decide", str(HYPOS / "li-v-liu.yaml"), "--format", "pdf"])
    assert result.exit_code == 2


def _run_main(monkeypatch, capsys, args: list[str]) -> tuple[int, str, str]:
    from assessor.cli import main as cli_main

    monkeypatch.setattr("sys.argv", ["assessor"] + args)
    code = 0
    try:
        cli_main.main()
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err


def test_decide_read_without_typer_is_decide_read_by_typer(monkeypatch, capsys, tmp_path):
    """`assessor decide FILE [--format] [--lang] [--rules]` is read without Typer (which imports
    pydantic to read any argument): the same output and exit code as Typer's command."""
    from assessor.cli.main import DEFAULT_PACK, _decide_directly

    bad = tmp_path / "bad.yaml"
    bad.write_text("format: assessor.case/1\nsubject: 3\n", encoding="utf-8")
    for args in (["decide", str(HYPOS / "cat-pendant.yaml")],
                 ["decide", "--lang", "en", str(HYPOS / "li-v-liu.yaml"), "--format", "json"],
                 ["decide", str(HYPOS / "li-v-liu.yaml"), "--rules", str(DEFAULT_PACK), "--lang", "en"],
                 ["decide", str(bad)], ["decide", str(tmp_path / "missing.yaml")]):
        code, out, err = _run_main(monkeypatch, capsys, args)
        typer_run = runner.invoke(app, args)
        assert (code, out, err) == (typer_run.exit_code, typer_run.stdout, typer_run.stderr), args
    for args in (["decide"], ["decide", "--help"], ["decide", "a.yaml", "b.yaml"], ["decide", "a.yaml", "--format", "xml"],
                 ["decide", "a.yaml", "--lang", "en", "--lang", "zh"], ["decide", "a.yaml", "--lang"],
                 ["decide", "a.yaml", "--verbose"], ["decide", "-"], ["rules", "check"]):
        assert not _decide_directly(args), args  # Typer reads these (and says what is wrong)
