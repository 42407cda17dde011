"""The whole student path through the test client, with CSRF enforced."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers.forms import csrf_token, post_form
from helpers.quiz import (
    correct_form_data,
    form_data,
    latest_attempt,
    presented,
    without_article_panel,
    wrong_answer,
)
from helpers.settings import PASSWORD

from quizapp.extensions import db
from quizapp.models import Attempt, Response


def register(client, username: str, display_name: str = "") -> None:
    response = post_form(
        client,
        "/account/register",
        {
            "username": username,
            "display_name": display_name,
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def start_quiz(client, slug: str = "civics-mini") -> str:
    response = post_form(client, f"/quizzes/{slug}/start", {}, page="/")
    assert response.status_code == 302
    return response.headers["Location"]


def answer(client, attempt_id: int, number: int, data: dict, nav: str = "next"):
    url = f"/attempts/{attempt_id}/questions/{number}"
    return post_form(client, url, {**data, "nav": nav})


@pytest.fixture
def practising(app, signed_in):
    """Factory: practising("ben") signs a new student in and starts the test set's quiz.

    Returns the client and the attempt; registering is tested by the whole student path.
    """

    def begin(username: str):
        client = signed_in(username)
        assert start_quiz(client).endswith("/questions/1")
        return client, latest_attempt(app, username)

    return begin


def test_whole_student_path(app, client):
    register(client, "ana", "Ana P.")
    home = client.get("/").get_data(as_text=True)
    assert "Signed in as Ana P." in home
    assert "Town curfew: a practice set" in home
    assert "A short set used by the tests" in home
    assert re.search(r"<dt>Questions</dt><dd>6</dd>", home)
    assert "Not taken yet" in home

    first_url = start_quiz(client)
    attempt = latest_attempt(app, "ana")
    assert first_url.endswith(f"/attempts/{attempt.id}/questions/1")
    page = client.get(first_url).get_data(as_text=True)
    assert "Question 1 of 6" in page
    assert '<progress max="6" value="1"' in page

    # Answer the first three, leave, and come back later.
    for number in (1, 2, 3):
        shown = presented(app, attempt.id, number)
        response = answer(client, attempt.id, number, correct_form_data(shown))
        assert response.headers["Location"].endswith(f"/questions/{number + 1}")
    post_form(client, "/account/logout", {}, page="/")
    assert "Resume" not in client.get("/").get_data(as_text=True)

    post_form(client, "/account/login", {"username": "ana", "password": PASSWORD})
    home = client.get("/").get_data(as_text=True)
    assert "Resume quiz" in home
    # Resuming opens the first unanswered question, by the link and by starting again.
    resume_link = re.search(r'href="([^"]+)"[^>]*>\s*Resume quiz', home).group(1)
    resumed = client.get(resume_link)
    assert resumed.status_code == 302
    assert resumed.headers["Location"].endswith(f"/attempts/{attempt.id}/questions/4")
    resumed = start_quiz(client)
    assert resumed.endswith(f"/attempts/{attempt.id}/questions/4"), "starting again resumes"
    for number in (1, 2, 3):
        page = client.get(f"/attempts/{attempt.id}/questions/{number}").get_data(as_text=True)
        assert shows_answer(page, presented(app, attempt.id, number)), (
            f"question {number} lost its answer"
        )

    # Answer the rest; the last one wrong on purpose.
    for number in (4, 5, 6):
        shown = presented(app, attempt.id, number)
        data = correct_form_data(shown)
        if number == 6:
            data = form_data(shown, wrong_answer(shown))
        answer(client, attempt.id, number, data, nav="next" if number < 6 else "review")
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "You answered 6 of 6 questions." in review

    response = post_form(
        client, f"/attempts/{attempt.id}/submit", {}, page=f"/attempts/{attempt.id}/review"
    )
    assert response.headers["Location"].endswith(f"/attempts/{attempt.id}/results")
    results = client.get(f"/attempts/{attempt.id}/results").get_data(as_text=True)
    wrong = presented(app, attempt.id, 6).question
    expected_score = 7 - wrong.points
    assert f"You scored <strong>{expected_score} of 7</strong>" in results
    assert (
        f"({round(100 * expected_score / 7)}%)" in results
        or f"<strong>{round(100 * expected_score / 7)}%</strong>" in results
    )
    assert results.count("Show in the source") == 6
    assert "The vote is next month." in results  # an explanation
    assert '<p class="hint">Also accepted: First, 1st Amendment, 1st</p>' in results
    assert "Incorrect" in results and "Correct" in results

    # Every quote links to its source with the quote highlighted in place.
    links = re.findall(
        r'href="(/attempts/\d+/sources/report\?question=[^"#]+)#evidence-1"', results
    )
    assert len(links) == 6
    source = client.get(links[0].replace("&amp;", "&")).get_data(as_text=True)
    assert '<mark id="evidence-1"' in source
    assert "Evidence: " in source

    history = client.get("/history").get_data(as_text=True)
    assert "Town curfew: a practice set" in history
    assert f"/attempts/{attempt.id}/results" in history
    assert f"{expected_score} / 7" in history
    home = client.get("/").get_data(as_text=True)
    assert f"{round(100 * expected_score / 7)}%" in home


def shows_answer(page: str, shown) -> bool:
    """Whether the question page shows the correct answer as already chosen or typed."""
    page = page.replace("&#39;", "'").replace("&#34;", '"')
    for name, value in correct_form_data(shown).items():
        for one in value if isinstance(value, list) else [value]:
            selected = rf'<(input|option)[^>]*(checked|selected)[^>]*value="{re.escape(one)}"'
            typed = rf'<input[^>]*name="{name}"[^>]*value="{re.escape(one)}"'
            if not re.search(selected, page) and not re.search(typed, page):
                return False
    return True


def test_every_question_type_saves_and_shows_again(app, practising):
    client, attempt = practising("ben")
    for number in range(1, 7):
        shown = presented(app, attempt.id, number)
        assert answer(client, attempt.id, number, correct_form_data(shown)).status_code == 302
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Response).where(Response.attempt_id == attempt.id)
        ).all()
        assert len(rows) == 6
        assert all(row.answer not in (None, "", [], {}) for row in rows)


def test_sending_no_choice_keeps_the_saved_one_and_clearing_other_types_clears_them(
    app, practising
):
    """Radio buttons send nothing when none is chosen, which must not erase a saved choice;
    an emptied text box, unticked boxes or cleared lists are the student's own answer."""
    client, attempt = practising("bob")
    for number in range(1, 7):
        shown = presented(app, attempt.id, number)
        assert answer(client, attempt.id, number, correct_form_data(shown)).status_code == 302
        emptied = {"multiple_choice": {}, "short_answer": {"answer": ""}}.get(
            shown.question.type, {name: "" for name in correct_form_data(shown)}
        )
        if shown.question.type in ("single_choice", "true_false"):
            emptied = {}
        moved = answer(client, attempt.id, number, emptied)
        assert moved.status_code == 302
        with app.app_context():
            stored = db.session.scalar(
                sa.select(Response.answer).where(
                    Response.attempt_id == attempt.id,
                    Response.question_id == shown.question.id,
                )
            )
        if shown.question.type in ("single_choice", "true_false"):
            assert stored not in (None, "", [], {}), f"{shown.question.type} lost its answer"
        else:
            assert stored in (None, "", [], {}), f"{shown.question.type} kept a cleared answer"


def test_reload_shows_the_same_order(app, practising):
    client, attempt = practising("cyd")
    url = f"/attempts/{attempt.id}/questions/1"
    order = [presented(app, attempt.id, n).question.id for n in range(1, 7)]
    options = [presented(app, attempt.id, n).options for n in range(1, 7)]
    first = client.get(url).get_data(as_text=True)
    second = client.get(url).get_data(as_text=True)
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert strip.sub("", first) == strip.sub("", second)
    assert [presented(app, attempt.id, n).question.id for n in range(1, 7)] == order
    assert [presented(app, attempt.id, n).options for n in range(1, 7)] == options
    assert sorted(order) == sorted(attempt.question_ids)


def test_unknown_choice_is_rejected_with_a_message(app, practising):
    client, attempt = practising("dee")
    number = next(
        n for n in range(1, 7) if presented(app, attempt.id, n).question.type == "single_choice"
    )
    response = answer(client, attempt.id, number, {"answer": "Somebody else"})
    assert response.status_code == 200
    assert "Choose one of the options shown." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_ordering_with_a_repeated_position_is_rejected(app, practising):
    client, attempt = practising("eve")
    number = next(
        n for n in range(1, 7) if presented(app, attempt.id, n).question.type == "ordering"
    )
    response = answer(
        client, attempt.id, number, {"position_0": "1", "position_1": "1", "position_2": "2"}
    )
    assert response.status_code == 200
    assert "Use each position only once." in response.get_data(as_text=True)


def test_double_submit_counts_once(app, practising):
    client, attempt = practising("fay")
    shown = presented(app, attempt.id, 1)
    answer(client, attempt.id, 1, correct_form_data(shown))
    token = csrf_token(client, f"/attempts/{attempt.id}/review")
    first = client.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token})
    second = client.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        stored = db.session.get(Attempt, attempt.id)
        submitted_at, score = stored.submitted_at, stored.score
        assert score == shown.question.points
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Response.id)).where(Response.attempt_id == attempt.id)
            )
            == 6
        )
    client.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Attempt, attempt.id).submitted_at == submitted_at


def test_answering_after_submission_changes_nothing(app, practising):
    client, attempt = practising("gus")
    shown = presented(app, attempt.id, 1)
    answer(client, attempt.id, 1, correct_form_data(shown))
    form_page = f"/attempts/{attempt.id}/review"
    token = csrf_token(client, form_page)
    client.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token})
    late = client.post(
        f"/attempts/{attempt.id}/questions/1",
        data={"csrf_token": token, **form_data(shown, wrong_answer(shown)), "nav": "next"},
        follow_redirects=True,
    )
    assert "already submitted" in late.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(
            sa.select(Response).where(
                Response.attempt_id == attempt.id, Response.question_id == shown.question.id
            )
        )
        assert row.earned == shown.question.points


def test_another_students_attempt_is_not_found(app, practising, signed_in):
    _hal, theirs = practising("hal")
    client = signed_in("ivy")
    token = csrf_token(client, "/")
    for url in (
        f"/attempts/{theirs.id}/questions/1",
        f"/attempts/{theirs.id}/review",
        f"/attempts/{theirs.id}/results",
        f"/attempts/{theirs.id}/sources/report",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/attempts/{theirs.id}/submit", data={"csrf_token": token}).status_code == 404
    )
    assert (
        client.post(f"/attempts/{theirs.id}/questions/1", data={"csrf_token": token}).status_code
        == 404
    )
    with app.app_context():
        assert db.session.get(Attempt, theirs.id).submitted_at is None


def test_unknown_ids_are_not_found(signed_in):
    client = signed_in("joe")
    token = csrf_token(client, "/")
    assert client.get("/attempts/999/questions/1").status_code == 404
    assert client.post("/quizzes/no-such-set/start", data={"csrf_token": token}).status_code == 404
    start_quiz(client)
    assert client.get("/attempts/1/questions/99").status_code == 404
    assert client.get("/attempts/1/sources/nothing").status_code == 404


def test_answer_key_is_not_in_question_pages(app, practising):
    client, attempt = practising("kim")
    for number in range(1, 7):
        shown = presented(app, attempt.id, number)
        whole = client.get(f"/attempts/{attempt.id}/questions/{number}").get_data(as_text=True)
        # The article beside the question holds every quote, as the source does: it may, as
        # long as it marks none of them. Everywhere else on the page no quote may appear.
        page, panel = without_article_panel(whole)
        assert "<mark" not in panel and "evidence" not in panel.lower()
        assert shown.question.explanation not in whole
        for evidence in shown.question.evidence:
            assert evidence.quote not in page
        assert "correct" not in page.lower()
        assert "<mark" not in client.get(
            f"/attempts/{attempt.id}/sources/report?question={shown.question.id}"
        ).get_data(as_text=True)


def test_results_wait_for_submission(app, practising):
    client, attempt = practising("lee")
    response = client.get(f"/attempts/{attempt.id}/results")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt.id}/review")


def test_post_without_csrf_token_is_refused(app, practising):
    client, attempt = practising("max")
    assert client.post(f"/attempts/{attempt.id}/submit").status_code == 400
    assert client.post("/quizzes/civics-mini/start").status_code == 400
    with app.app_context():
        assert db.session.get(Attempt, attempt.id).submitted_at is None


def test_pages_need_sign_in(client):
    for url in ("/history", "/attempts/1/questions/1", "/attempts/1/results"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]
    assert "Create an account" in client.get("/").get_data(as_text=True)


def test_an_attempt_in_progress_is_counted_as_the_one_being_used(
    create_user, create_class, join_class, create_assignment, start_assignment, sign_in
):
    teacher = create_user("ms-count", role="teacher")
    student = create_user("sam-count")
    classroom = create_class(teacher)
    join_class(student, classroom)
    assignment = create_assignment(classroom, attempts_allowed=2)
    client = sign_in(student)
    before = client.get("/").get_data(as_text=True)
    assert "<dt>Attempts left</dt><dd>2</dd>" in before
    start_assignment(student, assignment)
    during = client.get("/").get_data(as_text=True)
    assert "<dt>Attempts left</dt><dd>1 after this one</dd>" in during and "Resume" in during
