"""Fixtures for the web tests: an app on a fresh database, accounts, signed-in clients."""
from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from assessor.web.app import create_app
from assessor.web.migrate import upgrade
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from assessor.web.storage import Store, connect

PASSWORD = "correct horse battery"


def password_hash() -> str:
    """An argon2id hash of the test password with the cheapest parameters: the app verifies
    with the parameters stored in the hash, so signing in costs microseconds instead of the
    quarter second a real account's hash costs (on purpose)."""
    return PasswordHasher.from_parameters(CHEAPEST).hash(PASSWORD)


def make_app(url: str, pack):
    engine = connect(url)
    upgrade(engine)
    store = Store(engine)
    store.add_user("alice", password_hash(), "paralegal", "zh")
    store.add_user("bob", password_hash(), "paralegal", "en")
    store.add_user("rita", password_hash(), "reviewer", "en")
    return create_app(url, pack=pack)


@pytest.fixture(scope="session")
def postgres_server():
    from . import postgres
    try:
        url, server = postgres.server_url()
    except postgres.Unavailable as e:
        print(f"PostgreSQL tests skipped: {e}")
        pytest.skip(f"PostgreSQL tests skipped: {e}")
    yield url
    if server is not None:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def db_url(request, tmp_path):
    """Every test that uses the app runs on SQLite, and (slow) on a real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'assessor.db'}"
        return
    from . import postgres
    server = request.getfixturevalue("postgres_server")
    url = postgres.new_database(server)
    yield url
    postgres.drop_database(server, url)  # a test leaves no database behind on the server


@pytest.fixture
def app(db_url, pack):
    return make_app(db_url, pack)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


class Browser:
    """A test client that signs in and sends forms with the page's CSRF token, as a browser would."""

    def __init__(self, app):
        self.client = TestClient(app, base_url="https://testserver", follow_redirects=True)
        self.store = app.state.store
        self.csrf = None

    def get(self, url, **kw):
        r = self.client.get(url, **kw)
        if "text/html" in r.headers.get("content-type", "") and 'name="csrf"' in r.text:
            self.csrf = csrf_of(r.text)
        return r

    def post(self, url, data=None, files=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf", self.csrf)
        r = self.client.post(url, data=data, files=files, **kw)
        if "text/html" in r.headers.get("content-type", "") and 'name="csrf"' in r.text:
            self.csrf = csrf_of(r.text)
        return r

    def sign_in(self, username, password=PASSWORD):
        self.get("/login")
        return self.post("/login", {"username": username, "password": password})


@pytest.fixture
def browser(app):
    def make(username=None):
        b = Browser(app)
        if username:
            r = b.sign_in(username)
            assert r.status_code == 200 and r.url.path == "/cases", r.text
        return b
    return make
