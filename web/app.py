"""The ASGI application: routes, middleware, and how a request reaches a view.

Every view is a plain function run in a worker thread: ``view(ctx) -> Response``. The
wrapper reads the form, rejects a POST without the session's CSRF token, finds the signed-in
user (or sends a visitor to /login), and hands the view a :class:`Ctx`. Engine calls go
through :func:`engine_call`, one at a time per process: durable_rules keeps process-wide
state that is not safe to share between threads. To serve more paralegals at once, run more
worker processes (they share nothing but the database).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..cli.i18n import gettext
from ..cli.main import DEFAULT_PACK
from ..engine import RulePack, load_pack
from . import render
from .render import N_
from .security import SecureHeaders, csrf_ok, csrf_token, password_stamp
from .storage import Store, User, connect

STATIC = Path(__file__).resolve().parent / "static"
LANGS = ("zh", "en")

_engine_lock = threading.Lock()


def engine_call(fn: Callable, *args, **kwargs) -> Any:
    with _engine_lock:
        return fn(*args, **kwargs)


@dataclass
class Ctx:
    """What a view needs of one request."""

    request: Request
    store: Store
    pack: RulePack
    user: User | None
    form: Any = None
    params: dict = field(default_factory=dict)

    @property
    def lang(self) -> str:
        if self.user is not None:
            return self.user.lang
        lang = self.request.session.get("lang")
        if lang in LANGS:
            return lang
        # a visitor who has not chosen: the browser's first preference, Chinese unless it is English
        first = self.request.headers.get("accept-language", "").split(",")[0].strip().lower()
        return "en" if first.startswith("en") else "zh"

    @property
    def session(self) -> dict:
        return self.request.session

    def page(self, name: str, status: int = 200, **context) -> Response:
        return render.page(name, status, lang=self.lang, user=self.user, csrf=csrf_token(self.session),
                           next_url=self.request.url.path, **context)

    def t(self, message: str) -> str:
        """A message in the reader's language."""
        return gettext(message, self.lang)

    def field(self, name: str, default: str = "") -> str:
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else default

    def not_found(self) -> Response:
        return self.page("error.html", 404, message=N_("Not found."))


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def current_user(request: Request, store: Store) -> User | None:
    uid = request.session.get("uid")
    if uid is None:
        return None
    user = store.user(user_id=uid)
    if user is None or request.session.get("stamp") != password_stamp(user):
        request.session.pop("uid", None)  # deleted, or the password changed: signed out
        return None
    return user


def view(fn: Callable[[Ctx], Response], public: bool = False):
    async def endpoint(request: Request) -> Response:
        form = None
        if request.method == "POST":
            form = await request.form(max_files=1, max_fields=200)
            sent = form.get("csrf") or request.headers.get("x-csrf-token")
            if not csrf_ok(request.session, sent if isinstance(sent, str) else None):
                store = request.app.state.store
                ctx = Ctx(request, store, request.app.state.pack, None, form)
                return ctx.page("error.html", 403, message=N_("This form has expired or did not come "
                                "from this site. Reload the page and try again."))

        def run() -> Response:
            store = request.app.state.store
            user = current_user(request, store)
            if user is None and not public:
                return redirect("/login")
            return fn(Ctx(request, store, request.app.state.pack, user, form, dict(request.path_params)))

        try:
            return await run_in_threadpool(run)
        finally:
            if form is not None:
                await form.close()

    return endpoint


def create_app(db_url: str | None = None, pack: RulePack | None = None, https: bool | None = None) -> Starlette:
    """The application on the database at `db_url` (default: ASSESSOR_DB or the user's data
    directory). The schema must be up to date (``assessor serve`` migrates before starting)."""
    import os

    from . import cases, interview_pages, accounts  # the views

    store = Store(connect(db_url))
    if https is None:
        https = os.environ.get("ASSESSOR_HTTPS") == "1"
    routes = [Mount("/static", StaticFiles(directory=str(STATIC)), name="static")]
    for module in (accounts, cases, interview_pages):
        for path, fn, methods, public in module.ROUTES:
            routes.append(Route(path, view(fn, public), methods=methods))
    middleware = [
        Middleware(SecureHeaders, https=https),
        Middleware(SessionMiddleware, secret_key=store.secret_key(), session_cookie="assessor_session",
                   max_age=12 * 3600, same_site="lax", https_only=https),
    ]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={404: _not_found, 405: _not_found})
    app.state.store = store
    app.state.pack = pack or load_pack(DEFAULT_PACK)
    return app


async def _not_found(request: Request, exc) -> Response:
    lang = request.session.get("lang") if "session" in request.scope else None
    return render.page("error.html", 404, lang=lang if lang in LANGS else "zh", user=None, csrf="",
                       message=N_("Not found."))


def app_from_environment() -> Starlette:
    """For ``uvicorn --factory assessor.web.app:app_from_environment`` (several workers)."""
    import gc
    app = create_app()
    # the rule pack lives as long as the server: later collections leave it out (a full one
    # walked it in the middle of an interview step, tens of milliseconds)
    gc.freeze()
    return app
