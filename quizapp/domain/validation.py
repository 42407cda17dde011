"""The one validator that every question-set format passes through.

Parsers (YAML, JSON, and later CSV, GIFT and Aiken) turn a file into a ``RawDocument`` shaped
like the native format; ``validate_document`` then checks every rule of the format at once and
returns a ``QuestionSet`` or raises ``QuestionSetError`` listing every problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from .errors import QuestionSetError, ValidationIssue
from .limits import (
    MAX_EVIDENCE_PER_QUESTION,
    MAX_EVIDENCE_PER_SET,
    MAX_NORMALIZED_SOURCE_CHARS,
    MAX_QUESTIONS,
    MAX_SLUG_CHARS,
    MAX_SOURCE_CHARS,
    MAX_TITLE_CHARS,
)
from .model import (
    ALL_OR_NOTHING,
    FORMAT_V1,
    MATCHING,
    MULTIPLE_CHOICE,
    ORDERING,
    PARTIAL,
    QUESTION_TYPES,
    SHORT_ANSWER,
    SINGLE_CHOICE,
    TRUE_FALSE,
    Evidence,
    Question,
    QuestionSet,
    Source,
)
from .textmatch import closest_passage, find_quote, normalized_length_exceeds
from .yaml_reader import PathKey, RawDocument

MIN_CHOICES, MAX_CHOICES = 2, 8
MAX_QUOTE_HINTS = 20

SET_ID = re.compile(r"[a-z0-9-]{3,64}")
#: Set ids that begin with this are kept for sets shipped with Civics Quiz, so that no teacher's
#: set can hold the id of a set a later release ships (the format's own name, as in quizapp/1).
SHIPPED_ID_PREFIX = "quizapp-"
SLUG = re.compile(r"[a-z0-9-]{1,64}")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")

TOP_KEYS = {"format", "id", "title", "description", "language", "grade_levels", "sources"}
TOP_KEYS |= {"questions"}
SOURCE_KEYS = {"title", "file", "text", "attribution"}
QUESTION_KEYS = {"id", "type", "category", "difficulty", "points", "prompt", "explanation"}
QUESTION_KEYS |= {"choices", "answer", "pairs", "items", "shuffle", "scoring", "evidence"}
EVIDENCE_KEYS = {"source", "quote"}

#: Which of the type-specific keys each question type takes.
TYPE_KEYS: dict[str, set[str]] = {
    SINGLE_CHOICE: {"choices", "answer", "shuffle"},
    MULTIPLE_CHOICE: {"choices", "answer", "shuffle", "scoring"},
    TRUE_FALSE: {"answer"},
    SHORT_ANSWER: {"answer"},
    MATCHING: {"pairs", "shuffle"},
    ORDERING: {"items", "shuffle"},
}
TYPE_SPECIFIC_KEYS = {"choices", "answer", "pairs", "items", "shuffle", "scoring"}

#: Reads a source file named by a set (``file:``); returns its text or raises SourceFileError.
SourceReader = Callable[[str], str]


class SourceFileError(Exception):
    """A source file that cannot be read; the message says why."""


class _Checker:
    """Collects issues while walking one raw document."""

    def __init__(self, doc: RawDocument, filename: str) -> None:
        self.doc = doc
        self.filename = filename
        self.issues: list[ValidationIssue] = []
        #: Closest-passage hints still to give: each searches a whole source, and a file may
        #: hold thousands of wrong quotes (the first ones are enough to show the problem).
        self.hints_left = MAX_QUOTE_HINTS
        #: Evidence entries read so far: every quote is searched for and shown in its source.
        self.evidence_count = 0

    def error(self, path: PathKey, message: str, question_id: str | None = None) -> None:
        self.issues.append(
            ValidationIssue(self.filename, message, self.doc.line(path), question_id)
        )

    def text(
        self,
        value: Any,
        path: PathKey,
        name: str,
        qid: str | None = None,
        *,
        max_chars: int | None = None,
    ) -> str | None:
        """Return ``value`` as non-empty text (using what was typed for ``Yes`` or ``12``)."""
        if isinstance(value, str):
            text = value.strip()
        elif path in self.doc.raw_scalars:
            text = self.doc.raw_scalars[path].strip()
        else:
            self.error(path, f"{name} must be text", qid)
            return None
        if not text:
            self.error(path, f"{name} must not be empty", qid)
            return None
        # Only titles have a length of their own; other texts are bounded by the file's size.
        if max_chars is not None and len(text) > max_chars:
            self.error(path, f"{name} is longer than {max_chars} characters; shorten it", qid)
            return None
        return text

    def as_typed(self, value: Any, path: PathKey) -> Any:
        """``value``, or the text typed for it when YAML read it as a number or boolean
        (``id: 2024``, ``source: 1787``): such values are kept as typed where text is expected."""
        if value is not None and not isinstance(value, str) and path in self.doc.raw_scalars:
            return self.doc.raw_scalars[path].strip()
        return value

    def unknown_keys(
        self, mapping: dict[str, Any], allowed: set[str], path: PathKey, what: str, qid: str | None
    ) -> dict[str, Any]:
        """Report keys that are not allowed; return the ``x-`` extension keys."""
        extras = {}
        for key in mapping:
            if key.startswith("x-"):
                extras[key] = mapping[key]
            elif key not in allowed:
                hint = f"; allowed keys: {', '.join(sorted(allowed))}"
                self.error((*path, key), f"unknown {what} key '{key}'{hint}", qid)
        return extras


def validate_document(
    doc: RawDocument,
    filename: str,
    read_source: SourceReader | None = None,
    *,
    require_evidence: bool = False,
    require_sources: bool = True,
) -> QuestionSet:
    """Check ``doc`` against every rule of the format; return the set or raise with all issues."""
    check = _Checker(doc, filename)
    data = doc.data
    if not isinstance(data, dict):
        check.error(
            (), "the file must be a mapping of keys (format, id, title, sources, questions)"
        )
        raise QuestionSetError(check.issues)

    extras = check.unknown_keys(data, TOP_KEYS, (), "top-level", None)
    if "format" not in data:
        check.error((), f"add 'format: {FORMAT_V1}' at the top of the file")
    elif data["format"] != FORMAT_V1:
        check.error(("format",), f"format must be exactly '{FORMAT_V1}', not '{data['format']}'")
    set_id = _set_id(check, data)
    title = _required_text(check, data, "title", (), None, MAX_TITLE_CHARS)
    description = _optional_text(check, data, "description", ())
    grade_levels = _optional_text(check, data, "grade_levels", ())
    language = _optional_text(check, data, "language", ()) or "en"
    if not LANGUAGE_TAG.fullmatch(language):
        check.error(
            ("language",), f"language '{language}' is not a language tag such as en or es-MX"
        )
    sources = _sources(check, data, read_source, require_sources)
    questions = _questions(check, data, sources, require_evidence)
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
        check.error((), "add an 'id:' for the set, e.g. id: my-civics-set")
        return None
    set_id = check.as_typed(data["id"], ("id",))
    if not isinstance(set_id, str) or not SET_ID.fullmatch(set_id):
        check.error(
            ("id",),
            f"id '{set_id}' must be 3 to 64 characters of a-z, 0-9 and '-', e.g. bukele-prison-offer",
        )
        return None
    return set_id


def _required_text(
    check: _Checker,
    mapping: dict[str, Any],
    key: str,
    path: PathKey,
    qid: str | None,
    max_chars: int | None = None,
) -> str | None:
    if key not in mapping or mapping[key] is None:
        check.error(path, f"add the required key '{key}'", qid)
        return None
    return check.text(mapping[key], (*path, key), key, qid, max_chars=max_chars)


def _optional_text(check: _Checker, mapping: dict[str, Any], key: str, path: PathKey) -> str:
    if mapping.get(key) is None:
        return ""
    return check.text(mapping[key], (*path, key), key) or ""


def _sources(
    check: _Checker,
    data: dict[str, Any],
    read_source: SourceReader | None,
    required: bool,
) -> dict[str, Source]:
    raw = data.get("sources")
    if raw is None:
        if required:
            check.error((), "add 'sources:' with at least one source text that quotes come from")
        return {}
    # An explicitly empty mapping says the set has no sources: that is how a set uploaded as
    # CSV, GIFT or Aiken without source texts is exported, and its export must upload again.
    if not isinstance(raw, dict):
        check.error(("sources",), "sources must map a key (such as 'article') to a source")
        return {}
    sources: dict[str, Source] = {}
    for key, entry in raw.items():
        path: PathKey = ("sources", key)
        if not SLUG.fullmatch(key):
            check.error(path, f"source key '{key}' must use only a-z, 0-9 and '-'")
            continue
        if not isinstance(entry, dict):
            check.error(path, f"source '{key}' must have a title and a file or text")
            continue
        check.unknown_keys(entry, SOURCE_KEYS, path, "source", None)
        title = _required_text(check, entry, "title", path, None, MAX_TITLE_CHARS)
        attribution = _optional_text(check, entry, "attribution", path)
        text = _source_text(check, entry, path, key, read_source)
        if title is not None and text is not None:
            sources[key] = Source(key=key, title=title, text=text, attribution=attribution)
    return sources


def _source_text(
    check: _Checker,
    entry: dict[str, Any],
    path: PathKey,
    key: str,
    read_source: SourceReader | None,
) -> str | None:
    has_file, has_text = "file" in entry, "text" in entry
    if has_file == has_text:
        check.error(path, f"source '{key}' needs exactly one of 'file:' or 'text:'")
        return None
    if has_text:
        text = entry["text"]
        if not isinstance(text, str) or not text.strip():
            check.error((*path, "text"), f"source '{key}' text must be non-empty text")
            return None
    else:
        name = entry["file"]
        if not isinstance(name, str) or not name.strip():
            check.error((*path, "file"), f"source '{key}' file must be a relative path")
            return None
        if read_source is None:
            check.error(
                (*path, "file"),
                f"source file '{name}' was not uploaded; upload it with the set or use 'text:'",
            )
            return None
        try:
            text = read_source(name)
        except SourceFileError as exc:
            check.error((*path, "file"), str(exc))
            return None
    if len(text) > MAX_SOURCE_CHARS:
        check.error(path, f"source '{key}' is longer than {MAX_SOURCE_CHARS:,} characters")
        return None
    if normalized_length_exceeds(text, MAX_NORMALIZED_SOURCE_CHARS):
        check.error(
            path,
            f"source '{key}' grows to more than {MAX_NORMALIZED_SOURCE_CHARS:,} characters when "
            "normalised for quote matching (Unicode NFKC): it holds many characters that stand "
            "for several letters, such as ﷺ or ㍿; write them out as letters or shorten the source",
        )
        return None
    return text


def _questions(
    check: _Checker, data: dict[str, Any], sources: dict[str, Source], require_evidence: bool
) -> list[Question]:
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        check.error(
            ("questions",) if "questions" in data else (),
            "add 'questions:' with at least one question",
        )
        return []
    if len(raw) > MAX_QUESTIONS:
        check.error(
            ("questions",), f"a set holds at most {MAX_QUESTIONS} questions, not {len(raw)}"
        )
        return []
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        path: PathKey = ("questions", index)
        if not isinstance(entry, dict):
            check.error(
                path, f"question {index + 1} must be a mapping of keys (id, type, prompt, ...)"
            )
            continue
        raw_id = check.as_typed(entry.get("id"), (*path, "id"))
        if isinstance(raw_id, str) and raw_id in seen:
            check.error(
                (*path, "id"),
                f"question id is already used by question {seen[raw_id]}; ids must be unique",
                raw_id,
            )
        elif isinstance(raw_id, str):
            seen[raw_id] = index + 1
        question = _question(check, entry, path, index, sources, require_evidence)
        if question is not None:
            questions.append(question)
    return questions


def _question(
    check: _Checker,
    entry: dict[str, Any],
    path: PathKey,
    index: int,
    sources: dict[str, Source],
    require_evidence: bool,
) -> Question | None:
    issues_before = len(check.issues)
    raw_id = check.as_typed(entry.get("id"), (*path, "id"))
    qid = raw_id if isinstance(raw_id, str) and raw_id else f"#{index + 1}"
    if raw_id is None:
        check.error(path, "add an 'id:' (a slug such as who-said-heartbeat)", qid)
    elif not isinstance(raw_id, str) or not SLUG.fullmatch(raw_id):
        check.error(
            (*path, "id"), f"id '{raw_id}' must use only a-z, 0-9 and '-' (at most 64)", qid
        )
    extras = check.unknown_keys(entry, QUESTION_KEYS, path, "question", qid)

    qtype = entry.get("type")
    if qtype not in QUESTION_TYPES:
        where = (*path, "type") if "type" in entry else path
        named = f"type '{qtype}' is not" if qtype is not None else "the question has no type; use"
        check.error(where, f"{named} one of: {', '.join(QUESTION_TYPES)}", qid)
        qtype = None
    prompt = _required_text(check, entry, "prompt", path, qid)
    explanation = _required_text(check, entry, "explanation", path, qid)
    category = check.as_typed(entry.get("category", "general"), (*path, "category"))
    if not isinstance(category, str) or not _is_category(category):
        check.error(
            (*path, "category"),
            "category must be a slug of lower-case letters, digits and '-' (at most 64)",
            qid,
        )
    difficulty = _whole_number(check, entry, "difficulty", path, qid, 2, allowed=(1, 2, 3))
    points = _whole_number(check, entry, "points", path, qid, 1)
    shuffle = entry.get("shuffle", True)
    if not isinstance(shuffle, bool):
        check.error((*path, "shuffle"), "shuffle must be true or false", qid)
    evidence = _evidence(check, entry, path, qid, sources, require_evidence)

    fields: dict[str, Any] = {}
    if qtype is not None:
        for key in TYPE_SPECIFIC_KEYS - TYPE_KEYS[qtype]:
            if key in entry:
                check.error(
                    (*path, key), f"'{key}' is not used by {qtype} questions; remove it", qid
                )
        fields = _TYPE_FIELDS[qtype](check, entry, path, qid)

    if len(check.issues) > issues_before:
        return None
    return Question(
        id=qid,
        type=qtype or "",
        prompt=prompt or "",
        explanation=explanation or "",
        category=category,
        difficulty=difficulty,
        points=points,
        shuffle=shuffle,
        evidence=evidence,
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
    """Categories are slugs in any script (``кто-сказал``): what CSV and GIFT names become."""
    return (
        0 < len(text) <= MAX_SLUG_CHARS
        and all(char == "-" or is_category_char(char) for char in text)
        and text == text.lower()
    )


def _whole_number(
    check: _Checker,
    entry: dict[str, Any],
    key: str,
    path: PathKey,
    qid: str,
    default: int,
    allowed: tuple[int, ...] | None = None,
) -> int:
    value = entry.get(key, default)
    valid = isinstance(value, int) and not isinstance(value, bool)
    if valid and allowed is not None:
        valid = value in allowed
    elif valid:
        valid = value > 0
    if not valid:
        rule = f"one of {', '.join(map(str, allowed))}" if allowed else "a whole number above 0"
        check.error((*path, key), f"{key} must be {rule}, not '{value}'", qid)
        return default
    return int(value)


def _text_list(
    check: _Checker, value: Any, path: PathKey, name: str, qid: str, low: int, high: int
) -> list[str] | None:
    """A list of ``low``..``high`` distinct non-empty texts."""
    if not isinstance(value, list):
        check.error(path, f"{name} must be a list of {low} to {high} entries", qid)
        return None
    texts = [
        check.text(item, (*path, i), f"{name} entry {i + 1}", qid) for i, item in enumerate(value)
    ]
    if any(text is None for text in texts):
        return None
    result = [t for t in texts if t is not None]
    if not low <= len(result) <= high:
        check.error(path, f"{name} must have {low} to {high} entries, not {len(result)}", qid)
        return None
    duplicates = sorted({t for t in result if result.count(t) > 1})
    if duplicates:
        check.error(path, f"{name} must be distinct; '{duplicates[0]}' appears more than once", qid)
        return None
    return result


def _choice_fields(
    check: _Checker, entry: dict[str, Any], path: PathKey, qid: str, many: bool
) -> dict[str, Any]:
    choices = _text_list(
        check, entry.get("choices"), (*path, "choices"), "choices", qid, MIN_CHOICES, MAX_CHOICES
    )
    if "answer" not in entry:
        check.error(path, "add 'answer:' with the correct choice", qid)
        return {}
    answer_path = (*path, "answer")
    raw_answer = entry["answer"]
    scoring = ALL_OR_NOTHING
    if many:
        if not isinstance(raw_answer, list):  # one correct choice, given without a list
            one = check.text(raw_answer, answer_path, "answer", qid)
            raw_answer = None if one is None else [one]
        answers = (
            None
            if raw_answer is None
            else _text_list(check, raw_answer, answer_path, "answer", qid, 1, MAX_CHOICES)
        )
        scoring = _scoring(check, entry, path, qid)
    else:
        one = check.text(raw_answer, answer_path, "answer", qid)
        answers = None if one is None else [one]
    if choices is None or answers is None:
        return {}
    missing = [a for a in answers if a not in choices]
    if missing:
        check.error(
            answer_path,
            f"answer '{missing[0]}' is not one of the choices; copy it exactly from the choices",
            qid,
        )
        return {}
    answer: Any = tuple(answers) if many else answers[0]
    return {"choices": tuple(choices), "answer": answer, "scoring": scoring}


def _scoring(check: _Checker, entry: dict[str, Any], path: PathKey, qid: str) -> str:
    value = entry.get("scoring", ALL_OR_NOTHING)
    if value in (ALL_OR_NOTHING, "all-or-nothing"):
        return ALL_OR_NOTHING
    if value == PARTIAL:
        return PARTIAL
    check.error(
        (*path, "scoring"), f"scoring must be 'partial' or 'all-or-nothing', not '{value}'", qid
    )
    return ALL_OR_NOTHING


def _single_choice(
    check: _Checker, entry: dict[str, Any], path: PathKey, qid: str
) -> dict[str, Any]:
    return _choice_fields(check, entry, path, qid, many=False)


def _multiple_choice(
    check: _Checker, entry: dict[str, Any], path: PathKey, qid: str
) -> dict[str, Any]:
    return _choice_fields(check, entry, path, qid, many=True)


def _true_false(check: _Checker, entry: dict[str, Any], path: PathKey, qid: str) -> dict[str, Any]:
    value = entry.get("answer")
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        value = value.strip().lower() == "true"
    if not isinstance(value, bool):
        check.error(
            (*path, "answer") if "answer" in entry else path, "answer must be true or false", qid
        )
        return {}
    return {"answer": value}


def _short_answer(
    check: _Checker, entry: dict[str, Any], path: PathKey, qid: str
) -> dict[str, Any]:
    if "answer" not in entry:
        check.error(path, "add 'answer:' with a list of accepted answers", qid)
        return {}
    value = entry["answer"]
    if not isinstance(value, list):  # one accepted answer, given without a list
        one = check.text(value, (*path, "answer"), "answer", qid)
        if one is None:
            return {}
        value = [one]
    answers = _text_list(check, value, (*path, "answer"), "answer", qid, 1, 50)
    return {} if answers is None else {"answer": tuple(answers)}


def _matching(check: _Checker, entry: dict[str, Any], path: PathKey, qid: str) -> dict[str, Any]:
    pairs = entry.get("pairs")
    pairs_path = (*path, "pairs")
    if not isinstance(pairs, dict):
        check.error(
            pairs_path if "pairs" in entry else path,
            "add 'pairs:' mapping each left item to its match",
            qid,
        )
        return {}
    result: list[tuple[str, str]] = []
    for left, right in pairs.items():
        right_text = check.text(right, (*pairs_path, left), f"the match for '{left}'", qid)
        if right_text is None:
            return {}
        result.append((left.strip(), right_text))
    if not MIN_CHOICES <= len(result) <= MAX_CHOICES:
        check.error(
            pairs_path,
            f"pairs must have {MIN_CHOICES} to {MAX_CHOICES} entries, not {len(result)}",
            qid,
        )
        return {}
    rights = [right for _, right in result]
    repeated = sorted({r for r in rights if rights.count(r) > 1})
    if repeated:
        check.error(
            pairs_path, f"each right side must be distinct; '{repeated[0]}' is used twice", qid
        )
        return {}
    return {"pairs": tuple(result)}


def _ordering(check: _Checker, entry: dict[str, Any], path: PathKey, qid: str) -> dict[str, Any]:
    if "items" not in entry:
        check.error(path, "add 'items:' listing the items in their correct order", qid)
        return {}
    items = _text_list(
        check, entry["items"], (*path, "items"), "items", qid, MIN_CHOICES, MAX_CHOICES
    )
    return {} if items is None else {"items": tuple(items)}


_TYPE_FIELDS: dict[str, Callable[[_Checker, dict[str, Any], PathKey, str], dict[str, Any]]] = {
    SINGLE_CHOICE: _single_choice,
    MULTIPLE_CHOICE: _multiple_choice,
    TRUE_FALSE: _true_false,
    SHORT_ANSWER: _short_answer,
    MATCHING: _matching,
    ORDERING: _ordering,
}


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
            check.error(path, "add 'evidence:' with at least one quote from a source", qid)
        return ()
    if not isinstance(raw, list):
        check.error(ev_path, "evidence must be a list of entries with 'source' and 'quote'", qid)
        return ()
    if len(raw) > MAX_EVIDENCE_PER_QUESTION:
        check.error(
            ev_path,
            f"a question has at most {MAX_EVIDENCE_PER_QUESTION} evidence quotes, not {len(raw)}",
            qid,
        )
        return ()
    check.evidence_count += len(raw)
    if check.evidence_count > MAX_EVIDENCE_PER_SET:
        if check.evidence_count - len(raw) <= MAX_EVIDENCE_PER_SET:  # say it once, where it starts
            check.error(
                ev_path,
                f"a set has at most {MAX_EVIDENCE_PER_SET:,} evidence quotes in all; this "
                "question goes past that: keep the quotes that best support each answer",
                qid,
            )
        return ()
    found: list[Evidence] = []
    declared = check.doc.data.get("sources")
    declared = declared if isinstance(declared, dict) else {}
    for i, item in enumerate(raw):
        item_path = (*ev_path, i)
        if not isinstance(item, dict):
            check.error(item_path, "each evidence entry needs 'source:' and 'quote:'", qid)
            continue
        check.unknown_keys(item, EVIDENCE_KEYS, item_path, "evidence", qid)
        key = check.as_typed(item.get("source"), (*item_path, "source"))
        quote = _required_text(check, item, "quote", item_path, qid)
        if isinstance(key, str) and key not in sources and key in declared:
            continue  # the source itself failed (e.g. its file is missing): already reported
        # An unhashable key (a list or mapping typed by mistake) must be reported, not crash.
        if not isinstance(key, str) or key not in sources:
            known = ", ".join(sorted(sources)) or "none"
            named = (
                f"evidence source '{key}' is not" if key else "the evidence names no source; name"
            )
            check.error(item_path, f"{named} one of the set's sources ({known})", qid)
            continue
        if quote is None:
            continue
        if find_quote(sources[key].text, quote) is None:
            message = f"the quote was not found in source '{key}'; copy it exactly from the source"
            if check.hints_left > 0:
                check.hints_left -= 1
                message += f'. Closest passage: "{closest_passage(sources[key].text, quote)}"'
            check.error((*item_path, "quote"), message, qid)
            continue
        found.append(Evidence(source=key, quote=quote))
    return tuple(found)
