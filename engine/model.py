"""The immutable model of a rule pack and of what a consultation concludes.

Nothing here knows any law: a rule pack's provisions, holdings, concepts and rules are
all read from its YAML files by :mod:`engine.loader`.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping, Union

from .errors import Span

if TYPE_CHECKING:  # the case format is read after the model it reads into
    from .caseformat import CaseFormat


class Holding(StrEnum):
    """The values of a holding (spec/decision.md). A concept decided with a burden of proof
    takes the first three; the decision record adds the last two for an issue it did not need
    or cannot decide yet. Each member is its word, so comparisons, JSON and messages are
    unchanged; the record itself holds the plain words (YAML writers know no enum)."""

    ESTABLISHED = "established"          # proven and legally sufficient
    NOT_ESTABLISHED = "not_established"  # the party with the burden did not prove it
    REFUTED = "refuted"                  # proven (or undisputed) and insufficient, or disproven
    NOT_REACHED = "not_reached"          # an earlier issue disposed of the case
    UNDETERMINED = "undetermined"        # facts it needs are still unknown


# The three values of a concept decided with a burden of proof, as plain words.
ESTABLISHED, NOT_ESTABLISHED, REFUTED = Holding.ESTABLISHED.value, Holding.NOT_ESTABLISHED.value, Holding.REFUTED.value
VERDICT = (ESTABLISHED, NOT_ESTABLISHED, REFUTED)
UNKNOWN = "unknown"  # the answer "don't know" / "the record is silent"
CASE = "case"        # the one entity every case has
DECIDED = "decided_on"  # the clock of the decision date, which every pack has



class Form(StrEnum):
    """How a rule combines its conditions (rules/FORMAT.md). Each member is the word the rule
    file writes, and is that string: comparisons with the word, JSON and messages are unchanged."""

    SUFFICIENT = "sufficient"  # the conditions together suffice for the value `is`
    ALL = "all"                # three-valued: every condition established (a conjunction)
    ANY = "any"                # three-valued: one condition established (a disjunction)
    SOME = "some"              # over the linked items: one item established establishes it
    EVERY = "every"            # over the linked items: one item refuted refutes it


# The dates that pick the law of a consultation: (clock, day) pairs, or one day for every clock.
# A clock read per item (pack.yaml law_dates: per_item) whose items fall in more than one
# period adds the pair (items_key(clock), the periods' first days joined by commas).
LawDates = Union[str, tuple[tuple[str, str], ...]]


def items_key(clock: str) -> str:
    """The key of a per-item clock's periods in a LawDates tuple."""
    return clock + "/items"


def period_concept(clock: str) -> str:
    """The input fact giving, for each item of a per-item clock, the period of the law its own
    date falls in (the first day of that period): the guard of the rules in force for it."""
    return f"law_dates.{clock}"


# the first day of the period before every version a per-item clock's instruments hold
BEFORE_ALL = "0001-01-01"


@dataclass(frozen=True)
class Text:
    """A text in Simplified Chinese (authoritative) and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Authority:
    """A provision (statute text) or a holding (a court's ruling) that rules apply."""

    id: str
    kind: str                 # provision | holding
    title: Text
    text: Text                # provision text, or the holding as summarised
    text_status: str          # e.g. "unofficial working translation" / "project summary"
    source: Mapping[str, Any]
    effective_from: str | None
    effective_until: str | None
    verified: bool
    interprets: tuple[str, ...]
    note: str | None
    span: Span
    clock: str = DECIDED      # the date that picks this provision's version (pack.yaml law_dates)
    held: bool = True         # False: a provision known to exist whose text the pack does not hold

    def in_force(self, day: str) -> bool:
        if self.effective_from and day < self.effective_from:
            return False
        return not (self.effective_until and day > self.effective_until)

    @property
    def made_on(self) -> str | None:
        """A holding's date (decided, else published), as the last day of a partial date."""
        day = str(self.source.get("decided") or self.source.get("published") or "") or None
        if day and len(day) == 4:
            return day + "-12-31"
        if day and len(day) == 7:
            return f"{day}-{calendar.monthrange(int(day[:4]), int(day[5:7]))[1]:02d}"
        return day

    def citation(self, lang: str, short: bool = False) -> str:
        """A citation: 《中华人民共和国著作权法》第三条, or with `short` 《著作权法》第三条."""
        s = self.source
        lang = "en" if lang == "en" else "zh"
        if self.kind == "holding":
            return s["short" if short and "short" in s else "case"][lang]
        name = s["short" if short and "short" in s else "instrument"][lang]
        art = s["cite"][lang] if "cite" in s else s.get("article", "")
        return f"{name}, {art}" if lang == "en" else f"《{name}》{art}"


@dataclass(frozen=True)
class Concept:
    """Something a rule concludes or a case file answers, about one kind of entity."""

    name: str
    about: str
    values: tuple
    label: Text
    says: Mapping[Any, Text]
    open_textured: bool
    derived: bool             # concluded by rules (False: an answer from the case file)
    field: str | None         # the case-file path an input concept is read from
    span: Span

    @property
    def verdict(self) -> bool:
        return all(v in self.values for v in VERDICT)


@dataclass(frozen=True)
class Condition:
    """One condition of a rule: a test on a fact about some entity."""

    fact: str | None          # the concept tested (None for a test on a link)
    link: str | None          # test the anchor entity's link of this kind instead of a fact
    of: str                   # "this", "case", a linked kind, or "kind:name"
    over: str | None          # some entity of this kind linked to the anchor
    op: str                   # verdict | is | in | not_in | gt
    values: tuple
    if_unknown: str           # the verdict an "unknown" answer counts as
    quote: str | None
    span: Span
    linked: bool = True       # `over` entities link to the anchor (else: any entity of that kind)

    # The one reading of a condition's test outside durable_rules (the compiler writes the same
    # test as durable_rules patterns): the decision record, the flips and the planner ask these.
    def test(self, value: Any) -> bool | None:
        """Whether the test holds of a value that is known (an answer, or a concluded verdict);
        None when it cannot tell: a comparison (gt, lte) of something that is not a number.
        A yes/no answer equals only a yes/no value (True is not 1)."""
        if self.op == "verdict":
            return value == ESTABLISHED
        if self.op in ("gt", "lte"):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                return None
            return value > self.values[0] if self.op == "gt" else value <= self.values[0]
        found = value in self.values
        if found and not isinstance(value, str):  # a yes/no value equals only a yes/no value
            found = any(value == x and isinstance(value, bool) == isinstance(x, bool) for x in self.values)
        return found if self.op != "not_in" else not found

    def verdict_of(self, value: Any) -> str | None:
        """What the condition makes of a fact's value: ESTABLISHED or REFUTED; an "unknown"
        answer counts as `if_unknown` says; a concluded verdict is read as it is; None for
        no value yet."""
        if value is None:
            return None
        if self.op == "verdict":
            return value
        if value == UNKNOWN:
            return self.if_unknown
        return ESTABLISHED if self.test(value) else REFUTED

    def holds(self, value: Any) -> bool:
        """Whether the condition is met by a fact's value."""
        return self.verdict_of(value) == ESTABLISHED


@dataclass(frozen=True)
class Rule:
    """A formal rule under the words it formalises."""

    id: str                   # "<file id>/<local id>"
    source: str               # the file's authority id
    about: str
    then: str
    value: Any                # for sufficient rules: the value concluded
    form: Form
    scope: tuple[Condition, ...]
    terms: tuple[Condition, ...]
    unless: tuple[Condition, ...]
    over: str | None
    fact: str | None
    quote: str
    cites: tuple[str, ...]
    open_textured: bool
    explain: Text
    span: Span
    needs: tuple[str, ...] = ()  # provisions it formalises whose text the pack does not hold

    @property
    def reads(self) -> list[str]:
        """The facts it reads: its conditions' (once per condition) and, over entities, its own."""
        return [c.fact for c in self.scope + self.terms + self.unless if c.fact] + ([self.fact] if self.fact else [])


@dataclass(frozen=True)
class Burden:
    """Who loses if a fact is still unproven at the close of evidence."""

    id: str
    source: str
    about: str
    fact: str
    on: str
    default: Any
    only: tuple[str, ...]
    after: tuple[str, ...]     # case-file fields that must be answered before it applies
    quote: str
    cites: tuple[str, ...]
    explain: Text
    span: Span
    # conditions on the entity it closes: only the guard of a per-item clock's period (as_of)
    scope: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Example:
    """An inline example: a partial case file and what it must conclude."""

    name: str
    source: str
    case: Any
    expect: Mapping[str, Any]
    fires: tuple[str, ...]
    span: Span


@dataclass(frozen=True, eq=False)
class RulePack:
    """Everything a consultation needs, read from one rule-pack directory."""

    id: str
    root: str
    version: str
    digest: str
    manifest: Mapping[str, Any]
    case_format: "CaseFormat"      # the case format, read once: its document and what is known of it
    entity_kinds: tuple[str, ...]
    authorities: Mapping[str, Authority]
    concepts: Mapping[str, Concept]
    rules: tuple[Rule, ...]
    burdens: tuple[Burden, ...]
    examples: tuple[Example, ...]
    # rules that need a provision whose text the pack does not hold (`needs_law`): never applied;
    # a case that waits on one names that provision as the law it lacks
    wanting: tuple[Rule, ...] = ()

    @cached_property
    def _by_id(self) -> dict:
        return {x.id: x for x in self.rules + self.burdens}

    @cached_property
    def rules_by_concept(self) -> dict[str, list[Rule]]:
        """The rules by the concept they conclude: the one index of its rule set (a pack as of a
        date, which `as_of` keeps, has its own), read by the decision record and the planner."""
        out: dict[str, list[Rule]] = {}
        for r in self.rules:
            out.setdefault(r.then, []).append(r)
        return out

    @cached_property
    def rules_by_fact(self) -> dict[str, list[Rule]]:
        """The rules by each fact they read (Rule.reads: a rule once per condition on it)."""
        out: dict[str, list[Rule]] = {}
        for r in self.rules:
            for fact in r.reads:
                out.setdefault(fact, []).append(r)
        return out

    @cached_property
    def _rank(self) -> dict:
        return {x.id: i for i, x in enumerate(self.rules + self.burdens)}

    def rank(self, rule_id: str) -> int:
        """The place of a rule or burden in the pack (file order): for a stable choice among
        several derivations of one conclusion."""
        return self._rank.get(rule_id, len(self._rank))

    def rule(self, rule_id: str) -> "Rule | Burden | None":
        """The rule or burden with this id (a derivation names one or the other)."""
        return self._by_id.get(rule_id)

    @cached_property
    def _as_of(self) -> dict:
        return {}

    def as_of(self, when: LawDates) -> "RulePack":
        """The pack restricted to the law in force: each provision as of its clock's date (`when`
        is one day for every clock, or (clock, day) pairs; a clock not given follows the decision
        date) and the holdings made before the decision (the judgment drafts cite them by the
        same test). A holding decides nothing alone: a rule cites it as support.
        Remembered for the last dates asked: every consultation asks it."""
        live = self._as_of.get(when)
        if live is None:
            if len(self._as_of) >= 64:
                self._as_of.clear()
            from .in_force import pack_as_of  # it builds packs: imported where used, not at the top
            live = self._as_of[when] = pack_as_of(self, when)
        return live

    @cached_property
    def item_clocks(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """The clocks read per item (pack.yaml law_dates, `per_item`): for each, the kind of
        entity its items make and the first days of the periods into which the versions of its
        instruments divide time (a version begins or ends at each)."""
        from .in_force import item_clocks
        return item_clocks(self)

    def period_of(self, clock: str, day: str) -> str:
        """The first day of the period of a per-item clock that `day` falls in."""
        return max(s for s in self.item_clocks[clock][1] if s <= day)


@dataclass(frozen=True)
class Entity:
    """A thing facts are about: the case, an evidence item, an act..."""

    id: str                   # "kind:name", or "case"
    kind: str
    name: str
    links: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Premise:
    """One fact a rule used, or the absence of facts it relied on."""

    concept: str
    entity: str
    value: Any
    absent: bool = False      # True: "no such fact" (negation at the close of evidence)


@dataclass(frozen=True)
class Derivation:
    """Why a conclusion holds: the rule (or burden) that fired and its premises."""

    rule: str
    concept: str
    entity: str
    value: Any
    premises: tuple[Premise, ...]
    burden: str | None = None  # the party that bore the burden, when a burden decided it
