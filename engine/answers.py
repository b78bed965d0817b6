"""Answers to the interview's questions: the choices a question offers, reading what a user
typed (or a web form sent) into a case-file value, and showing a value back.

Generic: the kinds of answers are the case format's node types (enum, tri, bool, count,
amount, text, date) and its lists; the labels of vocabulary values come from the pack's
``questions.yaml``, the interface words (yes, no, the error messages) from the catalogs.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from .i18n import gettext
from .slots import ITEMS, MULTI, Slot

#: words that mean yes or no, in either language (a choice's number works too)
YES = frozenset({"y", "yes", "true", "是", "有", "对"})
NO = frozenset({"n", "no", "false", "否", "没有", "无", "不"})
NONE = frozenset({"0", "none", "无", "没有"})
UNKNOWN_WORDS = frozenset({"unknown", "不清楚", "不知道"})


class AnswerError(ValueError):
    """An answer that does not fit its question. `msgid` is the English catalog message;
    `text(lang)` gives it in a language; `detail` (if any) is appended untranslated."""

    def __init__(self, msgid: str, detail: str = "", params: Mapping[str, str | Mapping[str, str]] | None = None):
        self.msgid = msgid
        self.detail = detail
        self.params = dict(params or {})   # %(name)s in the message: a text, or one per language
        super().__init__(self.text("en", translate=False))

    def text(self, lang: str, translate: bool = True) -> str:
        message = gettext(self.msgid, lang) if translate else self.msgid
        if self.params:
            message %= {k: v if isinstance(v, str) else v[lang] for k, v in self.params.items()}
        return message + (f": {self.detail}" if self.detail else "")

    def messages(self) -> dict[str, str]:
        return {"zh": self.text("zh"), "en": self.text("en")}


def value_node(slot: Slot) -> dict:
    """The schema node of one value of the slot (a multi-select's item node)."""
    return slot.node["item"] if slot.kind == MULTI else slot.node


def choices(slot: Slot, question: dict, lang: str) -> list[tuple[Any, str]]:
    """The numbered choices of a question: (value, label); [] for a free answer."""
    _ = lambda m: gettext(m, lang)  # noqa: E731
    if slot.kind == ITEMS:
        return [(True, _("yes")), (False, _("no"))]
    node = value_node(slot)
    if node["type"] == "enum":
        return [(v, question["choices"][v][lang]) for v in node["values"]]
    if node["type"] in ("tri", "bool"):
        out: list[tuple[Any, str]] = [(True, _("yes")), (False, _("no"))]
        if node["type"] == "tri":
            out.append(("unknown", _("unknown (no one knows, or the record is silent)")))
        return out
    return []


def _one(token: Any, opts: list[tuple[Any, str]]) -> Any:
    """One choice: its number, its value, its label, or a yes/no word."""
    if isinstance(token, bool):
        if any(v is token for v, _l in opts):
            return token
        raise AnswerError("Please type the number of one of the choices.")
    tok = str(token).strip()
    if tok.isdigit() and opts and 1 <= int(tok) <= len(opts):
        return opts[int(tok) - 1][0]
    for v, label in opts:
        if isinstance(v, bool):
            if (v and tok.lower() in YES) or (not v and tok.lower() in NO):
                return v
        elif tok == str(v) or tok == label:
            return v
    raise AnswerError("Please type the number of one of the choices.")


def read_answer(slot: Slot, question: dict, answer: Any, lang: str = "en") -> Any:
    """The case-file value for `answer` to `slot`: text as typed at a prompt or sent by a
    form, or a plain value (bool, number, list). Raises AnswerError when it does not fit.
    For a list of items the value is True (add one) or False (no more)."""
    opts = choices(slot, question, lang)
    if slot.kind == MULTI:
        if isinstance(answer, (list, tuple)):
            toks = list(answer)
        else:
            text = str(answer).strip()
            if text.lower() in NONE:
                return []
            toks = [t for t in re.split(r"[,，、\s]+", text) if t]
            if not toks:
                raise AnswerError("Please type one or more numbers separated by commas, or 0 for none.")
        vals: list = []
        for tok in toks:
            v = _one(tok, opts)
            if v not in vals:
                vals.append(v)
        return vals
    if slot.kind == ITEMS:
        return _one(answer, opts)
    kind = slot.node["type"]
    if kind in ("count", "amount"):
        return _number(kind, answer)
    if kind in ("text", "date"):
        return str(answer).strip()
    return _one(answer, opts)


def _number(kind: str, answer: Any) -> Any:
    if isinstance(answer, bool):
        raise AnswerError("Please type a number (or unknown).")
    if isinstance(answer, (int, float)):
        num = answer
    else:
        text = str(answer).strip()
        if text.lower() in UNKNOWN_WORDS:
            return "unknown"
        try:
            num = int(text) if kind == "count" else float(text.replace(",", ""))
        except ValueError:
            raise AnswerError("Please type a number (or unknown).") from None
    if num < 0 or num != num or num in (float("inf"), float("-inf")) or (kind == "count" and num != int(num)):
        raise AnswerError("Please type a number (or unknown).")
    return int(num) if num == int(num) else num


def show_value(slot: Slot, question: dict, value: Any, lang: str) -> str:
    """A saved answer as the user reads it (the labels of choices)."""
    _ = lambda m: gettext(m, lang)  # noqa: E731
    if value is None:
        return _("don't know")
    if slot.kind == ITEMS:
        return str(len(value)) if isinstance(value, list) else str(value)
    labels = [(v, label) for v, label in choices(slot, question, lang)]

    def one(v):
        for c, label in labels:
            if c is v or (not isinstance(c, bool) and not isinstance(v, bool) and c == v):
                return label
        return str(v)

    if isinstance(value, list):
        return ", ".join(one(v) for v in value) or _("none")
    return one(value)
