"""`assessor batch`: decide many case files, one process per core, with a progress bar on a
terminal and a summary table at the end."""
from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..engine import AssessorError, BatchJob, batch_columns, case_files, cores, load_pack, replacing, run_batch
from .diffview import holding_text
from .i18n import gettext
from .main import DEFAULT_PACK, RulesOpt, app, fail
from .opinion import OpinionFormat, OpinionLang


class BatchFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


@app.command("batch")
def batch_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Case files and folders (walked for .yaml, .yml, .json).")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes (0: one per core).")] = 0,
    format: Annotated[BatchFormat, typer.Option("--format", help="jsonl (decision records) or csv (holdings).")] = BatchFormat.jsonl,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the results to FILE, not stdout.")] = None,
    opinions: Annotated[Optional[Path], typer.Option("--opinions", help="Also draft each case's opinion into DIR.")] = None,
    lang: Annotated[OpinionLang, typer.Option("--lang", help="Language of the opinions and the summary.")] = OpinionLang("zh"),
    opinion_format: Annotated[OpinionFormat, typer.Option("--opinion-format", help="md, html or docx.")] = OpinionFormat.md,
    rules: RulesOpt = DEFAULT_PACK,
) -> None:
    """Decide many case files; a bad file is reported (file:line) and the run goes on; exit 1 if any failed."""
    # imported here, not with the module: every command registers at start-up, and only this
    # one shows a progress bar and a table (rich is a tenth of the start-up of `decide`)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    err = Console(stderr=True, highlight=False)
    lg = "en" if lang.value == "en" else "zh"
    _ = lambda m: gettext(m, lg)
    try:
        pack = load_pack(rules)  # a broken pack is one error before any worker starts
    except AssessorError as e:
        fail(e)
    for where, what in ((output, "-o"), (opinions, "--opinions")):
        if where is not None and where.exists() and (where.is_dir() != (what == "--opinions")):
            typer.echo(f"error: {where}: {what} expects " + ("a directory" if what == "--opinions" else "a file"), err=True)
            raise typer.Exit(1)
    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.echo(f"error: {missing[0]}: no such file or directory", err=True)
        raise typer.Exit(1)
    files, skipped = case_files(paths, pack.case_format["format"])
    if opinions is not None:
        opinions.mkdir(parents=True, exist_ok=True)
    job = BatchJob(str(rules), format.value, lang.value if opinions else None, opinion_format.value)
    workers = jobs or cores()
    counts: Counter = Counter()
    failed = 0
    start = time.perf_counter()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, transient=True, disable=not err.is_terminal)
    try:
        # a file is written beside its place and takes it at the end: a run that fails or is
        # interrupted leaves the previous results (or none), never a part of the new ones
        with replacing(output, inputs=files) if output else nullcontext(sys.stdout) as out:
            if format is BatchFormat.csv:
                csv.writer(out, lineterminator="\n").writerow(batch_columns(pack))
            with progress:
                task = progress.add_task(_("Deciding"), total=len(files))
                for result in run_batch(files, job, workers, opinions):
                    out.write(result["line"] + "\n")
                    if result["error"]:
                        failed += 1
                        progress.console.print(f"error: {result['error']}", markup=False, soft_wrap=True)
                    else:
                        counts[result["disposition"]] += 1
                    progress.advance(task)
    except AssessorError as e:
        fail(e)
    elapsed = time.perf_counter() - start
    table = Table(title=_("Batch summary"), show_header=True)
    table.add_column(_("Disposition"))
    table.add_column(_("Cases"), justify="right")
    for value, n in sorted(counts.items(), key=lambda x: -x[1]):
        table.add_row(holding_text(pack, "disposition", value, lg), str(n))
    table.add_row(_("Files that failed"), str(failed))
    if skipped:
        table.add_row(_("Files skipped (not case files)"), str(len(skipped)))
    rate = len(files) / elapsed if elapsed else 0.0
    summary = _("%(n)s files in %(s).1f s with %(j)s processes (%(r).0f per second)") % {
        "n": len(files), "s": elapsed, "j": min(workers, max(1, len(files))), "r": rate}
    err.print(table)
    err.print(summary, soft_wrap=True)
    if failed:
        raise typer.Exit(1)
