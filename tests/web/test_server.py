"""The real server (`assessor serve` on uvicorn), killed mid-interview, loses no committed
answer; `assessor users` manages the accounts."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from assessor.cli.main import app as cli

from .conftest import PASSWORD

ASSESSOR = Path(sys.executable).parent / "assessor"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(db: str, port: int, log: Path | None = None) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL
    proc = subprocess.Popen([str(ASSESSOR), "serve", "--port", str(port), "--db", db],
                            stdout=out, stderr=out if log else subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else f"see {log}") from None
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


def form(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


@pytest.mark.slow
def test_a_killed_server_loses_no_committed_answer(db_url, tmp_path):
    db = db_url  # SQLite, and a real PostgreSQL server
    r = CliRunner().invoke(cli, ["users", "add", "alice", "--db", db], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    port = free_port()
    log = tmp_path / "server.log"
    proc = serve(db, port, log)
    base = f"http://127.0.0.1:{port}"
    try:
        c = httpx.Client(base_url=base, follow_redirects=True)
        page = c.get("/login").text
        r = c.post("/login", data={"csrf": form(page, "csrf"), "username": "alice", "password": PASSWORD})
        r = c.post("/cases", data={"csrf": form(r.text, "csrf")})
        case_url = str(r.url.path)
        answers = ["2024-05-31", "1", "1"]  # the decision date, then the first choice twice
        fields = []
        for a in answers:
            fields.append(form(r.text, "field"))
            r = c.post(f"{case_url}/answer", data={"csrf": form(r.text, "csrf"), "version": form(r.text, "version"),
                                                   "field": fields[-1], "action": "answer", "answer": a})
            assert r.status_code == 200
        next_field = form(r.text, "field")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # no shutdown, no flushing: as a crash
        proc.wait()
    proc = serve(db, port)
    try:
        c2 = httpx.Client(base_url=base, follow_redirects=True)
        page = c2.get("/login").text
        c2.post("/login", data={"csrf": form(page, "csrf"), "username": "alice", "password": PASSWORD})
        exported = c2.get(f"{case_url}/case.yaml").text
        assert "2024-05-31" in exported
        assert form(c2.get(case_url).text, "field") == next_field  # resumes where it stopped
        review = c2.get(f"{case_url}/review").text
        for f in fields:
            assert f in review
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    # the access log has the requests, never the case's data
    text = log.read_text(encoding="utf-8", errors="replace")
    assert f"POST {case_url}/answer" in text
    assert "2024-05-31" not in text and PASSWORD not in text


def test_users_add_list_passwd(tmp_path):
    db = f"sqlite:///{tmp_path / 'u.db'}"
    run = CliRunner().invoke
    assert run(cli, ["users", "add", "alice", "--db", db], input=PASSWORD + "\n").exit_code == 0
    assert run(cli, ["users", "add", "rita", "--role", "reviewer", "--lang", "en", "--db", db],
               input=PASSWORD + "\n").exit_code == 0
    r = run(cli, ["users", "list", "--db", db])
    assert r.output.splitlines() == ["alice\tparalegal\tzh", "rita\treviewer\ten"]
    r = run(cli, ["users", "add", "alice", "--db", db], input=PASSWORD + "\n")
    assert r.exit_code == 1 and "exists already" in r.output
    r = run(cli, ["users", "add", "x", "--role", "judge", "--db", db], input=PASSWORD + "\n")
    assert r.exit_code == 1 and "expected one of paralegal, reviewer" in r.output
    r = run(cli, ["users", "passwd", "alice", "--db", db], input="short\n")
    assert r.exit_code == 1 and "at least 8" in r.output
    assert run(cli, ["users", "passwd", "alice", "--db", db], input="a new password\n").exit_code == 0
    r = run(cli, ["users", "list", "--db", "nosuch://x"])
    assert r.exit_code == 1 and r.output.startswith("error: ") and "Traceback" not in r.output


@pytest.mark.slow
def test_users_add_asks_the_password_twice_at_a_terminal(tmp_path):
    import pexpect
    db = f"sqlite:///{tmp_path / 't.db'}"
    child = pexpect.spawn(str(ASSESSOR), ["users", "add", "carol", "--db", db], encoding="utf-8", timeout=60)
    child.expect("Password: ")
    child.sendline(PASSWORD)
    child.expect("Repeat for confirmation: ")
    child.sendline("something else")
    child.expect("Error: The two entered values do not match.")
    child.expect("Password: ")
    child.sendline(PASSWORD)
    child.expect("Repeat for confirmation: ")
    child.sendline(PASSWORD)
    child.expect("added paralegal carol")
    child.expect(pexpect.EOF)
    assert PASSWORD not in child.before  # never echoed
    child.close()
    assert child.exitstatus == 0
