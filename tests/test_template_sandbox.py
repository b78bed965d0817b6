"""Court templates run sandboxed: they cannot read outside their folder, change the data or
the stamp they are given, or work without bound; each refusal is one clear error naming the
template, and `templates check` reports every one of them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app
from assessor.engine import read_case
from assessor.engine.opinion import OpinionError, case_digest, render_opinion
from assessor.engine.template_check import check_templates

from .conftest import HYPOS

CASE = HYPOS / "cat-pendant.yaml"
REASON = Path("reasons") / "_default.j2"


def _render(pack, templates: Path, fmt: str = "md", lang: str = "zh"):
    return render_opinion(pack, read_case(CASE, pack), lang=lang, fmt=fmt, templates=templates,
                          case_digest=case_digest(CASE))


def _write(folder: Path, name: str | Path, body: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(body, bytes) else path.write_text)(body)
    return path


def _refused(pack, folder: Path, *expected: str, fmt: str = "md", cli: bool = False) -> str:
    """The render fails with one error naming a template and saying each of `expected`;
    `templates check` reports the same (`cli`: the command, with exit code 1 and no traceback)."""
    with pytest.raises(OpinionError) as e:
        _render(pack, folder, fmt)
    message = str(e.value)
    for x in expected:
        assert x in message
    if cli:
        result = CliRunner().invoke(app, ["templates", "check", str(folder)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and "templates OK" not in result.output
        report = result.output
    else:
        report = "\n".join(check_templates(folder, trial=(pack, [read_case(CASE, pack)])))
    for x in expected:
        assert x in report
    return message


# --------------------------------------------------------------------------- reading

def test_a_link_to_a_file_outside_the_folder_is_refused(pack, tmp_path):
    secret = _write(tmp_path, "secret.txt", "TOP SECRET\n")
    court = tmp_path / "court"
    (court / "reasons").mkdir(parents=True)
    os.symlink(secret, court / REASON)
    message = _refused(pack, court, f"{court / REASON}", "leads outside the template folder", cli=True)
    assert "TOP SECRET" not in message


def test_a_link_to_the_root_directory_cannot_be_included(pack, tmp_path):
    court = tmp_path / "court"
    court.mkdir()
    os.symlink("/", court / "root")
    _write(court, REASON, '{% include "root/etc/passwd" %}\n')
    with pytest.raises(OpinionError) as e:
        _render(pack, court)
    assert "leads outside the template folder" in str(e.value) and "root:" not in str(e.value)
    problems = check_templates(court)
    assert any(p.startswith(f"{court / 'root'}: a link that leads outside the template folder") for p in problems)


def test_a_link_inside_the_folder_is_followed(pack, tmp_path):
    court = tmp_path / "court"
    _write(court, "reasons/common.j2", "{{ rule.explain | t }}\n")
    os.symlink(court / "reasons" / "common.j2", court / REASON)
    assert pack.rule("cn.copyright_law.art003/work").explain.zh in _render(pack, court)
    assert check_templates(court) == []


def test_a_template_that_is_not_utf8_is_refused_with_its_line_and_column(pack, tmp_path):
    path = _write(tmp_path, "judgment.j2", b'{{ blk("para") }}\nok \xff\xfe\n')
    _refused(pack, tmp_path, f"{path}:2:4", "not UTF-8", cli=True)


def test_a_directory_named_like_a_template_is_refused(pack, tmp_path):
    (tmp_path / "judgment.j2").mkdir()
    _refused(pack, tmp_path, f"{tmp_path / 'judgment.j2'}", "not a file")


def test_an_error_in_a_courts_reason_template_names_that_template(pack, tmp_path):
    path = _write(tmp_path, REASON, "{{ rule.explain | t }}\n{{ 1 // 0 }}\n")
    _refused(pack, tmp_path, f"{path}:2", "ZeroDivisionError")


# --------------------------------------------------------------------------- writing

@pytest.mark.parametrize("name, body, shown", [
    ("opinion.md.j2", '{% do stamp.update({"digest": "forged"}) %}', "stamp"),
    ("judgment.j2", "{% do case.clear() %}", "case"),
    ("judgment.j2", '{% do case.acts.append({"id": "A9"}) %}', "case"),
    ("judgment.j2", "{% do record.holdings.pop('is_work') %}", "record"),
])
def test_templates_cannot_change_the_data_or_the_stamp(pack, tmp_path, name, body, shown):
    path = _write(tmp_path, name, body + "\n")
    with pytest.raises(OpinionError) as e:
        _render(pack, tmp_path)
    assert f"{path}:1" in str(e.value) and "unsafe" in str(e.value)
    problems = check_templates(tmp_path)
    assert any(p.startswith(f"{path}:1: '{shown}' is read-only") for p in problems), problems


def test_templates_may_still_change_the_lists_they_make(pack, tmp_path):
    _write(tmp_path, REASON, "{% set said = [] %}{% do said.append(rule.explain | t) %}{{ said | join }}\n")
    assert _render(pack, tmp_path)


def test_a_layout_cannot_write_its_own_stamp(pack, tmp_path):
    forged = "sha256:" + "a" * 64
    path = _write(tmp_path, "opinion.md.j2", "{{ blocks | length }} " + forged + "\n")
    _refused(pack, tmp_path, str(path), "not the stamp's")


def test_a_layout_must_show_the_stamp(pack, tmp_path):
    path = _write(tmp_path, "opinion.html.j2", "<p>{{ title }}</p>\n")
    with pytest.raises(OpinionError) as e:
        _render(pack, tmp_path, fmt="html")
    assert str(path) in str(e.value) and "stamp.digest" in str(e.value)


# --------------------------------------------------------------------------- work

@pytest.mark.parametrize("body, expected", [
    # the two that run up to the work limit itself are in the slow run
    pytest.param("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "too much work",
                 marks=pytest.mark.slow),
    ("{{ lipsum(n=10**6) }}", "lipsum"),
    ("{{ 'x' * 10**10 }}", "repetition"),
    ("{{ [0] * 10**9 }}", "repetition"),
    ("{{ '%*s' % (10**9, 'x') }}", "format with a width"),
    ("{{ '{:>99999999}'.format('x') }}", "format with a width"),
    ("{{ 'x' | center(10**9) }}", "size argument"),
    ("{{ 'x'.ljust(10**9) }}", "size argument"),
    ("{{ 7 ** 9999999 }}", "power too large"),
    ("{% set ns = namespace(x='x') %}{% for i in range(64) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
     "at most 5,000,000"),
    pytest.param("{% for i in range(99999) %}{{ 'x' * 99 }}{% endfor %}", "over 5,000,000 characters",
                 marks=pytest.mark.slow),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "call themselves"),
])
def test_unbounded_work_is_stopped_with_a_clear_error(pack, tmp_path, body, expected):
    path = _write(tmp_path, REASON, body + "\n")
    message = _refused(pack, tmp_path, str(path), expected)
    assert "render stopped" in message


def test_the_default_templates_render_within_the_limits_and_check_clean():
    result = CliRunner().invoke(app, ["templates", "check", "templates/cn"])
    assert result.exit_code == 0 and "templates OK" in result.output, result.output


def test_a_digest_the_case_file_gives_may_be_shown(pack, tmp_path):
    """A file's hash quoted in an evidence description is not a forged stamp."""
    digest = "sha256:" + "b" * 64
    case = tmp_path / "case.yaml"
    said = "description: 原告陈述其独立利用AI软件创作完成涉案图片"
    assert said in CASE.read_text(encoding="utf-8")
    case.write_text(CASE.read_text(encoding="utf-8").replace(said, f"{said}（文件 {digest}）"), encoding="utf-8")
    text = render_opinion(pack, read_case(case, pack), lang="zh", fmt="md", case_digest=case_digest(case))
    assert digest in text
