"""Running classes: creating them, join codes, rosters."""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo, available_timezones

import sqlalchemy as sa

from ..database import write_transaction
from ..extensions import db
from ..models import Classroom, Enrollment, User
from ..models.users import new_session_token
from . import throttling

#: Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 8


class ClassError(ValueError):
    """A class request that cannot be granted; the message says why."""


class JoinRefused(ClassError):
    """Too many wrong join codes from one student just now; ``retry_after`` says how long."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def new_join_code() -> str:
    """A random join code."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(code: str) -> str:
    """What a student typed, upper-cased and without spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def time_zone_names() -> list[str]:
    """Every IANA time zone name, sorted, with UTC first."""
    return ["UTC", *sorted(name for name in available_timezones() if "/" in name)]


def check_time_zone(name: str) -> str:
    """The zone name if it is known; raise ClassError otherwise."""
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        raise ClassError(f"'{name}' is not a time zone name such as America/New_York.") from None
    return name


def _unused_join_code() -> str:
    for _ in range(20):
        code = new_join_code()
        if db.session.scalar(sa.select(Classroom.id).where(Classroom.join_code == code)) is None:
            return code
    raise ClassError("Could not make a unique join code; try again.")


def create_class(teacher: User, name: str, time_zone: str) -> Classroom:
    """A new class with a fresh join code."""
    zone = check_time_zone(time_zone)
    with write_transaction():
        classroom = Classroom(
            teacher_id=teacher.id, name=name.strip(), time_zone=zone, join_code=_unused_join_code()
        )
        db.session.add(classroom)
    return classroom


def regenerate_join_code(classroom: Classroom) -> str:
    """Replace the join code (the old one stops working)."""
    with write_transaction():
        classroom.join_code = _unused_join_code()
    return classroom.join_code


def teacher_classes(teacher: User) -> list[tuple[Classroom, int]]:
    """The teacher's classes with their number of students."""
    students = sa.func.count(Enrollment.id)
    rows = db.session.execute(
        sa.select(Classroom, students)
        .outerjoin(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(Classroom.teacher_id == teacher.id)
        .group_by(Classroom.id)
        .order_by(Classroom.name)
    ).all()
    return [(classroom, count) for classroom, count in rows]


def roster(classroom: Classroom) -> list[User]:
    """The students of a class, by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Enrollment, Enrollment.student_id == User.id)
            .where(Enrollment.classroom_id == classroom.id)
            .order_by(
                sa.func.lower(
                    sa.func.coalesce(sa.func.nullif(User.display_name, ""), User.username)
                )
            )
        )
    )


def join_class(student: User, code: str) -> Classroom:
    """Enrol a student in the class with this code; joining twice is harmless. Wrong codes are
    rate limited per student, so codes cannot be guessed."""
    refusal = throttling.join_refusal(student.id)
    if refusal is not None:
        raise JoinRefused(refusal.message, refusal.retry_after)
    classroom: Classroom | None = db.session.scalar(
        sa.select(Classroom).where(Classroom.join_code == normalize_join_code(code))
    )
    if classroom is None:
        throttling.record_wrong_join_code(student.id)
        raise ClassError("No class has that code. Check it with your teacher.")
    if student.is_teacher:
        raise ClassError("Teachers cannot join classes as students.")
    exists = db.session.scalar(
        sa.select(Enrollment.id).where(
            Enrollment.classroom_id == classroom.id, Enrollment.student_id == student.id
        )
    )
    if exists is None:
        try:
            with write_transaction():
                db.session.add(Enrollment(classroom_id=classroom.id, student_id=student.id))
        except sa.exc.IntegrityError:
            pass  # joined twice at once: the other request enrolled them
    return classroom


def remove_student(classroom: Classroom, student: User) -> None:
    """Take a student out of a class and end their sessions, so they must sign in again."""
    with write_transaction():
        db.session.execute(
            sa.delete(Enrollment).where(
                Enrollment.classroom_id == classroom.id, Enrollment.student_id == student.id
            )
        )
        student.session_token = new_session_token()
