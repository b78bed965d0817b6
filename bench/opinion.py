"""Opinion rendering benchmark: time to render the opinion model of each hypothetical.

    .venv/bin/python bench/opinion.py [--rounds N]

The consultation and the opinion model are built once per case; what is timed is
rendering them with the templates (Markdown, HTML, DOCX; zh and zh+en), the part that
the template environments, the sandbox and its limits cost. Figures are printed, never
asserted: the median and the spread over the rounds, in milliseconds per opinion.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from assessor.engine import Consultation, build_model, load_pack, read_case, render_model

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules" / "cn"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    pack = load_pack(PACK)
    models = []
    for p in sorted((PACK / "hypos").glob("*.yaml")):
        if p.name == "index.yaml":
            continue
        case = read_case(p, pack)
        with Consultation(pack, case) as c:
            models.append(build_model(pack, case, c, "sha256:" + "0" * 64))
    print(f"{len(models)} opinion models (hypotheticals)")
    for fmt, lang in (("md", "zh"), ("md", "zh+en"), ("html", "zh"), ("docx", "zh")):
        per_round = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            for m in models:
                render_model(m, lang=lang, fmt=fmt)
            per_round.append((time.perf_counter() - t) * 1000 / len(models))
        print(f"{fmt:4} {lang:5}: median {statistics.median(per_round):6.2f} ms per opinion "
              f"(min {min(per_round):.2f}, max {max(per_round):.2f}, {args.rounds} rounds)")


if __name__ == "__main__":
    main()
