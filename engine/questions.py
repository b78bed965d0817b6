"""Read a pack's ``questions.yaml``: the interview's questions, in zh and en, checked
against the case format (every answer field asked, every choice labelled, every detail a
field). Any fault is an :class:`InputError` with ``file:line:col``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .caseformat import CaseFormat
from .errors import InputError, Span, pack_relative
from .errors import suggest as _suggest
from .schema import validate
from .yamlsrc import Located, load_yaml


# -- questions.yaml: the interview's questions (read by engine/planner.py) ------------------
_QUESTIONS = {
    "type": "object",
    "fields": {
        "sections": {"type": "list", "item": {"type": "id"}, "unique": True, "required": True},
        "questions": {
            "type": "map",
            "value": {"type": "object", "fields": {
                "ask": {"type": "bilingual", "required": True},
                "again": {"type": "bilingual"},
                "help": {"type": "bilingual", "required": True},
                "choices": {"type": "map", "value": {"type": "bilingual"}},
            }},
            "required": True,
        },
        # fields the decision does not turn on but the case file needs (asked once, at the
        # start or the end; Enter leaves one blank): the decision date, a title, names; or a
        # field of each item of a list (`at: item`), asked once the planner is done with that
        # item: say, the date of each act, which picks the law a clock follows
        "details": {
            "type": "map",
            "value": {"type": "object", "fields": {
                "at": {"type": "enum", "values": ["start", "end", "item"], "required": True},
                "ask": {"type": "bilingual", "required": True},
                "help": {"type": "bilingual", "required": True},
                # asked only when another field holds (or, for a list, includes) a value
                "when": {"type": "object", "fields": {"field": {"type": "text", "required": True},
                                                      "has": {"type": "scalar", "required": True}}},
            }},
        },
    },
}


def item_detail_parts(case_format: CaseFormat, path: str) -> tuple[str, str] | None:
    """An item detail's list and field (``acts.on`` -> ("acts", "on")): a field of the items of
    a top-level list; None if `path` is not one."""
    head, _, rest = path.partition(".")
    listed = case_format.top.named.get(head)
    if not rest or "." in rest or listed is None or listed.item is None:   # only a list has an item
        return None
    return (head, rest) if rest in listed.item.named else None


def question_fields(case_format: CaseFormat) -> dict[str, Any]:
    """Every field the interview may ask, by question id: the answer fields (``fact: true``)
    and every list that makes entities (a list of items, or a list of vocabulary values)."""
    return {name: node for name, node in case_format.fields.items()
            if node.get("fact") or (node["type"] == "list" and node.get("entity"))}


@lru_cache(maxsize=8)
def _questions_cached(path: str, mtime: float) -> Located:
    return load_yaml(Path(path), pack_relative(Path(path), Path(path).parent))


def load_questions(root: Path | str, case_format: CaseFormat) -> dict:
    """Read ``questions.yaml`` of a pack and check it covers every field the interview asks:
    an entry per answer field and per list, texts in zh and en, a label for every vocabulary
    value offered as a choice (and none for values that do not exist)."""
    path = Path(root) / "questions.yaml"
    if not path.is_file():
        raise InputError("this rule pack has no questions.yaml: the interview needs one",
                         Span(str(path), 1, 1), "questions.yaml with sections: and questions:")
    doc = _questions_cached(str(path), path.stat().st_mtime)
    if not isinstance(doc.data, dict):
        raise InputError("questions.yaml must be a mapping", doc.span(()), "sections: and questions:")
    validate(doc, _QUESTIONS)
    fields = question_fields(case_format)
    questions = doc.data["questions"]
    for qid in fields:
        if qid not in questions:
            raise InputError(f"no question for the case-file field '{qid}'", doc.span(("questions",)),
                             f"{qid}: {{ask: {{zh: ..., en: ...}}, help: {{zh: ..., en: ...}}}}")
    top = list(case_format.top.named)
    for i, section in enumerate(doc.data["sections"]):
        if section not in top:
            raise InputError(f"section '{section}' is not a top-level field of the case format",
                             doc.span(("sections", i)), "one of: " + ", ".join(top))
    for qid, q in questions.items():
        if qid not in fields:
            raise InputError(f"question '{qid}' asks for no field the case format has", doc.key_span(("questions", qid)),
                             _suggest(qid, fields))
        node = fields[qid]
        if qid.split(".")[0] not in doc.data["sections"]:
            raise InputError(f"question '{qid}' is in no section", doc.key_span(("questions", qid)),
                             "its top-level field listed under sections:")
        is_items = node["type"] == "list" and node["item"]["type"] == "object"
        if is_items and "again" not in q:
            raise InputError(f"question '{qid}' is a list of items: it needs 'again' (is there another item?)",
                             doc.key_span(("questions", qid)), "again: {zh: ..., en: ...}")
        enum = node["item"] if node["type"] == "list" else node
        values = list(enum.get("values", ())) if enum["type"] == "enum" else []
        choices = q.get("choices") or {}
        for v in values:
            if v not in choices:
                raise InputError(f"question '{qid}' has no label for the choice {v!r}",
                                 doc.span(("questions", qid)), f"choices: {{{v}: {{zh: ..., en: ...}}}}")
        for v in choices:
            if v not in values:
                raise InputError(f"question '{qid}' labels {v!r}, which is not one of its values",
                                 doc.key_span(("questions", qid, "choices", v)),
                                 "one of: " + ", ".join(map(str, values)) if values else "no choices")
    for path in doc.data.get("details") or {}:
        per_item = (doc.data["details"][path] or {}).get("at") == "item"
        detail = case_format.field(path, in_items=per_item)
        if per_item and item_detail_parts(case_format, path) is None:
            raise InputError(f"detail '{path}' is asked for each item, but it is not a field of the items of a list",
                             doc.key_span(("details", path)), "a field like acts.on")
        if detail is None or detail.get("fact") or detail["type"] not in ("text", "date", "count"):
            raise InputError(f"detail '{path}' is not a text, date or count field of the case format",
                             doc.key_span(("details", path)), "a field like title or decided_on")
        when = (doc.data["details"][path] or {}).get("when")
        if when and case_format.field(when["field"]) is None:
            raise InputError(f"detail '{path}' is asked when '{when['field']}', which is not a field of the case format",
                             doc.span(("details", path, "when", "field")), "a field like claims.remedies")
    return doc.data
