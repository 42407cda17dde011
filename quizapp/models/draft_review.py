"""Questions drafted from an article, waiting for the teacher's review, and the teacher's
corrections of who said what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

PENDING = "pending"
ACCEPTED = "accepted"
DISCARDED = "discarded"


class DraftProposal(db.Model):  # type: ignore[name-defined,misc]
    """One drafted question (with its Part B, if it has one) proposed for a draft set."""

    __tablename__ = "draft_proposal"
    __table_args__ = (UniqueConstraint("draft_set_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_set_id: Mapped[int] = mapped_column(ForeignKey("draft_set.id", ondelete="CASCADE"))
    #: Its place among the draft set's proposals: the order the drafting rules made them in.
    position: Mapped[int]
    #: The question in the native format's shape, followed by any Part B that goes with it.
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: pending until the teacher accepts (it is then in the draft set) or discards it.
    status: Mapped[str] = mapped_column(String(16), default=PENDING)


class SpeakerCorrection(db.Model):  # type: ignore[name-defined,misc]
    """The teacher's speaker for one quotation of a draft set's article ("" for no one)."""

    __tablename__ = "speaker_correction"
    __table_args__ = (UniqueConstraint("draft_set_id", "start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_set_id: Mapped[int] = mapped_column(ForeignKey("draft_set.id", ondelete="CASCADE"))
    #: Where the quotation's words start in the article (``Quotation.start``) ...
    start: Mapped[int]
    #: ... and the words themselves: a correction applies only while the text there is the same.
    quote: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str] = mapped_column(String(100))
