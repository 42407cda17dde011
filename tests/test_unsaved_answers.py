"""No answer is lost: saving in the background, and an answer sent after the session ended or
with a stale token is kept, filled in again for its owner after signing in, and then saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from helpers.forms import CSRF_PATTERN, csrf_token, post_form
from helpers.quiz import correct_form_data, presented
from helpers.settings import PASSWORD
from helpers.teacher import (
    class_of,
    enrol,
    post_new_assignment,
)

from quizapp.extensions import db
from quizapp.models import Response
from quizapp.models.types import utcnow
from quizapp.security import SEEN_AT
from quizapp.student.unsaved import UNSAVED_ANSWER

SAME_SITE = {"Sec-Fetch-Site": "same-origin"}
JSON = {"Accept": "application/json", **SAME_SITE}


def start(client) -> int:
    location = post_form(client, "/quizzes/civics-mini/start", {}, page="/").headers["Location"]
    return int(location.split("/")[2])


def number_of(app, attempt_id: int, kind: str) -> int:
    return next(n for n in range(1, 7) if presented(app, attempt_id, n).question.type == kind)


def saved(app, attempt_id: int) -> dict[str, object]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Response.question_id, Response.answer).where(
                Response.attempt_id == attempt_id
            )
        )
        return dict(rows.all())


def sign_in(client, username: str = "ana", next_url: str | None = None):
    login_url = "/account/login" + (f"?next={next_url}" if next_url else "")
    token = csrf_token(client, login_url)
    return client.post(
        login_url, data={"csrf_token": token, "username": username, "password": PASSWORD}
    )


@pytest.fixture
def quiz(app, signed_in):
    """Ana's free practice attempt, and the number and form data of its short-answer question."""
    client = signed_in("ana")
    attempt_id = start(client)
    number = number_of(app, attempt_id, "short_answer")
    return client, attempt_id, number


def test_the_page_script_saves_an_answer_and_gets_json(app, quiz):
    client, attempt_id, number = quiz
    url = f"/attempts/{attempt_id}/questions/{number}"
    token = csrf_token(client, url)
    reply = client.post(
        url, data={"csrf_token": token, "answer": "First", "nav": "autosave"}, headers=JSON
    )
    assert reply.status_code == 200
    assert reply.get_json() == {"saved": True, "message": "Saved", "location": None}
    assert "First" in saved(app, attempt_id).values()

    ordering = number_of(app, attempt_id, "ordering")
    shown = presented(app, attempt_id, ordering)
    twice = {f"position_{i}": "1" for i in range(len(shown.prompts))}
    reply = client.post(
        f"/attempts/{attempt_id}/questions/{ordering}",
        data={"csrf_token": token, **twice, "nav": "autosave"},
        headers=JSON,
    )
    assert reply.status_code == 422
    assert reply.get_json()["message"] == "Use each position only once."
    assert shown.question.id not in saved(app, attempt_id)


def test_the_page_says_how_answers_are_saved_without_javascript(quiz):
    client, attempt_id, number = quiz
    page = client.get(f"/attempts/{attempt_id}/questions/{number}").get_data(as_text=True)
    assert "Your answer is saved when you press one of these buttons." in page
    assert 'id="save-status" aria-live="polite"' in page


def test_the_page_script_never_checks_a_practice_answer(app, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    class_id = class_of(app, "ms-lee")
    student = signed_in("ana")
    enrol(app, "ana", class_id)
    assignment_id = post_new_assignment(teacher, app, class_id, mode="practice")
    location = post_form(student, f"/assignments/{assignment_id}/start", {}, page="/").headers[
        "Location"
    ]
    attempt_id = int(location.split("/")[2])
    shown = presented(app, attempt_id, 1)
    url = f"/attempts/{attempt_id}/questions/1"
    page = student.get(url).get_data(as_text=True)
    assert "data-practice" in page
    token = CSRF_PATTERN.search(page).group(1)
    data = {"csrf_token": token, **correct_form_data(shown), "nav": "autosave"}
    assert student.post(url, data=data, headers=JSON).status_code == 409
    assert saved(app, attempt_id) == {}


def expire_session(client) -> None:
    """The session has been idle for a day."""
    with client.session_transaction() as session:
        session[SEEN_AT] = (utcnow() - timedelta(days=1)).isoformat()


def test_an_answer_sent_after_the_session_ended_is_kept_until_the_student_signs_in(app, quiz):
    client, attempt_id, number = quiz
    url = f"/attempts/{attempt_id}/questions/{number}"
    token = csrf_token(client, url)
    expire_session(client)
    response = client.post(
        url,
        data={"csrf_token": token, "answer": "First Amendment", "nav": "next"},
        headers=SAME_SITE,
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/account/login?next=")
    assert saved(app, attempt_id) == {}, "nothing is saved without a session"
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sign in again and it is filled in for you to save." in login_page

    signed = sign_in(client, next_url=url)
    assert signed.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert 'value="First Amendment"' in page and "data-restored" in page
    assert saved(app, attempt_id) == {}, "showing it again on GET saves nothing"
    # The save then goes through, with the page's fresh token.
    token = CSRF_PATTERN.search(page).group(1)
    client.post(url, data={"csrf_token": token, "answer": "First Amendment", "nav": "next"})
    assert "First Amendment" in saved(app, attempt_id).values()
    # It was shown once: a later visit shows the saved answer, not the kept one.
    assert "data-restored" not in client.get(url).get_data(as_text=True)


def test_an_answer_sent_without_a_session_cookie_is_kept_and_saved_after_signing_in(app, quiz):
    client, attempt_id, number = quiz
    url = f"/attempts/{attempt_id}/questions/{number}"
    token = csrf_token(client, url)
    client.delete_cookie("session")
    reply = client.post(
        url,
        data={"csrf_token": token, "answer": "First Amendment", "nav": "autosave"},
        headers=JSON,
    )
    assert reply.status_code == 401
    assert reply.get_json()["location"].startswith("/account/login?next=")
    sign_in(client, next_url=url)
    assert 'value="First Amendment"' in client.get(url).get_data(as_text=True)


def test_an_answer_with_a_stale_token_comes_back_to_the_same_question(app, quiz):
    client, attempt_id, number = quiz
    url = f"/attempts/{attempt_id}/questions/{number}"
    response = client.post(
        url, data={"csrf_token": "stale", "answer": "Fourth", "nav": "next"}, headers=SAME_SITE
    )
    assert response.status_code == 303 and response.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert "This page had expired" in page and 'value="Fourth"' in page
    assert saved(app, attempt_id) == {}


def test_a_forged_answer_from_another_site_is_not_kept(app, quiz):
    client, attempt_id, number = quiz
    url = f"/attempts/{attempt_id}/questions/{number}"
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}, {}):
        response = client.post(url, data={"answer": "planted", "nav": "next"}, headers=headers)
        assert response.status_code == 400, "refused as any forged form is"
        page = client.get(url).get_data(as_text=True)
        assert "planted" not in page and "data-restored" not in page
    assert saved(app, attempt_id) == {}


def test_a_kept_answer_is_not_carried_to_someone_else_signing_in(app, quiz, create_user):
    client, attempt_id, number = quiz
    url = f"/attempts/{attempt_id}/questions/{number}"
    token = csrf_token(client, url)
    expire_session(client)
    client.post(url, data={"csrf_token": token, "answer": "Ana's answer"}, headers=SAME_SITE)
    with client.session_transaction() as session:
        assert session[UNSAVED_ANSWER]["attempt_id"] == attempt_id
    create_user("bob")
    sign_in(client, "bob", next_url=url)
    with client.session_transaction() as session:
        assert UNSAVED_ANSWER not in session, "not even in Bob's cookie"
    assert client.get(url).status_code == 404


def test_signing_out_clears_the_browser_s_drafts(quiz):
    client, _attempt_id, _number = quiz
    response = post_form(client, "/account/logout", {}, page="/")
    assert response.headers["Clear-Site-Data"] == '"storage"'


def test_a_signed_out_visit_to_a_question_still_asks_to_sign_in(app, client, quiz):
    _client, attempt_id, number = quiz
    response = client.get(f"/attempts/{attempt_id}/questions/{number}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_a_kept_matching_answer_comes_back_in_every_select(app, quiz):
    client, attempt_id, _number = quiz
    number = number_of(app, attempt_id, "matching")
    shown = presented(app, attempt_id, number)
    url = f"/attempts/{attempt_id}/questions/{number}"
    token = csrf_token(client, url)
    expire_session(client)
    data = correct_form_data(shown)
    client.post(url, data={"csrf_token": token, **data, "nav": "next"}, headers=SAME_SITE)
    sign_in(client, next_url=url)
    page = client.get(url).get_data(as_text=True)
    for name, value in data.items():
        select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        assert f'selected value="{value}"' in select, name
