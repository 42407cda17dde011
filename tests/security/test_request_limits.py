"""Bad numbers answer 404 (never 500), HSTS comes with Secure cookies, and staged uploads are
few and short-lived. Run on SQLite, and on PostgreSQL with QUIZAPP_TEST_DATABASE_URL set."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from helpers.forms import csrf_token, post_form
from helpers.quiz import correct_form_data, presented
from helpers.settings import SETS, app_settings
from helpers.teacher import post_new_class, version_id

from quizapp import create_app
from quizapp.domain.limits import MAX_ID, MAX_PENDING_UPLOADS, PENDING_UPLOAD_LIFETIME
from quizapp.extensions import db
from quizapp.models import Attempt, PendingUpload, Response
from quizapp.models.types import utcnow
from quizapp.routing import IdConverter

#: Past PostgreSQL's integer, past SQLite's 64-bit integer, far past both, and past the number
#: of digits Python converts at all.
HUGE_IDS = [str(MAX_ID + 1), str(2**63), "9" * 30, "9" * 5000]


def int_routes(app):
    """Every rule with a number in its path, and the names of its numbers."""
    for rule in app.url_map.iter_rules():
        numbers = re.findall(r"<int:(\w+)>", rule.rule)
        if numbers:
            yield rule, numbers


def test_every_number_in_a_url_is_read_by_the_bounded_converter(app):
    assert app.url_map.converters["int"] is IdConverter
    assert len(list(int_routes(app))) >= 10


def url_with(rule, numbers, value: str) -> str:
    url = rule.rule
    for name in numbers:
        url = url.replace(f"<int:{name}>", value)
    # Other parts (a set's slug) get a plausible value: the number alone must not matter.
    return url.replace("<slug>", "civics-mini").replace("<key>", "report").replace("<token>", "t")


@pytest.mark.parametrize("value", HUGE_IDS, ids=["int32+1", "int64", "30-digits", "5000-digits"])
def test_a_huge_number_in_any_route_answers_404(app, signed_in, value):
    teacher = signed_in("ms-lee", role="teacher")
    student = signed_in("ana")
    tokens = {id(teacher): csrf_token(teacher, "/teach/"), id(student): csrf_token(student, "/")}
    answered = {}
    for rule, numbers in int_routes(app):
        client = teacher if rule.rule.startswith("/teach") else student
        url = url_with(rule, numbers, value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"csrf_token": tokens[id(client)]})
            answered[f"{method} {rule.rule}"] = response.status_code
    assert answered and set(answered.values()) == {404}, answered


def test_the_largest_id_still_reaches_the_database_and_answers_404(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    assert teacher.get(f"/teach/classes/{MAX_ID}").status_code == 404
    assert teacher.get(f"/teach/assignments/{MAX_ID}").status_code == 404


def _free_practice_attempt(app, client) -> int:
    response = post_form(client, "/quizzes/civics-mini/start", {}, page="/")
    assert response.status_code == 302
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(Attempt.id)))


@pytest.mark.parametrize("nav", ["goto-²", "goto-٣", "goto-" + "9" * 5000, "goto-", "goto--1"])
def test_a_strange_go_to_button_keeps_the_answer_and_leads_to_the_review(app, signed_in, nav):
    student = signed_in("ana")
    attempt_id = _free_practice_attempt(app, student)
    url = f"/attempts/{attempt_id}/questions/1"
    answer = correct_form_data(presented(app, attempt_id, 1))
    response = post_form(student, url, {**answer, "nav": nav})
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].endswith(f"/attempts/{attempt_id}/review")
    with app.app_context():
        saved = sa.select(sa.func.count(Response.id)).where(Response.attempt_id == attempt_id)
        assert db.session.scalar(saved) == 1, "the answer was saved"
    ordinary = post_form(student, url, {**answer, "nav": "goto-2"})
    assert ordinary.headers["Location"].endswith(f"/attempts/{attempt_id}/questions/2")


def test_hsts_is_sent_only_with_secure_cookies(tmp_path, template_database):
    plain = create_app(app_settings(template_database, tmp_path))
    assert "Strict-Transport-Security" not in plain.test_client().get("/").headers
    secure = create_app(
        {**app_settings(template_database, tmp_path), "SESSION_COOKIE_SECURE": True}
    )
    response = secure.test_client().get("/")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    for page in ("/account/login", "/healthz", "/nothing-here"):
        assert "max-age=" in secure.test_client().get(page).headers["Strict-Transport-Security"]


MINI = (SETS / "civics-mini.yaml").read_bytes()
SOURCE = (SETS / "sources" / "town-meeting.txt").read_bytes()


def _stage(client, set_id: str) -> str:
    data = {
        "csrf_token": csrf_token(client, "/teach/upload"),
        "question_file": (
            io.BytesIO(MINI.replace(b"id: civics-mini", f"id: {set_id}".encode())),
            "set.yaml",
        ),
        "source_files": [(io.BytesIO(SOURCE), "town-meeting.txt")],
    }
    response = client.post("/teach/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _pending(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(PendingUpload.id)))


def test_a_teacher_holds_only_a_few_staged_uploads_the_oldest_leave_first(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    previews = [_stage(teacher, f"my-set-{n}") for n in range(MAX_PENDING_UPLOADS + 2)]
    assert _pending(app) == MAX_PENDING_UPLOADS
    assert teacher.get(previews[0]).status_code == 404
    assert teacher.get(previews[1]).status_code == 404
    assert all(teacher.get(url).status_code == 200 for url in previews[2:])
    # Another teacher's uploads do not count against this one's.
    colleague = signed_in("mr-diaz", role="teacher")
    _stage(colleague, "their-set")
    assert _pending(app) == MAX_PENDING_UPLOADS + 1
    assert teacher.get(previews[-1]).status_code == 200


def test_a_staged_upload_expires_after_a_day(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    old = _stage(teacher, "old-set")
    with app.app_context():
        db.session.execute(
            sa.update(PendingUpload).values(
                created_at=utcnow() - PENDING_UPLOAD_LIFETIME - timedelta(minutes=1)
            )
        )
        db.session.commit()
    assert teacher.get(old).status_code == 404
    publish = post_form(teacher, old + "/publish", {}, page="/teach/upload")
    assert publish.status_code == 404
    # The next upload, by anyone, clears expired ones from the database.
    colleague = signed_in("mr-diaz", role="teacher")
    fresh = _stage(colleague, "new-set")
    assert _pending(app) == 1
    assert colleague.get(fresh).status_code == 200


@pytest.mark.parametrize("value", HUGE_IDS, ids=["int32+1", "int64", "30-digits", "5000-digits"])
def test_a_huge_number_in_a_form_is_a_message_not_an_error(app, signed_in, value):
    teacher = signed_in("ms-lee", role="teacher")
    class_id = post_new_class(teacher)
    url = f"/teach/classes/{class_id}/assignments/new"
    fields = ("version_id", "question_count", "time_limit_minutes", "attempts_allowed")
    for field in fields:
        data = {
            "title": "Curfew quiz",
            "version_id": str(version_id(app)),
            "mode": "test",
            "results_release": "on_submit",
            "counting": "best",
            field: value,
        }
        response = post_form(teacher, url, data)
        assert response.status_code == 200, (field, response.status_code)
        assert 'class="error"' in response.get_data(as_text=True), field
