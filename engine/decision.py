"""Read the decision record (``assessor.decision/1``) off a finished consultation.

Which concepts answer which holding is data: the ``decision`` map in the pack's
``pack.yaml``. This module only follows it.
"""
from __future__ import annotations

from typing import Any

from .casefile import Case
from .gcpause import paused_gc
from .decision_map import Acts, Findings, ItemNotes, decision_map
from .model import CASE, Condition, Form, Holding, Rule, RulePack, items_key, period_concept
from .remedies import case_value, remedies
from .conclusions import Conclusions
from .session import Consultation

FORMAT = "assessor.decision/1"


def decide(pack: RulePack, case: Case) -> dict:
    """Decide `case` and return the decision record (a JSON-ready dict)."""
    with paused_gc():  # a big case allocates much, frees nothing until the end
        # the collector runs again once the consultation is gone: it walks the record only,
        # not the hundreds of thousands of facts and derivations of a big case, freed by then
        return _record_of(pack, case)


def _record_of(pack: RulePack, case: Case) -> dict:
    with Consultation(pack, case) as c:
        return build_record(pack, case, c)


def _holding(c: Conclusions, concept: str, entity: str = CASE) -> str:
    return c.value(concept, entity, Holding.UNDETERMINED.value)


def holdings_of(pack: RulePack, c: Conclusions) -> dict:
    """Just the holdings of a consultation (what the interview's planner needs each step):
    the per-case holdings, the holdings that list entities, the disposition."""
    m = decision_map(pack)
    holdings: dict[str, Any] = {key: _holding(c, concept) for key, concept in m["holdings"].items()}
    for key, spec in (m.get("entity_lists") or {}).items():
        holdings[key] = [e.name for e in c.of_kind(spec["kind"]) if c.value(spec["fact"], e.id) == spec["is"]]
    holdings["disposition"] = _holding(c, m["disposition"])
    if _waiting_on_law(pack, c) or _items_without_law(pack, c):
        # a claim only law the pack lacks can decide is not disposed of: the aggregates over a
        # list (every remedy granted?) pass over an item nothing concluded, so the disposition
        # they reach is not the case's
        holdings["disposition"] = Holding.UNDETERMINED.value
    return holdings


def _items_without_law(pack: RulePack, c: Conclusions) -> list[str]:
    """The provisions an item judged by its own date lacks (pack.yaml law_dates, per_item): an
    act of a period no version of them covers (before the earliest the pack holds) while other
    acts of the case are judged, so that its holdings stay undecided. Named as the provisions
    whose rules decide those holdings for the other periods' items."""
    spec = decision_map(pack).get("acts")
    if not isinstance(c, Consultation) or not spec or isinstance(c.case.law, str):
        return []
    out: list[str] = []
    for clock, (kind, _) in pack.item_clocks.items():
        guard = period_concept(clock)
        if kind != spec["kind"] or items_key(clock) not in dict(c.case.law):
            continue
        for act in c.of_kind(kind):
            period = c.value(guard, act.id)
            for concept in spec["holdings"].values():
                if (concept, act.id) in c.values:
                    continue
                live = [r for r in c.law.rules_by_concept.get(concept, []) if r.about == kind and all(
                    period in cond.values for cond in r.scope if cond.fact == guard)]
                if not live:
                    out += [r.source for r in pack.rules if r.then == concept and r.about == kind]
    return list(dict.fromkeys(out))


def _waiting_on_law(pack: RulePack, c: Conclusions) -> list[Rule]:
    """The rules needing law the pack does not hold (in force on the case's dates) whose
    conditions of the case are settled and met, while their conclusion stays undecided: the
    case raises a question only that law answers (a consultation's; other conclusions, as the
    planner keeps them, know no law)."""
    if not isinstance(c, Consultation) or not c.law.wanting:
        return []
    stuck = _Stuck(pack, c)
    return [r for r in c.law.wanting if not _decided(pack, c, r.then) and stuck.ready(r)]


def build_record(pack: RulePack, case: Case, c: Consultation) -> dict:
    m = decision_map(pack)
    holdings = holdings_of(pack, c)
    return {
        "format": FORMAT,
        "case": str(case.data.get("title", "")),
        "jurisdiction": str(case.data.get("jurisdiction", pack.manifest["jurisdiction"])),
        "law_as_of": case.decided_on,
        # the date that picked each version of the law (pack.yaml law_dates), by clock
        "law_dates": case.clock_dates,
        "rulebase": {"id": pack.id, "version": pack.version, "digest": pack.digest},
        "holdings": holdings,
        "acts": _acts(m["acts"], c, case) if "acts" in m else [],
        "remedies": remedies(m["remedies"], case, c, holdings["disposition"]),
        "findings": _findings(m["findings"], pack, case, c),
        "reasons": _reasons(pack, c, holdings),
        "open_questions": _open_questions(pack, case, c, holdings),
        "missing_law": missing_law(pack, c, holdings) if holdings.get("disposition") == Holding.UNDETERMINED else [],
        "notes": [{"fact": n, "text": {"zh": pack.concepts[n].says[c.value(n)].zh,
                                       "en": pack.concepts[n].says[c.value(n)].en}}
                  for n in m.get("notes", []) if c.value(n) is not None],
        "item_notes": _item_notes(m["item_notes"], pack, c) if "item_notes" in m else [],
    }


def _item_notes(spec: ItemNotes, pack: RulePack, c: Consultation) -> list[dict]:
    """Conclusions about single entities (say, each evidence item) the pack reports as notes."""
    out = []
    for fact in spec["facts"]:
        for e in c.of_kind(spec["kind"]):
            value = c.value(fact, e.id)
            says = pack.concepts[fact].says.get(value)
            if says:
                out.append({"item": e.name, "fact": fact, "value": value, "text": {"zh": says.zh, "en": says.en}})
    return out


def _acts(spec: Acts, c: Consultation, case: Case) -> list[dict]:
    """One entry per entity of the declared kind: its holdings, then its lists of linked entities;
    the date that picked its law, where a clock is read per item of that kind."""
    out = []
    own = {entity: day for _, entity, day in case.item_dates}
    for act in c.of_kind(spec["kind"]):
        entry: dict[str, Any] = {"id": act.name}
        if act.id in own:
            entry["law_date"] = own[act.id]
        entry.update({key: _holding(c, concept, act.id) for key, concept in spec["holdings"].items()})
        for key, sub in (spec.get("lists") or {}).items():
            entry[key] = [c.entities[e.links[sub["link"]]].name for e in c.linked_to(sub["kind"], act)
                          if c.value(sub["fact"], e.id) == sub["is"]]
        out.append(entry)
    return out


def _findings(spec: Findings, pack: RulePack, case: Case, c: Consultation) -> list[dict]:
    ev = spec["evidence"]
    burdens = {n: b.on for b in pack.burdens if b.fact == spec["fact"] for n in b.only}
    out = []
    for topic in c.of_kind(spec["kind"]):
        evidence = sorted({c.entities[p.links[ev["from"]]].name for p in c.linked_to(ev["kind"], topic, ev["link"])})
        path = spec["claims"].get(topic.name)
        claimed = case_value(case, path) if path else None
        if not evidence and claimed in (None, "unknown", False, "none", 0):
            continue  # nothing asserted and nothing offered: not a finding
        value = c.value(spec["fact"], topic.id)
        derivs = c.why(spec["fact"], topic.id)
        burden = next((d.burden for d in derivs if d.burden), None) or burdens.get(topic.name)
        out.append({
            "fact": path or topic.name,
            "claimed": claimed,
            "status": spec["status"].get(value, "unknown"),
            "burden": burden,
            "evidence": evidence,
        })
    return out


def _premise_text(p) -> str:
    if p.absent:
        return f"no {p.concept} ({p.entity})"
    return f"{p.concept}({p.entity}) = {_show(p.value)}"


def _show(v: Any) -> str:
    return "true" if v is True else "false" if v is False else str(v)


def disposition_set_aside(pack: RulePack, c: Conclusions, holdings: dict) -> bool:
    """Whether the disposition the rules reached is not the case's: law the pack lacks leaves
    it undetermined (holdings_of). Its derivations are then no reasons, in the record, the
    summary or the draft."""
    return _holding(c, decision_map(pack)["disposition"]) != holdings["disposition"]


def _reasons(pack: RulePack, c: Consultation, holdings: dict) -> list[dict]:
    disposition = decision_map(pack)["disposition"]
    set_aside = disposition_set_aside(pack, c, holdings)
    out = []
    for d in c.fired:
        if set_aside and d.concept == disposition:
            continue
        rule = c.law.rule(d.rule) or pack.rule(d.rule)  # its cites: the holdings it may rely on
        assert rule is not None  # a derivation names a rule of the pack that drew it
        cites = [rule.source] + [x for x in rule.cites if x != rule.source]
        concept = pack.concepts[d.concept]
        says = concept.says.get(d.value)
        out.append({
            "rule": d.rule,
            "conclusion": f"{d.concept}({d.entity}) = {_show(d.value)}",
            "premises": [_premise_text(p) for p in d.premises],
            "cites": cites,
            "burden": d.burden,
            "open_textured": bool(getattr(rule, "open_textured", False) or concept.open_textured),
            "text": {"zh": says.zh, "en": says.en} if says else None,
        })
    return out


def _decided(pack: RulePack, c: Consultation, concept: str) -> bool:
    """Whether the consultation concluded `concept` for every entity it is about."""
    about = pack.concepts[concept].about
    entities = [CASE] if about == CASE else [e.id for e in c.of_kind(about)]
    return bool(entities) and all((concept, e) in c.values for e in entities)


def missing_law(pack: RulePack, c: Consultation, holdings: dict) -> list[str]:
    """The provisions the case lacks (no version of them in the pack for its dates, or no text):
    a case still undetermined names them. Only what the undetermined holdings wait on counts,
    read through the rules in force down to the concepts still undecided: a provision of
    another period on a question this case never reaches, or has already decided, is not law
    it lacks. A rule of these dates that needs a provision whose text the pack does not hold
    (needs_law), once the facts of the case it needs are settled and met, names that provision,
    and for its concept the other periods' provisions are not named: they are not the law of
    this case."""
    live = {r.id for r in c.law.rules}
    by_concept = c.law.rules_by_concept
    m = decision_map(pack)
    todo = [m["holdings"].get(k) or m["disposition"]
            for k in [*m["holdings"], "disposition"] if holdings.get(k) == Holding.UNDETERMINED]
    reached: set[str] = set()
    while todo:
        concept = todo.pop()
        if concept in reached or _decided(pack, c, concept):
            continue
        reached.add(concept)
        for r in by_concept.get(concept, []):
            todo.extend(r.reads)
    stuck = _Stuck(pack, c)
    wanting = [r for r in c.law.wanting if r.then in reached and stuck.ready(r)]
    wanting += [r for r in _waiting_on_law(pack, c) if r not in wanting]
    # a concept a burden in force closes is decided once its facts are in: it lacks no law
    closed = {r.then for r in wanting} | {b.fact for b in c.law.burdens}
    return list(dict.fromkeys([n for r in wanting for n in r.needs] + _items_without_law(pack, c) +
                              [r.source for r in pack.rules
                               if r.id not in live and r.then not in by_concept and r.then in reached
                               and r.then not in closed and pack.authorities[r.source].kind == "provision"]))


class _Stuck:
    """Which rules in force can no longer fire, and which concepts no answer can decide, in a
    finished consultation: a rule is blocked by a condition it needs (a scope condition, or any
    condition of a sufficient rule) on a fact of the case that is settled against it, or that
    nothing can settle; a concept is stuck while undecided when every rule concluding it is
    blocked and no burden closes it (the law it needs is missing). What hangs on them only can
    change no holding: it is no open question."""

    def __init__(self, pack: RulePack, c: Consultation):
        self.pack, self.c = pack, c
        self.by_concept = c.law.rules_by_concept
        self.burdened = {b.fact for b in c.law.burdens}
        self.memo: dict[str, bool] = {}

    def concept(self, concept: str) -> bool:
        if concept not in self.memo:
            self.memo[concept] = False  # a cycle settles nothing: assume it can still be decided
            self.memo[concept] = (self.pack.concepts[concept].derived and concept not in self.burdened
                                  and not _decided(self.pack, self.c, concept)
                                  and all(self.rule(r) for r in self.by_concept.get(concept, [])))
        return self.memo[concept]

    @staticmethod
    def _needed(r: Rule) -> list[tuple[str, Condition]]:
        # the conditions a rule needs met that test a fact of the case itself, with that fact
        return [(cond.fact, cond) for cond in r.scope + (r.terms if r.form == Form.SUFFICIENT else ())
                if cond.fact and not cond.over and (cond.of == CASE or (cond.of == "this" and r.about == CASE))]

    def ready(self, r: Rule) -> bool:
        """Whether every condition of the case a rule needs is settled and met: a rule wanting
        law is then the law the case lacks, not law it may need once more facts are known."""
        return all((fact, CASE) in self.c.values and cond.holds(self.c.values[(fact, CASE)])
                   for fact, cond in self._needed(r))

    def rule(self, r: Rule) -> bool:
        for fact, cond in self._needed(r):
            if (fact, CASE) in self.c.values:
                if not cond.holds(self.c.values[(fact, CASE)]):
                    return True
            elif self.concept(fact):
                return True
        return False


def _open_questions(pack: RulePack, case: Case, c: Consultation, holdings: dict) -> list[str]:
    """Case-file fields not answered that a still-undetermined holding depends on."""
    if holdings.get("disposition") != Holding.UNDETERMINED:
        return []
    by_concept = c.law.rules_by_concept
    answered = {f.concept for f in case.facts}
    missing: list[str] = []
    seen: set[str] = set()

    stuck = _Stuck(pack, c)

    def walk(concept: str):
        if concept in seen:
            return
        seen.add(concept)
        if not pack.concepts[concept].derived:
            if concept not in answered and concept not in missing:
                missing.append(concept)
            return
        for b in pack.burdens:
            if b.fact == concept:
                missing.extend(p for p in b.after if p not in case.answered and p not in missing)
        for r in by_concept.get(concept, []):
            if stuck.rule(r):
                continue
            for fact in r.reads:
                walk(fact)

    m = decision_map(pack)
    undetermined = [k for k in m["holdings"] if holdings[k] == Holding.UNDETERMINED]
    for key in undetermined + ["disposition"]:
        concept = m["holdings"].get(key) or m["disposition"]
        if not _decided(pack, c, concept):   # undetermined only for law it lacks: no answer helps
            walk(concept)
    return missing
