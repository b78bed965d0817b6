"""The opinion model: what a judgment template may show of a finished consultation.

:func:`build_model` gathers the decision record, the justification tree grouped into issues
and per-rule reasoning paragraphs (each rule's applications, its role in the issue: settled,
burden, evidence, finding, point, defence), the findings and the evidence, and the citations,
all as bilingual data; :mod:`engine.opinion` renders it with the templates. Nothing here
knows a template or a wording.
"""
from __future__ import annotations

from importlib import metadata

from . import findings as found, paragraph_cites, reasoning
from .casefile import Case
from .citations import authority_info, basis_of, cite, fee_basis, ordered
from .decision import build_record, disposition_set_aside
from .decision_map import respondents
from .exhibits import Label, exhibits
from .explain import justify
from .model import CASE, RulePack
from .remedies import Form, of_form
from .roles import ROLES, SILENT, defences_raised, in_issue, role_of
from .session import Consultation


class OpinionModel(dict):
    """The data a judgment template sees (a dict: templates index it by key)."""


def _element_label(pack: RulePack, fields: dict, p) -> object:
    """How the judgment names an element in dispute: by its concept, or, for a fact to be proved
    (an entity of the kind the findings are about, decision.findings.kind), by that fact: the
    three elements of a legal person's work each by its own name, not three times 'fact to be
    proved'."""
    kind, _, name = p.entity.partition(":")
    shape = fields.get(kind)
    if kind == pack.manifest["decision"]["findings"]["kind"] and name and shape and shape[0] == "value":
        return Label(("value", shape[1], name))
    return pack.concepts[p.concept].label


def _argued(issue: dict) -> list[dict]:
    """The points in dispute and the answers to the defences, in the order the judgment gives
    them: as the conclusions build on each other, not points first."""
    argued = {id(p) for p in issue["item_burden"] + issue["point"] + issue["defence"]}
    return [p for p in issue["paragraphs"] if id(p) in argued]


def build_model(pack: RulePack, case: Case, c: Consultation, case_digest: str | None = None) -> OpinionModel:
    """The opinion model of a finished consultation: everything a template may show."""
    record = build_record(pack, case, c)
    m = pack.manifest["decision"]
    answering = respondents(pack.manifest)   # the parties who raise defences
    judgment = pack.manifest.get("opinion") or {}
    fields = pack.case_format.shapes   # how an entity of each kind is named
    raised = in_issue(case, judgment, c, m["findings"]["evidence"])
    # the findings a conclusion is put in issue by (its defence topics)
    facts_on = {x: [(m["findings"]["fact"], f"{m['findings']['kind']}:{t}") for t in on]
                for x, on in (judgment.get("defence_topics") or {}).items()}
    # the conclusions that are one of several ways to a conclusion (the premises of an "any" rule)
    alternatives = {t.fact for r in pack.rules if r.form == "any" for t in r.terms}
    shown: set = set()
    issues: list[dict] = []
    quiet: list[dict] = []
    for key, concept in m["holdings"].items():
        tree = reasoning.issue_tree(pack, c, concept, raised, facts_on)
        value = record["holdings"][key]
        paragraphs = reasoning.paragraphs(pack, fields, c, tree, shown)
        lead = None
        if paragraphs and tree.derivation and paragraphs[-1]["rule"]["id"] == tree.derivation.rule:
            lead = paragraphs.pop()   # the rule that decides the issue opens it
        elements = {p.concept for p in tree.derivation.premises} if tree.derivation else set()
        roles = [(p, role_of(p, m, raised, elements, answering, alternatives)) for p in paragraphs]
        # what a defence nobody raised would have been answered with is not cited either
        dropped = {p["rule"]["source"] for p, r in roles if r == "unraised"}
        paragraph_cites.without(pack, [p for p, _r in roles] + ([lead] if lead else []), dropped)
        item = {"key": key, "concept": concept, "label": pack.concepts[concept].label, "value": value,
                "says": pack.concepts[concept].says.get(value), "lead": lead,
                "paragraphs": [p for p, r in roles if r not in SILENT]}
        for role in ROLES:
            item[role] = [p for p, r in roles if r == role]
        # the elements in dispute: what the deciding rule rests on that is not settled
        settled = {x["concept"] for p in item["settled"] for x in p["applications"]}
        item["contested"] = [_element_label(pack, fields, p) for p in
                             (tree.derivation.premises if tree.derivation else ())
                             if not p.absent and pack.concepts[p.concept].derived and p.concept not in settled
                             and p.concept in {x["concept"] for q in item["paragraphs"] for x in q["applications"]}]
        (quiet if value in ("not_reached", "undetermined") else issues).append(item)
    # conclusions reported as notes (the answer to a defence, say), where they hold
    answers = [p for concept in m.get("notes", ()) if c.value(concept, CASE) not in (None, "unknown")
               for p in reasoning.paragraphs(pack, fields, c, justify(c, concept), shown)]
    answers = [p for p in answers if role_of(p, m, raised, set(), answering) in ("defence", "point")]
    disp_tree = justify(c, m["disposition"])
    closing = [p for p in reasoning.paragraphs(pack, fields, c, disp_tree, shown) if role_of(p, m, raised, set(), answering) != "unraised"]
    # a rule worded as a burden not discharged (its source a provision on the burden of proof)
    # that here rests on holdings proven false: the judgment says the claims lack a basis
    # instead of "未能证明" (reasons agree with holdings)
    burden_law = {b.source for b in pack.burdens} | {x for b in pack.burdens for x in b.cites}
    for p in closing:
        p["proven_false"] = (p["rule"]["source"] in burden_law and all(
            a["grounds"] and all(v == "refuted" for v in a["grounds"]) for a in p["applications"]))
    # the disposition: its own rule and the judgments the court makes on the way (the amount);
    # the bookkeeping in between (every remedy supported? every claim?) goes without saying.
    # Where law the pack lacks leaves the disposition undetermined (decision.holdings_of), the
    # disposition the rules reached over the other claims is not the case's: not reasoned
    reached = not disposition_set_aside(pack, c, record["holdings"])
    closing = [p for i, p in enumerate(closing) if p["open_textured"] or (i == len(closing) - 1 and reached)]
    # the paragraphs the judgment reasons with, in reading order; settled elements and
    # holdings left unproven are summed up in a sentence and cite nothing
    reasoned = [x for i in issues for x in ([i["lead"]] if i["lead"] else []) + i["burden"] + i["evidence"]
                + i["finding"] + _argued(i)] + answers + [p for p in closing if not p["proven_false"]]
    # the provision of a defence (a burden on a party answering the claim) is cited beside another rule only if
    # the judgment applies it or the defence was raised: Art. 5 is not cited when nobody said
    # the subject was excluded
    # the law a burden on the claimant reasoned here cites is applied, though it may also hold a
    # defence's burden (the burden of proof on whether the work was unpublished when an act took place)
    claimant_law = {i for p in reasoned if p["rule"]["burden"]
                    and not any(a["burden"] in answering for a in p["applications"]) for i in p["rule"]["cites"]}
    paragraph_cites.applied_only(pack, reasoned, {b.source for b in pack.burdens
                                                  if b.on in answering and b.fact not in raised} - claimant_law)
    # a burden about an item is stated under the provisions it cites (the law of the burden of
    # proof), not its source, whose words the rules on the item's fact quote
    for p in (p for i in issues for p in i["item_burden"]):
        law = [x for x in p["rule"]["cites"] if x != p["rule"]["source"] and pack.authorities[x].kind == "provision"]
        p["rule"] = {**p["rule"], "under": basis_of(pack, ordered(pack, judgment, law)) if law else None}
    paragraph_cites.first_uses(pack, reasoned)

    evidence = exhibits(pack, case, c, fields)
    findings = found.findings(pack, record, fields)

    # the provision an amount of the orders was computed under (the record's remedy `source`),
    # once the disposition is reached (the orders are drafted)
    remedy_sources = {k: v["source"] for k, v in record["remedies"].items() if isinstance(v, dict) and "source" in v
                      and record["holdings"]["disposition"] != "undetermined"}
    provisions = ordered(pack, judgment, [i for p in reasoned for i in p["rule"]["cites"]
                                           if pack.authorities[i].kind == "provision"]
                         + list(remedy_sources.values()))
    holdings_cited = list(dict.fromkeys(i for p in reasoned for i in p["rule"]["cites"]
                                        if pack.authorities[i].kind == "holding"))
    appendix = [authority_info(pack, aid) for aid in provisions]
    cases_cited = [authority_info(pack, aid) for aid in holdings_cited]
    fee_source = next((record["remedies"].get(f"{k}_source") for k in of_form(m["remedies"], Form.FEE)), None)
    acts = found.acts(pack, record, case, fields)
    answered = {x["concept"] for p in reasoned for x in p["applications"]}
    # a conclusion with defence topics answers a defence only where it was put in issue
    answered -= set(judgment.get("defence_topics") or ()) - raised
    defences = [{"kind": d.get("kind"), "detail": d.get("detail"),
                 "answered": bool(set(judgment.get("defences", {}).get(d.get("kind"), ())) & answered)}
                for d in defences_raised(case, judgment)]
    late = next((aid for aid in judgment.get("late_performance", ())
                 if aid in pack.authorities and pack.authorities[aid].in_force(case.decided_on)), None)
    return OpinionModel(
        case=case.data,
        record=record,
        holdings=record["holdings"],
        disposition=record["holdings"]["disposition"],
        disposition_says=pack.concepts[m["disposition"]].says.get(record["holdings"]["disposition"]),
        remedies=record["remedies"],
        remedy_cites={k: cite(pack, aid) for k, aid in remedy_sources.items()},
        issues=issues,
        not_reached=quiet,
        closing=closing,
        answers=answers,
        findings=findings,
        evidence=evidence,
        acts=acts,
        defences=defences,
        # defences: None when the case file never says (the interview did not ask)
        defences_stated=judgment.get("defences_in") in case.data,
        basis=basis_of(pack, provisions),
        basis_ids=provisions,
        # the law an undetermined case lacks (no version in force, or its text not held), cited
        missing_law=basis_of(pack, ordered(pack, judgment, record["missing_law"])),
        late_performance=cite(pack, late) if late else None,
        fee_basis=fee_basis(pack, judgment, fee_source, case.decided_on),
        appendix=appendix,
        cases_cited=cases_cited,
        # the case file's English glosses of its Chinese free text (the filter q adds them)
        glosses=dict(case.data.get("glosses") or {}),
        subject_name=_subject_name(judgment.get("subject"), case),
        stamp={
            "version": _version(),
            "pack": f"{pack.id} {pack.version}",
            "digest": pack.digest,
            "law_as_of": case.decided_on,
            "case_digest": case_digest or "",
        },
    )


def _subject_name(spec: dict | None, case: Case) -> dict | None:
    """How the draft names the subject matter: the pack's generic term and, per language,
    the name of the case's kind (涉案内容 -> 涉案图片), or None when the case gives no kind."""
    if not spec:
        return None
    value: object = case.data
    for part in spec["field"].split("."):
        value = value.get(part) if isinstance(value, dict) else None
    name = spec["names"].get(value) if isinstance(value, str) else None
    if not name:
        return None
    return {lang: (spec["term"][lang], name[lang]) for lang in ("zh", "en")}


def _version() -> str:
    try:
        return metadata.version("assessor")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"
