"""What teachers read: results per assignment and per student, item analysis, CSV exports.

Every function here runs a fixed number of queries however many students, attempts or
questions there are: rows are fetched in one query each and combined in Python.
"""

from __future__ import annotations

import functools
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
from ..models import BEST, Assignment, Attempt, Classroom, Enrollment, Response, User
from . import regrades
from .assignments import class_assignments
from .attempts import ResultItem, result_items
from .classes import roster, roster_order
from .question_sets import version_questions

SORT_KEYS = ("name", "attempts", "score", "time", "submitted")


@dataclass(frozen=True, slots=True)
class StudentResult:
    """One student's row in an assignment's results table, as plain values."""

    student_id: int
    name: str
    username: str
    #: Attempts started, submitted or not.
    attempts: int
    #: The counted score as a fraction 0..1 (best, last or average of submitted attempts).
    counted: float | None
    #: The attempt whose times are shown: the best submitted one, or the last for last/average.
    shown_attempt_id: int | None
    time_taken: timedelta | None
    submitted_at: datetime | None


@dataclass(frozen=True)
class AssignmentResults:
    """Everything an assignment's results page shows, from one query."""

    rows: list[StudentResult]
    #: Submitted attempts with written answers still to score: their scores are provisional.
    provisional: int
    #: How many students' counted scores fall in each band of 10 percentage points.
    distribution: list[int]

    @property
    def scored(self) -> int:
        """Students with a counted score."""
        return sum(self.distribution)


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


def _shown_attempt_rank(best: bool) -> sa.Over[int]:
    """1 on the attempt whose times a student's row shows: submitted ones first, then the best
    (by percent, as ``Attempt.percent`` counts it; the later on a tie) or the last."""
    submitted_last = Attempt.submitted_at.is_(None)
    if not best:
        return sa.func.row_number().over(
            partition_by=Attempt.user_id, order_by=(submitted_last, Attempt.id.desc())
        )
    percent = sa.case(
        (
            sa.and_(Attempt.score.is_not(None), Attempt.max_score != 0),
            sa.literal(100.0, sa.Float) * Attempt.score / Attempt.max_score,
        ),
        else_=sa.literal(0.0, sa.Float),
    )
    return sa.func.row_number().over(
        partition_by=Attempt.user_id,
        order_by=(submitted_last, percent.desc(), Attempt.id.desc()),
    )


# The two statements below are built once (per counting kind): building one costs more than
# running it. Two queries rather than one joined: a student's attempts joined to the roster make
# SQLite scan the assignment's attempts once per student; apart, each is one index range.


@functools.cache
def _roster_rows() -> sa.Select[int, str, str]:
    """The students of ``:classroom_id`` by name: id, display name, username."""
    return (
        sa.select(User.id, User.display_name, User.username)
        .join(Enrollment, Enrollment.student_id == User.id)
        .where(Enrollment.classroom_id == sa.bindparam("classroom_id", type_=sa.Integer))
        .order_by(roster_order(), User.id)
    )


@functools.cache
def _attempt_rows(
    best: bool,
) -> sa.Select[int, float | None, float, bool, bool, int, datetime | None, datetime | None]:
    """The attempts at ``:assignment_id`` by student, oldest first, as plain columns, with the
    times only on the attempt a student's row shows (so no other's are parsed)."""
    submitted = Attempt.submitted_at.is_not(None)
    shown = sa.and_(_shown_attempt_rank(best) == 1, submitted)
    return (
        sa.select(
            Attempt.user_id,
            Attempt.score,
            Attempt.max_score,
            submitted,
            Attempt.pending_points > 0,
            Attempt.id,
            sa.case((shown, Attempt.started_at)),
            sa.case((shown, Attempt.submitted_at)),
        )
        .where(Attempt.assignment_id == sa.bindparam("assignment_id", type_=sa.Integer))
        .order_by(Attempt.user_id, Attempt.id)
    )


@dataclass(slots=True)
class _Attempts:
    """What a student's attempts at one assignment add up to."""

    started: int = 0
    fractions: list[float] = field(default_factory=list)
    shown_id: int | None = None
    started_at: datetime | None = None
    submitted_at: datetime | None = None


def _student_results(assignment: Assignment) -> tuple[list[StudentResult], int]:
    """A row per enrolled student in roster order, and the number of provisional attempts."""
    rule = assignment.counting
    by_student: dict[int, _Attempts] = {}
    provisional = 0
    found = db.session.execute(_attempt_rows(rule == BEST), {"assignment_id": assignment.id})
    for user_id, score, maximum, submitted, pending, attempt_id, started_at, submitted_at in found:
        mine = by_student.get(user_id)
        if mine is None:
            mine = by_student[user_id] = _Attempts()
        mine.started += 1
        if not submitted:
            continue
        provisional += bool(pending)
        if maximum:
            mine.fractions.append((score or 0.0) / maximum)
        if submitted_at is not None:
            mine.shown_id, mine.started_at, mine.submitted_at = attempt_id, started_at, submitted_at
    nothing = _Attempts()
    rows = []
    roster_rows = db.session.execute(_roster_rows(), {"classroom_id": assignment.classroom_id})
    for student_id, display_name, username in roster_rows:
        mine = by_student.get(student_id, nothing)
        finished = mine.submitted_at
        rows.append(
            StudentResult(
                student_id,
                display_name or username,
                username,
                mine.started,
                counted_fraction(mine.fractions, rule),
                mine.shown_id,
                None if finished is None or mine.started_at is None else finished - mine.started_at,
                finished,
            )
        )
    return rows, provisional


def assignment_results(
    assignment: Assignment, sort: str = "name", descending: bool = False
) -> AssignmentResults:
    """A row per enrolled student, including those who have not started, in one query."""
    rows, provisional = _student_results(assignment)
    rows.sort(key=_sort_key(sort), reverse=descending)
    return AssignmentResults(rows, provisional, score_distribution(rows))


def _sort_key(sort: str) -> Callable[[StudentResult], tuple[object, ...]]:
    def key(row: StudentResult) -> tuple[object, ...]:
        name = row.name.lower()
        missing = row.counted is None
        if sort == "attempts":
            return (row.attempts, name)
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
    results = assignment_results(assignment).rows
    wanted = [row.shown_attempt_id for row in results if row.shown_attempt_id is not None]
    scores: dict[int, dict[str, float | None]] = defaultdict(dict)
    if wanted:
        # Only the questions the attempt was given: a response kept from another version's
        # question (before the teacher switched it) is no score of this one.
        given = dict(
            db.session.execute(
                sa.select(Attempt.id, Attempt.question_ids).where(Attempt.id.in_(wanted))
            ).all()
        )
        for attempt_id, question_id, earned in db.session.execute(
            sa.select(Response.attempt_id, Response.question_id, Response.earned).where(
                Response.attempt_id.in_(wanted)
            )
        ):
            if question_id in given[attempt_id]:
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
        per_question = scores.get(row.shown_attempt_id or 0, {})
        lines.append(
            [
                row.name,
                row.username,
                row.attempts,
                None if row.counted is None else round(row.counted * 100, 2),
                _iso(row.submitted_at, assignment.classroom.time_zone),
                None if row.time_taken is None else int(row.time_taken.total_seconds()),
                *[per_question.get(q.id) for q in questions],
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
