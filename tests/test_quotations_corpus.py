"""The quotation finder measured on real, openly licensed news articles with hand-made keys.

Each tests/data/articles/NAME.txt has a NAME.keys.json: its source, licence and attribution, and
every quotation it holds (a few words of it), with its speaker and whether it is speech. The
numbers are reported in docs/drafting.md.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from quizapp.domain.quotations import Quotation, find_quotations

ARTICLES = Path(__file__).parent / "data" / "articles"


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    for curly, straight in (("“", '"'), ("”", '"'), ("’", "'"), ("‘", "'")):
        folded = folded.replace(curly, straight)
    return " ".join(folded.split())


def _same_speaker(found: str | None, expected: str | None) -> bool:
    if found is None or expected is None:
        return found == expected
    a, b = found.casefold(), expected.casefold()
    return a.split()[-1] == b.split()[-1] and (a in b or b in a)


def corpus() -> list[tuple[str, str, dict]]:
    """(name, text, keys) for every article of the corpus."""
    items = []
    for keys_path in sorted(ARTICLES.glob("*.keys.json")):
        keys = json.loads(keys_path.read_text(encoding="utf-8"))
        name = keys_path.name.removesuffix(".keys.json")
        text_path = ARTICLES / keys.get("file", f"{name}.txt")
        items.append((name, text_path.read_text(encoding="utf-8"), keys))
    return items


def _pair(found: tuple[Quotation, ...], keys: dict) -> list[tuple[dict, Quotation | None]]:
    """Each key quotation with the found quotation that holds its words (None if none)."""
    pairs = []
    used: set[int] = set()
    for key in keys["quotations"]:
        match = None
        for index, quotation in enumerate(found):
            if index not in used and _plain(key["quote"]) in _plain(quotation.quote):
                match = quotation
                used.add(index)
                break
        pairs.append((key, match))
    return pairs


def scores() -> dict[str, float | int]:
    """Speaker precision and recall over the corpus, and the counts behind them."""
    named = right = attributed = attributed_right = unkeyed = 0
    for _, text, keys in corpus():
        found = find_quotations(text)
        pairs = _pair(found, keys)
        matched = {id(q) for _, q in pairs if q is not None}
        unkeyed += sum(1 for q in found if id(q) not in matched and q.speaker is not None)
        for key, quotation in pairs:
            expected = key["speaker"] if key["speech"] else None
            if expected is not None:
                named += 1
                right += bool(quotation and _same_speaker(quotation.speaker, expected))
            if quotation is not None and quotation.speaker is not None:
                attributed += 1
                attributed_right += _same_speaker(quotation.speaker, expected)
    attributed += unkeyed
    return {
        "articles": len(corpus()),
        "quotations_with_named_speaker": named,
        "recall": right / named,
        "attributed": attributed,
        "precision": attributed_right / attributed,
    }


def test_the_corpus_has_eight_licensed_articles_with_keys():
    """Every article states its licence and source, and every key quote occurs in it."""
    items = corpus()
    assert len(items) >= 8
    for name, text, keys in items:
        assert keys["licence"] and keys["attribution"], name
        for key in keys["quotations"]:
            assert _plain(key["quote"]) in _plain(text), (name, key["quote"])


def test_speaker_precision_and_recall_on_the_corpus():
    """Precision >= 0.90 of the speakers given, recall >= 0.80 of quotations with a named one."""
    result = scores()
    assert result["precision"] >= 0.90, result
    assert result["recall"] >= 0.80, result


def test_every_keyed_quotation_is_found_and_terms_are_not_speech():
    """Scare quotes and titles in the corpus are found but never given a speaker."""
    for name, text, keys in corpus():
        for key, quotation in _pair(find_quotations(text), keys):
            assert quotation is not None, (name, key["quote"])
            if not key["speech"]:
                assert not quotation.is_speech and quotation.speaker is None, (name, key)


if __name__ == "__main__":
    print(scores())
