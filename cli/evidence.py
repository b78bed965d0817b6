"""`assessor evidence import` and `assessor trace init|add|watch|verify|export`.

Both write into a case file only after everything was read and the new case file validates:
the file is then replaced atomically; on any error it is left as it was.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..engine import AssessorError, Located, build_case, load_pack, load_yaml
# the readers load Pillow, c2pa-python, cryptography and asn1crypto (about 150 ms): each
# command imports what it needs, so the other `assessor` commands start without them
from .i18n import gettext, pgettext
from . import interview  # the case file as the interview writes it (imported as a module: no cycle)
from .main import DEFAULT_PACK, Lang, LangOpt, RulesOpt, fail

if TYPE_CHECKING:
    from ..evidence.items import Item

evidence_app = typer.Typer(no_args_is_help=True, help="Add evidence items to a case file from real files.")
trace_app = typer.Typer(no_args_is_help=True, help="Keep a tamper-evident trace of a generation session.")

CaseOpt = Annotated[Path, typer.Option("--case", help="The case file to add the items to (assessor.case/1).")]
SubjectOpt = Annotated[Optional[Path], typer.Option(
    "--subject", help="The image in dispute: decides whether each file matches it.")]
DirArg = Annotated[Path, typer.Argument(help="The trace folder.")]
KeyOpt = Annotated[Optional[Path], typer.Option("--key", help="Ed25519 private key (PEM) kept outside the trace.")]


def _write_case(case: Path, rules: Path, change) -> None:
    """Read and validate `case`, let `change(data)` add to it, validate again, replace atomically."""
    pack = load_pack(rules)
    doc = load_yaml(case)
    build_case(doc, pack)                     # the case file as it is must be valid
    original, closed, skipped = interview.read_state(case)
    data = doc.data
    change(data)
    build_case(Located(data, {}, str(case)), pack)
    text = interview.dump_case(data, pack.case_format, closed, skipped)
    if text != original:
        interview.save_atomic(case, text)


def _report(added: list[tuple[str, Item]], items: list[Item], lang: str) -> None:
    label = lambda field, value: pgettext(f"evidence.{field}", value, lang)
    sep = "、" if lang == "zh" else ", "
    for item_id, it in added:
        proves = sep.join(label("proves", p) for p in it.proves) or "-"
        typer.echo(f"{item_id}: {gettext('added', lang)} · {label('kind', it.kind)} · {gettext('to prove', lang)}: "
                   f"{proves} · {label('timing', it.timing)} · {gettext('matches the subject', lang)}: "
                   f"{label('matches_subject', it.matches_subject)}")
        typer.echo(f"    {it.description}")
    for it in items:
        if all(it is not a for _, a in added):
            typer.echo(gettext("already in the case file: %(file)s", lang) % {"file": it.source})


@evidence_app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="PNG/JPEG/WebP images, conversations.json or its zip, CSV.")],
    case: CaseOpt,
    subject: SubjectOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = DEFAULT_PACK,
) -> None:
    """Read generation metadata, C2PA manifests and account exports into evidence items."""
    from ..evidence.importer import Subject, import_file
    from ..evidence.items import add_items
    try:
        subj = Subject(subject)
        items = [it for f in files for it in import_file(f, subj, lang.value)]
        added: list[tuple[str, Item]] = []
        _write_case(case, rules, lambda data: added.extend(add_items(data, items)))
    except AssessorError as e:
        fail(e)
    _report(added, items, lang.value)


@trace_app.command("init")
def init_cmd(folder: DirArg,
             sign: Annotated[bool, typer.Option("--sign", help="Sign every entry with a new Ed25519 key.")] = False,
             key: KeyOpt = None, lang: LangOpt = Lang.zh) -> None:
    """Start a trace in FOLDER."""
    from ..evidence import trace as tr
    try:
        entry = tr.init(folder, sign=sign, key=key)
    except AssessorError as e:
        fail(e)
    typer.echo(gettext("trace started in %(dir)s at %(time)s", lang.value) % {"dir": folder, "time": entry["time"]})
    if sign:
        typer.echo(gettext("entries will be signed with the key in %(key)s: keep it where only you can read it",
                           lang.value) % {"key": key or folder / tr.KEY})


def _params(values: list[str]) -> dict:
    out: dict = {}
    for v in values:
        if v.lstrip().startswith("{"):
            try:
                out.update(json.loads(v))
                continue
            except (ValueError, TypeError):
                pass
        if "=" not in v:
            typer.echo(f"error: --params {v!r}: expected KEY=VALUE or a JSON object", err=True)
            raise typer.Exit(2)
        k, _, val = v.partition("=")
        out[k.strip()] = val.strip()
    return out


@trace_app.command("add")
def add_cmd(
    folder: DirArg,
    prompt: Annotated[str, typer.Option("--prompt", help="The prompt as entered.")] = "",
    params: Annotated[Optional[list[str]], typer.Option("--params", help="KEY=VALUE (repeat) or a JSON object.")] = None,
    output: Annotated[Optional[list[Path]], typer.Option("--output", help="An output file (repeat).")] = None,
    selected: Annotated[Optional[list[Path]], typer.Option("--selected", help="The output you chose (repeat).")] = None,
    note: Annotated[str, typer.Option("--note", help="What you did or decided, in your words.")] = "",
    key: KeyOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Record one step: a prompt, its parameters, the outputs, the choice, a note."""
    from ..evidence import trace as tr
    try:
        entry = tr.add(folder, prompt, _params(params or []), output or [], selected or [], note, key=key)
    except AssessorError as e:
        fail(e)
    typer.echo(gettext("entry %(n)d recorded at %(time)s (%(hash)s)", lang.value) % {
        "n": entry["seq"], "time": entry["time"], "hash": entry["hash"][:16]})


@trace_app.command("watch")
def watch_cmd(
    folder: DirArg,
    outputs: Annotated[Path, typer.Option("--folder", help="The generator's output folder to follow.")],
    interval: Annotated[float, typer.Option("--interval", help="Seconds between looks.")] = 2.0,
    once: Annotated[bool, typer.Option("--once", help="Record what is new now, then stop.")] = False,
    key: KeyOpt = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Follow a generator's output folder: record each new image with the prompt and
    parameters its metadata carries (A1111/Forge, ComfyUI, NovelAI). Ctrl-C stops."""
    from ..evidence import trace as tr
    from ..evidence.items import EvidenceError
    from ..evidence.watch import new_outputs, record
    try:
        tr.read_entries(folder)
        if not outputs.is_dir():
            raise EvidenceError(outputs, "not a folder")
        while True:
            for path in new_outputs(folder, outputs):
                entry = record(folder, path, key)
                if entry is None:
                    continue
                typer.echo(gettext("entry %(n)d recorded at %(time)s (%(hash)s)", lang.value) % {
                    "n": entry["seq"], "time": entry["time"], "hash": entry["hash"][:16]} + f" · {path.name}")
            if once:
                return
            time.sleep(interval)
    except AssessorError as e:
        fail(e)
    except KeyboardInterrupt:
        return


def _verdict_text(v, lang: str) -> str:
    """What `verify` found (a trace.Verdict), in the reader's language."""
    if not v.ok:
        return gettext("broken at entry %(n)d: %(reason)s", lang) % {
            "n": v.broken_at, "reason": gettext(v.reason, lang) % v.reason_args}
    text = gettext("verified: %(n)d entries, hash chain intact", lang) % {"n": v.entries}
    if v.signed:
        text += ", " + gettext("signatures verified", lang)
    for n, st in sorted(v.stamps.items()):
        text += "\n" + gettext("entry %(n)d time-stamped at %(time)s by %(tsa)s", lang) % {
            "n": n, "time": st.time, "tsa": st.authority}
    if v.missing_outputs:
        text += "\n" + gettext("recorded outputs not found (not checked): %(files)s", lang) % {
            "files": ", ".join(v.missing_outputs)}
    return text


@trace_app.command("verify")
def verify_cmd(folder: DirArg, lang: LangOpt = Lang.zh) -> None:
    """Check the trace; name the first edited, inserted or removed entry (exit 1 if broken)."""
    from ..evidence import trace as tr
    try:
        v = tr.verify(folder)
    except AssessorError as e:
        fail(e)
    typer.echo(_verdict_text(v, lang.value), err=not v.ok)
    if not v.ok:
        raise typer.Exit(1)


@trace_app.command("export")
def export_cmd(folder: DirArg, case: CaseOpt, subject: SubjectOpt = None, lang: LangOpt = Lang.zh,
               rules: RulesOpt = DEFAULT_PACK) -> None:
    """Add the trace to a case file as evidence (a broken trace is added as such)."""
    from ..evidence.items import add_items
    from ..evidence.trace_export import export, fill_creation
    filled: list[str] = []
    added: list[tuple[str, Item]] = []
    try:
        item, creation, verdict = export(folder, subject, lang.value, load_yaml(case).data)

        def change(data):
            added.extend(add_items(data, [item]))
            if added:
                filled.extend(fill_creation(data, creation))

        _write_case(case, rules, change)
    except AssessorError as e:
        fail(e)
    typer.echo(_verdict_text(verdict, lang.value))
    _report(added, [item], lang.value)
    if filled:
        typer.echo(gettext("filled in from the trace: %(fields)s", lang.value) % {"fields": ", ".join(filled)})
