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
from pathlib import Path

from jinja2 import TemplateNotFound
from jinja2 import TemplateSyntaxError

from .docx_writer import write_docx
from .opinion_env import BLOCK_KIND_END as _BLOCK_KIND_END, BLOCK_START as _BLOCK_START, Env as _Env
from .opinion_env import environment, identity as _identity
from .errors import AssessorError, Span
from .i18n import LOCALE_DIR, OPINION_LANGS as LANGS
from .judgment_model import OpinionModel, build_model  # build_model: render_opinion decides, then drafts
from .model import RulePack
from .casefile import Case
from .sandbox import (FrozenList, RenderLimit, TemplateRefused,
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



class OpinionError(AssessorError):
    """A template is broken (syntax, undefined name, unsafe access) or a language is unknown."""


# --------------------------------------------------------------------------- rendering

@dataclass(frozen=True)
class Block:
    kind: str
    texts: list[tuple[str, str]]     # (language tag, text) in reading order


def pack_templates(pack: RulePack | None) -> Path:
    """The folder of a pack's own templates (``templates: <name>`` in pack.yaml), or the
    neutral decision report's for a pack that names none."""
    name = (pack.manifest.get("templates") if pack is not None else None)
    if pack is None or not name:
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
