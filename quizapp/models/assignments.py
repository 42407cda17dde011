"""Assignments: one version of a question set given to a class, with its rules."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .classes import Classroom
from .question_sets import QuestionSetVersion
from .types import UtcDateTime, utcnow


class Mode(StrEnum):
    """Practice shows right or wrong after each answer; a test shows results later."""

    PRACTICE = "practice"
    TEST = "test"


class ResultsRelease(StrEnum):
    """When a test's results are shown: on submission, or once the close date has passed."""

    ON_SUBMIT = "on_submit"
    AFTER_CLOSE = "after_close"


class Counting(StrEnum):
    """Which of a student's attempts counts for the gradebook."""

    BEST = "best"
    LAST = "last"
    AVERAGE = "average"


# The values as the columns store them (a StrEnum member equals its string).
PRACTICE, TEST = Mode.PRACTICE, Mode.TEST
ON_SUBMIT, AFTER_CLOSE = ResultsRelease.ON_SUBMIT, ResultsRelease.AFTER_CLOSE
BEST, LAST, AVERAGE = Counting.BEST, Counting.LAST, Counting.AVERAGE


class Assignment(db.Model):  # type: ignore[name-defined,misc]
    """A quiz a teacher set for a class."""

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), index=True)
    #: Stays on this version until the teacher switches it, even if the set gets a new one.
    version_id: Mapped[int] = mapped_column(ForeignKey("question_set_version.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: practice: right or wrong after each answer; test: results after submission or close.
    mode: Mapped[str] = mapped_column(String(16), default=TEST)
    #: For tests: show results on submission, or only once the close date has passed.
    results_release: Mapped[str] = mapped_column(String(16), default=ON_SUBMIT)
    #: None: every question; N: a random N drawn for each attempt.
    question_count: Mapped[int | None]
    balance_categories: Mapped[bool] = mapped_column(default=False)
    time_limit_minutes: Mapped[int | None]
    #: None: as many attempts as the student likes (also when a form leaves it empty).
    attempts_allowed: Mapped[int | None]
    #: Which attempt counts: best, last or average.
    counting: Mapped[str] = mapped_column(String(16), default=BEST)
    opens_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Set when the teacher puts the assignment away: attempts and results stay, students no
    #: longer see it on their quiz list and cannot start it.
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    classroom: Mapped[Classroom] = relationship()
    version: Mapped[QuestionSetVersion] = relationship()

    @property
    def questions_per_attempt(self) -> int:
        """The "Question 1 of N" an attempt will show: the draw, or every item when the set has
        no more than that (a Part A and its Part B count as one)."""
        every = self.version.item_total
        return min(self.question_count, every) if self.question_count else every

    def is_open(self, now: datetime) -> bool:
        """Whether students may start or continue attempts at ``now``."""
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at
