"""Writing a case file: readable YAML in the order of the case format, with the interview's
state on one comment line at the top that a YAML reader ignores::

    # assessor-interview: {"closed": ["evidence"], "skipped": ["creation.prompt"], "log": [...]}

``closed``: lists of items the user said hold no more items; ``skipped``: questions answered
"don't know" (the field stays unanswered: "not known yet", as in a case file that lacks it);
``log``: the answers in the order given, each with what it replaced, so that `back` works
after a resume (see engine/interview.py).
"""
from __future__ import annotations

import json
import re
from typing import Any

from .caseformat import CaseFormat, Place
from .yamlsrc import reads_back_plain

STATE = "# assessor-interview: "

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#\n]*$")


def read_state(text: str) -> dict:
    """The interview state saved in a case file's text: {"closed", "skipped", "log"}
    (empty when there is none, or when the line is damaged: the answers still count)."""
    for line in text.splitlines():
        if line.startswith(STATE):
            try:
                st = json.loads(line[len(STATE):])
                state = {"closed": [str(x) for x in st.get("closed", ())],
                         "skipped": [str(x) for x in st.get("skipped", ())],
                         "log": [x for x in st.get("log", ()) if isinstance(x, dict)]}
                return state
            except (ValueError, AttributeError, TypeError):
                break
            break
    return {"closed": [], "skipped": [], "log": []}


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
    if s and _PLAIN.match(s) and s == s.strip() and reads_back_plain(s):
        return s
    return json.dumps(s, ensure_ascii=False)


def dump_case(data: dict, case_format: CaseFormat, closed=(), skipped=(), log=()) -> str:
    """The case file as readable YAML, keys in the order of the case format (keys it does not
    know, and the keys of a map, after them in the order the data has them)."""
    out: list[str] = []
    if closed or skipped or log:
        state: dict = {"closed": sorted(closed), "skipped": sorted(skipped)}
        if log:
            state["log"] = list(log)
        out.append(STATE + json.dumps(state, ensure_ascii=False, separators=(",", ":")))

    def emit(place: Place | None, value: dict, indent: int, first_prefix: str | None = None) -> None:
        pad = " " * indent
        named = place.named if place is not None else {}
        keys = [k for k in named if k in value] + [k for k in value if k not in named]
        for n, k in enumerate(keys):
            v = value[k]
            sub = named.get(k)
            lead = first_prefix if (first_prefix is not None and n == 0) else pad
            key = _scalar(k)
            if isinstance(v, dict):
                if not v:
                    out.append(f"{lead}{key}: {{}}")
                else:
                    out.append(f"{lead}{key}:")
                    emit(sub, v, indent + 2)
            elif isinstance(v, list):
                item = sub.item if sub is not None else None
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

    emit(case_format.top, data, 0)
    return "\n".join(out) + "\n"
