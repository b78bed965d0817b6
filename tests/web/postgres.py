"""A real PostgreSQL server for the storage tests: ASSESSOR_TEST_PG (a URL of a server, e.g.
the one .ci/run starts), or a private server started in a temporary directory from Debian's
postgresql package. Each test gets a database of its own."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid

import psycopg


class Unavailable(Exception):
    pass


def _as_postgres(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: run it as the package's postgres user
    return ["runuser", "-u", "postgres", "--"] + cmd if os.geteuid() == 0 else cmd


class PrivateServer:
    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise Unavailable("no PostgreSQL server installed (apt-get install postgresql)")
        self.bin = os.path.dirname(bins[-1])
        self.dir = tempfile.mkdtemp(prefix="assessor-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = os.path.join(self.dir, "data")
        run = lambda cmd: subprocess.run(_as_postgres(cmd), capture_output=True, text=True)  # noqa: E731
        r = run([f"{self.bin}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"])
        if r.returncode:
            raise Unavailable(f"initdb failed: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
        self.proc = subprocess.Popen(_as_postgres([f"{self.bin}/postgres", "-D", data, "-k", self.dir,
                                                   "-c", "listen_addresses=", "-c", "fsync=on"]),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.url = f"postgresql+psycopg://postgres@/postgres?host={self.dir}"
        deadline = time.time() + 30
        while True:
            try:
                psycopg.connect(host=self.dir, user="postgres", dbname="postgres").close()
                break
            except psycopg.OperationalError:
                if self.proc.poll() is not None or time.time() > deadline:
                    self.stop()
                    raise Unavailable("the PostgreSQL server did not start") from None
                time.sleep(0.2)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)
        shutil.rmtree(self.dir, ignore_errors=True)


def server_url() -> tuple[str, PrivateServer | None]:
    url = os.environ.get("ASSESSOR_TEST_PG")
    if url:
        return url, None
    server = PrivateServer()
    return server.url, server


def new_database(server_url: str) -> str:
    """A fresh database on the server; its URL."""
    name = "assessor_test_" + uuid.uuid4().hex[:10]
    conninfo = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, query = server_url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")


def drop_database(server_url: str, db_url: str) -> None:
    """Drop a database new_database made (closing any connection the app left open)."""
    name = db_url.partition("?")[0].rsplit("/", 1)[1]
    conninfo = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
