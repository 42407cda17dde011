"""Uploading question sets: stage a validated file for preview, then publish or discard it.

Showing a set (the preview, paper copies, answer keys and the YAML download) is in exports.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.errors import QuestionSetError, ValidationIssue
from ..domain.formats.sniffing import NATIVE_FORMATS
from ..domain.i18n import gettext
from ..domain.limits import (
    MAX_FILE_BYTES,
    MAX_PENDING_UPLOADS,
    MAX_SOURCE_BYTES,
    MAX_SOURCE_CHARS,
    MAX_UPLOAD_REQUEST_BYTES,
    PENDING_UPLOAD_LIFETIME,
)
from ..domain.model import QuestionSet as SetContent
from ..domain.serialization import set_from_document, set_to_document
from ..domain.validation import SHIPPED_ID_PREFIX, is_reserved_set_id
from ..domain.warnings import summarize_warnings
from ..extensions import db
from ..models import HeldUploadFile, PendingUpload, QuestionSet, QuestionSetVersion, User
from ..models.types import utcnow
from .images import add_images, upload_images
from .question_sets import ImportResult, import_question_set

if TYPE_CHECKING:
    from ..domain.formats.upload import ParsedUpload

SOURCE_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class UploadedFile:
    """A file from the upload form."""

    filename: str
    content: bytes


def _safe_name(filename: str) -> str:
    """The base name only: a browser may send a path, which must never reach the disk."""
    return PurePath(filename.replace("\\", "/")).name or "upload"


def _source_texts(files: list[UploadedFile]) -> dict[str, str]:
    texts: dict[str, str] = {}
    issues: list[ValidationIssue] = []
    for upload in files:
        name = _safe_name(upload.filename)
        if not name.lower().endswith(SOURCE_SUFFIXES):
            issues.append(
                ValidationIssue(name, gettext("a source text must be a .txt or .md file"))
            )
        elif len(upload.content) > MAX_SOURCE_BYTES:
            issues.append(
                ValidationIssue(
                    name,
                    gettext(
                        "the source text is longer than %(max)s characters",
                        max=format(MAX_SOURCE_CHARS, ","),
                    ),
                )
            )
        else:
            try:
                texts[name] = upload.content.decode("utf-8-sig")
            except UnicodeDecodeError:
                issues.append(
                    ValidationIssue(name, gettext("the source text is not UTF-8; save it as UTF-8"))
                )
    if issues:
        raise QuestionSetError(issues)
    return texts


QUESTION_ROLE = "question"
SOURCE_ROLE = "source"


@dataclass(frozen=True)
class HeldFile:
    """A file kept from a refused upload, as the upload page lists it."""

    id: int
    role: str
    filename: str


@dataclass(frozen=True)
class StagedUpload:
    """An upload kept for its preview page, as the uploader's next page needs it (no live row)."""

    id: int
    filename: str
    file_format: str
    skipped_count: int


def stage_upload(
    teacher: User,
    question_file: UploadedFile | None,
    sources: list[UploadedFile],
    title: str | None = None,
    set_id: str | None = None,
    version_of: str | None = None,
    *,
    skip_invalid: bool = False,
) -> StagedUpload:
    """Parse and validate an upload; keep it for preview. Raise QuestionSetError listing all issues.

    With ``skip_invalid`` the questions with errors are left out and listed in the preview;
    without it a file with any error is refused.

    The files of the teacher's last refused upload join the ones picked now (a file picked now
    replaces a held one of its name), and a refused upload's files are held for the next try.
    ``title`` and ``set_id`` name a CSV, GIFT or Aiken set (YAML and JSON sets carry their own);
    ``version_of`` is one of the teacher's own sets, which the upload becomes the next version of
    whatever its file is called.
    """
    question_file, sources = _with_held_files(teacher, question_file, sources)
    if question_file is None:
        raise QuestionSetError(
            [ValidationIssue("upload", gettext("choose a question-set file to upload"))]
        )
    try:
        parsed = _parsed_upload(
            teacher, question_file, sources, title, set_id, version_of, skip_invalid
        )
    except QuestionSetError:
        _hold_files(teacher, question_file, sources)
        raise
    with write_transaction():
        _make_room_for_an_upload(teacher)
        _forget_held_files(teacher)
        upload = PendingUpload(
            teacher_id=teacher.id,
            filename=_safe_name(question_file.filename),
            file_format=parsed.format,
            document=set_to_document(parsed.question_set),
            warnings=summarize_warnings(parsed.warnings),
            skipped=[str(issue) for issue in parsed.skipped],
            skipped_count=parsed.skipped_count,
        )
        db.session.add(upload)
        db.session.flush()
        add_images(parsed.images, upload_id=upload.id)
    return StagedUpload(upload.id, upload.filename, upload.file_format, upload.skipped_count)


def _parsed_upload(
    teacher: User,
    question_file: UploadedFile,
    sources: list[UploadedFile],
    title: str | None,
    set_id: str | None,
    version_of: str | None,
    skip_invalid: bool = False,
) -> ParsedUpload:
    filename = _safe_name(question_file.filename)
    if version_of and version_of not in own_set_ids(teacher):
        raise QuestionSetError(
            [
                ValidationIssue(
                    filename, gettext("choose one of your own sets to publish a version of")
                )
            ]
        )
    # Here, not at the top: the parsers (PyYAML, lxml) load in a worker at its first upload.
    from ..domain.formats.upload import parse_upload

    parsed = parse_upload(
        filename,
        question_file.content,
        sources=_source_texts(sources),
        title=title or None,  # the form strips both
        set_id=version_of or set_id or None,
        skip_invalid=skip_invalid,
    )
    if version_of and parsed.question_set.id != version_of:
        # A YAML or JSON file names its own set; the teacher chose to publish it as this one.
        parsed = dataclasses.replace(
            parsed, question_set=dataclasses.replace(parsed.question_set, id=version_of)
        )
    _check_id_is_free(teacher, parsed.question_set.id, filename, parsed.format)
    return parsed


def own_set_ids(teacher: User) -> dict[str, str]:
    """The ids of the teacher's own sets that are not archived, with the newest title of each."""
    newest = (
        sa.select(sa.func.max(QuestionSetVersion.id))
        .group_by(QuestionSetVersion.question_set_id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(QuestionSet.slug, QuestionSetVersion.title)
        .join(QuestionSetVersion.question_set)
        .where(
            QuestionSet.owner_id == teacher.id,
            QuestionSet.archived_at.is_(None),
            QuestionSetVersion.id.in_(newest),
        )
        .order_by(QuestionSetVersion.title, QuestionSet.slug)
    )
    return {slug: title for slug, title in rows}


def held_files(teacher: User) -> list[HeldFile]:
    """The files kept from the teacher's last refused upload, question-set file first."""
    rows = db.session.execute(
        sa.select(HeldUploadFile.id, HeldUploadFile.role, HeldUploadFile.filename)
        .where(*_held_by(teacher))
        .order_by(HeldUploadFile.role != QUESTION_ROLE, HeldUploadFile.id)
    )
    return [HeldFile(id, role, filename) for id, role, filename in rows]


def release_held_file(teacher: User, held_id: int) -> bool:
    """Stop keeping one of the teacher's held files; False if there is no such file."""
    with write_transaction():
        removed = db.session.execute(
            sa.delete(HeldUploadFile).where(HeldUploadFile.id == held_id, *_held_by(teacher))
        )
    return bool(getattr(removed, "rowcount", 0))


def _held_by(teacher: User) -> tuple[sa.ColumnElement[bool], ...]:
    return (
        HeldUploadFile.teacher_id == teacher.id,
        HeldUploadFile.created_at > utcnow() - PENDING_UPLOAD_LIFETIME,
    )


def _with_held_files(
    teacher: User, question_file: UploadedFile | None, sources: list[UploadedFile]
) -> tuple[UploadedFile | None, list[UploadedFile]]:
    """The files of this try: those picked now, and the held ones that they do not replace."""
    held = db.session.scalars(
        sa.select(HeldUploadFile).where(*_held_by(teacher)).order_by(HeldUploadFile.id)
    ).all()
    picked = {_safe_name(source.filename) for source in sources}
    for file in held:
        if file.role == QUESTION_ROLE and question_file is None:
            question_file = UploadedFile(file.filename, file.content)
        elif file.role == SOURCE_ROLE and file.filename not in picked:
            sources = [*sources, UploadedFile(file.filename, file.content)]
    return question_file, sources


def _hold_files(teacher: User, question_file: UploadedFile, sources: list[UploadedFile]) -> None:
    """Keep a refused upload's files (in place of any held before), within the upload limits.

    A file over its own limit is not kept: it would be refused again, and the message said why.
    """
    candidates = [(QUESTION_ROLE, question_file, MAX_FILE_BYTES)]
    candidates += [(SOURCE_ROLE, source, MAX_SOURCE_BYTES) for source in sources]
    budget = MAX_UPLOAD_REQUEST_BYTES
    with write_transaction():
        _forget_held_files(teacher)
        db.session.execute(
            sa.delete(HeldUploadFile).where(
                HeldUploadFile.created_at <= utcnow() - PENDING_UPLOAD_LIFETIME
            )
        )
        for role, file, limit in candidates:
            if len(file.content) > min(limit, budget):
                continue
            budget -= len(file.content)
            db.session.add(
                HeldUploadFile(
                    teacher_id=teacher.id,
                    role=role,
                    filename=_safe_name(file.filename),
                    content=file.content,
                )
            )


def _forget_held_files(teacher: User) -> None:
    db.session.execute(sa.delete(HeldUploadFile).where(HeldUploadFile.teacher_id == teacher.id))


def _make_room_for_an_upload(teacher: User) -> None:
    """Forget uploads past their lifetime (anyone's), and the teacher's oldest beyond the limit.

    A staged upload holds a whole set with its sources, so each teacher holds only a few, for a
    day: the preview is a step before publishing, and the file can be uploaded again.
    """
    db.session.execute(
        sa.delete(PendingUpload).where(
            PendingUpload.created_at <= utcnow() - PENDING_UPLOAD_LIFETIME
        )
    )
    kept = (
        sa.select(PendingUpload.id)
        .where(PendingUpload.teacher_id == teacher.id)
        .order_by(PendingUpload.created_at.desc(), PendingUpload.id.desc())
        .limit(MAX_PENDING_UPLOADS - 1)
    )
    db.session.execute(
        sa.delete(PendingUpload).where(
            PendingUpload.teacher_id == teacher.id, PendingUpload.id.not_in(kept.scalar_subquery())
        )
    )


def _check_id_is_free(teacher: User, set_id: str, filename: str, file_format: str) -> None:
    """Refuse an id the teacher may not publish under, saying why without naming anyone."""
    # Only the shipped sets and the teacher's own count: other teachers' ids are theirs, may be
    # the same, and are never hinted at.
    owners = set(
        db.session.scalars(
            sa.select(QuestionSet.owner_id).where(
                QuestionSet.slug == set_id,
                sa.or_(QuestionSet.owner_id.is_(None), QuestionSet.owner_id == teacher.id),
            )
        )
    )
    if teacher.id in owners:
        return  # a new version of the teacher's own set, whatever its id
    in_file = file_format in NATIVE_FORMATS
    # Whole sentences, each way round: the reason and the remedy are translated together.
    if None in owners and in_file:
        message = gettext(
            "the id '%(id)s' is already used by a set shipped with the app; change the 'id:' in "
            "the file",
            id=set_id,
        )
    elif None in owners:
        message = gettext(
            "the id '%(id)s' is already used by a set shipped with the app; type another id in "
            "the Set id box",
            id=set_id,
        )
    elif is_reserved_set_id(set_id) and in_file:
        message = gettext(
            "the id '%(id)s' begins with '%(prefix)s', which is kept for sets shipped with the "
            "app; change the 'id:' in the file",
            id=set_id,
            prefix=SHIPPED_ID_PREFIX,
        )
    elif is_reserved_set_id(set_id):
        message = gettext(
            "the id '%(id)s' begins with '%(prefix)s', which is kept for sets shipped with the "
            "app; type another id in the Set id box",
            id=set_id,
            prefix=SHIPPED_ID_PREFIX,
        )
    else:
        return
    raise QuestionSetError([ValidationIssue(filename, message)])


def upload_content(upload: PendingUpload) -> SetContent:
    """The staged set, as students would see it."""
    return set_from_document(upload.document)


def publish_upload(teacher: User, upload: PendingUpload) -> ImportResult:
    """Publish a staged set as a new version of the teacher's set (or find it unchanged).

    One transaction: the upload is gone once the set is published, and a refused publish keeps
    it for another try.
    """
    with write_transaction():
        result = import_question_set(
            upload_content(upload), owner_id=teacher.id, images=upload_images(upload.id)
        )
        # The upload's own copies of the images go with it (the database cascades).
        db.session.delete(upload)
    return result


def discard_upload(upload: PendingUpload) -> None:
    """Forget a staged upload."""
    with write_transaction():
        db.session.delete(upload)
