"""Interface text in Chinese and English, from the gettext catalogs in ``locale/`` (for every
front end: the terminal, the web, and the interview core's messages).

Catalogs are read with Babel straight from the .po files (no compile step to forget);
msgids are English. Legal texts never live here: they are bilingual in the rule pack.
Babel is imported when a catalog is first read, not with this module: `assessor --help`
and `decide --format json` read none; and the interface's messages read once are kept in the
user's cache (by the digest of their .po file), so that a `decide` run after it imports
no Babel either.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from .caseformat import CaseFormat
from .output import user_cache, write_atomic
from .yamlsrc import parse_yaml

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog
    from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: the languages of the interface (and of the catalogs)
LANGS = ("zh", "en")
#: the opinion's --lang values: (render languages, OpenCC configuration or None, Babel locale
#: per language); here, not in engine/opinion.py, so that the front ends can offer them
#: without loading the opinion's libraries
OPINION_LANGS = {
    "zh": (("zh",), None, "zh_Hans_CN"),
    "zh-Hant": (("zh",), "s2tw", "zh_Hant_TW"),
    "zh-Hant-TW": (("zh",), "s2tw", "zh_Hant_TW"),
    "zh-Hant-HK": (("zh",), "s2hk", "zh_Hant_HK"),
    "en": (("en",), None, "en_US"),
    "zh+en": (("zh", "en"), None, "zh_Hans_CN"),
}


@lru_cache(maxsize=None)
def _catalog(lang: str, locale_dir: str) -> Catalog:
    """One catalog read once: the interface texts and the opinion's boilerplate share it."""
    from babel.messages.pofile import read_po

    path = Path(locale_dir) / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        return read_po(f, locale=lang)


@lru_cache(maxsize=None)
def _messages(lang: str, locale_dir: str) -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> msgstr, translated entries only; a plural entry (its id and text
    are tuples) is left out: the interface has none, and gettext here takes no count. Read
    from the user's cache when the .po file is the one cached (its digest names the entry)."""
    key = _cache_key(Path(locale_dir) / lang / "LC_MESSAGES" / "messages.po")
    hit = _cached(key) if key else None
    if hit is not None:
        return hit
    out = {(m.context, m.id): m.string for m in _catalog(lang, locale_dir)
           if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string}
    if key:
        _cache(key, out)
    return out


_CACHE_FORMAT = b"assessor.catalog/1\n"   # a new format of the entries is a new key
_CACHE_KEEP = 8                           # catalogs kept (one per language and version)


def _cache_key(po: Path) -> str | None:
    if os.environ.get("ASSESSOR_NO_CACHE"):
        return None
    try:
        return hashlib.sha256(_CACHE_FORMAT + po.read_bytes()).hexdigest()
    except OSError:
        return None   # no catalog: _catalog says so


def _cached(key: str) -> dict[tuple[str | None, str], str] | None:
    """The messages cached under `key`, or None (absent, unreadable or not what is written)."""
    try:
        rows = json.loads((user_cache("catalogs") / f"{key}.json").read_text("utf-8"))
        out = {(ctx, mid): text for ctx, mid, text in rows}
        ok = all(isinstance(c, (str, type(None))) and isinstance(m, str) and isinstance(t, str)
                 for (c, m), t in out.items())
        return out if ok else None
    except Exception:  # noqa: BLE001 -- a cache that cannot be read is read again from the .po file
        return None


def _cache(key: str, messages: dict[tuple[str | None, str], str]) -> None:
    try:
        folder = user_cache("catalogs")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        rows = [[ctx, mid, text] for (ctx, mid), text in messages.items()]
        write_atomic(folder / f"{key}.json", json.dumps(rows, ensure_ascii=False))
        for old in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 -- an unwritable cache (read-only home, full disk) is skipped
        pass


def catalog_messages(lang: str, locale_dir: Path = LOCALE_DIR) -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> msgstr of one catalog, translated entries only (no plural forms)."""
    return dict(_messages(lang, str(locale_dir)))


@lru_cache(maxsize=None)
def translations(lang: str, locale_dir: str) -> Translations:
    """The catalog as gettext translations (what Jinja2's i18n extension installs)."""
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    buf = io.BytesIO()
    write_mo(buf, _catalog(lang, locale_dir))
    buf.seek(0)
    return Translations(buf, domain="messages")


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


def extract_case_format(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """Babel extractor for a rule pack's ``case-format.yaml``: each enum value of the case
    file, with its field path as the message context (``pgettext("acts.kind", "online_posting")``),
    and each entity kind (``pgettext("entity", "evidence")``), so ``pybabel extract`` keeps the
    catalogs' labels of case-file values in step with the case format."""
    doc = parse_yaml(fileobj.read().decode("utf-8"), getattr(fileobj, "name", "case-format.yaml"))
    seen: set = set()
    for place in CaseFormat(doc.data).places:
        node = place.node
        if place.in_map:
            continue
        if node.get("entity") and ("entity", node["entity"]) not in seen:
            seen.add(("entity", node["entity"]))
            yield doc.span(place.where).line, "pgettext", ("entity", node["entity"]), []
        if node.get("type") == "enum":
            for i, v in enumerate(node.get("values") or []):
                if (place.name, str(v)) not in seen:
                    seen.add((place.name, str(v)))
                    yield doc.span(place.where + ("values", i)).line, "pgettext", (place.name, str(v)), []
    for kind in (doc.data.get("entities") or {}):
        if ("entity", kind) not in seen:
            seen.add(("entity", kind))
            yield doc.span(("entities", kind)).line, "pgettext", ("entity", kind), []


# ----------------------------------------------------------------- locale formats (Babel)

def long_date(day: date, locale: str) -> str:
    """2024-03-15 as 2024年3月15日 / March 15, 2024."""
    from babel.dates import format_date
    return str(format_date(day, "long", locale=locale))


def month_of(day: date, locale: str) -> str:
    """A month: 2023年10月 / October 2023."""
    from babel.dates import format_skeleton
    return str(format_skeleton("yMMMM", day, locale=locale))


def decimal(n: float, locale: str) -> str:
    from babel.numbers import format_decimal
    return str(format_decimal(n, locale=locale))


def list_of(items: list[str], locale: str) -> str:
    """a, b, and c in the locale's way."""
    from babel.lists import format_list
    return str(format_list(items, locale=locale))
