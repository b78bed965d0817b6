"""Engine benchmark: figures printed, never asserted.

    .venv/bin/python bench/engine.py [--rounds N] [--memory N] [--runs N]

- decisions per second on the hypotheticals, in one process (full decision records);
- answer-to-conclusion latency, p50 and p99: an answer changes the case file, and a changed
  case file is decided by a new consultation (durable_rules has no truth maintenance), so it
  is the time to build, run and close one consultation;
- resident memory over many decisions, a third of them of an empty case file (no rule of
  the pack fires);
- wall and CPU time of `assessor decide FILE` and of `assessor --help`, each a new process (the
  compiled pack is cached by the first run: see engine/packcache.py);
- compile time of the pack replicated four times (tests/replica.py), which needs several
  rulesets;
- decision time of Li v. Liu with its act repeated 1,000 times.

Medians over several runs; the machine is shared, so compare figures taken together.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/replica.py, tests/memory.py

from assessor.engine import Consultation, compile_pack, decide, load_pack, parse_case, read_case  # noqa: E402
from tests.memory import rss_mib  # noqa: E402
from tests.replica import many_acts, replicate  # noqa: E402

PACK = ROOT / "rules" / "cn"
LI = PACK / "hypos" / "li-v-liu.yaml"
ASSESSOR = Path(sys.executable).parent / "assessor"


def timed(fn, runs: int) -> float:
    """Median wall time of `fn()` in ms."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def command(argv: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and CPU time (user and system) of a command, each a new process, in ms:
    on a loaded machine the wall time waits for a core, the CPU time much less."""
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        wall.append((time.perf_counter() - t) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10, help="rounds over the hypotheticals")
    ap.add_argument("--memory", type=int, default=10_000, help="decisions for the memory figure")
    ap.add_argument("--runs", type=int, default=5, help="runs of each command-line figure")
    args = ap.parse_args()

    load_ms = timed(lambda: load_pack(PACK), 3)
    pack = load_pack(PACK)
    compile_ms = timed(lambda: compile_pack(pack.as_of("2025-06-30")), 3)
    cases = [read_case(p, pack) for p in sorted((PACK / "hypos").glob("*.yaml")) if p.name != "index.yaml"]
    compiled = compile_pack(pack.as_of("2025-06-30"))
    print("load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"rule pack: {len(pack.rules)} rules, {len(pack.burdens)} burdens -> "
          f"{len(compiled.definition)} durable_rules rules, {compiled.stages} stages")
    print(f"load pack: {load_ms:.1f} ms   compile: {compile_ms:.1f} ms   hypotheticals: {len(cases)}")

    for case in cases:  # warm-up: compiles each law-as-of once
        decide(pack, case)
    latencies = []
    for _ in range(args.rounds):
        for case in cases:
            t = time.perf_counter()
            with Consultation(pack, case) as c:
                c.value("disposition")
            latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"answer -> conclusion: p50 {statistics.median(latencies):.2f} ms, p99 {p99:.2f} ms "
          f"({len(latencies)} consultations)")
    rates = []
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(max(1, args.rounds // 3)):
            for case in cases:
                decide(pack, case)
        rates.append(max(1, args.rounds // 3) * len(cases) / (time.perf_counter() - t))
    print(f"full decisions (records with reasons and findings): {statistics.median(rates):.0f}/s")

    empty = parse_case("format: assessor.case/1\n", pack, "empty.yaml")
    mix = cases + [empty] * (len(cases) // 2)
    before = rss_mib()
    peak = before
    for i in range(args.memory):
        decide(pack, mix[i % len(mix)])
        if i % 500 == 0:
            peak = max(peak, rss_mib())
    print(f"RSS over {args.memory} decisions ({len(cases) // 2} of every {len(mix)} empty): "
          f"{before:.0f} MiB before, {rss_mib():.0f} MiB after, {max(peak, rss_mib()):.0f} MiB at most")

    decide_ms, decide_cpu = command([str(ASSESSOR), "decide", str(LI)], args.runs)
    help_ms, help_cpu = command([str(ASSESSOR), "--help"], args.runs)
    print(f"command line: decide {decide_ms:.0f} ms wall ({decide_cpu:.0f} ms CPU), "
          f"--help {help_ms:.0f} ms wall ({help_cpu:.0f} ms CPU)")

    big = replicate(pack, 4)
    try:
        t = time.perf_counter()
        program = compile_pack(big.as_of("2025-06-30"))
        big_ms = (time.perf_counter() - t) * 1000
        rulesets = len(getattr(program, "parts", [program]))
        t = time.perf_counter()
        for case in cases:
            decide(big, case)
        per = (time.perf_counter() - t) * 1000 / len(cases)
        print(f"pack x4: {len(big.rules)} rules, compiled in {big_ms:.0f} ms into {rulesets} rulesets; "
              f"{per:.1f} ms per decision")
    except Exception as e:  # noqa: BLE001 -- a figure, not a test: say what failed
        print(f"pack x4: fails: {str(e).splitlines()[0][:120]}")

    text = LI.read_text(encoding="utf-8")
    for n in (100, 1000):
        case = parse_case(many_acts(text, n), pack, f"{n}-acts.yaml")
        first = timed(lambda case=case: decide(pack, case), 1)  # its program laid out and created in the engine
        ms = timed(lambda case=case: decide(pack, case), 3)
        print(f"Li v. Liu with {n} acts: {ms:.0f} ms per decision (median of 3; the first, "
              f"which creates its program in the engine: {first:.0f} ms)")


if __name__ == "__main__":
    main()
