"""`assessor interview` and `assessor explain`: the question-and-answer session.

The state of an interview is the case file itself (``assessor.case/1``), rewritten atomically
after every answer, plus one comment line at its top that a YAML reader ignores::

    # assessor-interview: {"closed": ["evidence"], "skipped": ["creation.prompt"]}

``closed``: lists of items the user said hold no more items; ``skipped``: questions answered
"don't know" (the field stays unanswered: "not known yet", as in a case file that lacks it).
So a killed interview loses at most the answer being typed, and ``assessor interview FILE``
resumes exactly where it stopped.
"""
from __future__ import annotations

import copy
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
import yaml

from ..engine import AssessorError, load_pack
from ..engine.casefile import build_case
from ..engine.errors import InputError
from ..engine.explain import justify, walk
from ..engine.planner import ITEMS, MULTI, Planner, Slot, _get
from ..engine.schema import validate
from ..engine.session import Consultation
from ..engine.yamlsrc import Located, load_yaml
from .i18n import gettext
from .main import DEFAULT_PACK, Lang, LangOpt, RulesOpt, app, fail, render_text

STATE = "# assessor-interview: "
SKIP = object()  # the answer "don't know" (leave the field unanswered)
COMMANDS = ("why", "back", "review", "skip", "?", "save", "quit", "help")


# -- the case file as state ---------------------------------------------------------------------

def read_state(path: Path) -> tuple[dict, set[str], set[str]]:
    """The answers and the interview state saved in a case file."""
    text = path.read_text(encoding="utf-8")
    closed: set[str] = set()
    skipped: set[str] = set()
    for line in text.splitlines():
        if line.startswith(STATE):
            try:
                st = json.loads(line[len(STATE):])
                closed, skipped = set(st.get("closed", ())), set(st.get("skipped", ()))
            except (ValueError, AttributeError):
                pass
            break
    return text, closed, skipped


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#\n]*$")


def _scalar(v: Any) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return repr(v)
    s = str(v)
    # plain only if every YAML reader (1.1 included: yes/no/on, dates) reads it back as this text
    if s and _PLAIN.match(s) and s == s.strip():
        try:
            if yaml.safe_load(f"k: {s}") == {"k": s}:
                return s
        except yaml.YAMLError:
            pass
    return json.dumps(s, ensure_ascii=False)


def dump_case(data: dict, fmt_root: dict, closed=(), skipped=()) -> str:
    """The case file as readable YAML, keys in the order of the case format."""
    out: list[str] = []
    if closed or skipped:
        out.append(STATE + json.dumps({"closed": sorted(closed), "skipped": sorted(skipped)},
                                      ensure_ascii=False))

    def keys(node, value):
        fields = list((node or {}).get("fields", {}))
        return [k for k in fields if k in value] + [k for k in value if k not in fields]

    def emit(node, value, indent, first_prefix=None):
        pad = " " * indent
        for n, k in enumerate(keys(node, value)):
            v = value[k]
            sub = (node or {}).get("fields", {}).get(k)
            lead = first_prefix if (first_prefix is not None and n == 0) else pad
            key = _scalar(k)
            if isinstance(v, dict):
                if not v:
                    out.append(f"{lead}{key}: {{}}")
                else:
                    out.append(f"{lead}{key}:")
                    emit(sub, v, indent + 2)
            elif isinstance(v, list):
                item = (sub or {}).get("item")
                if v and all(isinstance(x, dict) for x in v):
                    out.append(f"{lead}{key}:")
                    for x in v:
                        if x:
                            emit(item, x, indent + 4, first_prefix=pad + "  - ")
                        else:
                            out.append(f"{pad}  - {{}}")
                else:
                    out.append(f"{lead}{key}: [" + ", ".join(_scalar(x) for x in v) + "]")
            else:
                out.append(f"{lead}{key}: {_scalar(v)}")

    emit(fmt_root, data, 0)
    return "\n".join(out) + "\n"


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


# -- one interview -----------------------------------------------------------------------------

class Interview:
    """The answers so far, the interview state, and the planner's view of them."""

    def __init__(self, pack, data: dict | None = None, closed=(), skipped=(), out: Path | None = None,
                 all_fields: bool = False):
        self.pack = pack
        self.planner = Planner(pack)
        self.fmt_root = pack.case_format["root"]
        self.data = data if data is not None else {"format": pack.case_format["format"]}
        self.closed = set(closed)
        self.skipped = set(skipped)
        self.out = out
        self.all_fields = all_fields
        self.history: list[tuple[dict, set, set]] = []
        self._plan = None

    def plan(self):
        if self._plan is None:
            self._plan = self.planner.plan(self.data, self.closed, self.skipped, self.all_fields)
        return self._plan

    def _snapshot(self):
        return copy.deepcopy(self.data), set(self.closed), set(self.skipped)

    def apply(self, slot: Slot, answer: Any) -> None:
        """Record an answer (a value, a list, True/False for "another item?", or SKIP)."""
        before = self._snapshot()
        where = slot.where
        if answer is SKIP:
            self.skipped.add(where)
        else:
            self.skipped.discard(where)
            if slot.kind == ITEMS:
                items = _get(self.data, slot.path)
                if answer is False:
                    if items is None:
                        _set(self.data, slot.path, [])
                    self.closed.add(where)
                else:
                    if items is None:
                        items = []
                        _set(self.data, slot.path, items)
                    items.append(self._new_item(slot, items, answer))
                    self.closed.discard(where)
            else:
                _set(self.data, slot.path, answer)
        self._check()
        self.history.append(before)
        self._plan = None
        self.save()

    def _new_item(self, slot: Slot, items: list, answer: Any) -> dict:
        fields = slot.node["item"].get("fields", {})
        if "id" not in fields:
            return {}
        taken = {str(x.get("id")) for x in items if isinstance(x, dict)}
        if isinstance(answer, str) and answer not in taken:
            return {"id": answer}
        prefix = slot.node.get("entity", "item")[0].upper()
        n = len(items) + 1
        while f"{prefix}{n}" in taken:
            n += 1
        return {"id": f"{prefix}{n}"}

    def _check(self) -> None:
        validate(Located(self.data, {}, "<answers>"), self.fmt_root)

    def back(self) -> bool:
        if not self.history:
            return False
        self.data, self.closed, self.skipped = self.history.pop()
        self._plan = None
        self.save()
        return True

    def save(self) -> None:
        if self.out is not None:
            save_atomic(self.out, dump_case(self.data, self.fmt_root, self.closed, self.skipped))

    def answered_slots(self) -> list[Slot]:
        return [s for s in self.planner.slots(self.data)
                if s.answered or s.where in self.skipped]


def _set(data: dict, path: tuple, value: Any) -> None:
    node = data
    for p in path[:-1]:
        if isinstance(p, int):
            node = node[p]
        else:
            node = node.setdefault(p, {})
    node[path[-1]] = value


# -- texts --------------------------------------------------------------------------------------

def _t(lang: str):
    return lambda m: gettext(m, lang)


def question_text(iv: Interview, slot: Slot, lang: str) -> str:
    q = iv.planner.questions[slot.qid]
    if slot.kind == ITEMS:
        items = _get(iv.data, slot.path)
        return (q["again"] if items else q["ask"])[lang]
    return q["ask"][lang]


def choices(iv: Interview, slot: Slot, lang: str) -> list[tuple[Any, str]]:
    """The numbered choices of a question: (value, label)."""
    _ = _t(lang)
    q = iv.planner.questions[slot.qid]
    node = slot.node
    if slot.kind == ITEMS:
        return [(True, _("yes")), (False, _("no"))]
    if slot.kind == MULTI:
        node = node["item"]
    if node["type"] == "enum":
        return [(v, q["choices"][v][lang]) for v in node["values"]]
    if node["type"] in ("tri", "bool"):
        out = [(True, _("yes")), (False, _("no"))]
        if node["type"] == "tri":
            out.append(("unknown", _("unknown (no one knows, or the record is silent)")))
        return out
    return []


def show_value(iv: Interview, slot: Slot, value: Any, lang: str) -> str:
    _ = _t(lang)
    if value is None:
        return _("don't know")
    if slot.kind == ITEMS:
        return str(len(value)) if isinstance(value, list) else str(value)
    labels = dict((v, l) for v, l in choices(iv, slot, lang) if not isinstance(v, bool) or slot.node["type"] != "enum")
    if isinstance(value, list):
        return ", ".join(labels.get(v, str(v)) for v in value) or _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return labels.get(value, str(value))


def parse_answer(iv: Interview, slot: Slot, text: str, lang: str) -> Any:
    """The answer typed for `slot`; raises ValueError with a message in `lang`."""
    _ = _t(lang)
    text = text.strip()
    opts = choices(iv, slot, lang)
    yes = {"y", "yes", "是", "有", "对"}
    no = {"n", "no", "否", "没有", "无", "不"}

    def one(tok: str):
        tok = tok.strip()
        if tok.isdigit() and opts and 1 <= int(tok) <= len(opts):
            return opts[int(tok) - 1][0]
        for v, label in opts:
            if isinstance(v, bool):
                if (v and tok.lower() in yes) or (not v and tok.lower() in no):
                    return v
            elif tok == str(v) or tok == label:
                return v
        raise ValueError(_("Please type the number of one of the choices."))

    if slot.kind == MULTI:
        if text.lower() in ("0", "none", "无", "没有"):
            return []
        toks = [t for t in re.split(r"[,，、\s]+", text) if t]
        if not toks:
            raise ValueError(_("Please type one or more numbers separated by commas, or 0 for none."))
        vals = []
        for tok in toks:
            v = one(tok)
            if v not in vals:
                vals.append(v)
        return vals
    if slot.kind == ITEMS:
        return one(text)
    kind = slot.node["type"]
    if kind in ("count", "amount"):
        if text.lower() in ("unknown", "不清楚", "不知道"):
            return "unknown"
        try:
            num = int(text) if kind == "count" else float(text.replace(",", ""))
        except ValueError:
            raise ValueError(_("Please type a number (or unknown).")) from None
        if num < 0:
            raise ValueError(_("Please type a number (or unknown)."))
        if kind == "amount" and num == int(num):
            num = int(num)
        return num
    if kind == "text":
        return text
    return one(text)


def issue_label(iv: Interview, index: int, lang: str) -> str:
    _, concept = iv.planner.issues[index]
    return iv.pack.concepts[concept].label.get(lang)


def entity_name(slot: Slot) -> str:
    return "" if slot.entity == "case" else slot.entity.split(":", 1)[1]


def why_text(iv: Interview, slot: Slot, lang: str) -> str:
    """The chain from a question up to the issue it serves, with rules and articles."""
    _ = _t(lang)
    pack = iv.pack
    steps = iv.planner.why(iv.data, slot.where, iv.closed, iv.skipped)
    if steps is None:
        return _("This question cannot change the outcome any more.")
    label = pack.concepts[slot.qid].label.get(lang) if slot.qid in pack.concepts else slot.qid
    lines = [f"{_('This answer')} ({label}) {_('matters because')}:"]
    if not steps:
        lines.append("  " + _("a new item could change the outcome."))
    for st in steps:
        rule = pack.rule(st.rule)
        ids = [rule.source] + [x for x in rule.cites if x != rule.source]
        sep = "；" if lang == "zh" else "; "
        cites = sep.join(pack.authorities[i].citation(lang, short=True) for i in ids)
        concl = pack.concepts[st.concept].label.get(lang)
        who = "" if st.entity == "case" else f" [{st.entity.split(':', 1)[1]}]"
        lines.append(f"  → {concl}{who} — {rule.explain.get(lang)} ({cites})")
    return "\n".join(lines)


# -- the terminal dialogue ---------------------------------------------------------------------

class _Quit(Exception):
    pass


def _input(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        raise _Quit() from None


def run_terminal(iv: Interview, lang: str, out: Path) -> int:
    _ = _t(lang)
    echo = typer.echo
    asked = len(iv.answered_slots())
    echo(_("Commands at any prompt: why, back, review, skip or ? (don't know), save, quit, help."))
    while True:
        plan = iv.plan()
        slot = plan.question
        if slot is None:
            break
        asked_n = asked + len(iv.history) + 1
        if plan.issue is not None:
            head = (f"{_('Issue')} {plan.issue + 1} {_('of')} {len(plan.issues)}: "
                    f"{issue_label(iv, plan.issue, lang)} — {_('question')} {asked_n}")
        else:
            head = f"{_('Completing the case file')} — {_('question')} {asked_n}"
        echo("")
        echo(f"[{head}]  ({slot.where})")
        ent = entity_name(slot)
        echo((f"[{ent}] " if ent else "") + question_text(iv, slot, lang))
        opts = choices(iv, slot, lang)
        for i, (_v, label) in enumerate(opts, 1):
            echo(f"  {i}) {label}")
        while True:
            try:
                text = _input("> ")
            except KeyboardInterrupt:
                echo("")
                echo(f"{_('Saved.')} {_('Resume with')}: assessor interview {out}")
                return 130
            cmd = text.strip().lower()
            if cmd == "quit":
                iv.save()
                echo(f"{_('Saved.')} {_('Resume with')}: assessor interview {out}")
                return 0
            if cmd == "help":
                echo(iv.planner.questions[slot.qid]["help"][lang])
                echo(_("Commands at any prompt: why, back, review, skip or ? (don't know), save, quit, help."))
                continue
            if cmd == "why":
                echo(why_text(iv, slot, lang))
                continue
            if cmd == "save":
                iv.save()
                echo(f"{_('Saved to')} {out}")
                continue
            if cmd == "back":
                if iv.back():
                    echo(_("The last answer was undone."))
                    break
                echo(_("There is no earlier answer in this session to undo."))
                continue
            if cmd == "review":
                if review(iv, lang):
                    break
                continue
            try:
                answer = SKIP if cmd in ("skip", "?") else parse_answer(iv, slot, text, lang)
                iv.apply(slot, answer)
            except ValueError as e:
                echo(str(e))
                continue
            except InputError as e:
                iv.back()
                echo(f"{_('That answer is not allowed')}: {e.message}")
                continue
            break
    if case_details(iv, lang, out) is None:
        return 130
    finish(iv, lang, out)
    return 0


# Free-text details the decision does not turn on but the case file and the opinion need.
DETAILS = (("title", "Title of the case"), ("parties.plaintiff.name", "Name of the plaintiff"),
           ("parties.defendant.name", "Name of the defendant"))


def case_details(iv: Interview, lang: str, out: Path) -> bool | None:
    """Ask once, at the end, for the details still missing (Enter leaves one blank).
    None: interrupted (the answers so far are saved)."""
    _ = _t(lang)
    missing = [(p, label) for p, label in DETAILS if _get(iv.data, tuple(p.split("."))) in (None, "")]
    if not missing:
        return True
    typer.echo("")
    typer.echo(_("Details for the case file and the opinion (they do not change the decision):"))
    for path, label in missing:
        try:
            text = _input(f"{_(label)} {{{path}}} ({_('Enter to leave blank')}): ").strip()
        except KeyboardInterrupt:
            typer.echo("")
            typer.echo(f"{_('Saved.')} {_('Resume with')}: assessor interview {out}")
            return None
        if text:
            _set(iv.data, tuple(path.split(".")), text)
            iv.save()
    return True


def review(iv: Interview, lang: str) -> bool:
    """Show every answer; let the user change one. True if an answer changed."""
    _ = _t(lang)
    echo = typer.echo
    slots = [s for s in iv.answered_slots()]
    if not slots:
        echo(_("No answers yet."))
        return False
    for i, s in enumerate(slots, 1):
        value = None if s.where in iv.skipped else _get(iv.data, s.path)
        label = iv.pack.concepts[s.qid].label.get(lang) if s.qid in iv.pack.concepts else question_text(iv, s, lang)
        echo(f"  {i:2}) {s.where}: {label} = {show_value(iv, s, value, lang)}")
    text = _input(_("Number of the answer to change (Enter to go on): ") )
    if not text.strip():
        return False
    if not text.strip().isdigit() or not 1 <= int(text) <= len(slots):
        echo(_("Please type the number of one of the choices."))
        return False
    slot = slots[int(text) - 1]
    if slot.kind == ITEMS:
        echo(_("To remove items, edit the case file; here you can add one or change its answers."))
        return False
    echo(question_text(iv, slot, lang))
    for i, (_v, label) in enumerate(choices(iv, slot, lang), 1):
        echo(f"  {i}) {label}")
    while True:
        text = _input("> ")
        try:
            answer = SKIP if text.strip() in ("skip", "?") else parse_answer(iv, slot, text, lang)
            iv.apply(slot, answer)
            echo(_("Changed. Everything is recomputed from the answers."))
            return True
        except ValueError as e:
            echo(str(e))


def finish(iv: Interview, lang: str, out: Path | None) -> None:
    _ = _t(lang)
    case = build_case(Located(iv.data, {}, str(out or "<answers>")), iv.pack)
    from ..engine.decision import build_record
    with Consultation(iv.pack, case) as c:
        record = build_record(iv.pack, case, c)
        typer.echo("")
        typer.echo("=" * 60)
        typer.echo(render_text(iv.pack, c, record, lang))
    if iv.skipped and record["holdings"]["disposition"] == "undetermined":
        # what the skipped questions would decide: the planner's choice without them
        waiting = [s.where for s in iv.planner.plan(iv.data, iv.closed, set()).candidates if s.where in iv.skipped]
        if waiting:
            typer.echo("")
            typer.echo(f"{_('Not determined yet: it waits for the answers skipped to')} {', '.join(waiting)}. "
                       f"{_('Resume and type review to answer them.')}")
    if out is not None:
        typer.echo("")
        typer.echo(f"{_('Case file saved')}: {out}")
        typer.echo(f"{_('Draft the opinion with')}: assessor opinion {out} --lang {lang}")


# -- scripting: a simulated user answers from a case file --------------------------------------

def simulated_answer(iv: Interview, slot: Slot, source: dict) -> Any:
    """What a user holding the case file `source` answers to `slot` (SKIP: it is silent)."""
    value = _get(source, slot.path)
    if slot.kind == ITEMS:
        if value is None:
            return SKIP
        have = _get(iv.data, slot.path) or []
        if len(value) > len(have):
            nxt = value[len(have)]
            return str(nxt["id"]) if isinstance(nxt, dict) and "id" in nxt else True
        return False
    return SKIP if value is None else value


def run_script(pack, source: dict, transcript: Path, all_fields: bool, out: Path | None,
               on_question=None) -> dict:
    iv = Interview(pack, {"format": source.get("format", pack.case_format["format"])}, out=out,
                   all_fields=all_fields)
    for key in ("jurisdiction", "title", "decided_on"):
        if key in source:
            iv.data[key] = source[key]
    lines = []
    asked = 0
    while True:
        plan = iv.plan()
        slot = plan.question
        if slot is None:
            break
        if on_question:
            on_question(slot)
        answer = simulated_answer(iv, slot, source)
        asked += 1
        shown = None if answer is SKIP else (True if slot.kind == ITEMS and answer is not False else answer)
        lines.append(json.dumps({"question": slot.qid, "field": slot.where, "answer": shown},
                                ensure_ascii=False))
        iv.apply(slot, answer)
    holdings = iv.plan().holdings
    lines.append(json.dumps({"asked": asked, "holdings": holdings}, ensure_ascii=False))
    if transcript is not None:
        save_atomic(transcript, "\n".join(lines) + "\n")
    return {"asked": asked, "holdings": holdings, "interview": iv}


# -- commands -----------------------------------------------------------------------------------

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
    try:
        pack = load_pack(rules)
        if answers_from is not None:
            if transcript is None:
                typer.echo("error: --answers-from needs --transcript FILE", err=True)
                raise typer.Exit(2)
            src = load_yaml(answers_from)
            build_case(src, pack)  # the source must be a valid case file
            run_script(pack, src.data, transcript, all_, out)
            return
        target = out or case or Path("case.yaml")
        data, closed, skipped = None, set(), set()
        if case is not None and case.exists():
            _text, closed, skipped = read_state(case)
            doc = load_yaml(case)
            build_case(doc, pack)
            data = doc.data
        iv = Interview(pack, data, closed, skipped, out=target, all_fields=all_)
        if case is None or not case.exists() or target != case:
            iv.save()
        typer.echo(f"{gettext('Case file', lang.value)}: {target}")
        code = run_terminal(iv, lang.value, target)
        if code:
            raise typer.Exit(code)
    except AssessorError as e:
        fail(e)


@app.command("explain")
def explain_cmd(
    case: Annotated[Path, typer.Argument(help="Case file.")],
    skipped: Annotated[bool, typer.Option("--skipped", help="Questions not asked, and which answer made them moot.")] = False,
    why: Annotated[Optional[str], typer.Option("--why", help="Why this question (a case-file path) matters.")] = None,
    how: Annotated[Optional[str], typer.Option("--how", help="How this conclusion (a concept name) was reached.")] = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = DEFAULT_PACK,
) -> None:
    """The reasoning as a tree; why a question matters; why questions were not asked."""
    _ = _t(lang.value)
    try:
        pack = load_pack(rules)
        _text, closed, skipped_ = read_state(case)
        doc = load_yaml(case)
        build_case(doc, pack)
        iv = Interview(pack, doc.data, closed, skipped_)
        if skipped:
            typer.echo(skipped_text(iv, lang.value))
        if why:
            slot = next((s for s in iv.planner.slots(iv.data) if s.where == why or s.qid == why), None)
            if slot is None:
                typer.echo(f"error: no question '{why}' in this case file", err=True)
                raise typer.Exit(2)
            typer.echo(why_text(iv, slot, lang.value))
        if how or not (skipped or why):
            concept = how or pack.manifest["decision"]["disposition"]
            entity = "case"
            if ":" in concept and concept.split(":", 1)[0] not in pack.concepts:
                pass
            if "@" in concept:
                concept, entity = concept.split("@", 1)
            if concept not in pack.concepts:
                typer.echo(f"error: no conclusion '{concept}' in this rule pack", err=True)
                raise typer.Exit(2)
            c_ = build_case(doc, pack)
            with Consultation(pack, c_) as c:
                for node, level in walk(justify(c, concept, entity)):
                    label = pack.concepts[node.concept].label.get(lang.value)
                    if node.absent:
                        typer.echo(f"{'  ' * level}- {_('no proof')}: {label}")
                        continue
                    says = pack.concepts[node.concept].says.get(node.value)
                    value = says.get(lang.value) if says else (_("undetermined") if node.value is None else node.value)
                    rule = f" [{node.derivation.rule}]" if node.derivation else ""
                    who = "" if node.entity == "case" else f"{node.entity}: "
                    typer.echo(f"{'  ' * level}- {who}{label}: {value}{rule}")
    except AssessorError as e:
        fail(e)


def skipped_text(iv: Interview, lang: str) -> str:
    _ = _t(lang)
    pack = iv.pack
    lines = [_("Questions not asked, and why:")]
    for slot, why in iv.planner.moot(iv.data, iv.closed, iv.skipped):
        label = pack.concepts[slot.qid].label.get(lang) if slot.qid in pack.concepts else question_text(iv, slot, lang)
        if why["kind"] == "unread":
            reason = _("no rule reads this answer (asked only with --all)")
        elif why["fact"] is None:
            reason = _("it cannot change any holding")
        else:
            concl = pack.concepts[why["fact"]].label.get(lang)
            says = pack.concepts[why["fact"]].says.get(why["value"])
            value = says.get(lang) if says else str(why["value"])
            answers = ", ".join(f"{a}={_show(v)}" + ("" if e == "case" else f" ({e.split(':', 1)[1]})")
                                for a, e, v in why["answers"][:4])
            reason = f"{_('moot because')} {concl}: {value}" + (f" ({_('from the answers')} {answers})" if answers else "")
        lines.append(f"  - {slot.where} ({label}): {reason}")
    if len(lines) == 1:
        lines.append("  " + _("none"))
    return "\n".join(lines)


def _show(v: Any) -> str:
    return "true" if v is True else "false" if v is False else str(v)
