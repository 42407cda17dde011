"""The app the tests share comes back to each test as a newly built one would be."""

from __future__ import annotations

import sqlalchemy as sa
from helpers import factories
from helpers.apps import FAST_PASSWORD_HASHING

from quizapp.extensions import db
from quizapp.models import QuestionSet, User
from quizapp.state import app_state


def users(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(User.username)))


def shipped_sets(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(QuestionSet.slug)))


def test_a_test_sees_none_of_the_data_settings_or_state_the_test_before_left(shared_app):
    with shared_app.lease() as first:
        sets = shipped_sets(first)
        made = factories.make_user(first, "ana")
        first.config["LOGIN_LIMIT_PER_ACCOUNT"] = 1
        app_state(first).fixed_urls["left"] = "behind"
        with first.app_context(), db.session.begin():
            db.session.execute(sa.update(QuestionSet).values(slug=QuestionSet.slug + "-changed"))
    with shared_app.lease() as second:
        assert second is first  # nothing that cannot be undone changed: the app is reused
        assert users(second) == []
        assert shipped_sets(second) == sets and sets
        assert second.config["LOGIN_LIMIT_PER_ACCOUNT"] == 5
        assert "left" not in app_state(second).fixed_urls
        # Ids start again where the test data ends, as in a new database.
        assert factories.make_user(second, "ben").id == made.id


def test_a_test_may_add_a_route_and_the_next_test_gets_an_app_without_it(shared_app):
    with shared_app.lease() as earlier:
        assert earlier.test_client().get("/account/login").status_code == 200
    with shared_app.lease() as adding:
        assert adding is earlier

        @adding.get("/only-in-this-test")
        def only_here() -> str:
            return "here"

        assert adding.test_client().get("/only-in-this-test").status_code == 200
    with shared_app.lease() as later:
        assert later is not adding
        assert later.test_client().get("/only-in-this-test").status_code == 404


def test_test_apps_hash_with_argon2id_at_a_low_cost(app):
    for name, value in FAST_PASSWORD_HASHING.items():
        assert app.config[name] == value
    assert factories.password_hash(app).startswith("$argon2id$v=19$m=1024,t=1,p=1$")


def test_a_page_not_found_keeps_the_app_and_an_error_handler_added_does_not(shared_app):
    """A 404 or 403 fills Flask's error-handler lookup with empty entries: the app is still as
    built, and the next test reuses it. A handler a test adds makes the next test's app new."""
    with shared_app.lease() as earlier:
        client = earlier.test_client()
        assert client.get("/teach/classes/999999").status_code in (302, 403, 404)
        assert client.get("/no-such-page").status_code == 404
    with shared_app.lease() as adding:
        assert adding is earlier

        @adding.errorhandler(418)
        def teapot(error: Exception) -> tuple[str, int]:
            return "short and stout", 418

    with shared_app.lease() as later:
        assert later is not adding
        assert 418 not in later.error_handler_spec[None]
