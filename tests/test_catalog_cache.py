"""The interface's messages, read once from a .po file with Babel, are kept in the user's cache
by the file's digest: read back without Babel while the file is unchanged, read again when it
changes, and never a reason for a command to fail."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from assessor.engine import i18n

from .conftest import HYPOS


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    i18n._messages.cache_clear()
    yield tmp_path / "cache" / "assessor" / "catalogs"
    i18n._messages.cache_clear()


def _no_babel(*_args):
    raise AssertionError("the catalog was parsed again")


def test_messages_are_read_back_from_the_cache_without_parsing_the_catalog(fresh, monkeypatch):
    first = i18n.catalog_messages("en")
    assert first[(None, "Disposition")] and len(list(fresh.glob("*.json"))) == 1
    i18n._messages.cache_clear()
    monkeypatch.setattr(i18n, "_catalog", _no_babel)
    assert i18n.catalog_messages("en") == first


def test_a_changed_catalog_is_read_again(fresh, tmp_path):
    i18n.catalog_messages("en")
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR / "en", locale / "en")
    po = locale / "en" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text("utf-8") + '\nmsgid "A new message"\nmsgstr "A new message, translated"\n', "utf-8")
    assert i18n.catalog_messages("en", locale)[(None, "A new message")] == "A new message, translated"
    assert len(list(fresh.glob("*.json"))) == 2


def test_an_unreadable_cache_is_read_from_the_catalog(fresh):
    first = i18n.catalog_messages("zh")
    for entry in fresh.glob("*.json"):
        entry.write_text("[[1, 2]]", "utf-8")
    i18n._messages.cache_clear()
    assert i18n.catalog_messages("zh") == first


@pytest.mark.slow  # two processes
def test_a_warm_decide_imports_no_babel(tmp_path):
    script = ("import sys\nfrom assessor.cli.main import app\nsys.argv = ['assessor', 'decide', sys.argv[1]]\n"
              "try:\n    app()\nexcept SystemExit:\n    pass\nprint('babel' in sys.modules, file=sys.stderr)\n")
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", script, str(HYPOS / "cat-pendant.yaml")], env=env,
                           capture_output=True, text=True, check=True) for _ in range(2)]
    assert [r.stderr.split()[-1] for r in runs] == ["True", "False"]
    assert runs[0].stdout == runs[1].stdout and "裁判结果" in runs[1].stdout
