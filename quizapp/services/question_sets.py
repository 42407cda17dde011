"""Importing question sets as versions, and reading them back for quizzes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.errors import QuestionSetError, ValidationIssue
from ..domain.formats.images import ImageFile
from ..domain.i18n import gettext
from ..domain.model import Question
from ..domain.model import QuestionSet as SetContent
from ..domain.selection import question_items
from ..domain.serialization import content_hash, questions_from_document, set_to_document
from ..domain.validation import SHIPPED_ID_PREFIX, is_reserved_set_id
from ..extensions import db
from ..models import QuestionSet, QuestionSetVersion, SourceText
from ..state import BoundedCache, app_state
from .images import add_images, images_digest

NATIVE_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class PublishedVersion:
    """A stored version of a set, as plain values for the caller to show."""

    id: int
    slug: str
    number: int
    title: str
    content_hash: str

    @classmethod
    def of(cls, version: QuestionSetVersion, slug: str) -> PublishedVersion:
        """The values of a version of the set ``slug``."""
        return cls(version.id, slug, version.number, version.title, version.content_hash)


@dataclass(frozen=True)
class ImportResult:
    """The version an import produced or found, and whether it is new."""

    version: PublishedVersion
    created: bool


def import_question_set(
    content: SetContent,
    owner_id: int | None = None,
    images: dict[str, ImageFile] | None = None,
) -> ImportResult:
    """Store ``content`` (and the images its text names) as the next version of its set,
    unless it equals the latest one."""
    digest = images_digest(content_hash(content), images or {})
    with write_transaction():
        question_set = _set_to_publish_under(content.id, owner_id)
        latest = _latest_version(question_set.id)
        if latest is not None and latest.content_hash == digest:
            return ImportResult(PublishedVersion.of(latest, content.id), created=False)
        version = QuestionSetVersion(
            question_set_id=question_set.id,
            number=(latest.number + 1) if latest else 1,
            content_hash=digest,
            title=content.title,
            description=content.description,
            question_count=len(content.questions),
            item_count=len(question_items(content.questions)),
            total_points=sum(q.points for q in content.questions),
            document=set_to_document(content, with_sources=False),
        )
        db.session.add(version)
        db.session.flush()
        db.session.add_all(
            SourceText(
                version_id=version.id,
                key=source.key,
                title=source.title,
                attribution=source.attribution,
                text=source.text,
                url=source.url,
                publisher=source.publisher,
                author=source.author,
                published=source.published,
            )
            for source in content.sources.values()
        )
        add_images(images or {}, version_id=version.id)
    return ImportResult(PublishedVersion.of(version, content.id), created=True)


def _refused(slug: str, reason: str) -> QuestionSetError:
    """``reason`` is a whole translated message with the id in it."""
    return QuestionSetError([ValidationIssue(slug, reason)])


def _set_to_publish_under(slug: str, owner_id: int | None) -> QuestionSet:
    """The set a new version of ``slug`` belongs to (made when there is none), or refuse it.

    A teacher's ids are their own: only their sets and the shipped ones count, never another
    teacher's. Shipped sets (no owner) keep clear of every teacher's ids, as the command that
    imports them is run by whoever runs the server, who may be told whose an id is.
    """
    owned_here = (
        QuestionSet.owner_id.is_(None)
        if owner_id is None
        else sa.or_(QuestionSet.owner_id.is_(None), QuestionSet.owner_id == owner_id)
    )
    found = db.session.scalars(
        sa.select(QuestionSet)
        .where(QuestionSet.slug == slug, owned_here)
        .order_by(QuestionSet.owner_id.is_(None))  # the teacher's own first
    ).first()
    if found is not None and found.owner_id != owner_id:
        raise _refused(
            slug,
            gettext(
                "the id '%(id)s' belongs to a set shipped with the app; choose another id",
                id=slug,
            ),
        )
    if found is not None:
        return found
    if owner_id is None:
        if db.session.scalar(sa.select(QuestionSet.id).where(QuestionSet.slug == slug)):
            raise _refused(
                slug,
                gettext(
                    "the id '%(id)s' belongs to another set (a teacher's); choose another id",
                    id=slug,
                ),
            )
    elif is_reserved_set_id(slug):
        raise _refused(
            slug,
            gettext(
                "the id '%(id)s' begins with '%(prefix)s', kept for sets shipped with the app; "
                "choose another id",
                id=slug,
                prefix=SHIPPED_ID_PREFIX,
            ),
        )
    question_set = QuestionSet(slug=slug, owner_id=owner_id)
    db.session.add(question_set)
    db.session.flush()
    return question_set


def _latest_version(question_set_id: int) -> QuestionSetVersion | None:
    return db.session.scalar(
        sa.select(QuestionSetVersion)
        .where(QuestionSetVersion.question_set_id == question_set_id)
        .order_by(QuestionSetVersion.number.desc())
        .limit(1)
    )


def import_question_sets(
    contents: list[SetContent],
    owner_id: int | None = None,
    images: list[dict[str, ImageFile]] | None = None,
) -> list[ImportResult]:
    """Import several sets (each with its images, if any) in one transaction: all of them, or
    none if any is refused."""
    with write_transaction():
        return [
            import_question_set(content, owner_id, set_images)
            for content, set_images in zip(contents, images or [{}] * len(contents), strict=True)
        ]


def question_set_files(folder: Path) -> list[Path]:
    """The native question-set files directly inside ``folder``, in name order."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in NATIVE_SUFFIXES
    )


def import_shipped_sets(folder: Path) -> list[ImportResult]:
    """Import every set shipped in ``folder`` (evidence required); all or nothing."""
    # Here, not at the top: reading files needs PyYAML, which only init-db and imports use.
    from ..domain.loader import load_question_set_file

    contents = []
    issues: list[ValidationIssue] = []
    for path in question_set_files(folder):
        try:
            contents.append(load_question_set_file(path, require_evidence=True))
        except QuestionSetError as exc:
            issues.extend(exc.issues)
    if issues:
        raise QuestionSetError(issues)
    return import_question_sets(contents)


def latest_versions(
    *, shipped_only: bool = False, visible_to: sa.ColumnElement[bool] | None = None
) -> list[QuestionSetVersion]:
    """The newest version of every set (or of the shipped ones, or those matching a filter)."""
    newest = (
        sa.select(sa.func.max(QuestionSetVersion.id))
        .group_by(QuestionSetVersion.question_set_id)
        .scalar_subquery()
    )
    query = (
        sa.select(QuestionSetVersion)
        .join(QuestionSetVersion.question_set)
        .where(QuestionSetVersion.id.in_(newest))
        .options(sa.orm.contains_eager(QuestionSetVersion.question_set))
        .order_by(QuestionSetVersion.title)
    )
    if shipped_only:
        query = query.where(QuestionSet.owner_id.is_(None))
    if visible_to is not None:
        query = query.where(visible_to)
    return list(db.session.scalars(query))


def latest_version_of(slug: str, *, shipped_only: bool = False) -> QuestionSetVersion | None:
    """The newest version of the set with this slug."""
    query = (
        sa.select(QuestionSetVersion)
        .join(QuestionSet)
        .where(QuestionSet.slug == slug)
        .order_by(QuestionSetVersion.number.desc())
        .limit(1)
    )
    if shipped_only:
        query = query.where(QuestionSet.owner_id.is_(None))
    version: QuestionSetVersion | None = db.session.scalar(query)
    return version


#: Parsed questions by content hash: the same content parses the same, even across databases.
_questions: BoundedCache[str, dict[str, Question]] = BoundedCache()


def version_questions(version: QuestionSetVersion) -> dict[str, Question]:
    """The questions of a version by id, in file order."""
    found = _questions.get(version.content_hash)
    if found is None:
        document = version.document
        if any("source" in q or "cite" in q for q in document["questions"]):
            # Evidence questions offer the sentences of a source: read the texts (once).
            rows = db.session.execute(
                sa.select(SourceText.key, SourceText.title, SourceText.text).where(
                    SourceText.version_id == version.id
                )
            )
            sources = {key: {"title": title, "text": text} for key, title, text in rows}
            document = {**document, "sources": sources}
        parsed = {q.id: q for q in questions_from_document(document)}
        found = _questions.put(version.content_hash, parsed)
        _languages.put(version.content_hash, str(document.get("language") or "en"))
    return found


def questions_of_version(version_id: int, version_hash: str) -> dict[str, Question]:
    """``version_questions`` of a version known by its id and content hash; the version is read
    only when its questions are not cached yet."""
    found = _questions.get(version_hash)
    if found is None:
        found = version_questions(db.session.get_one(QuestionSetVersion, version_id))
    return found


#: The language of a version's content by content hash (filled with its questions).
_languages: BoundedCache[str, str] = BoundedCache()


def version_language(version: QuestionSetVersion) -> str:
    """The BCP 47 language of a version's questions (its file's ``language``), for ``lang``."""
    found = _languages.get(version.content_hash)
    if found is None:
        found = _languages.put(version.content_hash, str(version.document.get("language") or "en"))
    return found


def version_languages(versions: list[QuestionSetVersion]) -> list[str]:
    """``version_language`` of each version, in order: those not known yet read in one query
    of their files' ``language`` alone (a list of sets need not load every document)."""
    known = {v.content_hash: _languages.get(v.content_hash) for v in versions}
    unknown = [v.id for v in versions if known[v.content_hash] is None]
    if unknown:
        rows = db.session.execute(
            sa.select(
                QuestionSetVersion.content_hash,
                QuestionSetVersion.document["language"].as_string(),
            ).where(QuestionSetVersion.id.in_(unknown))
        )
        for digest, language in rows:
            known[digest] = _languages.put(digest, language or "en")
    return [known[v.content_hash] or "en" for v in versions]


def source_text(version_id: int, key: str) -> SourceText | None:
    """One source text of a version."""
    return db.session.scalar(
        sa.select(SourceText).where(SourceText.version_id == version_id, SourceText.key == key)
    )


_SOURCE_TITLES = (
    sa.select(SourceText.key, SourceText.title)
    .where(SourceText.version_id == sa.bindparam("version_id"))
    .order_by(SourceText.id)
)


def source_titles(version: QuestionSetVersion) -> tuple[tuple[str, str], ...]:
    """(key, title) of every source of a version, in the file's order, read once per app.

    Kept by version id in the app, not by content hash: the hash ignores the order of the
    sources, and two versions of the same content may list them in different orders. The hash
    is in the key too: SQLite may give a deleted set's id to a new version.
    """
    known = app_state().source_titles
    cache_key = (version.id, version.content_hash)
    found = known.get(cache_key)
    if found is None:
        rows = db.session.execute(_SOURCE_TITLES, {"version_id": version.id}).all()
        found = known.put(cache_key, tuple((key, title) for key, title in rows))
    return found


def set_versions(question_set_id: int) -> list[QuestionSetVersion]:
    """Every version of a set, oldest first."""
    return list(
        db.session.scalars(
            sa.select(QuestionSetVersion)
            .where(QuestionSetVersion.question_set_id == question_set_id)
            .order_by(QuestionSetVersion.number)
        )
    )


def version_number(question_set_id: int, number: int) -> QuestionSetVersion | None:
    """Version ``number`` of a set."""
    version: QuestionSetVersion | None = db.session.scalar(
        sa.select(QuestionSetVersion).where(
            QuestionSetVersion.question_set_id == question_set_id,
            QuestionSetVersion.number == number,
        )
    )
    return version


def find_version(slug: str, number: int | None = None) -> QuestionSetVersion | None:
    """Version ``number`` of the set with this slug, or its newest when no number is given.

    The shipped set of that id if there is one, otherwise the first teacher's set of that id
    (teachers' ids are their own, so several may share one).
    """
    question_set_id = db.session.scalar(
        sa.select(QuestionSet.id)
        .where(QuestionSet.slug == slug)
        .order_by(QuestionSet.owner_id.is_(None).desc(), QuestionSet.id)
        .limit(1)
    )
    if question_set_id is None:
        return None
    if number is None:
        return _latest_version(question_set_id)
    return version_number(question_set_id, number)
