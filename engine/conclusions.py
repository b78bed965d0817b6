"""What a consultation concludes, as plain data, and a part of a case consulted alone.

A :class:`Conclusions` is what the planner, the decision record and the opinion read of a
consultation (engine/session.py): the entities, every value and each conclusion's
derivations. It holds no engine state, so a closed consultation keeps it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .casefile import Case
from .model import Derivation, Entity, RulePack


class Conclusions:
    """What a finished consultation knows: the case's entities, every value (answers and
    conclusions) and the derivations of each conclusion. A :class:`Consultation` is one; the
    interview's planner may also assemble one from consultations of parts of the case
    (engine/units.py)."""

    def __init__(self, pack: RulePack, case: Case):
        self.pack = pack
        self.case = case
        self.entities: dict[str, Entity] = {e.id: e for e in case.entities}
        self._by_kind: dict[str, list[Entity]] = {}
        for e in self.entities.values():
            self._by_kind.setdefault(e.kind, []).append(e)
        self._links: dict[str, dict[tuple[str, str], list[Entity]]] = {}
        self.values: dict[tuple[str, str], Any] = {}
        self.derivations: dict[tuple[str, str], list[Derivation]] = {}
        # an entity of a case split by units (engine/units.py): its unit and the unit's key
        self.unit_of: dict[str, tuple[str, tuple]] = {}

    def value(self, concept: str, entity: str = "case", default: Any = None) -> Any:
        return self.values.get((concept, entity), default)

    def why(self, concept: str, entity: str = "case") -> list[Derivation]:
        return self.derivations.get((concept, entity), [])

    def of_kind(self, kind: str) -> list[Entity]:
        return list(self._by_kind.get(kind, ()))

    def linked_to(self, kind: str, target: Entity, link: str | None = None) -> list[Entity]:
        """The entities of `kind` linked to `target` (by their link named `link`, by default
        the target's kind)."""
        index = self._links.get(kind)
        if index is None:  # built once per kind asked: a case with many acts stays linear
            index = self._links[kind] = {}
            for e in self._by_kind.get(kind, ()):
                for k, v in e.links.items():
                    index.setdefault((k, v), []).append(e)
        return list(index.get((link or target.kind, target.id), ()))

    def close(self) -> None:
        """Nothing to free: the conclusions are plain data."""


@dataclass(frozen=True)
class Subcase:
    """A part of a case consulted alone (engine/units.py): the entities whose rules may fire
    (`anchored`), the facts asserted (the part's answers, and conclusions about other entities
    given as settled: (concept, entity, value)), every entity those facts are about
    (`known`), and the place of each entity in the whole case (`order`), which orders
    derivations as the whole case's consultation orders them."""

    anchored: tuple[Entity, ...]
    facts: tuple[tuple[str, str, Any], ...]
    known: dict[str, Entity]
    order: dict[str, int]
