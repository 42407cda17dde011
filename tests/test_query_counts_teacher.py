"""The teacher's results and item-analysis pages run a fixed number of queries at any size."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Classroom, Enrollment, Response, User
from quizapp.models.types import utcnow
from quizapp.services.question_sets import latest_version_of, version_questions

#: Queries once warm, whatever the class size: the user, the assignment (with its class and
#: version), then one query per kind of row (students, attempts, responses). Raise only for a
#: query that does not repeat per row.
RESULTS_PAGE_QUERIES = 5  # the 5th: whether the assignment sends grades to an LMS
ANALYSIS_PAGE_QUERIES = 4  # the 4th: the short answers the teacher accepted
STUDENT_PAGE_QUERIES = 5

#: Students in the class and submitted attempts each.
SIZES = {"small": (1, 1), "large": (30, 10)}


def build_class(app, size: str) -> tuple[int, int]:
    """A class of the given size with graded attempts; (assignment id, one student's id)."""
    students, attempts_each = SIZES[size]
    with app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.username == "ms-count"))
        version = latest_version_of("civics-mini")
        questions = list(version_questions(version).values())
        classroom = Classroom(
            teacher_id=teacher.id, name="Counted", join_code=f"CNT{size[:5].upper()}"
        )
        db.session.add(classroom)
        db.session.flush()
        assignment = Assignment(
            classroom_id=classroom.id,
            version_id=version.id,
            title="Counted quiz",
            attempts_allowed=None,
        )
        db.session.add(assignment)
        db.session.flush()
        now = utcnow()
        first_student = None
        for n in range(students):
            student = User(username=f"pupil{n}", password_hash="x", session_token=f"count-{n}")
            db.session.add(student)
            db.session.flush()
            first_student = first_student or student.id
            db.session.add(Enrollment(classroom_id=classroom.id, student_id=student.id))
            for k in range(attempts_each):
                attempt = Attempt(
                    user_id=student.id,
                    version_id=version.id,
                    assignment_id=assignment.id,
                    seed=k,
                    question_ids=[q.id for q in questions],
                    max_score=float(version.total_points),
                    started_at=now,
                    submitted_at=now,
                    score=float((n + k) % (version.total_points + 1)),
                )
                db.session.add(attempt)
                db.session.flush()
                db.session.add_all(
                    Response(
                        attempt_id=attempt.id,
                        question_id=q.id,
                        answer=q.choices[(n + k) % len(q.choices)] if q.choices else None,
                        earned=float((n + k) % 2) * q.points,
                        possible=q.points,
                    )
                    for q in questions
                )
        db.session.commit()
        return assignment.id, first_student


def count_for(client, count_queries, url: str) -> int:
    assert client.get(url).status_code == 200  # warm the caches
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", list(SIZES))
def test_teacher_pages_run_a_fixed_number_of_queries(app, signed_in, count_queries, size):
    teacher = signed_in("ms-count", role="teacher")
    assignment_id, student_id = build_class(app, size)
    base = f"/teach/assignments/{assignment_id}"
    page = teacher.get(base).get_data(as_text=True)
    assert page.count("pupil") >= SIZES[size][0]
    assert count_for(teacher, count_queries, base) == RESULTS_PAGE_QUERIES
    assert (
        count_for(teacher, count_queries, base + "?sort=score&order=desc") == RESULTS_PAGE_QUERIES
    )
    assert count_for(teacher, count_queries, base + "/analysis") == ANALYSIS_PAGE_QUERIES
    assert (
        count_for(teacher, count_queries, f"{base}/students/{student_id}") == STUDENT_PAGE_QUERIES
    )
