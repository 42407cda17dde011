"""Accounts: students and teachers."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String, false
from sqlalchemy.orm import Mapped, mapped_column, query_expression

from ..extensions import db
from .types import UtcDateTime, utcnow

STUDENT, TEACHER = "student", "teacher"


def new_session_token() -> str:
    """A random token that identifies a user's sessions until it is rotated."""
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):  # type: ignore[name-defined,misc]
    """A person who signs in; ``role`` decides which pages they may use."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased at registration, so sign-in ignores case.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=STUDENT)
    #: Stored in the session cookie instead of the id; rotating it ends every session at once.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: The interface language the user chose (a code of quizapp.i18n.LANGUAGES); None: not
    #: chosen, so the browser's Accept-Language decides.
    language: Mapped[str | None] = mapped_column(String(16), default=None)
    #: Not columns: loaded with the signed-in user (services.accounts.user_for_session), the
    #: earliest deadline of the user's unsubmitted timed attempts (None: there is none), so a
    #: student page knows without another query whether one has run out. ``deadline_loaded``
    #: says whether it was loaded: it is false for a user loaded any other way.
    open_deadline: Mapped[datetime | None] = query_expression()
    deadline_loaded: Mapped[bool] = query_expression(default_expr=false())

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the rotating token, not the row id."""
        return self.session_token

    @property
    def name(self) -> str:
        """The name to show: the display name, or the username when there is none."""
        return self.display_name or self.username

    @property
    def is_teacher(self) -> bool:
        """Whether the user may use the teacher pages."""
        return self.role == TEACHER
