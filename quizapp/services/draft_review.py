"""From a news story to a draft set: the article becomes a draft set's source, the questions
drafted from it wait as proposals, and the teacher accepts, edits or discards each one.

The API, for the article pages:

- ``start_from_article(teacher, article) -> int``: a new draft set (``editing.start_draft``)
  holding the article, with the drafted questions kept as pending proposals; an article with
  nothing to draft from still gets its draft set, for the teacher to write in.
- ``review_of(teacher, draft_id) -> Review | None``: the proposals with their previews (the
  evidence marked in the article), the "Who is quoted" list, and the counts; None when the
  draft is not the teacher's.
- ``accept(teacher, draft_id, proposal_id) -> int``: the proposal's questions join the draft
  set (``editing.add_questions``); returns the index of the first, for its editor page.
  ``discard`` and ``restore`` change only the proposal.
- ``waiting_count(draft_id)``: how many wait, for the editor's page of the draft set.
- ``correct_speakers(teacher, draft_id, speakers) -> int``: keep the teacher's speakers (by
  ``Quotation.start``; "" for "no one, not speech") and draft the who-said-what proposals
  that are still pending again from them; returns how many are pending after it.

Drafts stay drafts until accepted: a pending proposal is not part of the draft set, so nothing
publishes it. Changes to another teacher's draft raise ``editing.DraftNotFound``.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..database import write_transaction
from ..domain.articles import Article
from ..domain.drafting import (
    SOURCE_KEY,
    NothingToDraftError,
    corrected_quotations,
    draft_set_data,
    validate_draft,
)
from ..domain.errors import QuestionSetError
from ..domain.limits import MAX_SLUG_CHARS
from ..domain.model import FORMAT_V1
from ..domain.quotations import Quotation, find_quotations
from ..domain.validation import SHIPPED_ID_PREFIX
from ..extensions import db
from ..models import DraftSet, QuestionSet, User
from ..models.draft_review import ACCEPTED, DISCARDED, PENDING, DraftProposal, SpeakerCorrection
from . import drafts, editing
from .editing import DraftNotFound, DraftTooLarge, EditorDraft
from .exports import QuestionPreview, preview

__all__ = [
    "ACCEPTED",
    "DISCARDED",
    "PENDING",
    "DraftNotFound",
    "DraftTooLarge",
    "ProposalView",
    "Review",
    "accept",
    "correct_speakers",
    "discard",
    "restore",
    "review_of",
    "start_from_article",
    "waiting_count",
]

WHO_SAID_WHAT = "who-said-what"
#: The id drafts are checked under before the teacher names the set.
_CHECK_ID = "article-draft"


@dataclass(frozen=True)
class ProposalView:
    """A proposal as the review page shows it: its questions previewed, or why it cannot be."""

    id: int
    status: str
    questions: list[dict[str, Any]]
    previews: list[QuestionPreview]
    #: The validator's words when the proposal no longer fits the article (edited meanwhile).
    problems: list[str]


@dataclass(frozen=True)
class Review:
    """Everything the review page shows of one draft set."""

    draft: EditorDraft
    proposals: list[ProposalView]
    quotations: tuple[Quotation, ...]
    #: The speaker the app found for each quotation start, for the panel's "found" column.
    found_speakers: dict[int, str | None]

    @property
    def pending(self) -> int:
        """How many proposals wait for a decision."""
        return sum(1 for p in self.proposals if p.status == PENDING)

    @property
    def accepted(self) -> int:
        """How many proposals are in the draft set."""
        return sum(1 for p in self.proposals if p.status == ACCEPTED)


def _source_of(document: dict[str, Any]) -> dict[str, Any] | None:
    sources = document.get("sources")
    source = sources.get(SOURCE_KEY) if isinstance(sources, dict) else None
    return source if isinstance(source, dict) and isinstance(source.get("text"), str) else None


def _article_of(document: dict[str, Any]) -> Article | None:
    """The draft set's article as drafting reads it, or None when it has none."""
    source = _source_of(document)
    if source is None:
        return None
    fields = {k: str(source.get(k) or "") for k in ("title", "publisher", "author", "url")}
    return Article(
        tuple(source["text"].split("\n")), published=str(source.get("published") or ""), **fields
    )


def _groups(questions: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The drafted questions as proposals: each question with the Part B that goes with it."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for question in questions:
        part_of = question.get("part_of")
        if part_of in groups:
            groups[part_of].append(question)
        else:
            groups[question["id"]] = [question]
    return list(groups.values())


def start_from_article(teacher: User, article: Article) -> int:
    """Start a draft set holding ``article`` and its drafted questions as pending proposals."""
    title = article.title or (article.paragraphs[0][:80] if article.paragraphs else "Article")
    try:
        drafted = drafts.draft_from_article(article, set_id=_CHECK_ID, title=title).data
        questions = drafted["questions"]
    except NothingToDraftError:
        questions = []
    with write_transaction():
        set_id = _free_set_id(teacher, title)
        draft_id = editing.start_draft(teacher, title=title, source=article, set_id=set_id)
        for position, group in enumerate(_groups(questions)):
            db.session.add(DraftProposal(draft_set_id=draft_id, position=position, questions=group))
    return draft_id


def _free_set_id(teacher: User, title: str) -> str:
    """An id made from the title that none of the teacher's sets or drafts, nor a shipped set,
    has: publishing then makes a new set, which the teacher may rename before."""
    words = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    whole = re.sub(r"[^a-z0-9]+", "-", words).strip("-")
    base = whole[: MAX_SLUG_CHARS - 4].strip("-")
    if len(whole) > len(base) and whole[len(base)] != "-" and "-" in base:
        base = base.rsplit("-", 1)[0]  # a headline cut short ends at a whole word
    if len(base) < 3 or base.startswith(SHIPPED_ID_PREFIX):
        base = f"story-{base}".strip("-")
    pattern = base + "%"
    taken = set(
        db.session.scalars(
            sa.select(QuestionSet.slug).where(
                QuestionSet.slug.like(pattern),
                sa.or_(QuestionSet.owner_id.is_(None), QuestionSet.owner_id == teacher.id),
            )
        )
    )
    taken |= set(
        db.session.scalars(
            sa.select(DraftSet.set_id).where(
                DraftSet.owner_id == teacher.id, DraftSet.set_id.like(pattern)
            )
        )
    )
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _proposals(draft_id: int) -> list[DraftProposal]:
    return list(
        db.session.scalars(
            sa.select(DraftProposal)
            .where(DraftProposal.draft_set_id == draft_id)
            .order_by(DraftProposal.position)
        )
    )


def _corrections(draft_id: int, quotations: Iterable[Quotation]) -> dict[int, str | None]:
    """The teacher's speakers that still apply: where the same words still start."""
    at = {q.start: q.quote for q in quotations}
    rows = db.session.scalars(
        sa.select(SpeakerCorrection).where(SpeakerCorrection.draft_set_id == draft_id)
    )
    return {row.start: row.speaker or None for row in rows if at.get(row.start) == row.quote}


def _check_document(source: dict[str, Any], questions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT_V1,
        "id": _CHECK_ID,
        "title": "Drafts",
        "sources": {SOURCE_KEY: source},
        "questions": questions,
    }


def _previews(
    source: dict[str, Any] | None, proposals: list[DraftProposal]
) -> dict[int, tuple[list[QuestionPreview], list[str]]]:
    """Each pending proposal previewed against the article (one validation when all fit)."""
    pending = [p for p in proposals if p.status == PENDING]
    if not pending:
        return {}
    if source is None:
        return {p.id: ([], ["the draft set no longer holds the article"]) for p in pending}
    try:
        checked = validate_draft(_check_document(source, [q for p in pending for q in p.questions]))
    except QuestionSetError:
        return {p.id: _preview_one(source, p) for p in pending}
    by_id = {item.question.id: item for item in preview(checked)}
    return {p.id: ([by_id[q["id"]] for q in p.questions], []) for p in pending}


def _preview_one(
    source: dict[str, Any], proposal: DraftProposal
) -> tuple[list[QuestionPreview], list[str]]:
    try:
        return preview(validate_draft(_check_document(source, proposal.questions))), []
    except QuestionSetError as error:
        return [], [str(issue) for issue in error.issues]


def review_of(teacher: User, draft_id: int) -> Review | None:
    """The review page's values for the teacher's draft set, or None."""
    draft = editing.draft_for(teacher, draft_id)
    if draft is None:
        return None
    article = _article_of(draft.document)
    found = find_quotations(article.text) if article else ()
    corrections = _corrections(draft_id, found)
    quotations = corrected_quotations(article.text, corrections, found) if article else ()
    proposals = _proposals(draft_id)
    shown = _previews(_source_of(draft.document), proposals)
    views = [
        ProposalView(p.id, p.status, p.questions, *shown.get(p.id, ([], []))) for p in proposals
    ]
    return Review(draft, views, quotations, {q.start: q.speaker for q in found})


def waiting_count(draft_id: int) -> int:
    """How many proposals of the draft set wait for review (0 for a set not made from a story)."""
    count = db.session.scalar(
        sa.select(sa.func.count(DraftProposal.id)).where(
            DraftProposal.draft_set_id == draft_id, DraftProposal.status == PENDING
        )
    )
    return count or 0


def _own_proposal(teacher: User, draft_id: int, proposal_id: int) -> DraftProposal:
    """The proposal, locked for this transaction; DraftNotFound unless the teacher's draft's."""
    proposal: DraftProposal | None = db.session.scalar(
        sa.select(DraftProposal)
        .join(DraftSet, DraftSet.id == DraftProposal.draft_set_id)
        .where(
            DraftProposal.id == proposal_id,
            DraftProposal.draft_set_id == draft_id,
            DraftSet.owner_id == teacher.id,
            DraftSet.published_at.is_(None),
        )
        .with_for_update()
    )
    if proposal is None:
        raise DraftNotFound(proposal_id)
    return proposal


def _with_free_ids(group: list[dict[str, Any]], taken: set[str]) -> list[dict[str, Any]]:
    """The group's questions under ids no question in ``taken`` has; a Part B follows its
    Part A's new id."""
    renamed: dict[str, str] = {}
    result = []
    for question in copy.deepcopy(group):
        old = str(question.get("id") or "question")
        new, number = old, 2
        while new in taken:
            new, number = f"{old}-{number}", number + 1
        taken.add(new)
        renamed[old] = new
        question["id"] = new
        if question.get("part_of") in renamed:
            question["part_of"] = renamed[question["part_of"]]
        result.append(question)
    return result


def accept(teacher: User, draft_id: int, proposal_id: int) -> int:
    """Put the proposal's questions into the draft set; return the first one's index there."""
    with write_transaction():
        proposal = _own_proposal(teacher, draft_id, proposal_id)
        draft = editing.draft_for(teacher, draft_id)
        if draft is None:
            raise DraftNotFound(draft_id)
        questions = draft.questions
        ids = [str(q.get("id")) for q in questions]
        if proposal.status == ACCEPTED:  # pressed twice: it is in the set already
            first = str(proposal.questions[0].get("id"))
            return ids.index(first) if first in ids else 0
        group = _with_free_ids(proposal.questions, set(ids))
        editing.add_questions(teacher, draft_id, group)
        proposal.questions = group
        proposal.status = ACCEPTED
    return len(questions)


def _decide(teacher: User, draft_id: int, proposal_id: int, status: str) -> None:
    with write_transaction():
        proposal = _own_proposal(teacher, draft_id, proposal_id)
        if proposal.status != ACCEPTED:  # an accepted one is edited or deleted in the editor
            proposal.status = status


def discard(teacher: User, draft_id: int, proposal_id: int) -> None:
    """Leave the proposal out of the set."""
    _decide(teacher, draft_id, proposal_id, DISCARDED)


def restore(teacher: User, draft_id: int, proposal_id: int) -> None:
    """Bring a discarded proposal back for review."""
    _decide(teacher, draft_id, proposal_id, PENDING)


def _without_ids(group: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in q.items() if k not in ("id", "part_of")} for q in group]


def correct_speakers(teacher: User, draft_id: int, speakers: Mapping[int, str]) -> int:
    """Keep the teacher's speakers and re-draft the pending who-said-what proposals."""
    with write_transaction():
        draft = editing.draft_for(teacher, draft_id)
        article = _article_of(draft.document) if draft else None
        if draft is None or article is None:
            raise DraftNotFound(draft_id)
        found = {q.start: q for q in find_quotations(article.text)}
        rows = {
            row.start: row
            for row in db.session.scalars(
                sa.select(SpeakerCorrection).where(SpeakerCorrection.draft_set_id == draft_id)
            )
        }
        for start, speaker in speakers.items():
            quotation = found.get(start)
            if quotation is None:
                continue
            row = rows.get(start)
            if speaker == (quotation.speaker or ""):
                if row is not None:  # back to what the app found
                    db.session.delete(row)
            elif row is None:
                db.session.add(
                    SpeakerCorrection(
                        draft_set_id=draft_id, start=start, quote=quotation.quote, speaker=speaker
                    )
                )
            else:
                row.quote, row.speaker = quotation.quote, speaker
        db.session.flush()
        _redraft_who_said_what(draft, article, _corrections(draft_id, found.values()))
        return sum(1 for p in _proposals(draft_id) if p.status == PENDING)


def _redraft_who_said_what(
    draft: EditorDraft, article: Article, corrections: Mapping[int, str | None]
) -> None:
    """Replace the pending who-said-what proposals with drafts made with the corrections.

    A new draft the teacher already accepted or discarded is not proposed again.
    """
    proposals = _proposals(draft.id)
    for proposal in proposals:
        if proposal.status == PENDING and proposal.questions[0].get("category") == WHO_SAID_WHAT:
            db.session.delete(proposal)
    decided = [_without_ids(p.questions) for p in proposals if p.status != PENDING]
    taken = {str(q.get("id")) for p in proposals for q in p.questions}
    taken |= {str(q.get("id")) for q in draft.questions}
    data = draft_set_data(article, set_id=_CHECK_ID, title=draft.title, speakers=corrections)
    source = data["sources"][SOURCE_KEY]
    position = max((p.position for p in proposals), default=-1) + 1
    for group in _groups(data["questions"]):
        if group[0].get("category") != WHO_SAID_WHAT or _without_ids(group) in decided:
            continue
        try:
            validate_draft(_check_document(source, group))
        except QuestionSetError:
            continue  # a speaker the teacher typed that makes no fair question (a duplicate)
        db.session.add(
            DraftProposal(
                draft_set_id=draft.id, position=position, questions=_with_free_ids(group, taken)
            )
        )
        position += 1
