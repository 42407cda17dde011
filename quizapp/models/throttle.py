"""Failed sign-ins, counted to slow down password guessing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow


class LoginFailure(db.Model):  # type: ignore[name-defined,misc]
    """One failed sign-in; rows older than the throttling window are deleted as new ones come."""

    __table_args__ = (
        Index("ix_login_failure_account_at", "account", "created_at"),
        Index("ix_login_failure_address_at", "address", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The normalised username tried (whether or not such an account exists).
    account: Mapped[str] = mapped_column(String(64))
    #: The client's IP address as the app sees it (after ProxyFix, when configured).
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
