"""Question sets being written in the browser editor, kept on the server from the first save."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow


class DraftSet(db.Model):  # type: ignore[name-defined,misc]
    """A teacher's set in the making: saved while invalid, published only once valid."""

    __tablename__ = "draft_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: The id the set will publish under; None until the teacher chooses one.
    set_id: Mapped[str | None] = mapped_column(String(64))
    #: The published version this draft is the next version of; None for a new set.
    based_on_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_set_version.id"), index=True
    )
    #: The whole set in the native format's shape (title, language, sources inline, questions),
    #: as typed: it may hold mistakes the validator reports, so nothing typed is lost.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Bumped on every save, so that an autosave from a stale page is noticed, not written over.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Set when the draft became a published version; a published draft is no longer edited.
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
