"""Whole classes at once: student accounts from a roster, and login cards with one-time codes."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.errors import QuestionSetError
from ..domain.formats.decoding import decode_upload
from ..domain.i18n import gettext
from ..domain.limits import MAX_ROSTER_BYTES, MAX_ROSTER_CHARS
from ..domain.roster import (
    RosterError,
    RosterName,
    read_roster,
    unique_usernames,
    username_base,
)
from ..extensions import db
from ..models import STUDENT, Classroom, Enrollment, User
from . import accounts


@dataclass(frozen=True)
class LoginCard:
    """What a student needs to sign in the first time; the code is shown once, never stored."""

    display_name: str
    username: str
    one_time_code: str


def roster_text(content: bytes, filename: str) -> str:
    """The text of an exported roster file, in whatever encoding a spreadsheet saved it."""
    if len(content) > MAX_ROSTER_BYTES:
        raise RosterError(
            [
                gettext(
                    "The file is larger than a roster of %(limit)s characters.",
                    limit=format(MAX_ROSTER_CHARS, ","),
                )
            ]
        )
    try:
        return decode_upload(content, filename, legacy_encodings=True)
    except QuestionSetError as error:
        raise RosterError([str(issue) for issue in error.issues]) from None


def _taken_usernames(bases: set[str]) -> set[str]:
    """Existing usernames that start with any of ``bases`` (which hold no LIKE wildcards)."""
    if not bases:
        return set()
    return set(
        db.session.scalars(
            sa.select(User.username).where(sa.or_(*(User.username.like(f"{b}%") for b in bases)))
        )
    )


def create_students(classroom: Classroom, roster_text: str) -> list[LoginCard]:
    """Create an account for every student of the roster, enrolled in the class, each with a
    one-time password to change at first sign-in. Raises RosterError (nothing created) when
    the roster has problems."""
    names = read_roster(roster_text)
    # The hashes are made before the write transaction, so the write lock is held briefly.
    codes = [accounts.one_time_code() for _ in names]
    hashes = [accounts.hash_password(code) for code in codes]
    for attempt in range(2):
        try:
            return _insert(classroom, names, codes, hashes)
        except sa.exc.IntegrityError:
            # Another teacher took one of the usernames meanwhile: choose them again, once.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _insert(
    classroom: Classroom, names: list[RosterName], codes: list[str], hashes: list[str]
) -> list[LoginCard]:
    bases = [username_base(name) for name in names]
    usernames = unique_usernames(bases, _taken_usernames(set(bases)))
    with write_transaction():
        users = [
            User(
                username=username,
                display_name=name.display_name,
                password_hash=password_hash,
                role=STUDENT,
                must_change_password=True,
            )
            for username, name, password_hash in zip(usernames, names, hashes, strict=True)
        ]
        db.session.add_all(users)
        db.session.flush()
        db.session.add_all(
            Enrollment(classroom_id=classroom.id, student_id=user.id) for user in users
        )
    return [
        LoginCard(name.display_name, username, code)
        for name, username, code in zip(names, usernames, codes, strict=True)
    ]


def reset_card(student: User) -> LoginCard:
    """A new one-time password for one student, as a login card."""
    code = accounts.reset_password(student)
    return LoginCard(student.name, student.username, code)
