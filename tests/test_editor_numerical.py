"""A numerical question in the browser editor over HTTP: answers with a tolerance or a range,
credit and feedback written without JavaScript, shown again, published; errors beside fields."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers.editor import BASE, EVERY_TYPE
from helpers.forms import post_form
from test_editor_pages import new_question, start, stored

from quizapp.domain.question_editor import NUMBER_ROW_KEYS, data_from_field, field_value
from quizapp.domain.question_types import question_type
from quizapp.extensions import db
from quizapp.models import QuestionSet, QuestionSetVersion


@pytest.fixture
def teacher(signed_in):
    return signed_in("tess", role="teacher")


def test_a_numerical_question_with_a_range_credit_and_feedback_is_written_and_published(
    app, teacher
):
    draft_id = start(teacher)
    sent = {**EVERY_TYPE["numerical"], "answer-0-tolerance": "0,5", "tolerance": "0.25"}
    assert new_question(teacher, draft_id, "numerical", sent).status_code == 303
    _, document = stored(app, draft_id)
    [question] = document["questions"]
    assert question["answer"] == [
        {"value": 3, "tolerance": "0,5"},
        {"min": 2, "max": 4, "credit": 50, "feedback": "Close: the vote is on March 3."},
    ]
    assert question["tolerance"] == 0.25
    # The form shows what was saved, and saving it unchanged keeps it.
    edit_url = f"/teach/drafts/{draft_id}/questions/1"
    page = teacher.get(edit_url).get_data(as_text=True)
    assert re.search(r'name="answer-1-max"[^>]*value="4"', page)
    assert 'value="Close: the vote is on March 3."' in page
    assert re.search(r'name="tolerance"[^>]*value="0.25"', page)
    assert "Ready to publish" in teacher.get(f"/teach/drafts/{draft_id}").get_data(as_text=True)
    published = post_form(teacher, f"/teach/drafts/{draft_id}/publish", {}, page=edit_url)
    assert published.status_code == 303
    with app.app_context():
        version = db.session.scalars(
            sa.select(QuestionSetVersion)
            .join(QuestionSet)
            .where(QuestionSet.slug == "council-vote")
        ).one()
        [kept] = version.document["questions"]
    assert kept["type"] == "numerical"
    assert kept["answer"][1]["feedback"] == "Close: the vote is on March 3."


@pytest.mark.parametrize(
    ("sent", "field", "message"),
    [
        ({"answer-0-value": "about three"}, "answer", "answer 1 must be a number"),
        ({"answer-0-min": "4", "answer-0-max": "2"}, "answer", "needs a number min and a number"),
        (
            {"answer-0-value": "3", "tolerance": "-1"},
            "tolerance",
            "tolerance must be a number of 0",
        ),
    ],
)
def test_a_wrong_number_is_shown_beside_its_field_and_kept(app, teacher, sent, field, message):
    draft_id = start(teacher)
    response = new_question(teacher, draft_id, "numerical", {**BASE, **sent})
    assert response.headers["Location"].endswith(f"/teach/drafts/{draft_id}/questions/1")
    page = teacher.get(response.headers["Location"]).get_data(as_text=True)
    error = page.index(f'id="{field}-error"')
    assert message in page[error : page.index("</p>", error)]
    # The field (or the group of answer rows) is described by its error.
    assert re.search(rf'aria-describedby="[^"]*{field}-error"', page)
    for value in sent.values():
        assert f'value="{value}"' in page  # nothing typed is lost
    draft_page = teacher.get(f"/teach/drafts/{draft_id}").get_data(as_text=True)
    assert "Not ready to publish yet" in draft_page


def test_the_documented_answers_show_in_the_rows_and_are_written_back_as_they_were():
    documented = [
        {"value": 1822, "feedback": "Exactly."},
        {"value": 1822, "tolerance": 2, "credit": 50, "feedback": "Within two years."},
        {"min": 1800, "max": 1850, "credit": 10},
        1820.5,
    ]
    [answers, tolerance] = question_type("numerical").editor_fields
    rows = field_value(answers, {"answer": documented})
    assert rows[2] == {
        **dict.fromkeys(NUMBER_ROW_KEYS, ""),
        "min": "1800",
        "max": "1850",
        "credit": "10",
    }
    assert data_from_field(answers, rows) == {"answer": documented}
    assert data_from_field(answers, [dict.fromkeys(NUMBER_ROW_KEYS, "")]) == {}
    assert data_from_field(tolerance, field_value(tolerance, {"tolerance": 0.5})) == {
        "tolerance": 0.5
    }
