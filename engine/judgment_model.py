"""The opinion model: what a judgment template may show of a finished consultation.

:func:`build_model` gathers the decision record, the justification tree grouped into issues
and per-rule reasoning paragraphs (each rule's applications, its role in the issue: settled,
burden, evidence, finding, point, defence), the findings and the evidence, and the citations,
all as bilingual data; :mod:`engine.opinion` renders it with the templates. Nothing here
knows a template or a wording.
"""
from __future__ import annotations

from importlib import metadata
from typing import Iterator

from .casefile import Case
from .decision import build_record
from .decision_map import respondents
from .explain import Node, justify
from .exhibits import Label, exhibits
from .citations import (authority_info, basis_of, cite, noted, fee_basis, ordered,
                        rule_info)
from .model import CASE, RulePack
from .remedies import Form, of_form
from .session import Consultation

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
                             # the case file's own answers meet the rule's conditions on them: the
                             # plaintiff says so, whether or not it is proven (the case raises it)
                             "claimed": _claimed(pack, d),
                             # the item of evidence the conclusion is about, if any (as the case file has it)
                             "item": _evidence_item(c, node.entity),
                             # the values of the conclusions it rests on
                             "grounds": tuple(p.value for p in d.premises
                                              if not p.absent and pack.concepts[p.concept].derived)})
    out = []
    for rid in order:
        rule = rule_info(pack, rid, c.case.decided_on)
        a = apps[rid]
        out.append({"rule": rule, "applications": a, "groups": _groups(a),
                    "open_textured": rule["open_textured"] or any(x["open_textured"] for x in a)})
    return out


def _meets(cond, value) -> bool:
    if value is None or value == "unknown":
        return False
    if cond.op in ("is", "in"):
        return value in cond.values
    if cond.op == "not_in":
        return value not in cond.values
    if cond.op == "gt":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value > cond.values[0]
    return True


def _claimed(pack: RulePack, d) -> bool:
    """Whether the answers of the case file a derivation read meet the rule's conditions on
    them: the conclusion then fails (if it fails) on proof or on the law, not because the
    case file never claimed the facts."""
    rule = pack.rule(d.rule)
    answers = {p.concept: p.value for p in d.premises if not p.absent and not pack.concepts[p.concept].derived}
    return all(_meets(cond, answers[cond.fact]) for cond in getattr(rule, "scope", ()) + getattr(rule, "terms", ())
               if cond.fact in answers and cond.op != "verdict")


def _evidence_item(c: Consultation, entity_id: str) -> dict | None:
    target = c.entities[entity_id].links.get("evidence") if entity_id in c.entities else None
    if not target:
        return None
    name = c.entities[target].name
    return next((ev for ev in c.case.data.get("evidence") or [] if str(ev.get("id")) == name), None)


def build_model(pack: RulePack, case: Case, c: Consultation, case_digest: str | None = None) -> OpinionModel:
    """The opinion model of a finished consultation: everything a template may show."""
    record = build_record(pack, case, c)
    m = pack.manifest["decision"]
    answering = respondents(pack.manifest)   # the parties who raise defences
    judgment = pack.manifest.get("opinion") or {}
    fields = _entity_fields(pack.case_format)
    raised = _raised(case, judgment, c, m["findings"]["evidence"])
    # the conclusions that are one of several ways to a conclusion (the premises of an "any" rule)
    alternatives = {t.fact for r in pack.rules if r.form == "any" for t in r.terms}
    shown: set = set()
    issues: list[dict] = []
    quiet: list[dict] = []
    for key, concept in m["holdings"].items():
        tree = justify(c, concept)
        value = record["holdings"][key]
        paragraphs = _paragraphs(pack, fields, c, tree, shown)
        lead = None
        if paragraphs and tree.derivation and paragraphs[-1]["rule"]["id"] == tree.derivation.rule:
            lead = paragraphs.pop()   # the rule that decides the issue opens it
        elements = {p.concept for p in tree.derivation.premises} if tree.derivation else set()
        roles = [(p, _role(p, m, raised, elements, answering, alternatives)) for p in paragraphs]
        # what a defence nobody raised would have been answered with is not cited either
        dropped = {p["rule"]["source"] for p, r in roles if r == "unraised"}
        for p, _r in roles + ([(lead, "lead")] if lead else []):
            keep = [i for i in p["rule"]["cites"] if i == p["rule"]["source"] or i not in dropped]
            p["rule"] = {**p["rule"], "cites": keep,
                         "also": [cite(pack, i) for i in keep if i != p["rule"]["source"]]}
        item = {"key": key, "concept": concept, "label": pack.concepts[concept].label, "value": value,
                "says": pack.concepts[concept].says.get(value), "lead": lead,
                "paragraphs": [p for p, r in roles if r not in SILENT]}
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
    answers = [p for p in answers if _role(p, m, raised, set(), answering) in ("defence", "point")]
    disp_tree = justify(c, m["disposition"])
    closing = [p for p in _paragraphs(pack, fields, c, disp_tree, shown) if _role(p, m, raised, set(), answering) != "unraised"]
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
    # the provision of a defence (a burden on a party answering the claim) is cited beside another rule only if
    # the judgment applies it or the defence was raised: Art. 5 is not cited when nobody said
    # the subject was excluded
    applied = {p["rule"]["source"] for p in reasoned}
    defences_of = {b.source for b in pack.burdens if b.on in answering and b.fact not in raised}
    for p in reasoned:
        keep = [i for i in p["rule"]["cites"] if i == p["rule"]["source"] or i in applied or i not in defences_of]
        p["rule"] = {**p["rule"], "cites": keep,
                     "also": [cite(pack, i) for i in keep if i != p["rule"]["source"]]}
    seen_sources: set = set()
    for p in reasoned:
        # in reading order: does this paragraph cite its authority for the first time? The
        # first provision's rule supported by a holding notes that holding, once in the
        # judgment (later support is a 'see also')
        src = p["rule"]["source"]
        support = [i for i in p["rule"]["cites"] if i != src and pack.authorities[i].kind == "holding"
                   and not pack.authorities[i].source.get("obiter")]
        note = (noted(pack, support[0]) if support and pack.authorities[src].kind == "provision"
                 and not any(pack.authorities[i].kind == "holding" for i in seen_sources) else None)
        p["rule"] = {**p["rule"], "first_use": src not in seen_sources, "noted": note}
        if note:
            p["rule"]["also"] = [cite(pack, i) for i in p["rule"]["cites"] if i not in (src, support[0])]
        seen_sources |= {src, support[0]} if note else {src}

    evidence = exhibits(pack, case, c, fields)
    findings = []
    labels = {v: k for k, v in m["findings"]["claims"].items()}
    for f in record["findings"]:
        concept = pack.concepts.get(f["fact"])
        findings.append({**f, "field": f["fact"],
                         "label": concept.label if concept else None,
                         "topic": Label(("value", fields.get("topic", ("value", "topic"))[1],
                                         labels.get(f["fact"], f["fact"]))),
                         "evidence_labels": [Label(("entity", "evidence", e)) for e in f["evidence"]]})

    provisions = ordered(pack, judgment, [i for p in reasoned for i in p["rule"]["cites"]
                                           if pack.authorities[i].kind == "provision"])
    holdings_cited = list(dict.fromkeys(i for p in reasoned for i in p["rule"]["cites"]
                                        if pack.authorities[i].kind == "holding"))
    appendix = [authority_info(pack, aid) for aid in provisions]
    cases_cited = [authority_info(pack, aid) for aid in holdings_cited]
    fee_source = next((record["remedies"].get(f"{k}_source") for k in of_form(m["remedies"], Form.FEE)), None)
    # the acts as the pack declares them (decision.acts): the case file's list that makes their
    # entities, and each list the record keeps of an act (the rights it infringes...) labelled
    acts = []
    act_spec = m.get("acts") or {}
    act_kind = act_spec.get("kind", "")
    act_list = fields.get(act_kind, ("id", ""))[1]
    for a_rec, a_data in zip(record["acts"], case.data.get(act_list) or [] if act_list else []):
        labels = {name: [Label(("value", fields.get(spec["link"], ("value", spec["link"]))[1], v))
                         for v in a_rec.get(name, [])]
                  for name, spec in (act_spec.get("lists") or {}).items()}
        acts.append({**a_rec, "data": a_data, "label": Label(("entity", act_kind, a_rec["id"])),
                     "labels": labels})
    answered = {x["concept"] for p in reasoned for x in p["applications"]}
    defences = [{"kind": d.get("kind"), "detail": d.get("detail"),
                 "answered": bool(set(judgment.get("defences", {}).get(d.get("kind"), ())) & answered)}
                for d in _defences(case, judgment)]
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
        defences_stated=judgment.get("defences_in") in case.data,
        basis=basis_of(pack, provisions),
        basis_ids=provisions,
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


#: the parts of an issue's reasoning, in the order the judgment takes them up
ROLES = ("settled", "burden", "evidence", "finding", "unproven", "point", "defence")
#: the roles of paragraphs the judgment does not discuss
SILENT = ("unraised", "moot")


def _defences(case: Case, judgment: dict) -> list[dict]:
    """The defences raised: the items of the case-file list the pack names (opinion.defences_in)."""
    items = case.data.get(judgment["defences_in"]) if judgment.get("defences_in") else None
    return [d for d in items or [] if isinstance(d, dict)]


def _raised(case: Case, judgment: dict, c: Consultation, evidence: dict) -> set[str]:
    """The conclusions a defence raised in the case file puts in issue, but those the pack names
    in `defence_topics`: these are in issue when evidence is offered on one of their topics, by
    either party (a defence worded broadly does not argue every fact it could rest on)."""
    out: set[str] = set()
    for d in _defences(case, judgment):
        out |= set(judgment.get("defences", {}).get(d.get("kind"), ()))
    # the topics the evidence is offered on: the entities its proofs link to
    offered = {c.entities[e.links[evidence["link"]]].name for e in c.entities.values()
               if e.kind == evidence["kind"] and e.links.get(evidence["link"]) in c.entities}
    topics = judgment.get("defence_topics") or {}
    # evidence on such a topic puts its conclusion in issue whoever offers it, pleaded or not
    return {x for x in out if x not in topics} | {x for x, on in topics.items() if offered & set(on)}


def _role(p: dict, m: dict, raised: set, elements: set, answering: frozenset,
          alternatives: frozenset | set = frozenset()) -> str:
    """Where a paragraph belongs in the court's reasoning on an issue:
    unraised  a burden on a party `answering` the claim whose defence nobody raised (not discussed);
    moot      one of several ways to a conclusion that fails because the case file never
              claims its facts (no own material fed in, say): not discussed;
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
        return "burden"
    if concepts == {m["findings"]["fact"]}:
        return "finding"
    if not p["open_textured"] and (all(a["value"] == "not_established" for a in apps) or
                                   (plain and all(a["value"] == "refuted" for a in apps))):
        return "unproven"
    return "point"


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
