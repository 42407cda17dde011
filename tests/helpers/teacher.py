"""Helpers for tests of the teacher pages: their forms, posted as a browser does."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, QuestionSet, QuestionSetVersion, User
from quizapp.services import classes

from .forms import post_form


def post_new_class(client: FlaskClient, name: str = "Civics 9B", time_zone: str = "UTC") -> int:
    """Create a class through the dashboard form; return its id."""
    response = post_form(
        client, "/teach/classes", {"name": name, "time_zone": time_zone}, page="/teach/"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def join_code(app: Flask, class_id: int) -> str:
    """The join code of a class."""
    with app.app_context():
        return db.session.get(Classroom, class_id).join_code


def post_join(student: FlaskClient, code: str) -> Any:
    """Join a class through the form on the quiz list."""
    return post_form(student, "/classes/join", {"code": code}, page="/")


def version_id(
    app: Flask, slug: str = "civics-mini", number: int = 1, owner_id: int | None = None
) -> int:
    """The id of version ``number`` of the set ``slug``; with ``owner_id``, of that teacher's
    own set of the slug, else the shipped one (two teachers' sets may share a slug, and rows
    come in no fixed order)."""
    query = (
        sa.select(QuestionSetVersion.id)
        .join(QuestionSetVersion.question_set)
        .where(QuestionSetVersion.number == number, QuestionSet.slug == slug)
        .order_by(QuestionSet.id)
    )
    if owner_id is not None:
        query = (
            query.where(sa.or_(QuestionSet.owner_id == owner_id, QuestionSet.owner_id.is_(None)))
            .order_by(None)
            .order_by(QuestionSet.owner_id.is_(None), QuestionSet.id)
        )
    with app.app_context():
        return db.session.scalar(query.limit(1))


def assignment_form(app: Flask, **changes: Any) -> dict[str, Any]:
    """The assignment form's fields for a test-mode quiz of the test set, with ``changes``.

    A change to None leaves the field out, as does balance_categories=False (an unticked box).
    """
    data: dict[str, Any] = {
        "title": "Curfew quiz",
        "version_id": version_id(app),
        "mode": "test",
        "results_release": "on_submit",
        "counting": "best",
        "attempts_allowed": "1",
    }
    data.update(changes)
    if data.get("balance_categories") is False:
        data.pop("balance_categories")
    return {name: value for name, value in data.items() if value is not None}


def post_new_assignment(client: FlaskClient, app: Flask, class_id: int, **settings: Any) -> int:
    """Create an assignment through the form; return its id."""
    data = assignment_form(app, **{k: v for k, v in settings.items() if v is not None})
    url = f"/teach/classes/{class_id}/assignments/new"
    response = post_form(client, url, data)
    assert response.status_code == 302, re.findall(
        r'class="error"[^>]*>(.*?)</p>', response.get_data(as_text=True)
    )
    return int(response.headers["Location"].rsplit("/", 1)[1])


def assignment(app: Flask, assignment_id: int) -> Assignment:
    with app.app_context():
        found = db.session.get(Assignment, assignment_id)
        db.session.expunge(found)
        return found


def class_of(app: Flask, teacher: str, name: str = "Civics 9B", time_zone: str = "UTC") -> int:
    """Create a class of the user named ``teacher`` through the service; return its id.

    Tests of the new-class form post it (``post_new_class``); the others only need the class.
    """
    with app.app_context():
        owner = db.session.scalar(sa.select(User).where(User.username == teacher))
        return classes.create_class(owner, name, time_zone).id


def enrol(app: Flask, student: str, class_id: int) -> None:
    """Put the user named ``student`` in a class, as its join code does (``post_join`` posts
    the join form, for the tests of that form)."""
    with app.app_context():
        member = db.session.scalar(sa.select(User).where(User.username == student))
        classes.join_class(member, db.session.get(Classroom, class_id).join_code)
