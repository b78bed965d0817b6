"""Engine benchmark: decisions per second and answer-to-conclusion latency.

    .venv/bin/python bench/engine.py [--rounds N]

An answer changes the case file, and a changed case file is decided by a new
consultation (durable_rules has no truth maintenance), so the answer-to-conclusion
latency is the time to build, run and close one consultation on the full rule pack.
Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from assessor.engine import Consultation, decide, load_pack, read_case
from assessor.engine.compiler import compile_pack

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules" / "cn"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    t = time.perf_counter()
    pack = load_pack(PACK)
    load_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    compiled = compile_pack(pack.as_of("2025-06-30"))
    compile_ms = (time.perf_counter() - t) * 1000
    cases = [read_case(p, pack) for p in sorted((PACK / "hypos").glob("*.yaml")) if p.name != "index.yaml"]
    print(f"rule pack: {len(pack.rules)} rules, {len(pack.burdens)} burdens -> "
          f"{len(compiled.definition)} durable_rules rules, {compiled.stages} stages")
    print(f"load pack: {load_ms:.1f} ms   compile: {compile_ms:.1f} ms   cases: {len(cases)}")

    for case in cases:  # warm-up (compiles each law-as-of once)
        decide(pack, case)
    latencies = []
    rss = []
    start = time.perf_counter()
    for _ in range(args.rounds):
        for case in cases:
            t = time.perf_counter()
            with Consultation(pack, case) as c:
                c.value("disposition")
            latencies.append((time.perf_counter() - t) * 1000)
        rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    elapsed = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"consultations: {len(latencies)} in {elapsed:.2f} s = {len(latencies) / elapsed:.0f} decisions/s")
    print(f"answer-to-conclusion latency: median {statistics.median(latencies):.2f} ms, p99 {p99:.2f} ms")
    t = time.perf_counter()
    n = 0
    for _ in range(max(1, args.rounds // 4)):
        for case in cases:
            decide(pack, case)
            n += 1
    print(f"full decision records (with reasons and findings): {n / (time.perf_counter() - t):.0f}/s")
    print(f"max RSS after round 1: {rss[0]:.0f} MiB, after round {len(rss)}: {rss[-1]:.0f} MiB")


if __name__ == "__main__":
    main()
