"""Uploaded question sets waiting for the teacher to publish or discard them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UtcDateTime, utcnow


class PendingUpload(db.Model):  # type: ignore[name-defined,misc]
    """A validated upload shown as a preview; kept in the database so any worker can publish it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(16))
    #: The whole set in the native shape, sources inline.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Warnings shown with the preview (skipped questions, missing evidence), as text lines.
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Questions left out because of their errors (the teacher chose to skip them), as text
    #: lines with their line and reason; ``skipped_count`` counts the questions.
    skipped: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    skipped_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class HeldUploadFile(db.Model):  # type: ignore[name-defined,misc]
    """A file of a refused upload, kept so that the teacher's next try need not pick it again.

    A teacher holds the files of one upload at a time, for at most a day (PENDING_UPLOAD_LIFETIME),
    and each file is within the upload form's size limits.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    #: "question" for the question-set file, "source" for a source text.
    role: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
