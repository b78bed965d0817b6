"""Resident memory of this process, for tests that something done many times keeps it flat."""
from __future__ import annotations

import os
from typing import Callable


def rss_mib() -> float:
    """The process's resident set size now (not its peak), in MiB."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def growth_mib(step: Callable[[int], None], times: int, warm_up: int = 50) -> float:
    """How much resident memory grows over `times` calls of `step(i)`, after `warm_up` calls
    (allocators and caches fill up first)."""
    for i in range(warm_up):
        step(i)
    before = rss_mib()
    for i in range(times):
        step(warm_up + i)
    return rss_mib() - before
