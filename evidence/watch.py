"""`assessor trace watch`: new images in a generator's output folder become trace entries,
with the prompt and parameters the image's own metadata carries."""
from __future__ import annotations

from pathlib import Path

from . import trace
from .importer import generation_of
from .items import EvidenceError, read_file, sha256_hex

IMAGES = (".png", ".jpg", ".jpeg", ".webp")


def new_outputs(folder: Path, outputs: Path) -> list[Path]:
    """Images in `outputs` whose bytes no entry of the trace has recorded yet, oldest first."""
    seen = {o.get("sha256") for e in trace.read_entries(folder) for o in e.get("outputs", [])}
    found = [p for p in Path(outputs).iterdir() if p.suffix.lower() in IMAGES and p.is_file()]
    found.sort(key=lambda p: (p.stat().st_mtime, p.name))
    return [p for p in found if sha256_hex(p.read_bytes()) not in seen]


def record(folder: Path, path: Path, key: Path | None = None) -> dict | None:
    """Add an entry for one new output; None while the image cannot be read whole (a generator
    may still be writing it: it is tried again next time)."""
    try:
        gen = generation_of(read_file(path), str(path))
    except EvidenceError:
        return None
    params = {str(k): v for k, v in gen.params.items()} if gen else {}
    if gen and gen.negative:
        params["negative"] = gen.negative
    return trace.add(folder, gen.prompt if gen else "", params, [path], key=key,
                     note=f"{gen.tool}" if gen else "")
