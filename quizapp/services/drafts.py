"""Article intake and drafting as use cases: a file or pasted text in, a checked draft set out.

Drafts are not stored yet: the browser editor (issue 13, section 3) keeps them on the server and
builds on these functions. The API:

- ``article_from_upload(filename, content) -> Article`` and ``article_from_paste(text, ...)``:
  the domain's intake (``quizapp.domain.articles``), raising ``ArticleError`` with a message for
  the teacher.
- ``draft_from_article(article, set_id=..., title=...) -> Draft``: the drafted set's data (the
  native format, source inline) and the ``QuestionSet`` the one validator made of it.
- ``quotations_of(article)``: the "Who is quoted" list (``quizapp.domain.quotations``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.articles import Article, ArticleError, article_from_text, read_article
from ..domain.drafting import NOTHING_TO_DRAFT, NothingToDraftError, draft_set_data, validate_draft
from ..domain.model import QuestionSet
from ..domain.quotations import Quotation, find_quotations

__all__ = [
    "ArticleError",
    "Draft",
    "NothingToDraftError",
    "article_from_paste",
    "article_from_upload",
    "draft_from_article",
    "quotations_of",
]


@dataclass(frozen=True)
class Draft:
    """A drafted set: its data as a file would hold it, and the validated set."""

    data: dict[str, Any]
    question_set: QuestionSet


def article_from_upload(filename: str, content: bytes) -> Article:
    """Read an uploaded article file (.txt, .md, .html, .docx or .pdf)."""
    return read_article(filename, content)


def article_from_paste(text: str, **citation: str) -> Article:
    """Read pasted article text, with any citation fields the teacher typed."""
    return article_from_text(text, **citation)


def draft_from_article(article: Article, *, set_id: str, title: str) -> Draft:
    """Draft questions from ``article``, checked by the validator every upload passes; raise
    NothingToDraftError when the article gives nothing to draft from."""
    data = draft_set_data(article, set_id=set_id, title=title)
    if not data["questions"]:
        raise NothingToDraftError(NOTHING_TO_DRAFT)
    return Draft(data, validate_draft(data))


def quotations_of(article: Article) -> tuple[Quotation, ...]:
    """Every quotation of the article with its speaker."""
    return find_quotations(article.text)
