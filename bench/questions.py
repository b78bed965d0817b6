"""How many questions the interview needs, and how fast it answers (not a test).

For every hypothetical in rules/cn/hypos/index.yaml: questions asked until the decision is
determined, questions asked with --all (the complete case file), their ratio; the mean ratio
(goal: at most 0.6). Then the latency from an answer to the next question (recording the
answer, saving nothing, growing or rebuilding the consultation, planning), and apart from
it the work done once the question is shown, while the user reads it: median and p99
(goal: p99 under 5 ms), with the cost of building one consultation afresh and how each
step's consultation was made. Also checks, after the fact,
that every question asked could change the outcome: with the final answers, some other
answer to it changes the holdings (reported, not asserted: an early question can lose its
influence to a later answer).

    .venv/bin/python bench/questions.py [--no-check] [--fresh]
"""
from __future__ import annotations

import copy
import gc
import statistics
import sys
import time
from pathlib import Path

from assessor.cli.interview import run_script
from assessor.engine import (ITEMS, MULTI, Consultation, Interview, Located, Planner, build_case, decide, load_pack,
                             load_yaml, read_case, set_at, simulated_answer)

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules" / "cn"


def _alternatives(slot) -> list:
    node = slot.node
    if node["type"] == "enum":
        return list(node["values"])
    if node["type"] in ("tri", "bool"):
        return [True, False] + (["unknown"] if node["type"] == "tri" else [])
    if node["type"] in ("count", "amount"):
        return [0, 1, 3, 500, 5000, "unknown"]
    return []


def _influential(pack, data: dict, slot) -> bool:
    base = decide(pack, build_case(Located(data, {}, "<b>"), pack))["holdings"]
    for alt in _alternatives(slot):
        d = copy.deepcopy(data)
        set_at(d, slot.path, alt)
        try:
            if decide(pack, build_case(Located(d, {}, "<b>"), pack))["holdings"] != base:
                return True
        except Exception:
            continue
    return False


class _Counted:
    """Counts the consultations built (the rest of a step is cheap): Consultation's own
    constructor, wrapped, so that every stage's consultations count."""

    made = 0
    _init = Consultation.__init__

    @staticmethod
    def install() -> None:
        def counting_init(self, *a, **kw):
            _Counted.made += 1
            _Counted._init(self, *a, **kw)

        Consultation.__init__ = counting_init  # type: ignore[method-assign]


def main() -> None:
    _Counted.install()
    check = "--no-check" not in sys.argv
    pack = load_pack(PACK)
    # --fresh: every step's consultation built afresh, as before engine/growing.py (to compare)
    stepper = Planner(pack, grow="--fresh" not in sys.argv)
    gc.freeze()  # as `assessor interview` does once the pack is loaded
    index = load_yaml(PACK / "hypos" / "index.yaml").data
    latencies: list[float] = []
    cpu: list[float] = []  # the same steps in CPU time: less sensitive to a loaded machine
    consult: list[float] = []
    idled: list[float] = []  # the work done after each question is shown, apart
    ratios = []
    idle = 0
    built = 0
    by_way: dict[str, int] = {}  # how each step's consultation was made (engine/growing.py)
    print(f"{'hypothetical':40} {'asked':>5} {'--all':>5} {'ratio':>6} {'no-influence':>12}")
    for h in index:
        path = PACK / "hypos" / h["file"]
        case = read_case(path, pack)
        judgment = decide(pack, case)
        expected = judgment["holdings"]
        stamps: list[float] = []
        r = run_script(pack, case.data, None, False, None, on_question=lambda s, stamps=stamps: stamps.append(time.perf_counter()))
        ra = run_script(pack, case.data, None, True, None)
        assert r["holdings"] == expected == ra["holdings"], h["name"]
        iv = r["interview"]
        # the interview stops only once the whole judgment is determined, orders included
        got = decide(pack, build_case(Located(iv.case_data(), {}, "<b>"), pack))
        assert got["remedies"] == judgment["remedies"], h["name"]
        # latency: answer recorded -> next question planned, measured again answer by answer
        planner = Planner(pack)
        data = {"format": case.data["format"]}
        for key in ("jurisdiction", "title", "decided_on"):
            if key in case.data:
                data[key] = case.data[key]
        sim = Interview(pack, data)
        sim.planner = stepper
        while sim.current()[1] == "start":  # the decision date, if the hypothetical has none
            sim.skip()
        while sim.current()[1] == "decision" and sim.current()[0] is not None:
            answer = simulated_answer(sim, case.data)
            t0, p0, made, ways = time.perf_counter(), time.process_time(), _Counted.made, sim.planner.growth
            if answer is None:
                sim.skip()
            else:
                sim.answer(answer)
            sim.current()
            latencies.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - p0)
            i0 = time.perf_counter()
            sim.idle()  # the work done while the user reads the question (engine/growing.py)
            idled.append(time.perf_counter() - i0)
            built += _Counted.made - made   # the step's own, not the one built below to time it
            for way, n in sim.planner.growth.items():
                by_way[way] = by_way.get(way, 0) + n - ways[way]
            c0 = time.perf_counter()
            with Consultation(pack, build_case(Located(sim.data, {}, "<b>"), pack)):
                pass
            consult.append(time.perf_counter() - c0)
        no_influence = []
        if check:
            final = iv.data
            asked = [s for s in planner.slots(final) if s.answered and s.kind not in (ITEMS, MULTI)]
            for s in asked:
                if not _influential(pack, final, s):
                    no_influence.append(s.where)
            idle += len(no_influence)
        ratio = r["asked"] / ra["asked"]
        ratios.append(ratio)
        print(f"{h['name']:40} {r['asked']:5} {ra['asked']:5} {ratio:6.2f} {len(no_influence):12}"
              + (f"  ({', '.join(no_influence[:4])})" if no_influence else ""))
    lat = sorted(latencies)
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
    print()
    print(f"mean ratio (asked to determination / --all): {statistics.mean(ratios):.3f}  (goal <= 0.6)")
    if check:
        print(f"questions asked that no single other answer changes, with the final answers: {idle}")
    print(f"answer -> next question: median {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms over {len(lat)} steps"
          f"  (goal p99 < 5 ms)")
    cp = sorted(cpu)
    print(f"  in CPU time: median {cp[len(cp) // 2] * 1000:.1f} ms, "
          f"p99 {cp[min(len(cp) - 1, int(0.99 * len(cp)))] * 1000:.1f} ms")
    il = sorted(idled)
    print(f"  then, while the question is read: median {il[len(il) // 2] * 1000:.1f} ms, "
          f"p99 {il[min(len(il) - 1, int(0.99 * len(il)))] * 1000:.1f} ms")
    cs = sorted(consult)
    print(f"  of which building one consultation: median {cs[len(cs) // 2] * 1000:.1f} ms")
    print(f"consultations built by the interview's steps: {built} for {len(lat)} answers"
          f" (a step that changes no answer reuses one)")
    print("the steps' consultations: " + ", ".join(f"{n} {way}" for way, n in by_way.items())
          + " (grown from the last one, finished from an unstaged one, built afresh)")


if __name__ == "__main__":
    main()
