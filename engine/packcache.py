"""A rule pack read and compiled once, kept in the user's cache directory for the next process.

Reading and checking a pack (every rule file parsed, validated and cross-checked) and
compiling its rules take most of the work of a command-line ``decide`` of one case file. A
cached pack is a pickle of the :class:`RulePack` and of the programs compiled from it so far
(one per law-as-of that a decision has asked for), named by a digest of everything they are
made from:

- every YAML file of the pack (its contents and names, as the pack's own digest) and the
  directory it was read from (the pack remembers it);
- the engine itself: its source files and schemas (a change to the loader or the compiler
  is a new cache), the Python version and durable_rules' version.

Nothing here may make a command fail: a cache that cannot be read (missing, corrupt, from
another user, truncated by a full disk) is ignored and rebuilt; one that cannot be written
is not written. A pack with an error is never cached (it raises before). The cache is
skipped when ``ASSESSOR_NO_CACHE`` is set, and only the most recent few packs are kept.
"""
from __future__ import annotations

import atexit
import copyreg
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import compiler
from .gcpause import paused_gc
from .loader import load_pack, pack_digest
from .model import RulePack
from .output import user_cache
from .session import core_build

KEEP = 16            # cached packs kept (the fuzzers and the tests make many)
_FORMAT = b"assessor.packcache/1"
_ENGINE = Path(__file__).resolve().parent


def _proxy(d: dict) -> MappingProxyType:
    return MappingProxyType(d)


# the pack's mappings are read-only views (MappingProxyType), which pickle cannot name
copyreg.pickle(MappingProxyType, lambda m: (_proxy, (dict(m),)))


def cache_dir() -> Path:
    return user_cache("packs")


def _engine_digest() -> bytes:
    h = hashlib.sha256(_FORMAT + sys.version.encode() + core_build().encode())
    for p in sorted(_ENGINE.glob("*.py")) + sorted(_ENGINE.glob("*.yaml")):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.digest()


def _key(root: Path) -> str:
    h = hashlib.sha256(_engine_digest())
    h.update(str(root).encode() + b"\0" + pack_digest(root).encode())
    return h.hexdigest()


def cached_pack(root: Path | str) -> RulePack:
    """The pack at `root`, as :func:`load_pack` reads it, from the cache when it is there;
    the compiled programs cached with it join the compiler's own in-process cache, and the
    programs this process compiles for it (a law-as-of not met before) are added to the
    cache when the process ends."""
    root = Path(root)
    if os.environ.get("ASSESSOR_NO_CACHE") or not (root / "pack.yaml").is_file():
        return load_pack(root)   # (no pack.yaml: load_pack says so)
    try:
        key = _key(root)
    except OSError:
        return load_pack(root)
    path = cache_dir() / f"{key}.pickle"
    hit = _read(path, key)
    if hit is not None:
        pack, programs = hit
        for k, program in programs.items():
            compiler._CACHE.setdefault(k, program)
    else:
        pack, programs = load_pack(root), {}
        _write(path, key, pack, programs)
    if path not in _AT_EXIT:     # once per cache file, however often the pack is opened
        _AT_EXIT.add(path)
        atexit.register(_add_programs, path, key, pack, set(programs))
    return pack


#: The cache files this process adds its compiled programs to at exit. One handler each: a
#: process that opens the same pack many times (a test run, a server) used to register one per
#: opening, and at exit read and rewrote the whole cache that many times.
_AT_EXIT: set[Path] = set()


def _add_programs(path: Path, key: str, pack: RulePack, known: set) -> None:
    """At exit: the cache again, with the programs compiled for `pack` since it was read
    (the compiler's cache is keyed first by the pack's digest)."""
    new = {k: v for k, v in compiler._CACHE.items() if k[0] == pack.digest and k not in known}
    if new:
        old = _read(path, key)   # another process may have added its own meanwhile
        programs = dict(old[1]) if old else {}
        programs.update(new)
        _write(path, key, pack, programs)


def _read(path: Path, key: str) -> Any:
    try:
        if path.stat().st_uid != os.getuid():
            return None          # another user's file: never unpickled
        data = path.read_bytes()
        if not data.startswith(_FORMAT + b"\n" + key.encode() + b"\n"):
            return None
        with paused_gc():  # a big structure, none of it garbage (engine/gcpause.py)
            hit = pickle.loads(data[len(_FORMAT) + len(key) + 2:])
        pack, programs = hit
        if not isinstance(pack, RulePack) or not isinstance(programs, dict):
            return None
        os.utime(path)           # recently used: kept by the pruning below
        return hit
    except Exception:  # noqa: BLE001 -- a cache that cannot be read is rebuilt, whatever the reason
        return None


def _write(path: Path, key: str, pack: RulePack, programs: dict) -> None:
    try:
        payload = pickle.dumps((pack, programs), protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".pack.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_FORMAT + b"\n" + key.encode() + b"\n" + payload)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(path.parent)
    except Exception:  # noqa: BLE001 -- an unwritable cache (read-only home, full disk) is skipped
        pass


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
