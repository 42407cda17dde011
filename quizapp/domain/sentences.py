"""Split a source text into the sentences a student can pick as evidence.

A sentence ends at ".", "!" or "?" (with any closing quotation marks and brackets after it)
followed by white space, or at a line break. A point does not end a sentence after a known
abbreviation ("Mr.", "Dr.", "U.S."), after an initial ("J. Smith"), or inside a number ("2.5").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Sentence
from .textmatch import find_quote

#: Abbreviations that a point follows without ending the sentence (compared case-insensitively).
ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "adm",
        "pres",
        "supt",
        "rev",
        "hon",
        "messrs",
        "mt",
        "ft",
        "ave",
        "blvd",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "assn",
        "est",
        "approx",
        "vs",
        "etc",
        "no",
        "nos",
        "vol",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "d.c",
        "u.s.a",
    ]
)

#: A candidate end: terminal punctuation, closing quotes or brackets, then white space.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
#: The word before a point: letters and inner points ("U.S", "Mr", "e.g").
_WORD_BEFORE = re.compile(r"([^\W\d_](?:[^\W\d_]|\.)*)\.$")


#: The next visible character after a candidate end.
_NEXT_CHARACTER = re.compile(r"\s*(\S)")
#: How far back the word before a point is looked for: longer than any abbreviation, and it
#: keeps the work per candidate end bounded in a long paragraph.
_LOOK_BACK = 40


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the punctuation run ending at ``end`` closes a sentence."""
    following = _NEXT_CHARACTER.match(text, end)
    if following is not None and following.group(1).islower():
        return False  # '"Go!" she said.' goes on after the quotation
    run = text[max(0, end - _LOOK_BACK) : end].rstrip("\"'”’)]")
    if not run.endswith(".") or run.endswith(".."):
        return True
    match = _WORD_BEFORE.search(run)
    if match is None:
        return True
    word = match.group(1)
    if len(word) == 1:  # an initial: "J. Smith"
        return False
    return word.lower() not in ABBREVIATIONS


@lru_cache(maxsize=32)
def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Every sentence of ``text`` with its paragraph number and offsets, numbered from 1."""
    sentences: list[Sentence] = []
    for paragraph, line in enumerate(m for m in re.finditer(r"[^\n]+", text) if m.group().strip()):
        base = line.start()
        body = line.group()
        start = 0
        for match in _END.finditer(body):
            if _ends_sentence(body, match.end()):
                _add(sentences, paragraph, body, base, start, match.end())
                start = match.end()
        _add(sentences, paragraph, body, base, start, len(body))
    return tuple(sentences)


def _add(
    sentences: list[Sentence], paragraph: int, body: str, base: int, start: int, end: int
) -> None:
    piece = body[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    offset = start + len(piece) - len(piece.lstrip())
    sentences.append(
        Sentence(
            number=len(sentences) + 1,
            paragraph=paragraph,
            text=stripped,
            start=base + offset,
            end=base + offset + len(stripped),
        )
    )


PASSAGE_ELLIPSIS = "…"


def find_passage(text: str, passage: str) -> tuple[int, int] | None:
    """The stretch of ``text`` a passage names: a verbatim quote, or with "…" its start and end."""
    if PASSAGE_ELLIPSIS not in passage:
        return find_quote(text, passage)
    head, _, tail = passage.partition(PASSAGE_ELLIPSIS)
    first = find_quote(text, head) if head.strip() else (0, 0)
    if first is None:
        return None
    if not tail.strip():
        return first[0], len(text)
    last = find_quote(text[first[1] :], tail)
    if last is None:
        return None
    return first[0], first[1] + last[1]


def offered_sentences(text: str, span: tuple[int, int] | None = None) -> tuple[Sentence, ...]:
    """The sentences that overlap ``span`` (all of them without one), renumbered from 1."""
    every = split_sentences(text)
    if span is None:
        return every
    start, end = span
    inside = [s for s in every if s.start < end and s.end > start]
    return tuple(
        Sentence(n, s.paragraph, s.text, s.start, s.end) for n, s in enumerate(inside, start=1)
    )


def sentences_in(sentences: tuple[Sentence, ...], span: tuple[int, int]) -> set[int]:
    """The numbers of the sentences a quote's span touches: each is right, even when it spans
    several, and a sentence containing the quote or lying inside it is right too."""
    start, end = span
    return {s.number for s in sentences if s.start < end and s.end > start}
