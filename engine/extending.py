"""Growing an open consultation by answers that only add (engine/growing.py keeps the
consultations an interview grows; engine/session.py runs the engine).

The engine cannot retract, but it forward-chains: facts asserted into a session after its
stages conclude what they would have concluded before them, except through a rule that
relies on a fact lacking (a burden, some/every), which fired or waited at its stage. Such a
rule fires on the new facts at once, whatever comes later; so the consultation grown is the
fresh one exactly when no fact it adds is one that a derivation (old or new) relied on
lacking: then every rule fired on the same facts as in a fresh session (facts are never
consumed nor retracted, and a negation that holds at the end held at each step before), and
derivations are ordered by rank, never by firing. Otherwise the caller builds a fresh
consultation.
"""
from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from .casefile import Case
from .errors import ConsultationError
from .gcpause import paused_gc
from .model import Entity

if TYPE_CHECKING:
    from .session import Consultation

Additions = tuple[list[Entity], list[str], list[tuple[str, str, Any]]]


def extended(cons: Consultation, case: Case, spent: list | None = None) -> Consultation | None:
    """The consultation of `case`, grown from the session of `cons`, which it takes over: or
    None (`cons` unchanged) when `case` does not only add to its case (entities, answered
    fields and answers, under the same law), or (the session then thrown away) when what it
    adds would undo a conclusion drawn for want of a fact. A session thrown away is closed,
    or put in `spent` for the caller to close when it has time."""
    if not cons.is_open or cons._part or case.law != cons.case.law:
        return None
    added = additions(cons, case)
    if added is None:
        return None
    ents, answered, facts = added
    if cons.staged and any(cons._program.route("answered", p) for p in answered):
        # a field answered that a burden waits for: in a session past its stages the
        # burdens fire at once, out of their order, and the growth fails (all of some 220
        # on the hypotheticals' interviews), so it is not tried
        return None
    items = cons.compiled.items
    if items is not None and any(c == items[0] and e in cons.entities for c, e, _v in facts):
        return None  # an entity's period (its facts' routing) would change
    new = cons._successor(case, ents, facts)
    if any(new._order[e] != i for e, i in cons._order.items()):
        _rerank(new)  # an item added before others moves them: their places in the case
    try:
        with new._program.lock, paused_gc():
            grown = _grow(new, ents, answered, facts)
    except ConsultationError:
        grown = False  # a fresh consultation says which rules conflict
    except BaseException:
        new.close()
        raise
    if not grown:
        if spent is None:
            new.close()
        else:
            spent.append(new)
        return None
    return new


def _grow(cons: Consultation, ents: list[Entity], answered: list[str], facts: list[tuple[str, str, Any]]) -> bool:
    """Assert what `extended` adds: the entities, the answers and what follows, then the
    fields answered (read only by burdens, which rely on a fact lacking: last, so that they
    see what the answers conclude first). False if a fact added was relied on lacking."""
    known = len(cons.values)
    for ent in ents:
        cons._assert_entity(ent)
    for concept, entity, value in facts:
        if (concept, entity) in cons.values:
            return False  # concluded already: a fresh consultation says which rule concludes an answer
        cons.values[(concept, entity)] = value
        cons._assert_where(cons._fact(concept, entity, value), "reads", concept, entity)
    for path in answered:
        cons._assert_answered(path)
    lacks, lacks_any = cons._lacks, cons._lacks_any
    return not any(key in lacks or key[0] in lacks_any for key in itertools.islice(cons.values, known, None))


def _rerank(cons: Consultation) -> None:
    """Every derivation's sort key with the entities' places in this case, each
    conclusion's derivations sorted again."""
    order = cons._order
    for key, ranks in cons.ranks.items():
        ds = cons.derivations[key]
        pairs = sorted(((r[:2] + (tuple(order.get(p.entity, -1) for p in d.premises),), d)
                        for r, d in zip(ranks, ds)), key=lambda x: x[0])
        cons.ranks[key] = [r for r, _d in pairs]
        cons.derivations[key] = [d for _r, d in pairs]


def additions(cons: Consultation, case: Case) -> Additions | None:
    """What `case` adds to the case of `cons` (entities, answered fields, answers, in the
    case's order), or None if it takes away or changes anything."""
    old = cons.case
    if len(case.facts) < len(old.facts) or len(case.entities) < len(old.entities):
        return None
    ents = []
    for e in case.entities:
        had = cons.entities.get(e.id)
        if had is None:
            ents.append(e)
        elif had != e:
            return None
    if len(case.entities) - len(ents) != len(old.entities):
        return None
    given = {(f.concept, f.entity): f.value for f in old.facts}
    facts = []
    for f in case.facts:
        was = given.get((f.concept, f.entity), _NONE)
        if was is _NONE:
            facts.append((f.concept, f.entity, f.value))
        elif type(was) is not type(f.value) or was != f.value:
            return None
    if len(case.facts) - len(facts) != len(old.facts):
        return None
    before = set(old.answered)
    answered = [p for p in case.answered if p not in before]
    if len(case.answered) - len(answered) != len(before):
        return None
    return ents, answered, facts


_NONE = object()
