"""A decision's holdings in the pack's own words, in Chinese or English: a holding's label
(its concept's, or the label the decision map gives an entity list), its value as the rule
that concluded it says it, the entities a holding lists in the words of the case-file field
that names them. The record diffs, the flips and why an answer matters all show them so.
"""
from __future__ import annotations

from typing import Any

from .decision_map import decision_map
from .i18n import gettext, pgettext
from .model import RulePack


def plain_value(v: Any) -> str:
    """A value no rule put into words (a flag, an amount, a list, a mapping)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return ", ".join(f"{k}={plain_value(x)}" for k, x in v.items())
    if isinstance(v, list):
        return "[" + ", ".join(map(str, v)) + "]"
    return "—" if v is None else str(v)


def says(pack: RulePack, concept: str, value: Any, lang: str) -> str:
    """What a concept's value says (undetermined: no rule concluded it)."""
    text = pack.concepts[concept].says.get(value)
    if text is None:
        return gettext("undetermined", lang) if value is None else str(value)
    return text.get(lang)


def _concept(pack: RulePack, key: str) -> str | None:
    m = decision_map(pack)
    return m["holdings"].get(key) or (m["disposition"] if key == "disposition" else None)


def holding_label(pack: RulePack, key: str, lang: str) -> str:
    concept = _concept(pack, key)
    if concept:
        return pack.concepts[concept].label.get(lang)
    listed = (decision_map(pack).get("entity_lists") or {}).get(key)
    return listed["label"][lang] if listed and "label" in listed else key


def holding_text(pack: RulePack, key: str, value: Any, lang: str) -> str:
    concept = _concept(pack, key)
    if concept is None:
        listed = (decision_map(pack).get("entity_lists") or {}).get(key)
        if listed is not None and isinstance(value, list):
            return entity_names(pack, listed["kind"], value, lang)
        return plain_value(value)
    if value not in pack.concepts[concept].says:  # no rule concluded it
        return gettext(str(value), lang)
    return says(pack, concept, value, lang)


def entity_names(pack: RulePack, kind: str, names: list, lang: str) -> str:
    """Entity names in the words of the case-file field whose values name them."""
    field = pack.case_format.naming[0].get(kind)
    return plain_value([pgettext(field, n, lang) if field else n for n in names])
