"""Decide many case files: one worker process per core, the rule pack loaded once in each.

Results come back in the order of the files, each as one small dict (the output line is
serialised in the worker, so the parent only writes), and nothing is kept once written:
memory stays flat however many files there are. A file that cannot be read or decided is
one result with its ``file:line:col`` message; the run goes on. Knows no law.
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .casefile import read_case
from .decision import build_record
from .errors import AssessorError
from .loader import load_pack
from .decision_map import Form, decision_map, of_form
from .session import Consultation

CASE_SUFFIXES = (".yaml", ".yml", ".json")


def case_files(paths: Iterable[Path], case_format: str) -> tuple[list[Path], list[Path]]:
    """The case files named or found under folders (sorted), and the files found in folders
    that are not case files (an index, notes). Files named explicitly are always kept; a file
    found in a folder is a case file when it names the pack's case format (`case_format`, as
    ``assessor.case/1``: any version of it)."""
    mark = case_format.rsplit("/", 1)[0] + "/"
    files: list[Path] = []
    skipped: list[Path] = []
    for p in map(Path, paths):
        if not p.is_dir():
            files.append(p)
            continue
        for f in sorted(x for x in p.rglob("*") if x.suffix in CASE_SUFFIXES and x.is_file()):
            try:
                is_case = mark in f.read_text(encoding="utf-8", errors="replace")
            except OSError:
                is_case = True  # let the worker report why it cannot be read
            (files if is_case else skipped).append(f)
    return files, skipped


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Job:
    rules: str
    format: str                  # jsonl | csv
    opinion_lang: str | None     # draft an opinion too, in this language
    opinion_format: str = "md"


_worker: dict = {}


def _start(job: Job) -> None:
    _worker["job"] = job
    _worker["pack"] = load_pack(job.rules)


def columns(pack) -> list[str]:
    """The CSV columns: the file, whether it was decided, the holdings (a list of entities
    joined by ';'), the fees (remedies of the form ``fee``), the error."""
    m = decision_map(pack)
    return ["file", "status", *m["holdings"], *(m.get("entity_lists") or {}), "disposition",
            *of_form(m["remedies"], Form.FEE), "error"]


def _line(job: Job, pack, file: str, record: dict | None, error: str | None) -> str:
    if job.format == "jsonl":
        out = {"file": file, "ok": error is None}
        out.update({"decision": record} if error is None else {"error": error})
        return json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    row = dict.fromkeys(columns(pack), "")
    row.update(file=file, status="ok" if error is None else "error", error=error or "")
    if record:
        row.update({k: ";".join(v) if isinstance(v, list) else v for k, v in record["holdings"].items()})
        for key in of_form(decision_map(pack)["remedies"], Form.FEE):
            fee = record["remedies"].get(key)
            row[key] = "" if fee is None else fee
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row.values())
    return buf.getvalue()


def decide_file(task: tuple[str, str | None]) -> dict:
    """Decide one file (and draft its opinion into `task[1]`); never raises for bad input."""
    file, opinion_out = task
    job, pack = _worker["job"], _worker["pack"]
    try:
        case = read_case(file, pack)
        with Consultation(pack, case) as c:
            record = build_record(pack, case, c)
            if opinion_out:
                _write_opinion(pack, case, c, job, file, opinion_out)
    except AssessorError as e:
        return {"file": file, "error": str(e), "line": _line(job, pack, file, None, str(e))}
    except (OSError, UnicodeDecodeError) as e:
        msg = f"{file}: cannot be read: {e.strerror if isinstance(e, OSError) else e.reason}"
        return {"file": file, "error": msg, "line": _line(job, pack, file, None, msg)}
    return {"file": file, "error": None, "disposition": record["holdings"]["disposition"],
            "line": _line(job, pack, file, record, None)}


def _write_opinion(pack, case, c, job: Job, file: str, out: str) -> None:
    from .judgment_model import build_model  # only when opinions are asked for
    from .opinion import case_digest, pack_templates, render_model
    from .output import write_atomic
    if job.opinion_lang is None:
        raise ValueError("a batch that drafts opinions needs their language (Job.opinion_lang)")
    model = build_model(pack, case, c, case_digest(Path(file)))
    text = render_model(model, lang=job.opinion_lang, fmt=job.opinion_format, pack_dir=pack_templates(pack))
    write_atomic(out, text)   # a failed write (a full disk) leaves no partial opinion


def opinion_names(files: list[Path], directory: Path, ext: str) -> list[str]:
    """One opinion file per case, named after the case file (two files of one name get -2, -3...)."""
    used: dict[str, int] = {}
    out = []
    for f in files:
        n = used[f.stem] = used.get(f.stem, 0) + 1
        out.append(str(directory / (f"{f.stem}.{ext}" if n == 1 else f"{f.stem}-{n}.{ext}")))
    return out


def run(files: list[Path], job: Job, jobs: int, opinions: Path | None = None) -> Iterator[dict]:
    """Decide `files` with `jobs` worker processes (1: in this process), in order."""
    names = opinion_names(files, opinions, job.opinion_format) if opinions else [None] * len(files)
    tasks = [(str(f), n) for f, n in zip(files, names)]
    if jobs <= 1 or len(tasks) <= 1:
        _start(job)
        yield from map(decide_file, tasks)
        return
    ctx = multiprocessing.get_context("spawn")  # fresh workers: no durable_rules state inherited
    chunk = max(1, min(32, len(tasks) // (jobs * 8)))
    with ctx.Pool(jobs, initializer=_start, initargs=(job,)) as pool:
        yield from pool.imap(decide_file, tasks, chunksize=chunk)
