"""The pack's concepts, rules and burdens, built from the rule files' YAML and checked as they
are built: a concept's values and texts, a condition's fact, entity and test, a rule's form and
what it aggregates, a burden's fact, fields and default. The answer fields of the case format
are concepts too. Read by engine/loader.py; the checks across files are engine/pack_checks.py.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Any, Mapping

from .caseformat import CaseFormat
from .errors import InputError, Span, suggest
from .model import CASE, NOT_ESTABLISHED, UNKNOWN, VERDICT, Burden, Concept, Condition, Form, Rule, Text
from .pack_checks import check_cites, check_needs, quote_ok
from .yamlsrc import Located


def input_concept(name: str, node: Mapping[str, Any], kind: str, doc: Located) -> Concept:
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


def concept(name: str, c: dict, doc: Located, kinds: set[str]) -> Concept:
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


class Kinds(set):
    """The entity kinds of a pack, with the links between them."""

    def __init__(self, kinds, links):
        super().__init__(kinds)
        self.links = links


def _words(quote: object) -> str:
    """A quote as text (YAML reads a quote of digits, such as 500, as a number)."""
    return str(quote)


def _optional_words(quote: object) -> str | None:
    return None if quote is None else _words(quote)


def condition(raw: dict, doc: Located, path: tuple, about: str, concepts, kinds) -> Condition:
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
        raise InputError(f"unknown fact '{fact}'", doc.span(path + ("fact",)), suggest(str(fact), concepts))
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
    if UNKNOWN in values:  # the answer "don't know" is no value: a test listing it would match
        # it as one, while every other test (and the reference reading) takes if_unknown
        raise InputError(f"'{UNKNOWN}' is the answer \"don't know\", not a value to test", span,
                         "if_unknown: established (or refuted) says what that answer counts as")
    if op not in ("gt", "lte") and concept.values:
        for v in values:
            if v not in concept.values:
                raise InputError(f"{v!r} is not a value of '{fact}'", span,
                                 "one of: " + ", ".join(map(str, concept.values)))
    linked = bool(over) and about in kinds.links.get(over, ())
    return Condition(fact, None, of, over, op, values, raw.get("if_unknown", NOT_ESTABLISHED),
                     _optional_words(raw.get("quote")), span, linked if over else True)


def rule(fid, doc, i, r, concepts, authorities, kinds) -> Rule:
    path = ("rules", i)
    then = r["then"]
    if then not in concepts or not concepts[then].derived:
        raise InputError(f"'then: {then}' is not a concept declared in the pack's rule files",
                         doc.span(path + ("then",)), suggest(then, [c for c in concepts if concepts[c].derived]))
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
    check_cites(cites, fid, doc, path + ("cites",), authorities)
    needs = tuple(r.get("needs_law") or ())
    check_needs(needs, doc, path + ("needs_law",), authorities)

    def conds(key):
        return tuple(condition(c, doc, path + (key, j), about, concepts, kinds)
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
        if not quote_ok(c, fid, authorities, cites):
            raise InputError(f"quote '{c}' does not occur in the text of {fid} or of the provisions it cites",
                             doc.span(path), "the exact words of the text the rule formalises")
    return rule


def burden(fid, doc, i, b, concepts, authorities, kinds, fields, case_format: CaseFormat) -> Burden:
    path = ("burdens", i)
    concept = concepts.get(b["fact"])
    if concept is None or not concept.derived:
        raise InputError(f"unknown fact '{b['fact']}'", doc.span(path + ("fact",)), suggest(b["fact"], concepts))
    for j, field in enumerate(b.get("after") or ()):
        # a misspelled field is never answered: the burden would wait for ever
        if field not in fields:
            raise InputError(f"'after: {field}' is not a field of the case format", doc.span(path + ("after", j)),
                             suggest(field, fields))
    names = case_format.names(concept.about)
    for j, name in enumerate(b.get("only") or ()):
        if names is not None and name not in names:
            raise InputError(f"'only: {name}' is not a {concept.about} of the case format",
                             doc.span(path + ("only", j)), "one of: " + ", ".join(map(str, names)))
    if b["default"] not in concept.values:
        raise InputError(f"default {b['default']!r} is not a value of '{b['fact']}'", doc.span(path + ("default",)),
                         "one of: " + ", ".join(map(str, concept.values)))
    cites = tuple(b.get("cites") or ())
    check_cites(cites, fid, doc, path + ("cites",), authorities)
    if not quote_ok(_words(b["quote"]), fid, authorities, cites):
        raise InputError(f"quote '{b['quote']}' does not occur in the text of {fid} or of the provisions it cites",
                         doc.span(path), "the exact words of the text")
    return Burden(f"{fid}/{b['id']}", fid, concept.about, b["fact"], b["on"], b["default"],
                  tuple(b.get("only") or ()), tuple(b.get("after") or ()), _words(b["quote"]), cites, Text(b["explain"]["zh"], b["explain"]["en"]),
                  doc.span(path))
