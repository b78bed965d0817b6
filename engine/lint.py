"""Lint a rule pack beyond what loading checks (schema, references, quotes, both languages):

- every rule can fire (each fact it reads is answered by the case file or concluded by a
  rule) and matters (what it concludes is read by a rule or reported in the decision);
- every holding is applied by a rule;
- no two rules can conclude different things about the same fact on the same facts:
  rules concluding the same concept must exclude each other by some condition (different
  values of one answer, or one link), or conclude the same value.

Each finding is an :class:`InputError` at the rule's place in its file.
"""
from __future__ import annotations

from typing import Iterator

from .errors import InputError
from .model import ESTABLISHED, VERDICT, Burden, Condition, Form, Rule, RulePack


def _outputs(pack: RulePack) -> set[str]:
    """Concepts the decision record reports (named anywhere in the pack's decision map)."""
    names: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and value in pack.concepts:
            names.add(value)

    walk(dict(pack.manifest["decision"]))
    return names


def _allowed(pack: RulePack, c: Condition, as_term: bool) -> frozenset | None:
    """The values of the fact under which the condition holds (None: cannot tell)."""
    if c.link:
        return frozenset(c.values)
    if c.over or c.op in ("gt", "lte"):
        return None
    assert c.fact is not None  # a condition that is not a link reads a fact
    vocab = pack.concepts[c.fact].values
    if c.op == "verdict":
        return frozenset({ESTABLISHED}) if as_term else None
    if c.op in ("is", "in"):
        return frozenset(c.values)
    return frozenset(v for v in vocab if v not in c.values and v != "unknown") if vocab else None


def _key(r: Rule, c: Condition) -> tuple:
    if c.link:
        return ("link", c.link)
    of = "case" if c.of == "this" and r.about == "case" else c.of
    return (c.fact, of)


def _merge(out: dict, key: tuple, allowed: frozenset) -> None:
    out[key] = out[key] & allowed if key in out else allowed


def _can_give(r: Rule, values: frozenset) -> bool:
    return (r.value in values) if r.form == Form.SUFFICIENT else bool(values & set(VERDICT))


def _constraints(pack: RulePack, r: Rule, depth: int = 4) -> dict[tuple, frozenset]:
    """What must hold of the answers (and, through the rules concluding them, of the facts
    behind derived conditions) for rule `r` to fire at all."""
    out: dict[tuple, frozenset] = {}
    conds = list(r.scope) + (list(r.terms) if r.form == Form.SUFFICIENT else [])
    for c in conds:
        allowed = _allowed(pack, c, True)
        if allowed is None:
            continue
        key = _key(r, c)
        _merge(out, key, allowed)
        if depth and c.fact and pack.concepts[c.fact].derived and key[1] == "case":
            # a derived fact with these values implies what every rule giving them requires
            givers = [g for g in pack.rules if g.then == c.fact and g.about == "case" and _can_give(g, allowed)]
            implied = [_constraints(pack, g, depth - 1) for g in givers]
            if implied and all(implied):
                common = set(implied[0]).intersection(*implied[1:])
                for k in common:
                    _merge(out, k, frozenset().union(*(i[k] for i in implied)))
    return out


def _exclusive(a: dict, b: dict) -> bool:
    return any(key in b and not (a[key] & b[key]) for key in a)


def _period(pack: RulePack, r: Rule | Burden) -> dict[str, tuple[str, str]]:
    """The days on which a rule can be live, by clock (pack.yaml law_dates): its source and
    the provisions it cites in force on their clock's date. A holding it cites is support and
    limits nothing; a rule of a holding's own file is live while what the holding interprets is."""
    ids, sources = [r.source, *r.cites], []
    while ids:
        a = pack.authorities.get(ids.pop())
        if a is None:
            continue
        if a.kind == "provision":
            sources.append(a)
        elif a.id == r.source:
            ids += list(a.interprets)
    out: dict[str, tuple[str, str]] = {}
    for a in sources:
        start, end = out.get(a.clock, ("", "9999-12-31"))
        out[a.clock] = (max(start, a.effective_from or ""), min(end, a.effective_until or "9999-12-31"))
    return out


def _same_conditions(a: Rule, b: Rule) -> bool:
    # one rule restated on another version of a text: the same conditions conclude the same
    key = lambda cs: [(c.fact, c.link, c.of, c.over, c.op, c.values, c.if_unknown) for c in cs]
    return (a.form, a.value, key(a.scope), key(a.terms), key(a.unless)) == \
           (b.form, b.value, key(b.scope), key(b.terms), key(b.unless))


def _overlap(pack: RulePack, a: Rule | Burden, b: Rule | Burden) -> bool:
    # versions of a law in force at different times (on the same clock) are never compiled together
    pa, pb = _period(pack, a), _period(pack, b)
    return all(pa[k][0] <= pb[k][1] and pb[k][0] <= pa[k][1] for k in pa.keys() & pb.keys())


def _burdens_together(pack: RulePack) -> Iterator[InputError]:
    # Two burdens on one fact in force on the same dates decide it twice, each with its own
    # reasons (one of a procedural law at trial, one of a substantive law of the acts, say):
    # which provision governs must be said once, in the data.
    burdens = list(pack.burdens)
    for i, a in enumerate(burdens):
        for b in burdens[i + 1:]:
            covers_both = not a.only or not b.only or set(a.only) & set(b.only)
            if a.fact == b.fact and a.about == b.about and covers_both and _overlap(pack, a, b):
                yield InputError(f"burdens {a.id} and {b.id} both decide '{a.fact}' on the same dates "
                                 f"(second burden at {b.span})", a.span,
                                 "one burden for each period of the law")


def lint_pack(pack: RulePack) -> Iterator[InputError]:
    concluded = {r.then for r in pack.rules} | {b.fact for b in pack.burdens}
    read = set().union(*(r.reads for r in pack.rules)) if pack.rules else set()
    outputs = _outputs(pack)
    for r in pack.rules:
        for fact in dict.fromkeys(r.reads):   # each once, in the rule's order
            if pack.concepts[fact].derived and fact not in concluded:
                yield InputError(f"rule {r.id} can never fire: no rule concludes '{fact}'", r.span,
                                 "a rule or burden that concludes it")
        if r.then not in read and r.then not in outputs:
            yield InputError(f"rule {r.id} concludes '{r.then}', which no rule reads and the decision "
                             "does not report", r.span, "a conclusion something uses")
        for clock, (start, end) in _period(pack, r).items():
            if start > end:
                yield InputError(f"rule {r.id} is never in force: the provisions it rests on are never in "
                                 f"force together ({clock}: one ends before another begins)", r.span,
                                 "provisions of one period, or another clock in pack.yaml law_dates")
    used = {r.source for r in pack.rules} | {c for r in pack.rules for c in r.cites}
    used |= {b.source for b in pack.burdens} | {c for b in pack.burdens for c in b.cites}
    for authority in pack.authorities.values():
        if authority.kind == "holding" and authority.id not in used:
            yield InputError(f"holding {authority.id} is applied by no rule", authority.span, "a rule that cites it")
    yield from _burdens_together(pack)
    by_concept: dict[str, list[Rule]] = {}
    for r in pack.rules:
        by_concept.setdefault(r.then, []).append(r)
    for concept, rules in by_concept.items():
        for i, a in enumerate(rules):
            for b in rules[i + 1:]:
                if a.form == b.form == Form.SUFFICIENT and a.value == b.value or not _overlap(pack, a, b) \
                        or _same_conditions(a, b):
                    continue
                if not _exclusive(_constraints(pack, a), _constraints(pack, b)):
                    yield InputError(
                        f"rules {a.id} and {b.id} may conclude different things about '{concept}' "
                        f"on the same facts (second rule at {b.span})", a.span,
                        "conditions that exclude each other")
