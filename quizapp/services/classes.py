"""Running classes: creating them, join codes, rosters."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo, available_timezones

import sqlalchemy as sa

from ..database import add_once, write_transaction
from ..domain.i18n import gettext
from ..domain.limits import REPEATED_PRESS
from ..domain.time_zones import US_TIME_ZONES, time_zone_label
from ..extensions import db
from ..models import Attempt, ClassRemoval, Classroom, Enrollment, User
from ..models.types import utcnow
from ..models.users import new_session_token
from . import access, throttling
from .attempts.queries import practice_time_zone

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


#: A new teacher's first class, when the browser does not say its zone.
FIRST_CLASS_TIME_ZONE = "America/New_York"


def time_zone_names() -> list[str]:
    """Every IANA time zone name, sorted, with UTC first."""
    return list(_zone_names())


@functools.cache  # available_timezones() reads the zone folders on disk: once per process
def _zone_names() -> tuple[str, ...]:
    return ("UTC", *sorted(name for name in available_timezones() if "/" in name))


def time_zone_choices() -> dict[str, list[tuple[str, str]]]:
    """The time-zone menu: U.S. zones first by their common names, then every other zone."""
    others = [name for name in time_zone_names() if name not in US_TIME_ZONES]
    return {
        gettext("United States"): [(name, str(label)) for name, label in US_TIME_ZONES.items()],
        gettext("Other time zones"): [(name, time_zone_label(name)) for name in others],
    }


def default_time_zone(teacher: User) -> str:
    """The zone a new class starts with: that of the teacher's newest class, or U.S. Eastern."""
    zone = teacher_time_zone(teacher)
    return FIRST_CLASS_TIME_ZONE if zone == "UTC" and not _has_a_class(teacher) else zone


def _has_a_class(teacher: User) -> bool:
    return (
        db.session.scalar(
            sa.select(Classroom.id).where(Classroom.teacher_id == teacher.id).limit(1)
        )
        is not None
    )


def teacher_time_zone(teacher: User) -> str:
    """The zone a teacher's own times (their sets' versions) are shown in: their newest class's,
    UTC before they have a class."""
    zone: str | None = db.session.scalar(
        sa.select(Classroom.time_zone)
        .where(Classroom.teacher_id == teacher.id)
        .order_by(Classroom.created_at.desc(), Classroom.id.desc())
        .limit(1)
    )
    return zone or "UTC"


def attempt_time_zone(attempt: Attempt) -> str:
    """The zone an attempt's times are shown in: its class's, or for free practice (which
    belongs to no class) the student's practice zone."""
    if attempt.assignment is not None:
        return attempt.assignment.classroom.time_zone
    return practice_time_zone(attempt.user_id)


def check_time_zone(name: str) -> str:
    """The zone name if it is known; raise ClassError otherwise."""
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        raise ClassError(
            gettext("'%(name)s' is not a time zone name such as America/New_York.", name=name)
        ) from None
    return name


def _unused_join_code() -> str:
    for _ in range(20):
        code = new_join_code()
        if db.session.scalar(sa.select(Classroom.id).where(Classroom.join_code == code)) is None:
            return code
    raise ClassError(gettext("Could not make a unique join code; try again."))


@dataclass(frozen=True)
class CreatedClass:
    """A class just created, as its creator's next page needs it (no live row to reload)."""

    id: int
    name: str
    time_zone: str
    join_code: str


def create_class(
    teacher: User, name: str, time_zone: str, *, pressed: bool = False
) -> CreatedClass:
    """A new class with a fresh join code. ``pressed``: the teacher's Create button, which a
    double click sends twice; the same class pressed again within REPEATED_PRESS is the class the
    first press made. (An LMS course makes its class without it: two courses of one title are
    two classes.)"""
    zone = check_time_zone(time_zone)
    with write_transaction():
        classroom = _made_by_the_same_press(teacher, name.strip()) if pressed else None
        if classroom is None:
            classroom = Classroom(
                teacher_id=teacher.id,
                name=name.strip(),
                time_zone=zone,
                join_code=_unused_join_code(),
            )
            db.session.add(classroom)
    # Read after the commit, which gave the row its id: the session does not expire it.
    return CreatedClass(classroom.id, classroom.name, classroom.time_zone, classroom.join_code)


def _made_by_the_same_press(teacher: User, name: str) -> Classroom | None:
    # Two presses at once are ordered by the teacher's row lock (SQLite's write lock too), so
    # the second finds the class the first made.
    db.session.execute(sa.select(User.id).where(User.id == teacher.id).with_for_update())
    return db.session.scalar(
        sa.select(Classroom)
        .where(
            Classroom.teacher_id == teacher.id,
            Classroom.name == name,
            Classroom.archived_at.is_(None),
            Classroom.created_at >= utcnow() - REPEATED_PRESS,
        )
        .order_by(Classroom.id.desc())
        .limit(1)
    )


def regenerate_join_code(classroom: Classroom) -> str:
    """Replace the join code (the old one stops working)."""
    with write_transaction():
        classroom.join_code = _unused_join_code()
    return classroom.join_code


def teacher_classes(teacher: User, archived: bool = False) -> list[tuple[Classroom, int]]:
    """The teacher's classes (or archived classes) with their number of students."""
    students = sa.func.count(Enrollment.id)
    rows = db.session.execute(
        sa.select(Classroom, students)
        .outerjoin(Enrollment, Enrollment.classroom_id == Classroom.id)
        .where(
            access.teaches(teacher),
            Classroom.archived_at.is_not(None) if archived else Classroom.archived_at.is_(None),
        )
        .group_by(Classroom.id)
        .order_by(Classroom.name)
    ).all()
    return [(classroom, count) for classroom, count in rows]


def roster_order() -> sa.ColumnElement[str]:
    """Students by the name shown (the display name, or the username), ignoring case."""
    return sa.func.lower(sa.func.coalesce(sa.func.nullif(User.display_name, ""), User.username))


def roster(classroom: Classroom) -> list[User]:
    """The students of a class, by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Enrollment, Enrollment.student_id == User.id)
            .where(Enrollment.classroom_id == classroom.id)
            .order_by(roster_order())
        )
    )


@dataclass(frozen=True)
class JoinedClass:
    """The class a student just joined, as the page that welcomes them needs it."""

    id: int
    name: str


def join_class(student: User, code: str) -> JoinedClass:
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
        raise ClassError(gettext("No class has that code. Check it with your teacher."))
    if student.is_teacher:
        raise ClassError(gettext("Teachers cannot join classes as students."))
    if classroom.archived_at is not None:
        raise ClassError(
            gettext("That class has been archived by its teacher and takes no new students.")
        )
    removed = db.session.scalar(
        sa.select(ClassRemoval.id).where(
            ClassRemoval.classroom_id == classroom.id, ClassRemoval.student_id == student.id
        )
    )
    if removed is not None:
        raise ClassError(
            gettext(
                "Your teacher removed you from this class, so its code no longer lets you in. "
                "Ask your teacher to let you back in."
            )
        )
    enrol(classroom, student)
    return JoinedClass(classroom.id, classroom.name)


def enrol(classroom: Classroom, student: User) -> None:
    """Put the student in the class; twice is harmless, also when two requests race."""
    add_once(Enrollment, classroom_id=classroom.id, student_id=student.id)


def remove_student(classroom: Classroom, student: User) -> None:
    """Take a student out of a class and end their sessions, so they must sign in again.

    Their attempts are kept, but an unfinished one at the class's assignments can no longer
    be continued, and the join code no longer lets them back in: the teacher can.
    """
    already_removed = db.session.scalar(
        sa.select(ClassRemoval.id).where(
            ClassRemoval.classroom_id == classroom.id, ClassRemoval.student_id == student.id
        )
    )
    with write_transaction():
        db.session.execute(
            sa.delete(Enrollment).where(
                Enrollment.classroom_id == classroom.id, Enrollment.student_id == student.id
            )
        )
        if already_removed is None:
            db.session.add(ClassRemoval(classroom_id=classroom.id, student_id=student.id))
        student.session_token = new_session_token()


def removed_students(classroom: Classroom) -> list[User]:
    """The students removed from a class and not let back in, most recently removed first."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(ClassRemoval, ClassRemoval.student_id == User.id)
            .where(ClassRemoval.classroom_id == classroom.id)
            .order_by(ClassRemoval.removed_at.desc(), ClassRemoval.id.desc())
        )
    )


def let_back_in(classroom: Classroom, student: User) -> None:
    """Enrol a removed student again; their unfinished attempts can be continued."""
    with write_transaction():
        db.session.execute(
            sa.delete(ClassRemoval).where(
                ClassRemoval.classroom_id == classroom.id, ClassRemoval.student_id == student.id
            )
        )
        enrolled = db.session.scalar(
            sa.select(Enrollment.id).where(
                Enrollment.classroom_id == classroom.id, Enrollment.student_id == student.id
            )
        )
        if enrolled is None:
            db.session.add(Enrollment(classroom_id=classroom.id, student_id=student.id))
