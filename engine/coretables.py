"""durable_rules' fixed tables, checked before a ruleset reaches its C core.

The core (``durable_rules_engine`` 2.0.28, ``src/rules/rete.c`` and ``events.c``) builds an
alpha network from a ruleset's patterns into tables of fixed size, and fails badly when one
overflows: an error code naming no rule, or a loop that never ends. This module rebuilds the
same network shape in Python, from the same definition, so the compiler can keep every
ruleset within the tables and name the rules when it cannot. How the core builds it:

- a pattern's ``$and`` is a chain of test nodes from the root; a test node is shared with an
  existing child of the same parent testing the same property with the same operator and
  constant. A test against another pattern's fact (``{"x": "e"}``) is never shared (its
  strings are stored anew, and compared by position);
- a ``$or`` adds a new "forward" node, never shared, linked from the end of every branch;
- the pattern's end node lists the pattern's join node (its "beta list").

The tables (figures from the core's headers):

- ``NEXT_BUCKET_LENGTH`` 512: the test children of one node live in a hash table of 512
  entries; with all taken, ``create_ruleset`` loops for ever — at most 511;
- ``NEXT_LIST_LENGTH`` 128: forward nodes under one node (error 107) — at most 127;
- ``BETA_LIST_LENGTH`` 256: patterns ending at one node (error 108) — at most 255. Both lists
  are walked up to their first empty slot, with no bound: a full list has none, and a fact
  reaching its node walks on into the next node's list (a crash, seen with 256 patterns);
- ``MAX_SEQUENCE_EXPRESSIONS`` 32: ``$and``/``$or`` markers and join tests of one pattern (113);
- ``MAX_ACTIONS`` 4096 rules per ruleset;
- ``MAX_STACK_SIZE`` 64: while one fact is matched, the nodes it still has to visit wait on a
  stack of 64 (error 303 at run time). Forward nodes and join tests are always visited; of the
  children testing one property for equality with different constants, at most one matches.
  :func:`check` bounds the stack over every fact that could arrive.
"""
from __future__ import annotations

from dataclasses import dataclass, field

CHILDREN, FORWARDS, PATTERNS, SEQUENCE, ACTIONS, STACK = 511, 127, 255, 31, 4096, 64

_OPS = {"$neq", "$gt", "$gte", "$lt", "$lte", "$ex", "$nex", "$mt", "$imt"}


@dataclass(eq=False)
class _Node:
    tests: dict = field(default_factory=dict)    # (property, op, constant) -> _Node, shared
    joins: list = field(default_factory=list)    # tests against other patterns' facts
    forwards: list = field(default_factory=list)  # "$or" ends
    patterns: list = field(default_factory=list)  # rules whose pattern ends here
    bound: int | None = None                      # stack(), until a rule is added below

    def kids(self) -> list:
        return list(self.tests.values()) + self.joins + self.forwards

    def stack(self) -> int:
        """The most nodes a fact matched from here can leave waiting on the stack."""
        if self.bound is None:
            groups: dict = {}
            rest = self.joins + self.forwards
            for (prop, op, *_), child in self.tests.items():
                if op == "$eq":  # one constant per property can match: count the worst
                    groups[prop] = max(groups.get(prop, 0), child.stack())
                else:
                    rest = rest + [child]
            waiting = len(groups) + len(rest)
            deepest = max(list(groups.values()) + [c.stack() for c in rest] + [0])
            # the children are pushed together, then each is popped and expanded in turn
            self.bound = waiting - 1 + max(1, deepest) if waiting else 0
        return self.bound


class Limit(Exception):
    """A table would overflow: which one, and the rules that fill it."""

    def __init__(self, what: str, rules: list[str]):
        super().__init__(what)
        self.what = what
        self.rules = rules


class Network:
    """The alpha network of one ruleset, grown one rule at a time."""

    def __init__(self) -> None:
        self.root = _Node()
        self.actions = 0
        self._touched: list[_Node] = []
        self._sequence = 0

    def add(self, name: str, rule: dict) -> None:
        """Add one rule's patterns; :meth:`check` then says whether the tables still hold."""
        self.actions += 1
        for pattern in rule["all"]:
            ((_, expr),) = pattern.items()
            self._sequence = 0
            end = self._add(self.root, expr)
            end.patterns.append(name)
            self._touch(end)
            if self._sequence > SEQUENCE:
                raise Limit(f"a pattern with {self._sequence} tests (at most {SEQUENCE})", [name])

    def _touch(self, node: _Node) -> None:
        node.bound = None
        self._touched.append(node)

    def _add(self, parent: _Node, expr: dict) -> _Node:
        self._touch(parent)
        ((key, value),) = expr.items()
        if key == "$and":
            self._sequence += 2
            node = parent
            for sub in value:
                node = self._add(node, sub)
            return node
        if key == "$or":
            self._sequence += 2
            forward = _Node()
            for sub in value:
                end = self._add(parent, sub)
                end.forwards.append(forward)
                self._touch(end)
            return forward
        op, (prop, const) = ("$eq", (key, value)) if key not in _OPS else (key, next(iter(value.items())))
        if isinstance(const, dict):  # a join test: never shared, always visited
            self._sequence += 1
            node = _Node()
            parent.joins.append(node)
            return node
        slot = (prop, op, type(const).__name__, const if not isinstance(const, list) else tuple(const))
        test = parent.tests.get(slot)
        if test is None:
            test = parent.tests[slot] = _Node()
        return test

    def check(self) -> None:
        """Raise :class:`Limit` if a table of this ruleset would overflow."""
        if self.actions > ACTIONS:
            raise Limit(f"{self.actions} rules in one ruleset (at most {ACTIONS})", [])
        touched, self._touched = self._touched, []
        for node in touched:
            children = len(node.tests) + len(node.joins)
            if children > CHILDREN:
                raise Limit(f"{children} tests under one test (at most {CHILDREN})", _rules_under(node))
            if len(node.forwards) > FORWARDS:
                raise Limit(f"{len(node.forwards)} alternatives ending at one test (at most {FORWARDS})",
                            _rules_under(node))
            if len(node.patterns) > PATTERNS:
                raise Limit(f"{len(node.patterns)} rules sharing one pattern (at most {PATTERNS})",
                            node.patterns)
        if self.root.stack() > STACK:
            raise Limit(f"a fact that would wake {self.root.stack()} tests at once (at most {STACK})",
                        _rules_under(_worst(self.root)))


def _rules_under(node: _Node) -> list[str]:
    out: dict[str, None] = {}
    todo, seen = [node], set()
    while todo:
        n = todo.pop()
        if id(n) not in seen:
            seen.add(id(n))
            out.update(dict.fromkeys(n.patterns))
            todo += n.kids()
    return list(out)


def _worst(node: _Node) -> _Node:
    """The node that wakes the most tests on the path a worst-case fact takes."""
    best = n = node
    while n.kids():
        if len(n.kids()) > len(best.kids()):
            best = n
        n = max(n.kids(), key=lambda k: k.stack())
    return best
