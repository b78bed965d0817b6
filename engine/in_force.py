"""The law in force on a case's dates: a rule pack restricted to the provisions in force on each
clock's date and the holdings made before the decision (`RulePack.as_of`), and the periods into
which a per-item clock divides time (pack.yaml law_dates, `per_item`).

A rule scoped to the items of a per-item clock is in force for an item when its source and the
provisions it cites are in force on that item's own date; where a case's items fall in several
periods, each such rule is guarded by the item's period fact, so both periods' rules live in one
consultation and never meet on one item.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from .model import BEFORE_ALL, DECIDED, NOT_ESTABLISHED, Condition, LawDates, Rule, RulePack, items_key, \
    period_concept


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


def _day_after(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
