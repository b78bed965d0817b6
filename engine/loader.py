"""Load a rule pack directory into one immutable :class:`RulePack`.

A pack is ``pack.yaml`` (manifest), ``case-format.yaml`` (the case file schema and its
answers) and one YAML file per provision or holding. A file's id is its path: the file
``rules/cn/copyright_law/art003.yaml`` of pack ``cn`` is ``cn.copyright_law.art003``,
and its rule ``work`` is ``cn.copyright_law.art003/work``.

The schema is closed; every reference is resolved; each rule's quoted words must occur
in its file's text; every user-visible text exists in Chinese and English. Any fault is
an :class:`InputError` with ``file:line:col``.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from .caseformat import CaseFormat, check_case_format
from .decision_map import check_decision_map, check_party, party_refs
from .errors import InputError, Span, pack_relative
from .errors import suggest as _suggest
from .questions import load_questions
from .model import (CASE, DECIDED, NOT_ESTABLISHED, UNKNOWN, VERDICT, Authority, Burden, Concept, Condition, Example, Form, Rule,
                    RulePack, Text)
from .schema import resolve_refs, validate
from .yamlsrc import Located, load_yaml

RESERVED = ("pack.yaml", "case-format.yaml", "questions.yaml")
EXCLUDED_DIRS = ("hypos",)

@lru_cache(maxsize=None)
def _schema(name: str) -> dict:
    """One of the schemas beside this module: rulefile, pack (pack.yaml), caseformat."""
    return resolve_refs(load_yaml(Path(__file__).with_name(f"{name}.schema.yaml")).data)


def _rulefile_schema() -> dict:
    return _schema("rulefile")


def load_pack(root: Path | str) -> RulePack:
    """Read, validate and cross-check the rule pack in directory `root`."""
    root = Path(root)
    if not (root / "pack.yaml").is_file():
        raise InputError("not a rule pack: pack.yaml is missing", Span(str(root)),
                         "a directory with pack.yaml and case-format.yaml")
    manifest = _read(root / "pack.yaml", root, _schema("pack"))
    fmt_doc = _read(root / "case-format.yaml", root, _schema("caseformat"))
    case_format = CaseFormat(fmt_doc.data)
    check_case_format(fmt_doc, case_format)
    kinds = set(case_format.kinds)
    if (root / "questions.yaml").is_file():
        load_questions(root, case_format)
    concepts: dict[str, Concept] = {}
    for name, node, kind in case_format.answers:
        concepts[name] = _input_concept(name, node, kind, fmt_doc)

    authorities: dict[str, Authority] = {}
    raw_rules, raw_burdens, examples = [], [], []
    files = sorted(p for p in root.rglob("*.yaml")
                   if p.name not in RESERVED or p.parent != root
                   if not any(d in p.relative_to(root).parts[:-1] for d in EXCLUDED_DIRS))
    clocks = _clocks(manifest, case_format)
    for path in files:
        doc = _read(path, root, _rulefile_schema())
        fid = manifest.data["id"] + "." + ".".join(path.relative_to(root).with_suffix("").parts)
        authorities[fid] = _authority(fid, doc, clocks.get(path.relative_to(root).parts[0], DECIDED))
        for where, party in party_refs(doc.data):
            check_party(manifest, doc, where, party)
        for name, c in (doc.data.get("concepts") or {}).items():
            if name in concepts:
                first = concepts[name].span
                raise InputError(f"concept '{name}' is declared twice (first at {first})",
                                 doc.key_span(("concepts", name)))
            concepts[name] = _concept(name, c, doc, kinds)
        raw_rules += [(fid, doc, i, r) for i, r in enumerate(doc.data.get("rules") or [])]
        raw_burdens += [(fid, doc, i, b) for i, b in enumerate(doc.data.get("burdens") or [])]
        examples += [Example(e["name"], fid, e["case"], MappingProxyType(e["expect"]),
                             tuple(e.get("fires", ())), doc.span(("examples", i)))
                     for i, e in enumerate(doc.data.get("examples") or [])]

    folders = {p.relative_to(root).parts[0] for p in files}
    for clock, spec in (manifest.data.get("law_dates") or {}).items():
        for i, name in enumerate(spec["instruments"]):
            if name not in folders:
                raise InputError(f"instrument '{name}' is not a folder of this pack",
                                 manifest.span(("law_dates", clock, "instruments", i)), _suggest(name, folders))
    kinds = _Kinds(kinds, case_format.links)
    every_rule = tuple(_rule(fid, doc, i, r, concepts, authorities, kinds) for fid, doc, i, r in raw_rules)
    rules = tuple(r for r in every_rule if not r.needs)
    seen: dict[str, Rule] = {}
    for r in every_rule:
        if r.id in seen:
            raise InputError(f"rule id '{r.id}' is used twice (first at {seen[r.id].span})", r.span)
        seen[r.id] = r
    fields = case_format.fields
    burdens = tuple(_burden(fid, doc, i, b, concepts, authorities, kinds, fields, case_format)
                    for fid, doc, i, b in raw_burdens)
    check_decision_map(manifest, concepts, kinds, authorities, fields)
    for a in authorities.values():
        for ref in a.interprets:
            if ref not in authorities:
                raise InputError(f"interprets '{ref}', which is not a provision of this pack", a.span,
                                 _suggest(ref, authorities))
            if not authorities[ref].held:
                raise InputError(f"interprets '{ref}', whose text the pack does not hold", a.span,
                                 "a provision the pack holds")
    return RulePack(
        id=manifest.data["id"], root=str(root), version=str(manifest.data["version"]),
        digest=pack_digest(root), manifest=MappingProxyType(manifest.data),
        case_format=case_format, entity_kinds=tuple(sorted(kinds)),
        authorities=MappingProxyType(authorities), concepts=MappingProxyType(concepts),
        rules=rules, burdens=burdens, examples=tuple(examples),
        wanting=tuple(r for r in every_rule if r.needs))


def _read(path: Path, root: Path, schema: dict) -> Located:
    doc = load_yaml(path, pack_relative(path, root))
    if not isinstance(doc.data, dict):
        raise InputError(f"{path.name} must be a mapping", doc.span(()), _expected_top(schema))
    validate(doc, schema)
    return doc


def _expected_top(schema: dict) -> str:
    return "a mapping of: " + ", ".join(schema.get("fields", {}))


def _clocks(doc: Located, case_format: CaseFormat) -> dict[str, str]:
    """Which clock each instrument folder follows (pack.yaml law_dates): its list and date
    fields must be in the case format."""
    out: dict[str, str] = {}
    for clock, spec in (doc.data.get("law_dates") or {}).items():
        at = ("law_dates", clock)
        items = case_format["root"].get("fields", {}).get(spec["items"])
        if clock == DECIDED or not items or items["type"] != "list" or items["item"]["type"] != "object":
            raise InputError(f"clock '{clock}': '{spec['items']}' is not a list of the case format"
                             if clock != DECIDED else f"'{DECIDED}' is the decision date's own clock",
                             doc.span(at + ("items",) if clock != DECIDED else at), "a list of items with dates")
        fields = items["item"].get("fields", {})
        for i, name in enumerate(spec["dates"]):
            if fields.get(name, {}).get("type") != "date":
                raise InputError(f"'{spec['items']}.{name}' is not a date field of the case format",
                                 doc.span(at + ("dates", i)), _suggest(name, fields))
        if spec.get("continuing") and spec["continuing"]["field"] not in fields:
            raise InputError(f"'{spec['items']}.{spec['continuing']['field']}' is not a field of the case format",
                             doc.span(at + ("continuing", "field")), _suggest(spec["continuing"]["field"], fields))
        for i, name in enumerate(spec["instruments"]):
            if name in out:
                raise InputError(f"instrument '{name}' follows two clocks", doc.span(at + ("instruments", i)),
                                 "each instrument under one clock")
            out[name] = clock
    return out


def pack_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.yaml")):
        h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return "sha256:" + h.hexdigest()


def _input_concept(name: str, node: Mapping[str, Any], kind: str, doc: Located) -> Concept:
    label = node.get("label") or {}
    if not (label.get("zh") and label.get("en")):
        raise InputError(f"answer field '{name}' needs a label in both zh and en", Span(doc.source),
                         "label: {zh: ..., en: ...}")
    values: tuple = ()
    if node["type"] == "enum":
        values = tuple(node["values"])
    elif node["type"] in ("tri", "bool"):
        values = (True, False) + ((UNKNOWN,) if node["type"] == "tri" else ())
    return Concept(name, kind, values, Text(label["zh"], label["en"]), MappingProxyType({}), False,
                   False, name, Span(doc.source))


def _authority(fid: str, doc: Located, clock: str) -> Authority:
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


def _concept(name: str, c: dict, doc: Located, kinds: set[str]) -> Concept:
    path = ("concepts", name)
    about = c.get("about", CASE)
    if about not in kinds:
        raise InputError(f"concept '{name}' is about '{about}', which is not an entity kind",
                         doc.span(path + ("about",)), "one of: " + ", ".join(sorted(kinds)))
    values = tuple(c.get("values") or VERDICT)
    says = c.get("says") or {}
    for v in values:
        if v not in says:
            raise InputError(f"concept '{name}' has no text for its value {v!r}", doc.span(path),
                             f"says: {{{v}: {{zh: ..., en: ...}}}}")
    for v in says:
        if v not in values:
            raise InputError(f"concept '{name}' has text for {v!r}, which is not one of its values",
                             doc.key_span(path + ("says", v)), "one of: " + ", ".join(map(str, values)))
    return Concept(name, about, values, Text(c["label"]["zh"], c["label"]["en"]),
                   MappingProxyType({v: Text(t["zh"], t["en"]) for v, t in says.items()}),
                   bool(c.get("open_textured")), True, None, doc.key_span(path))


class _Kinds(set):
    """The entity kinds of a pack, with the links between them."""

    def __init__(self, kinds, links):
        super().__init__(kinds)
        self.links = links


def _words(quote: object) -> str:
    """A quote as text (YAML reads a quote of digits, such as 500, as a number)."""
    return str(quote)


def _optional_words(quote: object) -> str | None:
    return None if quote is None else _words(quote)


def _quote_ok(quote: str, fid: str, authorities: dict, cites) -> bool:
    texts = [authorities[fid].text] + [authorities[c].text for c in cites if c in authorities]
    return any(quote in t.zh or quote in t.en for t in texts)


def _condition(raw: dict, doc: Located, path: tuple, about: str, concepts, kinds) -> Condition:
    span = doc.span(path)
    ops = [op for op in ("is", "in", "not_in", "gt", "lte") if op in raw]
    if len(ops) > 1:
        raise InputError("a condition takes one test", span, "one of is, in, not_in, gt, lte")
    if "link" in raw:
        if raw["link"] not in kinds or ops != ["is"] or "fact" in raw:
            raise InputError("a link condition is {link: KIND, is: NAME}", span, "a link test")
        return Condition(None, raw["link"], "this", None, "is", (raw["is"],), NOT_ESTABLISHED,
                         _optional_words(raw.get("quote")), span)
    fact = raw.get("fact")
    if fact not in concepts:
        raise InputError(f"unknown fact '{fact}'", doc.span(path + ("fact",)), _suggest(str(fact), concepts))
    concept = concepts[fact]
    of = raw.get("of", "this")
    over = raw.get("over")
    if over:
        if over not in kinds:
            raise InputError(f"'over: {over}' is not an entity kind", span, ", ".join(sorted(kinds)))
        target = over
    elif of == "this":
        target = about
    elif of in kinds:
        target = of
    elif isinstance(of, str) and ":" in of and of.split(":", 1)[0] in kinds:
        target = of.split(":", 1)[0]
    else:
        raise InputError(f"'of: {of}' names no entity", doc.span(path + ("of",)),
                         "this, case, an entity kind, or KIND:NAME")
    if concept.about != target:
        raise InputError(f"fact '{fact}' is about {concept.about}, but this condition reads it of {target}",
                         span, f"of: {concept.about} (or over: {concept.about})")
    op = ops[0] if ops else "verdict"
    if op == "verdict" and not concept.verdict:
        raise InputError(f"fact '{fact}' is not established/refuted by rules: give a test", span,
                         "is, in, not_in, gt or lte")
    values = (raw[op],) if op in ("is", "gt", "lte") else tuple(raw.get(op, ()))
    if op not in ("gt", "lte") and concept.values:
        for v in values:
            if v not in concept.values:
                raise InputError(f"{v!r} is not a value of '{fact}'", span,
                                 "one of: " + ", ".join(map(str, concept.values)))
    linked = bool(over) and about in kinds.links.get(over, ())
    return Condition(fact, None, of, over, op, values, raw.get("if_unknown", NOT_ESTABLISHED),
                     _optional_words(raw.get("quote")), span, linked if over else True)


def _check_refs(cites, fid, doc, path, authorities):
    for c in cites:
        if c not in authorities:
            raise InputError(f"cites '{c}', which is not in this pack", doc.span(path), _suggest(c, authorities))
        if not authorities[c].held:
            raise InputError(f"cites '{c}', whose text the pack does not hold", doc.span(path),
                             "needs_law: [that provision] (the rule is then never applied)")


def _check_needs(needs, doc, path, authorities):
    for n in needs:
        if n not in authorities:
            raise InputError(f"needs_law '{n}', which is not in this pack", doc.span(path), _suggest(n, authorities))
        if authorities[n].held:
            raise InputError(f"needs_law '{n}', whose text the pack holds", doc.span(path),
                             "cites: [that provision], or a provision with text_held: false")


def _rule(fid, doc, i, r, concepts, authorities, kinds) -> Rule:
    path = ("rules", i)
    then = r["then"]
    if then not in concepts or not concepts[then].derived:
        raise InputError(f"'then: {then}' is not a concept declared in the pack's rule files",
                         doc.span(path + ("then",)), _suggest(then, [c for c in concepts if concepts[c].derived]))
    concept = concepts[then]
    about = r.get("about", concept.about)
    if about != concept.about:
        raise InputError(f"rule concludes '{then}', which is about {concept.about}, not {about}", doc.span(path))
    form = Form(r.get("form", "sufficient"))   # one of them: the rule-file schema says so
    if form == Form.SUFFICIENT:
        if "is" not in r or r["is"] not in concept.values:
            raise InputError(f"a sufficient rule needs 'is:' with a value of '{then}'", doc.span(path),
                             "one of: " + ", ".join(map(str, concept.values)))
    elif not concept.verdict:
        raise InputError(f"form '{form}' concludes established/refuted, but '{then}' is not a verdict",
                         doc.span(path + ("form",)))
    if form in (Form.SOME, Form.EVERY):
        if not r.get("over") or not r.get("fact"):
            raise InputError(f"form '{form}' needs 'over: KIND' and 'fact: CONCEPT'", doc.span(path))
        if about != CASE and about not in kinds.links.get(r["over"], ()):
            raise InputError(f"entities of kind {r['over']} do not link to {about}: nothing to aggregate",
                             doc.span(path + ("over",)), f"a kind whose items belong to a {about}")
        agg = concepts.get(r["fact"])
        if agg is None or agg.about != r["over"] or not agg.verdict:
            raise InputError(f"'fact: {r['fact']}' must be a verdict about {r['over']}", doc.span(path + ("fact",)))
    elif not r.get("if"):
        raise InputError("a rule needs 'if:' conditions", doc.span(path), "if: [conditions]")
    cites = tuple(r.get("cites") or ())
    _check_refs(cites, fid, doc, path + ("cites",), authorities)
    needs = tuple(r.get("needs_law") or ())
    _check_needs(needs, doc, path + ("needs_law",), authorities)

    def conds(key):
        return tuple(_condition(c, doc, path + (key, j), about, concepts, kinds)
                     for j, c in enumerate(r.get(key) or []))

    if form in (Form.ALL, Form.ANY) and any(c.over for c in conds("if") + conds("unless")):
        raise InputError("'over' in a three-valued rule cannot be refuted item by item: use form some/every",
                         doc.span(path), "over only in sufficient rules")
    rule = Rule(id=f"{fid}/{r['id']}", source=fid, about=about, then=then, value=r.get("is"), form=form,
                scope=conds("scope"), terms=conds("if"), unless=conds("unless"), over=r.get("over"),
                fact=r.get("fact"), quote=_words(r["quote"]), cites=cites,
                open_textured=bool(r.get("open_textured")),
                explain=Text(r["explain"]["zh"], r["explain"]["en"]), span=doc.span(path), needs=needs)
    for c in (rule.quote,) + tuple(x.quote for x in rule.scope + rule.terms + rule.unless if x.quote):
        if not _quote_ok(c, fid, authorities, cites):
            raise InputError(f"quote '{c}' does not occur in the text of {fid} or of the provisions it cites",
                             doc.span(path), "the exact words of the text the rule formalises")
    return rule


def _burden(fid, doc, i, b, concepts, authorities, kinds, fields, case_format: CaseFormat) -> Burden:
    path = ("burdens", i)
    concept = concepts.get(b["fact"])
    if concept is None or not concept.derived:
        raise InputError(f"unknown fact '{b['fact']}'", doc.span(path + ("fact",)), _suggest(b["fact"], concepts))
    for j, field in enumerate(b.get("after") or ()):
        # a misspelled field is never answered: the burden would wait for ever
        if field not in fields:
            raise InputError(f"'after: {field}' is not a field of the case format", doc.span(path + ("after", j)),
                             _suggest(field, fields))
    names = case_format.names(concept.about)
    for j, name in enumerate(b.get("only") or ()):
        if names is not None and name not in names:
            raise InputError(f"'only: {name}' is not a {concept.about} of the case format",
                             doc.span(path + ("only", j)), "one of: " + ", ".join(map(str, names)))
    if b["default"] not in concept.values:
        raise InputError(f"default {b['default']!r} is not a value of '{b['fact']}'", doc.span(path + ("default",)),
                         "one of: " + ", ".join(map(str, concept.values)))
    cites = tuple(b.get("cites") or ())
    _check_refs(cites, fid, doc, path + ("cites",), authorities)
    if not _quote_ok(_words(b["quote"]), fid, authorities, cites):
        raise InputError(f"quote '{b['quote']}' does not occur in the text of {fid} or of the provisions it cites",
                         doc.span(path), "the exact words of the text")
    return Burden(f"{fid}/{b['id']}", fid, concept.about, b["fact"], b["on"], b["default"],
                  tuple(b.get("only") or ()), tuple(b.get("after") or ()), _words(b["quote"]), cites, Text(b["explain"]["zh"], b["explain"]["en"]),
                  doc.span(path))
