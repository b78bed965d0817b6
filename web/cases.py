"""My cases (new, import, duplicate, delete), the decision, the draft opinion, export, comments.

Every case route loads the case through :func:`load_case`: a paralegal reaches only their own
cases, a reviewer reads (and comments on) every case; anyone else gets 404, exactly as for a
case that does not exist. Case ids are random; no case data ever goes into a URL.
"""
from __future__ import annotations

import hashlib

from starlette.responses import Response

from ..cli.main import award_lines, says, decisive_reasons, law_date_notes, missing_law_lines
from ..engine import AssessorError, Consultation, Form, Located, build_case, build_record, of_form, render_opinion
from .app import Ctx, engine_call, redirect
from .render import N_
from .storage import CaseRow
from . import casestate

OPINION_LANGS = ("zh", "en", "zh+en", "zh-Hant")
MAX_IMPORT = 1_000_000  # bytes


def load_case(ctx: Ctx, write: bool = False) -> CaseRow | None:
    row = ctx.store.case(ctx.params.get("case_id", ""))
    if row is None:
        return None
    if row.owner_id == ctx.user.id or (ctx.user.role == "reviewer" and not write):
        return row
    return None


def case_of(ctx: Ctx, row: CaseRow):
    """The stored answers as a validated case (what decide and opinion read)."""
    return build_case(Located(casestate.data(row.doc), {}, f"case {row.id}"), ctx.pack)


def title_of(data: dict) -> str:
    return str(data.get("title") or "")[:500]


# -- my cases -----------------------------------------------------------------------------------

def case_list(ctx: Ctx, error: str | None = None, status: int = 200) -> Response:
    everyone = ctx.user.role == "reviewer"
    rows = ctx.store.cases(None if everyone else ctx.user.id)
    return ctx.page("cases.html", status, rows=rows, everyone=everyone, error=error)


def new_case(ctx: Ctx) -> Response:
    row = ctx.store.new_case(ctx.user.id, casestate.new(ctx.pack))
    return redirect(f"/cases/{row.id}")


def import_case(ctx: Ctx) -> Response:
    upload = ctx.form.get("file") if ctx.form is not None else None
    if upload is None or isinstance(upload, str) or not upload.filename:
        return case_list(ctx, ctx.t(N_("Choose a case file (YAML) to import.")), 422)
    raw = upload.file.read(MAX_IMPORT + 1)
    name = upload.filename.rsplit("/", 1)[-1][:100]
    if len(raw) > MAX_IMPORT:
        return case_list(ctx, f"{name}: " + ctx.t(N_("the file is larger than 1 MB.")), 422)
    try:
        text = raw.decode("utf-8")
        doc = engine_call(casestate.imported, ctx.pack, text, name)
    except UnicodeDecodeError:
        return case_list(ctx, f"{name}: " + ctx.t(N_("not a UTF-8 text file.")), 422)
    except AssessorError as e:
        return case_list(ctx, str(e), 422)
    row = ctx.store.new_case(ctx.user.id, doc, title_of(doc["data"]))
    return redirect(f"/cases/{row.id}")


def export_case(ctx: Ctx) -> Response:
    row = load_case(ctx)
    if row is None:
        return ctx.not_found()
    text = casestate.export(ctx.pack, row.doc)
    return Response(text, media_type="application/yaml; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="case-{row.id}.yaml"'})


def duplicate_case(ctx: Ctx) -> Response:
    row = load_case(ctx, write=True)
    if row is None:
        return ctx.not_found()
    copy = ctx.store.new_case(ctx.user.id, row.doc, row.title)
    return redirect(f"/cases/{copy.id}")


def delete_page(ctx: Ctx) -> Response:
    row = load_case(ctx, write=True)
    if row is None:
        return ctx.not_found()
    return ctx.page("delete.html", row=row)


def delete_case(ctx: Ctx) -> Response:
    row = load_case(ctx, write=True)
    if row is None:
        return ctx.not_found()
    ctx.store.delete_case(row.id)
    return redirect("/cases")


def add_comment(ctx: Ctx) -> Response:
    row = load_case(ctx)
    if row is None:
        return ctx.not_found()
    text = ctx.field("text").strip()[:5000]
    if text:
        ctx.store.comment(row.id, ctx.user.id, text)
    return redirect(f"/cases/{row.id}/decision")


# -- the decision and the opinion ---------------------------------------------------------------

def _decision(pack, case, lang: str) -> dict:
    with Consultation(pack, case) as c:
        record = build_record(pack, case, c)
        m = pack.manifest["decision"]
        holdings = [(pack.concepts[concept].label.get(lang), says(pack, concept, c.value(concept), lang),
                     record["holdings"][key]) for key, concept in m["holdings"].items()]
        disposition = says(pack, m["disposition"], c.value(m["disposition"]), lang)
        reasons = decisive_reasons(pack, c, lang)
    open_questions = [pack.concepts[q].label.get(lang) if q in pack.concepts else q
                      for q in record["open_questions"]]
    # the fees the pack declares (remedies of the form `fee`), by their labels
    fees = [(spec["label"][lang] if "label" in spec else key, record["remedies"].get(key))
            for key, spec in of_form(m["remedies"], Form.FEE).items()]
    return {"record": record, "holdings": holdings, "disposition": disposition, "reasons": reasons,
            "open_questions": open_questions, "fees": fees, "awards": award_lines(pack, record, lang),
            "missing_law": missing_law_lines(pack, record, lang),
            "law_dates": law_date_notes(pack, record, lang)}


def decision_page(ctx: Ctx) -> Response:
    row = load_case(ctx)
    if row is None:
        return ctx.not_found()
    try:
        d = engine_call(_decision, ctx.pack, case_of(ctx, row), ctx.lang)
    except AssessorError as e:
        return ctx.page("error.html", 422, message=str(e))
    return ctx.page("decision.html", row=row, comments=ctx.store.comments(row.id),
                    owner=row.owner_id == ctx.user.id, **d)


def opinion_page(ctx: Ctx) -> Response:
    row = load_case(ctx)
    if row is None:
        return ctx.not_found()
    lang = ctx.request.query_params.get("lang", ctx.lang)
    return ctx.page("opinion.html", row=row, langs=OPINION_LANGS,
                    shown=lang if lang in OPINION_LANGS else ctx.lang)


DOWNLOADS = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def opinion_file(ctx: Ctx) -> Response:
    row = load_case(ctx)
    fmt = ctx.params.get("fmt")
    lang = ctx.request.query_params.get("lang", "zh")
    if row is None or fmt not in DOWNLOADS or lang not in OPINION_LANGS:
        return ctx.not_found()
    export = casestate.export(ctx.pack, row.doc).encode("utf-8")
    digest = "sha256:" + hashlib.sha256(export).hexdigest()
    try:
        body = engine_call(render_opinion, ctx.pack, case_of(ctx, row), lang=lang, fmt=fmt,
                           case_digest=digest)
    except AssessorError as e:
        return ctx.page("error.html", 422, message=str(e))
    headers = {}
    if fmt == "html":
        # the opinion is a document of its own, with its own print styles
        headers["content-security-policy"] = ("default-src 'none'; style-src 'unsafe-inline' 'self'; "
                                              "img-src data:; frame-ancestors 'self'")
        if ctx.request.query_params.get("download"):
            headers["content-disposition"] = f'attachment; filename="opinion-{row.id}.html"'
    else:
        headers["content-disposition"] = f'attachment; filename="opinion-{row.id}.{fmt}"'
    return Response(body, media_type=DOWNLOADS[fmt], headers=headers)


ROUTES = [
    ("/cases", case_list, ["GET"], False),
    ("/cases", new_case, ["POST"], False),
    ("/cases/import", import_case, ["POST"], False),
    ("/cases/{case_id}/case.yaml", export_case, ["GET"], False),
    ("/cases/{case_id}/duplicate", duplicate_case, ["POST"], False),
    ("/cases/{case_id}/delete", delete_page, ["GET"], False),
    ("/cases/{case_id}/delete", delete_case, ["POST"], False),
    ("/cases/{case_id}/comments", add_comment, ["POST"], False),
    ("/cases/{case_id}/decision", decision_page, ["GET"], False),
    ("/cases/{case_id}/opinion", opinion_page, ["GET"], False),
    ("/cases/{case_id}/opinion.{fmt}", opinion_file, ["GET"], False),
]
