"""Bilingual parity of the web pages: every message in web/ (templates and code) has its
Chinese and its English text in the catalogs."""
from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from assessor.cli.i18n import catalog

WEB = Path(__file__).resolve().parents[2] / "web"


def web_messages() -> set[str]:
    found = extract_from_dir(str(WEB), method_map=[("**.py", "python"), ("templates/**.html", "jinja2")],
                             options_map={"templates/**.html": {"trimmed": "true"}},
                             keywords={"_": None, "N_": None, "gettext": None})
    out = set()
    for _file, _line, message, _comments, _context in found:
        out.add(message if isinstance(message, str) else message[0])
    return out


def test_every_web_message_is_in_both_catalogs():
    messages = web_messages()
    assert len(messages) > 60
    for lang in ("zh", "en"):
        missing = sorted(m for m in messages if not catalog(lang).get(m))
        assert not missing, f"{lang}: {missing}"
