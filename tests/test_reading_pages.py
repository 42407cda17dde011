"""The student's pages for the reading types: evidence picked in the text, Part A and Part B on
one page, written responses, and results that wait for the teacher."""

from __future__ import annotations

import json
import re
from functools import partial

import pytest
import sqlalchemy as sa
from helpers import factories
from helpers.forms import post_form

from quizapp.domain.loader import load_question_set_text
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Response, User
from quizapp.services.question_sets import import_question_set
from quizapp.services.results import item_analysis

ARTICLE = (
    "Mr. Smith went to Washington. He met Dr. Jones at 2.5 p.m. sharp.\n"
    "“The plan is illegal,” said J. R. Doe. The U.S. Constitution forbids it. Critics agreed."
)

SET = f"""
format: quizapp/1
id: reading-mini
title: Reading mini
sources:
  article:
    title: The article
    text: {json.dumps(ARTICLE)}
    publisher: The Daily Example
    published: 2025-02-04
questions:
  - id: who-a
    type: single_choice
    prompt: "Part A: Who said the plan is illegal?"
    choices: [J. R. Doe, Mr. Smith]
    answer: J. R. Doe
    shuffle: false
    explanation: Doe said so.
  - id: who-b
    type: select_evidence
    part_of: who-a
    prompt: "Part B: Which sentence shows it?"
    source: article
    answer: ["said J. R. Doe"]
    explanation: The attribution names Doe.
  - id: explain
    type: written_response
    prompt: Explain the objection.
    rubric:
      - {{points: 2, criterion: States the objection}}
    cite: article
    max_words: 10
    explanation: A strong answer names the Constitution.
"""


@pytest.fixture
def attempt_url(app):
    """A student's attempt at an assignment of the reading set: (student, the URL of its
    pages without the number, teacher)."""
    return start_reading(app)


def start_reading(app, **settings):
    """A teacher's assignment of the reading set, started by a student in the class."""
    teacher = factories.make_user(app, "ms-lee", role="teacher")
    with app.app_context():
        import_question_set(load_question_set_text(SET, "reading.yaml"), owner_id=teacher.id)
    classroom = factories.make_class(app, teacher)
    assignment = factories.make_assignment(
        app, classroom, set_slug="reading-mini", attempts_allowed=1, **settings
    )
    student = factories.make_user(app, "sam")
    factories.join_class(app, student, classroom)
    attempt = factories.start_assignment(app, student, assignment)
    signed_in = partial(factories.sign_in, app)
    return signed_in(student), f"/attempts/{attempt.id}/questions", signed_in(teacher)


def item_order(app) -> list[str]:
    with app.app_context():
        return db.session.scalar(sa.select(Attempt.question_ids))


def saved(app) -> dict[str, object]:
    with app.app_context():
        return dict(db.session.execute(sa.select(Response.question_id, Response.answer)).all())


def page_number(app, question_id: str) -> int:
    order = [qid for qid in item_order(app) if qid != "who-b"]
    return order.index(question_id) + 1


def test_part_a_and_b_are_one_page_with_the_sentences_in_the_text(app, attempt_url) -> None:
    student, base, _ = attempt_url
    order = item_order(app)
    assert order.index("who-b") == order.index("who-a") + 1
    number = page_number(app, "who-a")
    html = student.get(f"{base}/{number}").get_data(as_text=True)
    assert "Question 1 of 2" in html or "Question 2 of 2" in html
    assert "Part A: Who said the plan is illegal?" in html
    assert '<section class="part-b" aria-labelledby="part-b-heading">' in html
    # Each sentence is a radio button labelled by the sentence, inside its paragraph.
    assert re.search(
        r'<label class="sentence" for="part_b-answer-3"><input id="part_b-answer-3" '
        r'name="part_b-answer" type="radio" value="3"><span class="sentence-text">'
        r"“The plan is illegal,” said J. R. Doe.</span></label>",
        html,
    )
    assert html.count("<legend>") >= 2
    # Nothing of the key is on the page before grading.
    assert "attribution names Doe" not in html
    response = post_form(
        student,
        f"{base}/{number}",
        {"answer": "J. R. Doe", "part_b-answer": "3", "nav": "next"},
    )
    assert response.status_code == 302
    assert saved(app) == {"who-a": "J. R. Doe", "who-b": ["3"]}
    again = student.get(f"{base}/{number}").get_data(as_text=True)
    assert 'checked id="part_b-answer-3"' in again


def test_a_refused_part_b_saves_neither_part_and_says_why(app, attempt_url) -> None:
    student, base, _ = attempt_url
    number = page_number(app, "who-a")
    response = post_form(
        student, f"{base}/{number}", {"answer": "J. R. Doe", "part_b-answer": ["3", "4"]}
    )
    assert response.status_code == 200
    assert "Pick at most 1 sentence; you picked 2." in response.get_data(as_text=True)
    assert saved(app) == {}


def test_a_written_response_keeps_its_text_counts_words_and_waits(app, attempt_url) -> None:
    student, base, _ = attempt_url
    number = page_number(app, "explain")
    url = f"{base}/{number}"
    html = student.get(url).get_data(as_text=True)
    assert '<textarea aria-describedby="answer-hint answer-count"' in html
    assert "0 of 10 words" in html
    too_long = "It would violate the Constitution of the United States of America, they say."
    refused = post_form(student, url, {"answer": too_long, "cited": ["4"]})
    page = refused.get_data(as_text=True)
    assert "Keep your answer to 10 words; it has 13." in page
    assert too_long in page and 'checked id="cited-4"' in page
    answer = "It violates the Constitution, experts say."
    post_form(student, url, {"answer": answer, "cited": ["4"], "nav": "next"})
    assert saved(app)["explain"] == {"text": answer, "cited": ["4"]}
    assert "6 of 10 words" in student.get(url).get_data(as_text=True)

    first = page_number(app, "who-a")
    post_form(student, f"{base}/{first}", {"answer": "Mr. Smith", "part_b-answer": "3"})
    attempt_id = base.split("/")[2]
    post_form(student, f"/attempts/{attempt_id}/submit", {}, page=f"/attempts/{attempt_id}/review")
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        assert (attempt.score, attempt.pending_points, attempt.is_provisional) == (0, 2, True)
        rows = {r.question_id: r for r in db.session.scalars(sa.select(Response))}
        # Part B named the right sentence, but Part A was wrong: it earns nothing.
        assert (rows["who-a"].earned, rows["who-b"].earned) == (0, 0)
        assert rows["explain"].pending and rows["explain"].earned == 0
    teacher = attempt_url[2]
    with app.app_context():
        assignment_id = db.session.scalar(sa.select(Attempt.assignment_id))
    for page in ("", "/analysis", "/results.csv"):
        assert teacher.get(f"/teach/assignments/{assignment_id}{page}").status_code == 200, page
    with app.app_context():
        analysis = item_analysis(db.session.get(Assignment, assignment_id))
        by_id = {item.question.id: item for item in analysis.items}
        # Unscored, the written response is not counted as a wrong answer.
        assert (by_id["explain"].responses, by_id["explain"].facility) == (0, None)
        assert by_id["who-a"].responses == 1
    results = student.get(f"/attempts/{attempt_id}/results").get_data(as_text=True)
    assert "Waiting for your teacher to score this answer." in results
    assert "This score is provisional: your teacher has still to score 2 points" in results
    assert "A strong answer names the Constitution." not in results  # the model answer waits
    assert "You picked this, and it is right:" in results
    assert 'id="q-1-b"' in results or 'id="q-2-b"' in results
    assert "(Part B)" in results
    assert "your evidence was right, but Part B scores only when Part A is right" in results


def test_the_yaml_download_round_trips_every_new_field(app, attempt_url) -> None:
    teacher = attempt_url[2]
    exported = teacher.get("/teach/sets/reading-mini/versions/1.yaml")
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    for field in ("part_of: who-a", "source: article", "rubric:", "cite: article", "max_words: 10"):
        assert field in text, field
    assert "publisher: The Daily Example" in text and "published: '2025-02-04'" in text
    original = load_question_set_text(SET, "reading.yaml")
    again = load_question_set_text(text, "again.yaml")
    assert again.questions == original.questions
    assert again.sources == original.sources


def test_the_source_page_shows_its_citation(app, attempt_url) -> None:
    student, base, _ = attempt_url
    attempt_id = base.split("/")[2]
    html = student.get(f"/attempts/{attempt_id}/sources/article").get_data(as_text=True)
    assert '<p class="meta source-citation">The Daily Example. 2025-02-04</p>' in html


def test_the_teacher_previews_and_prints_the_reading_types(app, attempt_url) -> None:
    teacher = attempt_url[2]
    page = teacher.get("/teach/sets/reading-mini").get_data(as_text=True)
    assert "written response · Part B" not in page
    assert "select evidence · Part B of who-a" in page
    assert "5 sentences of “The article” offered; the student picks 1." in page  # its title
    # Counted as students count them (and as the draw rule does): Part A and B are one.
    assert '<td data-label="Questions">2</td>' in page
    assert "2 points: States the objection" in page
    for url in (
        "/teach/sets/reading-mini/versions/1/print",
        "/teach/sets/reading-mini/versions/1/answer-key",
    ):
        assert teacher.get(url).status_code == 200, url


def test_free_practice_keeps_a_part_b_with_its_part_a(app, signed_in) -> None:
    with app.app_context():
        content = load_question_set_text(SET.replace("reading-mini", "reading-free"), "r.yaml")
        import_question_set(content)  # no owner: shipped with the app, open to free practice
    student = signed_in("pat")
    for _ in range(3):  # several seeds
        with app.app_context():
            db.session.execute(sa.delete(Attempt))
            db.session.commit()
        post_form(student, "/quizzes/reading-free/start", {}, page="/")
        order = item_order(app)
        assert order.index("who-b") == order.index("who-a") + 1


def test_practice_feedback_shows_both_parts_and_the_pair_rule(app) -> None:
    student, base, _ = start_reading(app, mode="practice")
    url = f"{base}/{page_number(app, 'who-a')}"
    post_form(student, url, {"answer": "Mr. Smith", "part_b-answer": "3", "nav": "next"})
    html = student.get(url).get_data(as_text=True)
    assert "Part A: Who said the plan is illegal?" in html
    assert '<h2 class="prompt" id="part-b-heading">Part B: Which sentence shows it?</h2>' in html
    assert "(Part B scores only when Part A is right)" in html
    with app.app_context():
        rows = {r.question_id: r.earned for r in db.session.scalars(sa.select(Response))}
    assert rows == {"who-a": 0, "who-b": 0}


@pytest.mark.parametrize("others", [0, 25])
def test_the_evidence_pages_run_a_fixed_number_of_queries(
    app, attempt_url, count_queries, others
) -> None:
    """The Part A/B page, whatever the number of other attempts."""
    student, base, _ = attempt_url
    with app.app_context():
        attempt = db.session.scalar(sa.select(Attempt))
        for n in range(others):
            user = User(username=f"reader{n}", password_hash="x", session_token=f"r{n}")
            db.session.add(user)
            db.session.flush()
            db.session.add(
                Attempt(
                    user_id=user.id,
                    version_id=attempt.version_id,
                    seed=n,
                    question_ids=attempt.question_ids,
                    max_score=attempt.max_score,
                )
            )
        db.session.commit()
    url = f"{base}/{page_number(app, 'who-a')}"
    assert student.get(url).status_code == 200  # warms the caches
    with count_queries() as queries:
        assert student.get(url).status_code == 200
    # As for every question page (tests/test_query_counts.py): the user, the attempt, the answers.
    assert len(queries) == 3, "\n\n".join(queries)


def test_the_quiz_list_counts_a_part_a_and_its_part_b_as_one_question(app, attempt_url) -> None:
    """The card's count is the quiz's "Question 1 of N": the reading set's three questions
    are two items."""
    student, base, _ = attempt_url
    assert "Question 1 of 2" in student.get(f"{base}/1").get_data(as_text=True)
    listing = student.get("/").get_data(as_text=True)
    assert re.search(r"<dt>Questions</dt><dd>2</dd>", listing), listing
    assert not re.search(r"<dt>Questions</dt><dd>3</dd>", listing)


@pytest.mark.parametrize(("drawn", "shown"), [(1, 1), (5, 2)])
def test_an_assignments_card_counts_the_questions_an_attempt_will_show(app, drawn, shown) -> None:
    """A draw of 5 from 2 items is refused now, but an assignment saved before the rule may
    hold one: its card says what its attempts show."""
    student, _, _ = start_reading(app)
    with app.app_context():
        db.session.execute(sa.update(Assignment).values(question_count=drawn))
        db.session.commit()
    listing = student.get("/").get_data(as_text=True)
    assert f"<dt>Questions</dt><dd>{shown}</dd>" in listing, listing


def test_a_single_pick_says_a_pick_changes_by_choosing_another(app, attempt_url) -> None:
    """One sentence to pick is a radio button: picking it again cannot clear it."""
    student, base, _ = attempt_url
    html = student.get(f"{base}/{page_number(app, 'who-a')}").get_data(as_text=True)
    assert 'type="radio"' in html
    assert "Select a sentence to pick it; select another to change your mind." in html
    assert "select it again" not in html
