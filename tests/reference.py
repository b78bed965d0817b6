"""A reference evaluator of a rule pack's semantics, used only in tests.

durable_rules fails silently in several ways (a rule that never fires, a fact dropped as
a duplicate), so the tests decide every case twice: once through the compiled ruleset
in the real engine, once here, by a plain reading of the rules, and compare every
conclusion and every derivation of it: the rule (or burden) and the facts it rested on. This
evaluator shares no code with engine/compiler.py: it evaluates the conditions directly, and
orders negation by its own dependency analysis.

A derivation is compared as plain data, ``(rule, value, premises, burden)`` with the premises
a frozenset of ``(concept, entity, value, absent)``: a rule that fires once for each fact that
satisfies it (one per linked item, say) has one derivation per fact; a negation ("no item
establishes it", "nothing was proven, so the burden decides") is a premise of its own, absent.
"""
from __future__ import annotations

from itertools import product

from assessor.engine.model import (CASE, ESTABLISHED as EST, NOT_ESTABLISHED as NE, REFUTED as REF,
                                   UNKNOWN, Condition, RulePack)

_MISSING = object()


class Reference:
    def __init__(self, pack: RulePack, case):
        self.pack = pack.as_of(case.law)
        self.entities = {e.id: e for e in case.entities}
        self.values = {(f.concept, f.entity): f.value for f in case.facts}
        self.answered = set(case.answered)
        self.inputs = set(self.values)
        self.burdened: dict[tuple, set] = {}   # derivations by a burden, made as they are applied
        self._deps: dict[str, frozenset] = {}

    # -- conditions --------------------------------------------------------------------
    def targets(self, c: Condition, anchor) -> list[str]:
        if c.over:
            return [e.id for e in self.entities.values() if e.kind == c.over
                    and (anchor.kind == CASE or not c.linked or e.links.get(anchor.kind) == anchor.id)]
        if c.of == "this":
            return [anchor.id]
        if c.of == CASE:
            return [CASE]
        if ":" in c.of:
            return [c.of] if c.of in self.entities else []
        link = anchor.links.get(c.of)
        return [link] if link else []

    @staticmethod
    def plain(c: Condition, v):
        if v is _MISSING:
            return None
        if v == UNKNOWN:
            return c.if_unknown
        if c.op == "is":
            ok = v == c.values[0] and type(v) is type(c.values[0])
        elif c.op == "in":
            ok = any(v == x and type(v) is type(x) for x in c.values)
        elif c.op == "not_in":
            ok = not any(v == x and type(v) is type(x) for x in c.values)
        elif c.op == "gt":
            ok = v > c.values[0]
        else:
            ok = v <= c.values[0]
        return EST if ok else REF

    def verdict(self, c: Condition, anchor):
        if c.link:
            return EST if anchor.links.get(c.link) == f"{c.link}:{c.values[0]}" else REF
        vals = [self.values.get((c.fact, t), _MISSING) for t in self.targets(c, anchor)]
        if c.over:  # only in sufficient rules: some linked entity satisfies it
            return EST if any(self.plain(c, v) == EST for v in vals if v is not _MISSING) else None
        if not vals:
            return None
        v = vals[0]
        if c.op == "verdict":
            return v if v in (EST, NE, REF) else None
        return self.plain(c, v)

    # -- rules ---------------------------------------------------------------------------
    def positive(self, r, anchor):
        if any(self.verdict(c, anchor) != EST for c in r.scope):
            return None
        t = [self.verdict(c, anchor) for c in r.terms]
        u = [self.verdict(c, anchor) for c in r.unless]
        clean = all(x in (REF, NE) for x in u)
        if r.form == "sufficient":
            return r.value if all(x == EST for x in t) else None
        if r.form == "all":
            if REF in t or EST in u:
                return REF
            if all(x == EST for x in t) and clean:
                return EST
            if None not in t and NE in t and clean:
                return NE
        elif r.form == "any":
            if EST in u:
                return REF
            if EST in t and clean:
                return EST
            if all(x == REF for x in t):
                return REF
            if NE in t and all(x in (REF, NE) for x in t) and clean:
                return NE
        else:  # some / every: the non-negated half
            win = EST if r.form == "some" else REF
            if win in self.items(r, anchor):
                return win
        return None

    def items(self, r, anchor):
        c = Condition(r.fact, None, "this", r.over, "verdict", (), NE, None, r.span)
        return [self.values.get((r.fact, t)) for t in self.targets(c, anchor)]

    def closing(self, r, anchor):
        if any(self.verdict(c, anchor) != EST for c in r.scope):
            return None
        win, lose = (EST, REF) if r.form == "some" else (REF, EST)
        vals = self.items(r, anchor)
        if win in vals:
            return None
        return NE if NE in vals else lose

    def anchors(self, kind: str, only=()):
        return [e for e in self.entities.values() if e.kind == kind
                and (not only or e.name in only)]

    def put(self, concept, entity, value):
        key = (concept, entity)
        old = self.values.get(key, _MISSING)
        if old is _MISSING:
            self.values[key] = value
            return True
        assert old == value or key in self.inputs, f"conflict on {key}: {old} vs {value}"
        return False

    def fixpoint(self):
        changed = True
        while changed:
            changed = False
            for r in self.pack.rules:
                for a in self.anchors(r.about):
                    v = self.positive(r, a)
                    if v is not None:
                        changed |= self.put(r.then, a.id, v)

    # -- ordering of negation -------------------------------------------------------------
    def deps(self, concept) -> frozenset:
        """The concepts `concept` depends on, itself included (computed once per concept)."""
        if concept not in self._deps:
            seen: set = set()
            todo = [concept]
            while todo:
                c = todo.pop()
                if c in seen:
                    continue
                seen.add(c)
                for r in self.pack.rules:
                    if r.then == c:
                        todo += [x.fact for x in r.scope + r.terms + r.unless if x.fact]
                        if r.fact:
                            todo.append(r.fact)
            self._deps[concept] = frozenset(seen)
        return self._deps[concept]

    def run(self) -> dict:
        ops = [("rule", r) for r in self.pack.rules if r.form in ("some", "every")]
        ops += [("burden", b) for b in self.pack.burdens]
        self.fixpoint()

        def reads(op):
            kind, x = op
            if kind == "burden":
                return self.deps(x.fact)
            # an aggregation waits for the facts it aggregates and for its scope
            return self.deps(x.fact).union(*(self.deps(c.fact) for c in x.scope if c.fact))

        def concludes(op):
            return op[1].then if op[0] == "rule" else op[1].fact

        read = {id(op): reads(op) for op in ops}
        while ops:
            ready = [op for op in ops
                     if not any(o is not op and concludes(o) in read[id(op)]
                                and not (o[0] == op[0] == "burden" and concludes(o) == concludes(op))
                                for o in ops)]
            assert ready, "negation cannot be ordered"
            for kind, x in ready:
                if kind == "rule":
                    for a in self.anchors(x.about):
                        v = self.closing(x, a)
                        if v is not None:
                            self.put(x.then, a.id, v)
                elif all(p in self.answered for p in x.after):
                    for a in self.anchors(x.about, x.only):
                        if any(self.verdict(c, a) != EST for c in x.scope):
                            continue  # a guard: the burden of another period's law
                        if (x.fact, a.id) not in self.values:
                            self.put(x.fact, a.id, x.default)
                            guards = {m for c in x.scope for m in self.matches(c, a, (EST,))}
                            absent = frozenset({(x.fact, a.id, None, True)} | guards)
                            self.burdened.setdefault((x.fact, a.id), set()).add((x.id, x.default, absent, x.on))
                ops.remove((kind, x))
            self.fixpoint()
        return self.values

    # -- derivations ------------------------------------------------------------------------
    def matches(self, c: Condition, anchor, verdicts) -> list[tuple]:
        """The facts that give condition `c` one of `verdicts` for this anchor, as premises."""
        out = []
        for t in self.targets(c, anchor):
            v = self.values.get((c.fact, t), _MISSING)
            if v is _MISSING:
                continue
            verdict = (v if v in (EST, NE, REF) else None) if c.op == "verdict" else self.plain(c, v)
            if verdict in verdicts:
                out.append((c.fact, t, v, False))
        return out

    def ways(self, r) -> list[tuple]:
        """A rule's ways to conclude: (value, [(condition, verdicts it must have)], absent)
        where absent, if any, is (verdicts no item may have, the description of that absence)."""
        terms = [c for c in r.terms if not c.link]
        clear = [(u, (REF, NE)) for u in r.unless]
        out: list[tuple] = []
        if r.form == "sufficient":
            out.append((r.value, [(t, (EST,)) for t in terms], None))
        elif r.form == "all":
            out.append((EST, [(t, (EST,)) for t in terms] + clear, None))
            out += [(REF, [(t, (REF,))], None) for t in terms]
            out += [(REF, [(u, (EST,))], None) for u in r.unless]
            out += [(NE, [(t, (NE,))] + [(o, (EST, NE)) for o in terms if o is not t] + clear, None) for t in terms]
        elif r.form == "any":
            out += [(EST, [(t, (EST,))] + clear, None) for t in terms]
            out.append((REF, [(t, (REF,)) for t in terms], None))
            out += [(REF, [(u, (EST,))], None) for u in r.unless]
            out += [(NE, [(t, (NE,))] + [(o, (REF, NE)) for o in terms if o is not t] + clear, None) for t in terms]
        else:  # some / every
            item = Condition(r.fact, None, "this", r.over, "verdict", (), NE, None, r.span)
            win, lose = (EST, REF) if r.form == "some" else (REF, EST)
            out.append((win, [(item, (win,))], None))
            out.append((NE, [(item, (NE,))], (item, (win,))))
            out.append((lose, [], (item, (win, NE))))
        return out

    def derivations(self) -> dict[tuple, set]:
        """Every derivation of every conclusion, by (concept, entity); call after :meth:`run`.
        The values are final then, and the rules are read against them: a rule fires once for
        each combination of facts that satisfies one of its ways."""
        out: dict[tuple, set] = {k: set(v) for k, v in self.burdened.items()}
        for r in self.pack.rules:
            links = [c for c in r.scope + r.terms if c.link]
            guard = [(c, (EST,)) for c in r.scope if not c.link]
            for a in self.anchors(r.about):
                if any(self.verdict(c, a) != EST for c in links):
                    continue
                for value, conds, absent in self.ways(r):
                    lacking = ()
                    if absent is not None:
                        if self.matches(absent[0], a, absent[1]):
                            continue
                        lacking = ((r.fact, f"{r.form} {r.over}", None, True),)
                    options = [self.matches(c, a, verdicts) for c, verdicts in guard + conds]
                    for combo in product(*options):
                        out.setdefault((r.then, a.id), set()).add((r.id, value, frozenset(combo + lacking), None))
        return out


def engine_derivations(consultation) -> dict[tuple, set]:
    """The engine's derivations in the reference's plain form."""
    return {key: {(d.rule, d.value, frozenset((p.concept, p.entity, p.value, p.absent) for p in d.premises), d.burden)
                  for d in ds}
            for key, ds in consultation.derivations.items()}
