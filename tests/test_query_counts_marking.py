"""The scoring queue and item analysis with heat maps and typed answers run a fixed number of
queries, whatever the class size."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from helpers.factories import make_assignment, make_class, make_user, sign_in
from helpers.marking import MARKING_SET

from quizapp.domain.loader import load_question_set_text
from quizapp.extensions import db
from quizapp.models import Attempt, Enrollment, Response, User
from quizapp.models.types import utcnow
from quizapp.services.question_sets import import_question_set, latest_version_of

#: Once warm: the user, the assignment, then one query for the written responses with their
#: attempts, students and versions.
QUEUE_PAGE_QUERIES = 3
#: The user, the assignment with its class and version, the graded responses, the accepted
#: answers.
ANALYSIS_PAGE_QUERIES = 4

SIZES = {"small": (1, 1), "large": (25, 4)}


def build(app, size: str) -> int:
    """Ms Count's assignment of the marking set with submitted attempts of every kind of
    answer: written responses waiting and scored, evidence picks, typed answers."""
    students, attempts_each = SIZES[size]
    teacher = make_user(app, "ms-count", role="teacher")
    with app.app_context():
        import_question_set(load_question_set_text(MARKING_SET, "m.yaml"), owner_id=teacher.id)
    classroom = make_class(app, teacher)
    assignment = make_assignment(app, classroom, set_slug="marking-mini")
    with app.app_context():
        version = latest_version_of("marking-mini")
        now = utcnow()
        for n in range(students):
            student = User(username=f"pupil{n}", password_hash="x", session_token=f"m-{n}")
            db.session.add(student)
            db.session.flush()
            db.session.add(Enrollment(classroom_id=classroom.id, student_id=student.id))
            for k in range(attempts_each):
                attempt = Attempt(
                    user_id=student.id,
                    version_id=version.id,
                    assignment_id=assignment.id,
                    seed=k,
                    question_ids=["amendment", "amendment-b", "who", "explain"],
                    max_score=6.0,
                    started_at=now,
                    submitted_at=now,
                    score=1.0,
                    pending_points=3.0 if k % 2 == 0 else 0.0,
                )
                db.session.add(attempt)
                db.session.flush()
                scored = k % 2 == 1
                db.session.add_all(
                    [
                        Response(
                            attempt_id=attempt.id,
                            question_id="amendment",
                            answer=f"answer {n % 5}",
                            earned=0.0,
                            possible=1,
                        ),
                        Response(
                            attempt_id=attempt.id,
                            question_id="amendment-b",
                            answer=[str(1 + (n + k) % 4)],
                            earned=0.0,
                            possible=1,
                        ),
                        Response(
                            attempt_id=attempt.id,
                            question_id="who",
                            answer=["Rubio", "Congress"][n % 2],
                            earned=float(n % 2 == 0),
                            possible=1,
                        ),
                        Response(
                            attempt_id=attempt.id,
                            question_id="explain",
                            answer={"text": f"Because {n}", "cited": ["2"]},
                            earned=2.0 if scored else 0.0,
                            possible=3,
                            pending=not scored,
                            rubric_points=[1, 1] if scored else None,
                        ),
                    ]
                )
        db.session.commit()
    return assignment.id


def count_for(client, count_queries, url: str) -> tuple[list[str], str]:
    assert client.get(url).status_code == 200  # warm the caches
    with count_queries() as queries:
        response = client.get(url)
        assert response.status_code == 200
    return queries, response.get_data(as_text=True)


@pytest.mark.parametrize("size", list(SIZES))
def test_marking_pages_run_a_fixed_number_of_queries(app, count_queries, size):
    assignment_id = build(app, size)
    with app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.username == "ms-count"))
        db.session.expunge(teacher)
    client = sign_in(app, teacher)
    students, attempts_each = SIZES[size]
    waiting = students * ((attempts_each + 1) // 2)
    queries, page = count_for(client, count_queries, f"/teach/assignments/{assignment_id}/scoring")
    assert len(queries) == QUEUE_PAGE_QUERIES, "\n\n".join(queries)
    assert f"Still to score ({waiting})" in page
    queries, page = count_for(client, count_queries, f"/teach/assignments/{assignment_id}/analysis")
    assert len(queries) == ANALYSIS_PAGE_QUERIES, "\n\n".join(queries)
    assert page.count('class="heat-count"') == 4 and "answer 0" in page
