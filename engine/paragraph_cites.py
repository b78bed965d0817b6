"""Which authorities each paragraph of reasoning cites: besides the rule's own source, only
those the judgment has a use for (not the provision of a defence nobody raised), and, in
reading order, whether a paragraph cites its source for the first time and notes the holding
that supports it.
"""
from __future__ import annotations

from .citations import cite, noted
from .model import RulePack


def keep_cites(pack: RulePack, p: dict, keep: list[str]) -> None:
    """Let paragraph `p` cite `keep` (its source among them), each but the source a 'see also'."""
    p["rule"] = {**p["rule"], "cites": keep,
                 "also": [cite(pack, i) for i in keep if i != p["rule"]["source"]]}


def without(pack: RulePack, paragraphs: list[dict], dropped: set) -> None:
    """Each paragraph cites none of `dropped` but its own source."""
    for p in paragraphs:
        keep_cites(pack, p, [i for i in p["rule"]["cites"] if i == p["rule"]["source"] or i not in dropped])


def applied_only(pack: RulePack, reasoned: list[dict], defences_of: set) -> None:
    """The provision of a defence (`defences_of`) is cited beside another rule only if the
    judgment applies it (it is the source of a paragraph reasoned)."""
    applied = {p["rule"]["source"] for p in reasoned}
    for p in reasoned:
        keep_cites(pack, p, [i for i in p["rule"]["cites"]
                             if i == p["rule"]["source"] or i in applied or i not in defences_of])


def first_uses(pack: RulePack, reasoned: list[dict]) -> None:
    """In reading order: does each paragraph cite its authority for the first time? The first
    provision's rule supported by a holding notes that holding, once in the judgment (later
    support is a 'see also')."""
    seen_sources: set = set()
    for p in reasoned:
        src = p["rule"]["source"]
        if p["rule"].get("under"):   # stated under the law it cites: its source is not cited yet
            p["rule"] = {**p["rule"], "first_use": False, "noted": None}
            continue
        support = [i for i in p["rule"]["cites"] if i != src and pack.authorities[i].kind == "holding"
                   and not pack.authorities[i].source.get("obiter")]
        note = (noted(pack, support[0]) if support and pack.authorities[src].kind == "provision"
                 and not any(pack.authorities[i].kind == "holding" for i in seen_sources) else None)
        p["rule"] = {**p["rule"], "first_use": src not in seen_sources, "noted": note}
        if note:
            p["rule"]["also"] = [cite(pack, i) for i in p["rule"]["cites"] if i not in (src, support[0])]
        seen_sources |= {src, support[0]} if note else {src}
