"""`assessor opinion` (draft the judgment-style opinion) and `assessor templates check`."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..engine import OPINION_LANGS, AssessorError, check_output, load_pack, read_case, write_atomic

DEFAULT_PACK = Path(__file__).resolve().parent.parent / "rules" / "cn"

templates_app = typer.Typer(no_args_is_help=True, help="Check a court's opinion templates.")

OpinionLang = Enum("OpinionLang", {k.replace("-", "_").replace("+", "_"): k for k in OPINION_LANGS}, type=str)


class OpinionFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


def opinion_cmd(
    case: Annotated[Path, typer.Argument(help="Case file (assessor.case/1, YAML or JSON).")],
    format: Annotated[OpinionFormat, typer.Option("--format", help="md, html or docx.")] = OpinionFormat.md,
    lang: Annotated[OpinionLang, typer.Option(
        "--lang", help="zh (authoritative), zh-Hant (Taiwan standard; zh-Hant-HK for Hong Kong), "
                       "en (unofficial translation) or zh+en (parallel).")] = OpinionLang("zh"),
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to FILE instead of stdout.")] = None,
    templates: Annotated[Optional[Path], typer.Option(
        "--templates", help="A directory of templates overriding the defaults (e.g. reasons/<rule id>.j2).")] = None,
    rules: Annotated[Path, typer.Option("--rules", help="Rule pack directory.")] = DEFAULT_PACK,
) -> None:
    """Draft the opinion of a case in the style of a Chinese civil judgment."""
    if templates is not None and not templates.is_dir():
        typer.echo(f"error: {templates}: not a directory of templates", err=True)
        raise typer.Exit(2)
    if format is OpinionFormat.docx and output is None:
        typer.echo("error: --format docx needs -o FILE", err=True)
        raise typer.Exit(2)
    from ..engine import case_digest, render_opinion   # Jinja2 and the rest load only for opinions

    try:
        if output is not None:
            check_output(output, inputs=(case,))   # before the work, not after it
        pack = load_pack(rules)
        case_ = read_case(case, pack)
        out = render_opinion(pack, case_, lang=lang.value, fmt=format.value, templates=templates,
                             case_digest=case_digest(case))
        if output is not None:
            write_atomic(output, out)
    except AssessorError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from None
    if output is None:
        typer.echo(out, nl=False)


#: the cases `templates check` drafts the opinion of, by default: the pack's two decided examples
TRIAL_CASES = ("cat-pendant.yaml", "li-v-liu.yaml")


@templates_app.command("check")
def templates_check(
    directory: Annotated[Path, typer.Argument(help="Templates directory (a court's overrides, or the pack's own, e.g. templates/cn).")],
    cases: Annotated[Optional[list[Path]], typer.Option(
        "--case", help="A case file to draft with the templates (repeatable; default: the pack's examples).")] = None,
    rules: Annotated[Path, typer.Option("--rules", help="Rule pack directory.")] = DEFAULT_PACK,
) -> None:
    """Report links leaving the folder, unreadable files, syntax errors, undefined names,
    unknown filters, unsafe access, changes to the data and missing translations in a
    directory of templates, each as file:line; then draft example opinions with them and
    report what fails or runs past the render limits. Exit 1 if there are any problems."""
    if not directory.is_dir():
        typer.echo(f"error: {directory}: not a directory", err=True)
        raise typer.Exit(2)
    from ..engine import check_templates   # Jinja2 loads only for this command

    try:
        pack = load_pack(rules)
        paths = cases or [p for p in (rules / "hypos" / name for name in TRIAL_CASES) if p.is_file()]
        problems = check_templates(directory, trial=(pack, [read_case(p, pack) for p in paths]))
    except AssessorError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from None
    for p in problems:
        typer.echo(p, err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {directory}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{directory}: templates OK")
