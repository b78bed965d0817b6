"""The compiled pack cached between processes: the same pack, never a stale one, never an error."""
from __future__ import annotations

import shutil

import pytest

from assessor.engine import cached_pack, decide, read_case
from assessor.engine.packcache import cache_dir

from .conftest import HYPOS, PACK_DIR


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "assessor" / "packs"


def _toy(tmp_path):
    root = tmp_path / "toy"
    shutil.copytree(PACK_DIR.parent.parent / "tests" / "packs" / "toy", root)
    return root


def test_a_cached_pack_decides_as_the_pack_read_from_its_files(cache, pack):
    first = cached_pack(PACK_DIR)            # read, compiled and written
    assert cache_dir() == cache and len(list(cache.glob("*.pickle"))) == 1
    again = cached_pack(PACK_DIR)            # from the cache
    assert again is not first and again.digest == first.digest == pack.digest
    assert [r.id for r in again.rules] == [r.id for r in pack.rules]
    for name in ("li-v-liu.yaml", "cat-pendant.yaml"):
        case = read_case(HYPOS / name, pack)
        assert decide(again, read_case(HYPOS / name, again)) == decide(pack, case)


def test_a_changed_pack_is_read_again(cache, tmp_path):
    root = _toy(tmp_path)
    before = cached_pack(root)
    pack_yaml = root / "pack.yaml"
    pack_yaml.write_text(pack_yaml.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after = cached_pack(root)
    assert after.digest != before.digest
    assert len(list(cache.glob("*.pickle"))) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", None])
def test_a_corrupt_cache_is_ignored_and_rebuilt(cache, tmp_path, damage):
    root = _toy(tmp_path)
    good = cached_pack(root)
    (path,) = cache.glob("*.pickle")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage is None else damage)   # truncated, emptied, garbage
    again = cached_pack(root)
    assert again.digest == good.digest and [r.id for r in again.rules] == [r.id for r in good.rules]
    assert path.read_bytes() == data                                        # rebuilt


def test_an_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    root = _toy(tmp_path)
    assert cached_pack(root).rules


def test_no_cache_when_asked(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESSOR_NO_CACHE", "1")
    assert cached_pack(_toy(tmp_path)).rules
    assert not cache.exists()


def test_only_the_most_recent_packs_are_kept(cache, tmp_path, monkeypatch):
    monkeypatch.setattr("assessor.engine.packcache.KEEP", 2)
    root = _toy(tmp_path)
    for i in range(4):
        (root / "pack.yaml").write_text((root / "pack.yaml").read_text(encoding="utf-8") + f"\n# {i}\n",
                                        encoding="utf-8")
        cached_pack(root)
    assert len(list(cache.glob("*.pickle"))) == 2


def test_the_programs_a_process_compiles_are_cached_for_the_next(cache, tmp_path, monkeypatch):
    """A law-as-of not met before is compiled in the process, and kept when it ends."""
    import atexit

    from assessor.engine import compiler

    at_exit = []
    monkeypatch.setattr(atexit, "register", lambda f, *args: at_exit.append((f, args)))
    root = _toy(tmp_path)
    pack = cached_pack(root)
    compiler.compile_for(pack, "2024-05-01")            # what deciding a case of that day does
    mine = {k for k in compiler._CACHE if k[0] == pack.digest}
    assert mine
    for f, args in at_exit:
        f(*args)                                        # the process ends
    for k in mine:
        del compiler._CACHE[k]
    again = cached_pack(root)                           # the next process
    assert {k for k in compiler._CACHE if k[0] == again.digest} == mine
