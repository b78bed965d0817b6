"""`assessor interview`: the terminal front end on the interview core (engine/interview.py).

The state of an interview is the case file itself, rewritten atomically after every answer
(see engine/casewrite.py for the state line at its top), so a killed interview loses at most
the answer being typed, and ``assessor interview FILE`` resumes exactly where it stopped.
While an interview runs, ``FILE.lock`` holds its process id: a second interview on the same
file is refused instead of overwriting the first one's answers.
"""
from __future__ import annotations

import gc
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..engine import (AnswerError, AssessorError, Consultation, InputError, Interview, Located, build_case,
                      build_record, dump_case, load_pack, load_yaml, read_state as state_in_text, simulated_answer)
from .i18n import gettext
from .main import DEFAULT_PACK, Lang, LangOpt, RulesOpt, app, fail, render_text

__all__ = ["dump_case", "read_state", "save_atomic", "run_script"]


class _Quit(Exception):
    """The user left (quit, Ctrl-C, Ctrl-D or the end of stdin): save and say how to resume."""

    def __init__(self, code: int):
        self.code = code


def read_state(path: Path) -> tuple[str, set[str], set[str]]:
    """The text of a saved case file, its closed lists and its skipped questions."""
    text = path.read_text(encoding="utf-8")
    st = state_in_text(text)
    return text, set(st["closed"]), set(st["skipped"])


def save_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that a crash leaves the old file or the new one, never half."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent or "."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# -- the lock file -----------------------------------------------------------------------------

class Locked(AssessorError):
    """Another interview has this case file open."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def acquire_lock(target: Path) -> Path:
    """Create TARGET.lock holding our pid; refuse if a live process holds it (a stale lock
    left by a killed interview is taken over)."""
    lock = target.with_name(target.name + ".lock")
    for _attempt in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                pid = int(lock.read_text().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                raise Locked(f"{target}: another interview (process {pid}) has this case file open; "
                             f"finish it first (or delete {lock} if it is not running)") from None
            lock.unlink(missing_ok=True)
            continue
        except OSError as e:
            raise Locked(f"{lock}: cannot create the lock file ({e.strerror})") from None
        with os.fdopen(fd, "w") as f:
            f.write(str(os.getpid()))
        return lock
    raise Locked(f"{lock}: cannot take the lock file")


# -- the terminal dialogue ---------------------------------------------------------------------

class Terminal:
    """Shows the core's questions and reads the user's answers, saving after every change."""

    def __init__(self, iv: Interview, lang: str, out: Path):
        self.iv, self.lang, self.out = iv, lang, out
        self._ = lambda m: gettext(m, lang)
        self.echo = typer.echo

    def save(self) -> None:
        save_atomic(self.out, self.iv.to_yaml())

    def resume_hint(self) -> str:
        _ = self._
        return f"{_('Saved.')} {_('Resume with')}: assessor interview {self.out} --lang {self.lang}"

    def read(self, prompt: str) -> str:
        try:
            self.iv.idle()  # the question is on the screen: prepare for its answer
            return input(prompt)
        except EOFError:  # Ctrl-D, or the end of a piped stdin
            self.echo("")
            raise _Quit(0) from None
        except KeyboardInterrupt:
            self.echo("")
            raise _Quit(130) from None

    def run(self) -> int:
        try:
            return self._run()
        except _Quit as q:
            self.save()
            self.echo(self.resume_hint())
            return q.code

    def _run(self) -> int:
        _ = self._
        iv = self.iv
        self.echo(_("Commands at any prompt: why, back, review, skip or ? (don't know), save, quit, help."))
        told_details = False
        while True:
            q = iv.question(self.lang)
            if q is None:
                break
            if q["kind"] == "detail":
                if q["stage"] == "end" and not told_details:
                    self.echo("")
                    self.echo(_("Details for the case file and the opinion (they do not change the decision):"))
                    told_details = True
                prompt = f"{q['text']} {{{q['field']}}} ({_('Enter to leave blank')}): "
            else:
                self.show(q)
                prompt = "> "
            while not self.one_answer(q, prompt):
                pass
        self.finish()
        return 0

    def show(self, q: dict) -> None:
        _ = self._
        n = q["progress"]["answered"] + 1
        if q["issue"] is not None:
            head = (f"{_('Issue')} {q['issue']['index'] + 1} {_('of')} {q['issue']['count']}: "
                    f"{q['issue']['label']} — {_('question')} {n}")
        else:
            head = f"{_('Completing the case file')} — {_('question')} {n}"
        self.echo("")
        self.echo(f"[{head}]  ({q['field']})")
        self.echo((f"[{q['entity']}] " if q["entity"] else "") + q["text"])
        for c in q["choices"]:
            self.echo(f"  {c['number']}) {c['label']}")
        if q["multiple"]:
            self.echo(_("(Several may apply: type their numbers separated by commas, e.g. 1,3; 0 for none.)"))

    def one_answer(self, q: dict, prompt: str) -> bool:
        """Read one line at the prompt; True when the question is done with."""
        _ = self._
        iv = self.iv
        text = self.read(prompt)
        cmd = text.strip().lower()
        if cmd == "quit":
            raise _Quit(0)
        if cmd == "help":
            self.echo(q["help"])
            self.echo(_("Commands at any prompt: why, back, review, skip or ? (don't know), save, quit, help."))
            return False
        if cmd == "why":
            self.echo(iv.why(self.lang)["text"])
            return False
        if cmd == "save":
            self.save()
            self.echo(f"{_('Saved to')} {self.out}")
            return False
        if cmd == "back":
            if iv.back():
                self.save()
                self.echo(_("The last answer was undone."))
                return True
            self.echo(_("There is no earlier answer in this session to undo."))
            return False
        if cmd == "review":
            return self.review()
        try:
            if cmd in ("skip", "?"):
                iv.skip(self.lang)
            else:
                iv.answer(text, self.lang)
        except AnswerError as e:
            self.echo(e.text(self.lang))
            return False
        self.save()
        return True

    def review(self) -> bool:
        """Show every answer; let the user change one, or add or remove list items.
        True if something changed."""
        _ = self._
        iv = self.iv
        entries = iv.review(self.lang)
        if not entries:
            self.echo(_("No answers yet."))
            return False
        for e in entries:
            self.echo(f"  {e['number']:2}) {e['field']}: {e['label']} = {e['shown']}")
        text = self.read(_("Number of the answer to change (Enter to go on): "))
        if not text.strip():
            return False
        if not text.strip().isdigit() or not 1 <= int(text) <= len(entries):
            self.echo(_("Please type the number of one of the choices."))
            return False
        entry = entries[int(text) - 1]
        if entry["kind"] == "items":
            return self.review_items(entry)
        slot_q = dict(entry)
        self.echo(entry["label"] if entry["kind"] == "detail" else self._ask_of(entry))
        for c in self._choices_of(entry):
            self.echo(f"  {c['number']}) {c['label']}")
        while True:
            text = self.read("> ")
            try:
                iv.change(slot_q["field"], text, self.lang, skip=text.strip() in ("skip", "?"))
            except AnswerError as e:
                self.echo(e.text(self.lang))
                continue
            self.save()
            self.echo(_("Changed. Everything is recomputed from the answers."))
            return True

    def review_items(self, entry: dict) -> bool:
        _ = self._
        for i, item in enumerate(entry["items"], 1):
            self.echo(f"  {i}) {item['field']}: {item['id']}")
        text = self.read(_("Type + to add an item, - and its number to remove one (e.g. -2), Enter to go on: ")).strip()
        if text == "+":
            self.iv.change(entry["field"], True, self.lang)
        elif text.startswith("-") and text[1:].strip().isdigit() and 1 <= int(text[1:]) <= len(entry["items"]):
            self.iv.remove_item(entry["items"][int(text[1:]) - 1]["field"])
        else:
            if text:
                self.echo(_("Please type the number of one of the choices."))
            return False
        self.save()
        self.echo(_("Changed. Everything is recomputed from the answers."))
        return True

    def _ask_of(self, entry: dict) -> str:
        return self.iv.question_of(entry["field"], self.lang)["text"]

    def _choices_of(self, entry: dict) -> list[dict]:
        return self.iv.question_of(entry["field"], self.lang)["choices"]

    def finish(self) -> None:
        _ = self._
        iv, lang, out = self.iv, self.lang, self.out
        case = build_case(Located(iv.case_data(), {}, str(out)), iv.pack)
        with Consultation(iv.pack, case) as c:
            record = build_record(iv.pack, case, c)
            self.echo("")
            self.echo("=" * 60)
            self.echo(render_text(iv.pack, c, record, lang))
        waiting = iv.waiting_for() if record["holdings"]["disposition"] == "undetermined" else []
        if waiting:
            self.echo("")
            self.echo(f"{_('Not determined yet: it waits for the answers skipped to')} {', '.join(waiting)}. "
                      f"{_('Resume and type review to answer them.')}")
        self.echo("")
        self.echo(f"{_('Case file saved')}: {out}")
        self.echo(f"{_('Draft the opinion with')}: assessor opinion {out} --lang {lang}")


# -- scripting: a simulated user answers from a case file --------------------------------------

def run_script(pack, source: dict, transcript: Path | None, all_fields: bool, out: Path | None,
               on_question=None) -> dict:
    """Answer the decision's questions from the case file `source` (the details asked at the
    start are taken from it as given); one JSON line per question into `transcript`."""
    iv = Interview(pack, {"format": source.get("format", pack.case_format["format"])}, all_fields=all_fields)
    for key in ("jurisdiction", "title", "decided_on"):
        if key in source:
            iv.data[key] = source[key]
    lines = []
    asked = 0
    while True:
        slot, stage = iv.current()
        if slot is not None and stage == "start":
            iv.skip()
            continue
        if slot is None or stage not in ("decision", "item"):
            break
        if on_question:
            on_question(slot)
        iv.idle()  # as the terminal does once the question is shown
        answer = simulated_answer(iv, source)
        asked += 1
        shown = True if isinstance(answer, dict) else answer
        lines.append(json.dumps({"question": slot.qid, "field": slot.where, "answer": shown},
                                ensure_ascii=False))
        if answer is None:
            iv.skip()
        else:
            iv.answer(answer)
        if out is not None:
            save_atomic(out, iv.to_yaml())
    holdings = iv.holdings()
    lines.append(json.dumps({"asked": asked, "holdings": holdings}, ensure_ascii=False))
    if transcript is not None:
        save_atomic(transcript, "\n".join(lines) + "\n")
    return {"asked": asked, "holdings": holdings, "interview": iv}


# -- the command --------------------------------------------------------------------------------

def _line_editing() -> None:
    """Arrow keys and history at the prompt (readline, where the platform has it)."""
    if sys.stdin.isatty():
        try:
            import readline  # noqa: F401  (importing it is what turns line editing on)
        except ImportError:
            pass


@app.command("interview")
def interview_cmd(
    case: Annotated[Optional[Path], typer.Argument(help="Case file to fill in or resume.")] = None,
    lang: LangOpt = Lang.zh,
    out: Annotated[Optional[Path], typer.Option("--out", help="Where to write the case file.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Go on until the case file is complete.")] = False,
    answers_from: Annotated[Optional[Path], typer.Option(
        "--answers-from", help="Answer from this case file, with no terminal.")] = None,
    transcript: Annotated[Optional[Path], typer.Option(
        "--transcript", help="With --answers-from: one JSON line per question asked.")] = None,
    rules: RulesOpt = DEFAULT_PACK,
) -> None:
    """Interactive questions and answers that fill in a case file and end with the decision."""
    lock = target = None
    try:
        pack = load_pack(rules)
        # the pack lives as long as the program: later collections leave it out (a full one
        # walked it in the middle of an answer, tens of milliseconds)
        gc.freeze()
        if answers_from is not None:
            if transcript is None:
                typer.echo("error: --answers-from needs --transcript FILE", err=True)
                raise typer.Exit(2)
            src = load_yaml(answers_from)
            build_case(src, pack)  # the source must be a valid case file
            run_script(pack, src.data, transcript, all_, out)
            return
        target = out or case or Path("case.yaml")
        lock = acquire_lock(target)
        if case is not None and case.exists():
            iv = Interview.from_text(pack, case.read_text(encoding="utf-8"), str(case), all_fields=all_)
        else:
            iv = Interview(pack, all_fields=all_)
        term = Terminal(iv, lang.value, target)
        if case is None or not case.exists() or target != case:
            term.save()
        typer.echo(f"{gettext('Case file', lang.value)}: {target}")
        _line_editing()
        code = term.run()
        if code:
            raise typer.Exit(code)
    except KeyboardInterrupt:  # before the dialogue started: nothing answered yet
        typer.echo("")
        if target is not None and target.exists():
            typer.echo(f"{gettext('Resume with', lang.value)}: assessor interview {target} --lang {lang.value}")
        raise typer.Exit(130) from None
    except (AssessorError, InputError) as e:
        fail(e)
    finally:
        if lock is not None:
            lock.unlink(missing_ok=True)
