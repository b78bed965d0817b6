"""Interface text in Chinese and English, from the gettext catalogs in ``locale/`` (for every
front end: the terminal, the web, and the interview core's messages).

Catalogs are read with Babel straight from the .po files (no compile step to forget);
msgids are English. Legal texts never live here: they are bilingual in the rule pack.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGS = ("zh", "en")


@lru_cache(maxsize=None)
def _messages(lang: str, locale_dir: str) -> dict[tuple[str | None, str], str]:
    path = Path(locale_dir) / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        cat = read_po(f, locale=lang)
    return {(m.context, m.id): m.string for m in cat if m.id and m.string}


def catalog(lang: str, locale_dir: str = str(LOCALE_DIR)) -> dict[str, str]:
    return {mid: text for (ctx, mid), text in _messages(lang, locale_dir).items() if ctx is None}


def gettext(message: str, lang: str) -> str:
    """The text of `message` in `lang`; a missing translation is a bug the parity test catches."""
    return _messages(lang, str(LOCALE_DIR)).get((None, message), message)


def pgettext(context: str, message: str, lang: str) -> str:
    """A message with a context, e.g. the label of a case-file value (context: the field)."""
    return _messages(lang, str(LOCALE_DIR)).get((context, message), message)


def lang_of(lang: str) -> str:
    return "en" if lang == "en" else "zh"
