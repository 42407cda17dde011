"""Reading attempts: the quiz list, a question as the attempt shows it, the answers saved so
far, the graded results (the same for the student and the teacher) and the history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ...domain.grading import CORRECT, PENDING, Grade, answer_key, grade_response
from ...domain.limits import QUICK_ROUND_ITEMS
from ...domain.model import Question
from ...domain.model import Response as Answer
from ...domain.question_types import type_of
from ...domain.selection import group_items
from ...extensions import db
from ...models import (
    TEST,
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    QuestionSetVersion,
    Response,
    User,
)
from ...models.types import utcnow
from ..question_sets import (
    latest_versions,
    questions_of_version,
    source_titles,
    version_languages,
    version_questions,
)
from ..source_panel import SourceArticle, version_articles
from .rules import GRACE, AttemptRow, held_back, is_practice, results_visible


@dataclass(frozen=True)
class QuizCard:
    """One set on a student's quiz list."""

    version: QuestionSetVersion
    slug: str
    best_percent: float | None
    unfinished_attempt_id: int | None
    #: The set is a test in one of the student's classes: no new free practice until it closes.
    held_by_test: bool = False
    #: The set's items (a Part A with its Part B is one), when a quick round offers fewer.
    items_if_longer_than_quick_round: int | None = None
    #: The language of the set's title and description (its file's ``language``).
    language: str = "en"


def _not_closed(now: Any) -> sa.ColumnElement[bool]:
    return sa.or_(Assignment.closes_at.is_(None), Assignment.closes_at > now)


def held_set_ids(student: User, now: datetime | None = None) -> set[int]:
    """The sets that are a test in one of the student's classes and have not closed (from the
    day it is assigned, scheduled or open): their free practice would give the answers away."""
    return set(
        db.session.scalars(
            sa.select(QuestionSetVersion.question_set_id)
            .join(Assignment, Assignment.version_id == QuestionSetVersion.id)
            .join(Enrollment, Enrollment.classroom_id == Assignment.classroom_id)
            .where(
                Enrollment.student_id == student.id,
                Assignment.mode == TEST,
                _not_closed(now or utcnow()),
            )
            .distinct()
        )
    )


_HELD_VERSION = sa.orm.aliased(QuestionSetVersion)
_PRACTISED_VERSION = sa.orm.aliased(QuestionSetVersion)
#: Whether the attempt in the enclosing query is free practice on a set that is a test, not yet
#: closed, in one of its student's classes (the time is the ``now`` parameter).
HELD_BY_TEST = sa.and_(
    Attempt.assignment_id.is_(None),
    sa.select(Assignment.id)
    .join(_HELD_VERSION, _HELD_VERSION.id == Assignment.version_id)
    .join(_PRACTISED_VERSION, _PRACTISED_VERSION.question_set_id == _HELD_VERSION.question_set_id)
    .join(Enrollment, Enrollment.classroom_id == Assignment.classroom_id)
    .where(
        _PRACTISED_VERSION.id == Attempt.version_id,
        Enrollment.student_id == Attempt.user_id,
        Assignment.mode == TEST,
        _not_closed(sa.bindparam("now", type_=Assignment.closes_at.type)),
    )
    .exists(),
)


@dataclass(frozen=True)
class PresentedQuestion:
    """A question as one attempt shows it: options in the attempt's own order."""

    number: int
    total: int
    question: Question
    options: list[str] = field(default_factory=list)
    #: matching: the left items; ordering: the items in shuffled order.
    prompts: list[str] = field(default_factory=list)
    #: A Part A's Part B, shown and saved on the same page.
    part_b: PresentedQuestion | None = None


@dataclass(frozen=True)
class QuestionPage:
    """What the question page shows: the question, what is answered, and the sources."""

    shown: PresentedQuestion
    saved: dict[str, Answer]
    sources: tuple[tuple[str, str], ...]
    #: Practice mode: the button checks the answer (and each answer is final once checked).
    practice: bool = False
    #: Practice mode, once the answer is checked: the grade, the key and the explanation.
    feedback: ResultItem | None = None
    #: The attempt's question ids by item (page), for the list of questions to jump to.
    items: list[list[str]] = field(default_factory=list)
    #: Practice mode: the Part B's graded answer, shown under its Part A's.
    part_b_feedback: ResultItem | None = None
    #: The sources to read beside the question: all but those whose sentences the page
    #: already offers to pick from (a select_evidence passage, cited sentences).
    articles: tuple[SourceArticle, ...] = ()


@dataclass(frozen=True)
class ResultItem:
    """One graded question on the results page."""

    number: int
    question: Question
    answer: Answer
    grade: Grade
    key: Answer
    #: "B" for the Part B of a pair (it shares its Part A's number).
    part: str = ""
    #: A Part B whose answer was right but earned nothing, since its Part A was not right.
    held_by_part_a: bool = False
    #: A written response the teacher scored: the points per rubric criterion, and the comment.
    rubric_points: list[int] | None = None
    comment: str = ""

    @property
    def anchor(self) -> str:
        """The id of the question's place on the results page (``q-3``, ``q-3-b``)."""
        return f"q-{self.number}{'-b' if self.part else ''}"


@dataclass(frozen=True)
class ResultsSummary:
    """What the results page says first: which questions to look at again."""

    #: Not fully right (wrong, partly right or not answered), in the attempt's order.
    to_review: list[ResultItem]
    #: Written answers still waiting for the teacher's score.
    waiting: list[ResultItem]


def results_summary(items: list[ResultItem]) -> ResultsSummary:
    """The questions to review and those the teacher has still to score."""
    return ResultsSummary(
        to_review=[item for item in items if item.grade.outcome not in (CORRECT, PENDING)],
        waiting=[item for item in items if item.grade.outcome == PENDING],
    )


def quiz_cards(user: User) -> list[QuizCard]:
    """Every available set with the user's best score and any attempt left unfinished."""
    versions = latest_versions(shipped_only=True)
    best = dict(
        db.session.execute(
            sa.select(
                QuestionSetVersion.question_set_id,
                sa.func.max(Attempt.score * 100.0 / Attempt.max_score),
            )
            .join(Attempt.version)
            .where(
                Attempt.user_id == user.id,
                # The cards are free practice: an assignment's attempts are not practice, and a
                # test's score may not even be released yet.
                Attempt.assignment_id.is_(None),
                Attempt.submitted_at.is_not(None),
                Attempt.max_score > 0,
            )
            .group_by(QuestionSetVersion.question_set_id)
        ).all()
    )
    unfinished = dict(
        db.session.execute(
            sa.select(QuestionSetVersion.question_set_id, sa.func.max(Attempt.id))
            .join(Attempt.version)
            .where(
                Attempt.user_id == user.id,
                Attempt.assignment_id.is_(None),
                Attempt.submitted_at.is_(None),
            )
            .group_by(QuestionSetVersion.question_set_id)
        ).all()
    )
    held = held_set_ids(user)
    languages = version_languages(versions)
    return [
        QuizCard(
            version=v,
            slug=v.question_set.slug,
            best_percent=best.get(v.question_set_id),
            unfinished_attempt_id=unfinished.get(v.question_set_id),
            held_by_test=v.question_set_id in held,
            items_if_longer_than_quick_round=_longer_than_quick_round(v),
            language=language,
        )
        for v, language in zip(versions, languages, strict=True)
    ]


def _longer_than_quick_round(version: QuestionSetVersion) -> int | None:
    """The version's item count when a quick round would show fewer items; None otherwise."""
    return version.item_total if version.item_total > QUICK_ROUND_ITEMS else None


def attempt_questions(attempt: Attempt | AttemptRow) -> dict[str, Question]:
    """The questions of the attempt's version, by id."""
    if isinstance(attempt, AttemptRow):
        return questions_of_version(attempt.version_id, attempt.content_hash)
    return version_questions(attempt.version)


def attempt_items(attempt: Attempt | AttemptRow) -> list[list[str]]:
    """The attempt's question ids as the items it shows, one page each: a question alone,
    or a Part A with its Part B."""
    return group_items(attempt.question_ids, attempt_questions(attempt))


def present_question(attempt: Attempt | AttemptRow, number: int) -> PresentedQuestion | None:
    """Item ``number`` (1-based) of the attempt, with options in the attempt's order."""
    items = attempt_items(attempt)
    if not 1 <= number <= len(items):
        return None
    questions = attempt_questions(attempt)
    shown = []
    for question_id in items[number - 1]:
        question = questions[question_id]
        options, prompts = type_of(question).shown(question, attempt.seed)
        shown.append(PresentedQuestion(number, len(items), question, options, prompts))
    if len(shown) == 2:
        return replace(shown[0], part_b=shown[1])
    return shown[0]


def question_page(attempt: Attempt, shown: PresentedQuestion) -> QuestionPage:
    """A presented question with the answers saved so far and the sources to read."""
    practice = is_practice(attempt)
    feedback = practice_feedback(attempt, shown.question) if practice else None
    part_b_feedback = None
    if feedback is not None and shown.part_b is not None:
        part_b_feedback = practice_feedback(attempt, shown.part_b.question)
    return QuestionPage(
        shown,
        saved_answers(attempt),
        source_titles(attempt.version),
        practice,
        feedback,
        attempt_items(attempt),
        part_b_feedback,
        _articles_beside(attempt, shown),
    )


def _articles_beside(attempt: Attempt, shown: PresentedQuestion) -> tuple[SourceArticle, ...]:
    """The version's sources, less those the page shows as sentences to pick."""
    parts = [shown] if shown.part_b is None else [shown, shown.part_b]
    on_page = {part.question.source for part in parts if part.question.sentences}
    return tuple(a for a in version_articles(attempt.version) if a.key not in on_page)


# The busiest statements are built once, and those that read plain values name the tables'
# columns, which runs them as Core statements, without the ORM's per-call work.
_RESPONSES = Response.__table__.c
_SAVED_ANSWERS = sa.select(_RESPONSES.question_id, _RESPONSES.answer).where(
    _RESPONSES.attempt_id == sa.bindparam("attempt_id")
)


def first_unanswered(attempt: Attempt) -> int | None:
    """The number (1-based) of the attempt's first question without a saved answer; None
    when every question has one."""
    saved = saved_answers(attempt)
    for number, item in enumerate(attempt_items(attempt), start=1):
        if item[0] not in saved:
            return number
    return None


def saved_answers(attempt: Attempt) -> dict[str, Answer]:
    """The answers saved so far, by question id (unanswered questions are absent)."""
    rows = db.session.execute(_SAVED_ANSWERS, {"attempt_id": attempt.id}).all()
    return {question_id: answer for question_id, answer in rows if answer is not None}


def practice_feedback(attempt: Attempt, question: Question) -> ResultItem | None:
    """The graded answer to a practice question, once it has been checked."""
    row = db.session.scalar(
        sa.select(Response).where(
            Response.attempt_id == attempt.id, Response.question_id == question.id
        )
    )
    if row is None or row.earned is None or row.possible is None:
        return None
    number = next(
        n for n, item in enumerate(attempt_items(attempt), start=1) if question.id in item
    )
    grade = Grade(row.earned, row.possible, answered=row.answer is not None, pending=row.pending)
    part = "B" if question.part_of else ""
    return ResultItem(number, question, row.answer, grade, answer_key(question), part)


def attempt_results(attempt: Attempt) -> list[ResultItem]:
    """Every question of the student's attempt with the answer given, its grade and the key."""
    rows = db.session.scalars(sa.select(Response).where(Response.attempt_id == attempt.id))
    return result_items(attempt, {row.question_id: row for row in rows})


def result_items(attempt: Attempt, saved: Mapping[str, Response]) -> list[ResultItem]:
    """The marked questions of an attempt, from its saved responses by question id.

    The one way results are built, so a student and their teacher see the same marks.
    """
    questions = version_questions(attempt.version)
    items = []
    numbered = [
        (number, question_id)
        for number, item in enumerate(attempt_items(attempt), start=1)
        for question_id in item
    ]
    for number, question_id in numbered:
        question = questions[question_id]
        row = saved.get(question_id)
        answer = row.answer if row else None
        if row is not None and row.earned is not None and row.possible is not None:
            # The grade stored at submission (or at a practice check) stands, whatever later
            # code would say.
            grade = Grade(
                row.earned, row.possible, answered=answer is not None, pending=row.pending
            )
        else:
            grade = grade_response(question, answer)
        part = "B" if question.part_of else ""
        held = bool(part) and not grade.earned and grade_response(question, answer).earned > 0
        key = answer_key(question)
        scored = row.rubric_points if row is not None and not row.pending else None
        comment = row.comment if row is not None and scored is not None else ""
        items.append(
            ResultItem(number, question, answer, grade, key, part, held, scored, comment or "")
        )
    return items


@dataclass(frozen=True)
class HistoryRow:
    """One attempt in the student's history, and whether its score may be shown yet."""

    attempt: Attempt
    score_shown: bool
    #: Hidden because the set is a test in the student's class (see rules.held_back).
    held_back: bool = False
    #: Unfinished at an assignment (or class) the teacher archived: it can no longer go on.
    stopped: bool = False
    #: The zone its times are shown in (see classes.attempt_time_zone).
    time_zone: str = "UTC"

    @property
    def title(self) -> str:
        """What the student knows it by: the assignment's title, as their quiz list shows it,
        or for free practice the set's."""
        assignment = self.attempt.assignment
        return assignment.title if assignment is not None else self.attempt.version.title


def practice_time_zone(student_id: int) -> str:
    """The zone of the class the student joined last, so that free practice reads the times
    their class does; UTC for a student in no class (or only in archived ones)."""
    zone: str | None = db.session.scalar(
        sa.select(Classroom.time_zone)
        .join(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(Enrollment.student_id == student_id, Classroom.archived_at.is_(None))
        .order_by(Enrollment.joined_at.desc(), Enrollment.id.desc())
        .limit(1)
    )
    return zone or "UTC"


def history(user: User) -> list[HistoryRow]:
    """The user's attempts, newest first; a test's score stays hidden until its release."""
    found = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.user_id == user.id)
        .options(
            sa.orm.joinedload(Attempt.version),
            # Each assigned attempt's times are shown in its class's time zone.
            sa.orm.joinedload(Attempt.assignment).joinedload(Assignment.classroom),
            sa.orm.with_expression(Attempt.held_by_test, HELD_BY_TEST),
        )
        .order_by(Attempt.started_at.desc(), Attempt.id.desc()),
        {"now": utcnow()},
    ).all()
    # One lookup for all the free practice, and none for a history without any.
    practice_zone = (
        practice_time_zone(user.id) if any(a.assignment is None for a in found) else "UTC"
    )
    return [
        HistoryRow(
            attempt,
            results_visible(attempt),
            held_back(attempt),
            _stopped(attempt),
            attempt.assignment.classroom.time_zone if attempt.assignment else practice_zone,
        )
        for attempt in found
    ]


def _stopped(attempt: Attempt) -> bool:
    """Whether an unfinished attempt's assignment or class was archived (see access)."""
    assignment = attempt.assignment
    if attempt.is_submitted or assignment is None:
        return False
    return assignment.archived_at is not None or assignment.classroom.archived_at is not None


# Built once: the check runs before every student page (when the deadline loaded with the
# signed-in user says it may find something).
_EXPIRED_ATTEMPTS = sa.select(Attempt).where(
    Attempt.user_id == sa.bindparam("user_id"),
    Attempt.submitted_at.is_(None),
    Attempt.deadline_at.is_not(None),
    Attempt.deadline_at < sa.bindparam("expired_before", type_=Attempt.deadline_at.type),
)
#: The earliest deadline of the open attempts of the user in the enclosing query.
EARLIEST_OPEN_DEADLINE = (
    sa.select(sa.func.min(Attempt.deadline_at))
    .where(Attempt.user_id == User.id, Attempt.submitted_at.is_(None))
    .scalar_subquery()
)


def expired_attempts(student: User, now: datetime | None = None) -> list[Attempt]:
    """The student's open attempts whose time ran out."""
    now = now or utcnow()
    if student.deadline_loaded and (
        student.open_deadline is None or now <= student.open_deadline + GRACE
    ):
        return []  # known from the query that loaded the signed-in user
    parameters = {"user_id": student.id, "expired_before": now - GRACE}
    return list(db.session.scalars(_EXPIRED_ATTEMPTS, parameters))
