"""Classes that teachers run, the students enrolled in them, and teacher invitations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UtcDateTime, utcnow
from .users import User


class Classroom(db.Model):  # type: ignore[name-defined,misc]
    """A teacher's class; students join it with its code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L); unique site-wide.
    join_code: Mapped[str] = mapped_column(String(8), unique=True)
    #: IANA time zone name; open and close times are entered and shown in it.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Set when the teacher puts the class away: its results stay, students no longer see it.
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    teacher: Mapped[User] = relationship()


class Enrollment(db.Model):  # type: ignore[name-defined,misc]
    """A student's membership of a class."""

    __table_args__ = (UniqueConstraint("classroom_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    student: Mapped[User] = relationship()


class ClassRemoval(db.Model):  # type: ignore[name-defined,misc]
    """A student the teacher took out of a class: the join code no longer lets them in, until
    the teacher lets them back in (which deletes the row)."""

    __table_args__ = (UniqueConstraint("classroom_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classroom.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    removed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    student: Mapped[User] = relationship()


class Invitation(db.Model):  # type: ignore[name-defined,misc]
    """A one-use link with which a teacher invites another teacher."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the token in the link; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
