"""Casework benchmark: batch throughput, scaling with --jobs, memory over many files,
opinions per second, the time of a flips search on the seed case, and of saying whether
each answer given on it could be changed to one that changes a holding (explain --why).

    .venv/bin/python bench/casework.py [--files 1000] [--memory-files 10000] [--rounds 10]

Case files are generated into a temporary folder (variants of the hypotheticals, see
tests/casegen.py) and deleted afterwards. Per-core figures divide by the CPU time the
deciding processes used, so that other work on the machine does not count against them;
wall-clock figures are printed beside them. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessor.engine import (BatchJob, answer_fields, answer_flips, case_files, cores, find_flips, load_pack,  # noqa: E402
                             load_yaml, run_batch)
from tests.casegen import generate_cases  # noqa: E402

PACK = ROOT / "rules" / "cn"


def _cpu(children: bool = False) -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def timed(files, job, jobs, opinions=None) -> tuple[int, float, float]:
    """Decide `files`; return (failures, wall seconds, CPU seconds of the deciding processes)."""
    wall, cpu, cpu_children = time.perf_counter(), _cpu(), _cpu(True)
    failed = sum(1 for r in run_batch(files, job, jobs, opinions) if r["error"])
    wall = time.perf_counter() - wall
    cpu = (_cpu() - cpu) if jobs == 1 else (_cpu(True) - cpu_children)
    return failed, wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000, help="generated case files for the scaling runs")
    ap.add_argument("--memory-files", type=int, default=10000, help="case files decided while watching memory")
    ap.add_argument("--rounds", type=int, default=10, help="rounds over the hypotheticals")
    args = ap.parse_args()
    pack = load_pack(PACK)
    hypos, _ = case_files([PACK / "hypos"], pack.case_format["format"])
    jsonl = BatchJob(str(PACK), "jsonl", None)
    print(f"cores: {cores()}")

    # 1. batch throughput with JSON output on the hypotheticals, one process
    timed(hypos, jsonl, 1)  # warm-up: load, compile, first consultations
    failed, wall, cpu = timed(hypos * args.rounds, jsonl, 1)
    n = len(hypos) * args.rounds
    print(f"batch jsonl, hypotheticals x{args.rounds}: {n} decisions, {failed} failed; "
          f"{n / cpu:.0f} decisions per CPU-second (per core), {n / wall:.0f}/s wall")

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        gen = generate_cases(pack, Path(tmp) / "gen", args.files)
        print(f"generated {len(gen)} case files in {time.perf_counter() - t:.1f} s")

        # 2. scaling with --jobs (wall clock includes starting the workers and loading the pack)
        base = None
        for jobs in sorted({1, 2, cores()}):
            failed, wall, cpu = timed(gen, jsonl, jobs)
            base = base or wall
            print(f"--jobs {jobs}: {len(gen)} files in {wall:.1f} s = {len(gen) / wall:.0f}/s wall "
                  f"(speed-up {base / wall:.2f}), {len(gen) / cpu:.0f} per CPU-second, {failed} failed")

        # 3. opinions per second (Markdown, zh), one process
        sample = gen[: max(50, len(gen) // 5)]
        ops = Path(tmp) / "opinions"
        ops.mkdir()
        failed, wall, cpu = timed(sample, BatchJob(str(PACK), "jsonl", "zh", "md"), 1, ops)
        print(f"opinions (md, zh) with decisions: {len(sample)} in {wall:.1f} s = {len(sample) / cpu:.0f} "
              f"per CPU-second, {len(sample) / wall:.0f}/s wall, {failed} failed")

        # 4. memory over many files, one process: resident size every tenth of the run
        many = [gen[i % len(gen)] for i in range(args.memory_files)]
        marks = []
        t = time.perf_counter()
        for i, _r in enumerate(run_batch(many, jsonl, 1), 1):
            if i % max(1, len(many) // 10) == 0:
                marks.append(f"{i}: {_rss_mib():.0f}")
        print(f"memory over {len(many)} files (decided in {time.perf_counter() - t:.0f} s), RSS MiB after: "
              + ", ".join(marks))

    # 5. flips on the seed case
    seed = load_yaml(PACK / "hypos" / "cat-pendant.yaml")
    for kw in ({"max_changes": 2}, {"max_changes": 4, "unknown": True}):
        t, c = time.perf_counter(), _cpu()
        s = find_flips(pack, seed, **kw)
        print(f"flips on the seed case {kw}: {len(s.flips)} flips, {s.evaluated} variants decided"
              f"{' (stopped at the budget)' if s.stopped_early else ''}, {time.perf_counter() - t:.2f} s wall, "
              f"{_cpu() - c:.2f} s CPU")

    # 6. explain --why on each answer given in the seed case: every other answer the rules tell
    # apart decided (flips.answer_flips)
    why_answered(pack, seed)


def why_answered(pack, doc) -> None:
    cpu, variants, matter = [], 0, 0
    for f in answer_fields(pack, doc.data, False):
        c = _cpu()
        s = answer_flips(pack, doc, f.path)
        cpu.append((_cpu() - c) * 1000)
        variants += s.evaluated
        matter += bool(s.flips)
    print(f"why an answer given matters, seed case: {len(cpu)} answers ({matter} could change a holding), "
          f"{variants} variants decided; CPU ms per answer: median {sorted(cpu)[len(cpu) // 2]:.0f}, "
          f"max {max(cpu):.0f}")


if __name__ == "__main__":
    main()
