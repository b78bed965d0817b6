"""The opinion: a judgment-style draft rendered from the decision and its justification.

Pipeline: consultation -> :func:`build_model` (the *opinion model*: the decision record,
the justification tree grouped into issues and per-rule reasoning paragraphs, findings,
evidence, citations, all as bilingual data) -> Jinja2 templates -> blocks -> Markdown,
HTML or DOCX.

This module knows no law and no judgment wording. The structure and wording of the
judgment belong to the rule pack: ``templates/<name>/``, named by ``templates:`` in its
``pack.yaml`` (Jinja2, sandboxed, ``StrictUndefined``); a pack without templates gets the
neutral decision report of ``templates/report/`` (holdings, reasons with citations,
findings), whose layouts every pack shares. The
boilerplate's translations in ``locale/`` (gettext catalogs read with Babel); every legal
text comes from the rule pack. The body template emits *blocks* (``blk("para")`` marks
the start of one); a block is a unit of layout that the format templates lay out, and the
unit of the parallel ``zh+en`` rendering (paragraph by paragraph). Traditional Chinese is
the Simplified rendering converted with OpenCC.

A court customises the opinion with a directory of templates that shadows the defaults
(``--templates DIR``); any rule's reasoning paragraph can be reworded in
``reasons/<rule id>.j2`` (e.g. ``reasons/cn.copyright_law.art003/work.j2``); the checker
of such a directory is :mod:`engine.template_check`.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Iterator

from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from jinja2 import ChoiceLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2 import TemplateSyntaxError
from markupsafe import Markup

from .decision import build_record
from .docx_writer import write_docx
from .errors import AssessorError, Span
from .explain import Node, justify
from .model import CASE, Text, RulePack
from .casefile import Case
from .sandbox import (FolderLoader, FrozenList, RenderLimit, Sandbox, TemplateRefused,
                      frozen, render_bounded)
from .session import Consultation
from .yamlsrc import parse_yaml

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_ROOT = PACKAGE_DIR / "templates"
#: the neutral decision report and the layouts every pack's templates fall back on
REPORT_DIR = TEMPLATES_ROOT / "report"
#: the templates of the PRC pack (the default of `templates check` and of the tests)
TEMPLATES_DIR = TEMPLATES_ROOT / "cn"
LOCALE_DIR = PACKAGE_DIR / "locale"

#: --lang values: (render languages, OpenCC configuration or None, Babel locale per language)
LANGS = {
    "zh": (("zh",), None, "zh_Hans_CN"),
    "zh-Hant": (("zh",), "s2tw", "zh_Hant_TW"),
    "zh-Hant-TW": (("zh",), "s2tw", "zh_Hant_TW"),
    "zh-Hant-HK": (("zh",), "s2hk", "zh_Hant_HK"),
    "en": (("en",), None, "en_US"),
    "zh+en": (("zh", "en"), None, "zh_Hans_CN"),
}
FORMATS = ("md", "html", "docx")
CATALOG_LANGS = ("zh", "en")
BODY = "judgment.j2"
LAYOUT = {"md": "opinion.md.j2", "html": "opinion.html.j2"}
REASON_DEFAULT = "reasons/_default.j2"

_BLOCK_START, _BLOCK_KIND_END = "\x1e", "\x1f"


class OpinionError(AssessorError):
    """A template is broken (syntax, undefined name, unsafe access) or a language is unknown."""


# --------------------------------------------------------------------------- catalogs

@lru_cache(maxsize=None)
def _catalog(lang: str, locale_dir: str):
    path = Path(locale_dir) / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def catalog_messages(lang: str, locale_dir: Path = LOCALE_DIR) -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> msgstr of one catalog, translated entries only."""
    return {(m.context, m.id): m.string for m in _catalog(lang, str(locale_dir))
            if m.id and isinstance(m.id, str) and m.string}


@lru_cache(maxsize=None)
def _translations(lang: str, locale_dir: str) -> Translations:
    buf = io.BytesIO()
    write_mo(buf, _catalog(lang, locale_dir))
    buf.seek(0)
    return Translations(buf, domain="messages")


class _Converted:
    """gettext functions whose results are converted (Simplified -> Traditional)."""

    def __init__(self, base: Translations, convert):
        self._base, self._convert = base, convert

    def gettext(self, m):
        return self._convert(self._base.gettext(m))

    def ngettext(self, s, p, n):
        return self._convert(self._base.ngettext(s, p, n))

    def pgettext(self, c, m):
        return self._convert(self._base.pgettext(c, m))

    def npgettext(self, c, s, p, n):
        return self._convert(self._base.npgettext(c, s, p, n))


@lru_cache(maxsize=None)
def _opencc(config: str):
    import opencc
    return opencc.OpenCC(config)


def _identity(s: str) -> str:
    return s


# --------------------------------------------------------------------------- the model

def _nest_quotes(s: str) -> str:
    """《A《B》》 -> 《A〈B〉》: title marks nested inside title marks become single ones."""
    out, depth = [], 0
    for ch in s:
        if ch == "《":
            out.append("《" if depth == 0 else "〈")
            depth += 1
        elif ch == "》":
            depth = max(0, depth - 1)
            out.append("》" if depth == 0 else "〉")
        else:
            out.append(ch)
    return "".join(out)


def _cite(pack: RulePack, aid: str, short: bool = False) -> Text:
    a = pack.authorities[aid]
    return Text(_nest_quotes(a.citation("zh", short)), a.citation("en", short))


def _entity_fields(case_format) -> dict[str, tuple]:
    """Entity kind -> ("id", path) for lists of records, ("value", path) for lists of values,
    ("cross",) for entities made of links."""
    out: dict[str, tuple] = {}

    def walk(node, path):
        if node.get("entity"):
            item = node["item"]
            shape = "id" if item["type"] == "object" else "value"
            out.setdefault(node["entity"], (shape, ".".join(path)))
        for name, sub in node.get("fields", {}).items():
            walk(sub, path + (name,))
        if "item" in node:
            walk(node["item"], path)

    walk(case_format["root"], ())
    for kind, spec in case_format.get("entities", {}).items():
        if "names_from" in spec:
            out[kind] = ("value", ".".join(p for p in spec["names_from"] if p != "item"))
        else:
            out[kind] = ("cross",)
    return out


@dataclass(frozen=True)
class Label:
    """A name to show for an entity, resolved per language at render time."""

    parts: tuple  # ("entity", kind, name) | ("value", context, value) | ("linked", Label, Label)


class OpinionModel(dict):
    """The data a judgment template sees (a dict: templates index it by key)."""


def _label(pack: RulePack, fields: dict, c: Consultation, entity_id: str) -> Label | None:
    if entity_id == CASE:
        return None
    e = c.entities[entity_id]
    shape = fields.get(e.kind, ("value", e.kind))
    if shape[0] == "cross" or (e.links and shape[0] == "value" and "/" in e.name):
        links = [_label(pack, fields, c, target) for target in e.links.values()]
        return Label(("linked",) + tuple(x for x in links if x))
    if shape[0] == "id":
        return Label(("entity", e.kind, e.name))
    return Label(("value", shape[1], e.name))


def _groups(apps: list[dict]) -> list[dict]:
    """Applications with the same conclusion text and burden, as one sentence each."""
    out: list[dict] = []
    for a in apps:
        for g in out:
            if g["says"] == a["says"] and g["burden"] == a["burden"]:
                if a["subject"] is not None:
                    g["subjects"].append(a["subject"])
                break
        else:
            out.append({"says": a["says"], "burden": a["burden"], "value": a["value"],
                        "subjects": [a["subject"]] if a["subject"] is not None else []})
    return out


def _post_order(node: Node, c: Consultation) -> Iterator[Node]:
    for child in node.children:
        yield from _post_order(child, c)
    d = node.derivation
    if d is not None and any(p.absent for p in d.premises) and not any(ch.derivation for ch in node.children):
        # Concluded for want of proof (a burden): what was offered, and why it fell short,
        # are the conclusions about the entities linked to this one (the evidence for a fact).
        linked = {e.id for e in c.entities.values() if node.entity in e.links.values()}
        for other in c.fired:
            if other.entity in linked:
                yield Node(other.concept, other.entity, other.value, other)
    yield node


def _paragraphs(pack: RulePack, fields: dict, c: Consultation, root: Node, shown: set) -> list[dict]:
    """The reasoning of one issue: one paragraph per rule, in the order the conclusions
    build on each other (premises first), each rule's applications grouped."""
    order: list[str] = []
    apps: dict[str, list[dict]] = {}
    for node in _post_order(root, c):
        d = node.derivation
        if node.absent or d is None or (node.concept, node.entity) in shown:
            continue
        shown.add((node.concept, node.entity))
        if d.rule not in apps:
            order.append(d.rule)
            apps[d.rule] = []
        says = pack.concepts[node.concept].says.get(node.value)
        apps[d.rule].append({"subject": _label(pack, fields, c, node.entity), "value": node.value,
                             "says": says, "burden": d.burden,
                             "open_textured": pack.concepts[node.concept].open_textured,
                             # read off the case file alone: no conclusion and no absence among its premises
                             "plain": all(not p.absent and not pack.concepts[p.concept].derived
                                          for p in d.premises),
                             "concept": node.concept, "kind": c.entities[node.entity].kind,
                             # the item of evidence the conclusion is about, if any (as the case file has it)
                             "item": _evidence_item(c, node.entity),
                             # the values of the conclusions it rests on
                             "grounds": tuple(p.value for p in d.premises
                                              if not p.absent and pack.concepts[p.concept].derived)})
    out = []
    for rid in order:
        rule = _rule_info(pack, rid, c.case.decided_on)
        a = apps[rid]
        out.append({"rule": rule, "applications": a, "groups": _groups(a),
                    "open_textured": rule["open_textured"] or any(x["open_textured"] for x in a)})
    return out


def _evidence_item(c: Consultation, entity_id: str) -> dict | None:
    target = c.entities[entity_id].links.get("evidence") if entity_id in c.entities else None
    if not target:
        return None
    name = c.entities[target].name
    return next((ev for ev in c.case.data.get("evidence") or [] if str(ev.get("id")) == name), None)


def _rule_info(pack: RulePack, rid: str, day: str | None = None) -> dict:
    """What a reasoning paragraph shows of one rule. With `day` (the decision date), only
    holdings decided before it are cited; a rule from a later holding (or from the case
    itself) is stated as the court's own reasoning, without a citation."""
    src = pack.rule(rid)
    ids = [src.source] + [x for x in src.cites if x != src.source]
    citable = [i for i in ids if day is None or _citable(pack, i, day)]
    a = pack.authorities[src.source]
    kind = a.kind if src.source in citable else "own"
    return {
        "id": rid, "source": src.source, "kind": kind, "explain": src.explain,
        # the quoted words, when they are the source's own (a rule may quote a provision it cites)
        "quote": src.quote if src.quote and src.quote in a.text.zh else "",
        # the whole sentence of the provision that holds the quoted words, when it is one
        "sentence": _sentence(a.text.zh, src.quote) if a.kind == "provision" and src.quote else "",
        "citation": _cite(pack, src.source),
        "guiding": a.kind == "holding" and a.source.get("authority") == "guiding",
        "court": Text(**a.source["court"]) if isinstance(a.source.get("court"), dict) else None,
        "decided": _holding_date(a) if a.kind == "holding" else None,
        "also": [_cite(pack, i) for i in citable if i != src.source],
        "provisions": [_cite(pack, i) for i in citable if pack.authorities[i].kind == "provision"],
        "holdings": [_cite(pack, i) for i in citable if pack.authorities[i].kind == "holding"],
        "cites": citable,
        "open_textured": bool(getattr(src, "open_textured", False)),
        "burden": not hasattr(src, "form"),  # a burden of proof, not a rule
    }


def _holding_date(a) -> str | None:
    d = a.source.get("decided") or a.source.get("published")
    return str(d) if d else None


def _citable(pack: RulePack, aid: str, day: str) -> bool:
    """A provision always; a holding only if decided (or, lacking that date, published)
    before the decision date: never a later case, and never the case being decided."""
    a = pack.authorities[aid]
    if a.kind != "holding":
        return True
    d = _holding_date(a)
    if not d:
        return False
    last = d + {1: "-12-31", 2: "-31"}.get(len(d.split("-")), "")   # a month or year: its last day
    return last < str(day)


def _sentence(text: str, quote: str) -> str:
    """The sentence of `text` that contains `quote`, if it is a complete one (ends with 。
    or ；, not a lead-in ending with ： before a list); otherwise ""."""
    i = text.find(quote)
    if i < 0:
        return ""
    start = max(text.rfind(ch, 0, i) for ch in "。；：\n") + 1
    ends = [j for j in (text.find(ch, i + len(quote)) for ch in "。；：\n") if j >= 0]
    if not ends:
        return ""
    end = min(ends)
    if text[end] not in "。；":
        return ""
    body = re.sub(r"^第[零一二三四五六七八九十百千]+条\s*", "", text[start:end].strip())
    return re.sub(r"^（[零一二三四五六七八九十]+）", "", body)


def _basis(pack: RulePack, ids: list[str]) -> Text:
    """Provisions grouped by instrument: 《A》第三条、第十一条，《B》第九十条."""
    groups: dict[str, list] = {}
    for aid in ids:
        a = pack.authorities[aid]
        key = a.source.get("instrument", {}).get("zh", aid) if isinstance(a.source.get("instrument"), dict) else aid
        groups.setdefault(key, []).append(a)
    zh, en = [], []
    for members in groups.values():
        first = members[0]
        if "instrument" in first.source and "cite" in first.source:
            cites = [m.source["cite"]["zh"] for m in members]
            # a version named before the article, （2010年修正）第三条, is said once for the instrument
            cites = cites[:1] + [re.sub(r"^（[^）]*）", "", x) if x.startswith(cites[0][:cites[0].find("）") + 1] or "\0")
                                 and cites[0].startswith("（") else x for x in cites[1:]]
            # items of the same paragraph: 第十条第一款第（二）项、第（十二）项
            for k in range(len(cites) - 1, 0, -1):
                here, before = re.match(r"(.*款)(第（.+）项)$", cites[k]), re.match(r"(.*款)", cites[k - 1])
                if here and before and re.sub(r"^（[^）]*）", "", before.group(1)) == here.group(1):
                    cites[k] = here.group(2)
            zh.append(_nest_quotes(f"《{first.source['instrument']['zh']}》") + "、".join(cites))
            en.append(f"{first.source['instrument']['en']}, " + ", ".join(m.source["cite"]["en"] for m in members))
        else:
            zh += [_nest_quotes(m.citation("zh")) for m in members]
            en += [m.citation("en") for m in members]
    return Text("，".join(zh), "; ".join(en))


def build_model(pack: RulePack, case: Case, c: Consultation, case_digest: str | None = None) -> OpinionModel:
    """The opinion model of a finished consultation: everything a template may show."""
    record = build_record(pack, case, c)
    m = pack.manifest["decision"]
    judgment = pack.manifest.get("opinion") or {}
    fields = _entity_fields(pack.case_format)
    raised = _raised(case, judgment)
    shown: set = set()
    issues, quiet = [], []
    for key, concept in m["holdings"].items():
        tree = justify(c, concept)
        value = record["holdings"][key]
        paragraphs = _paragraphs(pack, fields, c, tree, shown)
        lead = None
        if paragraphs and tree.derivation and paragraphs[-1]["rule"]["id"] == tree.derivation.rule:
            lead = paragraphs.pop()   # the rule that decides the issue opens it
        elements = {p.concept for p in tree.derivation.premises} if tree.derivation else set()
        roles = [(p, _role(p, m, raised, elements)) for p in paragraphs]
        # what a defence nobody raised would have been answered with is not cited either
        dropped = {p["rule"]["source"] for p, r in roles if r == "unraised"}
        for p, _r in roles + ([(lead, "lead")] if lead else []):
            keep = [i for i in p["rule"]["cites"] if i == p["rule"]["source"] or i not in dropped]
            p["rule"] = {**p["rule"], "cites": keep,
                         "also": [_cite(pack, i) for i in keep if i != p["rule"]["source"]]}
        item = {"key": key, "concept": concept, "label": pack.concepts[concept].label, "value": value,
                "says": pack.concepts[concept].says.get(value), "lead": lead,
                "paragraphs": [p for p, r in roles if r != "unraised"]}
        for role in ROLES:
            item[role] = [p for p, r in roles if r == role]
        # the elements in dispute: what the deciding rule rests on that is not settled
        settled = {x["concept"] for p in item["settled"] for x in p["applications"]}
        item["contested"] = [pack.concepts[p.concept].label for p in
                             (tree.derivation.premises if tree.derivation else ())
                             if not p.absent and pack.concepts[p.concept].derived and p.concept not in settled
                             and p.concept in {x["concept"] for q in item["paragraphs"] for x in q["applications"]}]
        (quiet if value in ("not_reached", "undetermined") else issues).append(item)
    # conclusions reported as notes (the answer to a defence, say), where they hold
    answers = [p for concept in m.get("notes", ()) if c.value(concept, CASE) not in (None, "unknown")
               for p in _paragraphs(pack, fields, c, justify(c, concept), shown)]
    answers = [p for p in answers if _role(p, m, raised, set()) in ("defence", "point")]
    disp_tree = justify(c, m["disposition"])
    closing = [p for p in _paragraphs(pack, fields, c, disp_tree, shown) if _role(p, m, raised, set()) != "unraised"]
    # a rule worded as a burden not discharged (its source a provision on the burden of proof)
    # that here rests on holdings proven false: the judgment says the claims lack a basis
    # instead of "未能证明" (reasons agree with holdings)
    burden_law = {b.source for b in pack.burdens} | {x for b in pack.burdens for x in b.cites}
    for p in closing:
        p["proven_false"] = (p["rule"]["source"] in burden_law and all(
            a["grounds"] and all(v == "refuted" for v in a["grounds"]) for a in p["applications"]))
    # the disposition: its own rule and the judgments the court makes on the way (the amount);
    # the bookkeeping in between (every remedy supported? every claim?) goes without saying
    closing = [p for i, p in enumerate(closing) if p["open_textured"] or i == len(closing) - 1]
    # the paragraphs the judgment reasons with, in reading order; settled elements and
    # holdings left unproven are summed up in a sentence and cite nothing
    reasoned = [x for i in issues for x in ([i["lead"]] if i["lead"] else []) + i["burden"] + i["evidence"]
                + i["finding"] + i["point"] + i["defence"]] + answers + [p for p in closing if not p["proven_false"]]
    # the provision of a defence (a defendant's burden) is cited beside another rule only if
    # the judgment applies it or the defence was raised: Art. 5 is not cited when nobody said
    # the subject was excluded
    applied = {p["rule"]["source"] for p in reasoned}
    defences_of = {b.source for b in pack.burdens if b.on == "defendant" and b.fact not in raised}
    for p in reasoned:
        keep = [i for i in p["rule"]["cites"] if i == p["rule"]["source"] or i in applied or i not in defences_of]
        p["rule"] = {**p["rule"], "cites": keep,
                     "also": [_cite(pack, i) for i in keep if i != p["rule"]["source"]]}
    seen_sources: set = set()
    for p in reasoned:
        # in reading order: does this paragraph cite its authority for the first time?
        p["rule"] = {**p["rule"], "first_use": p["rule"]["source"] not in seen_sources}
        seen_sources.add(p["rule"]["source"])

    evidence = []
    for ev in case.data.get("evidence") or []:
        eid = f"evidence:{ev.get('id')}"
        proofs = [e for e in c.entities.values() if e.links.get("evidence") == eid]
        verdicts, reasons = [], []
        for fact in (m.get("item_notes") or {}).get("facts", []):   # e.g. how its integrity was verified
            for d in c.why(fact, eid):
                info = _rule_info(pack, d.rule, case.decided_on)
                reasons.append({"explain": info["explain"], "value": d.value,
                                "citations": info["provisions"] + info["holdings"]})
        for p in proofs:
            for d in c.why(_probative_concept(c, p.id), p.id) if _probative_concept(c, p.id) else []:
                verdicts.append(d.value)
                info = _rule_info(pack, d.rule, case.decided_on)
                if info["explain"] not in [r["explain"] for r in reasons]:
                    reasons.append({"explain": info["explain"], "value": d.value,
                                    "citations": info["provisions"] + info["holdings"]})
        accepted = ("rejected" if verdicts and all(v == "refuted" for v in verdicts) else
                    "accepted" if verdicts and all(v == "established" for v in verdicts) else
                    "partly" if verdicts else "unassessed")
        evidence.append({"id": ev.get("id"), "data": ev, "label": Label(("entity", "evidence", ev.get("id"))),
                         "proves": [Label(("value", fields.get("topic", ("value", "topic"))[1], t))
                                    for t in ev.get("proves") or []],
                         "assessment": accepted, "reasons": reasons})

    findings = []
    labels = {v: k for k, v in m["findings"]["claims"].items()}
    for f in record["findings"]:
        concept = pack.concepts.get(f["fact"])
        findings.append({**f, "field": f["fact"],
                         "label": concept.label if concept else None,
                         "topic": Label(("value", fields.get("topic", ("value", "topic"))[1],
                                         labels.get(f["fact"], f["fact"]))),
                         "evidence_labels": [Label(("entity", "evidence", e)) for e in f["evidence"]]})

    provisions = _ordered(pack, judgment, [i for p in reasoned for i in p["rule"]["cites"]
                                           if pack.authorities[i].kind == "provision"])
    holdings_cited = list(dict.fromkeys(i for p in reasoned for i in p["rule"]["cites"]
                                        if pack.authorities[i].kind == "holding"))
    appendix = [_authority_info(pack, aid) for aid in provisions]
    cases_cited = [_authority_info(pack, aid) for aid in holdings_cited]
    fee_source = record["remedies"].get("court_fee_source")
    acts = []
    for a_rec, a_data in zip(record["acts"], case.data.get("acts") or []):
        acts.append({**a_rec, "data": a_data, "label": Label(("entity", "act", a_rec["id"])),
                     "rights_labels": [Label(("value", fields.get("right", ("value", "right"))[1], r))
                                       for r in a_rec["rights"]]})
    answered = {x["concept"] for p in reasoned for x in p["applications"]}
    defences = [{"kind": d.get("kind"), "detail": d.get("detail"),
                 "answered": bool(set(judgment.get("defences", {}).get(d.get("kind"), ())) & answered)}
                for d in case.data.get("defenses") or [] if isinstance(d, dict)]
    late = next((aid for aid in judgment.get("late_performance", ())
                 if aid in pack.authorities and pack.authorities[aid].in_force(case.decided_on)), None)
    return OpinionModel(
        case=case.data,
        record=record,
        holdings=record["holdings"],
        disposition=record["holdings"]["disposition"],
        disposition_says=pack.concepts[m["disposition"]].says.get(record["holdings"]["disposition"]),
        remedies=record["remedies"],
        issues=issues,
        not_reached=quiet,
        closing=closing,
        answers=answers,
        findings=findings,
        evidence=evidence,
        acts=acts,
        defences=defences,
        # defences: None when the case file never says (the interview did not ask)
        defences_stated="defenses" in case.data,
        basis=_basis(pack, provisions),
        basis_ids=provisions,
        late_performance=_cite(pack, late) if late else None,
        fee_basis=_cite(pack, fee_source) if fee_source in pack.authorities else None,
        appendix=appendix,
        cases_cited=cases_cited,
        stamp={
            "version": _version(),
            "pack": f"{pack.id} {pack.version}",
            "digest": pack.digest,
            "law_as_of": case.decided_on,
            "case_digest": case_digest or "",
        },
    )


#: the parts of an issue's reasoning, in the order the judgment takes them up
ROLES = ("settled", "burden", "evidence", "finding", "unproven", "point", "defence")


def _raised(case: Case, judgment: dict) -> set[str]:
    """The conclusions a defence raised in the case file puts in issue."""
    out: set[str] = set()
    for d in case.data.get("defenses") or []:
        if isinstance(d, dict):
            out |= set(judgment.get("defences", {}).get(d.get("kind"), ()))
    return out


def _role(p: dict, m: dict, raised: set, elements: set) -> str:
    """Where a paragraph belongs in the court's reasoning on an issue:
    unraised  a defendant's burden whose defence nobody raised (not discussed);
    defence   the answer to a defence raised;
    evidence  what an item of evidence proves;
    settled   an element of the issue met on the case file's own answers (one sentence);
    burden    who bears the burden of proving the facts in dispute;
    finding   a fact found proven;
    unproven  a conclusion that fails on the facts, with nothing to weigh (one sentence);
    point     the rest: the points in dispute."""
    apps = p["applications"]
    concepts = {a["concept"] for a in apps}
    if concepts & raised:
        return "defence"
    if apps and all(a["burden"] == "defendant" for a in apps):
        return "unraised"
    if all(a["kind"] == m["findings"]["evidence"]["kind"] for a in apps):
        return "evidence"
    plain = all(a["plain"] for a in apps) and not p["open_textured"] and not any(a["burden"] for a in apps)
    if plain and concepts <= elements:
        return "settled"
    if p["rule"]["burden"]:
        return "burden"
    if concepts == {m["findings"]["fact"]}:
        return "finding"
    if not p["open_textured"] and (all(a["value"] == "not_established" for a in apps) or
                                   (plain and all(a["value"] == "refuted" for a in apps))):
        return "unproven"
    return "point"


def _ordered(pack: RulePack, judgment: dict, ids: list[str]) -> list[str]:
    """Provision ids without repeats, in the order of the 依照 clause: instruments in the
    pack's order (laws, regulations, judicial interpretations), articles in article order."""
    order = list(judgment.get("basis_order", ()))

    def key(aid):
        inst = pack.authorities[aid].source.get("instrument")
        name = inst.get("zh") if isinstance(inst, dict) else aid
        return (order.index(name) if name in order else len(order), name, aid)   # ids are zero-padded

    return sorted(dict.fromkeys(ids), key=key)


def _probative_concept(c: Consultation, entity_id: str) -> str | None:
    kind = c.entities[entity_id].kind
    for name, concept in c.pack.concepts.items():
        if concept.about == kind and concept.derived and c.why(name, entity_id):
            return name
    return None


def _authority_info(pack: RulePack, aid: str) -> dict:
    a = pack.authorities[aid]
    return {"id": aid, "kind": a.kind, "citation": _cite(pack, aid), "title": a.title, "text": a.text,
            "text_status": a.text_status or "", "verified": a.verified,
            "court": Text(**a.source["court"]) if isinstance(a.source.get("court"), dict) else None,
            "decided": _holding_date(a) if a.kind == "holding" else None}


def _version() -> str:
    try:
        return metadata.version("assessor")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


# --------------------------------------------------------------------------- rendering

@dataclass(frozen=True)
class Block:
    kind: str
    texts: list[tuple[str, str]]     # (language tag, text) in reading order


@lru_cache(maxsize=64)
def environment(lang: str, variant: str, locale: str, search: tuple[str, ...], locale_dir: str) -> "_Env":
    """The environment of one template set and language, made once: Jinja2 then compiles
    each template once per process (it re-reads a template whose file changed)."""
    return _Env(lang, variant, locale, [Path(p) for p in search], Path(locale_dir))


def pack_templates(pack: RulePack | None) -> Path:
    """The folder of a pack's own templates (``templates: <name>`` in pack.yaml), or the
    neutral decision report's for a pack that names none."""
    name = (pack.manifest.get("templates") if pack is not None else None)
    if not name:
        return REPORT_DIR
    folder = TEMPLATES_ROOT / name
    if not folder.is_dir():
        raise OpinionError(f"the rule pack names templates '{name}' but there is no folder {folder}",
                           Span(str(Path(pack.root) / "pack.yaml")), "a folder of templates under templates/")
    return folder


def search_path(templates: Path | None, pack_dir: Path) -> tuple[str, ...]:
    """Where templates are looked up, first found first: a court's overrides, the pack's own
    templates, then the neutral report (the layouts)."""
    return tuple(dict.fromkeys(str(p) for p in ([templates] if templates else []) + [pack_dir, REPORT_DIR]))


class _Env:
    """One sandboxed Jinja2 environment for one render language."""

    def __init__(self, lang: str, variant: str, locale: str, search: list[Path], locale_dir: Path):
        self.lang, self.variant, self.locale = lang, variant, locale
        convert = _opencc(LANGS[variant][1]).convert if LANGS[variant][1] and lang == "zh" else _identity
        self.convert = convert
        env = Sandbox(
            loader=ChoiceLoader([FolderLoader(p) for p in search]),
            undefined=StrictUndefined, extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
            autoescape=lambda name: bool(name and name.endswith(".html.j2")),
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        tr = _translations(lang, str(locale_dir))
        self.tr = _Converted(tr, convert) if convert is not _identity else tr
        env.install_gettext_translations(self.tr, newstyle=True)
        env.filters.update({
            "t": self.text, "label": self.label, "date": self.date, "money": self.money,
            "number": self.number, "numeral": self.numeral, "join_list": self.join_list,
            "lcfirst": self.lcfirst, "value": self.value, "md": _md_escape, "nl2br": _nl2br,
            "sign_date": self.sign_date, "q": self.quoted,
        })
        env.globals.update({"blk": _blk, "lang": lang, "variant": variant})
        env.guard_filters()
        self.env = env

    # filters -------------------------------------------------------------------
    def text(self, t) -> str:
        if t is None or isinstance(t, StrictUndefined):
            raise TemplateError("the filter 't' needs a bilingual text, got nothing")
        return self.convert(t.get(self.lang)) if isinstance(t, Text) else self.convert(str(t))

    def value(self, value, context: str) -> str:
        """The label of a case-file value (an enum value, yes/no, a count) for field `context`."""
        if value is True:
            return self._("yes")
        if value is False:
            return self._("no")
        if value is None or value == "unknown":
            return self._("not stated")
        if isinstance(value, (int, float)):
            return self.number(value)
        return self.tr.pgettext(context, str(value))

    def _(self, message: str, **variables) -> str:
        text = self.tr.gettext(message)
        return text % variables if variables else text

    def label(self, lab) -> str:
        if lab is None:
            return ""
        if isinstance(lab, Text):
            return self.text(lab)
        kind, *rest = lab.parts
        if kind == "entity":
            return self._("%(kind)s %(name)s", kind=self.tr.pgettext("entity", rest[0]), name=rest[1])
        if kind == "value":
            return self.tr.pgettext(rest[0], rest[1])
        names = [self.label(x) for x in rest]
        out = names[0]
        for n in names[1:]:
            out = self._("%(first)s (%(second)s)", first=out, second=n)
        return out

    def date(self, iso) -> str:
        """2024-03-15 -> 2024年3月15日 / March 15, 2024; 2023-10 -> 2023年10月 / October 2023."""
        s = str(iso)
        parts = [int(x) for x in s.split("-")]
        if len(parts) == 3:
            return format_date(date(*parts), "long", locale=self.locale)
        if len(parts) == 2:
            return format_skeleton("yMMMM", date(parts[0], parts[1], 1), locale=self.locale)
        return s

    def sign_date(self, iso) -> str:
        """The date under the signatures: 二〇二五年六月三十日 in Chinese, as `date` in English."""
        parts = [int(x) for x in str(iso).split("-")]
        if self.lang != "zh" or len(parts) != 3:
            return self.date(iso)
        y, m, d = parts
        return self.convert("".join("〇一二三四五六七八九"[int(ch)] for ch in str(y)) + "年"
                            + _zh_numeral(m) + "月" + _zh_numeral(d) + "日")

    def quoted(self, text) -> str:
        """Free text from the case file: as it is in Chinese; in English, Chinese text is not
        spliced into the sentence but given in quotation marks."""
        text = str(text)
        if self.lang == "en" and re.search(r"[\u3400-\u9fff]", text):
            return f"“{text}”"
        return self.convert(text)

    def number(self, n) -> str:
        return format_decimal(n, locale=self.locale)

    def money(self, amount) -> str:
        return self._("RMB %(amount)s", amount=self.number(amount))

    def numeral(self, n: int) -> str:
        """Issue and order numbers: 一、二 in Chinese, 1. 2. in English."""
        if self.lang == "zh":
            return self.convert(_zh_numeral(int(n)))
        return str(int(n))

    def join_list(self, items) -> str:
        items = [str(i) for i in items]
        if not items:
            return ""
        return "、".join(items) if self.lang == "zh" else format_list(items, locale=self.locale)

    def lcfirst(self, s: str) -> str:
        if self.lang != "en" or len(s) < 2 or s[1].isupper():
            return s
        return s[0].lower() + s[1:]


def _zh_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def _blk(kind: str) -> Markup:
    if not re.fullmatch(r"[a-z][a-z_-]*", str(kind)):
        raise TemplateError(f"block kind {kind!r}: expected lowercase letters")
    return Markup(f"{_BLOCK_START}{kind}{_BLOCK_KIND_END}")


_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u201c\u201d"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")
LINE_BLOCKS = ("provision",)   # blocks whose line breaks are kept


def _flow(text: str, lang: str) -> str:
    """Template lines joined into running text; no spaces around Chinese characters."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    out = re.sub(r"[ \t]{2,}", " ", " ".join(lines))
    return _CJK_SPACE.sub("", out) if lang == "zh" else out


def _split_blocks(text: str, lang: str) -> list[tuple[str, str]]:
    out = []
    for chunk in text.split(_BLOCK_START)[1:]:
        kind, _, body = chunk.partition(_BLOCK_KIND_END)
        if kind in LINE_BLOCKS:
            # verbatim texts: each line kept as it is in the rule pack
            body = "\n".join(line.strip() for line in body.strip().splitlines() if line.strip())
        else:
            body = _flow(body, lang)
        if body:
            out.append((kind, body))
    return out


def _md_escape(text: str) -> str:
    text = re.sub(r"([\\`*_<>])", r"\\\1", str(text))
    text = re.sub(r"^([#+-])(\s)", r"\\\1\2", text)
    return re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text)


def _nl2br(text: str) -> Markup:
    return Markup("<br>\n").join(Markup.escape(line) for line in str(text).split("\n"))


def error_location(exc: BaseException) -> Span | None:
    if isinstance(exc, TemplateRefused):
        return Span(exc.path, exc.line, exc.col)
    if isinstance(exc, TemplateSyntaxError):
        return Span(exc.filename or exc.name or "?", exc.lineno or 0)
    where = None
    tb = exc.__traceback__
    while tb is not None:
        fn = tb.tb_frame.f_code.co_filename
        if fn.endswith(".j2"):
            where = Span(fn, tb.tb_lineno)
        tb = tb.tb_next
    return where


def _run(template, context: dict) -> str:
    try:
        return render_bounded(template, context)
    except OpinionError:
        raise
    except Exception as e:  # noqa: BLE001 - every template failure becomes file:line
        raise OpinionError(_describe(e), error_location(e) or Span(template.filename or template.name)) from None


def _describe(e: BaseException) -> str:
    name = type(e).__name__
    if name == "SecurityError":
        return f"unsafe access refused by the sandbox: {e}"
    if name == "UndefinedError":
        return f"undefined name: {e}"
    if isinstance(e, RecursionError):
        return "render stopped: macros or includes call themselves without end"
    if isinstance(e, TemplateRefused):
        return f"template refused: {e.reason}"
    if isinstance(e, RenderLimit):
        return f"render stopped: {e}"
    return f"{name}: {e}"


def _get(env, name: str):
    try:
        return env.get_template(name)
    except TemplateNotFound:
        raise OpinionError(f"template '{name}' not found") from None
    except TemplateSyntaxError as e:
        raise OpinionError(f"syntax error: {e.message}", error_location(e)) from None
    except TemplateRefused as e:
        raise OpinionError(f"template refused: {e.reason}", error_location(e)) from None


def _reason_template(env, rule_id: str):
    try:
        return env.get_template(f"reasons/{rule_id}.j2")
    except TemplateNotFound:
        return _get(env, REASON_DEFAULT)
    except TemplateSyntaxError as e:
        raise OpinionError(f"syntax error: {e.message}", error_location(e)) from None
    except TemplateRefused as e:
        raise OpinionError(f"template refused: {e.reason}", error_location(e)) from None


def _render_body(model: OpinionModel, e: _Env) -> list[tuple[str, str]]:
    env = e.env

    def reason(paragraph: dict, mode: str = "full") -> str:
        t = _reason_template(env, paragraph["rule"]["id"])
        return _flow(_run(t, {**paragraph, "mode": mode, "lang": e.lang, "variant": e.variant}), e.lang)

    text = _run(_get(env, BODY), {**model, "reason": reason})
    blocks = _split_blocks(text, e.lang)
    if e.convert is not _identity:
        blocks = [(k, e.convert(b)) for k, b in blocks]
    return blocks


def render_opinion(pack: RulePack, case: Case, *, lang: str = "zh", fmt: str = "md",
                   templates: Path | None = None, case_digest: str | None = None,
                   locale_dir: Path = LOCALE_DIR) -> str | bytes:
    """Decide `case` and draft its opinion: Markdown or HTML text, or DOCX bytes."""
    if lang not in LANGS:
        raise OpinionError(f"unknown language '{lang}'", None, ", ".join(LANGS))
    if fmt not in FORMATS:
        raise OpinionError(f"unknown format '{fmt}'", None, ", ".join(FORMATS))
    with Consultation(pack, case) as c:
        model = build_model(pack, case, c, case_digest)
    return render_model(model, lang=lang, fmt=fmt, templates=templates, locale_dir=locale_dir,
                        pack_dir=pack_templates(pack))


def render_model(model: OpinionModel, *, lang: str, fmt: str, templates: Path | None = None,
                 locale_dir: Path = LOCALE_DIR, pack_dir: Path = TEMPLATES_DIR) -> str | bytes:
    """Render an opinion model with the templates of `pack_dir` (see :func:`pack_templates`),
    `templates` (a court's overrides) shadowing them."""
    langs, _, locale0 = LANGS[lang]
    search = search_path(templates, pack_dir)
    envs = [environment(lg, lang, locale0 if lg == "zh" else "en_US", search, str(locale_dir)) for lg in langs]
    model = frozen(model)   # templates read the model; they cannot change it (nor its stamp)
    per_lang = [_render_body(model, e) for e in envs]
    tags = [("zh-Hant" if LANGS[lang][1] else "zh-Hans") if lg == "zh" else "en" for lg in langs]
    first = per_lang[0]
    for other, e in zip(per_lang[1:], envs[1:]):
        if [k for k, _ in other] != [k for k, _ in first]:
            raise OpinionError(f"the '{e.lang}' rendering of {BODY} has a different block structure "
                               f"from '{envs[0].lang}': parallel texts need the same blocks in each language")
    blocks = [Block(kind, FrozenList((tags[i], per_lang[i][j][1]) for i in range(len(langs))))
              for j, (kind, _) in enumerate(first)]
    if fmt == "docx":
        _check_stamp("\n".join(t for b in blocks for _, t in b.texts), model, BODY, shown=False)
        return write_docx(blocks, model["stamp"])
    layout = _get(envs[0].env, LAYOUT[fmt])
    out = _run(layout, {"blocks": FrozenList(blocks), "stamp": model["stamp"], "html_lang": tags[0],
                        "parallel": len(langs) > 1, "title": blocks[0].texts[0][1] if blocks else ""})
    _check_stamp(out, model, layout.filename)
    return out


_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")


def _check_stamp(text: str, model: dict, template: str, shown: bool = True) -> None:
    """The reproducibility stamp is the model's, which no template can change; a layout must
    show it (the DOCX writer adds it itself), and no template may print another digest than
    the stamp's or one the case file itself gives (a file's hash in an evidence description)."""
    stamp = model["stamp"]
    true = {stamp["digest"], stamp["case_digest"]} | set(_DIGEST.findall(repr(model["case"])))
    for digest in _DIGEST.findall(text):
        if digest not in true:
            raise OpinionError(f"the opinion shows a digest ({digest[:19]}...) that is not the stamp's: "
                               f"templates may not write their own stamp", Span(template))
    missing = [k for k in ("version", "digest", "law_as_of", "case_digest") if stamp[k] and stamp[k] not in text]
    if shown and missing:
        raise OpinionError(f"the layout does not show the reproducibility stamp ({', '.join('stamp.' + k for k in missing)})",
                           Span(template), "{{ stamp.version }}, {{ stamp.digest }}, {{ stamp.law_as_of }} "
                           "and {{ stamp.case_digest }}")


# --------------------------------------------------------------------------- extraction

def extract_case_format(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extractor for a rule pack's ``case-format.yaml``: each enum value of the case
    file, with its field path as the message context (``pgettext("acts.kind", "online_posting")``),
    and each entity kind (``pgettext("entity", "evidence")``), so ``pybabel extract`` keeps the
    catalogs' labels of case-file values in step with the case format."""
    doc = parse_yaml(fileobj.read().decode("utf-8"), getattr(fileobj, "name", "case-format.yaml"))
    seen: set = set()

    def walk(node, path, spath):
        if not isinstance(node, dict):
            return
        if node.get("entity") and ("entity", node["entity"]) not in seen:
            seen.add(("entity", node["entity"]))
            yield doc.span(spath).line, "pgettext", ("entity", node["entity"]), []
        if node.get("type") == "enum":
            ctx = ".".join(path)
            for i, v in enumerate(node.get("values") or []):
                if (ctx, str(v)) not in seen:
                    seen.add((ctx, str(v)))
                    yield doc.span(spath + ("values", i)).line, "pgettext", (ctx, str(v)), []
        for name, sub in (node.get("fields") or {}).items():
            yield from walk(sub, path + (name,), spath + ("fields", name))
        if "item" in node:
            yield from walk(node["item"], path, spath + ("item",))

    yield from walk(doc.data.get("root", {}), (), ("root",))
    for kind in (doc.data.get("entities") or {}):
        if ("entity", kind) not in seen:
            seen.add(("entity", kind))
            yield doc.span(("entities", kind)).line, "pgettext", ("entity", kind), []


def case_digest(path: Path) -> str:
    """The digest of a case file's bytes, for the opinion's stamp."""
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()
