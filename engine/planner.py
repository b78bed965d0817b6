"""The interview's planner: which question to ask next, and why; which were not asked, and why.

Generic: it reads the rule graph of the pack, the case format and ``questions.yaml``; it
knows no field of any jurisdiction.

**Slots.** A question is asked to fill one *slot* of the case file: an unanswered answer
field of the case or of one list item (``creation.prompt``, ``evidence[0].kind``), a list of
vocabulary values that makes entities (``claims.rights``, ``evidence[0].proves``), or a list
of items (``evidence``, ``acts``, ``defenses``). A list of items is a sub-dialogue: its slot
asks "is there an item?" (or "another item?" once it has some); a yes adds an item, whose own
fields become slots. The list stays open until the user says there are no (more) items;
which lists are closed is interview state, kept beside the answers (see engine/casewrite.py).

**Relevance.** A slot is asked only if its answer can still change the judgment: the
decision's holdings (``pack.yaml``'s ``decision.holdings``, its ``entity_lists`` and the
disposition), its orders (the ``remedies`` with a ``fact``), the conclusion that picks an
amount's range (``scale``) and the amounts it states (``claimed``, once the order holds; the
fields a fee is computed ``on``). The analysis lives in engine/relevance.py. The planner builds the consultation for the answers so far (by units
in a case with many acts: engine/units.py; the walk of each act is then kept from one plan to
the next, relevance.Walks) and walks the rule graph down from every goal, entity by entity:

- a conclusion already derived, by a rule whose premises are all final and without any
  "no such fact" premise (a burden of proof, a ``some``/``every`` closing over entities), is
  final: nothing below it is asked (it cannot change: there is no retraction);
- a rule whose scope (or, for a sufficient rule, any condition) reads a final fact that does
  not satisfy it cannot fire: nothing is asked for it;
- otherwise every fact the rule reads is visited: an unanswered answer field is a candidate;
  a condition over entities of some kind (``over: proof``) also makes candidates of the
  lists that could add such entities (the evidence list, an item's ``proves``);
- a burden of proof that waits for fields (``after:``) makes those fields candidates.

This over-approximates "can change the outcome" only where the outcome itself is still
open or provisional (resting on a negation that more answers could undo); it never asks for
a field below a final conclusion. Questions the user skips ("don't know") are not asked
again; the fields stay unanswered ("not known yet"), exactly as a case file that lacks them.

**Order.** Issues in the order of the decision's holdings (is it a work, who is the author,
...): a question serves the first issue it can change. Within an issue,
an item already started is finished first (its sub-dialogue stays together), then answers
that some rule's scope reads (gates: "was it generated with AI?" decides which branches of
the rules matter at all), then the
sections in ``questions.yaml`` order (parties, subject, creation, evidence, acts, defences,
claims), list items in order, and the questions in the order that file lists them (the
most decisive of a section first). When an issue is decided its remaining questions vanish,
so a case that fails on the first issue never hears of the later ones.
"""
from __future__ import annotations

import threading
from collections.abc import Mapping, Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from .casefile import CaseMemo, build_case
from .itemmemo import same_texts, text
from .decision_map import Claim, decision_map
from .growing import Growing
from .questions import load_questions
from .model import NOT_ESTABLISHED, Condition, LawDates, Rule, RulePack
from .relevance import Analysis
from .relevance_reasons import Step, chain, reason_moot
from .walks import Walks
from .conclusions import Conclusions
from .units import Units
from .slots import ITEMS, MULTI, VALUE, Slot, SlotCache, StartedItems, get_at
from .yamlsrc import Located

__all__ = ["ITEMS", "MULTI", "VALUE", "Plan", "Planner", "Slot", "Step", "get_at"]


@dataclass
class Plan:
    question: Slot | None                     # the next question (None: stop)
    issue: int | None                         # index into `issues` of the issue it serves
    issues: list[tuple[str, str | None]]      # (goal key, concept; None: an amount) in order
    open_issues: list[bool]                   # which issues can still change
    candidates: list[Slot]                    # every relevant question, in asking order
    holdings: dict
    record: dict
    slots: list[Slot] = field(default_factory=list)  # every slot of the case file, answered or not

class Planner:
    """Plans an interview over one rule pack."""

    def __init__(self, pack: RulePack, grow: bool = True):
        self.pack = pack
        fmt = pack.case_format
        self.fmt = fmt
        q = load_questions(Path(pack.root), fmt)
        self.questions: dict[str, dict] = q["questions"]
        self.sections: list[str] = list(q["sections"])
        self.order = {qid: i for i, qid in enumerate(self.questions)}
        self.section_of = {name: i for i, name in enumerate(self.sections)}
        # details: fields asked once at the start or the end, outside the planning
        self.details: dict[str, dict] = dict(q.get("details") or {})
        self.detail_nodes = {p: fmt.field(p, in_items=d.get("at") == "item") for p, d in self.details.items()}
        self.rules_by_then: dict[str, list[Rule]] = {}
        self.rules_by_reads: dict[str, list[Rule]] = {}
        self.kind_sources = fmt.sources
        m = decision_map(pack)
        self.issues: list[tuple[str, str | None]] = [(k, c) for k, c in m["holdings"].items()]
        # a holding that lists entities (say, the rights infringed) is an issue over every
        # entity of its kind, and over the lists that could add one
        self.entity_lists: dict[str, str] = {k: s["kind"] for k, s in (m.get("entity_lists") or {}).items()}
        self.issues += [(k, s["fact"]) for k, s in (m.get("entity_lists") or {}).items()]
        self.issues.append(("disposition", m["disposition"]))
        # The orders that go into the judgment and the amounts it states are goals too: an
        # order's fact (cease, apology, ...) like a holding; an amount field once the order it
        # sizes holds (`claimed`), or always (`on`: a fee computed on the sums claimed; a sum
        # the fee ties to one claim, `when`, only once the case makes that claim).
        self.amounts: dict[str, tuple[str | None, object, tuple[str, ...]]] = {}
        self.amount_claims: dict[str, Mapping[str, Claim]] = {}
        self.scales: dict[str, tuple[str, object, str]] = {}
        for key, spec in (m.get("remedies") or {}).items():
            if not isinstance(spec, dict):
                continue
            if spec.get("fact"):
                self.issues.append((key, spec["fact"]))
                if spec.get("claimed"):
                    self.amounts[f"{key}.claimed"] = (spec["fact"], spec.get("is"), (spec["claimed"],))
                computed = spec.get("computed")
                if computed:  # the sum found that a computed amount states, once it is computed
                    self.amounts[f"{key}.base"] = (spec["fact"], computed["is"], (computed["base"],))
                if spec.get("scale"):  # a conclusion that picks the range of the amount
                    self.scales[f"{key}.scale"] = (spec["fact"], spec.get("is"), spec["scale"])
            elif spec.get("on"):
                self.amounts[key] = (None, None, tuple(spec["on"]))
                self.amount_claims[key] = spec.get("when") or {}
        self.issues += [(key, concept) for key, (_f, _i, concept) in self.scales.items()]
        self.issues += [(key, None) for key in self.amounts]
        self.amount_fields = {f for _fact, _is, fields in self.amounts.values() for f in fields}
        self._live_day: LawDates | None = None
        self._recent: dict[tuple, tuple[Conclusions, dict]] = {}
        self._units = Units(pack)  # a case with many acts is re-decided act by act
        self._growing = Growing(pack)  # any other grown from the last answers' consultation
        if grow:  # (else each built afresh: tests compare the two)
            self._units.whole = self._growing.consult
        self._walks = Walks()  # and its relevance walked again only for the acts that changed
        self._slots = SlotCache(fmt)  # and the slots of the items that did not change kept
        self.case_memo = CaseMemo()  # and their validation, entities and answers
        # one planner serves every interview on a pack (a web server's threads too): the rule
        # index is switched by the decision date and the recent consultations are shared
        self._lock = threading.RLock()

    # -- the rules in force -------------------------------------------------------------
    def _index(self, day: LawDates) -> None:
        if self._live_day == day:
            return
        live = self.pack.as_of(day)
        self.rules_by_then, self.rules_by_reads = live.rules_by_concept, live.rules_by_fact
        # per rule, made once: the conditions that can block it (engine/relevance.py) and the
        # facts it reads (a some/every rule also reads its items, as the compiler reads them)
        self.gating: dict[str, tuple[Condition, ...]] = {}
        self.reading: dict[str, tuple[Condition, ...]] = {}
        for r in live.rules:
            self.gating[r.id] = r.scope + (r.terms if r.form == "sufficient" else tuple(x for x in r.terms if x.link))
            items = (Condition(r.fact, None, "this", r.over, "verdict", (), NOT_ESTABLISHED, None, r.span),) \
                if r.form in ("some", "every") else ()
            self.reading[r.id] = tuple(x for x in r.scope + r.terms + r.unless if not x.link) + items
        self.burdens = live.burdens
        self.gates = {c.fact for r in live.rules for c in r.scope
                       if c.fact and not self.pack.concepts[c.fact].derived}
        self._live_day = day

    def idle(self) -> None:
        """Prepare for the next answer, in the time the user takes to read the question
        (engine/growing.py): call it once the question is shown."""
        with self._lock:
            self._growing.idle()

    def close(self) -> None:
        """Delete the engine sessions kept open for the next answer (the planner stays usable:
        its next consultation is built afresh)."""
        self._growing.close()

    @property
    def growth(self) -> dict[str, int]:
        """How its consultations of whole cases were made, so far (engine/growing.py): grown
        from the last one, finished from an unstaged one, built afresh."""
        g = self._growing
        return {"grown": g.grown, "finished": g.finished, "fresh": g.fresh}

    # -- slots --------------------------------------------------------------------------
    def slots(self, data: dict) -> list[Slot]:
        """Every slot of the case file, answered or not, in case-format order."""
        with self._lock:
            return self._slots.slots(data)

    def sort_key(self, slot: Slot, data: dict) -> tuple:
        section = self.section_of.get(slot.path[0], len(self.sections))
        idx = slot.indexes
        if slot.kind == ITEMS:
            items = get_at(data, slot.path)
            idx = idx + (len(items) if isinstance(items, list) else 0,)
        return section, idx, self.order.get(slot.qid, len(self.order))

    # -- planning -----------------------------------------------------------------------
    def plan(self, data: dict, closed: AbstractSet[str] = frozenset(), skipped: AbstractSet[str] = frozenset(),
             all_fields: bool = False, case=None) -> Plan:
        """The next question for the answers in `data` (a case file as a dict).

        `closed`: item lists (by their text path) the user said hold no more items;
        `skipped`: slots (by text path) the user answered "don't know".
        """
        with self._lock, same_texts():  # data does not change while it is planned
            return self._plan(data, closed, skipped, all_fields, case)

    def _plan(self, data, closed, skipped, all_fields, case) -> Plan:
        cons, holdings = self._consulted(data, case)
        record = {"holdings": holdings}  # the full record is built at the end
        analysis = Analysis(self, cons, data, closed, skipped, self._walks)
        open_issues, cands, issue_of = analysis.candidates(self.issues)
        analysis.keep_walks()
        self.last_analysis = analysis
        started = StartedItems(data)
        # gates first: an answer a rule's scope reads decides whether whole branches matter
        gates = self.gates
        cands.sort(key=lambda s: (issue_of[s.where], 0 if s.item in started else 1,
                                  0 if s.qid in gates else 1) + self.sort_key(s, data))
        question = cands[0] if cands else None
        issue = issue_of[question.where] if question else None
        if question is None and all_fields:
            rest = [s for s in analysis.askable.values()]
            rest.sort(key=lambda s: (0 if s.item in started else 1,) + self.sort_key(s, data))
            question = rest[0] if rest else None
        return Plan(question, issue, self.issues, open_issues, cands, record["holdings"], record,
                    analysis.slots)

    def why(self, data: dict, slot_where: str, closed=frozenset(), skipped=frozenset()) -> list[Step] | None:
        """The chain from the question at `slot_where` up to the issue it serves (first
        step: the rule reading the field; last: the rule concluding the holding)."""
        with self._lock:
            cons, _holdings = self._consulted(data)
            analysis = Analysis(self, cons, data, closed, skipped)
            analysis.candidates(self.issues)
            return chain(analysis, slot_where, self.issues)

    def moot(self, data: dict, closed=frozenset(), skipped=frozenset()) -> list[tuple[Slot, dict]]:
        """Questions not asked (unanswered slots the planner would not ask) and why: for
        each, the final conclusion or blocked rule above it and the answers that decided it."""
        with self._lock:
            cons, _holdings = self._consulted(data)
            analysis = Analysis(self, cons, data, closed, skipped)
            _, cands, _ = analysis.candidates(self.issues)
            wanted = set(cands)
            return [(slot, reason_moot(analysis, slot))
                    for slot in sorted(analysis.askable.values(), key=lambda s: self.sort_key(s, data))
                    if slot not in wanted]

    def _consulted(self, data: dict, case=None) -> tuple[Conclusions, dict]:
        """The (closed) consultation of the answers in `data` and its holdings. The last few
        are kept by the answers' content: a step that changes no answer (don't know, no more
        items, why, the details) reuses one instead of deciding the same case again. A
        closed consultation keeps its conclusions (values, derivations, entities), which is
        all the analysis reads."""
        from .decision import holdings_of
        key = None
        if case is None:
            # the answers' text, field by field and item by item (made once per plan: itemmemo)
            key = tuple((k, tuple(text(x) for x in v) if type(v) is list else text(v)) for k, v in sorted(data.items()))
            hit = self._recent.get(key)
            if hit is not None:
                self._index(hit[0].case.law)
                self._growing.revisit(hit[0])  # answers taken back, an interview begun again
                return hit
            case = build_case(Located(data, {}, "<interview>"), self.pack, self.case_memo)
        self._index(case.law)
        cons = self._units.consult(case)
        hit = (cons, holdings_of(self.pack, cons))
        if key is not None:
            self._recent[key] = hit
            while len(self._recent) > 8:
                del self._recent[next(iter(self._recent))]
        return hit
