"""Grades sent back to the LMS (LTI Assignment and Grade Services) through a durable queue.

A submitted attempt (or, later, a written response once it is marked) puts the student's counted
score on the queue in the same transaction that stored the score, so nothing is lost when the LMS
is down. Senders claim due rows (FOR UPDATE SKIP LOCKED on PostgreSQL, so two servers never take
the same row), post them outside any transaction, and record the outcome; a failure is retried
with exponential backoff, and after MAX_TRIES it waits for the teacher's Resend button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..database import write_transaction
from ..domain import lms_failures
from ..domain.statistics import counted_fraction
from ..extensions import db
from ..models import (
    Assignment,
    Attempt,
    LtiAccount,
    LtiCourse,
    LtiPlatform,
    LtiResourceLink,
    LtiScoreSend,
    ScoreSendStatus,
)
from ..models.types import utcnow
from .lti_platforms import tool_registration

if TYPE_CHECKING:  # requests and PyLTI1p3 (17 MB) load when a score is sent, not at start-up
    import requests
    from pylti1p3.grade import Grade
    from pylti1p3.service_connector import ServiceConnector

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
#: Waits after the 1st, 2nd, ... failure: 30 s doubling, at most 6 hours.
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)
MAX_TRIES = 12
#: A claimed row whose sender vanished (crashed) is free again after this.
CLAIM_LEASE = timedelta(minutes=2)
#: Every call to the LMS gives up after this many seconds (connect, then read).
HTTP_TIMEOUT = (5, 15)
#: Session info key: the assignments whose scores this request queued (the web layer sends them
#: once the response is out; `flask lti send-scores` sends whatever is left).
QUEUED_KEY = "lti_queued_assignments"


@cache
def _timed_session() -> type[requests.Session]:
    import requests

    class TimedSession(requests.Session):
        """A requests session whose calls always have a timeout (PyLTI1p3 passes none)."""

        def request(self, *args: Any, **kwargs: Any) -> requests.Response:
            kwargs.setdefault("timeout", HTTP_TIMEOUT)
            return super().request(*args, **kwargs)

    return TimedSession


def http_session() -> requests.Session:
    """The session every call to an LMS goes through."""
    return _timed_session()()


def retry_delay(tries: int) -> timedelta:
    """How long to wait after the ``tries``-th failed send."""
    delay: timedelta = min(FIRST_RETRY * (2 ** max(tries - 1, 0)), LONGEST_RETRY)
    return delay


# Putting scores on the queue -------------------------------------------------------------------


def _counted(assignment: Assignment, user_id: int) -> tuple[float | None, bool]:
    """The student's counted score, and whether a written response of theirs waits to be
    scored (the LMS then hears that the grade is pending)."""
    rows = db.session.execute(
        sa.select(Attempt.score, Attempt.max_score, Attempt.pending_points)
        .where(
            Attempt.assignment_id == assignment.id,
            Attempt.user_id == user_id,
            Attempt.submitted_at.is_not(None),
        )
        .order_by(Attempt.id)
    ).all()
    fractions = [(score or 0.0) / maximum for score, maximum, _ in rows if maximum]
    provisional = any(pending > 0 for _, _, pending in rows)
    return counted_fraction(fractions, assignment.counting), provisional


def _links_with_lineitem(assignment_id: int) -> list[tuple[LtiResourceLink, str]]:
    """The assignment's links that feed a gradebook column, with the course's issuer."""
    return [
        (link, issuer)
        for link, issuer in db.session.execute(
            sa.select(LtiResourceLink, LtiCourse.issuer)
            .join(LtiCourse, LtiCourse.id == LtiResourceLink.course_id)
            .where(
                LtiResourceLink.assignment_id == assignment_id,
                LtiResourceLink.lineitem_url.is_not(None),
            )
        )
    ]


def _queue(
    link: LtiResourceLink, user_id: int, sub: str, fraction: float, provisional: bool
) -> None:
    row = db.session.scalar(
        sa.select(LtiScoreSend).where(
            LtiScoreSend.resource_link_id == link.id, LtiScoreSend.user_id == user_id
        )
    )
    now = utcnow()
    if row is None:
        row = LtiScoreSend(resource_link_id=link.id, user_id=user_id, platform_user_id=sub)
        db.session.add(row)
    row.fraction = fraction
    row.provisional = provisional
    row.platform_user_id = sub
    row.status = ScoreSendStatus.PENDING
    row.tries = 0
    row.next_try_at = now
    row.claimed_until = None
    row.last_error = None
    # A sender holding the old score sees this change and does not mark the new one sent.
    row.updated_at = now


def queue_counted_score(assignment_id: int | None, user_id: int) -> int:
    """Queue the student's counted score for every line item of the assignment; how many.

    Call it inside the transaction that changed the score: when an attempt is submitted, and
    when a written response is marked.
    """
    if assignment_id is None:
        return 0
    links = _links_with_lineitem(assignment_id)
    if not links:
        return 0
    assignment = db.session.get(Assignment, assignment_id)
    fraction, provisional = (None, False) if assignment is None else _counted(assignment, user_id)
    if fraction is None:
        return 0
    queued = 0
    with write_transaction():
        for link, issuer in links:
            sub = db.session.scalar(
                sa.select(LtiAccount.sub).where(
                    LtiAccount.user_id == user_id, LtiAccount.issuer == issuer
                )
            )
            if sub is not None:
                _queue(link, user_id, sub, fraction, provisional)
                queued += 1
    if queued:
        db.session.info.setdefault(QUEUED_KEY, set()).add(assignment_id)
    return queued


def counted_score_changed(attempt: Attempt) -> int:
    """The hook for marking: a written response of ``attempt`` was scored, so its counted
    score may have changed. Queues it for the LMS; how many sends were queued."""
    return queue_counted_score(attempt.assignment_id, attempt.user_id)


def resend(assignment: Assignment) -> int:
    """Queue every student's counted score again now (the teacher's Resend button)."""
    user_ids = db.session.scalars(
        sa.select(Attempt.user_id)
        .where(Attempt.assignment_id == assignment.id, Attempt.submitted_at.is_not(None))
        .distinct()
    )
    return sum(queue_counted_score(assignment.id, user_id) for user_id in list(user_ids))


# Sending ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendReport:
    """What one round of sending did."""

    sent: int
    failed: int


def _claim(limit: int, now: datetime, only_ids: list[int] | None) -> list[tuple[int, datetime]]:
    """Take up to ``limit`` due rows for this sender: (id, updated_at) of each."""
    with write_transaction():
        query = (
            sa.select(LtiScoreSend.id, LtiScoreSend.updated_at)
            .where(
                LtiScoreSend.status == ScoreSendStatus.PENDING,
                LtiScoreSend.next_try_at <= now,
                sa.or_(LtiScoreSend.claimed_until.is_(None), LtiScoreSend.claimed_until < now),
            )
            .order_by(LtiScoreSend.next_try_at, LtiScoreSend.id)
            .limit(limit)
            # PostgreSQL: rows another server's sender holds are skipped, not waited for.
            # SQLite ignores it; its writers take turns (BEGIN IMMEDIATE) anyway.
            .with_for_update(skip_locked=True)
        )
        if only_ids is not None:
            query = query.where(LtiScoreSend.id.in_(only_ids))
        claimed = [(row_id, updated_at) for row_id, updated_at in db.session.execute(query)]
        if claimed:
            db.session.execute(
                sa.update(LtiScoreSend)
                .where(LtiScoreSend.id.in_([row_id for row_id, _ in claimed]))
                .values(claimed_until=now + CLAIM_LEASE)
            )
    return claimed


def _grade(row: LtiScoreSend, now: datetime) -> Grade:
    from pylti1p3.grade import Grade

    return (
        Grade()
        .set_score_given(round(row.fraction * 100, 4))
        .set_score_maximum(100)
        .set_activity_progress("Completed")
        .set_grading_progress("PendingManual" if row.provisional else "FullyGraded")
        .set_user_id(row.platform_user_id)
        .set_timestamp(now.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")
    )


def _post(row: LtiScoreSend, connectors: dict[int, ServiceConnector], now: datetime) -> None:
    from pylti1p3.assignments_grades import AssignmentsGradesService
    from pylti1p3.service_connector import ServiceConnector

    link = row.resource_link
    platform: LtiPlatform = link.course.platform
    connector = connectors.get(platform.id)
    if connector is None:
        connector = ServiceConnector(tool_registration(platform), http_session())
        connectors[platform.id] = connector
    scopes = link.scopes if SCORE_SCOPE in link.scopes else [*link.scopes, SCORE_SCOPE]
    service = AssignmentsGradesService(
        connector,
        {"scope": scopes, "lineitem": link.lineitem_url or ""},  # type: ignore[typeddict-item]
    )
    service.put_grade(_grade(row, now))


def failure_reason(error: Exception) -> str:
    """What went wrong, in the stored form ``lms_failures.describe`` turns into a sentence."""
    import requests

    response = getattr(error, "response", None)
    if isinstance(response, requests.Response):
        return lms_failures.http_status(response.status_code, response.reason or "")
    if isinstance(error, requests.ConnectionError):
        return lms_failures.UNREACHABLE
    if isinstance(error, requests.Timeout):
        return lms_failures.TIMED_OUT
    return lms_failures.other(str(error))


def _record(row_id: int, updated_at: datetime, error: Exception | None) -> bool:
    """Store a send's outcome unless the score changed meanwhile (then it goes again)."""
    now = utcnow()
    with write_transaction():
        row = db.session.get(LtiScoreSend, row_id, populate_existing=True)
        if row is None or row.updated_at != updated_at:
            return False
        row.tries += 1
        row.claimed_until = None
        if error is None:
            row.status, row.sent_at, row.last_error = ScoreSendStatus.SENT, now, None
        else:
            row.last_error = failure_reason(error)
            row.next_try_at = now + retry_delay(row.tries)
            if row.tries >= MAX_TRIES:
                row.status = ScoreSendStatus.FAILED
    return error is None


def send_due_scores(limit: int = 50, only_ids: list[int] | None = None) -> SendReport:
    """Send the scores that are due (or only the rows ``only_ids``, if due)."""
    import requests
    from pylti1p3.exception import LtiException

    now = utcnow()
    claimed = _claim(limit, now, only_ids)
    connectors: dict[int, ServiceConnector] = {}
    sent = failed = 0
    for row_id, updated_at in claimed:
        row = db.session.get(LtiScoreSend, row_id)
        error: Exception | None = None
        try:
            if row is None:
                continue
            _post(row, connectors, now)
        except (requests.RequestException, LtiException, ValueError) as problem:
            error = problem
        if _record(row_id, updated_at, error):
            sent += 1
        else:
            failed += 1
    return SendReport(sent, failed)


def pending_ids_for(assignment_id: int) -> list[int]:
    """The queued sends of one assignment (to send right after a submission)."""
    return list(
        db.session.scalars(
            sa.select(LtiScoreSend.id)
            .join(LtiResourceLink, LtiResourceLink.id == LtiScoreSend.resource_link_id)
            .where(
                LtiResourceLink.assignment_id == assignment_id,
                LtiScoreSend.status == ScoreSendStatus.PENDING,
            )
        )
    )


# What the results page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreStatus:
    """Whether an assignment sends grades to an LMS, and each student's latest send."""

    linked: bool
    by_student: dict[int, LtiScoreSend]

    @staticmethod
    def failure(send: LtiScoreSend) -> str:
        """Why the send last failed, in the reader's language."""
        return lms_failures.describe(send.last_error or "")


def assignment_status(assignment: Assignment) -> ScoreStatus:
    """The LMS grade sends of an assignment, by student."""
    linked = (
        db.session.scalar(
            sa.select(LtiResourceLink.id).where(LtiResourceLink.assignment_id == assignment.id)
        )
        is not None
    )
    if not linked:
        return ScoreStatus(False, {})
    rows = db.session.scalars(
        sa.select(LtiScoreSend)
        .join(LtiResourceLink, LtiResourceLink.id == LtiScoreSend.resource_link_id)
        .where(LtiResourceLink.assignment_id == assignment.id)
        .order_by(LtiScoreSend.updated_at)
    )
    return ScoreStatus(True, {row.user_id: row for row in rows})
