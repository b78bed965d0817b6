"""The law in force on a case's dates: a rule pack restricted to the provisions in force on each
clock's date and the holdings made before the decision (`RulePack.as_of`), and the periods into
which a per-item clock divides time (pack.yaml law_dates, `per_item`).

A rule scoped to the items of a per-item clock is in force for an item when its source and the
provisions it cites are in force on that item's own date; where a case's items fall in several
periods, each such rule is guarded by the item's period fact, so both periods' rules live in one
consultation and never meet on one item. Such a program keeps each period's rules about items in
rulesets of their own when they read only their own item (`period_scope`), so that an item's
facts reach only its own period's rules (engine/compiler.py).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from .model import BEFORE_ALL, CASE, DECIDED, NOT_ESTABLISHED, Burden, Condition, LawDates, Rule, RulePack, \
    items_key, period_concept


def item_clocks(pack: RulePack) -> dict[str, tuple[str, tuple[str, ...]]]:
    """For each clock read per item: the kind of entity its items make and the first days of the
    periods into which the versions of its instruments divide time (a version begins or ends at each)."""
    out = {}
    for clock, spec in (pack.manifest.get("law_dates") or {}).items():
        if not spec.get("per_item"):
            continue
        kind = next(p.entity for p in pack.case_format.entity_lists if p.path == (spec["items"],))
        starts = {BEFORE_ALL}
        for a in pack.authorities.values():
            if a.kind == "provision" and a.clock == clock:
                starts.update({a.effective_from} if a.effective_from else ())
                starts.update({_day_after(a.effective_until)} if a.effective_until else ())
        out[clock] = (kind or "", tuple(sorted(starts)))
    return out


def _item_kind(pack: RulePack, about: str) -> tuple[str, str] | None:
    """The per-item clock whose items a rule about `about` is scoped to (an item itself, or
    an entity linking to one), with the items' kind."""
    for clock, (kind, _) in pack.item_clocks.items():
        if about == kind or kind in pack.case_format.links.get(about, ()):
            return clock, kind
    return None


def pack_as_of(pack: RulePack, when: LawDates) -> RulePack:
    """The pack as of these dates (RulePack.as_of remembers the last ones asked)."""
    dates = {DECIDED: when} if isinstance(when, str) else dict(when)
    decided = dates[DECIDED]
    live = {a.id for a in pack.authorities.values()
            if a.kind == "provision" and a.in_force(dates.get(a.clock, decided))}
    holdings = {a.id for a in pack.authorities.values()
                if a.kind == "holding" and (a.made_on or "") < decided}
    # the periods the items of a per-item clock fall in, when more than one
    periods = {clock: dates[items_key(clock)].split(",") for clock in pack.item_clocks if items_key(clock) in dates}

    def provision(x: str, at: tuple[str, str] | None) -> bool:
        # at: (clock, first day of a period) for a rule scoped to the items of that clock
        a = pack.authorities[x]
        return a.in_force(at[1]) if at and a.clock == at[0] else x in live

    def in_force(r, at=None) -> bool:
        return (r.source in holdings or pack.authorities[r.source].kind == "provision" and provision(r.source, at)) \
            and all(c in holdings or pack.authorities[c].kind == "holding" or provision(c, at) for c in r.cites)

    def supported(r, at=None):
        cites = tuple(c for c in r.cites if c in holdings or pack.authorities[c].kind == "provision" and provision(c, at))
        return r if cites == r.cites else replace(r, cites=cites)

    def of_dates(r):
        """The rule as in force on these dates, or None: a rule scoped to the items of a
        per-item clock whose items fall in several periods is in force for an item when it is
        on the item's own period, guarded by the item's period fact where not on all of them."""
        scoped = _item_kind(pack, r.about) if periods else None
        if scoped is None or scoped[0] not in periods:
            return supported(r) if in_force(r) else None
        clock, kind = scoped
        ins = [p for p in periods[clock] if in_force(r, (clock, p))]
        if not ins:
            return None
        r = supported(r, (clock, ins[-1]))
        if len(ins) == len(periods[clock]):
            return r
        guard = Condition(period_concept(clock), None, "this" if r.about == kind else kind, None, "in",
                          tuple(ins), NOT_ESTABLISHED, None, r.span)
        return replace(r, scope=r.scope + (guard,))

    kept = {x.id: x for x in map(of_dates, pack.rules + pack.burdens) if x is not None}
    # a rule wanting law is of these dates when it and the provisions it needs would be in force
    needed = {a.id for a in pack.authorities.values()
              if not a.held and a.in_force(dates.get(a.clock, decided))}
    kept.update((r.id, r) for r in pack.wanting if in_force(r) and set(r.needs) <= needed)
    if periods:
        kept.update(_earlier_questions(pack, kept, periods, in_force, supported))
    rules = tuple(kept[r.id] for r in pack.rules if r.id in kept)
    burdens = tuple(kept[b.id] for b in pack.burdens if b.id in kept)
    wanting = tuple(kept[r.id] for r in pack.wanting if r.id in kept)
    return RulePack(pack.id, pack.root, pack.version, pack.digest, pack.manifest, pack.case_format,
                    pack.entity_kinds, pack.authorities, pack.concepts, rules, burdens, pack.examples,
                    wanting)


def _earlier_questions(pack: RulePack, kept: dict, periods: dict, in_force, supported) -> dict:
    """The rules not about items that answer a question only an earlier period's law asks:
    a concept the rules kept about items read and no rule kept concludes (a co-author's own
    use, say, which the law of an act of that period decides and the later law does not ask
    about). That period's law decides it for the acts of its time: its rules concluding the
    concept are kept, as on the first day of the period (and what they read, in turn)."""
    out: dict = {}
    while True:
        rules = list(kept.values()) + list(out.values())
        concluded = {getattr(x, "then", None) or x.fact for x in rules}
        asked = {f for x in rules if isinstance(x, Rule) and _item_kind(pack, x.about) for f in x.reads
                 if pack.concepts[f].derived} - concluded
        asked |= {f for x in out.values() if isinstance(x, Rule) for f in x.reads if pack.concepts[f].derived} - concluded
        found = {}
        for x in pack.rules + pack.burdens + pack.wanting:
            if x.id in kept or x.id in out or (getattr(x, "then", None) or x.fact) not in asked:
                continue
            if _item_kind(pack, x.about) is not None:
                continue
            for clock, starts in periods.items():
                at = next(((clock, p) for p in starts if in_force(x, (clock, p)) and all(
                    pack.authorities[n].in_force(p) for n in getattr(x, "needs", ()))), None)
                if at is not None:
                    found[x.id] = supported(x, at)
                    break
        if not found:
            return out
        out.update(found)


@dataclass(frozen=True)
class PeriodScope:
    """The rules about the items of a per-item clock whose items fall in several periods, by
    period: each reads only facts of its own item (the item, its linking entities, what they
    link to outside the items) or of no item, so an item's facts need reach only the rules in
    force for its period and the rules about no item; a rule's guard (the item's period fact
    among the periods it is in force for) then holds of every item that reaches it."""

    concept: str                       # the items' period fact (its value: a period's first day)
    kind: str                          # the items' kind
    linking: frozenset                 # the kinds of entities linking to an item
    periods: tuple[str, ...]           # the periods the items fall in
    of_rule: dict[str, tuple[str, ...]]  # rule or burden id about items -> the periods it is in force for
    guards: dict[str, Condition]       # rule or burden id -> its guard (the last of its scope)


def period_scope(live: RulePack, periods: dict[str, tuple[str, ...]]) -> PeriodScope | None:
    """The rules of `live` (the pack as of dates whose per-item clocks' items fall in
    `periods`) by the period they are in force for, or None: not one clock with items in
    several periods, or a rule about an item reading another item's facts (by name, or of
    every item of a kind), which an item's period could not route."""
    if len(live.item_clocks) != 1:
        return None
    ((clock, _),) = live.item_clocks.items()
    starts = periods.get(clock, ())
    kind = live.item_clocks[clock][0]
    linking = frozenset(k for k, kinds in live.case_format.links.items() if kind in kinds)
    concept = period_concept(clock)
    of_rule: dict[str, tuple[str, ...]] = {}
    guards: dict[str, Condition] = {}
    for r in live.rules + live.burdens:
        scoped = _item_kind(live, r.about)
        if scoped is None or scoped[0] != clock:
            continue
        if not all(_own_item(c, r.about, kind, linking) for c in _read_conditions(r)):
            return None
        last = r.scope[-1] if r.scope else None
        if last is not None and last.fact == concept and last.op == "in" and last.of in ("this", kind):
            guards[r.id] = last  # as of_dates guards it
            of_rule[r.id] = tuple(p for p in starts if p in last.values)
        else:
            of_rule[r.id] = tuple(starts)
    return PeriodScope(concept, kind, linking, tuple(starts), of_rule, guards)


def _read_conditions(r: Rule | Burden) -> list[Condition]:
    """The conditions on facts a rule or burden reads (a some/every rule's items too)."""
    if isinstance(r, Burden):
        return list(r.scope)
    conds = [c for c in r.scope + r.terms + r.unless if not c.link]
    if r.over:
        conds.append(Condition(r.fact, None, "this", r.over, "verdict", (), NOT_ESTABLISHED, None, r.span))
    return conds


def _own_item(c: Condition, about: str, kind: str, linking: frozenset) -> bool:
    """Whether a condition of a rule about `about` (an item of `kind`, or an entity of a
    `linking` kind) reads a fact of no item or of the anchor's own item: the anchor, the item
    it links to, the entities linking to the item it is."""
    items = linking | {kind}
    if c.over:
        return c.over not in items or (c.linked and about == kind)
    if c.of in ("this", CASE):
        return True
    of = c.of.split(":", 1)[0]
    return of not in items or (":" not in c.of and of == kind != about)


def _day_after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
