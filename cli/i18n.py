"""Interface text for the command line: the engine's catalog reader (engine/i18n.py)."""
from __future__ import annotations

from ..engine import LANGS, LOCALE_DIR, catalog, gettext, lang_of, pgettext

__all__ = ["LANGS", "LOCALE_DIR", "catalog", "gettext", "lang_of", "pgettext"]
