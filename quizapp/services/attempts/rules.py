"""The rules of an attempt: when it is out of time, whether it is practice, when its results
may be shown. Plain answers about one attempt; they read nothing from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ...models import AFTER_CLOSE, PRACTICE, TEST, Attempt
from ...models.types import utcnow

#: Answers that arrive this long after a timed attempt's deadline are still accepted, so a
#: student who pressed Save at the last second is not punished for network latency.
GRACE = timedelta(seconds=30)


class AttemptRefused(Exception):
    """A student may not start (or continue) an attempt now; the message says why."""


@dataclass(frozen=True)
class AttemptRow:
    """What saving an answer and submitting read of an attempt, as one plain row: the ORM's
    object (with its version and assignment) costs more to load than the whole save."""

    id: int
    user_id: int
    version_id: int
    #: The version's content hash: its parsed questions are cached under it.
    content_hash: str
    assignment_id: int | None
    seed: int
    question_ids: list[str]
    deadline_at: datetime | None
    submitted_at: datetime | None
    #: The assignment shows right or wrong after each answer.
    practice: bool

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptRow:
        """The row of an attempt already loaded."""
        return cls(
            id=attempt.id,
            user_id=attempt.user_id,
            version_id=attempt.version_id,
            content_hash=attempt.version.content_hash,
            assignment_id=attempt.assignment_id,
            seed=attempt.seed,
            question_ids=list(attempt.question_ids),
            deadline_at=attempt.deadline_at,
            submitted_at=attempt.submitted_at,
            practice=is_practice(attempt),
        )

    @property
    def is_submitted(self) -> bool:
        """Whether the attempt has been graded."""
        return self.submitted_at is not None


def is_expired(attempt: Attempt | AttemptRow, now: datetime | None = None) -> bool:
    """Whether an open attempt is past its deadline and grace period."""
    if attempt.deadline_at is None or attempt.is_submitted:
        return False
    return (now or utcnow()) > attempt.deadline_at + GRACE


def is_practice(attempt: Attempt | AttemptRow) -> bool:
    """Whether the attempt shows right or wrong after each answer."""
    if isinstance(attempt, AttemptRow):
        return attempt.practice
    return attempt.assignment is not None and attempt.assignment.mode == PRACTICE


def results_available_at(attempt: Attempt) -> datetime | None:
    """When a submitted attempt's results may be shown (None: now)."""
    assignment = attempt.assignment
    if (
        assignment is not None
        and assignment.mode == TEST
        and assignment.results_release == AFTER_CLOSE
    ):
        return assignment.closes_at
    return None


def held_back(attempt: Attempt) -> bool:
    """Whether the attempt is free practice on a set that is a test, not yet closed, in one of
    the student's classes: its answers would give the test's away."""
    return attempt.assignment_id is None and attempt.held_by_test


def results_visible(attempt: Attempt, now: datetime | None = None) -> bool:
    """Whether the student may see the graded answers now (not while held_back)."""
    if held_back(attempt):
        return False
    available = results_available_at(attempt)
    return attempt.is_submitted and (available is None or (now or utcnow()) >= available)
