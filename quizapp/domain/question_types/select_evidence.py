"""select_evidence: the student picks, in the text itself, the sentences that prove it."""

from __future__ import annotations

from typing import Any

from ..checker import scoring
from ..i18n import gettext, lazy_gettext
from ..model import ALL_OR_NOTHING, PARTIAL, SELECT_EVIDENCE, Question, Response, Source
from ..sentences import find_passage, offered_sentences, sentences_in
from ..textmatch import closest_passage, find_quote
from ._sentences import clean_sentence_numbers, sentence_texts
from .base import EditorField, FieldContext, Grade, QuestionType
from .multiple_choice import partial_fraction

MAX_ANSWER_QUOTES = 8


def derived_sentences(
    source: Source | None, passage: str, answers: tuple[str, ...]
) -> dict[str, Any]:
    """The sentences offered and the numbers of the right ones (none when a text is missing)."""
    if source is None:
        return {}
    span = find_passage(source.text, passage) if passage else None
    sentences = offered_sentences(source.text, span)
    right: set[int] = set()
    for quote in answers:
        found = find_quote(source.text, quote)
        if found is not None:
            right |= sentences_in(sentences, found)
    return {"sentences": sentences, "right_sentences": frozenset(right)}


class SelectEvidence(QuestionType):
    """Right sentences picked, all-or-nothing or partial, out of min(select, right sentences)."""

    name = SELECT_EVIDENCE
    keys = frozenset({"source", "passage", "answer", "select", "scoring"})
    hint = lazy_gettext("Choose the sentence in the text that best supports the answer.")
    form = "sentences"
    editor_fields = (
        EditorField(
            "source",
            lazy_gettext("Source"),
            "source",
            lazy_gettext("The text the student picks sentences in."),
            required=True,
        ),
        EditorField(
            "answer",
            lazy_gettext("Right sentences"),
            "quotes",
            lazy_gettext(
                "Tick the sentences, or select words in the text and press “Use as evidence”."
            ),
        ),
        EditorField(
            "passage",
            lazy_gettext("Offer only this passage"),
            "long_text",
            lazy_gettext(
                "Optional: a stretch of the source, copied exactly; empty: the whole source."
            ),
        ),
        EditorField(
            "select",
            lazy_gettext("Sentences to pick"),
            "number",
            lazy_gettext("Optional; empty: as many as are right."),
        ),
        EditorField("scoring", lazy_gettext("Scoring"), "scoring"),
    )
    #: The answer quotes are the evidence shown after grading; ``evidence:`` may be left out.
    answer_is_evidence = True

    def read_fields(self, ctx: FieldContext) -> dict[str, Any]:
        check, entry, path, qid = ctx.check, ctx.entry, ctx.path, ctx.qid
        key = check.as_typed(entry.get("source"), (*path, "source"))
        if key is None:
            ctx.error(None, gettext("add 'source:' naming the source whose sentences are offered"))
            return {}
        declared = check.doc.data.get("sources")
        failed = isinstance(declared, dict) and isinstance(key, str) and key in declared
        if failed and key not in ctx.sources:
            return {}  # the source itself failed (its file is missing): already reported
        if not isinstance(key, str) or key not in ctx.sources:
            known = ", ".join(sorted(ctx.sources)) or gettext("none")
            ctx.error(
                "source",
                gettext(
                    "source '%(key)s' is not one of the set's sources (%(known)s)",
                    key=key,
                    known=known,
                ),
            )
            return {}
        source = ctx.sources[key]
        passage = ""
        span: tuple[int, int] | None = None
        if entry.get("passage") is not None:
            passage = check.text(entry["passage"], (*path, "passage"), "passage", qid) or ""
            if not passage:
                return {}
            span = find_passage(source.text, passage)
            if span is None:
                ctx.error(
                    "passage",
                    gettext(
                        "the passage was not found in source '%(key)s'; copy its start and end "
                        "exactly, joined by …",
                        key=key,
                    ),
                )
                return {}
        answers = self._answers(ctx, source, span)
        if answers is None:
            return {}
        derived = derived_sentences(source, passage, answers)
        offered = len(derived["sentences"])
        select = entry.get("select", len(answers))
        if isinstance(select, bool) or not isinstance(select, int) or not 1 <= select <= offered:
            ctx.error(
                "select",
                gettext(
                    "'select' must be a whole number of sentences, 1 to %(offered)s (as many as "
                    "are offered), not '%(select)s'",
                    offered=offered,
                    select=select,
                ),
            )
            return {}
        return {
            "source": key,
            "passage": passage,
            "answer": answers,
            "select": select,
            "scoring": scoring(check, entry, path, qid),
            **derived,
        }

    def _answers(
        self, ctx: FieldContext, source: Source, span: tuple[int, int] | None
    ) -> tuple[str, ...] | None:
        check, path, qid = ctx.check, (*ctx.path, "answer"), ctx.qid
        raw = ctx.entry.get("answer")
        if raw is None:
            ctx.error(None, gettext("add 'answer:' with the quotes of the right sentences"))
            return None
        quotes = raw if isinstance(raw, list) else [raw]
        if not 1 <= len(quotes) <= MAX_ANSWER_QUOTES:
            ctx.error(
                "answer", gettext("answer must have 1 to %(most)s quotes", most=MAX_ANSWER_QUOTES)
            )
            return None
        found: list[str] = []
        for i, quote in enumerate(quotes):
            at = (*path, i) if isinstance(raw, list) else path
            text = check.text(quote, at, gettext("answer quote %(number)s", number=i + 1), qid)
            if text is None:
                continue
            position = find_quote(source.text, text)
            if position is None:
                message = gettext(
                    "answer quote %(number)s was not found in source '%(key)s'; copy it "
                    "exactly from the source",
                    number=i + 1,
                    key=source.key,
                )
                if check.hints_left > 0:
                    check.hints_left -= 1
                    message += gettext(
                        '. Closest passage: "%(passage)s"',
                        passage=closest_passage(source.text, text),
                    )
                check.error(at, message, qid)
                continue
            if span is not None and not (span[0] <= position[0] and position[1] <= span[1]):
                check.error(
                    at,
                    gettext("answer quote %(number)s lies outside the passage", number=i + 1),
                    qid,
                )
                continue
            found.append(text)
        return tuple(found) if len(found) == len(quotes) else None

    def to_data(self, question: Question) -> dict[str, Any]:
        data: dict[str, Any] = {"source": question.source}
        if question.passage:
            data["passage"] = question.passage
        data["answer"] = list(question.answer)
        if question.select != len(question.answer):
            data["select"] = question.select
        if question.scoring != ALL_OR_NOTHING:
            data["scoring"] = question.scoring
        return data

    def from_data(self, data: dict[str, Any], sources: dict[str, Source]) -> dict[str, Any]:
        answers = tuple(data["answer"])
        passage = data.get("passage", "")
        return {
            "source": data["source"],
            "passage": passage,
            "answer": answers,
            "select": data.get("select", len(answers)),
            "scoring": data.get("scoring", ALL_OR_NOTHING),
            **derived_sentences(sources.get(data["source"]), passage, answers),
        }

    def shown(self, question: Question, seed: int) -> tuple[list[str], list[str]]:
        """The sentences keep their place in the text: never shuffled."""
        return [str(s.number) for s in question.sentences], []

    def clean(self, question: Question, response: Any) -> Response:
        return clean_sentence_numbers(question, response, question.select)

    def grade(self, question: Question, response: Response) -> Grade:
        picks = {int(p) for p in response} if isinstance(response, list) else set()
        right = set(question.right_sentences)
        target = min(question.select, len(right)) or 1
        if question.scoring == PARTIAL:
            fraction = partial_fraction(picks, right, target)
        else:
            fraction = 1.0 if picks <= right and len(picks) >= target else 0.0
        return Grade(question.points * fraction, question.points)

    def key(self, question: Question) -> Response:
        """The first right sentences, as many as the student may pick: a full-marks answer."""
        right = sorted(question.right_sentences)
        return [str(n) for n in right[: max(question.select, 1)]]

    def right_choices(self, question: Question) -> list[str]:
        """Every right sentence, though the student picks only ``select`` of them."""
        return self.picked(question, [str(n) for n in sorted(question.right_sentences)])

    def answer_lines(self, question: Question, answer: Response) -> list[str]:
        return sentence_texts(question, answer)

    lists_every_option = False

    def pick_labels(self, question: Question) -> list[str]:
        return [f"{s.number}. {s.text}" for s in question.sentences]

    def picked(self, question: Question, answer: Response) -> list[str]:
        """Each picked sentence as its label: its number and its text."""
        if not isinstance(answer, list):
            return []
        labels = {str(s.number): f"{s.number}. {s.text}" for s in question.sentences}
        return [labels[p] for p in answer if isinstance(p, str) and p in labels]
