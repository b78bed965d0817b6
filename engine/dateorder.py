"""Dates in the order the case format declares: a date field's ``not_before`` names the date
fields it cannot come before (an act's last day and its first, a decision and the acts it
decides). The engine knows no field: which dates are ordered is the pack's data
(``case-format.yaml``); this module only finds the dates of a case that break that order.

Two fields in the same list are compared item by item (an act's ``until`` with that act's
``on``); a field outside a list with every item's (``decided_on`` with each act's ``on``). A
date written in part (``2021``, ``2021-06``) is every day of that year or month, so two dates
are out of order only when every day of the one comes before every day of the other. A date
not given is not compared.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from .caseformat import CaseFormat, Place
from .errors import InputError
from .yamlsrc import Located

if TYPE_CHECKING:
    from .answers import AnswerError


@dataclass(frozen=True)
class Fault:
    """A date before one it may not be before: `path` holds `day`, declared not before the
    date `day_of_other` at `other` (paths in the case data: ("acts", 0, "on"))."""

    path: tuple
    day: str
    place: Place
    other: tuple
    day_of_other: str
    other_place: Place


def faults(data: Any, case_format: CaseFormat) -> Iterator[Fault]:
    """Every pair of dates of `data` out of the format's order (a valid case file's data)."""
    for place, other, shared in case_format.date_orders:
        # the dates not to come before, by the items both fields sit in, the latest first
        latest: dict[tuple, list[tuple[str, tuple, str]]] = {}
        for path, day in _days(data, other.where):
            latest.setdefault(_items(path)[:shared], []).append((_first_day(day), path, day))
        for dates in latest.values():
            dates.sort(reverse=True)
        for path, day in _days(data, place.where):
            last = _last_day(day)
            for first, other_path, other_day in latest.get(_items(path)[:shared], ()):
                if last >= first:
                    break
                yield Fault(path, day, place, other_path, other_day, other)


def check_date_order(doc: Located, case_format: CaseFormat) -> None:
    """Raise InputError at the first pair of dates of the case file out of order, at the one
    of the two written later in the file (the one a reader finds contradicting the other)."""
    for f in faults(doc.data, case_format):
        from .slots import where_of   # only for the error: reading a case file imports no more
        here, there = doc.span(f.path), doc.span(f.other)
        if (here.line, here.col) >= (there.line, there.col):
            raise InputError(f"{where_of(f.path)}: {f.day} is before {where_of(f.other)} ({f.day_of_other})",
                             here, f"a date not before {where_of(f.other)}, {f.day_of_other}")
        raise InputError(f"{where_of(f.other)}: {f.day_of_other} is after {where_of(f.path)} ({f.day})",
                         there, f"a date not after {where_of(f.path)}, {f.day}")


def _days(data: Any, where: tuple, path: tuple = (), i: int = 1) -> Iterator[tuple[tuple, str]]:
    """The values of the field at `where` (its place in the case format: "fields" NAME, "item")
    in `data`, each with its path in the data."""
    if data is None:
        return
    if i == len(where):
        yield path, str(data)
    elif where[i] == "fields" and isinstance(data, dict):
        yield from _days(data.get(where[i + 1]), where, path + (where[i + 1],), i + 2)
    elif where[i] == "item" and isinstance(data, list):
        for n, item in enumerate(data):
            yield from _days(item, where, path + (n,), i + 1)


def _items(path: tuple) -> tuple:
    """The list indexes of a path in the data: (0,) for ("acts", 0, "on")."""
    return tuple(p for p in path if isinstance(p, int))


def _first_day(day: str) -> str:
    return day + "-01-01" if len(day) == 4 else day + "-01" if len(day) == 7 else day


def _last_day(day: str) -> str:
    # a month's last day as text: "-31" sorts after every day of any month
    return day + "-12-31" if len(day) == 4 else day + "-31" if len(day) == 7 else day


#: the interview's refusals, by whether the answer is the later of the two dates (catalogs: locale/)
BEFORE = "This date cannot be before %(field)s: %(date)s."
AFTER = "This date cannot be after %(field)s: %(date)s."


def refusal(data: dict, case_format: CaseFormat, at: tuple) -> AnswerError | None:
    """The interview's error for the date just answered at `at` (a path in `data`) when it is out
    of order with a date already given, naming that date's field and the date; else None."""
    from .answers import AnswerError   # the interview's, not needed to read a case file
    for f in faults(data, case_format):
        if at in (f.path, f.other):
            later = at == f.path
            path, place, day = (f.other, f.other_place, f.day_of_other) if later else (f.path, f.place, f.day)
            return AnswerError(BEFORE if later else AFTER, params={"field": _named(data, path, place), "date": day})
    return None


def _named(data: dict, path: tuple, place: Place) -> dict[str, str]:
    """A date field in both languages: its label, and the item it belongs to (by its id)."""
    label = place.node.get("label") or {"zh": place.name, "en": place.name}
    last = max((i for i, p in enumerate(path) if isinstance(p, int)), default=None)
    if last is None:
        return dict(label)
    from .slots import get_at
    item = get_at(data, path[:last + 1])
    name = item.get("id") if isinstance(item, dict) and item.get("id") is not None else path[last] + 1
    return {"zh": f"{label['zh']}（{name}）", "en": f"{label['en']} ({name})"}
