from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assessor.engine import load_pack

ROOT = Path(__file__).resolve().parent.parent
PACK_DIR = ROOT / "rules" / "cn"
HYPOS = PACK_DIR / "hypos"


@pytest.fixture(scope="session")
def pack():
    return load_pack(PACK_DIR)


def hypotheticals() -> list[dict]:
    return yaml.safe_load((HYPOS / "index.yaml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory):
    """The compiled packs a run caches go to a directory of the run's own, not the user's."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()
