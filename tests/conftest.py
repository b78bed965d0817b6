from __future__ import annotations

import gc
import os
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from assessor.engine import load_pack, load_yaml

from . import golden

ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = ROOT / "rules" / "cn"
HYPOS = PACK_DIR / "hypos"


@lru_cache(maxsize=1)
def bundled_pack():
    """The bundled pack, loaded once for the whole run (a RulePack is immutable)."""
    return load_pack(PACK_DIR)


@pytest.fixture(scope="session")
def pack():
    return bundled_pack()


@lru_cache(maxsize=1)
def _index() -> tuple[dict, ...]:
    return tuple(load_yaml(HYPOS / "index.yaml").data)


def hypotheticals() -> list[dict]:
    """The entries of the hypotheticals' index, read with the engine's YAML policy (once)."""
    return list(_index())


#: A test run once per hypothetical runs, in the fast run, on these only (the two decided cases
#: and one of each kind of outcome); the slow run (CI) takes every hypothetical.
FAST_SAMPLE = frozenset({"cat-pendant", "li-v-liu", "banxin-installation-and-repost"})


def hypothetical_case(pack, name: str, **replace: str):
    """The hypothetical `name`, its text edited: each key replaced by its value (one fact moved)."""
    from assessor.engine import parse_case
    text = (HYPOS / f"{name}.yaml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return parse_case(text, pack, f"{name}.yaml")


def hypothetical_record(pack, name: str, **replace: str) -> dict:
    """The decision record of :func:`hypothetical_case`."""
    from assessor.engine import Consultation, build_record
    case = hypothetical_case(pack, name, **replace)
    with Consultation(pack, case) as c:
        return build_record(pack, case, c)


def sampled(values: list, name=lambda v: Path(str(v)).stem) -> list:
    """`values` (hypotheticals, by file name or path) for pytest.mark.parametrize: those in the
    fast sample as they are, the others marked slow."""
    return [v if name(v) in FAST_SAMPLE else pytest.param(v, marks=pytest.mark.slow) for v in values]


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory):
    """The compiled packs a run caches go to a directory of the run's own, not the user's."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@pytest.fixture(autouse=True, scope="module")
def _earlier_modules_objects_frozen():
    """At each test module's start, what the earlier modules left alive (the packs they loaded,
    their compiled rulesets, the tests' and the engine's caches) is moved out of the garbage
    collector's reach, after one collection so that no garbage is kept (gc.freeze). Every full
    collection otherwise scanned all of it again: some 70 of them took about 17 s of the fast
    run's 62 s of CPU. Within a module the collector works as in any process."""
    gc.collect()
    gc.freeze()


# -- self-contained tests ---------------------------------------------------------------------
# No test reads the shared working files beside the checkout (../shared: the cases a test needs
# are bundled in rules/cn/hypos/), and none writes into the source tree (tmp_path is the place),
# except the golden files in update mode (tests/golden.py). Checked in this process by an audit
# hook on every file opened; a breach fails the opening test and the run.
_SHARED = str(ROOT.parent / "shared") + os.sep
_SOURCE = str(ROOT) + os.sep
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_BREACHES: list[str] = []


class SourceTreeBreach(AssertionError):
    """A test read ../shared or wrote into the source tree."""


def _may_write(path: str) -> bool:
    parts = Path(path).parts
    return ("__pycache__" in parts or ".hypothesis" in parts
            or (golden.UPDATE and path.startswith(str(golden.GOLDEN) + os.sep)))


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not isinstance(args[0], (str, bytes)):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    mode, flags = args[1], args[2]
    if path.startswith(_SHARED):
        breach = f"a test read {path} (outside the checkout: bundle what it needs)"
    elif path.startswith(_SOURCE) and (any(c in mode for c in "wax+") if mode else flags & _WRITE_FLAGS) \
            and not _may_write(path):
        breach = f"a test wrote into the source tree: {path} (use tmp_path)"
    else:
        return
    _BREACHES.append(breach)
    raise SourceTreeBreach(breach)


sys.addaudithook(_audit)


def pytest_sessionfinish(session, exitstatus):
    if _BREACHES:
        sys.stderr.write("\n" + "\n".join(sorted(set(_BREACHES))) + "\n")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
