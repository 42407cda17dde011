"""Find evidence quotes in source texts, and split a source into highlighted paragraphs.

Quotes are compared after the normalisation the question-set format defines: Unicode NFKC,
curly quotes read as straight ones, en and em dashes read as a hyphen, and runs of white space
read as one space. Case and every other character must match.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import itertools
import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

_EQUIVALENTS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_WHITE_SPACE = re.compile(r"\s+")
#: Characters normalised at a time when only the normalised length is wanted.
_LENGTH_CHUNK = 4096


@dataclass(frozen=True)
class NormalizedText:
    """A normalised text and, for each of its characters, the span it came from."""

    text: str
    #: Machine integers, not a tuple of int objects: a 400,000-character text would hold 30 MB.
    starts: array[int]
    ends: array[int]


def _clusters(text: str) -> list[tuple[int, int]]:
    """Split into a base character plus its combining marks, the unit NFKC can compose."""
    spans: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            spans.append((start, index))
            start = index
    return spans if text else []


@lru_cache(maxsize=16)
def normalize_for_matching(text: str) -> NormalizedText:
    """Normalise ``text`` for quote matching, keeping a map back to the original offsets."""
    out: list[str] = []
    starts: array[int] = array("l")
    ends: array[int] = array("l")
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
    return NormalizedText("".join(out), starts, ends)


def normalized_length_exceeds(text: str, limit: int) -> bool:
    """Whether ``text`` is longer than ``limit`` characters under NFKC, measured piece by piece
    (and stopping once it is), so a text that grows many times is never built whole."""
    total = 0
    for start in range(0, len(text), _LENGTH_CHUNK):
        total += len(unicodedata.normalize("NFKC", text[start : start + _LENGTH_CHUNK]))
        if total > limit:
            return True
    return False


def normalize_quote(quote: str) -> str:
    """The normalised form of a quote, without surrounding white space.

    The same text as ``normalize_for_matching(quote).text.strip()``, without the offsets,
    which a quote does not need.
    """
    composed = "".join(
        unicodedata.normalize("NFKC", quote[start:end]) for start, end in _clusters(quote)
    )
    return _WHITE_SPACE.sub(" ", composed.translate(_EQUIVALENTS)).strip()


def find_quote(source: str, quote: str) -> tuple[int, int] | None:
    """Return the (start, end) offsets of ``quote`` in ``source``, or None when absent."""
    haystack = normalize_for_matching(source)
    # A quote that grows past the normalised source cannot be in it, even once its runs of white
    # space are collapsed (they are at most its own length): do not build it.
    if normalized_length_exceeds(quote, len(quote) + len(haystack.text)):
        return None
    needle = normalize_quote(quote)
    if not needle:
        return None
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
    # The words in common come first: a ratio alone favours a short passage over the longer
    # sentence that holds the quote's words ("The cow sat" is nearer "The cat sat on the
    # mat." than "The dog barked."). Among passages sharing as many words, the ratio decides.
    best, best_score = "", (-1, -1.0)
    for candidate, normalized, passage_words in likely:
        shared = len(words & passage_words)
        if shared < best_score[0]:
            continue
        matcher.set_seq1(normalized[:_HINT_PASSAGE_CHARS])
        if shared == best_score[0] and (
            matcher.real_quick_ratio() <= best_score[1] or matcher.quick_ratio() <= best_score[1]
        ):
            continue
        score = (shared, matcher.ratio())
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


@lru_cache(maxsize=16)
def paragraph_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) offsets of each paragraph (a run of text between line breaks that is not
    only white space), found once per text, in order."""
    return tuple(
        match.span() for match in re.finditer(r"[^\n]+", text) if not match.group().isspace()
    )


def highlight_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[list[Segment]]:
    """Split ``text`` into paragraphs of segments, marking the given character spans.

    A span that crosses a paragraph break is marked in each paragraph it touches, so the
    markup stays well formed. The spans are sorted once and walked with the paragraphs, so the
    work grows with the text plus the spans, not with their product.
    """
    ordered = sorted(enumerate(spans, start=1), key=lambda item: item[1][0])
    paragraphs: list[list[Segment]] = []
    first = 0  # the first span that may still reach the current paragraph
    for p_start, p_end in paragraph_bounds(text):
        while first < len(ordered) and ordered[first][1][1] <= p_start:
            first += 1
        segments: list[Segment] = []
        cursor = p_start
        for number, (start, end) in ordered[first:]:
            if start >= p_end:
                break
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


def evidence_excerpt(
    text: str, span: tuple[int, int], context: int, longest_mark: int
) -> list[Segment]:
    """The quote at ``span`` marked in its paragraph, with at most ``context`` characters of the
    paragraph on each side; a mark longer than ``longest_mark`` shows its start and its end.

    The paragraph is found from offsets computed once per text, so each excerpt costs its own
    length, however long the source and however many quotes it has.
    """
    start, end = span
    bounds = paragraph_bounds(text)
    starts = _paragraph_starts(text)
    first = max(0, bisect.bisect_right(starts, start) - 1)
    last = max(0, bisect.bisect_right(starts, max(start, end - 1)) - 1)
    p_start, p_end = (bounds[first][0], bounds[last][1]) if bounds else (0, len(text))
    before_start = max(p_start, start - context)
    after_end = min(p_end, end + context)
    segments: list[Segment] = []
    if before_start < start:
        lead = "…" if before_start > p_start else ""
        segments.append(Segment(lead + _one_line(text[before_start:start])))
    if end - start > longest_mark:
        half = longest_mark // 2
        segments.append(Segment(_one_line(text[start : start + half]), 1))
        segments.append(Segment(" … "))
        segments.append(Segment(_one_line(text[end - half : end]), 1))
    else:
        segments.append(Segment(_one_line(text[start:end]), 1))
    if end < after_end:
        trail = "…" if after_end < p_end else ""
        segments.append(Segment(_one_line(text[end:after_end]) + trail))
    return segments


@lru_cache(maxsize=16)
def _paragraph_starts(text: str) -> tuple[int, ...]:
    return tuple(bound[0] for bound in paragraph_bounds(text))


def _one_line(text: str) -> str:
    """An excerpt's text with its line breaks read as spaces (it is shown as one passage)."""
    return text.replace("\n", " ")
