"""Web load test: N simulated paralegals complete interviews at the same time, over HTTP on
loopback, against `assessor serve` (uvicorn) with W worker processes.

    .venv/bin/python bench/web_load.py [--users 8] [--workers 2] [--rounds 1] [--db URL]

Each paralegal signs in, opens a new case and answers every question of a case file
(the seed case or Li v. Liu, alternately) through the forms, as the browser sends them; the
time of one answer is from sending the form to having the next question's page (the POST,
the commit, the redirect and the GET). At the end every case is read back from the database:
an answer is lost if a field answered is missing or different, or the case's version is not
one more per answer. Figures are printed, never asserted. Bounded: loopback only, one
interview per paralegal and round.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from assessor.engine import Interview, load_pack, load_yaml, simulated_answer
from assessor.web import casestate
from assessor.web.migrate import upgrade
from assessor.web.passwords import hash_password
from assessor.web.storage import Store, connect

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "rules" / "cn"
CASES = ("cat-pendant", "li-v-liu")
PASSWORD = "load test password"


def script(pack, name: str) -> tuple[list[tuple[str, dict]], dict]:
    """The forms a paralegal holding the case file sends, in order, and the case data they
    leave: the interview is deterministic, so every paralegal replays the same script."""
    source = load_yaml(PACK / "hypos" / f"{name}.yaml").data
    iv = Interview(pack)
    steps = []
    while (q := iv.question("en")) is not None:
        value = simulated_answer(iv, source)
        if value is None:
            steps.append((q["field"], {"action": "skip"}))
            iv.skip("en")
            continue
        shown = True if isinstance(value, dict) else value
        if q["choices"]:
            numbers = {repr(c["value"]): str(c["number"]) for c in q["choices"]}
            wanted = shown if q["multiple"] else [shown]
            answer = [numbers[repr(v)] for v in wanted] or ["0"]
        else:
            answer = [str(shown)]
        steps.append((q["field"], {"action": "answer", "answer": answer}))
        iv.answer(value, "en")
    return steps, iv.case_data()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def field(html: str, name: str) -> str | None:
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    return m.group(1) if m else None


def paralegal(base: str, username: str, scripts: dict, rounds: int, times: list, cases: list, errors: list):
    """One paralegal's interviews; each case is recorded with the answers the server acknowledged."""
    with httpx.Client(base_url=base, follow_redirects=True, timeout=60) as c:
        try:
            page = c.get("/login").text
            page = c.post("/login", data={"csrf": field(page, "csrf"), "username": username,
                                          "password": PASSWORD}).text
        except httpx.HTTPError as e:
            errors.append(f"{username}: {e}")
            return
        for n in range(rounds):
            name = CASES[(int(username.rsplit("-", 1)[1]) + n) % len(CASES)]
            acked = 0
            case_id = None
            try:
                r = c.post("/cases", data={"csrf": field(page, "csrf")})
                case_id = r.url.path.rsplit("/", 1)[-1]
                page = r.text
                for want, form in scripts[name][0]:
                    got = field(page, "field")
                    if got != want:
                        raise RuntimeError(f"expected question {want}, got {got}")
                    data = {"csrf": field(page, "csrf"), "version": field(page, "version"), "field": got,
                            "action": form["action"]}
                    if "answer" in form:
                        data["answer"] = form["answer"]
                    t = time.perf_counter()
                    r = c.post(f"/cases/{case_id}/answer", data=data)
                    times.append(time.perf_counter() - t)
                    if r.status_code != 200:
                        raise RuntimeError(f"HTTP {r.status_code} on {want}")
                    acked += 1
                    page = r.text
            except Exception as e:  # reported; the answers acknowledged before it are still checked
                errors.append(f"{username}: {e}")
            if case_id:
                cases.append((case_id, name, acked))


def serve(db: str, port: int, workers: int) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "assessor"
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--db", db, "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=8, help="simulated paralegals at the same time")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--rounds", type=int, default=1, help="interviews per paralegal")
    ap.add_argument("--db", help="database URL (default: a new SQLite file)")
    args = ap.parse_args()

    pack = load_pack(PACK)
    scripts = {name: script(pack, name) for name in CASES}
    tmp = tempfile.mkdtemp(prefix="assessor-load-")
    db = args.db or f"sqlite:///{tmp}/load.db"
    engine = connect(db)
    upgrade(engine)
    store = Store(engine)
    hashed = hash_password(PASSWORD)
    run_id = os.urandom(3).hex()
    users = [f"load{run_id}-{i}" for i in range(args.users)]
    for u in users:
        store.add_user(u, hashed, "paralegal", "zh")

    port = free_port()
    proc = serve(db, port, args.workers)
    times: list[float] = []
    cases: list[tuple[str, str, int]] = []
    errors: list[str] = []
    try:
        t0 = time.perf_counter()
        threads = [threading.Thread(target=paralegal, args=(f"http://127.0.0.1:{port}", u, scripts, args.rounds,
                                                              times, cases, errors)) for u in users]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()

    # every answer acknowledged must be in the database: one version per answer, and a
    # completed interview leaves exactly the case data of the script
    lost = 0
    for case_id, name, acked in cases:
        row = store.case(case_id)
        complete = acked == len(scripts[name][0])
        if row is None:
            lost += acked
        elif row.version != acked + 1 or (complete and casestate.data(row.doc) != scripts[name][1]):
            lost += max(1, acked + 1 - row.version)
    completed = sum(1 for _c, name, acked in cases if acked == len(scripts[name][0]))
    expected = args.users * args.rounds
    ms = sorted(t * 1000 for t in times)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) >= 2 else ms * 99
    print(f"web load: {args.users} paralegals x {args.rounds} interview(s), {args.workers} worker(s), "
          f"{engine.dialect.name}")
    print(f"answers: {len(ms)} in {wall:.1f} s ({len(ms) / wall:.1f} answers/s)")
    print(f"per answer (form sent -> next question shown): p50 {q[49]:.1f} ms   p99 {q[98]:.1f} ms   "
          f"max {ms[-1]:.1f} ms")
    print(f"interviews completed: {completed} of {expected}   answers lost: {lost}")
    for e in errors[:5]:
        print(f"error: {e}")


if __name__ == "__main__":
    main()
