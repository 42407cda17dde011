"""CSRF: every state-changing route refuses a POST without a valid token; no GET changes state."""

from __future__ import annotations

import sqlalchemy as sa
from helpers.forms import post_form
from test_access_matrix import routes

from quizapp.extensions import csrf, db


def table_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def test_the_token_is_checked_app_wide_before_any_view(app):
    """The answer form and the submit button leave the check to CSRFProtect, so it must stay on
    for every route: no exempt blueprint, checking by default, and only the two LTI endpoints the
    LMS posts to exempt (a signed id_token authenticates those; tests/test_lti.py shows forged
    and replayed ones refused)."""
    assert app.config.get("WTF_CSRF_ENABLED", True)
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True)
    assert csrf._exempt_views == {"quizapp.lti.routes.login", "quizapp.lti.routes.launch"}
    assert not csrf._exempt_blueprints


def test_every_post_without_a_token_is_refused_with_400(app, signed_in):
    for role in ("student", "teacher"):
        client = signed_in(f"csrf-{role}", role=role)
        for endpoint, method, url in routes(app):
            if method != "POST":
                continue
            for data in ({}, {"csrf_token": "forged-token"}):
                response = client.post(url, data=data)
                assert response.status_code == 400, (
                    f"{role} {endpoint} {data} -> {response.status_code}"
                )


def test_no_get_changes_state(app, signed_in):
    teacher = signed_in("get-teacher", role="teacher")
    student = signed_in("get-student")
    post_form(student, "/quizzes/civics-mini/start", {}, page="/")
    before = table_counts(app)
    for client in (teacher, student, app.test_client()):
        for _endpoint, method, url in routes(app):
            if method == "GET":
                client.get(url)
        for url in (
            "/",
            "/history",
            "/attempts/1/questions/1",
            "/attempts/1/review",
            "/teach/",
            "/help/question-format",
        ):
            client.get(url)
    assert table_counts(app) == before


def test_csrf_token_does_not_expire_within_a_session(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    # The session, which the token belongs to, outlasts the longest timed quiz (600 minutes).
    assert app.config["SESSION_MAX_HOURS"] * 60 > 600
