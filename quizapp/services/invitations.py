"""Teachers inviting teachers: one-use links that expire."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.i18n import gettext
from ..extensions import db
from ..models import TEACHER, Invitation, User
from ..models.types import utcnow
from .accounts import AccountError, create_user

INVITATION_LIFETIME = timedelta(days=7)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_invitation(teacher: User) -> str:
    """A new invitation; returns the token for the link (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    with write_transaction():
        db.session.add(
            Invitation(
                token_hash=_digest(token),
                created_by_id=teacher.id,
                expires_at=utcnow() + INVITATION_LIFETIME,
            )
        )
    return token


def open_invitation(token: str, now: datetime | None = None) -> Invitation | None:
    """The invitation for this token if it is unused and unexpired."""
    invitation: Invitation | None = db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == _digest(token))
    )
    if invitation is None or invitation.used_at is not None:
        return None
    if (now or utcnow()) >= invitation.expires_at:
        return None
    return invitation


def accept_invitation(token: str, username: str, password: str, display_name: str = "") -> User:
    """Create the invited teacher's account and use up the invitation, in one transaction."""
    invitation = open_invitation(token)
    if invitation is None:
        raise AccountError(
            gettext("This invitation has expired or was already used; ask for a new one.")
        )
    # The password is hashed inside the write transaction: acceptances are rare enough.
    with write_transaction():
        user = create_user(username, password, display_name, TEACHER)
        # Only the first of two simultaneous acceptances marks the invitation used; the other
        # rolls back with its account.
        used = db.session.execute(
            sa.update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
            .values(used_at=utcnow(), used_by_id=user.id)
        )
        if used.rowcount != 1:  # type: ignore[attr-defined]
            raise AccountError(gettext("This invitation was already used; ask for a new one."))
    return user
