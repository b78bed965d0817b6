"""The interview in the browser: one question per screen, why, don't know, back, review.

All the interview's logic is the engine's (engine/interview.py, which the terminal drives
too); these views only turn its plain data into pages and form fields into answers. Each
answer is committed to the database before the next question is shown. A form carries the
case's version: if the case changed since the page was shown (another tab, another
worker), nothing is saved and the user sees a conflict message with the current question.
"""
from __future__ import annotations

from starlette.responses import Response

from ..engine.answers import AnswerError
from ..engine.errors import AssessorError
from . import casestate
from .app import Ctx, engine_call, redirect
from .cases import load_case, title_of
from .render import N_

CONFLICT = N_("This case was changed in another tab or by another user. Nothing was saved from this "
            "form; here is the case as it is now.")


def _form_answer(ctx: Ctx, q: dict) -> str:
    """The answer as the core reads a typed one: a choice's number, numbers joined by commas
    (a multi-select), or the text typed."""
    if q["multiple"]:
        return ",".join(v for v in ctx.form.getlist("answer") if isinstance(v, str))
    return ctx.field("answer")


def _screen(ctx: Ctx, row, iv, status: int = 200, error: str | None = None, notice: str | None = None,
            typed=None) -> Response:
    lang = ctx.lang
    q = iv.question(lang)
    if q is None:
        return ctx.page("done.html", status, row=row, holdings=iv.holdings(), notice=notice,
                        waiting=iv.waiting_for())
    why = iv.why(lang)
    if isinstance(typed, list):
        chosen = set(typed)
    else:
        chosen = {typed} if typed else set()
    return ctx.page("question.html", status, row=row, q=q, why=why, error=error, notice=notice,
                    typed=typed if isinstance(typed, str) else "", chosen=chosen,
                    can_back=bool(iv.state()["log"]))


def question_page(ctx: Ctx) -> Response:
    row = load_case(ctx)
    if row is None:
        return ctx.not_found()
    if row.owner_id != ctx.user.id:  # a reviewer reads the decision, never answers
        return redirect(f"/cases/{row.id}/decision")
    return engine_call(lambda: _screen(ctx, row, casestate.interview(ctx.pack, row.doc)))


def _save(ctx: Ctx, row, iv) -> bool:
    doc = casestate.doc_of(iv)
    return ctx.store.save_case(row.id, row.version, doc, title_of(doc["data"])) is not None


def _stale(ctx: Ctx, row) -> bool:
    return ctx.field("version") != str(row.version)


def answer(ctx: Ctx) -> Response:
    """One step: answer, don't know (skip) or back."""
    row = load_case(ctx, write=True)
    if row is None:
        return ctx.not_found()

    def step() -> Response:
        iv = casestate.interview(ctx.pack, row.doc)
        q = iv.question(ctx.lang)
        action = ctx.field("action", "answer")
        if _stale(ctx, row) or (action != "back" and (q is None or ctx.field("field") != q["field"])):
            return _screen(ctx, row, iv, 409, error=CONFLICT)
        typed = None
        try:
            if action == "back":
                if not iv.back():
                    return _screen(ctx, row, iv, 422, error=N_("Nothing to go back to."))
            elif action == "skip":
                iv.skip(ctx.lang)
            else:
                typed = ctx.form.getlist("answer") if q["multiple"] else ctx.field("answer")
                iv.answer(_form_answer(ctx, q), ctx.lang)
        except AnswerError as e:
            return _screen(ctx, row, iv, 422, error=e.text(ctx.lang), typed=typed)
        if not _save(ctx, row, iv):
            fresh = ctx.store.case(row.id)
            return _screen(ctx, fresh, casestate.interview(ctx.pack, fresh.doc), 409, error=CONFLICT)
        return redirect(f"/cases/{row.id}")

    return engine_call(step)


# -- review -------------------------------------------------------------------------------------

def review_page(ctx: Ctx) -> Response:
    row = load_case(ctx, write=True)
    if row is None:
        return ctx.not_found()
    return engine_call(lambda: _review(ctx, row))


def _review(ctx: Ctx, row, status: int = 200, error: str | None = None, notice: str | None = None,
            editing: str | None = None, typed=None) -> Response:
    iv = casestate.interview(ctx.pack, row.doc)
    entries = iv.review(ctx.lang)
    edit = iv.question_of(editing, ctx.lang) if editing else None
    return ctx.page("review.html", status, row=row, entries=entries, error=error, notice=notice,
                    edit=edit, typed=typed if isinstance(typed, str) else "",
                    chosen=set(typed) if isinstance(typed, list) else ({typed} if typed else set()),
                    holdings=iv.holdings())


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

    def step() -> Response:
        if _stale(ctx, row):
            fresh = ctx.store.case(row.id)
            return _review(ctx, fresh, 409, error=CONFLICT)
        iv = casestate.interview(ctx.pack, row.doc)
        field, action = ctx.field("field"), ctx.field("action", "change")
        typed = None
        try:
            if action == "remove":
                iv.remove_item(field)
            elif action == "skip":
                iv.change(field, None, ctx.lang, skip=True)
            else:
                q = iv.question_of(field, ctx.lang)
                typed = ctx.form.getlist("answer") if q["multiple"] else ctx.field("answer")
                iv.change(field, _form_answer(ctx, q), ctx.lang)
        except AnswerError as e:
            try:
                return _review(ctx, row, 422, error=e.text(ctx.lang), editing=field, typed=typed)
            except AnswerError:
                return _review(ctx, row, 422, error=e.text(ctx.lang))
        if not _save(ctx, row, iv):
            fresh = ctx.store.case(row.id)
            return _review(ctx, fresh, 409, error=CONFLICT)
        return redirect(f"/cases/{row.id}/review")

    return engine_call(step)


ROUTES = [
    ("/cases/{case_id}", question_page, ["GET"], False),
    ("/cases/{case_id}/answer", answer, ["POST"], False),
    ("/cases/{case_id}/review", review_page, ["GET"], False),
    ("/cases/{case_id}/review/edit", review_edit, ["GET"], False),
    ("/cases/{case_id}/review", review_change, ["POST"], False),
]
