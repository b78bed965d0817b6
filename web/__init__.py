"""Assessor's web application: the paralegal's interview in a browser, with accounts and a
database. Server-rendered (Starlette, Jinja2, htmx); all state lives in the database."""
