"""`assessor serve` (the web application) and `assessor users add|list|passwd` (its accounts)."""
from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from .main import app

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the web application.")
app.add_typer(users_app, name="users")

DbOpt = Annotated[Optional[str], typer.Option(
    "--db", help="Database URL (default: ASSESSOR_DB, or SQLite in the user's data directory), "
                 "e.g. postgresql+psycopg://user:password@host/assessor.")]


def _store(db: str | None):
    """The database, its schema brought up to date; one error line and exit 1 if unusable."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..web.migrate import upgrade
    from ..web.storage import DatabaseError, Store, connect
    try:
        engine = connect(db)
        upgrade(engine)
        return Store(engine)
    except DatabaseError as e:
        typer.echo(f"error: {e}", err=True)
    except SQLAlchemyError as e:
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
        typer.echo(f"error: {engine.url.render_as_string(hide_password=True)}: cannot open the database ({reason})",
                   err=True)
    raise typer.Exit(1)


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    db: DbOpt = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes (they share only the database).")] = 1,
) -> None:
    """Serve the web interview (Starlette on uvicorn)."""
    import uvicorn

    store = _store(db)
    if db:
        os.environ["ASSESSOR_DB"] = db  # the workers read the URL from the environment
    if not store.users():
        typer.echo("No accounts yet: add one with `assessor users add NAME`.", err=True)
    typer.echo(f"Assessor on http://{host}:{port}/ (Ctrl-C stops it)", err=True)
    uvicorn.run("assessor.web.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, proxy_headers=True, server_header=False, log_level="info")


def _password(confirm: bool = True) -> str:
    from ..web.passwords import MIN_LENGTH
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")  # scripted: the password on one line
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=confirm)
    if len(password) < MIN_LENGTH:
        typer.echo(f"error: a password needs at least {MIN_LENGTH} characters", err=True)
        raise typer.Exit(1)
    return password


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="User name (letters, digits, . _ -).")],
    role: Annotated[str, typer.Option("--role", help="paralegal (own cases) or reviewer (reads and comments on every case).")] = "paralegal",
    lang: Annotated[str, typer.Option("--lang", help="Interface language: zh or en.")] = "zh",
    db: DbOpt = None,
) -> None:
    """Add an account; the password is asked twice (or read from one line of stdin)."""
    import re

    from ..web.passwords import hash_password
    from ..web.storage import ROLES
    if not re.fullmatch(r"[A-Za-z0-9._-]{1,64}", username):
        typer.echo(f"error: user name '{username}': use 1-64 letters, digits, '.', '_' or '-'", err=True)
        raise typer.Exit(1)
    if role not in ROLES:
        typer.echo(f"error: role '{role}': expected one of {', '.join(ROLES)}", err=True)
        raise typer.Exit(1)
    if lang not in ("zh", "en"):
        typer.echo(f"error: language '{lang}': expected zh or en", err=True)
        raise typer.Exit(1)
    store = _store(db)
    if store.user(username=username) is not None:
        typer.echo(f"error: user '{username}' exists already (change the password with `assessor users passwd`)", err=True)
        raise typer.Exit(1)
    store.add_user(username, hash_password(_password()), role, lang)
    typer.echo(f"added {role} {username}")


@users_app.command("list")
def users_list(db: DbOpt = None) -> None:
    """List the accounts: name, role, language."""
    for user in _store(db).users():
        typer.echo(f"{user.username}\t{user.role}\t{user.lang}")


@users_app.command("passwd")
def users_passwd(
    username: Annotated[str, typer.Argument(help="User name.")],
    db: DbOpt = None,
) -> None:
    """Set a new password (every session of that user is signed out)."""
    from ..web.passwords import hash_password
    store = _store(db)
    user = store.user(username=username)
    if user is None:
        typer.echo(f"error: no user '{username}'", err=True)
        raise typer.Exit(1)
    store.set_user(user.id, password_hash=hash_password(_password()))
    typer.echo(f"password changed for {username}")
