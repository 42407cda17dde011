"""The required stack's floor: what any app on our stack costs before it does anything of its own.

Flask, Flask-SQLAlchemy with one typed model, Flask-Login and Flask-WTF's CSRF protection, and a
``/healthz`` that runs one query for a user row, as a signed-in request does. ``bench/run
--startup`` serves it with the same gunicorn.conf.py as Civics Quiz and prints its start-up and
memory beside the app's: how far the app's own code is from what the stack alone allows.

The database is the SQLite file QUIZAPP_FLOOR_DATABASE (created, with the one table and row).
"""

from __future__ import annotations

import os

from flask import Flask
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """The declarative base, as the app's models use (SQLAlchemy 2.0 typed models)."""


db = SQLAlchemy(model_class=Base)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """One user table: what the signed-in request reads."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))


app = Flask(__name__)
app.config.update(
    SECRET_KEY=os.environ.get("QUIZAPP_SECRET_KEY") or "floor-" * 8,
    SQLALCHEMY_DATABASE_URI=f"sqlite:///{os.environ['QUIZAPP_FLOOR_DATABASE']}",
)
db.init_app(app)
CSRFProtect(app)
login_manager = LoginManager(app)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session, by primary key."""
    return db.session.get(User, int(user_id))


with app.app_context():
    db.create_all()
    if db.session.get(User, 1) is None:
        db.session.add(User(id=1, username="floor"))
        db.session.commit()
    db.engine.dispose()  # the workers open their own connections


@app.get("/healthz")
def healthz() -> dict[str, bool]:
    """One query for a user row, as every signed-in request of the app makes."""
    return {"ok": load_user("1") is not None}
