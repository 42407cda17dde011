"""The one validator that every question-set format passes through.

Parsers (YAML, JSON, and later CSV, GIFT and Aiken) turn a file into a ``RawDocument`` shaped
like the native format; ``validate_document`` then checks every rule of the format at once and
returns a ``QuestionSet`` or raises ``QuestionSetError`` listing every problem.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from .checker import Checker, optional_text, required_text, whole_number
from .errors import QuestionSetError
from .i18n import gettext
from .limits import (
    MAX_CATEGORY_PATH_CHARS,
    MAX_EVIDENCE_PER_QUESTION,
    MAX_EVIDENCE_PER_SET,
    MAX_NORMALIZED_SOURCE_CHARS,
    MAX_QUESTIONS,
    MAX_SLUG_CHARS,
    MAX_SOURCE_CHARS,
    MAX_TITLE_CHARS,
)
from .model import FORMAT_V1, Evidence, Question, QuestionSet, Source
from .question_types import QUESTION_TYPES, TYPE_SPECIFIC_KEYS, FieldContext, question_type
from .raw_document import PathKey, RawDocument
from .rich_text import PLAIN, TEXT_FORMATS
from .textmatch import closest_passage, find_quote, normalized_length_exceeds

# The names earlier code and tests use for the shared field readers.
_Checker = Checker
_required_text = required_text
_optional_text = optional_text
_whole_number = whole_number

SET_ID = re.compile(r"[a-z0-9-]{3,64}")
#: Set ids that begin with this are kept for sets shipped with Civics Quiz, so that no teacher's
#: set can hold the id of a set a later release ships (the format's own name, as in quizapp/1).
SHIPPED_ID_PREFIX = "quizapp-"
SLUG = re.compile(r"[a-z0-9-]{1,64}")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")

TOP_KEYS = {"format", "id", "title", "description", "language", "grade_levels", "sources"}
TOP_KEYS |= {"questions"}
SOURCE_KEYS = {"title", "file", "text", "attribution", "url", "publisher", "author", "published"}
QUESTION_KEYS = {"id", "type", "category", "difficulty", "points", "prompt", "explanation"}
QUESTION_KEYS |= {"evidence", "part_of", "text_format", "instructions"} | TYPE_SPECIFIC_KEYS
PUBLISHED_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"]+")
EVIDENCE_KEYS = {"source", "quote"}

#: Reads a source file named by a set (``file:``); returns its text or raises SourceFileError.
SourceReader = Callable[[str], str]


class SourceFileError(Exception):
    """A source file that cannot be read; the message says why."""


def validate_document(
    doc: RawDocument,
    filename: str,
    read_source: SourceReader | None = None,
    *,
    require_evidence: bool = False,
    require_sources: bool = True,
    require_explanation: bool = True,
) -> QuestionSet:
    """Check ``doc`` against every rule of the format; return the set or raise with all issues.

    Uploads leave ``explanation`` optional (the preview warns); shipped sets must explain.
    """
    check = _Checker(doc, filename)
    data = doc.data
    if not isinstance(data, dict):
        check.error(
            (),
            gettext("the file must be a mapping of keys (format, id, title, sources, questions)"),
        )
        raise QuestionSetError(check.issues)

    extras = check.unknown_keys(data, TOP_KEYS, (), "top-level", None)
    if "format" not in data:
        check.error(
            (), gettext("add 'format: %(format)s' at the top of the file", format=FORMAT_V1)
        )
    elif data["format"] != FORMAT_V1:
        check.error(
            ("format",),
            gettext(
                "format must be exactly '%(format)s', not '%(value)s'",
                format=FORMAT_V1,
                value=data["format"],
            ),
        )
    set_id = _set_id(check, data)
    title = _required_text(check, data, "title", (), None, MAX_TITLE_CHARS)
    description = _optional_text(check, data, "description", ())
    grade_levels = _optional_text(check, data, "grade_levels", ())
    language = _optional_text(check, data, "language", ()) or "en"
    if not LANGUAGE_TAG.fullmatch(language):
        check.error(
            ("language",),
            gettext(
                "language '%(language)s' is not a language tag such as en or es-MX",
                language=language,
            ),
        )
    sources = _sources(check, data, read_source, require_sources)
    questions = _questions(check, data, sources, require_evidence, require_explanation)
    if check.issues:
        raise QuestionSetError(sorted(check.issues, key=lambda issue: issue.line or 0))
    return QuestionSet(
        id=set_id or "",
        title=title or "",
        questions=tuple(questions),
        sources=sources,
        description=description,
        language=language,
        grade_levels=grade_levels,
        extras=extras,
    )


def is_reserved_set_id(set_id: str) -> bool:
    """Whether ``set_id`` is kept for a set shipped with the app (see SHIPPED_ID_PREFIX)."""
    return set_id.startswith(SHIPPED_ID_PREFIX)


def _set_id(check: _Checker, data: dict[str, Any]) -> str | None:
    if "id" not in data:
        check.error((), gettext("add an 'id:' for the set, e.g. id: my-civics-set"))
        return None
    set_id = check.as_typed(data["id"], ("id",))
    if not isinstance(set_id, str) or not SET_ID.fullmatch(set_id):
        check.error(
            ("id",),
            gettext(
                "id '%(id)s' must be 3 to 64 characters of a-z, 0-9 and '-', "
                "e.g. bukele-prison-offer",
                id=set_id,
            ),
        )
        return None
    return set_id


def _sources(
    check: _Checker,
    data: dict[str, Any],
    read_source: SourceReader | None,
    required: bool,
) -> dict[str, Source]:
    raw = data.get("sources")
    if raw is None:
        if required:
            check.error(
                (), gettext("add 'sources:' with at least one source text that quotes come from")
            )
        return {}
    # An explicitly empty mapping says the set has no sources: that is how a set uploaded as
    # CSV, GIFT or Aiken without source texts is exported, and its export must upload again.
    if not isinstance(raw, dict):
        check.error(("sources",), gettext("sources must map a key (such as 'article') to a source"))
        return {}
    sources: dict[str, Source] = {}
    for key, entry in raw.items():
        path: PathKey = ("sources", key)
        if not SLUG.fullmatch(key):
            check.error(
                path, gettext("source key '%(key)s' must use only a-z, 0-9 and '-'", key=key)
            )
            continue
        if not isinstance(entry, dict):
            check.error(
                path, gettext("source '%(key)s' must have a title and a file or text", key=key)
            )
            continue
        check.unknown_keys(entry, SOURCE_KEYS, path, "source", None)
        title = _required_text(check, entry, "title", path, None, MAX_TITLE_CHARS)
        attribution = _optional_text(check, entry, "attribution", path)
        citation = _citation(check, entry, path)
        text = _source_text(check, entry, path, key, read_source)
        if title is not None and text is not None:
            sources[key] = Source(
                key=key, title=title, text=text, attribution=attribution, **citation
            )
    return sources


def _citation(check: _Checker, entry: dict[str, Any], path: PathKey) -> dict[str, str]:
    """A source's url, publisher, author and published date, each checked."""
    citation = {
        name: _optional_text(check, entry, name, path)
        for name in ("url", "publisher", "author", "published")
    }
    published = entry.get("published")
    if isinstance(published, datetime.date):  # YAML reads 2025-02-04 as a date
        citation["published"] = published.isoformat()
    elif citation["published"] and not PUBLISHED_DATE.fullmatch(citation["published"]):
        check.error((*path, "published"), gettext("published must be a date such as 2025-02-04"))
    if citation["url"] and not WEB_ADDRESS.fullmatch(citation["url"]):
        check.error(
            (*path, "url"), gettext("url must be a web address starting with https:// or http://")
        )
        citation["url"] = ""
    return citation


def _source_text(
    check: _Checker,
    entry: dict[str, Any],
    path: PathKey,
    key: str,
    read_source: SourceReader | None,
) -> str | None:
    has_file, has_text = "file" in entry, "text" in entry
    if has_file == has_text:
        check.error(
            path, gettext("source '%(key)s' needs exactly one of 'file:' or 'text:'", key=key)
        )
        return None
    if has_text:
        text = entry["text"]
        if not isinstance(text, str) or not text.strip():
            check.error(
                (*path, "text"), gettext("source '%(key)s' text must be non-empty text", key=key)
            )
            return None
    else:
        name = entry["file"]
        if not isinstance(name, str) or not name.strip():
            check.error(
                (*path, "file"), gettext("source '%(key)s' file must be a relative path", key=key)
            )
            return None
        if read_source is None:
            check.error(
                (*path, "file"),
                gettext(
                    "source file '%(name)s' was not uploaded; upload it with the set or use "
                    "'text:'",
                    name=name,
                ),
            )
            return None
        try:
            text = read_source(name)
        except SourceFileError as exc:
            check.error((*path, "file"), str(exc))
            return None
    if len(text) > MAX_SOURCE_CHARS:
        check.error(
            path,
            gettext(
                "source '%(key)s' is longer than %(max)s characters",
                key=key,
                max=format(MAX_SOURCE_CHARS, ","),
            ),
        )
        return None
    if normalized_length_exceeds(text, MAX_NORMALIZED_SOURCE_CHARS):
        check.error(
            path,
            gettext(
                "source '%(key)s' grows to more than %(max)s characters when normalised for "
                "quote matching (Unicode NFKC): it holds many characters that stand for several "
                "letters, such as ﷺ or ㍿; write them out as letters or shorten the source",
                key=key,
                max=format(MAX_NORMALIZED_SOURCE_CHARS, ","),
            ),
        )
        return None
    return text


def _questions(
    check: _Checker,
    data: dict[str, Any],
    sources: dict[str, Source],
    require_evidence: bool,
    require_explanation: bool = True,
) -> list[Question]:
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        check.error(
            ("questions",) if "questions" in data else (),
            gettext("add 'questions:' with at least one question"),
        )
        return []
    if len(raw) > MAX_QUESTIONS:
        check.error(
            ("questions",),
            gettext(
                "a set holds at most %(max)s questions, not %(count)s",
                max=format(MAX_QUESTIONS, ","),
                count=format(len(raw), ","),
            ),
        )
        return []
    questions: list[Question] = []
    seen: dict[str, int] = {}
    parts: dict[str, str] = {}  # Part A id -> its Part B id
    for index, entry in enumerate(raw):
        path: PathKey = ("questions", index)
        if not isinstance(entry, dict):
            check.error(
                path,
                gettext(
                    "question %(number)s must be a mapping of keys (id, type, prompt, ...)",
                    number=index + 1,
                ),
            )
            continue
        raw_id = check.as_typed(entry.get("id"), (*path, "id"))
        if isinstance(raw_id, str) and raw_id in seen:
            check.error(
                (*path, "id"),
                gettext(
                    "question id is already used by question %(number)s; ids must be unique",
                    number=seen[raw_id],
                ),
                raw_id,
            )
        elif isinstance(raw_id, str):
            seen[raw_id] = index + 1
        question = _question(
            check, entry, path, index, sources, require_evidence, require_explanation
        )
        if question is not None and question.part_of:
            _check_part_of(check, question, (*path, "part_of"), questions, parts, seen)
        if question is not None:
            questions.append(question)
    return questions


def _check_part_of(
    check: _Checker,
    question: Question,
    path: PathKey,
    earlier: list[Question],
    parts: dict[str, str],
    seen: dict[str, int],
) -> None:
    """Part B names an earlier question that is not itself a Part B, nor another's Part A."""
    part_a = next((q for q in earlier if q.id == question.part_of), None)
    earlier_entry = seen.get(question.part_of, 0) < seen.get(question.id, 0)
    if part_a is None and question.part_of in seen and earlier_entry:
        return  # the Part A is there but has errors of its own, already reported
    if part_a is None:
        check.error(
            path,
            gettext(
                "part_of '%(part_of)s' must name a question earlier in the set (its Part A)",
                part_of=question.part_of,
            ),
            question.id,
        )
    elif part_a.part_of:
        check.error(
            path,
            gettext(
                "'%(id)s' is itself Part B of '%(part_of)s'; a Part B cannot have a Part B "
                "(name the Part A instead)",
                id=part_a.id,
                part_of=part_a.part_of,
            ),
            question.id,
        )
    elif part_a.id in parts:
        check.error(
            path,
            gettext(
                "'%(id)s' already has a Part B ('%(part_b)s'); a Part A has only one",
                id=part_a.id,
                part_b=parts[part_a.id],
            ),
            question.id,
        )
    else:
        parts[part_a.id] = question.id


def _question(
    check: _Checker,
    entry: dict[str, Any],
    path: PathKey,
    index: int,
    sources: dict[str, Source],
    require_evidence: bool,
    require_explanation: bool = True,
) -> Question | None:
    issues_before = len(check.issues)
    raw_id = check.as_typed(entry.get("id"), (*path, "id"))
    qid = raw_id if isinstance(raw_id, str) and raw_id else f"#{index + 1}"
    if raw_id is None:
        check.error(path, gettext("add an 'id:' (a slug such as who-said-heartbeat)"), qid)
    elif not isinstance(raw_id, str) or not SLUG.fullmatch(raw_id):
        check.error(
            (*path, "id"),
            gettext("id '%(id)s' must use only a-z, 0-9 and '-' (at most 64)", id=raw_id),
            qid,
        )
    extras = check.unknown_keys(entry, QUESTION_KEYS, path, "question", qid)

    qtype = entry.get("type")
    if qtype not in QUESTION_TYPES:
        where = (*path, "type") if "type" in entry else path
        types = ", ".join(QUESTION_TYPES)
        if qtype is not None:
            message = gettext("type '%(type)s' is not one of: %(types)s", type=qtype, types=types)
        else:
            message = gettext("the question has no type; use one of: %(types)s", types=types)
        check.error(where, message, qid)
        qtype = None
    prompt = _required_text(check, entry, "prompt", path, qid)
    if require_explanation or entry.get("explanation") not in (None, ""):
        explanation = _required_text(check, entry, "explanation", path, qid)
    else:
        explanation = ""
    text_format = entry.get("text_format", PLAIN)
    if text_format not in TEXT_FORMATS:
        check.error(
            (*path, "text_format"),
            gettext(
                "text_format must be one of %(formats)s, not '%(value)s'",
                formats=", ".join(TEXT_FORMATS),
                value=text_format,
            ),
            qid,
        )
    instructions = _optional_text(check, entry, "instructions", path)
    category = check.as_typed(entry.get("category", "general"), (*path, "category"))
    if not isinstance(category, str) or not _is_category(category):
        check.error(
            (*path, "category"),
            gettext(
                "category must be a slug of lower-case letters, digits and '-' (at most 64), or "
                "a path of such slugs such as unit-1/reading"
            ),
            qid,
        )
    difficulty = _whole_number(check, entry, "difficulty", path, qid, 2, allowed=(1, 2, 3))
    points = _whole_number(check, entry, "points", path, qid, 1)
    shuffle = entry.get("shuffle", True)
    if not isinstance(shuffle, bool):
        check.error((*path, "shuffle"), gettext("shuffle must be true or false"), qid)
    kind = question_type(qtype) if qtype is not None else None
    answer_is_evidence = kind is not None and kind.answer_is_evidence
    evidence = _evidence(
        check, entry, path, qid, sources, require_evidence and not answer_is_evidence
    )
    part_of = check.as_typed(entry.get("part_of"), (*path, "part_of"))
    if part_of is not None and (not isinstance(part_of, str) or not SLUG.fullmatch(part_of)):
        check.error(
            (*path, "part_of"), gettext("part_of must be the id of the Part A question"), qid
        )
        part_of = None
    elif part_of == qid:
        check.error(
            (*path, "part_of"), gettext("part_of names the question itself; name its Part A"), qid
        )
        part_of = None

    fields: dict[str, Any] = {}
    if kind is not None:
        for key in sorted(TYPE_SPECIFIC_KEYS - kind.keys):
            if key in entry:
                check.error(
                    (*path, key),
                    gettext(
                        "'%(key)s' is not used by %(type)s questions; remove it",
                        key=key,
                        type=qtype,
                    ),
                    qid,
                )
        fields = kind.read_fields(FieldContext(check, entry, path, qid, sources))

    if len(check.issues) > issues_before:
        return None
    return Question(
        id=qid,
        type=qtype or "",
        prompt=prompt or "",
        explanation=explanation or "",
        category=category,
        difficulty=difficulty,
        points=fields.pop("points", points),
        shuffle=shuffle,
        evidence=evidence,
        part_of=part_of or "",
        text_format=text_format,
        instructions=instructions,
        extras=extras,
        **fields,
    )


def is_category_char(char: str) -> bool:
    """A letter or digit of any script, or a mark or joiner that belongs to a letter (the
    vowel signs of Hindi or Thai): what a category slug is made of, with '-'."""
    return (
        char.isalnum() or unicodedata.category(char) in ("Mn", "Mc", "Me") or char in "\u200c\u200d"
    )


def _is_category(text: str) -> bool:
    """Categories are slugs in any script (``кто-сказал``): what CSV and GIFT names become;
    a path of them (``unit-1/reading``) keeps a bank's folders apart."""
    return (
        0 < len(text) <= MAX_CATEGORY_PATH_CHARS
        and all(0 < len(part) <= MAX_SLUG_CHARS for part in text.split("/"))
        and all(char in "-/" or is_category_char(char) for char in text)
        and text == text.lower()
    )


def _evidence(
    check: _Checker,
    entry: dict[str, Any],
    path: PathKey,
    qid: str,
    sources: dict[str, Source],
    required: bool,
) -> tuple[Evidence, ...]:
    raw = entry.get("evidence")
    ev_path = (*path, "evidence")
    if raw is None or raw == []:
        if required:
            check.error(path, gettext("add 'evidence:' with at least one quote from a source"), qid)
        return ()
    if not isinstance(raw, list):
        check.error(
            ev_path, gettext("evidence must be a list of entries with 'source' and 'quote'"), qid
        )
        return ()
    if len(raw) > MAX_EVIDENCE_PER_QUESTION:
        check.error(
            ev_path,
            gettext(
                "a question has at most %(max)s evidence quotes, not %(count)s",
                max=MAX_EVIDENCE_PER_QUESTION,
                count=len(raw),
            ),
            qid,
        )
        return ()
    check.evidence_count += len(raw)
    if check.evidence_count > MAX_EVIDENCE_PER_SET:
        if check.evidence_count - len(raw) <= MAX_EVIDENCE_PER_SET:  # say it once, where it starts
            check.error(
                ev_path,
                gettext(
                    "a set has at most %(max)s evidence quotes in all; this question goes past "
                    "that: keep the quotes that best support each answer",
                    max=format(MAX_EVIDENCE_PER_SET, ","),
                ),
                qid,
            )
        return ()
    found: list[Evidence] = []
    declared = check.doc.data.get("sources")
    declared = declared if isinstance(declared, dict) else {}
    for i, item in enumerate(raw):
        item_path = (*ev_path, i)
        if not isinstance(item, dict):
            check.error(item_path, gettext("each evidence entry needs 'source:' and 'quote:'"), qid)
            continue
        check.unknown_keys(item, EVIDENCE_KEYS, item_path, "evidence", qid)
        key = check.as_typed(item.get("source"), (*item_path, "source"))
        quote = _required_text(check, item, "quote", item_path, qid)
        if isinstance(key, str) and key not in sources and key in declared:
            continue  # the source itself failed (e.g. its file is missing): already reported
        # An unhashable key (a list or mapping typed by mistake) must be reported, not crash.
        if not isinstance(key, str) or key not in sources:
            known = ", ".join(sorted(sources)) or gettext("none")
            if key:
                message = gettext(
                    "evidence source '%(key)s' is not one of the set's sources (%(known)s)",
                    key=key,
                    known=known,
                )
            else:
                message = gettext(
                    "the evidence names no source; name one of the set's sources (%(known)s)",
                    known=known,
                )
            check.error(item_path, message, qid)
            continue
        if quote is None:
            continue
        if find_quote(sources[key].text, quote) is None:
            message = gettext(
                "the quote was not found in source '%(key)s'; copy it exactly from the source",
                key=key,
            )
            if check.hints_left > 0:
                check.hints_left -= 1
                message += gettext(
                    '. Closest passage: "%(passage)s"',
                    passage=closest_passage(sources[key].text, quote),
                )
            check.error((*item_path, "quote"), message, qid)
            continue
        found.append(Evidence(source=key, quote=quote))
    return tuple(found)
