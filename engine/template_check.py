"""The template checker of `assessor templates check`: what a court's templates would get
wrong, found before any opinion is drafted (each problem as ``file:line: message``), then a
trial render of example cases under the render limits.

It reads the templates as Jinja2 syntax trees (names no context defines, unknown filters,
private attributes, calls that change the data) and the catalogs (messages with no
translation); the rendering itself is :mod:`engine.opinion`'s.
"""
from __future__ import annotations

import os
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes
from jinja2.ext import extract_from_ast

from .casefile import Case
from .i18n import catalog_messages
from .judgment_model import build_model
from .model import RulePack
from .opinion import (CATALOG_LANGS, LAYOUT, LOCALE_DIR, TEMPLATES_DIR, OpinionError,
                      environment, error_location, pack_templates, render_model,
                      search_path)
from .sandbox import FolderLoader, TemplateRefused
from .session import Consultation

#: names each kind of template may use besides the i18n functions and globals
CONTEXT_NAMES = {
    "body": {"case", "record", "holdings", "disposition", "disposition_says", "remedies", "issues",
             "not_reached", "closing", "findings", "evidence", "acts", "basis", "fee_basis", "appendix",
             "cases_cited", "stamp", "reason", "answers", "defences", "defences_stated", "basis_ids", "late_performance",
             "subject_name", "glosses", "missing_law", "remedy_cites"},
    "layout": {"blocks", "stamp", "html_lang", "parallel", "title"},
    "reason": {"rule", "applications", "groups", "open_textured", "mode", "case"},
}
_GLOBALS = {"blk", "lang", "variant", "_", "gettext", "ngettext", "pgettext", "npgettext", "range",
            "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller", "varargs", "kwargs"}


def _template_kind(name: str) -> str:
    if name.startswith("reasons/"):
        return "reason"
    if name in LAYOUT.values():
        return "layout"
    return "body"


#: methods that change a list, dict or set: templates may call them on what they make, not on
#: the data they are given
MUTATORS = {"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "popitem",
            "sort", "reverse", "add", "discard", "difference_update", "intersection_update",
            "symmetric_difference_update"}


def _template_files(directory: Path, problems: list[str]) -> list[tuple[Path, str]]:
    """The readable ``*.j2`` files of `directory` and their text; what a render would refuse
    (links leaving the folder, directories named like templates, non-UTF-8 or oversized files)
    goes to `problems`."""
    root, loader = directory.resolve(), FolderLoader(directory)
    out = []
    for here, dirs, files in os.walk(directory):
        for name in sorted(dirs + files):
            path = Path(here) / name
            real = path.resolve()
            if path.is_symlink() and real != root and root not in real.parents:
                problems.append(f"{path}: a link that leads outside the template folder (to {real}); "
                                f"templates cannot read it")
            elif name.endswith(".j2"):
                try:
                    out.append((path, loader.get_source(None, path.relative_to(directory).as_posix())[0]))
                except TemplateRefused as err:
                    problems.append(f"{error_location(err)}: {err.reason}")
        dirs[:] = sorted(d for d in dirs if not (Path(here) / d).is_symlink())
    return sorted(out)


def check_templates(directory: Path, locale_dir: Path = LOCALE_DIR,
                    trial: tuple[RulePack, list[Case]] | None = None) -> list[str]:
    """Problems in the templates of `directory`, each as ``file:line: message``.

    Reports links that leave the folder, files that are not UTF-8 templates, syntax errors,
    names no template context defines, unknown filters and tests, access to private
    attributes (``_x``, ``__class__``: the sandbox refuses them), calls that would change
    the data templates are given (``stamp.update(...)``), and messages (``_("...")``) that
    have no Chinese or English translation. When all that is clean and `trial` gives a pack
    and cases, the opinion of each case is rendered with the templates (Markdown and HTML,
    zh, en and zh+en) under the render limits, and what fails is reported.
    """
    directory = Path(directory)
    pack_dir = pack_templates(trial[0]) if trial else TEMPLATES_DIR
    e = environment("zh", "zh", "zh_Hans_CN", search_path(directory, pack_dir), str(locale_dir))
    env = e.env
    msgs = {lg: catalog_messages(lg, locale_dir) for lg in CATALOG_LANGS}
    problems: list[str] = []
    for path, source in _template_files(directory, problems):
        name = path.relative_to(directory).as_posix()
        try:
            ast = env.parse(source, name, str(path))
        except TemplateSyntaxError as err:
            problems.append(f"{path}:{err.lineno}: syntax error: {err.message}")
            continue
        allowed = CONTEXT_NAMES[_template_kind(name)] | _GLOBALS | set(env.globals)
        declared = _declared(ast)
        for n in ast.find_all(nodes.Name):
            if n.ctx == "load" and n.name not in allowed and n.name not in declared:
                problems.append(f"{path}:{n.lineno}: undefined name '{n.name}'")
        for f in ast.find_all(nodes.Filter):
            if f.name not in env.filters:
                problems.append(f"{path}:{f.lineno}: unknown filter '{f.name}'")
        for t in ast.find_all(nodes.Test):
            if t.name not in env.tests:
                problems.append(f"{path}:{t.lineno}: unknown test '{t.name}'")
        for g in ast.find_all(nodes.Getattr):
            if g.attr.startswith("_"):
                problems.append(f"{path}:{g.lineno}: access to '{g.attr}' is not allowed "
                                f"(templates cannot reach Python internals)")
        for item in ast.find_all(nodes.Getitem):
            if isinstance(item.arg, nodes.Const) and isinstance(item.arg.value, str) and item.arg.value.startswith("_"):
                problems.append(f"{path}:{item.lineno}: access to '{item.arg.value}' is not allowed "
                                f"(templates cannot reach Python internals)")
        for call in ast.find_all(nodes.Call):
            target = call.node
            if isinstance(target, nodes.Getattr) and target.attr in MUTATORS:
                base = target.node
                while isinstance(base, (nodes.Getattr, nodes.Getitem)):
                    base = base.node
                if isinstance(base, nodes.Name) and base.name in allowed - declared:
                    problems.append(f"{path}:{call.lineno}: '{base.name}' is read-only: templates cannot "
                                    f"change the data they are given ({target.attr})")
        # what the i18n extension's env.extract_translations(ast) returns, called directly
        for lineno, func, message in extract_from_ast(ast):
            key: tuple[str | None, str | None]
            if isinstance(message, str):
                key = (None, message)
            elif isinstance(message, tuple) and len(message) > 1 and func == "pgettext":
                key = (message[0], message[1])
            elif isinstance(message, tuple) and message:
                key = (None, message[0])
            else:
                continue  # no text to look up (the message is not a constant)
            if not isinstance(key[1], str):
                continue
            for lg in CATALOG_LANGS:
                if key not in msgs[lg]:
                    problems.append(f"{path}:{lineno}: message {key[1]!r} has no '{lg}' translation "
                                    f"in {locale_dir / lg / 'LC_MESSAGES' / 'messages.po'}")
    if trial and not problems:
        problems += _trial_renders(directory, *trial, locale_dir)
    return problems


def _trial_renders(directory: Path, pack: RulePack, cases: list[Case], locale_dir: Path) -> list[str]:
    problems: list[str] = []
    pack_dir = pack_templates(pack)
    for case in cases:
        with Consultation(pack, case) as c:
            model = build_model(pack, case, c)
        for fmt in ("md", "html"):
            for lang in ("zh", "en", "zh+en"):
                try:
                    render_model(model, lang=lang, fmt=fmt, templates=directory, locale_dir=locale_dir,
                                 pack_dir=pack_dir)
                except OpinionError as err:
                    problem = f"{err} (the opinion of {case.source}, {fmt}, {lang})"
                    if not any(p.startswith(str(err)) for p in problems):
                        problems.append(problem)
                    if "render stopped" in err.message:
                        return problems   # one runaway render is enough: don't wait for it again
    return problems


def _declared(ast) -> set[str]:
    out: set[str] = set()
    for n in ast.find_all((nodes.Assign, nodes.For, nodes.AssignBlock)):
        target = n.target
        for name in ([target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))):
            out.add(name.name)
    for n in ast.find_all(nodes.Macro):
        out.add(n.name)
        out |= {a.name for a in n.args}
    for n in ast.find_all((nodes.Import, nodes.FromImport)):
        if isinstance(n, nodes.Import):
            out.add(n.target)
        else:
            out |= {x if isinstance(x, str) else x[1] for x in n.names}
    return out
