"""The opinion: a judgment-style draft rendered from the decision and its justification.

Pipeline: consultation -> :func:`engine.judgment_model.build_model` (the *opinion model*: the decision record,
the justification tree grouped into issues and per-rule reasoning paragraphs, findings,
evidence, citations, all as bilingual data) -> Jinja2 templates -> blocks -> Markdown,
HTML or DOCX.

This module knows no law and no judgment wording. The structure and wording of the
judgment belong to the rule pack: ``templates/<name>/``, named by ``templates:`` in its
``pack.yaml`` (Jinja2, sandboxed, ``StrictUndefined``); a pack without templates gets the
neutral decision report of ``templates/report/`` (holdings, reasons with citations,
findings), whose layouts every pack shares. The
boilerplate's translations in ``locale/`` (gettext catalogs read with Babel); every legal
text comes from the rule pack. The body template emits *blocks* (``blk("para")`` marks
the start of one); a block is a unit of layout that the format templates lay out, and the
unit of the parallel ``zh+en`` rendering (paragraph by paragraph). Traditional Chinese is
the Simplified rendering converted with OpenCC.

A court customises the opinion with a directory of templates that shadows the defaults
(``--templates DIR``); any rule's reasoning paragraph can be reworded in
``reasons/<rule id>.j2`` (e.g. ``reasons/cn.copyright_law.art003/work.j2``); the checker
of such a directory is :mod:`engine.template_check`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import ChoiceLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2 import TemplateSyntaxError
from markupsafe import Markup

from .docx_writer import write_docx
from .errors import AssessorError, Span
from .i18n import LOCALE_DIR, OPINION_LANGS as LANGS, translations
from .judgment_model import OpinionModel, build_model  # build_model: render_opinion decides, then drafts
from .model import RulePack, Text
from .casefile import Case
from .sandbox import (FolderLoader, FrozenList, RenderLimit, Sandbox, TemplateRefused,
                      frozen, render_bounded)
from .session import Consultation

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_ROOT = PACKAGE_DIR / "templates"
#: the neutral decision report and the layouts every pack's templates fall back on
REPORT_DIR = TEMPLATES_ROOT / "report"
#: the templates of the PRC pack (the default of `templates check` and of the tests)
TEMPLATES_DIR = TEMPLATES_ROOT / "cn"

FORMATS = ("md", "html", "docx")
CATALOG_LANGS = ("zh", "en")
BODY = "judgment.j2"
LAYOUT = {"md": "opinion.md.j2", "html": "opinion.html.j2"}
REASON_DEFAULT = "reasons/_default.j2"

_BLOCK_START, _BLOCK_KIND_END = "\x1e", "\x1f"


class OpinionError(AssessorError):
    """A template is broken (syntax, undefined name, unsafe access) or a language is unknown."""


# --------------------------------------------------------------------------- catalogs

class _Converted:
    """gettext functions whose results are converted (Simplified -> Traditional)."""

    def __init__(self, base: Translations, convert):
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


def _identity(s: str) -> str:
    return s


# --------------------------------------------------------------------------- rendering

@dataclass(frozen=True)
class Block:
    kind: str
    texts: list[tuple[str, str]]     # (language tag, text) in reading order


@lru_cache(maxsize=64)
def environment(lang: str, variant: str, locale: str, search: tuple[str, ...], locale_dir: str) -> "_Env":
    """The environment of one template set and language, made once: Jinja2 then compiles
    each template once per process (it re-reads a template whose file changed)."""
    return _Env(lang, variant, locale, [Path(p) for p in search], Path(locale_dir))


def pack_templates(pack: RulePack | None) -> Path:
    """The folder of a pack's own templates (``templates: <name>`` in pack.yaml), or the
    neutral decision report's for a pack that names none."""
    name = (pack.manifest.get("templates") if pack is not None else None)
    if not name:
        return REPORT_DIR
    folder = TEMPLATES_ROOT / name
    if not folder.is_dir():
        raise OpinionError(f"the rule pack names templates '{name}' but there is no folder {folder}",
                           Span(str(Path(pack.root) / "pack.yaml")), "a folder of templates under templates/")
    return folder


def search_path(templates: Path | None, pack_dir: Path) -> tuple[str, ...]:
    """Where templates are looked up, first found first: a court's overrides, the pack's own
    templates, then the neutral report (the layouts)."""
    return tuple(dict.fromkeys(str(p) for p in ([templates] if templates else []) + [pack_dir, REPORT_DIR]))


class _Env:
    """One sandboxed Jinja2 environment for one render language."""

    def __init__(self, lang: str, variant: str, locale: str, search: list[Path], locale_dir: Path):
        self.lang, self.variant, self.locale = lang, variant, locale
        convert = _opencc(LANGS[variant][1]).convert if LANGS[variant][1] and lang == "zh" else _identity
        self.convert = convert
        env = Sandbox(
            loader=ChoiceLoader([FolderLoader(p) for p in search]),
            undefined=StrictUndefined, extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
            autoescape=lambda name: bool(name and name.endswith(".html.j2")),
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        tr = translations(lang, str(locale_dir))
        self.tr = _Converted(tr, convert) if convert is not _identity else tr
        env.install_gettext_translations(self.tr, newstyle=True)
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
        return self.tr.pgettext(context, str(value))

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
            return self.tr.pgettext(rest[0], rest[1])
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
            return format_date(date(*parts), "long", locale=self.locale)
        if len(parts) == 2:
            return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=self.locale)
        return s

    def sign_date(self, iso) -> str:
        """The date under the signatures: 二〇二五年六月三十日 in Chinese, as `date` in English."""
        parts = [int(x) for x in str(iso).split("-")]
        if self.lang != "zh" or len(parts) != 3:
            return self.date(iso)
        y, m, d = parts
        return self.convert("".join("〇一二三四五六七八九"[int(ch)] for ch in str(y)) + "年"
                            + _zh_numeral(m) + "月" + _zh_numeral(d) + "日")

    def quoted(self, text) -> str:
        """Free text from the case file: as it is in Chinese; in English, Chinese text is not
        spliced into the sentence but given in quotation marks."""
        text = str(text)
        if self.lang == "en" and re.search(r"[\u3400-\u9fff]", text):
            return f"“{text}”"
        return self.convert(text)

    def number(self, n) -> str:
        return format_decimal(n, locale=self.locale)

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
        return "、".join(items) if self.lang == "zh" else format_list(items, locale=self.locale)

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
    return Markup(f"{_BLOCK_START}{kind}{_BLOCK_KIND_END}")


_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u201c\u201d"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
LINE_BLOCKS = ("provision",)   # blocks whose line breaks are kept


def _flow(text: str, lang: str) -> str:
    """Template lines joined into running text; no spaces around Chinese characters."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    out = re.sub(r"[ \t]{2,}", " ", " ".join(lines))
    return _CJK_SPACE.sub("", out) if lang == "zh" else out


def _split_blocks(text: str, lang: str) -> list[tuple[str, str]]:
    out = []
    for chunk in text.split(_BLOCK_START)[1:]:
        kind, _, body = chunk.partition(_BLOCK_KIND_END)
        if kind in LINE_BLOCKS:
            # verbatim texts: each line kept as it is in the rule pack
            body = "\n".join(line.strip() for line in body.strip().splitlines() if line.strip())
        else:
            body = _flow(body, lang)
        if body:
            out.append((kind, body))
    return out


def _name_subject(text: str, naming, lang: str) -> str:
    """The pack's generic term for the subject matter (涉案内容, "the subject") replaced by the
    name of the case's kind (涉案图片, "the image"); verbatim texts of law are left alone."""
    if not naming or lang not in naming:
        return text
    term, name = naming[lang]
    if lang != "en":
        return text.replace(term, name)
    # "the subject matter" is another phrase; a capital at a sentence's start is kept
    pattern = re.compile(r"\b([Tt])" + re.escape(term[1:]) + r"\b(?! matter)")
    return pattern.sub(lambda m: m.group(1) + name[1:], text)


def _md_escape(text: str) -> str:
    text = re.sub(r"([\\`*_<>])", r"\\\1", str(text))
    text = re.sub(r"^([#+-])(\s)", r"\\\1\2", text)
    return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)


def _nl2br(text: str) -> Markup:
    return Markup("<br>\n").join(Markup.escape(line) for line in str(text).split("\n"))


def error_location(exc: BaseException) -> Span | None:
    if isinstance(exc, TemplateRefused):
        return Span(exc.path, exc.line, exc.col)
    if isinstance(exc, TemplateSyntaxError):
        return Span(exc.filename or exc.name or "?", exc.lineno or 0)
    where = None
    tb = exc.__traceback__
    while tb is not None:
        fn = tb.tb_frame.f_code.co_filename
        if fn.endswith(".j2"):
            where = Span(fn, tb.tb_lineno)
        tb = tb.tb_next
    return where


def _run(template, context: dict) -> str:
    try:
        return render_bounded(template, context)
    except OpinionError:
        raise
    except Exception as e:  # noqa: BLE001 - every template failure becomes file:line
        raise OpinionError(_describe(e), error_location(e) or Span(template.filename or template.name)) from None


def _describe(e: BaseException) -> str:
    name = type(e).__name__
    if name == "SecurityError":
        return f"unsafe access refused by the sandbox: {e}"
    if name == "UndefinedError":
        return f"undefined name: {e}"
    if isinstance(e, RecursionError):
        return "render stopped: macros or includes call themselves without end"
    if isinstance(e, TemplateRefused):
        return f"template refused: {e.reason}"
    if isinstance(e, RenderLimit):
        return f"render stopped: {e}"
    return f"{name}: {e}"


def _get(env, name: str):
    try:
        return env.get_template(name)
    except TemplateNotFound:
        raise OpinionError(f"template '{name}' not found") from None
    except TemplateSyntaxError as e:
        raise OpinionError(f"syntax error: {e.message}", error_location(e)) from None
    except TemplateRefused as e:
        raise OpinionError(f"template refused: {e.reason}", error_location(e)) from None


def _reason_template(env, rule_id: str):
    try:
        return env.get_template(f"reasons/{rule_id}.j2")
    except TemplateNotFound:
        return _get(env, REASON_DEFAULT)
    except TemplateSyntaxError as e:
        raise OpinionError(f"syntax error: {e.message}", error_location(e)) from None
    except TemplateRefused as e:
        raise OpinionError(f"template refused: {e.reason}", error_location(e)) from None


def _render_body(model: OpinionModel, e: _Env) -> list[tuple[str, str]]:
    env = e.env

    def reason(paragraph: dict, mode: str = "full") -> str:
        t = _reason_template(env, paragraph["rule"]["id"])
        return _flow(_run(t, {**paragraph, "mode": mode, "lang": e.lang, "variant": e.variant,
                              "case": model["case"]}), e.lang)

    text = _run(_get(env, BODY), {**model, "reason": reason})
    blocks = [(k, _name_subject(b, model.get("subject_name"), e.lang) if k not in LINE_BLOCKS else b)
              for k, b in _split_blocks(text, e.lang)]
    if e.convert is not _identity:
        blocks = [(k, e.convert(b)) for k, b in blocks]
    return blocks


def render_opinion(pack: RulePack, case: Case, *, lang: str = "zh", fmt: str = "md",
                   templates: Path | None = None, case_digest: str | None = None,
                   locale_dir: Path = LOCALE_DIR) -> str | bytes:
    """Decide `case` and draft its opinion: Markdown or HTML text, or DOCX bytes."""
    if lang not in LANGS:
        raise OpinionError(f"unknown language '{lang}'", None, ", ".join(LANGS))
    if fmt not in FORMATS:
        raise OpinionError(f"unknown format '{fmt}'", None, ", ".join(FORMATS))
    with Consultation(pack, case) as c:
        model = build_model(pack, case, c, case_digest)
    return render_model(model, lang=lang, fmt=fmt, templates=templates, locale_dir=locale_dir,
                        pack_dir=pack_templates(pack))


def render_model(model: OpinionModel, *, lang: str, fmt: str, templates: Path | None = None,
                 locale_dir: Path = LOCALE_DIR, pack_dir: Path = TEMPLATES_DIR) -> str | bytes:
    """Render an opinion model with the templates of `pack_dir` (see :func:`pack_templates`),
    `templates` (a court's overrides) shadowing them."""
    langs, _, locale0 = LANGS[lang]
    search = search_path(templates, pack_dir)
    envs = [environment(lg, lang, locale0 if lg == "zh" else "en_US", search, str(locale_dir)) for lg in langs]
    model = frozen(model)   # templates read the model; they cannot change it (nor its stamp)
    per_lang = [_render_body(model, e) for e in envs]
    tags = [("zh-Hant" if LANGS[lang][1] else "zh-Hans") if lg == "zh" else "en" for lg in langs]
    first = per_lang[0]
    for other, e in zip(per_lang[1:], envs[1:]):
        if [k for k, _ in other] != [k for k, _ in first]:
            raise OpinionError(f"the '{e.lang}' rendering of {BODY} has a different block structure "
                               f"from '{envs[0].lang}': parallel texts need the same blocks in each language")
    blocks = [Block(kind, FrozenList((tags[i], per_lang[i][j][1]) for i in range(len(langs))))
              for j, (kind, _) in enumerate(first)]
    if fmt == "docx":
        _check_stamp("\n".join(t for b in blocks for _, t in b.texts), model, BODY, shown=False)
        return write_docx(blocks, model["stamp"])
    layout = _get(envs[0].env, LAYOUT[fmt])
    out = _run(layout, {"blocks": FrozenList(blocks), "stamp": model["stamp"], "html_lang": tags[0],
                        "parallel": len(langs) > 1, "title": blocks[0].texts[0][1] if blocks else ""})
    _check_stamp(out, model, layout.filename)
    return out


_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def _check_stamp(text: str, model: dict, template: str, shown: bool = True) -> None:
    """The reproducibility stamp is the model's, which no template can change; a layout must
    show it (the DOCX writer adds it itself), and no template may print another digest than
    the stamp's or one the case file itself gives (a file's hash in an evidence description)."""
    stamp = model["stamp"]
    true = {stamp["digest"], stamp["case_digest"]} | set(_DIGEST.findall(repr(model["case"])))
    for digest in _DIGEST.findall(text):
        if digest not in true:
            raise OpinionError(f"the opinion shows a digest ({digest[:19]}...) that is not the stamp's: "
                               f"templates may not write their own stamp", Span(template))
    missing = [k for k in ("version", "digest", "law_as_of", "case_digest") if stamp[k] and stamp[k] not in text]
    if shown and missing:
        raise OpinionError(f"the layout does not show the reproducibility stamp ({', '.join('stamp.' + k for k in missing)})",
                           Span(template), "{{ stamp.version }}, {{ stamp.digest }}, {{ stamp.law_as_of }} "
                           "and {{ stamp.case_digest }}")


def case_digest(path: Path) -> str:
    """The digest of a case file's bytes, for the opinion's stamp."""
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()
