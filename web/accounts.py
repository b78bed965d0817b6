"""Signing in and out, and the interface language."""
from __future__ import annotations

from starlette.responses import Response

from .app import LANGS, Ctx, redirect
from .passwords import verify
from .render import N_
from .security import (csrf_token, password_stamp, sign_in_blocked, sign_in_failed,
                       sign_in_succeeded)


def home(ctx: Ctx) -> Response:
    if ctx.user is None:
        return login_page(ctx)
    return redirect("/cases")


def login_page(ctx: Ctx, error: str | None = None, status: int = 200) -> Response:
    return ctx.page("login.html", status, error=error, username=ctx.field("username"))


def login(ctx: Ctx) -> Response:
    username = ctx.field("username").strip()
    password = ctx.field("password")
    address = ctx.request.client.host if ctx.request.client else "-"
    if sign_in_blocked(ctx.store, username, address):
        return login_page(ctx, N_("Too many failed sign-in attempts. Wait 15 minutes and try again."), 429)
    user = ctx.store.user(username=username) if username else None
    if not verify(user.password_hash if user else None, password):
        sign_in_failed(ctx.store, username, address)
        return login_page(ctx, N_("Wrong user name or password."), 401)
    sign_in_succeeded(ctx.store, username, address)
    ctx.session.clear()  # a new session on sign-in: nothing carried over from before
    ctx.session.update(uid=user.id, stamp=password_stamp(user))
    csrf_token(ctx.session)
    return redirect("/cases")


def logout(ctx: Ctx) -> Response:
    ctx.session.clear()
    return redirect("/login")


def set_lang(ctx: Ctx) -> Response:
    lang = ctx.field("lang")
    if lang in LANGS:
        if ctx.user is not None:
            ctx.store.set_user(ctx.user.id, lang=lang)
        else:
            ctx.session["lang"] = lang
    back = ctx.field("next", "/")
    # only a path on this site (never an open redirect)
    return redirect(back if back.startswith("/") and not back.startswith("//") else "/")


ROUTES = [
    ("/", home, ["GET"], True),
    ("/login", login_page, ["GET"], True),
    ("/login", login, ["POST"], True),
    ("/logout", logout, ["POST"], True),
    ("/lang", set_lang, ["POST"], True),
]
