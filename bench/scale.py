"""Big cases: what a case with many acts costs (figures printed, never asserted).

    .venv/bin/python bench/scale.py [--acts 100,1000] [--runs 5]

For Li v. Liu with its act repeated N times (tests/replica.py), each figure the median of
several runs, in CPU time of this process (what a loaded, shared machine disturbs least) and
in wall time:

- reading the case file (N acts, a 1,000-act file has over 1,000 items): YAML, positions,
  validation, entities and facts;
- deciding it: the consultation and the full decision record;
- the interview's first question on the file: the planner's first plan, nothing kept from
  an earlier one (a case this big is consulted whole, which fills the cache of each act's
  conclusions: engine/units.py);
- the interview's next question once the file is read: an answer recorded (the last act's
  "ongoing" changed), then the planner's next question for the new answers (the other acts'
  conclusions and relevance walks kept from the plan before); between two answers, untimed,
  the work the interview does while the user reads the question (Interview.idle).

Each size is measured twice: every act of 2023 (one period of the law), then every other act
moved to 2020 ("2p": the acts on both sides of 2021-06-01, each judged under the law of its time,
both periods' rules about acts in one program, pack.yaml law_dates per_item). "rulesets" is the
number of durable_rules rulesets of the case's program (engine/compiler.py: with 32 acts or
more, the rules about acts in rulesets of their own, one set per period).

Targets (issue #14, per core): reading a 1,000-item file under 100 ms, deciding 1,000 acts
under 1 s, the next question with 1,000 acts under 100 ms. The load average is printed
before and after: compare figures taken together.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/replica.py

from assessor.engine import Interview, decide, load_pack, read_case  # noqa: E402
from assessor.engine.compiler import compile_for, items_in  # noqa: E402
from assessor.engine.walks import Walks  # noqa: E402
from assessor.engine.units import Units  # noqa: E402
from tests.replica import many_acts, two_periods  # noqa: E402

PACK = ROOT / "rules" / "cn"
LI = PACK / "hypos" / "li-v-liu.yaml"


def measured(fn, runs: int, between=None) -> tuple[float, float]:
    """Median CPU and wall time of `fn()`, in ms; `between()`, untimed, after each run."""
    cpu, wall = [], []
    for _ in range(runs):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
        if between is not None:
            between()
    return statistics.median(cpu), statistics.median(wall)


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--acts", default="100,1000", help="comma-separated numbers of acts")
    ap.add_argument("--runs", type=int, default=5, help="runs of each figure (the median is printed)")
    args = ap.parse_args()
    pack = load_pack(PACK)
    text = LI.read_text(encoding="utf-8")
    decide(pack, read_case(LI, pack))  # warm-up: the pack compiled and created in the engine
    print(load())
    print(f"{'acts':>6} {'items':>6} {'rulesets':>8}  {'read (cpu/wall ms)':>20}  {'decide':>14}  "
          f"{'first question':>14}  {'next question':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for n, periods in ((int(x), p) for x in args.acts.split(",") for p in (1, 2)):
            path = Path(tmp) / f"{n}-acts-{periods}.yaml"
            path.write_text(many_acts(text, n) if periods == 1 else two_periods(many_acts(text, n)), encoding="utf-8")
            case = read_case(path, pack)
            items = sum(len(v) for v in case.data.values() if isinstance(v, list))
            read = measured(lambda path=path: read_case(path, pack), args.runs)
            dec = measured(lambda case=case: decide(pack, case), args.runs)
            iv = Interview(pack, case.data)
            first = measured(lambda iv=iv: _first_question(iv), args.runs)
            # the question shown, the interview's idle work runs while the user reads it
            nxt = measured(lambda iv=iv, n=n: _next_question(iv, n), args.runs, between=iv.idle)
            rulesets = len(compile_for(pack, case.law, items_in(pack, case.entities)).parts)
            print(f"{n:4}{' 2p' if periods == 2 else '   '} {items:6} {rulesets:8}  {read[0]:9.0f} /{read[1]:7.0f}  "
                  f"{dec[0]:6.0f} /{dec[1]:6.0f}  "
                  f"{first[0]:6.0f} /{first[1]:6.0f}  {nxt[0]:6.0f} /{nxt[1]:6.0f}")
    print(load())


def _first_question(iv: Interview) -> None:
    """The first plan of a big case: the planner keeps nothing from an earlier plan."""
    iv.planner._recent.clear()
    iv.planner._units = Units(iv.pack)
    iv.planner._walks = Walks()
    iv._plan = None
    iv.current()


def _next_question(iv: Interview, n: int) -> None:
    """One interview step on a big case: the last act's answer "stopped" changes, and the
    next question is planned (from a new consultation: the planner's memory of recent
    answers is emptied, as an answer not given before would find it)."""
    where = f"acts[{n - 1}].stopped"
    iv.change(where, {"true": "false", "false": "unknown"}.get(str(iv.data["acts"][n - 1].get("stopped")), "true"))
    iv.planner._recent.clear()
    iv.current()


if __name__ == "__main__":
    main()
