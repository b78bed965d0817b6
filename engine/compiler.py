"""Compile a rule pack (as in force on one day) into a durable_rules ruleset, as data.

Facts in working memory are plain dicts:

    {"t": "ent", "k": KIND, "e": ID, "l_<kind>": ID...}          an entity and its links
    {"t": "f", "c": CONCEPT, "e": ID, "k": KIND, "v": VALUE, ...}  a fact about an entity
    {"t": "stage", "n": N}                                         the close of evidence, step N
    {"t": "answered", "f": PATH}                                   the case file answers PATH

A burden closes a question only once the case file has answered the fields it names in
``after`` (say, the list of evidence): until then the fact stays open, not "unproven".

Every rule is anchored on one entity (pattern ``x``) and reads facts about it, about the
case, about entities it links to, or about entities linked to it (``over``).

Rules of form ``all`` / ``any`` conclude a verdict (established / not_established /
refuted) by three-valued logic, so each compiles to several durable_rules rules, one per
way the verdict can come about. Negation ("no such fact") is only used at the close of
evidence: burdens of proof, and ``some`` aggregations over entities. Those rules wait for a
stage fact; the stages are ordered so that everything a negation reads is final before it
is read (stratified negation). The result is pure data and an action table; nothing here
calls the engine.

durable_rules' C core has fixed tables (see :mod:`engine.coretables`): a program that would
overflow one is split into several rulesets ("parts"), each within every table, which the
consultation chains by routing each fact to the parts that read it. A rule (with all the
durable_rules rules it compiles to) never straddles two parts.

A program whose rules about items differ by the items' period (a per-item clock whose items
fall in several periods, engine/in_force.py) keeps the rules about no item in parts of their
own, and the rules about items in parts of each period, those in force in every period in each:
a fact about an item (or an entity linking to it) is routed to the rules about no item and to
its own period's rules only, not to the other periods' (which could only ever reject it).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Iterable, Sequence

from .coretables import Limit, Network

from .errors import InputError
from .in_force import PeriodScope, period_scope
from .model import (CASE, ESTABLISHED, NOT_ESTABLISHED, REFUTED, UNKNOWN, Burden, Condition, Entity, LawDates,
                    Rule, RulePack, items_key)

EST, NE, REF = ESTABLISHED, NOT_ESTABLISHED, REFUTED

# Every ruleset has one bookkeeping rule, fired by the fact {"t": OPEN} that opens each
# session: durable_rules' core aborts when it deletes a session in which no rule fired.
OPEN = "open"


@dataclass(frozen=True)
class Action:
    """What one compiled durable_rules rule concludes, and how to read its premises."""

    rule: str                 # the pack's rule (or burden) id
    concept: str
    value: Any
    premises: tuple[str, ...]  # pattern names holding the facts it used
    absent: tuple[tuple[str, str], ...] = ()  # (concept, description) of facts it relied on lacking
    burden: str | None = None
    # a guard left to the routing (Part.period): (its place among the premises, the period fact,
    # "this" or the kind of the item the anchor links to), its premise the item's period
    period: tuple[int, str, str] | None = None


@dataclass(frozen=True)
class Part:
    """One durable_rules ruleset of a compiled program, and the facts its rules read: each
    assert costs tens of microseconds, so a consultation only asserts into a part the entities
    its rules anchor on, the concepts and answers they read, and the stages they wait for."""

    name: str
    definition: dict           # {rule name: {"all": [...], "run": action name, "dist": 0, ...}}
    anchors: frozenset
    reads: frozenset
    answered: frozenset
    stages: bool
    # in a program by period (Compiled.items): the period of the items whose facts it takes
    # ("": items of no period), or None: the rules about no item, which take every fact they read
    period: str | None = None

    @cached_property
    def ruleset_json(self) -> str:
        """The ruleset as durable_rules creates it (its rules without their Python actions):
        made once, and cached with the compiled pack (engine/packcache.py), since writing it
        is a good part of starting `assessor decide`."""
        rules = {name: {k: v for k, v in rule.items() if k != "run"} for name, rule in self.definition.items()}
        return json.dumps(rules, ensure_ascii=False)


@dataclass(frozen=True)
class Compiled:
    name: str                  # a digest of everything compiled: never shared by two programs
    parts: tuple[Part, ...]
    actions: dict[str, Action]
    stages: int
    # when parts are by period: the period fact, the items' kind, the kinds linking to items
    items: tuple[str, str, frozenset] | None = None

    def item_periods(self, entities: Iterable[Entity], facts: Iterable[tuple[str, str, Any]],
                     known: dict[str, str] | None = None) -> dict[str, str]:
        """The period of each entity that is an item, or links to one, in a program whose parts
        are by period (`Part.period`): its item's period fact among `facts` (concept, entity,
        value) or, for an item not among them, in `known` (periods found before), or "" (none).
        Its facts go to the parts of that period and of no item only; the facts of any other
        entity go to every part that reads them."""
        if self.items is None:
            return {}
        concept, kind, linking = self.items
        own = dict(known or {})
        own.update((e, v) for c, e, v in facts if c == concept)
        return {e.id: own.get(e.id if e.kind == kind else e.links.get(kind, ""), "")
                for e in entities if e.kind == kind or e.kind in linking}

    @property
    def definition(self) -> dict:
        return {n: r for p in self.parts for n, r in p.definition.items()}

    @property
    def reads(self) -> frozenset:
        return frozenset().union(*(p.reads for p in self.parts))


def _alt(options: list) -> dict:
    return options[0] if len(options) == 1 else {"$or": options}


def _ne_unknown() -> dict:
    return {"$neq": {"v": UNKNOWN}}


def _plain_sets(c: Condition) -> dict[str, list]:
    """The value tests under which a plain condition counts as each verdict."""
    vs = c.values
    if c.op == "is":
        sat = [{"v": vs[0]}]
        unsat = [{"$and": [{"$neq": {"v": vs[0]}}, _ne_unknown()]}]
    elif c.op == "in":
        sat = [{"v": v} for v in vs]
        unsat = [{"$and": [{"$neq": {"v": v}} for v in vs] + [_ne_unknown()]}]
    elif c.op == "not_in":
        sat = [{"$and": [{"$neq": {"v": v}} for v in vs] + [_ne_unknown()]}]
        unsat = [{"v": v} for v in vs]
    else:  # gt / lte: numbers only ("unknown" compares as a string, so exclude it first)
        above = [{"$and": [_ne_unknown(), {"$gt": {"v": vs[0]}}]}]
        below = [{"$and": [_ne_unknown(), {"$lte": {"v": vs[0]}}]}]
        sat, unsat = (above, below) if c.op == "gt" else (below, above)
    sets = {EST: sat, REF: unsat, NE: []}
    sets[c.if_unknown] = sets[c.if_unknown] + [{"v": UNKNOWN}]
    return sets


def _sets(c: Condition) -> dict[str, list]:
    if c.op == "verdict":
        return {EST: [{"v": EST}], NE: [{"v": NE}], REF: [{"v": REF}]}
    return _plain_sets(c)


def _entity_clause(c: Condition, about: str) -> list:
    if c.over:
        return [{"k": c.over}] + ([{f"l_{about}": {"x": "e"}}] if c.linked and about != CASE else [])
    if c.of == "this":
        return [{"e": {"x": "e"}}]
    if c.of == CASE:
        return [{"e": CASE}]
    if ":" in c.of:
        return [{"e": c.of}]
    return [{"e": {"x": f"l_{c.of}"}}]


def _pattern(c: Condition, about: str, verdicts: tuple[str, ...]) -> dict:
    options = [opt for v in verdicts for opt in _sets(c)[v]]
    if not options:
        return {}
    return {"$and": [{"t": "f"}, {"c": c.fact}] + _entity_clause(c, about) + [_alt(options)]}


class _Builder:
    def __init__(self, pack: RulePack):
        self.pack = pack
        self.definition: dict = {}
        self.actions: dict[str, Action] = {}
        self.count = 0
        self.units: list[tuple[Rule | Burden, list[str]]] = []  # names compiled from each rule
        self.guards: dict[str, Condition] = {}  # rule id -> its guard, met by the routing (PeriodScope)

    def unit(self, source: "Rule | Burden") -> None:
        self.units.append((source, []))

    def anchor(self, about: str, links: tuple[Condition, ...] = (), only: tuple[str, ...] = ()) -> dict:
        parts: list = [{"t": "ent"}, {"k": about}]
        parts += [{f"l_{c.link}": f"{c.link}:{c.values[0]}"} for c in links]
        if only:
            parts.append(_alt([{"e": f"{about}:{n}"} for n in only]))
        return {"x": {"$and": parts}}

    def emit(self, rule_id: str, concept: str, value, about: str, links, conds: list[tuple[Condition, tuple]],
             stage: int = 0, nots: Sequence[tuple[dict, str, str]] = (), burden: str | None = None,
             only: tuple[str, ...] = (), answered: tuple[str, ...] = ()) -> None:
        """One durable_rules rule: anchor, one pattern per (condition, verdicts), optional negations."""
        all_: list = [self.anchor(about, links, only)]
        all_ += [{f"a{i}": {"$and": [{"t": "answered"}, {"f": path}]}} for i, path in enumerate(answered)]
        names: list[str] = []
        guard, period = self.guards.get(rule_id), None  # period: Action.period
        for i, (cond, verdicts) in enumerate(conds):
            if cond is guard:  # every anchor that reaches the rule's parts meets it: no pattern
                period = (len(names), cond.fact or "", cond.of)
                continue
            pat = _pattern(cond, about, verdicts)
            if not pat:
                return  # a condition that can never hold in this combination
            all_.append({f"p{i}": pat})
            names.append(f"p{i}")
        if stage:
            all_.append({"s": {"$and": [{"t": "stage"}, {"n": stage}]}})
        absent = []
        for j, (pat, c_name, desc) in enumerate(nots):
            all_.append({f"n{j}$not": pat})
            absent.append((c_name, desc))
        self.count += 1
        name = f"r{self.count}"
        self.definition[name] = {"all": all_, "run": name, "dist": 0}
        self.units[-1][1].append(name)
        self.actions[name] = Action(rule_id, concept, value, tuple(names), tuple(absent), burden, period)


def _links(rule: Rule) -> tuple[tuple[Condition, ...], tuple[Condition, ...]]:
    links = tuple(c for c in rule.scope + rule.terms if c.link)
    return links, tuple(c for c in rule.scope if not c.link)


def _emit_rule(b: _Builder, r: Rule, stage_of) -> None:
    b.unit(r)
    links, scope = _links(r)
    guard = [(c, (EST,)) for c in scope]
    terms = [c for c in r.terms if not c.link]
    unless = list(r.unless)
    clear = [(u, (REF, NE)) for u in unless]
    emit = lambda value, conds, **kw: b.emit(r.id, r.then, value, r.about, links, guard + conds, **kw)
    if r.form == "sufficient":
        emit(r.value, [(t, (EST,)) for t in terms])
    elif r.form == "all":
        emit(EST, [(t, (EST,)) for t in terms] + clear)
        for t in terms:
            emit(REF, [(t, (REF,))])
        for u in unless:
            emit(REF, [(u, (EST,))])
        for i, t in enumerate(terms):
            others = [(o, (EST, NE)) for j, o in enumerate(terms) if j != i]
            emit(NE, [(t, (NE,))] + others + clear)
    elif r.form == "any":
        for t in terms:
            emit(EST, [(t, (EST,))] + clear)
        emit(REF, [(t, (REF,)) for t in terms])
        for u in unless:
            emit(REF, [(u, (EST,))])
        for i, t in enumerate(terms):
            others = [(o, (REF, NE)) for j, o in enumerate(terms) if j != i]
            emit(NE, [(t, (NE,))] + others + clear)
    else:  # some / every: a verdict over the entities of kind `over` linked to the anchor
        item = Condition(r.fact, None, "this", r.over, "verdict", (), NE, None, r.span)
        stage = stage_of(r.fact) + 1
        desc = f"{r.form} {r.over}"
        # "some" is established by one established item; "every" is refuted by one refuted
        # item. The mirror image are the same rules with the verdicts swapped.
        win, lose = (EST, REF) if r.form == "some" else (REF, EST)
        emit(win, [(item, (win,))])
        fact = item.fact or ""   # a some/every rule always names the fact it reads (the loader checks)
        emit(NE, [(item, (NE,))], stage=stage, nots=[(_pattern(item, r.about, (win,)), fact, desc)])
        emit(lose, [], stage=stage, nots=[(_pattern(item, r.about, (win, NE)), fact, desc)])


def _emit_burden(b: _Builder, bd: Burden, stage: int) -> None:
    b.unit(bd)
    pat = {"$and": [{"t": "f"}, {"c": bd.fact}, {"e": {"x": "e"}}]}
    b.emit(bd.id, bd.fact, bd.default, bd.about, (), [(c, (EST,)) for c in bd.scope], stage=stage,
           nots=[(pat, bd.fact, "this")], burden=bd.on, only=bd.only, answered=bd.after)


def _deps(r: Rule) -> tuple[set[str], set[str]]:
    """Concepts a rule reads positively, and those it reads by negation."""
    pos = {c.fact for c in r.scope + r.terms + r.unless if c.fact}
    neg: set[str] = set()
    if r.form in ("some", "every") and r.fact:
        pos.add(r.fact)
        neg.add(r.fact)
    return pos, neg


def _strata(pack: RulePack):
    """done(c): the stage after which every fact of concept c is final."""
    by_concept: dict[str, list[Rule]] = {}
    for r in pack.rules:
        by_concept.setdefault(r.then, []).append(r)
    burdened = {bd.fact for bd in pack.burdens}
    done: dict[str, int] = {}
    pre: dict[str, int] = {}
    visiting: list[str] = []

    def fire(r: Rule) -> int:
        pos, neg = _deps(r)
        return max([calc(p) for p in pos] + [calc(n) + 1 for n in neg] + [0])

    def calc(c: str) -> int:
        if c in done:
            return done[c]
        if c in visiting:
            cycle = " -> ".join(visiting[visiting.index(c):] + [c])
            raise InputError(f"rules depend on each other in a cycle: {cycle}",
                             by_concept[c][0].span, "rules that can be ordered")
        visiting.append(c)
        pre[c] = max([fire(r) for r in by_concept.get(c, [])] + [0])
        visiting.pop()
        done[c] = pre[c] + (1 if c in burdened else 0)
        return done[c]

    for c in list(by_concept) + list(burdened):
        calc(c)
    return done, pre


_CACHE: dict[tuple, Compiled] = {}
# by the identity of the rules in force (as_of keeps them) and the layout
_LAST: dict[tuple[int, bool], tuple[RulePack, Compiled]] = {}

# A case (or a part of one) with at least this many items of a per-item clock (acts) is decided
# by the program with its rules about items in rulesets of their own (compile_pack, by_items):
# its items' facts then reach fewer rulesets. A smaller case keeps the rules in pack order: the
# ruleset more costs its consultation more than it saves (the hypotheticals, an act or two:
# some 400 asserts, 30 more by items). Either program concludes the same (tests/test_period_parts.py).
ITEMS_APART = 32


def items_in(pack: RulePack, entities: Iterable[Entity]) -> int:
    """How many of `entities` are items of a per-item clock."""
    kinds = {kind for kind, _starts in pack.item_clocks.values()}
    return sum(1 for e in entities if e.kind in kinds) if kinds else 0


def compile_for(pack: RulePack, when: LawDates, items: int = 0) -> Compiled:
    """The compiled ruleset of the law in force on the dates `when` (one day, or a day per
    clock: RulePack.as_of), for a case of `items` items of a per-item clock (ITEMS_APART);
    cached: same law, same layout, same ruleset."""
    live = pack.as_of(when)
    by_items = items >= ITEMS_APART
    hit = _LAST.get((id(live), by_items))
    if hit is not None and hit[0] is live:  # every consultation asks: skip the key of every rule id
        return hit[1]
    # the periods of a per-item clock's items: the same rules guarded for other periods are
    # another program (a case of 2009 and 2022 acts keeps the rules of a 2022 case alone)
    periods = () if isinstance(when, str) else tuple(dict(when).get(items_key(k)) for k in pack.item_clocks)
    key = (pack.digest, tuple(r.id for r in live.rules), tuple(b.id for b in live.burdens)) + \
        ((periods,) if any(periods) else ()) + (("by items",) if by_items else ())
    if key not in _CACHE:
        _CACHE[key] = compile_pack(live, {k: tuple(p.split(",")) for k, p in zip(pack.item_clocks, periods) if p},
                                   by_items)
    if len(_LAST) > 64:
        _LAST.clear()
    _LAST[(id(live), by_items)] = (live, _CACHE[key])
    return _CACHE[key]


def compile_pack(pack: RulePack, periods: dict[str, tuple[str, ...]] | None = None,
                 by_items: bool = False) -> Compiled:
    """Compile `pack` (normally ``pack.as_of(day)``) to durable_rules rulesets; `periods`: the
    periods the items of each per-item clock fall in, where more than one (LawDates);
    `by_items`: the rules about items in rulesets of their own, by period, where the rules
    allow it (in_force.period_scope), else all in pack order."""
    done, pre = _strata(pack)
    scope = period_scope(pack, periods or {}) if by_items else None
    b = _Builder(pack)
    b.guards = dict(scope.guards) if scope else {}
    for r in pack.rules:
        _emit_rule(b, r, lambda c: done.get(c, 0))
    for bd in pack.burdens:
        _emit_burden(b, bd, pre.get(bd.fact, 0) + 1)
    stages = max([d for d in done.values()] + [0]) + 1
    groups = [(None, g) for g in _partition(b, b.units)] if scope is None else _by_period(b, scope)
    # repr is deterministic here (dicts built in pack order) and cheaper than JSON
    digest = hashlib.sha256(repr((groups, b.actions)).encode()).hexdigest()
    name = "assessor_" + digest[:20]
    parts = tuple(_part(f"{name}_{i}", group, period) for i, (period, group) in enumerate(groups))
    return Compiled(name, parts, b.actions, stages, (scope.concept, scope.kind, scope.linking) if scope else None)


def _by_period(b: _Builder, scope: PeriodScope) -> list[tuple[str | None, dict]]:
    """The rules about no item in parts of their own (period None); then, for each period, the
    rules about items in force for it, without their guard (a rule in force in several periods
    compiled into each one's parts, under the same names: an item reaches one period's parts
    only); then the rules about items without a guard, for an item of no period ("")."""
    out: list[tuple[str | None, dict]] = []
    for period in (None,) + scope.periods + ("",):
        if period is None:
            units = [(s, names) for s, names in b.units if s.id not in scope.of_rule]
        elif period:
            units = [(s, names) for s, names in b.units if period in scope.of_rule.get(s.id, ())]
        else:
            units = [(s, names) for s, names in b.units if s.id in scope.of_rule and s.id not in scope.guards]
        out += [(period, g) for g in _partition(b, units) if g] if units else []
    return out


def _partition(b: _Builder, units: list[tuple[Rule | Burden, list[str]]]) -> list[dict]:
    """Rules (each with the durable_rules rules compiled from it) into as few rulesets as
    durable_rules' tables allow, in pack order."""
    try:  # most packs fit one ruleset: one check of the whole
        _grow(Network(), b, [n for _source, names in units for n in names])
        return [{n: b.definition[n] for _source, names in units for n in names}]
    except Limit:
        pass
    groups: list[dict] = [{}]
    net = Network()
    for source, names in units:
        try:
            _grow(net, b, names)
        except Limit as limit:
            if not groups[-1]:
                _too_big(b, limit, source)
            groups.append({})  # the rule overflowed this ruleset: the next one starts with it
            net = Network()
            try:
                _grow(net, b, names)
            except Limit as alone:
                _too_big(b, alone, source)
        groups[-1].update({n: b.definition[n] for n in names})
    return groups


def _grow(net: Network, b: _Builder, names: list[str]) -> None:
    for n in names:
        net.add(n, b.definition[n])
    net.check()


def _too_big(b: _Builder, limit: Limit, source) -> None:
    ids = list(dict.fromkeys(b.actions[n].rule for n in limit.rules if n in b.actions)) or [source.id]
    raise InputError(f"durable_rules cannot hold rule {', '.join(ids[:8])}"
                     f"{' ...' if len(ids) > 8 else ''} in one ruleset: {limit.what}",
                     source.span, "a rule with fewer conditions or alternatives")


def _part(name: str, definition: dict, period: str | None = None) -> Part:
    """A ruleset and what its patterns read (the fact types of compiler's docstring)."""
    wants: dict[str, set] = {"ent": set(), "f": set(), "answered": set(), "stage": set()}
    for rule in definition.values():
        for pattern in rule["all"]:
            ((_, expr),) = pattern.items()
            (t,), (key,) = expr["$and"][0].values(), expr["$and"][1].values()
            wants[t].add(key)
    definition = dict(definition, **{OPEN: {"all": [{"o": {"$and": [{"t": OPEN}]}}], "run": OPEN, "dist": 0}})
    return Part(name, definition, frozenset(wants["ent"]), frozenset(wants["f"]),
                frozenset(wants["answered"]), bool(wants["stage"]), period)
