"""The test helpers do what the tests built on them assume."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jinja2
import sqlalchemy as sa
import time_machine
from helpers.apps import SHARED_TEMPLATES
from helpers.factories import lti_tool_key
from helpers.forms import post_form
from helpers.fuzzing import examples
from helpers.settings import PASSWORD, per_worker

from quizapp.extensions import db
from quizapp.models import LtiToolKey
from quizapp.services import lti_platforms


def test_a_factory_session_is_the_one_the_login_form_starts(app, create_user, sign_in, client):
    student = create_user("ana", display_name="Ana P.")
    by_factory = sign_in(student)
    post_form(client, "/account/login", {"username": "ana", "password": PASSWORD})
    for signed_in_client in (by_factory, client):
        home = signed_in_client.get("/")
        assert home.status_code == 200 and "Signed in as Ana P." in home.get_data(as_text=True)
        assert signed_in_client.get("/teach/").status_code == 403
    with by_factory.session_transaction() as factory_session:
        made = dict(factory_session)
    with client.session_transaction() as form_session:
        started = dict(form_session)
    assert made.keys() - {"csrf_token"} == started.keys() - {"csrf_token"}
    assert made["_user_id"] == started["_user_id"]


def test_a_factory_session_ends_after_the_idle_time_like_any_other(app, create_user, sign_in):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        student = sign_in(create_user("bo"))
        assert student.get("/history").status_code == 200
        clock.shift(timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
        assert student.get("/history").status_code == 302


def test_factory_users_sign_in_with_the_test_password(create_user, login):
    create_user("cyd", role="teacher")
    assert login("cyd").headers["Location"] == "/"


def test_take_assignment_answers_all_right_or_all_wrong(
    create_user, create_class, join_class, create_assignment, take_assignment
):
    classroom = create_class(create_user("ms-lee", role="teacher"))
    right, wrong = create_user("dee"), create_user("eve")
    for student in (right, wrong):
        join_class(student, classroom)
    assignment = create_assignment(classroom, attempts_allowed=None)
    assert take_assignment(right, assignment).percent == 100
    assert take_assignment(wrong, assignment, correct=False).percent == 0


def test_the_shared_template_cache_never_serves_a_changed_template_stale():
    def render(source: str) -> str:
        environment = jinja2.Environment(
            loader=jinja2.DictLoader({"page.html": source}),
            bytecode_cache=SHARED_TEMPLATES,
            autoescape=True,
        )
        return environment.get_template("page.html").render(name="<b>")

    assert render("Hello {{ name }}") == "Hello &lt;b&gt;"
    assert render("Bye {{ name }}") == "Bye &lt;b&gt;"
    assert render("Hello {{ name }}") == "Hello &lt;b&gt;"


def test_each_xdist_worker_gets_a_postgresql_database_of_its_own():
    given = "postgresql+psycopg://quizapp:secret@127.0.0.1:5432/quizapp_test"
    assert per_worker(given, "gw1") == (
        "postgresql+psycopg://quizapp:secret@127.0.0.1:5432/quizapp_test_gw1"
    )
    assert per_worker(given, "gw0") != per_worker(given, "gw1")
    assert per_worker(given, "") == given  # a run without -n uses the database it was given
    assert per_worker("", "gw0") == ""  # and no URL stays no URL (SQLite)


def test_the_lti_tests_reuse_the_key_the_app_generated(app):
    with app.app_context():
        assert lti_platforms.active_key() is None  # each test's database starts without one
    lti_tool_key(app)
    with app.app_context():
        first = lti_platforms.active_key()
        assert first is not None
        db.session.execute(sa.delete(LtiToolKey))
        db.session.commit()
    lti_tool_key(app)
    with app.app_context():
        again = lti_platforms.active_key()
        assert again is not None  # stored again after the database lost it
        assert (again.kid, again.private_key_pem) == (first.kid, first.private_key_pem)
        assert lti_platforms.jwks() == {"keys": [first.public_jwk]}


def test_property_tests_try_every_example_in_ci_and_a_fifth_locally():
    assert examples(300, full_fuzz=True) == 300
    assert examples(300, full_fuzz=False) == 60
    assert examples(30, full_fuzz=False) == 10  # never fewer than ten
    assert examples(5, full_fuzz=False) == 5  # nor more than asked for
