"""Attempts at a quiz and the responses saved in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from ..extensions import db
from .assignments import Assignment
from .question_sets import QuestionSetVersion
from .types import UtcDateTime, utcnow


class Attempt(db.Model):  # type: ignore[name-defined,misc]
    """One student's go at one version of a set, from start to submission."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_set_version.id"), index=True)
    #: None for free practice on a shipped set.
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id"), index=True)
    #: Seeds the question and choice order, so every reload shows the same order.
    seed: Mapped[int]
    #: Question ids in the order this attempt shows them.
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: When a timed attempt ends; answers are accepted for a short grace period after it.
    deadline_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The points earned so far; provisional while ``pending_points`` is above 0.
    score: Mapped[float | None]
    max_score: Mapped[float]
    #: Points of answered written responses the teacher has still to score (0: score final).
    pending_points: Mapped[float] = mapped_column(default=0.0, server_default="0")

    #: Not a column: loaded with the student's own attempt (services.access.own_attempt), whether
    #: free practice on this set is held back because the set is a test in one of the student's
    #: classes that has not closed; its answers stay hidden meanwhile. False when not loaded.
    held_by_test: Mapped[bool] = query_expression(default_expr=false())

    version: Mapped[QuestionSetVersion] = relationship()
    assignment: Mapped[Assignment | None] = relationship()

    @property
    def is_submitted(self) -> bool:
        """Whether the attempt has been graded."""
        return self.submitted_at is not None

    @property
    def is_provisional(self) -> bool:
        """Whether the teacher has still to score some of its written responses."""
        return self.pending_points > 0

    @property
    def percent(self) -> float | None:
        """The score as a percentage of the maximum, once graded."""
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score


class Response(db.Model):  # type: ignore[name-defined,misc]
    """The answer saved for one question of an attempt, graded at submission."""

    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    #: The answer in its question type's shape (see quizapp.domain.model.Response).
    answer: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    earned: Mapped[float | None]
    possible: Mapped[int | None]
    #: A written response waiting for the teacher's score: ``earned`` counts nothing of it yet.
    pending: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: A written response the teacher scored: the points given per rubric criterion, in order.
    rubric_points: Mapped[list[int] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    #: The teacher's comment on a scored written response ("" for none).
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    scored_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
