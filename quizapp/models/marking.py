"""What teachers change in graded attempts: short answers they accept, and each regrade that
followed, kept so that every changed score can be explained."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow


class AcceptedAnswer(db.Model):  # type: ignore[name-defined,misc]
    """A typed answer to a short-answer question that a teacher accepted for one assignment."""

    __table_args__ = (UniqueConstraint("assignment_id", "question_id", "answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    #: The answer as the grader compares it (short_answer.comparison_form).
    answer: Mapped[str] = mapped_column(Text)
    #: The answer as the students typed it most often, shown to them in the regrade note.
    shown: Mapped[str] = mapped_column(Text)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Regrade(db.Model):  # type: ignore[name-defined,misc]
    """One attempt's score changed because a teacher accepted an answer it gave."""

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    #: The answer the student typed, as they typed it.
    answer: Mapped[str] = mapped_column(Text)
    teacher_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    regraded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: The attempt's score before and after.
    score_before: Mapped[float]
    score_after: Mapped[float]
