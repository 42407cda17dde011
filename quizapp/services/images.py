"""Images a set carries: kept with a staged upload, then with the version it becomes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.formats.images import ImageFile
from ..domain.rich_text import images_shown_before_grading
from ..extensions import db
from ..models import Attempt, QuestionSet, QuestionSetVersion, SetImage
from ..state import BoundedCache


@dataclass(frozen=True)
class ServedImage:
    """An image's bytes and the content type to serve them as."""

    content_type: str
    data: bytes


def images_digest(content_digest: str, images: dict[str, ImageFile]) -> str:
    """A version's content hash with its images counted: a changed image is a new version.

    A set without images keeps the hash of its content alone, as before images existed.
    """
    if not images:
        return content_digest
    parts = [content_digest]
    for name in sorted(images):
        parts.append(f"{name}:{hashlib.sha256(images[name].data).hexdigest()}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def add_images(
    images: dict[str, ImageFile], *, version_id: int | None = None, upload_id: int | None = None
) -> None:
    """Store the images for a version or a staged upload (inside the caller's transaction)."""
    db.session.add_all(
        SetImage(
            version_id=version_id,
            upload_id=upload_id,
            name=image.name,
            content_type=image.content_type,
            data=image.data,
            digest=hashlib.sha256(image.data).hexdigest(),
        )
        for image in images.values()
    )


def upload_images(upload_id: int) -> dict[str, ImageFile]:
    """The images staged with an upload, by name."""
    return _images(SetImage.upload_id == upload_id)


def version_images(version_id: int) -> dict[str, ImageFile]:
    """The images of a published version, by name."""
    return _images(SetImage.version_id == version_id)


def _images(owner: sa.ColumnElement[bool]) -> dict[str, ImageFile]:
    rows = db.session.scalars(
        sa.select(SetImage)
        .where(owner)
        .options(sa.orm.undefer(SetImage.data))
        .order_by(SetImage.id)
    )
    return {row.name: ImageFile(row.name, row.content_type, row.data) for row in rows}


def image_names(*, version_id: int | None = None, upload_id: int | None = None) -> set[str]:
    """The names of the images a version or a staged upload carries."""
    owner = SetImage.version_id == version_id if version_id else SetImage.upload_id == upload_id
    return set(db.session.scalars(sa.select(SetImage.name).where(owner)))


def version_image(version_id: int, name: str) -> ServedImage | None:
    """An image of a published version (the caller has checked who may see the version)."""
    return _served(SetImage.version_id == version_id, name)


def attempt_image(attempt: Attempt, name: str) -> ServedImage | None:
    """An image of the version a student's attempt is on (the caller has checked the attempt
    is theirs). Until the student may see the graded answers, only the images the questions
    show while answering: one in an explanation or a feedback would give the answer away."""
    from . import question_sets  # it imports this module: read at call time
    from .attempts.rules import results_visible

    if not results_visible(attempt):
        version = attempt.version
        shown = _shown_before_grading.get(version.content_hash)
        if shown is None:
            questions = question_sets.version_questions(version).values()
            shown = _shown_before_grading.put(
                version.content_hash, frozenset(images_shown_before_grading(questions))
            )
        if name not in shown:
            return None
    return version_image(attempt.version_id, name)


#: The images each version's questions show while answering, by content hash: finding them
#: renders every question's texts, and a page of images would do it once per image.
_shown_before_grading: BoundedCache[str, frozenset[str]] = BoundedCache()


def upload_image(upload_id: int, name: str) -> ServedImage | None:
    """An image of a staged upload (the caller has checked that the upload is the teacher's)."""
    return _served(SetImage.upload_id == upload_id, name)


def _served(owner: sa.ColumnElement[bool], name: str) -> ServedImage | None:
    row = db.session.execute(
        sa.select(SetImage.content_type, SetImage.data).where(owner, SetImage.name == name)
    ).first()
    return None if row is None else ServedImage(row.content_type, row.data)


def attempt_image_names(attempt_id: int) -> set[str]:
    """The names of the images of the version an attempt is on."""
    return set(
        db.session.scalars(
            sa.select(SetImage.name)
            .join(Attempt, Attempt.version_id == SetImage.version_id)
            .where(Attempt.id == attempt_id)
        )
    )


def numbered_version_images(question_set: QuestionSet, number: int | None) -> tuple[int, set[str]]:
    """The number of version ``number`` (None: the newest) of a set, and the names of its
    images; (0, empty) when there is no such version."""
    chosen = sa.select(QuestionSetVersion).where(
        QuestionSetVersion.question_set_id == question_set.id
    )
    if number is None:
        chosen = chosen.order_by(QuestionSetVersion.number.desc()).limit(1)
    else:
        chosen = chosen.where(QuestionSetVersion.number == number)
    version = db.session.scalar(chosen)
    if version is None:
        return 0, set()
    return version.number, image_names(version_id=version.id)
