"""The hypotheticals library for students: a teaching note for every hypothetical, and
`assessor hypos quiz` scripted through its input."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assessor.cli.main import app

from .conftest import hypotheticals

runner = CliRunner()


def test_every_hypothetical_has_a_bilingual_teaching_note():
    for h in hypotheticals():
        note = h.get("teaches")
        assert note and note.get("zh") and note.get("en"), h["name"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in note["zh"]), h["name"]


def test_quiz_scripted_en():
    # the seed case: predict "not a work" (wrong: it is only not proven), then skip, then the right disposition
    result = runner.invoke(app, ["hypos", "quiz", "cat-pendant", "--lang", "en"], input="3\ns\ns\ns\n3\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "=== Cat crystal pendant (after-the-fact reproduction only) (cat-pendant) ===" in out
    assert "after_the_fact_reproduction" in out  # the case file is shown before the questions
    assert "  2. the evidence does not establish that the subject is a work" in out
    assert "The answer: the evidence does not establish that the subject is a work" in out
    assert "(cn.copyright_law.art003/work — Copyright Law, Art. 3" in out
    assert "Correct." in out
    assert "Teaching note: Whether an AI-generated image is a work" in out
    assert out.rstrip().endswith("Score: 1 of 2 predictions correct.")


def test_quiz_zh_quits_and_rejects_bad_answers():
    result = runner.invoke(app, ["hypos", "quiz", "li-v-liu"], input="9\n1\nq\n")
    assert result.exit_code == 0, result.output
    assert "1-3, s, q" in result.output  # 9 is not a choice: asked again
    assert "正确。" in result.output
    assert "得分：1 个判断中答对 1 个。" in result.output
    result = runner.invoke(app, ["hypos", "quiz", "no-such-case"])
    assert result.exit_code == 1 and "no hypothetical named" in result.output


@pytest.mark.slow
def test_quiz_in_a_terminal():
    import os
    import sys
    from pathlib import Path

    import pexpect
    exe = str(Path(sys.executable).parent / "assessor")
    child = pexpect.spawn(exe, ["hypos", "quiz", "simple-prompt-one-shot", "--lang", "en"], encoding="utf-8",
                          timeout=60, env=dict(os.environ, COLUMNS="200"), dimensions=(50, 200))
    child.expect(r"whether the subject is a work\?")
    child.expect(r"Your prediction \(number; s to skip, q to quit\): ")
    child.sendline("3")  # not a work: the simple one-shot prompt is refuted
    child.expect("Correct.")
    child.expect(r"Your prediction")
    child.sendline("q")
    child.expect(r"Score: 1 of 1 predictions correct.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
