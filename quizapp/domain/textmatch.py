"""Find evidence quotes in source texts, and split a source into highlighted paragraphs.

Quotes are compared after the normalisation the question-set format defines: Unicode NFKC,
curly quotes read as straight ones, en and em dashes read as a hyphen, and runs of white space
read as one space. Case and every other character must match.
"""

from __future__ import annotations

import difflib
import heapq
import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_EQUIVALENTS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


@dataclass(frozen=True)
class NormalizedText:
    """A normalised text and, for each of its characters, the span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _clusters(text: str) -> list[tuple[int, int]]:
    """Split into a base character plus its combining marks, the unit NFKC can compose."""
    spans: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            spans.append((start, index))
            start = index
    return spans if text else []


@lru_cache(maxsize=64)
def normalize_for_matching(text: str) -> NormalizedText:
    """Normalise ``text`` for quote matching, keeping a map back to the original offsets."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        for char in unicodedata.normalize("NFKC", text[start:end]).translate(_EQUIVALENTS):
            if char.isspace():
                if out and out[-1] == " ":
                    ends[-1] = end
                    continue
                char = " "
            out.append(char)
            starts.append(start)
            ends.append(end)
    return NormalizedText("".join(out), tuple(starts), tuple(ends))


def normalize_quote(quote: str) -> str:
    """The normalised form of a quote, without surrounding white space."""
    return normalize_for_matching(quote).text.strip()


def find_quote(source: str, quote: str) -> tuple[int, int] | None:
    """Return the (start, end) offsets of ``quote`` in ``source``, or None when absent."""
    needle = normalize_quote(quote)
    if not needle:
        return None
    haystack = normalize_for_matching(source)
    position = haystack.text.find(needle)
    if position < 0:
        return None
    return haystack.starts[position], haystack.ends[position + len(needle) - 1]


_SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+|\n+")


#: How many passages, those sharing the most words with the quote, difflib compares in full.
_HINT_CANDIDATES = 25
#: difflib's time grows with the product of the lengths it compares, so a hint compares the
#: start of the quote with the start of each passage: enough to point at the right place.
_HINT_QUOTE_CHARS, _HINT_PASSAGE_CHARS = 300, 1_200


def closest_passage(source: str, quote: str, limit: int = 240) -> str:
    """The passage of ``source`` most like ``quote``, as a hint for a quote that was not found."""
    needle = normalize_quote(quote)[:_HINT_QUOTE_CHARS]
    passages = _passages(source)
    if not needle or not passages:
        return ""
    # difflib's ratio is slow on a long source: first keep the passages with the most words in
    # common with the quote (set intersections, fast), then compare only those in full.
    words = set(needle.split())
    likely = heapq.nlargest(_HINT_CANDIDATES, passages, key=lambda p: len(words & p[2]))
    # difflib indexes its second sequence: the quote, once, compared with every passage.
    matcher = difflib.SequenceMatcher(None, b=needle, autojunk=False)
    best, best_score = "", -1.0
    for candidate, normalized, _ in likely:
        matcher.set_seq1(normalized[:_HINT_PASSAGE_CHARS])
        if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
            continue
        score = matcher.ratio()
        if score > best_score:
            best, best_score = candidate, score
    return best if len(best) <= limit else best[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=2)
def _passages(source: str) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """Each sentence and each pair of neighbouring sentences: as written, normalized, and its
    words. Built once per source, since an upload with many wrong quotes asks for hints in the
    same text."""
    sentences = [s.strip() for s in _SENTENCE_END.split(source) if s.strip()]
    candidates = sentences + [f"{a} {b}" for a, b in itertools.pairwise(sentences)]
    normalized = [normalize_quote(candidate) for candidate in candidates]
    return tuple(
        (candidate, text, frozenset(text.split()))
        for candidate, text in zip(candidates, normalized, strict=True)
    )


@dataclass(frozen=True)
class Segment:
    """A run of source text, marked as evidence (``mark`` is its 1-based number) or not."""

    text: str
    mark: int | None = None


def highlight_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[list[Segment]]:
    """Split ``text`` into paragraphs of segments, marking the given character spans.

    A span that crosses a paragraph break is marked in each paragraph it touches, so the
    markup stays well formed.
    """
    paragraphs: list[list[Segment]] = []
    for match in re.finditer(r"[^\n]+", text):
        p_start, p_end = match.span()
        if not text[p_start:p_end].strip():
            continue
        segments: list[Segment] = []
        cursor = p_start
        for number, (start, end) in sorted(
            ((n, s) for n, s in enumerate(spans, start=1)), key=lambda item: item[1][0]
        ):
            start, end = max(start, cursor), min(end, p_end)
            if start >= end:
                continue
            if start > cursor:
                segments.append(Segment(text[cursor:start]))
            segments.append(Segment(text[start:end], number))
            cursor = end
        if cursor < p_end:
            segments.append(Segment(text[cursor:p_end]))
        paragraphs.append(segments)
    return paragraphs
