"""Pages: the Jinja2 environment of web/templates, with the interface texts of locale/.

Autoescaping is on for every template. ``_("message", name=value)`` in a template is the
message in the reader's language (the gettext catalogs the terminal uses), with ``%(name)s``
placeholders filled in.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from starlette.responses import HTMLResponse

from ..cli.i18n import gettext

TEMPLATES = Path(__file__).resolve().parent / "templates"


@pass_context
def _translate(ctx, message: str, **values) -> str:
    text = gettext(message, ctx.get("lang", "zh"))
    return text % values if values else text


def N_(message: str) -> str:
    """Mark a message for the catalogs (pybabel extract); it is translated where it is shown."""
    return message


env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                  trim_blocks=True, lstrip_blocks=True)
env.globals["_"] = _translate


def page(name: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(env.get_template(name).render(**context), status_code=status)
