"""Turn a validated question set into the native format's plain data, and back.

The same shape is stored in the database and written when a teacher downloads a set, so what
is exported can be imported again unchanged.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .model import FORMAT_V1, Evidence, Question, QuestionSet, Source
from .question_types import question_type, type_of


def question_to_dict(question: Question) -> dict[str, Any]:
    """The question as native-format data, with only the keys its type uses."""
    data: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "category": question.category,
        "difficulty": question.difficulty,
        "points": question.points,
    }
    if question.part_of:
        data["part_of"] = question.part_of
    if question.text_format != "plain":
        data["text_format"] = question.text_format
    if question.instructions:
        data["instructions"] = question.instructions
    data["prompt"] = question.prompt
    data.update(type_of(question).to_data(question))
    if not question.shuffle:
        data["shuffle"] = False
    data["explanation"] = question.explanation
    if question.evidence:
        data["evidence"] = [{"source": e.source, "quote": e.quote} for e in question.evidence]
    data.update(question.extras)
    return data


def question_from_dict(data: dict[str, Any], sources: dict[str, Source] | None = None) -> Question:
    """Rebuild a question from data written by ``question_to_dict`` (already validated);
    ``sources`` give the texts that evidence questions offer sentences of."""
    return Question(
        id=data["id"],
        type=data["type"],
        prompt=data["prompt"],
        explanation=data["explanation"],
        category=data.get("category", "general"),
        difficulty=data.get("difficulty", 2),
        points=data.get("points", 1),
        shuffle=data.get("shuffle", True),
        evidence=tuple(Evidence(e["source"], e["quote"]) for e in data.get("evidence", ())),
        part_of=data.get("part_of", ""),
        text_format=data.get("text_format", "plain"),
        instructions=data.get("instructions", ""),
        extras={k: v for k, v in data.items() if k.startswith("x-")},
        **question_type(data["type"]).from_data(data, sources or {}),
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


#: A source's optional fields, in the order a file writes them.
_SOURCE_CITATION = ("attribution", "url", "publisher", "author", "published")


def _source_to_dict(source: Source) -> dict[str, str]:
    data = {"title": source.title}
    for name in _SOURCE_CITATION:
        if getattr(source, name):
            data[name] = getattr(source, name)
    data["text"] = source.text
    return data


def questions_from_document(document: dict[str, Any]) -> tuple[Question, ...]:
    """The questions of a stored document."""
    sources = _sources_from_document(document)
    return tuple(question_from_dict(q, sources) for q in document["questions"])


def content_hash(question_set: QuestionSet) -> str:
    """A fingerprint of everything a student or teacher would see, sources included."""
    canonical = json.dumps(set_to_document(question_set), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def set_from_document(document: dict[str, Any]) -> QuestionSet:
    """Rebuild a whole set (sources inline as ``text:``) from ``set_to_document`` data."""
    sources = _sources_from_document(document)
    return QuestionSet(
        id=document["id"],
        title=document["title"],
        questions=tuple(question_from_dict(q, sources) for q in document["questions"]),
        sources=sources,
        description=document.get("description", ""),
        language=document.get("language", "en"),
        grade_levels=document.get("grade_levels", ""),
        extras={k: v for k, v in document.items() if k.startswith("x-")},
    )


def _sources_from_document(document: dict[str, Any]) -> dict[str, Source]:
    return {
        key: Source(
            key=key,
            title=data["title"],
            text=data["text"],
            **{name: data.get(name, "") for name in _SOURCE_CITATION},
        )
        for key, data in document.get("sources", {}).items()
    }
