"""The source texts a question page shows beside the question, so a student can read the
article without leaving the page: plain paragraphs with their citation, never marked."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.textmatch import paragraph_bounds
from ..extensions import db
from ..models import QuestionSetVersion, SourceText
from ..state import app_state


@dataclass(frozen=True)
class SourceArticle:
    """One source text as the question page shows it: its paragraphs and where it came from."""

    key: str
    title: str
    citation: str
    url: str
    attribution: str
    paragraphs: tuple[str, ...]


_SOURCE_ROWS = (
    sa.select(SourceText)
    .where(SourceText.version_id == sa.bindparam("version_id"))
    .order_by(SourceText.id)
)


def version_articles(version: QuestionSetVersion) -> tuple[SourceArticle, ...]:
    """Every source of a version, split into paragraphs once per app and version.

    Kept like the source titles, by version id and content hash: a version never changes, and
    the paragraphs are split once rather than on every page a student opens.
    """
    known = app_state().source_articles
    cache_key = (version.id, version.content_hash)
    found = known.get(cache_key)
    if found is None:
        rows = db.session.scalars(_SOURCE_ROWS, {"version_id": version.id})
        found = known.put(cache_key, tuple(_article(row) for row in rows))
    return found


def _article(row: SourceText) -> SourceArticle:
    text = row.text
    paragraphs = tuple(text[start:end].strip() for start, end in paragraph_bounds(text))
    return SourceArticle(row.key, row.title, row.citation, row.url, row.attribution, paragraphs)
