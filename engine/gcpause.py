"""Pausing Python's cyclic garbage collector while a big structure is built.

Reading a case file and deciding it allocate hundreds of thousands of small objects (spans,
facts, derivations, premises, the record's dicts) that all stay alive until the work ends.
Each allocation burst makes the collector walk every live object again: with 1,000 acts a
quarter of a consultation's time went to full collections that found nothing to free. Nothing
built here forms reference cycles that must be freed early, so the collector is paused for
the duration and runs normally afterwards (what it would have found is found then).

Pauses nest and may overlap between threads: the collector is enabled again when the last
pause ends, and only if it was enabled when the first one began.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()




def collect_between_steps() -> None:
    """Run the collections a step would otherwise run in its middle, at a moment the user
    does not wait for (an interview calls it once the question is shown): the young
    generations every time, so that the next step starts with none pending, and a full
    collection once the oldest generation's count reaches its threshold, before the
    collector considers one at a young collection inside a step. Inside a step they cost
    a millisecond or more (a full one tens), a fifth of a step's time at the slowest
    hundredth; here the user is reading."""
    if not gc.isenabled() or _depth:
        return
    if gc.get_count()[2] >= gc.get_threshold()[2]:
        gc.collect()
    else:
        gc.collect(1)
