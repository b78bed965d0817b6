"""A reference evaluator of a rule pack's semantics, used only in tests.

durable_rules fails silently in several ways (a rule that never fires, a fact dropped as
a duplicate), so the tests decide every case twice: once through the compiled ruleset
in the real engine, once here, by a plain reading of the rules, and compare every
conclusion. This evaluator shares no code with engine/compiler.py: it evaluates the
conditions directly, and orders negation by its own dependency analysis.
"""
from __future__ import annotations

from assessor.engine.model import (CASE, ESTABLISHED as EST, NOT_ESTABLISHED as NE, REFUTED as REF,
                                   UNKNOWN, Condition, RulePack)

_MISSING = object()


class Reference:
    def __init__(self, pack: RulePack, case):
        self.pack = pack.as_of(case.decided_on)
        self.entities = {e.id: e for e in case.entities}
        self.values = {(f.concept, f.entity): f.value for f in case.facts}
        self.answered = set(case.answered)
        self.inputs = set(self.values)

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
    def deps(self, concept, seen=None):
        seen = set() if seen is None else seen
        if concept in seen:
            return seen
        seen.add(concept)
        for r in self.pack.rules:
            if r.then == concept:
                for c in r.scope + r.terms + r.unless:
                    if c.fact:
                        self.deps(c.fact, seen)
                if r.fact:
                    self.deps(r.fact, seen)
        return seen

    def run(self) -> dict:
        ops = [("rule", r) for r in self.pack.rules if r.form in ("some", "every")]
        ops += [("burden", b) for b in self.pack.burdens]
        self.fixpoint()
        while ops:
            def reads(op):
                kind, x = op
                if kind == "burden":
                    return self.deps(x.fact)
                # an aggregation waits for the facts it aggregates and for its scope
                seen = self.deps(x.fact)
                for c in x.scope:
                    if c.fact:
                        seen |= self.deps(c.fact)
                return seen

            def concludes(op):
                return op[1].then if op[0] == "rule" else op[1].fact

            ready = [op for op in ops
                     if not any(o is not op and concludes(o) in reads(op)
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
                        if (x.fact, a.id) not in self.values:
                            self.put(x.fact, a.id, x.default)
                ops.remove((kind, x))
            self.fixpoint()
        return self.values
