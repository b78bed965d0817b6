"""Create or upgrade the database schema with Alembic (the scripts are in web/migrations)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

SCRIPTS = Path(__file__).resolve().parent / "migrations"


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (a new database is created from nothing)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
