"""Generate many case files for batch tests and benchmarks: each a hypothetical with a few of
its answers changed to other values the case format allows (deterministic for a seed).
The files are written to a folder the caller gives (never committed)."""
from __future__ import annotations

import copy
import random
from pathlib import Path

from assessor.engine import dump_case, load_yaml
from assessor.engine.flips import answer_fields

CHOICES = {"tri": [True, False, "unknown"], "count": [0, 1, 4, "unknown"], "amount": [0, 300, 5000, 80000, "unknown"]}


def generate_cases(pack, folder: Path, n: int, seed: int = 12) -> list[Path]:
    hypos = sorted(p for p in (Path(pack.root) / "hypos").glob("*.yaml") if p.name != "index.yaml")
    bases = [load_yaml(p).data for p in hypos]
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        data = copy.deepcopy(bases[i % len(bases)])
        fields = answer_fields(pack, data, unknown=True)
        for f in rnd.sample(fields, min(len(fields), rnd.randint(1, 3))):
            choices = f.node["values"] if f.node["type"] == "enum" else CHOICES[f.node["type"]]
            node = data
            for step in f.path[:-1]:
                node = node[step]
            node[f.path[-1]] = rnd.choice(list(choices))
        data["title"] = f"{data.get('title', '')} ({i})"
        path = folder / f"case-{i:05d}.yaml"
        path.write_text(dump_case(data, pack.case_format), encoding="utf-8")
        out.append(path)
    return out
