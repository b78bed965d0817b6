"""The pack's law as data: each rule file's provision or holding, checked (its source, its dates,
whether the pack holds its text), and the clock each instrument's folder follows (pack.yaml's
``law_dates``: the dates of the case that pick the law in force). Read by engine/loader.py.
"""
from __future__ import annotations

from types import MappingProxyType

from .caseformat import CaseFormat
from .errors import InputError, suggest
from .model import DECIDED, Authority, Concept, Text, period_concept
from .yamlsrc import Located


def authority(fid: str, doc: Located, clock: str) -> Authority:
    d = doc.data
    held = d.get("text_held", True)
    if not held:
        _check_not_held(doc)
    body = d.get("text") if d["kind"] == "provision" else d.get("holding")
    if not held:
        body = {"zh": None, "en": "", "en_status": "text not held"}
    if body is None:
        key = "text" if d["kind"] == "provision" else "holding"
        raise InputError(f"a {d['kind']} needs its '{key}' (zh and en)", doc.span(()))
    if d["kind"] == "provision" and "effective" not in d:
        raise InputError("a provision needs 'effective: {from: YYYY-MM-DD}'", doc.span(()))
    if d["kind"] == "holding" and not d.get("interprets"):
        raise InputError("a holding needs 'interprets: [provision ids]'", doc.span(()))
    if d["kind"] == "holding" and not (d["source"].get("court") and d["source"].get("case")
                                       and (d["source"].get("decided") or d["source"].get("published"))):
        raise InputError("a holding cites its court, case and date", doc.span(("source",)),
                         "source: {court: ..., case: ..., decided: YYYY-MM-DD (or published: ...)}")
    if d["kind"] == "provision" and not (d["source"].get("instrument") and d["source"].get("article")):
        raise InputError("a provision cites its instrument and article", doc.span(("source",)),
                         "source: {instrument: {zh: ..., en: ...}, article: ...}")
    eff = d.get("effective") or {}
    if eff.get("until") and eff["until"] <= eff["from"]:
        raise InputError(f"in force until {eff['until']}, not after it comes into force ({eff['from']}): "
                         f"it would never be in force", doc.span(("effective", "until")),
                         f"a date after {eff['from']}, or no 'until'")
    if body.get("zh") is None and d["verified"]:
        raise InputError("the Chinese text may be left out (zh: null) only when 'verified: false'",
                         doc.span(("text", "zh")), "the verbatim Chinese text")
    return Authority(
        id=fid, kind=d["kind"], title=Text(d["title"]["zh"], d["title"]["en"]),
        text=Text(str(body["zh"] or "").strip(), str(body["en"]).strip()),
        text_status=body.get("en_status") or body.get("status"),
        source=MappingProxyType(d["source"]), effective_from=eff.get("from"),
        effective_until=eff.get("until"), verified=d["verified"],
        interprets=tuple(d.get("interprets") or ()), note=d.get("note"), span=doc.span(()),
        clock=clock if d["kind"] == "provision" else DECIDED, held=held)


def _check_not_held(doc: Located) -> None:
    # A provision the pack knows exists (its article, source and dates) without holding its text:
    # nothing may quote it, so it formalises nothing itself; a rule names it in `needs_law`.
    d = doc.data
    if d["kind"] != "provision":
        raise InputError("only a provision can be held without its text", doc.span(("text_held",)))
    if d["verified"]:
        raise InputError("a provision whose text is not held has no verified text", doc.span(("verified",)),
                         "verified: false")
    for key in ("text", "concepts", "rules", "burdens", "examples"):
        if key in d:
            raise InputError(f"a provision whose text is not held has no '{key}': a rule of a provision the "
                             "pack holds names it in needs_law", doc.key_span((key,)), "text_held: false alone")


def instrument_clocks(doc: Located, case_format: CaseFormat) -> dict[str, str]:
    """Which clock each instrument folder follows (pack.yaml law_dates): its list and date
    fields must be in the case format."""
    out: dict[str, str] = {}
    for clock, spec in (doc.data.get("law_dates") or {}).items():
        at = ("law_dates", clock)
        listed = case_format.top.named.get(spec["items"])
        items = listed.item if listed is not None else None   # a top-level list's item
        if clock == DECIDED or items is None or items.node["type"] != "object":
            raise InputError(f"clock '{clock}': '{spec['items']}' is not a list of the case format"
                             if clock != DECIDED else f"'{DECIDED}' is the decision date's own clock",
                             doc.span(at + ("items",) if clock != DECIDED else at), "a list of items with dates")
        fields = items.named
        for i, name in enumerate(spec["dates"]):
            if name not in fields or fields[name].node["type"] != "date":
                raise InputError(f"'{spec['items']}.{name}' is not a date field of the case format",
                                 doc.span(at + ("dates", i)), suggest(name, fields))
        if spec.get("continuing") and spec["continuing"]["field"] not in fields:
            raise InputError(f"'{spec['items']}.{spec['continuing']['field']}' is not a field of the case format",
                             doc.span(at + ("continuing", "field")), suggest(spec["continuing"]["field"], fields))
        for i, name in enumerate(spec["instruments"]):
            if name in out:
                raise InputError(f"instrument '{name}' follows two clocks", doc.span(at + ("instruments", i)),
                                 "each instrument under one clock")
            out[name] = clock
    return out


def clock_concepts(doc: Located, case_format: CaseFormat) -> dict[str, Concept]:
    """The input fact of each per-item clock (pack.yaml law_dates, per_item): for each item, the
    first day of the period of the law its own date falls in, set from the case file (never
    asked); the rules of each period about an item are guarded by it (RulePack.as_of)."""
    out = {}
    for clock, spec in (doc.data.get("law_dates") or {}).items():
        if not spec.get("per_item"):
            continue
        listed = case_format.top.named.get(spec["items"])
        if listed is None or not listed.entity:
            raise InputError(f"clock '{clock}' is per item, but '{spec['items']}' makes no entities",
                             doc.span(("law_dates", clock, "per_item")), "a list with 'entity:' in the case format")
        label = spec.get("label") or {"zh": clock, "en": clock}
        # an explanation shows it as "<the clock's label>, the period from: 2010-04-01"
        text = Text(f"{label['zh']}（所属期间的起始日）", f"{label['en']}, the period from")
        out[period_concept(clock)] = Concept(period_concept(clock), listed.entity, (), text,
                                             MappingProxyType({}), False, False, None, doc.span(("law_dates", clock)))
    return out
