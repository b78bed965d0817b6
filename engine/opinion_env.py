"""The Jinja2 environment of the opinion: one per template set and language, with the
filters the judgment templates use (bilingual texts, case-file values, dates, money, Chinese
numerals, quoted free text) and the gettext catalogs, converted to Traditional Chinese with
OpenCC where asked. :mod:`engine.opinion` renders with it.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, StrictUndefined, TemplateError, pass_context
from markupsafe import Markup

from .i18n import OPINION_LANGS as LANGS, decimal, list_of, long_date, month_of, translations
from .model import Text
from .sandbox import FolderLoader, Sandbox

#: the marks of a block's start and of the end of its kind, in a rendered body
BLOCK_START, BLOCK_KIND_END = "\x1e", "\x1f"

# --------------------------------------------------------------------------- catalogs

class _Converted:
    """gettext functions whose results are converted (Simplified -> Traditional)."""

    def __init__(self, base, convert):
        self._base, self._convert = base, convert

    def gettext(self, m):
        return self._convert(self._base.gettext(m))

    def ngettext(self, s, p, n):
        return self._convert(self._base.ngettext(s, p, n))

    def pgettext(self, c, m):
        return self._convert(self._base.pgettext(c, m))

    def npgettext(self, c, s, p, n):
        return self._convert(self._base.npgettext(c, s, p, n))


@lru_cache(maxsize=None)
def _opencc(config: str):
    import opencc
    return opencc.OpenCC(config)


def identity(s: str) -> str:
    return s


@lru_cache(maxsize=64)
def environment(lang: str, variant: str, locale: str, search: tuple[str, ...], locale_dir: str) -> "Env":
    """The environment of one template set and language, made once: Jinja2 then compiles
    each template once per process (it re-reads a template whose file changed)."""
    return Env(lang, variant, locale, [Path(p) for p in search], Path(locale_dir))


class Env:
    """One sandboxed Jinja2 environment for one render language."""

    def __init__(self, lang: str, variant: str, locale: str, search: list[Path], locale_dir: Path):
        self.lang, self.variant, self.locale = lang, variant, locale
        convert = _opencc(LANGS[variant][1]).convert if LANGS[variant][1] and lang == "zh" else identity
        self.convert = convert
        env = Sandbox(
            loader=ChoiceLoader([FolderLoader(p) for p in search]),
            undefined=StrictUndefined, extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
            autoescape=lambda name: bool(name and name.endswith(".html.j2")),
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        tr = translations(lang, str(locale_dir))
        self.tr = _Converted(tr, convert) if convert is not identity else tr
        env.install_gettext_translations(self.tr, newstyle=True)  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        env.filters.update({
            "t": self.text, "label": self.label, "date": self.date, "money": self.money,
            "number": self.number, "numeral": self.numeral, "join_list": self.join_list,
            "labels": self.labels,
            "lcfirst": self.lcfirst, "value": self.value, "md": _md_escape, "nl2br": _nl2br,
            "sign_date": self.sign_date, "q": self.quoted,
        })
        env.globals.update({"blk": _blk, "lang": lang, "variant": variant})
        env.guard_filters()
        self.env = env

    # filters -------------------------------------------------------------------
    def text(self, t) -> str:
        if t is None or isinstance(t, StrictUndefined):
            raise TemplateError("the filter 't' needs a bilingual text, got nothing")
        return self.convert(t.get(self.lang)) if isinstance(t, Text) else self.convert(str(t))

    def value(self, value, context: str) -> str:
        """The label of a case-file value (an enum value, yes/no, a count) for field `context`."""
        if value is True:
            return self._("yes")
        if value is False:
            return self._("no")
        if value is None or value == "unknown":
            return self._("not stated")
        if isinstance(value, (int, float)):
            return self.number(value)
        return str(self.tr.pgettext(context, str(value)))

    def _(self, message: str, **variables) -> str:
        text = self.tr.gettext(message)
        return text % variables if variables else text

    def label(self, lab) -> str:
        if lab is None:
            return ""
        if isinstance(lab, Text):
            return self.text(lab)
        kind, *rest = lab.parts
        if kind == "entity":
            return self._("%(kind)s %(name)s", kind=self.tr.pgettext("entity", rest[0]), name=rest[1])
        if kind == "value":
            return str(self.tr.pgettext(rest[0], rest[1]))
        names = [self.label(x) for x in rest]
        out = names[0]
        for n in names[1:]:
            out = self._("%(first)s (%(second)s)", first=out, second=n)
        return out

    def labels(self, labs) -> str:
        """Names of several entities as one list, each linked entity's first part said once:
        证据E1（提示词、迭代调整的过程） rather than 证据E1（提示词）、证据E1（迭代调整的过程）."""
        grouped: dict = {}
        for lab in labs:
            parts = getattr(lab, "parts", None)
            if parts and parts[0] == "linked" and len(parts) == 3:
                grouped.setdefault(parts[1], []).append(parts[2])
            else:
                grouped.setdefault(lab, None)
        return self.join_list(
            self.label(head) if rest is None else
            self._("%(first)s (%(second)s)", first=self.label(head), second=self.join_list(map(self.label, rest)))
            for head, rest in grouped.items())

    def date(self, iso) -> str:
        """2024-03-15 -> 2024年3月15日 / March 15, 2024; 2023-10 -> 2023年10月 / October 2023."""
        s = str(iso)
        parts = [int(x) for x in s.split("-")]
        if len(parts) == 3:
            return long_date(date(*parts), self.locale)
        if len(parts) == 2:
            return month_of(date(parts[0], parts[1], 1), self.locale)
        return s

    def sign_date(self, iso) -> str:
        """The date under the signatures: 二〇二五年六月三十日 in Chinese, as `date` in English."""
        parts = [int(x) for x in str(iso).split("-")]
        if self.lang != "zh" or len(parts) != 3:
            return self.date(iso)
        y, m, d = parts
        return self.convert("".join("〇一二三四五六七八九"[int(ch)] for ch in str(y)) + "年"
                            + _zh_numeral(m) + "月" + _zh_numeral(d) + "日")

    @pass_context
    def quoted(self, context, text) -> str:
        """Free text from the case file: as it is in Chinese; in English, Chinese text is not
        spliced into the sentence but given in quotation marks, followed by the case file's
        English gloss of it when it has one (the template's `glosses`)."""
        text = str(text)
        if self.lang == "en" and re.search(r"[\u3400-\u9fff]", text):
            gloss = (context.get("glosses") or {}).get(text)
            return f"“{text}” ({gloss})" if gloss else f"“{text}”"
        return self.convert(text)

    def number(self, n) -> str:
        return decimal(n, self.locale)

    def money(self, amount) -> str:
        return self._("RMB %(amount)s", amount=self.number(amount))

    def numeral(self, n: int) -> str:
        """Issue and order numbers: 一、二 in Chinese, 1. 2. in English."""
        if self.lang == "zh":
            return self.convert(_zh_numeral(int(n)))
        return str(int(n))

    def join_list(self, items) -> str:
        items = [str(i) for i in items]
        if not items:
            return ""
        return "、".join(items) if self.lang == "zh" else list_of(items, self.locale)

    def lcfirst(self, s: str) -> str:
        if self.lang != "en" or len(s) < 2 or s[1].isupper():
            return s
        return s[0].lower() + s[1:]


def _zh_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def _blk(kind: str) -> Markup:
    if not re.fullmatch(r"[a-z][a-z_-]*", str(kind)):
        raise TemplateError(f"block kind {kind!r}: expected lowercase letters")
    return Markup(f"{BLOCK_START}{kind}{BLOCK_KIND_END}")


def _md_escape(text: str) -> str:
    text = re.sub(r"([\\`*_<>])", r"\\\1", str(text))
    text = re.sub(r"^([#+-])(\s)", r"\\\1\2", text)
    return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)


def _nl2br(text: str) -> Markup:
    return Markup("<br>\n").join(Markup.escape(line) for line in str(text).split("\n"))
