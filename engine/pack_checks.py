"""The references between a pack's files, checked as it is loaded: a rule's or a burden's
quoted words are in the text it formalises, what it cites or needs is a provision of the pack
(held, or known without its text), each rule id is used once, each instrument a clock names is
a folder, what a holding interprets is a provision the pack holds, and the citation
typography's patterns are regular expressions. Each fault is an
InputError at the place it names.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import InputError, suggest
from .model import Authority, Rule
from .yamlsrc import Located


def quote_ok(quote: str, fid: str, authorities: dict, cites) -> bool:
    texts = [authorities[fid].text] + [authorities[c].text for c in cites if c in authorities]
    return any(quote in t.zh or quote in t.en for t in texts)


def check_cites(cites, fid, doc, path, authorities):
    for c in cites:
        if c not in authorities:
            raise InputError(f"cites '{c}', which is not in this pack", doc.span(path), suggest(c, authorities))
        if not authorities[c].held:
            raise InputError(f"cites '{c}', whose text the pack does not hold", doc.span(path),
                             "needs_law: [that provision] (the rule is then never applied)")


def check_needs(needs, doc, path, authorities):
    for n in needs:
        if n not in authorities:
            raise InputError(f"needs_law '{n}', which is not in this pack", doc.span(path), suggest(n, authorities))
        if authorities[n].held:
            raise InputError(f"needs_law '{n}', whose text the pack holds", doc.span(path),
                             "cites: [that provision], or a provision with text_held: false")


def check_unique_rules(rules: Iterable[Rule]) -> None:
    seen: dict[str, Rule] = {}
    for r in rules:
        if r.id in seen:
            raise InputError(f"rule id '{r.id}' is used twice (first at {seen[r.id].span})", r.span)
        seen[r.id] = r


def check_instruments(manifest: Located, folders: set[str]) -> None:
    """Each instrument a clock of pack.yaml names is a folder of the pack."""
    for clock, spec in (manifest.data.get("law_dates") or {}).items():
        for i, name in enumerate(spec["instruments"]):
            if name not in folders:
                raise InputError(f"instrument '{name}' is not a folder of this pack",
                                 manifest.span(("law_dates", clock, "instruments", i)), suggest(name, folders))


#: the patterns of pack.yaml's opinion.citation, with the groups each must have
CITATION_PATTERNS = {"article_number": 0, "item_number": 0, "version_in_cite": 0,
                     "paragraph_in_cite": 1, "item_in_cite": 2}


def check_citation(manifest: Located) -> None:
    """The citation typography's patterns are regular expressions, with the groups they need."""
    spec = (manifest.data.get("opinion") or {}).get("citation") or {}
    for key, groups in CITATION_PATTERNS.items():
        if key not in spec:
            continue
        where = manifest.span(("opinion", "citation", key))
        try:
            found = re.compile(spec[key]).groups
        except re.error as e:
            raise InputError(f"opinion.citation.{key}: not a regular expression ({e})", where,
                             "a Python regular expression") from None
        if found < groups:
            raise InputError(f"opinion.citation.{key}: has {found} group(s)", where,
                             f"a regular expression with {groups} group(s) in ( )")


def check_interprets(authorities: dict[str, Authority]) -> None:
    """What a holding interprets is a provision whose text the pack holds."""
    for a in authorities.values():
        for ref in a.interprets:
            if ref not in authorities:
                raise InputError(f"interprets '{ref}', which is not a provision of this pack", a.span,
                                 suggest(ref, authorities))
            if not authorities[ref].held:
                raise InputError(f"interprets '{ref}', whose text the pack does not hold", a.span,
                                 "a provision the pack holds")
