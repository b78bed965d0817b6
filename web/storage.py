"""The database (SQLAlchemy 2): users, cases, reviewers' comments, sign-in attempts, settings.

SQLite by default (a file under the user's data directory), PostgreSQL by URL
(``postgresql+psycopg://...``). The schema is created and upgraded by Alembic (web/migrations);
this module holds the table definitions the migrations create and the queries the app runs.

A case's answers and interview state are saved as one JSON document with a version number.
Every change is ``UPDATE ... WHERE version = <the version the user saw>``: when two tabs (or
two servers) change one case, the second update matches no row and is reported as a conflict
instead of overwriting the first (optimistic concurrency). The app keeps nothing in memory
between requests, so any number of workers or hosts can share one database.
"""
from __future__ import annotations

import json
import os
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import (ForeignKey, Integer, String, Text, create_engine, delete, event, func, select,
                        update)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

ROLES = ("paralegal", "reviewer")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    lang: Mapped[str] = mapped_column(String(8), default="zh")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    # {"data": case file, "closed": [...], "skipped": [...], "history": [...]} as JSON text
    state: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def doc(self) -> dict:
        return json.loads(self.state)


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginAttempt(Base):
    """A failed sign-in, kept for the rate limit (shared by every worker through the database)."""
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(128), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Setting(Base):
    __tablename__ = "settings"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# -- connecting ---------------------------------------------------------------------------------

def data_dir() -> Path:
    """The user's data directory (XDG), where the default SQLite database lives."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "assessor"


def default_url() -> str:
    return os.environ.get("ASSESSOR_DB") or f"sqlite:///{data_dir() / 'assessor.db'}"


class DatabaseError(Exception):
    """The database URL cannot be used; the message says why, in one line."""


def connect(url: str | None = None) -> Engine:
    url = url or default_url()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        path = Path(url[len("sqlite:///"):])
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DatabaseError(f"{path.parent}: cannot create the database directory ({e.strerror})") from None
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except Exception as e:  # an unknown dialect, a malformed URL
        raise DatabaseError(f"{url.split('@')[-1]}: not a usable database URL ({e})") from None
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):
            # WAL: readers never block the writer; foreign keys: delete a user's cases with them;
            # busy_timeout: several workers wait for each other instead of failing
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()
    return engine


class Store:
    """The queries the app runs, each in its own short transaction (committed when it returns)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)

    # -- settings
    def secret_key(self) -> str:
        """The key that signs session cookies: made once, kept in the database so that every
        worker and host signs with the same key."""
        with self.session.begin() as s:
            row = s.get(Setting, "secret_key")
            if row is not None:
                return row.value
        try:
            with self.session.begin() as s:
                s.add(Setting(name="secret_key", value=secrets.token_urlsafe(48)))
        except Exception:  # another worker made it at the same moment
            pass
        with self.session.begin() as s:
            return s.get(Setting, "secret_key").value

    # -- users
    def add_user(self, username: str, password_hash: str, role: str, lang: str = "zh") -> User:
        with self.session.begin() as s:
            user = User(username=username, password_hash=password_hash, role=role, lang=lang)
            s.add(user)
        return user

    def user(self, user_id: int | None = None, username: str | None = None) -> User | None:
        with self.session.begin() as s:
            if user_id is not None:
                return s.get(User, user_id)
            return s.scalar(select(User).where(User.username == username))

    def users(self) -> list[User]:
        with self.session.begin() as s:
            return list(s.scalars(select(User).order_by(User.username)))

    def set_user(self, user_id: int, **values) -> None:
        with self.session.begin() as s:
            s.execute(update(User).where(User.id == user_id).values(**values))

    # -- sign-in rate limit
    def failures(self, key: str, window: timedelta) -> int:
        with self.session.begin() as s:
            return s.scalar(select(func.count()).select_from(LoginAttempt)
                            .where(LoginAttempt.key == key, LoginAttempt.at > utcnow() - window))

    def fail(self, *keys: str) -> None:
        with self.session.begin() as s:
            s.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(days=1)))
            s.add_all(LoginAttempt(key=k) for k in keys)

    def forget_failures(self, key: str) -> None:
        with self.session.begin() as s:
            s.execute(delete(LoginAttempt).where(LoginAttempt.key == key))

    # -- cases
    def new_case(self, owner_id: int, doc: dict, title: str = "") -> CaseRow:
        with self.session.begin() as s:
            row = CaseRow(id=secrets.token_hex(8), owner_id=owner_id, title=title,
                          state=json.dumps(doc, ensure_ascii=False))
            s.add(row)
        return row

    def case(self, case_id: str) -> CaseRow | None:
        with self.session.begin() as s:
            return s.get(CaseRow, case_id)

    def cases(self, owner_id: int | None = None) -> list[tuple[CaseRow, str]]:
        """Cases (all of them when owner_id is None) with their owner's name, newest first."""
        with self.session.begin() as s:
            q = select(CaseRow, User.username).join(User, CaseRow.owner_id == User.id)
            if owner_id is not None:
                q = q.where(CaseRow.owner_id == owner_id)
            return [tuple(r) for r in s.execute(q.order_by(CaseRow.updated_at.desc(), CaseRow.id))]

    def save_case(self, case_id: str, version: int, doc: dict, title: str) -> int | None:
        """Save a case if it is still at `version`; the new version, or None on a conflict."""
        with self.session.begin() as s:
            done = s.execute(update(CaseRow)
                             .where(CaseRow.id == case_id, CaseRow.version == version)
                             .values(state=json.dumps(doc, ensure_ascii=False), title=title,
                                     version=version + 1, updated_at=utcnow()))
            return version + 1 if done.rowcount == 1 else None

    def delete_case(self, case_id: str) -> None:
        with self.session.begin() as s:
            s.execute(delete(Comment).where(Comment.case_id == case_id))
            s.execute(delete(CaseRow).where(CaseRow.id == case_id))

    # -- comments
    def comment(self, case_id: str, author_id: int, text: str) -> None:
        with self.session.begin() as s:
            s.add(Comment(case_id=case_id, author_id=author_id, text=text))

    def comments(self, case_id: str) -> list[tuple[Comment, str]]:
        with self.session.begin() as s:
            q = (select(Comment, User.username).join(User, Comment.author_id == User.id)
                 .where(Comment.case_id == case_id).order_by(Comment.created_at, Comment.id))
            return [tuple(r) for r in s.execute(q)]
