"""Creating and upgrading the database schema."""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def create_schema() -> None:
    """Bring the schema to the newest migration (creating it on an empty database)."""
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if database.startswith("sqlite:///") and ":memory:" not in database:
        Path(database.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    from flask_migrate import upgrade  # Alembic, only when the schema is made or upgraded

    upgrade()  # the folder given to Flask-Migrate in create_app
