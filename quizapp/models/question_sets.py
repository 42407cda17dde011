"""Question sets and their immutable versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UtcDateTime, utcnow

#: The rows of the sets shipped in questions/, which the partial unique index on slug covers.
SHIPPED = text("owner_id IS NULL")


class QuestionSet(db.Model):  # type: ignore[name-defined,misc]
    """A set as teachers know it, by its ``slug`` (the file's ``id``); content lives in versions.

    A teacher's slugs are their own: two teachers may each have a set ``unit-3``, so that no one
    learns another's ids by being refused one. Shipped slugs are unique among shipped sets, and
    a teacher cannot take one (uploads refuse it).
    """

    __table_args__ = (
        UniqueConstraint("owner_id", "slug"),
        # A unique constraint treats every NULL owner as different: shipped sets need their own.
        Index(
            "uq_question_set_shipped_slug",
            "slug",
            unique=True,
            sqlite_where=SHIPPED,
            # and postgresql_where=SHIPPED, set by use_postgresql() on PostgreSQL only
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), index=True)
    #: The teacher who uploaded it; None for the sets shipped in questions/ (read-only).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: The owner's name for the set on the teacher's pages; None: the newest version's title.
    #: (Versions never change, so a rename cannot go into them.)
    name: Mapped[str | None] = mapped_column(String(200))
    #: Set when the owner puts the set away: no longer offered for new assignments.
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    versions: Mapped[list[QuestionSetVersion]] = relationship(
        back_populates="question_set", order_by="QuestionSetVersion.number"
    )


class QuestionSetVersion(db.Model):  # type: ignore[name-defined,misc]
    """One published content of a set. Never changed once written: attempts point at it."""

    __table_args__ = (UniqueConstraint("question_set_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_set_id: Mapped[int] = mapped_column(ForeignKey("question_set.id"), index=True)
    number: Mapped[int]
    #: SHA-256 of the canonical content, so re-importing an unchanged file is a no-op.
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    question_count: Mapped[int]
    #: The items a student is shown, numbered "Question 1 of N": a Part A with its Part B is
    #: one. None only for a version a release before this column wrote during a rolling deploy.
    item_count: Mapped[int | None] = mapped_column(default=None)
    total_points: Mapped[int]
    #: The set in the native format's shape, sources left out (they are SourceText rows).
    document: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    question_set: Mapped[QuestionSet] = relationship(back_populates="versions")

    @property
    def item_total(self) -> int:
        """How many questions a student counts in this version (a Part A and its Part B: one)."""
        return self.item_count if self.item_count is not None else self.question_count


class SourceText(db.Model):  # type: ignore[name-defined,misc]
    """A source text of one version, which evidence quotes are highlighted in."""

    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("question_set_version.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    attribution: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    # Where the text came from, shown to students as a citation above it.
    url: Mapped[str] = mapped_column(Text, default="", server_default="")
    publisher: Mapped[str] = mapped_column(Text, default="", server_default="")
    author: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The date of publication as the file wrote it (2025-02-04).
    published: Mapped[str] = mapped_column(String(32), default="", server_default="")

    @property
    def citation(self) -> str:
        """Author, publisher and date as one line, as a reader would cite the text."""
        return ". ".join(part for part in (self.author, self.publisher, self.published) if part)


def use_postgresql() -> None:
    """Give the partial index its WHERE on PostgreSQL too (the app calls this when it runs on
    PostgreSQL). Naming ``postgresql_where`` in the model would make SQLAlchemy load its
    PostgreSQL dialect, 2 MB and 50 ms, into every process on SQLite."""
    for index in QuestionSet.__table__.indexes:
        if index.name == "uq_question_set_shipped_slug":
            index.dialect_kwargs["postgresql_where"] = SHIPPED
