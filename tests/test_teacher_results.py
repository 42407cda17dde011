"""What teachers read: the results table, each student's answers, item analysis, CSV exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from quizapp.extensions import db
from quizapp.models import Attempt


@pytest.fixture
def graded(create_user, sign_in, create_class, join_class, create_assignment, take_assignment):
    """A class of three: Ada answers all right, Bo all wrong, Cy never starts."""
    teacher = create_user("ms-lee", role="teacher")
    classroom = create_class(teacher, name="Civics 9B")
    students = {
        name: create_user(username, display_name=name)
        for name, username in (("Ada", "ada"), ("Bo", "bob"), ("Cy", "cyd"))
    }
    for student in students.values():
        join_class(student, classroom)
    assignment = create_assignment(classroom, title="=Curfew quiz")
    take_assignment(students["Ada"], assignment, correct=True)
    take_assignment(students["Bo"], assignment, correct=False)
    return sign_in(teacher), classroom.id, assignment.id


def test_results_table_lists_every_student_and_sorts(graded):
    teacher, _class_id, assignment_id = graded
    page = teacher.get(f"/teach/assignments/{assignment_id}").get_data(as_text=True)
    assert page.index(">Ada<") < page.index(">Bo<") < page.index(">Cy<")
    assert (
        '<td data-label="Counted score">100%</td>' in page
        and '<td data-label="Counted score">0%</td>' in page
        and "Not started" in page
    )
    by_score = teacher.get(f"/teach/assignments/{assignment_id}?sort=score&order=desc").get_data(
        as_text=True
    )
    assert by_score.index(">Ada<") < by_score.index(">Bo<") < by_score.index(">Cy<")
    assert 'aria-sort="descending"' in by_score
    ascending = teacher.get(f"/teach/assignments/{assignment_id}?sort=score&order=asc").get_data(
        as_text=True
    )
    assert ascending.index(">Cy<") < ascending.index(">Bo<") < ascending.index(">Ada<")
    assert "<svg" in page and 'role="img"' in page
    assert "90 to 100%: 1 student." in page and "0 to 10%: 1 student." in page


def test_student_detail_marks_each_answer(app, graded):
    teacher, _class_id, assignment_id = graded
    with app.app_context():
        bo = db.session.scalar(db.select(Attempt).order_by(Attempt.id.desc()))
        bo_id = bo.user_id
    page = teacher.get(f"/teach/assignments/{assignment_id}/students/{bo_id}").get_data(
        as_text=True
    )
    assert page.count("Incorrect") == 6
    assert "Attempt 1" in page


def test_item_analysis_page(graded):
    teacher, _class_id, assignment_id = graded
    page = teacher.get(f"/teach/assignments/{assignment_id}/analysis").get_data(as_text=True)
    assert "From 2 submitted attempts" in page
    assert (
        page.count('<td data-label="Facility">50%</td>') >= 6
    )  # every question: one right, one wrong
    assert (
        '<td data-label="Discrimination">1.00</td>' in page
    )  # perfectly discriminating with one strong and one weak student
    assert "Ana Ortiz: 1" in page  # distractor counts
    marked = ' <span class="outcome outcome-correct">(<span aria-hidden="true">✓</span> correct)'
    # The key's choices are marked: one single choice, two multiple choices, one true/false.
    assert page.count(marked) == 4
    for label in ("Ana Ortiz", "The right to assemble", "A curfew at ten o&#39;clock", "False"):
        assert f"{label}: 1{marked}" in page, label


def test_assignment_csv_export(graded):
    teacher, _class_id, assignment_id = graded
    response = teacher.get(f"/teach/assignments/{assignment_id}/results.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:6] == [
        "student",
        "username",
        "attempts",
        "score_percent",
        "submitted_at",
        "time_taken_seconds",
    ]
    assert len(rows[0]) == 6 + 6
    ada = next(r for r in rows if r[0] == "Ada")
    assert ada[3] == "100" and ada[4].endswith("+00:00") and "T" in ada[4]
    assert ada[6:] == ["1", "2", "1", "1", "1", "1"] or sorted(ada[6:]) == [
        "1",
        "1",
        "1",
        "1",
        "1",
        "2",
    ]
    cy = next(r for r in rows if r[0] == "Cy")
    assert cy[2:] == ["0", "", "", ""] + [""] * 6


def test_gradebook_csv_escapes_formulas(graded):
    teacher, class_id, _assignment_id = graded
    text = teacher.get(f"/teach/classes/{class_id}/gradebook.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["student", "username", "'=Curfew quiz (%)"]
    assert (
        ["Ada", "ada", "100"] in rows and ["Bo", "bob", "0"] in rows and ["Cy", "cyd", ""] in rows
    )


@pytest.mark.parametrize(
    ("counting", "counted", "time_taken", "submitted_on"),
    [
        ("best", "100%", "7 min 30 s", "2026-11-20"),
        ("last", "0%", "2 min 0 s", "2026-11-21"),
        ("average", "50%", "2 min 0 s", "2026-11-21"),
    ],
)
def test_each_row_shows_the_counted_attempts_score_and_times(
    app,
    create_user,
    sign_in,
    create_class,
    join_class,
    create_assignment,
    take_assignment,
    start_assignment,
    counting,
    counted,
    time_taken,
    submitted_on,
):
    """Best shows the best attempt's time, last and average the last submitted one's; an attempt
    in progress counts as started but not in the score; a written answer to score is noted."""
    teacher = create_user("ms-ray", role="teacher")
    classroom = create_class(teacher, name="Civics 10", time_zone="UTC")
    ada = create_user("ada", display_name="Ada")
    join_class(ada, classroom)
    join_class(create_user("cyd", display_name="Cy"), classroom)
    assignment = create_assignment(classroom, attempts_allowed=None, counting=counting)
    right = take_assignment(ada, assignment, correct=True)
    wrong = take_assignment(ada, assignment, correct=False)
    start_assignment(ada, assignment)
    times = {
        right.id: (
            datetime(2026, 11, 20, 14, 52, 30, tzinfo=UTC),
            datetime(2026, 11, 20, 15, 0, tzinfo=UTC),
        ),
        wrong.id: (
            datetime(2026, 11, 21, 15, 58, tzinfo=UTC),
            datetime(2026, 11, 21, 16, 0, tzinfo=UTC),
        ),
    }
    with app.app_context():
        for attempt_id, (started, submitted) in times.items():
            attempt = db.session.get(Attempt, attempt_id)
            attempt.started_at, attempt.submitted_at = started, submitted
        db.session.get(Attempt, wrong.id).pending_points = 2.0
        db.session.commit()
    teacher_client = sign_in(teacher)
    page = teacher_client.get(f"/teach/assignments/{assignment.id}").get_data(as_text=True)
    row = re.search(r'<a href="([^"]+)">Ada</a>(.*?)</tr>', page, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(2), re.S)
    assert cells[:3] == ["3", counted, time_taken]
    assert cells[3].startswith(submitted_on)
    assert "Not started" in page.split(">Cy<")[1].split("</tr>")[0]
    assert "1 submitted attempt has written answers to score" in page
    assert "Counted scores of 1 student" in page
    detail = teacher_client.get(row.group(1))
    assert detail.status_code == 200 and "Ada" in detail.get_data(as_text=True)
