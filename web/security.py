"""Sessions, CSRF, secure headers and the sign-in rate limit.

- The session is a cookie signed with the database's secret key (Starlette's
  SessionMiddleware): it holds the user's id, a stamp of their password hash (changing the
  password signs every session out) and the CSRF token. HttpOnly, SameSite=Lax, and Secure
  when ``ASSESSOR_HTTPS=1`` (behind a TLS proxy).
- CSRF: every form carries the session's token; every POST without it is rejected (403).
- Headers: a Content-Security-Policy allowing only this site's own scripts and styles, no
  framing by other sites, no sniffing, no referrer, no caching of pages (they hold case data).
- Sign-in: after 5 failures for one user name, or 30 from one address, within 15 minutes,
  further attempts are refused until the window passes. Failures are kept in the database,
  so the limit holds across workers and hosts.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from starlette.datastructures import MutableHeaders

from .storage import Store, User

USER_LIMIT, ADDRESS_LIMIT, WINDOW = 5, 30, timedelta(minutes=15)

HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class SecureHeaders:
    """ASGI middleware adding HEADERS to every response, and no-store to every page."""

    def __init__(self, app, https: bool = False):
        self.app, self.https = app, https

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in HEADERS.items():
                    headers.setdefault(k, v)
                if self.https:
                    headers.setdefault("strict-transport-security", "max-age=31536000")
                if not static:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def password_stamp(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def csrf_token(session: dict) -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(session: dict, sent: str | None) -> bool:
    token = session.get("csrf")
    return bool(token and sent and secrets.compare_digest(token, sent))


def _keys(username: str, address: str) -> tuple[str, str]:
    return "user:" + username.strip().lower()[:100], "addr:" + address[:100]


def sign_in_blocked(store: Store, username: str, address: str) -> bool:
    user_key, addr_key = _keys(username, address)
    return (store.failures(user_key, WINDOW) >= USER_LIMIT
            or store.failures(addr_key, WINDOW) >= ADDRESS_LIMIT)


def sign_in_failed(store: Store, username: str, address: str) -> None:
    store.fail(*_keys(username, address))


def sign_in_succeeded(store: Store, username: str, address: str) -> None:
    store.forget_failures(_keys(username, address)[0])
