"""Draft questions from an article, offline and deterministically, as a question set's data.

The API, for the drafting service, the CLI and the editor:

- ``draft_set_data(article, set_id=..., title=...) -> dict``: a native question set (the same
  shape a YAML file has), with the article as its one source, ``article``, inline. Every draft
  is tied to verbatim sentences of the article: its ``evidence`` quotes (or its
  ``select_evidence`` answers) are copied from the text, and those that say who spoke include
  the attribution words. Its explanation names the sentence. Drafts state nothing the text does
  not: prompts quote the text, choices are names the text uses, and a false statement is
  always a right quote given to a wrong speaker.
- ``validate_draft(data) -> QuestionSet``: the draft through the one validator that uploads
  pass (``validate_document``); it raises ``QuestionSetError`` like an upload would.
- ``draft_question_set(article, ...)``: both in one call; it raises ``NothingToDraftError``
  (with a message for the teacher) when the article gives nothing to draft from.
- Corrections: ``draft_set_data(..., speakers={start: "Name" or None})`` drafts with the
  teacher's corrections from the "Who is quoted" panel: the quotation that starts at offset
  ``start`` (``Quotation.start``) gets that speaker, or None for "not speech / no one".
  ``corrected_quotations(text, speakers)`` is the panel's list with the corrections applied.
- Review: ``reviewed_set_data(data, decisions)`` keeps the drafts the teacher accepted
  (``ACCEPT``) or edited (the edited question's data), leaves out those discarded
  (``DISCARD``), and raises ``DraftReviewError`` naming the drafts still without a decision:
  drafts stay drafts until each one is accepted, edited or discarded. A Part B whose Part A is
  discarded is left out with it. Check the result with ``validate_draft``.

The kinds of drafts, each in its category: who-said-what single choice (other speakers as
distractors, then other people the text names) and one of them as Part A with a Part B
``select_evidence``; a matching item of speakers and their words with a distractor; true/false
on who said what; ``select_evidence`` on sentences that carry hedges, attributions, numbers or
legal terms; and fill-in-the-blank short answers for names, numbers and dates the text states,
with forgiving answer lists (a ``*`` wildcard, one typo per long word).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from .articles import Article
from .i18n import gettext, lazy_gettext
from .model import FORMAT_V1, QuestionSet, Sentence
from .quotations import NOT_NAMES, NOT_PEOPLE, Quotation, _NameBook, find_quotations
from .raw_document import RawDocument
from .sentences import split_sentences
from .validation import validate_document

SOURCE_KEY = "article"
MAX_WHO_SAID = 4
MAX_TRUE_FALSE = 2
MAX_EVIDENCE = 2
MAX_SHORT_ANSWERS = 4
MAX_MATCHING_PAIRS = 4
PROMPT_QUOTE_WORDS = 16
#: The most sentences a select_evidence draft offers (one paragraph's).
MAX_OFFERED_SENTENCES = 12

_HEDGES = re.compile(
    r"\b(is seen as|are seen as|could|may|might|would|likely|argue[sd]?|claim(?:s|ed)?|"
    r"according to|alleged(?:ly)?|reportedly|appears?|suggest(?:s|ed)?|believe[sd]?)\b",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"\b(amendment|constitution(?:al)?|unconstitutional|law|laws|legal(?:ly)?|illegal|court|"
    r"treaty|treaties|rights|statute|ruling|judge|lawsuit|congress|senate|bill|veto|"
    r"jurisdiction|due process)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![\w-])\d[\d,.]*(?:\s(?:percent|million|billion|thousand|people|years?|days?|hours?))?\b"
)
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD_NUMBER = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|dozens?)(?:[- ](?:and[- ])?(?:a[- ])?(?:half|one|two|three|four|five|"
    r"six|seven|eight|nine|hundred|thousand|million))*(?:-hour|-day|-year)?\b",
    re.IGNORECASE,
)
#: The words before a number that make it part of a date ("Jan. 4", "June 15, 2018"): a
#: number draft blanks a count or an amount, and dates have drafts of their own.
_PART_OF_A_DATE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s(?:\d{1,2},\s)?\Z"
)
#: Last words of the names of bodies that can speak: distractors when few people speak.
BODY_WORDS = frozenset(
    [
        "council",
        "department",
        "ministry",
        "committee",
        "court",
        "party",
        "nations",
        "union",
        "office",
        "agency",
        "commission",
        "organization",
        "university",
        "institute",
        "embassy",
        "foundation",
        "center",
        "centre",
        "association",
        "service",
        "bureau",
        "administration",
        "senate",
        "congress",
        "parliament",
        "police",
        "army",
    ]
)
_PLACE = re.compile(
    r"\b(?:in|from|near|across|to)\s+(?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})(?![\w’'])"
)
_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)(?:\s\d{1,2}(?:,\s\d{4})?)?)\b"
)


#: Shown when the time comes, in the reader's language.
NOTHING_TO_DRAFT = lazy_gettext(
    "the app found no quotation, name, number, date or place to draft a question from; "
    "write the questions yourself, or bring in a longer article"
)
ACCEPT = "accept"
DISCARD = "discard"


class NothingToDraftError(Exception):
    """An article with nothing the drafting rules can make a question of."""


class DraftReviewError(Exception):
    """Drafts that still wait for the teacher's decision."""

    def __init__(self, pending: list[str]) -> None:
        super().__init__(
            gettext(
                "accept, edit or discard every draft first; still to review: %(drafts)s",
                drafts=", ".join(pending),
            )
        )
        self.pending = pending


def draft_question_set(
    article: Article,
    *,
    set_id: str,
    title: str,
    speakers: Mapping[int, str | None] | None = None,
) -> QuestionSet:
    """Draft a set from ``article`` and check it with the one validator."""
    data = draft_set_data(article, set_id=set_id, title=title, speakers=speakers)
    if not data["questions"]:
        raise NothingToDraftError(NOTHING_TO_DRAFT)
    return validate_draft(data)


def corrected_quotations(
    text: str,
    speakers: Mapping[int, str | None] | None = None,
    found: tuple[Quotation, ...] | None = None,
) -> tuple[Quotation, ...]:
    """The text's quotations (``found``, when already found), with the teacher's speaker for
    each quotation start given."""
    found = find_quotations(text) if found is None else found
    if not speakers:
        return found
    corrected = []
    for quotation in found:
        if quotation.start in speakers:
            speaker = (speakers[quotation.start] or "").strip() or None
            quotation = dataclasses.replace(
                quotation,
                speaker=speaker,
                is_speech=speaker is not None,
                attribution=quotation.attribution if speaker else "",
            )
        corrected.append(quotation)
    return tuple(corrected)


def reviewed_set_data(data: dict[str, Any], decisions: Mapping[str, Any]) -> dict[str, Any]:
    """The set of accepted and edited drafts; raise DraftReviewError while any is undecided."""
    questions = data.get("questions", [])
    pending = [q["id"] for q in questions if q["id"] not in decisions]
    if pending:
        raise DraftReviewError(pending)
    kept: list[dict[str, Any]] = []
    kept_ids: set[str] = set()
    for question in questions:
        decision = decisions[question["id"]]
        if decision == DISCARD:
            continue
        chosen = question if decision == ACCEPT else dict(decision)
        if "part_of" in chosen and chosen["part_of"] not in kept_ids:
            continue
        kept.append(chosen)
        kept_ids.add(chosen.get("id", question["id"]))
    return {**data, "questions": kept}


def validate_draft(data: dict[str, Any]) -> QuestionSet:
    """Check drafted data as an upload is checked; raise QuestionSetError on any problem."""
    return validate_document(RawDocument(data), f"{data.get('id', 'draft')}.yaml")


def draft_set_data(
    article: Article,
    *,
    set_id: str,
    title: str,
    speakers: Mapping[int, str | None] | None = None,
) -> dict[str, Any]:
    """The drafted set as native data; see the module docstring."""
    text = article.text
    drafter = _Drafter(text, corrected_quotations(text, speakers))
    questions: list[dict[str, Any]] = []
    questions += drafter.who_said_what()
    questions += drafter.matching()
    questions += drafter.true_false()
    questions += drafter.evidence()
    questions += drafter.short_answers()
    return {
        "format": FORMAT_V1,
        "id": set_id,
        "title": title,
        "sources": {SOURCE_KEY: article.source_entry(title)},
        "questions": questions,
    }


class _Drafter:
    """Holds the text's quotations, sentences and names while drafts are made from them."""

    def __init__(self, text: str, quotations: tuple[Quotation, ...]) -> None:
        self.text = text
        self.sentences = split_sentences(text)
        self.sentence_starts = [s.start for s in self.sentences]
        self.by_paragraph: dict[int, list[Sentence]] = {}
        for sentence in self.sentences:
            self.by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
        self.quotations = quotations
        spans = [(q.start - 1, q.end + 1) for q in self.quotations]
        self.names = _NameBook(text, spans)
        self.used_sentences: set[int] = set()
        self.spoken = [
            q
            for q in self.quotations
            if q.is_speech
            and q.speaker
            and len(q.quote.split()) >= 4
            and "\n" not in text[q.start : q.end]
            and self._evidence_for(q)
        ]
        self.speakers = list(dict.fromkeys(q.speaker for q in self.spoken if q.speaker))

    # --- who said what -------------------------------------------------------------------

    def _evidence_for(self, quotation: Quotation) -> str:
        """The verbatim sentences that hold the quotation and the words naming its speaker."""
        low = quotation.start - 1
        high = quotation.end + 1
        if quotation.attribution:
            found = self.text.find(quotation.attribution, max(0, low - 400), high + 400)
            if found == -1:
                return ""
            low, high = min(low, found), max(high, found + len(quotation.attribution))
        touched = self._touching(low, high)
        if not touched or touched[0].paragraph != touched[-1].paragraph:
            return ""
        return self.text[touched[0].start : touched[-1].end]

    def _distractors(self, speaker: str) -> list[str]:
        """Other speakers first, then other people the text names, in order of appearance."""
        people = [name for _, name in self.names.subjects] + [
            self.names.full_name(name) for name in self.names.titled
        ]
        bodies = [
            name
            for name in self.names.raw_names
            if len(name.split()) >= 2 and any(w.lower() in BODY_WORDS for w in name.split())
        ]
        people = [p for p in people if _last_word(p) not in NOT_PEOPLE]
        others: list[str] = []
        for candidate in [*self.speakers, *people, *bodies]:
            if _last_word(candidate) == _last_word(speaker):
                continue
            if any(candidate in other or other in candidate for other in others):
                continue
            others.append(candidate)
        return others[:3]

    def _picked(self, limit: int) -> list[Quotation]:
        """Up to ``limit`` quotations, taking each speaker in turn so that all get a question."""
        by_speaker: dict[str, list[Quotation]] = {}
        for quotation in self.spoken:
            by_speaker.setdefault(quotation.speaker or "", []).append(quotation)
        picked: list[Quotation] = []
        round_index = 0
        while len(picked) < limit and any(len(q) > round_index for q in by_speaker.values()):
            for quotes in by_speaker.values():
                if len(quotes) > round_index and len(picked) < limit:
                    picked.append(quotes[round_index])
            round_index += 1
        return sorted(picked, key=lambda q: q.start)

    def who_said_what(self) -> list[dict[str, Any]]:
        """Single-choice who-said-what drafts; the first is Part A of a select_evidence Part B."""
        questions: list[dict[str, Any]] = []
        for number, quotation in enumerate(self._picked(MAX_WHO_SAID), start=1):
            speaker = quotation.speaker or ""
            distractors = self._distractors(speaker)
            if not distractors:
                continue
            evidence = self._evidence_for(quotation)
            choices = sorted([speaker, *distractors])
            qid = f"who-said-{number}"
            questions.append(
                {
                    "id": qid,
                    "type": "single_choice",
                    "category": "who-said-what",
                    "prompt": f"Who said “{_excerpt(quotation.quote)}”?",
                    "choices": choices,
                    "answer": speaker,
                    "explanation": (f"The report gives these words to {speaker}: {evidence}"),
                    "evidence": [{"source": SOURCE_KEY, "quote": evidence}],
                }
            )
            naming = self._naming_sentence(quotation)
            if number == 1 and naming:
                questions.append(
                    {
                        "id": f"{qid}-evidence",
                        "type": "select_evidence",
                        "category": "who-said-what",
                        "part_of": qid,
                        "prompt": "Part B: Which sentence of the report best supports your "
                        "answer to Part A?",
                        "source": SOURCE_KEY,
                        "passage": self._paragraph_of(quotation.start),
                        "answer": [naming],
                        "explanation": f"This sentence names the speaker: {naming}",
                    }
                )
                questions[-2]["prompt"] = "Part A: " + questions[-2]["prompt"]
        return questions

    def _naming_sentence(self, quotation: Quotation) -> str:
        """The one sentence with the words that name the speaker (or, failing those, the
        quotation's first sentence): Part B's answer."""
        anchor = quotation.start
        if quotation.attribution:
            found = self.text.find(
                quotation.attribution, max(0, quotation.start - 400), quotation.end + 400
            )
            anchor = found if found != -1 else anchor
        touched = self._touching(anchor, anchor + 1)
        return touched[0].text if touched else ""

    def _touching(self, low: int, high: int) -> list[Sentence]:
        """The sentences that overlap ``low..high``, found by bisection (texts can be long)."""
        first = max(0, bisect.bisect_right(self.sentence_starts, low) - 1)
        touched = []
        for sentence in self.sentences[first:]:
            if sentence.start >= high:
                break
            if sentence.end > low:
                touched.append(sentence)
        return touched

    def _paragraph_of(self, offset: int) -> str:
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return self.text[start : len(self.text) if end == -1 else end].strip()

    def matching(self) -> list[dict[str, Any]]:
        """Match speakers with their words; a quotation by someone else, or a quoted term,
        is the distractor."""
        first: dict[str, Quotation] = {}
        for quotation in self.spoken:
            first.setdefault(quotation.speaker or "", quotation)
        if len(first) < 2:
            return []
        paired = list(first.items())[:MAX_MATCHING_PAIRS]
        pairs = {speaker: f"“{_excerpt(q.quote, 10)}”" for speaker, q in paired}
        extra = [
            f"“{_excerpt(q.quote, 10)}”" for speaker, q in list(first.items())[MAX_MATCHING_PAIRS:]
        ] + [f"“{q.quote.strip()}”" for q in self.quotations if not q.is_speech]
        extra += [f"“{_excerpt(s.text, 10)}”" for s in self._free_sentences()[:1]]
        extra = [e for e in dict.fromkeys(extra) if e not in pairs.values()]
        question: dict[str, Any] = {
            "id": "match-speakers",
            "type": "matching",
            "category": "who-said-what",
            "prompt": "Match each person with words the report quotes them saying.",
            "pairs": pairs,
            "explanation": "The report attributes each quotation: "
            + " ".join(self._evidence_for(q) for _, q in paired)
            + (f" {extra[0]} is not a quotation of any of them." if extra else ""),
            "evidence": [{"source": SOURCE_KEY, "quote": self._evidence_for(q)} for _, q in paired],
        }
        if extra:
            question["distractors"] = extra[:1]
        return [question]

    def true_false(self) -> list[dict[str, Any]]:
        """True/false on who said what: the right speaker, or another speaker of the text."""
        questions: list[dict[str, Any]] = []
        candidates = list(reversed(self._picked(MAX_WHO_SAID + MAX_TRUE_FALSE)))
        for number, quotation in enumerate(candidates[:MAX_TRUE_FALSE], start=1):
            speaker = quotation.speaker or ""
            others = self._distractors(speaker)
            truthful = number % 2 == 1 or not others
            named = speaker if truthful else others[0]
            evidence = self._evidence_for(quotation)
            questions.append(
                {
                    "id": f"true-false-{number}",
                    "type": "true_false",
                    "category": "who-said-what",
                    "prompt": f"True or false: the report quotes {named} saying "
                    f"“{_excerpt(quotation.quote)}”",
                    "answer": truthful,
                    "explanation": f"The report gives these words to {speaker}: {evidence}",
                    "evidence": [{"source": SOURCE_KEY, "quote": evidence}],
                }
            )
        return questions

    # --- evidence --------------------------------------------------------------------------

    def evidence(self) -> list[dict[str, Any]]:
        """select_evidence drafts on sentences with hedges, legal terms or numbers."""
        questions: list[dict[str, Any]] = []
        kinds = (
            (
                _HEDGES,
                "hedge",
                "Which sentence of this paragraph presents something as a view or a "
                "possibility rather than as a fact?",
                "It uses the hedging words “{match}”.",
            ),
            (
                _LEGAL,
                "legal",
                "Which sentence of this paragraph uses the legal term “{match}”?",
                "It is the sentence with “{match}”.",
            ),
        )
        for pattern, kind, prompt, why in kinds:
            if len(questions) >= MAX_EVIDENCE:
                break
            for sentence in self.sentences:
                match = pattern.search(sentence.text)
                if not match or sentence.number in self.used_sentences:
                    continue
                if "“" in sentence.text or '"' in sentence.text:
                    continue
                paragraph = self._paragraph_of(sentence.start)
                offered = self.by_paragraph[sentence.paragraph]
                if not 2 <= len(offered) <= MAX_OFFERED_SENTENCES or any(
                    pattern.search(s.text) for s in offered if s is not sentence
                ):
                    continue
                self.used_sentences.add(sentence.number)
                questions.append(
                    {
                        "id": f"evidence-{kind}",
                        "type": "select_evidence",
                        "category": "evidence",
                        "prompt": prompt.format(match=match.group()),
                        "source": SOURCE_KEY,
                        "passage": paragraph,
                        "answer": [sentence.text],
                        "explanation": f"“{sentence.text}” " + why.format(match=match.group()),
                    }
                )
                break
        return questions

    # --- short answers ---------------------------------------------------------------------

    def short_answers(self) -> list[dict[str, Any]]:
        """Fill-in-the-blank drafts for a name, a number and a date that the text states."""
        questions: list[dict[str, Any]] = []
        finders = (
            ("name", self._name_blank),
            ("number", self._pattern_blank(_NUMBER, _WORD_NUMBER)),
            ("date", self._pattern_blank(_DATE)),
            ("place", self._place_blank),
        )
        for kind, finder in finders:
            found = finder()
            if found is None:
                continue
            sentence, blanked, answer = found
            self.used_sentences.add(sentence.number)
            accepted = list(dict.fromkeys([answer, *_variants(answer, kind)]))
            questions.append(
                {
                    "id": f"fill-in-{kind}",
                    "type": "short_answer",
                    "category": "details",
                    "prompt": f"Fill in the blank with the words of the report: “{blanked}”",
                    "answer": accepted,
                    "typos": 1,
                    "explanation": f"The report says: “{sentence.text}”",
                    "evidence": [{"source": SOURCE_KEY, "quote": sentence.text}],
                }
            )
            if len(questions) >= MAX_SHORT_ANSWERS:
                break
        return questions

    def _free_sentences(self) -> list[Any]:
        return [
            s
            for s in self.sentences
            if s.number not in self.used_sentences
            and not any(mark in s.text for mark in '“”"')
            and 6 <= len(s.text.split()) <= 45
        ]

    def _name_blank(self) -> tuple[Any, str, str] | None:
        for sentence in self._free_sentences():
            for speaker in self.speakers:
                if " " in speaker and speaker in sentence.text:
                    return sentence, sentence.text.replace(speaker, "_____", 1), speaker
        return None

    def _place_blank(self) -> tuple[Any, str, str] | None:
        people = {_last_word(p) for p in self.speakers}
        people |= {_last_word(name) for _, name in self.names.subjects}
        people |= {_last_word(name) for name in self.names.titled}
        for sentence in self._free_sentences():
            for match in _PLACE.finditer(sentence.text):
                place = match.group("place")
                words = place.split()
                if _last_word(place) in people or words[0].lower() in NOT_NAMES:
                    continue
                if words[-1].lower() in NOT_PEOPLE | NOT_NAMES:
                    continue
                start, end = match.span("place")
                blanked = sentence.text[:start] + "_____" + sentence.text[end:]
                return sentence, blanked, place
        return None

    def _pattern_blank(self, *patterns: re.Pattern[str]) -> Any:
        def find() -> tuple[Any, str, str] | None:
            for sentence in self._free_sentences():
                for pattern in patterns:
                    match = next(
                        (
                            m
                            for m in pattern.finditer(sentence.text)
                            if pattern is not _NUMBER
                            or not _PART_OF_A_DATE.search(sentence.text, 0, m.start())
                        ),
                        None,
                    )
                    if match:
                        blanked = (
                            sentence.text[: match.start()] + "_____" + sentence.text[match.end() :]
                        )
                        return sentence, blanked, match.group()
            return None

        return find


def _variants(answer: str, kind: str) -> list[str]:
    """Forgiving forms of an answer: a name's surname alone or after any title ("* Rubio"),
    a number without its unit, a date with or without its year ("June 15*")."""
    words = answer.split()
    if kind == "name" and len(words) >= 2:
        return [words[-1], f"* {words[-1]}"]
    if kind == "number":
        variants = [words[0]] if len(words) >= 2 else []
        scale = _SCALES.get(words[1].lower()) if len(words) >= 2 else None
        number = words[0].replace(",", "")
        if scale and re.fullmatch(r"\d+(?:\.\d+)?", number):
            # "twelve million" reads as 12000000 when answers are compared: accept it too.
            whole = float(number) * scale
            if whole.is_integer():
                variants.append(f"{int(whole)} {' '.join(words[2:])}".strip())
        return variants
    if kind == "date" and "," in answer:
        return [answer.split(",")[0] + "*"]
    return []


def _last_word(name: str) -> str:
    return name.split()[-1].casefold() if name.split() else ""


def _excerpt(quote: str, limit: int = PROMPT_QUOTE_WORDS) -> str:
    """The quote's first ``limit`` words, with … when cut, without a trailing comma."""
    words = quote.strip().split()
    cut = " ".join(words[:limit])
    cut = cut.rstrip(",;:")
    return cut + "…" if len(words) > limit else cut
