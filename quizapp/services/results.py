"""What teachers read: results per assignment and per student, item analysis, CSV exports.

Every function here runs a fixed number of queries however many students, attempts or
questions there are: rows are fetched in one query each and combined in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..domain.marking import TypedAnswer, typed_answers
from ..domain.model import Question
from ..domain.spreadsheet import to_csv
from ..domain.statistics import Analysis, GradedResponse, analyse, counted_fraction, histogram
from ..extensions import db
from ..models import BEST, Assignment, Attempt, Classroom, Response, User
from . import regrades
from .assignments import class_assignments
from .attempts import ResultItem, result_items
from .classes import roster
from .question_sets import version_questions

SORT_KEYS = ("name", "attempts", "score", "time", "submitted")


@dataclass
class StudentResult:
    """One student's row in an assignment's results table."""

    student: User
    attempts: list[Attempt] = field(default_factory=list)
    #: The counted score as a fraction 0..1 (best, last or average of submitted attempts).
    counted: float | None = None
    rule: str = BEST

    @property
    def submitted(self) -> list[Attempt]:
        """Submitted attempts, oldest first."""
        return [a for a in self.attempts if a.is_submitted]

    @property
    def representative(self) -> Attempt | None:
        """The attempt whose time is shown: the best one, or the last for last/average."""
        done = self.submitted
        if not done:
            return None
        if self.rule != BEST:
            return done[-1]
        return max(done, key=lambda a: (a.percent or 0.0, a.id))

    @property
    def time_taken(self) -> timedelta | None:
        """How long the shown attempt took."""
        attempt = self.representative
        if attempt is None or attempt.submitted_at is None:
            return None
        return attempt.submitted_at - attempt.started_at

    @property
    def submitted_at(self) -> datetime | None:
        """When the shown attempt was submitted."""
        attempt = self.representative
        return None if attempt is None else attempt.submitted_at


def _attempts_by_student(assignment_ids: list[int]) -> dict[tuple[int, int], list[Attempt]]:
    found: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
    if not assignment_ids:
        return found
    for attempt in db.session.scalars(
        sa.select(Attempt).where(Attempt.assignment_id.in_(assignment_ids)).order_by(Attempt.id)
    ):
        found[(attempt.assignment_id or 0, attempt.user_id)].append(attempt)
    return found


def _counted(attempts: list[Attempt], rule: str) -> float | None:
    fractions = [(a.score or 0.0) / a.max_score for a in attempts if a.is_submitted and a.max_score]
    return counted_fraction(fractions, rule)


def assignment_results(
    assignment: Assignment, sort: str = "name", descending: bool = False
) -> list[StudentResult]:
    """A row per enrolled student, including those who have not started."""
    attempts = _attempts_by_student([assignment.id])
    rows = []
    for student in roster(assignment.classroom):
        mine = attempts.get((assignment.id, student.id), [])
        rows.append(
            StudentResult(student, mine, _counted(mine, assignment.counting), assignment.counting)
        )
    rows.sort(key=_sort_key(sort), reverse=descending)
    return rows


def _sort_key(sort: str) -> Callable[[StudentResult], tuple[object, ...]]:
    def key(row: StudentResult) -> tuple[object, ...]:
        name = row.student.name.lower()
        missing = row.counted is None
        if sort == "attempts":
            return (len(row.attempts), name)
        if sort == "score":
            return (not missing, row.counted or 0.0, name)
        if sort == "time":
            return (row.time_taken is not None, row.time_taken or timedelta(0), name)
        if sort == "submitted":
            return (row.submitted_at is not None, row.submitted_at or datetime.min, name)
        return (name,)

    return key


def score_distribution(rows: list[StudentResult], bins: int = 10) -> list[int]:
    """How many students' counted scores fall in each band of 10 percentage points."""
    return histogram((row.counted * 100 for row in rows if row.counted is not None), bins)


@dataclass(frozen=True)
class StudentAttemptDetail:
    """One attempt of one student with every answer marked."""

    attempt: Attempt
    items: list[ResultItem]


def student_detail(assignment: Assignment, student: User) -> list[StudentAttemptDetail]:
    """Every attempt a student made at an assignment, with answers marked right or wrong."""
    attempts = list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.assignment_id == assignment.id, Attempt.user_id == student.id)
            .order_by(Attempt.id)
        )
    )
    responses: dict[int, dict[str, Response]] = defaultdict(dict)
    if attempts:
        for row in db.session.scalars(
            sa.select(Response).where(Response.attempt_id.in_([a.id for a in attempts]))
        ):
            responses[row.attempt_id][row.question_id] = row
    return [
        StudentAttemptDetail(attempt, result_items(attempt, responses[attempt.id]))
        for attempt in attempts
    ]


def _graded_rows(assignment: Assignment) -> list[GradedResponse]:
    rows = db.session.execute(
        sa.select(
            Response.attempt_id,
            Response.question_id,
            Response.earned,
            Response.possible,
            Response.answer,
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(
            Attempt.assignment_id == assignment.id,
            Attempt.version_id == assignment.version_id,
            Attempt.submitted_at.is_not(None),
            # A written response the teacher has not scored yet says nothing about the item.
            Response.pending.is_(False),
        )
    ).all()
    return [
        GradedResponse(attempt_id, question_id, earned or 0.0, float(possible or 0), answer)
        for attempt_id, question_id, earned, possible, answer in rows
    ]


def item_analysis(assignment: Assignment) -> Analysis:
    """Facility, discrimination, distractors and category means over submitted attempts.

    Attempts on an earlier version of the set (before the teacher switched it) are left out,
    since their questions may differ, and so are written responses still to be scored.
    """
    questions: list[Question] = list(version_questions(assignment.version).values())
    return analyse(questions, _graded_rows(assignment))


@dataclass(frozen=True)
class AnalysisPage:
    """Item analysis with every distinct typed answer to each short-answer question."""

    analysis: Analysis
    #: Per short-answer question id, its typed answers, most frequent first.
    typed: dict[str, list[TypedAnswer]]


def analysis_page(assignment: Assignment) -> AnalysisPage:
    """Everything the item-analysis page shows, in two queries at any class size."""
    questions: list[Question] = list(version_questions(assignment.version).values())
    rows = _graded_rows(assignment)
    typed = typed_answers(questions, rows, regrades.accepted_forms(assignment))
    return AnalysisPage(analyse(questions, rows), typed)


def _iso(value: datetime | None, time_zone: str) -> str:
    """A time in the class's zone, with its UTC offset, so a spreadsheet reads the same moment."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(time_zone)).isoformat(timespec="seconds")


def assignment_csv(assignment: Assignment) -> str:
    """One row per student, one column per question's score (the counted attempt's)."""
    questions = list(version_questions(assignment.version).values())
    results = assignment_results(assignment)
    wanted = [r.representative.id for r in results if r.representative is not None]
    scores: dict[int, dict[str, float | None]] = defaultdict(dict)
    if wanted:
        for attempt_id, question_id, earned in db.session.execute(
            sa.select(Response.attempt_id, Response.question_id, Response.earned).where(
                Response.attempt_id.in_(wanted)
            )
        ):
            scores[attempt_id][question_id] = earned
    header = [
        "student",
        "username",
        "attempts",
        "score_percent",
        "submitted_at",
        "time_taken_seconds",
    ]
    header += [q.id for q in questions]
    lines = []
    for row in results:
        shown = row.representative
        per_question = scores.get(shown.id, {}) if shown else {}
        lines.append(
            [
                row.student.name,
                row.student.username,
                len(row.attempts),
                None if row.counted is None else round(row.counted * 100, 2),
                _iso(row.submitted_at, assignment.classroom.time_zone),
                None if row.time_taken is None else int(row.time_taken.total_seconds()),
                *[
                    per_question.get(q.id) if shown and q.id in shown.question_ids else None
                    for q in questions
                ],
            ]
        )
    return to_csv(header, lines)


def gradebook_csv(classroom: Classroom) -> str:
    """One row per student, one column per assignment (its counted score in percent).

    Archived assignments keep their column, marked so: archiving puts an assignment away from
    the students, and its results stay, so a term's export still holds the grades they earned.
    """
    assignments = class_assignments(classroom)
    assignments.reverse()  # oldest first, as a gradebook reads
    attempts = _attempts_by_student([a.id for a in assignments])
    header = ["student", "username", *[_gradebook_column(a) for a in assignments]]
    lines = []
    for student in roster(classroom):
        cells: list[object] = [student.name, student.username]
        for assignment in assignments:
            counted = _counted(attempts.get((assignment.id, student.id), []), assignment.counting)
            cells.append(None if counted is None else round(counted * 100, 2))
        lines.append(cells)
    return to_csv(header, lines)


def _gradebook_column(assignment: Assignment) -> str:
    """An assignment's gradebook header (the CSV's headers stay English, as a file's do)."""
    return (
        f"{assignment.title} (%, archived)" if assignment.archived_at else f"{assignment.title} (%)"
    )
