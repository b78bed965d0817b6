"""Load a rule pack directory into one immutable :class:`RulePack`.

A pack is ``pack.yaml`` (manifest), ``case-format.yaml`` (the case file schema and its
answers) and one YAML file per provision or holding. A file's id is its path: the file
``rules/cn/copyright_law/art003.yaml`` of pack ``cn`` is ``cn.copyright_law.art003``,
and its rule ``work`` is ``cn.copyright_law.art003/work``.

The schema is closed; every reference is resolved; each rule's quoted words must occur
in its file's text; every user-visible text exists in Chinese and English. Any fault is
an :class:`InputError` with ``file:line:col``.

This module reads the files (each checked against its schema, with a position for every node)
and assembles the pack; the provisions and holdings are built by engine/provisions.py, the
concepts, rules and burdens by engine/rule_builder.py, and the references between files are
checked by engine/pack_checks.py.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from .caseformat import CaseFormat, check_case_format
from .decision_map import check_decision_map, check_party, party_refs
from .errors import InputError, Span, pack_relative
from .model import DECIDED, Authority, Concept, Example, RulePack
from .pack_checks import check_citation, check_instruments, check_interprets, check_unique_rules
from .provisions import authority, clock_concepts, instrument_clocks
from .questions import load_questions
from .rule_builder import Kinds, burden, concept, input_concept, rule
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
        concepts[name] = input_concept(name, node, kind, fmt_doc)

    authorities: dict[str, Authority] = {}
    raw_rules, raw_burdens, examples = [], [], []
    files = sorted(p for p in root.rglob("*.yaml")
                   if p.name not in RESERVED or p.parent != root
                   if not any(d in p.relative_to(root).parts[:-1] for d in EXCLUDED_DIRS))
    clocks = instrument_clocks(manifest, case_format)
    concepts.update(clock_concepts(manifest, case_format))
    for path in files:
        doc = _read(path, root, _rulefile_schema())
        fid = manifest.data["id"] + "." + ".".join(path.relative_to(root).with_suffix("").parts)
        authorities[fid] = authority(fid, doc, clocks.get(path.relative_to(root).parts[0], DECIDED))
        for where, party in party_refs(doc.data):
            check_party(manifest, doc, where, party)
        for name, c in (doc.data.get("concepts") or {}).items():
            if name in concepts:
                first = concepts[name].span
                raise InputError(f"concept '{name}' is declared twice (first at {first})",
                                 doc.key_span(("concepts", name)))
            concepts[name] = concept(name, c, doc, kinds)
        raw_rules += [(fid, doc, i, r) for i, r in enumerate(doc.data.get("rules") or [])]
        raw_burdens += [(fid, doc, i, b) for i, b in enumerate(doc.data.get("burdens") or [])]
        examples += [Example(e["name"], fid, e["case"], MappingProxyType(e["expect"]),
                             tuple(e.get("fires", ())), doc.span(("examples", i)))
                     for i, e in enumerate(doc.data.get("examples") or [])]

    check_instruments(manifest, {p.relative_to(root).parts[0] for p in files})
    check_citation(manifest)
    kinds = Kinds(kinds, case_format.links)
    every_rule = tuple(rule(fid, doc, i, r, concepts, authorities, kinds) for fid, doc, i, r in raw_rules)
    rules = tuple(r for r in every_rule if not r.needs)
    check_unique_rules(every_rule)
    fields = case_format.fields
    burdens = tuple(burden(fid, doc, i, b, concepts, authorities, kinds, fields, case_format)
                    for fid, doc, i, b in raw_burdens)
    check_decision_map(manifest, concepts, kinds, authorities, fields)
    check_interprets(authorities)
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


def pack_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.yaml")):
        h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return "sha256:" + h.hexdigest()
