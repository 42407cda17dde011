"""Writing question sets in the browser: draft sets kept on the server, previewed, published.

A draft set is a teacher's set in the making (``DraftSet``): the native format's data as typed,
saved whether or not it is valid yet, so nothing typed is lost. Every save runs the one
validator that uploads pass (``domain.editing.check_draft``) and returns its problems keyed by
field; only a valid draft publishes, by the upload rules (a new version only when the content
changed). The API, for the editor's pages and for article intake and draft review:

- ``start_draft(teacher, *, title, source=None, set_id=None) -> int``: a new draft, with an
  article (``domain.articles.Article`` or any value with its text and citation fields) as its
  source; ``draft_of_version`` and ``duplicate_version`` start one from a published set.
- ``draft_for(teacher, draft_id) -> EditorDraft | None``: the draft's values, None when it is
  not the teacher's (the page answers 404) or was published (``published_set_of`` then names
  the set it became).
- ``add_questions``, ``update_question``, ``duplicate_question``, ``move_question``,
  ``delete_question``, ``save_document``, ``rename``: changes, each one save.
- ``preview(draft) -> DraftPreview`` and ``publish(teacher, draft_id) -> ImportResult``.
Changes to another teacher's draft raise ``DraftNotFound``; a save from a page older than the
stored draft raises ``DraftConflict``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa

from ..database import write_transaction
from ..domain import editing
from ..domain.drafting import SOURCE_KEY
from ..domain.editing import CheckedDraft, check_draft
from ..domain.errors import QuestionSetError, ValidationIssue
from ..domain.i18n import gettext
from ..domain.limits import (
    MAX_DRAFT_SETS,
    MAX_FILE_BYTES,
    MAX_TITLE_CHARS,
    PENDING_UPLOAD_LIFETIME,
)
from ..domain.model import QuestionSet as SetContent
from ..domain.serialization import content_hash, set_to_document
from ..domain.validation import LANGUAGE_TAG
from ..extensions import db
from ..models import DraftSet, PendingUpload, QuestionSet, QuestionSetVersion, User
from ..models.types import utcnow
from .exports import version_content
from .images import images_digest, version_images
from .question_sets import ImportResult, import_question_set

__all__ = [
    "DraftConflict",
    "DraftNotFound",
    "DraftPreview",
    "DraftTooLarge",
    "EditorDraft",
    "PendingPreview",
    "SaveResult",
    "add_questions",
    "check",
    "delete_draft",
    "delete_question",
    "draft_for",
    "draft_of_version",
    "drafts_of",
    "duplicate_question",
    "duplicate_version",
    "move_question",
    "pending_previews",
    "preview",
    "publish",
    "rename",
    "save_document",
    "start_draft",
    "update_question",
]


class ArticleLike(Protocol):
    """What a draft's source needs: the article's text and its citation fields."""

    @property
    def text(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def publisher(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def published(self) -> str: ...
    @property
    def url(self) -> str: ...


class DraftNotFound(LookupError):
    """No draft of that id belongs to the teacher (or it was published or deleted)."""


class DraftConflict(Exception):
    """The draft was saved elsewhere (another tab) since the page that sends this save."""

    def __init__(self, revision: int) -> None:
        super().__init__(
            "this draft was changed in another window since this page was opened; "
            "copy what you typed, then reload the page"
        )
        self.revision = revision


class DraftTooLarge(Exception):
    """A save that would make the draft larger than any file the app accepts."""


@dataclass(frozen=True)
class EditorDraft:
    """A draft set's values, for the editor's pages."""

    id: int
    title: str
    set_id: str | None
    based_on_version_id: int | None
    document: dict[str, Any]
    revision: int
    created_at: datetime
    updated_at: datetime

    @property
    def questions(self) -> list[dict[str, Any]]:
        """The draft's questions as typed."""
        questions = self.document.get("questions")
        return [q if isinstance(q, dict) else {} for q in questions] if questions else []

    @property
    def sources(self) -> dict[str, dict[str, Any]]:
        """The draft's sources as typed, by key."""
        sources = self.document.get("sources")
        return sources if isinstance(sources, dict) else {}

    @property
    def language(self) -> str:
        """The language the draft's questions and sources are written in (BCP 47; English
        unless the set says otherwise), for ``lang`` on them inside the interface."""
        tag = self.document.get("language")
        return tag if isinstance(tag, str) and LANGUAGE_TAG.fullmatch(tag) else "en"

    @classmethod
    def of(cls, row: DraftSet) -> EditorDraft:
        """The values of a stored draft."""
        return cls(
            row.id,
            row.title,
            row.set_id,
            row.based_on_version_id,
            row.document,
            row.revision,
            row.created_at,
            row.updated_at,
        )


@dataclass(frozen=True)
class SaveResult:
    """A save: the draft's new revision and what the validator says of it, by field."""

    revision: int
    errors: dict[str, list[str]]

    @property
    def valid(self) -> bool:
        """Whether the draft as saved can be published."""
        return not self.errors

    def question_errors(self, index: int) -> dict[str, list[str]]:
        """The problems of question ``index``, by its field."""
        return CheckedDraft(None, self.errors).question_errors(index)


@dataclass(frozen=True)
class DraftPreview:
    """A valid draft as students will see it, and the version publishing it makes."""

    content: SetContent
    #: The version publishing makes (or, when nothing changed, the one it finds).
    version_number: int
    #: Whether publishing makes a new version (False: the content equals the latest version).
    changes: bool
    #: The title of the set it becomes a version of; None for a new set.
    existing_title: str | None


def check(draft: EditorDraft) -> CheckedDraft:
    """What the validator says of a draft: the set when valid, else the problems by field."""
    return check_draft(draft.document, draft.set_id)


def start_draft(
    teacher: User,
    *,
    title: str,
    source: ArticleLike | None = None,
    set_id: str | None = None,
    based_on_version_id: int | None = None,
) -> int:
    """Keep a new draft set for ``teacher``, with an article as its source if given."""
    title = title.strip()[:MAX_TITLE_CHARS]
    document: dict[str, Any] = {"title": title, "language": "en", "sources": {}, "questions": []}
    if source is not None:
        document["sources"] = {SOURCE_KEY: _source_entry(source, title)}
    return _new_draft(teacher, document, set_id, based_on_version_id)


def _source_entry(source: ArticleLike, fallback_title: str) -> dict[str, str]:
    entry = {"title": (source.title or fallback_title or "Article")[:MAX_TITLE_CHARS]}
    for key in ("publisher", "author", "published", "url"):
        value = getattr(source, key, "")
        if value:
            entry[key] = value
    entry["text"] = source.text
    return entry


def _new_draft(
    teacher: User,
    document: dict[str, Any],
    set_id: str | None,
    based_on_version_id: int | None,
) -> int:
    _check_size(document)
    with write_transaction():
        _make_room_for_a_draft(teacher)
        row = DraftSet(
            owner_id=teacher.id,
            title=str(document.get("title") or "")[:MAX_TITLE_CHARS],
            set_id=set_id or None,
            based_on_version_id=based_on_version_id,
            document=document,
        )
        db.session.add(row)
        db.session.flush()
        draft_id: int = row.id
    return draft_id


def _make_room_for_a_draft(teacher: User) -> None:
    """Forget the teacher's least recently saved drafts beyond the limit: a draft holds a whole
    set with its sources, and a teacher who starts many has long left the oldest."""
    kept = (
        sa.select(DraftSet.id)
        .where(DraftSet.owner_id == teacher.id, DraftSet.published_at.is_(None))
        .order_by(DraftSet.updated_at.desc(), DraftSet.id.desc())
        .limit(MAX_DRAFT_SETS - 1)
    )
    db.session.execute(
        sa.delete(DraftSet).where(
            DraftSet.owner_id == teacher.id, DraftSet.id.not_in(kept.scalar_subquery())
        )
    )


def _own_row(teacher: User, draft_id: int) -> DraftSet | None:
    found: DraftSet | None = db.session.scalar(
        sa.select(DraftSet).where(
            DraftSet.id == draft_id,
            DraftSet.owner_id == teacher.id,
            DraftSet.published_at.is_(None),
        )
    )
    return found


def draft_for(teacher: User, draft_id: int) -> EditorDraft | None:
    """The teacher's draft of this id; None for anyone else's, a published or a missing one."""
    row = _own_row(teacher, draft_id)
    return EditorDraft.of(row) if row is not None else None


def drafts_of(teacher: User) -> list[EditorDraft]:
    """The teacher's drafts, the most recently saved first (for the dashboard)."""
    rows = db.session.scalars(
        sa.select(DraftSet)
        .where(DraftSet.owner_id == teacher.id, DraftSet.published_at.is_(None))
        .order_by(DraftSet.updated_at.desc(), DraftSet.id.desc())
    )
    return [EditorDraft.of(row) for row in rows]


def _check_size(document: dict[str, Any]) -> None:
    size = len(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise DraftTooLarge(
            gettext(
                "the set is larger than %(most)s MiB, the most a set may hold; shorten its "
                "source texts or split it into two sets",
                most=MAX_FILE_BYTES // (1024 * 1024),
            )
        )


def _save(
    teacher: User,
    draft_id: int,
    change: Any,
    *,
    revision: int | None = None,
    set_id: str | None = None,
    change_set_id: bool = False,
) -> SaveResult:
    """Apply ``change`` (document -> document) to the stored draft in one transaction."""
    with write_transaction():
        row = _own_row(teacher, draft_id)
        if row is None:
            raise DraftNotFound(draft_id)
        if revision is not None and revision != row.revision:
            raise DraftConflict(row.revision)
        document = change(dict(row.document))
        _check_size(document)
        row.document = document
        row.title = str(document.get("title") or "")[:MAX_TITLE_CHARS]
        if change_set_id:
            row.set_id = set_id or None
        row.revision += 1
        row.updated_at = utcnow()
        new_revision, checked_set_id = row.revision, row.set_id
    return SaveResult(new_revision, check_draft(document, checked_set_id).errors)


def save_document(
    teacher: User,
    draft_id: int,
    document: dict[str, Any],
    *,
    set_id: str | None = None,
    revision: int | None = None,
) -> SaveResult:
    """Store the whole document as typed (valid or not); ``revision`` guards against saving
    over a newer save from another window."""
    return _save(
        teacher,
        draft_id,
        lambda _old: document,
        revision=revision,
        set_id=set_id,
        change_set_id=set_id is not None,
    )


def rename(
    teacher: User, draft_id: int, *, title: str, set_id: str | None, revision: int | None = None
) -> SaveResult:
    """Change the draft's title and the set id it will publish under."""
    return _save(
        teacher,
        draft_id,
        lambda doc: {**doc, "title": title.strip()},
        revision=revision,
        set_id=set_id.strip() if set_id else None,
        change_set_id=True,
    )


def add_questions(teacher: User, draft_id: int, questions: list[dict[str, Any]]) -> SaveResult:
    """Append questions (native-format dicts); an id already used gets a number added."""
    return _save(teacher, draft_id, lambda doc: editing.with_questions_added(doc, questions))


def _question_index(document: dict[str, Any], index: int) -> int:
    if not 0 <= index < len(document.get("questions") or []):
        raise DraftNotFound(index)
    return index


def update_question(
    teacher: User,
    draft_id: int,
    index: int,
    question: dict[str, Any],
    *,
    revision: int | None = None,
) -> SaveResult:
    """Replace question ``index`` with ``question`` as typed."""
    return _save(
        teacher,
        draft_id,
        lambda doc: editing.with_question_replaced(doc, _question_index(doc, index), question),
        revision=revision,
    )


def duplicate_question(teacher: User, draft_id: int, index: int) -> SaveResult:
    """Copy question ``index`` to just after it, under a new id."""
    return _save(
        teacher,
        draft_id,
        lambda doc: editing.with_question_duplicated(doc, _question_index(doc, index)),
    )


def move_question(teacher: User, draft_id: int, index: int, to: int) -> SaveResult:
    """Move question ``index`` to position ``to``."""
    return _save(
        teacher,
        draft_id,
        lambda doc: editing.with_question_moved(doc, _question_index(doc, index), to),
    )


def delete_question(teacher: User, draft_id: int, index: int) -> SaveResult:
    """Remove question ``index``."""
    return _save(
        teacher,
        draft_id,
        lambda doc: editing.with_question_deleted(doc, _question_index(doc, index)),
    )


def delete_draft(teacher: User, draft_id: int) -> None:
    """Throw a draft away."""
    with write_transaction():
        row = _own_row(teacher, draft_id)
        if row is None:
            raise DraftNotFound(draft_id)
        db.session.delete(row)


def _latest_of(owner_id: int, slug: str) -> tuple[QuestionSet, QuestionSetVersion] | None:
    row = db.session.execute(
        sa.select(QuestionSet, QuestionSetVersion)
        .join(QuestionSetVersion.question_set)
        .where(QuestionSet.slug == slug, QuestionSet.owner_id == owner_id)
        .order_by(QuestionSetVersion.number.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row is not None else None


def preview(teacher: User, draft: EditorDraft) -> DraftPreview:
    """The valid draft as students will see it, and which version publishing would make;
    raise QuestionSetError when the draft is not valid yet."""
    content = _valid_content(draft)
    latest = _latest_of(teacher.id, content.id)
    if latest is None:
        return DraftPreview(content, 1, True, None)
    question_set, version = latest
    kept = version_images(draft.based_on_version_id) if draft.based_on_version_id else {}
    if version.content_hash == images_digest(content_hash(content), kept):
        return DraftPreview(content, version.number, False, question_set.name or version.title)
    return DraftPreview(content, version.number + 1, True, question_set.name or version.title)


def _valid_content(draft: EditorDraft) -> SetContent:
    checked = check(draft)
    if checked.question_set is None:
        raise QuestionSetError(
            [
                ValidationIssue(key or "set", message)
                for key, messages in checked.errors.items()
                for message in messages
            ]
        )
    return checked.question_set


def publish(teacher: User, draft_id: int) -> ImportResult:
    """Publish a valid draft as the next version of the teacher's set (or find it unchanged).

    One transaction, as an upload's publish: the draft is marked published with the version,
    and a refused publish (an invalid draft, an id kept for shipped sets) keeps it as it was.
    """
    with write_transaction():
        row = _own_row(teacher, draft_id)
        if row is None:
            raise DraftNotFound(draft_id)
        # A draft of a published version keeps that version's images (those its text names).
        images = version_images(row.based_on_version_id) if row.based_on_version_id else None
        result = import_question_set(
            _valid_content(EditorDraft.of(row)), owner_id=teacher.id, images=images
        )
        row.published_at = utcnow()
        row.set_id = result.version.slug  # where the draft's old pages lead (published_set_of)
    return result


def published_set_of(teacher: User, draft_id: int) -> str | None:
    """The slug of the teacher's own set that this draft of theirs was published as, if it was."""
    slug: str | None = db.session.scalar(
        sa.select(QuestionSet.slug)
        .join(DraftSet, DraftSet.set_id == QuestionSet.slug)
        .where(
            DraftSet.id == draft_id,
            DraftSet.owner_id == teacher.id,
            DraftSet.published_at.is_not(None),
            QuestionSet.owner_id == teacher.id,
        )
    )
    return slug


def draft_of_version(teacher: User, version: QuestionSetVersion) -> int:
    """A draft of the next version of the teacher's own published set (its content copied);
    the draft already open for that version, if there is one, so no edit is split in two."""
    open_draft = db.session.scalar(
        sa.select(DraftSet.id)
        .where(
            DraftSet.owner_id == teacher.id,
            DraftSet.based_on_version_id == version.id,
            DraftSet.published_at.is_(None),
        )
        .order_by(DraftSet.updated_at.desc())
        .limit(1)
    )
    if open_draft is not None:
        return int(open_draft)
    document = _editable(set_to_document(version_content(version)))
    return _new_draft(teacher, document, version.question_set.slug, version.id)


def duplicate_version(
    teacher: User, version: QuestionSetVersion, *, set_id: str, title: str | None = None
) -> int:
    """A draft of a new set of the teacher's own, copied from any set they may read."""
    document = _editable(set_to_document(version_content(version)))
    title = title or gettext("Copy of %(title)s", title=document.get("title", ""))
    document["title"] = title.strip()[:MAX_TITLE_CHARS]
    return _new_draft(teacher, document, set_id, None)


def _editable(document: dict[str, Any]) -> dict[str, Any]:
    """A published set's data as the editor keeps it: the set id lives beside the document."""
    return {k: v for k, v in document.items() if k not in ("format", "id")}


@dataclass(frozen=True)
class PendingPreview:
    """An upload waiting on its preview page, for the dashboard."""

    id: int
    filename: str
    created_at: datetime


def pending_previews(teacher: User) -> list[PendingPreview]:
    """The teacher's uploads still waiting to be published or discarded, newest first."""
    rows = db.session.execute(
        sa.select(PendingUpload.id, PendingUpload.filename, PendingUpload.created_at)
        .where(
            PendingUpload.teacher_id == teacher.id,
            PendingUpload.created_at > utcnow() - PENDING_UPLOAD_LIFETIME,
        )
        .order_by(PendingUpload.created_at.desc(), PendingUpload.id.desc())
    )
    return [PendingPreview(*row) for row in rows]
