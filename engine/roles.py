"""Where each paragraph of reasoning belongs in the court's discussion of an issue, and the
defences the case file raises (which decide what is discussed as a defence and what goes
unsaid).
"""
from __future__ import annotations

from .casefile import Case
from .model import CASE
from .session import Consultation

#: the parts of an issue's reasoning, in the order the judgment takes them up
ROLES = ("settled", "burden", "evidence", "finding", "unproven", "item_burden", "point", "defence")
#: the roles of paragraphs the judgment does not discuss
SILENT = ("unraised", "moot")


def defences_raised(case: Case, judgment: dict) -> list[dict]:
    """The defences raised: the items of the case-file list the pack names (opinion.defences_in)."""
    items = case.data.get(judgment["defences_in"]) if judgment.get("defences_in") else None
    return [d for d in items or [] if isinstance(d, dict)]


def in_issue(case: Case, judgment: dict, c: Consultation, evidence: dict) -> set[str]:
    """The conclusions a defence raised in the case file puts in issue, but those the pack names
    in `defence_topics`: these are in issue when evidence is offered on one of their topics, by
    either party (a defence worded broadly does not argue every fact it could rest on)."""
    out: set[str] = set()
    for d in defences_raised(case, judgment):
        out |= set(judgment.get("defences", {}).get(d.get("kind"), ()))
    # the topics the evidence is offered on: the entities its proofs link to
    offered = {c.entities[e.links[evidence["link"]]].name for e in c.entities.values()
               if e.kind == evidence["kind"] and e.links.get(evidence["link"]) in c.entities}
    topics = judgment.get("defence_topics") or {}
    # evidence on such a topic puts its conclusion in issue whoever offers it, pleaded or not
    return {x for x in out if x not in topics} | {x for x, on in topics.items() if offered & set(on)}


def role_of(p: dict, m: dict, raised: set, elements: set, answering: frozenset,
         alternatives: frozenset | set = frozenset()) -> str:
    """Where a paragraph belongs in the court's reasoning on an issue:
    unraised  a burden on a party `answering` the claim whose defence nobody raised (not discussed);
    moot      one of several ways to a conclusion that fails because the case file never
              claims its facts (no own material fed in, say): not discussed;
    defence   the answer to a defence raised;
    evidence  what an item of evidence proves;
    settled   an element of the issue met on the case file's own answers (one sentence);
    burden    who bears the burden of proving the facts in dispute;
    item_burden  who bears the burden of a fact about another item (an act), and that it is
              not proven: reasoned among the points, by the item and its fact;
    finding   a fact found proven;
    unproven  a conclusion that fails on the facts, with nothing to weigh (one sentence);
    point     the rest: the points in dispute."""
    apps = p["applications"]
    concepts = {a["concept"] for a in apps}
    if concepts & raised:
        return "defence"
    if apps and all(a["burden"] in answering for a in apps):
        return "unraised"
    if concepts <= alternatives and all(a["value"] in ("not_established", "refuted") and not a["claimed"]
                                        for a in apps):
        return "moot"
    if all(a["kind"] == m["findings"]["evidence"]["kind"] for a in apps):
        return "evidence"
    plain = all(a["plain"] for a in apps) and not p["open_textured"] and not any(a["burden"] for a in apps)
    if plain and concepts <= elements:
        return "settled"
    if concepts <= elements and not any(a["value"] == "refuted" and a["plain"] for a in apps):
        return "point"   # an element in dispute is reasoned, with its article, even when unproven
    if p["rule"]["burden"]:
        # a burden on a fact about an item other than a fact to be proved (whether the work was
        # unpublished when an act took place) is reasoned among the points, by the item and its
        # fact, not with the evidence (which the facts to be proved name)
        items = {a["kind"] for a in apps} - {m["findings"]["kind"], CASE}
        return "item_burden" if items else "burden"
    if concepts == {m["findings"]["fact"]}:
        return "finding"
    if not p["open_textured"] and (all(a["value"] == "not_established" for a in apps) or
                                   (plain and all(a["value"] == "refuted" for a in apps))):
        return "unproven"
    return "point"
