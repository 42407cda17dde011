"""Throttling events (failed sign-ins, registrations, wrong join codes), counted per key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow


class ThrottleEvent(db.Model):  # type: ignore[name-defined,misc]
    """One event counted against a key; rows older than the window are deleted as new ones come."""

    __table_args__ = (
        Index("ix_throttle_event_key_at", "key", "created_at"),
        Index("ix_throttle_event_account", "account"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What is counted, such as ``login:pair:<account>|<address>`` (services.throttling).
    key: Mapped[str] = mapped_column(String(200))
    #: The normalised username the event is about ('' when none), so an unlock finds its rows.
    account: Mapped[str] = mapped_column(String(64), default="")
    #: Counted once per key when distinct members are counted (the accounts tried from an address).
    member: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
