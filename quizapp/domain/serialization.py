"""Turn a validated question set into the native format's plain data, and back.

The same shape is stored in the database and written when a teacher downloads a set, so what
is exported can be imported again unchanged.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .model import (
    ALL_OR_NOTHING,
    FORMAT_V1,
    MATCHING,
    MULTIPLE_CHOICE,
    ORDERING,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Evidence,
    Question,
    QuestionSet,
    Source,
)


def question_to_dict(question: Question) -> dict[str, Any]:
    """The question as native-format data, with only the keys its type uses."""
    data: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "category": question.category,
        "difficulty": question.difficulty,
        "points": question.points,
        "prompt": question.prompt,
    }
    if question.type in (SINGLE_CHOICE, MULTIPLE_CHOICE):
        data["choices"] = list(question.choices)
    if question.type == MULTIPLE_CHOICE or question.type == SHORT_ANSWER:
        data["answer"] = list(question.answer)
    elif question.type in (SINGLE_CHOICE, TRUE_FALSE):
        data["answer"] = question.answer
    if question.type == MULTIPLE_CHOICE and question.scoring != ALL_OR_NOTHING:
        data["scoring"] = question.scoring
    if question.type == MATCHING:
        data["pairs"] = dict(question.pairs)
    if question.type == ORDERING:
        data["items"] = list(question.items)
    if not question.shuffle:
        data["shuffle"] = False
    data["explanation"] = question.explanation
    if question.evidence:
        data["evidence"] = [{"source": e.source, "quote": e.quote} for e in question.evidence]
    data.update(question.extras)
    return data


def question_from_dict(data: dict[str, Any]) -> Question:
    """Rebuild a question from data written by ``question_to_dict`` (already validated)."""
    qtype = data["type"]
    answer = data.get("answer")
    if qtype in (MULTIPLE_CHOICE, SHORT_ANSWER):
        answer = tuple(answer or ())
    return Question(
        id=data["id"],
        type=qtype,
        prompt=data["prompt"],
        explanation=data["explanation"],
        category=data.get("category", "general"),
        difficulty=data.get("difficulty", 2),
        points=data.get("points", 1),
        choices=tuple(data.get("choices", ())),
        answer=answer,
        pairs=tuple((left, right) for left, right in data.get("pairs", {}).items()),
        items=tuple(data.get("items", ())),
        shuffle=data.get("shuffle", True),
        scoring=data.get("scoring", ALL_OR_NOTHING),
        evidence=tuple(Evidence(e["source"], e["quote"]) for e in data.get("evidence", ())),
        extras={k: v for k, v in data.items() if k.startswith("x-")},
    )


def set_to_document(question_set: QuestionSet, *, with_sources: bool = True) -> dict[str, Any]:
    """The whole set as native-format data; sources inline as ``text:`` when asked for."""
    document: dict[str, Any] = {
        "format": FORMAT_V1,
        "id": question_set.id,
        "title": question_set.title,
    }
    if question_set.description:
        document["description"] = question_set.description
    document["language"] = question_set.language
    if question_set.grade_levels:
        document["grade_levels"] = question_set.grade_levels
    if with_sources:
        document["sources"] = {
            key: _source_to_dict(source) for key, source in question_set.sources.items()
        }
    document["questions"] = [question_to_dict(q) for q in question_set.questions]
    document.update(question_set.extras)
    return document


def _source_to_dict(source: Source) -> dict[str, str]:
    data = {"title": source.title}
    if source.attribution:
        data["attribution"] = source.attribution
    data["text"] = source.text
    return data


def questions_from_document(document: dict[str, Any]) -> tuple[Question, ...]:
    """The questions of a stored document."""
    return tuple(question_from_dict(q) for q in document["questions"])


def content_hash(question_set: QuestionSet) -> str:
    """A fingerprint of everything a student or teacher would see, sources included."""
    canonical = json.dumps(set_to_document(question_set), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def set_from_document(document: dict[str, Any]) -> QuestionSet:
    """Rebuild a whole set (sources inline as ``text:``) from ``set_to_document`` data."""
    sources = {
        key: Source(
            key=key,
            title=data["title"],
            text=data["text"],
            attribution=data.get("attribution", ""),
        )
        for key, data in document.get("sources", {}).items()
    }
    return QuestionSet(
        id=document["id"],
        title=document["title"],
        questions=questions_from_document(document),
        sources=sources,
        description=document.get("description", ""),
        language=document.get("language", "en"),
        grade_levels=document.get("grade_levels", ""),
        extras={k: v for k, v in document.items() if k.startswith("x-")},
    )
