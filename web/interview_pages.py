"""The interview in the browser: one question per screen, why, don't know, back, review.

All the interview's logic is the engine's (engine/interview.py, which the terminal drives
too); these views only turn its plain data into pages and form fields into answers. Each
answer is committed to the database before the next question is shown. A form carries the
case's version: if the case changed since the page was shown (another tab, another
worker), nothing is saved and the user sees a conflict message with the current question.
"""
from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.responses import Response

from ..engine import AnswerError
from . import casestate
from .app import Ctx, engine_call, redirect
from .cases import load_case, title_of
from .render import N_

CONFLICT = N_("This case was changed in another tab or by another user. Nothing was saved from this "
            "form; here is the case as it is now.")


def _typed(ctx: Ctx) -> list[str]:
    """What the form sent as the answer: one text or choice number, or several numbers."""
    return [v for v in ctx.form.getlist("answer") if isinstance(v, str)]


def _as_typed(typed: list[str]) -> str:
    """The answer as the core reads a typed one: a choice's number, numbers joined by commas
    (a multi-select), or the text typed."""
    return ",".join(typed)


def _screen(ctx: Ctx, row, iv, status: int = 200, error: str | None = None, notice: str | None = None,
            typed: list[str] = ()) -> Response:
    lang = ctx.lang
    q = iv.question(lang)
    if q is None:
        return ctx.page("done.html", status, row=row, holdings=iv.holdings(), notice=notice,
                        waiting=iv.waiting_for())
    page = ctx.page("question.html", status, row=row, q=q, why=iv.why(lang), error=error, notice=notice,
                    typed=typed[0] if typed else "", chosen=set(typed), can_back=bool(iv.state()["log"]))
    # once the page is sent, the engine prepares for its answer while the user reads it
    page.background = BackgroundTask(engine_call, iv.idle)
    return page


def question_page(ctx: Ctx) -> Response:
    row = load_case(ctx)
    if row is None:
        return ctx.not_found()
    if row.owner_id != ctx.user.id:  # a reviewer reads the decision, never answers
        return redirect(f"/cases/{row.id}/decision")
    return engine_call(lambda: _screen(ctx, row, casestate.interview(ctx.pack, row.doc)))


def _commit(ctx: Ctx, row, changed, done: str, conflict) -> Response:
    """Save what a step changed (a new case document), outside the engine lock so that one
    request's database round trip never holds up another's engine work; a step that refused
    the change returned its page instead. On a conflict, `conflict(fresh row)` is the page."""
    if isinstance(changed, Response):
        return changed
    if ctx.store.save_case(row.id, row.version, changed, title_of(changed["data"])) is None:
        fresh = ctx.store.case(row.id)
        return engine_call(conflict, fresh)
    return redirect(done)


def _stale(ctx: Ctx, row) -> bool:
    return ctx.field("version") != str(row.version)


def answer(ctx: Ctx) -> Response:
    """One step: answer, don't know (skip) or back. The version the page was made from
    identifies the question: if the case is still at that version, the question shown is the
    current one (the interview is a function of the stored answers)."""
    row = load_case(ctx, write=True)
    if row is None:
        return ctx.not_found()

    def conflict(fresh) -> Response:
        return _screen(ctx, fresh, casestate.interview(ctx.pack, fresh.doc), 409, error=CONFLICT)

    if _stale(ctx, row):
        return engine_call(conflict, row)

    def step() -> Response | dict:
        iv = casestate.interview(ctx.pack, row.doc)
        action, field, typed = ctx.field("action", "answer"), ctx.field("field"), _typed(ctx)
        try:
            if action == "back":
                if not iv.back():
                    return _screen(ctx, row, iv, 422, error=N_("Nothing to go back to."))
            else:
                iv.change(field, _as_typed(typed), ctx.lang, skip=action == "skip")
        except AnswerError as e:
            return _screen(ctx, row, iv, 422, error=e.text(ctx.lang), typed=typed)
        return casestate.doc_of(iv)

    return _commit(ctx, row, engine_call(step), f"/cases/{row.id}", conflict)


# -- review -------------------------------------------------------------------------------------

def review_page(ctx: Ctx) -> Response:
    row = load_case(ctx, write=True)
    if row is None:
        return ctx.not_found()
    return engine_call(lambda: _review(ctx, row))


def _review(ctx: Ctx, row, status: int = 200, error: str | None = None, notice: str | None = None,
            editing: str | None = None, typed: list[str] = ()) -> Response:
    iv = casestate.interview(ctx.pack, row.doc)
    entries = iv.review(ctx.lang)
    edit = iv.question_of(editing, ctx.lang) if editing else None
    return ctx.page("review.html", status, row=row, entries=entries, error=error, notice=notice,
                    edit=edit, typed=typed[0] if typed else "", chosen=set(typed), holdings=iv.holdings())


def review_edit(ctx: Ctx) -> Response:
    row = load_case(ctx, write=True)
    if row is None:
        return ctx.not_found()
    field = ctx.request.query_params.get("field", "")
    return engine_call(lambda: _review_or_404(ctx, row, field))


def _review_or_404(ctx: Ctx, row, field: str) -> Response:
    try:
        return _review(ctx, row, editing=field)
    except AnswerError:
        return ctx.not_found()


def review_change(ctx: Ctx) -> Response:
    """Change one answer (or mark it don't know, or remove a list item); everything is
    recomputed from the answers."""
    row = load_case(ctx, write=True)
    if row is None:
        return ctx.not_found()

    def conflict(fresh) -> Response:
        return _review(ctx, fresh, 409, error=CONFLICT)

    if _stale(ctx, row):
        return engine_call(conflict, row)

    def step() -> Response | dict:
        iv = casestate.interview(ctx.pack, row.doc)
        field, action, typed = ctx.field("field"), ctx.field("action", "change"), _typed(ctx)
        try:
            if action == "remove":
                iv.remove_item(field)
            else:
                iv.change(field, _as_typed(typed), ctx.lang, skip=action == "skip")
        except AnswerError as e:
            try:
                return _review(ctx, row, 422, error=e.text(ctx.lang), editing=field, typed=typed)
            except AnswerError:
                return _review(ctx, row, 422, error=e.text(ctx.lang))
        return casestate.doc_of(iv)

    return _commit(ctx, row, engine_call(step), f"/cases/{row.id}/review", conflict)


ROUTES = [
    ("/cases/{case_id}", question_page, ["GET"], False),
    ("/cases/{case_id}/answer", answer, ["POST"], False),
    ("/cases/{case_id}/review", review_page, ["GET"], False),
    ("/cases/{case_id}/review/edit", review_edit, ["GET"], False),
    ("/cases/{case_id}/review", review_change, ["POST"], False),
]
