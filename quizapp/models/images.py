"""Images that travel with a set: embedded in an uploaded file, kept with its version."""

from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class SetImage(db.Model):  # type: ignore[name-defined,misc]
    """An image named by a set's text, held by a staged upload until it is published, then by
    the published version (never changed afterwards, like the version)."""

    __table_args__ = (
        UniqueConstraint("version_id", "name"),
        UniqueConstraint("upload_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Exactly one of the two is set. The database deletes the image with its owner.
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_set_version.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("pending_upload.id", ondelete="CASCADE"), index=True
    )
    #: The file name the set's text refers to (``@@PLUGINFILE@@/map.png``).
    name: Mapped[str] = mapped_column(String(100))
    #: One of domain.formats.images.IMAGE_TYPES, found from the image's own first bytes.
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: SHA-256 of ``data``: part of the version's content hash.
    digest: Mapped[str] = mapped_column(String(64))
