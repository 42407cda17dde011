"""The required stack's floor: what any app on our stack costs before it does anything of its own.

Flask, Flask-SQLAlchemy with one typed model, Flask-Login and Flask-WTF's CSRF protection, and a
``/healthz`` that runs one query for a user row, as a signed-in request does. ``bench/run
--startup`` serves it with the same gunicorn.conf.py as Civics Quiz and prints its start-up and
memory beside the app's: how far the app's own code is from what the stack alone allows.
``/ping`` is the app's health check on the floor (Flask-Login's user from the session cookie,
if any, and one ``SELECT 1``); ``bench/floor_cpu.py`` times it against the bare route.

The database is the SQLite file QUIZAPP_FLOOR_DATABASE (created, with the one table and row).
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, session
from flask_login import LoginManager, UserMixin, current_user, login_user
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


@app.get("/ping")
def ping() -> dict[str, bool]:
    """The app's ``/healthz`` on the floor: the session's user (Flask-Login), one SELECT 1."""
    db.session.execute(sa.text("SELECT 1"))
    return {"ok": True, "signed_in": current_user.is_authenticated}


def session_cookie() -> str:
    """A Cookie header of user 1 signed in, as Flask-Login's ``login_user`` leaves the session."""
    with app.test_request_context():
        login_user(db.session.get(User, 1))
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))  # type: ignore[attr-defined]
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"
