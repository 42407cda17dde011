"""written_response: a short written answer that the teacher scores against a rubric."""

from __future__ import annotations

import re
from typing import Any

from ..i18n import gettext, lazy_gettext, ngettext
from ..limits import MAX_WRITTEN_RESPONSE_CHARS
from ..model import WRITTEN_RESPONSE, Criterion, Question, Response, Source
from ..sentences import offered_sentences
from ._sentences import clean_sentence_numbers, sentence_texts
from .base import EditorField, FieldContext, Grade, InvalidResponse, QuestionType

MAX_CRITERIA = 8
MAX_CITED = 3
DEFAULT_MAX_WORDS = 300
MOST_WORDS_ALLOWED = 1000

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def count_words(text: str) -> int:
    """Words as a reader counts them: "Reichlin-Melnick" and "don't" are one word each."""
    return len(_WORD.findall(text))


def _cited_sentences(sources: dict[str, Source], key: str) -> dict[str, Any]:
    source = sources.get(key)
    return {"sentences": offered_sentences(source.text)} if source is not None else {}


class WrittenResponse(QuestionType):
    """Scored by the teacher, criterion by criterion; until then the grade is pending."""

    name = WRITTEN_RESPONSE
    keys = frozenset({"rubric", "cite", "min_words", "max_words"})
    hint = lazy_gettext("Write your answer in your own words.")
    form = "written"
    editor_fields = (
        EditorField(
            "rubric",
            lazy_gettext("Rubric"),
            "rubric",
            lazy_gettext("1 to 8 criteria; their points add up to the question's points."),
        ),
        EditorField(
            "cite",
            lazy_gettext("Students cite sentences of"),
            "source",
            lazy_gettext("Optional: they pick 1 to 3 sentences."),
        ),
        EditorField("min_words", lazy_gettext("Fewest words"), "number", lazy_gettext("Optional.")),
        EditorField(
            "max_words", lazy_gettext("Most words"), "number", lazy_gettext("Optional; empty: 300.")
        ),
    )
    teacher_scored = True

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        rubric = self._rubric(ctx)
        if rubric is None:
            return {}
        fields: dict[str, Any] = {"rubric": rubric}
        total = sum(c.points for c in rubric)
        if "points" not in ctx.entry:
            fields["points"] = total
        elif ctx.entry["points"] != total:
            ctx.error(
                "rubric",
                gettext(
                    "the rubric's points add up to %(total)s, not to the question's "
                    "%(points)s points; make them agree",
                    total=total,
                    points=ctx.entry["points"],
                ),
            )
            return {}
        if ctx.entry.get("cite") is not None:
            key = ctx.check.as_typed(ctx.entry["cite"], (*ctx.path, "cite"))
            if not isinstance(key, str) or key not in ctx.sources:
                known = ", ".join(sorted(ctx.sources)) or gettext("none")
                ctx.error(
                    "cite",
                    gettext(
                        "cite '%(key)s' is not one of the set's sources (%(known)s)",
                        key=key,
                        known=known,
                    ),
                )
                return {}
            fields["source"] = key
            fields.update(_cited_sentences(ctx.sources, key))
        words = {}
        for name, default in (("min_words", 0), ("max_words", DEFAULT_MAX_WORDS)):
            value = ctx.entry.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int):
                value = -1
            if not 0 <= value <= MOST_WORDS_ALLOWED or (name == "max_words" and value == 0):
                ctx.error(
                    name,
                    gettext(
                        "%(name)s must be a whole number from 1 to %(most)s",
                        name=name,
                        most=MOST_WORDS_ALLOWED,
                    ),
                )
                return {}
            words[name] = value
        if words["min_words"] > words["max_words"]:
            ctx.error("min_words", gettext("min_words must not be more than max_words"))
            return {}
        return fields | words

    def _rubric(self, ctx: FieldContext) -> tuple[Criterion, ...] | None:
        raw = ctx.entry.get("rubric")
        path = (*ctx.path, "rubric")
        if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_CRITERIA:
            ctx.error(
                "rubric",
                gettext(
                    "add 'rubric:' with 1 to %(most)s criteria, each "
                    '{points: N, criterion: "..."}',
                    most=MAX_CRITERIA,
                ),
            )
            return None
        criteria: list[Criterion] = []
        for i, item in enumerate(raw):
            at = (*path, i)
            if not isinstance(item, dict) or set(item) - {"points", "criterion"}:
                ctx.check.error(
                    at,
                    gettext(
                        "rubric entry %(number)s needs only 'points:' and 'criterion:'",
                        number=i + 1,
                    ),
                    ctx.qid,
                )
                continue
            points = item.get("points")
            if isinstance(points, bool) or not isinstance(points, int) or points < 1:
                ctx.check.error(
                    at,
                    gettext(
                        "rubric entry %(number)s needs 'points:' as a whole number above 0",
                        number=i + 1,
                    ),
                    ctx.qid,
                )
                continue
            text = ctx.check.text(
                item.get("criterion"),
                (*at, "criterion"),
                gettext("rubric entry %(number)s", number=i + 1),
                ctx.qid,
            )
            if text is not None:
                criteria.append(Criterion(points, text))
        return tuple(criteria) if len(criteria) == len(raw) else None

    def to_data(self, question: Question) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rubric": [{"points": c.points, "criterion": c.criterion} for c in question.rubric]
        }
        if question.source:
            data["cite"] = question.source
        if question.min_words:
            data["min_words"] = question.min_words
        if question.max_words != DEFAULT_MAX_WORDS:
            data["max_words"] = question.max_words
        return data

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "rubric": tuple(Criterion(c["points"], c["criterion"]) for c in data["rubric"]),
            "min_words": data.get("min_words", 0),
            "max_words": data.get("max_words", DEFAULT_MAX_WORDS),
        }
        if data.get("cite"):
            fields["source"] = data["cite"]
            fields.update(_cited_sentences(sources, data["cite"]))
        return fields

    def shown(self, question: Question, seed: int) -> tuple[list[str], list[str]]:
        return [str(s.number) for s in question.sentences], []

    def clean(self, question: Question, response: Any) -> Response:
        if response in (None, "", {}):
            return None
        if isinstance(response, str):
            response = {"text": response}
        if not isinstance(response, dict) or not isinstance(response.get("text", ""), str):
            raise InvalidResponse(gettext("Write your answer as text."))
        text = str(response.get("text", "")).strip()
        if len(text) > MAX_WRITTEN_RESPONSE_CHARS:
            limit = f"{MAX_WRITTEN_RESPONSE_CHARS:,}"
            raise InvalidResponse(
                gettext("Keep your answer under %(limit)s characters.", limit=limit)
            )
        words = count_words(text)
        if words > question.max_words:
            raise InvalidResponse(
                ngettext(
                    "Keep your answer to %(num)s word; it has %(words)s.",
                    "Keep your answer to %(num)s words; it has %(words)s.",
                    question.max_words,
                    words=words,
                )
            )
        cited = (
            clean_sentence_numbers(question, response.get("cited"), MAX_CITED)
            if question.source
            else None
        )
        if not text and not cited:
            return None
        written: dict[str, object] = {"text": text, "cited": cited or []}
        return written

    def grade(self, question: Question, response: Response) -> Grade:
        """Nothing until the teacher scores it: the grade is pending."""
        return Grade(0.0, question.points, pending=True)

    def key(self, question: Question) -> Response:
        return None

    def answer_lines(self, question: Question, answer: Response) -> list[str]:
        if not isinstance(answer, dict):
            return []
        lines = [str(answer.get("text", ""))] if answer.get("text") else []
        cited = sentence_texts(question, answer.get("cited"))
        return lines + [gettext("Cited: %(sentence)s", sentence=text) for text in cited]
