"""YAML mistakes told in plain words, each with its line and the fix."""

from __future__ import annotations

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import parse_upload

HEAD = "format: quizapp/1\nid: plain-words\ntitle: Plain words\nquestions:\n"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            "  - id: q1\n    prompt: The rule: no one out after ten\n",
            6,
            'text with a colon needs quotes: write `prompt: "The rule: no one out after ten"`',
        ),
        (
            '  - id: q1\n    prompt: He said: "home by ten"\n',
            6,
            'text with a colon needs quotes: write `prompt: "He said: \\"home by ten\\""`',
        ),
        (
            "  - id: q1\n\ttype: true_false\n",
            6,
            "a tab is used here; YAML indents with spaces only, so replace the tab with spaces",
        ),
        (
            "  - id: q1\n    prompt: Who?\n   type: true_false\n",
            7,
            "this line is not indented like the lines around it",
        ),
        (
            "  - id: q1\n    prompt: Who?\n      type: true_false\n",
            7,
            "this line is indented more than the line above it",
        ),
        (
            '  - id: q1\n    prompt: "Who said it?\n    type: true_false\n',
            6,
            "a quote that starts a value here is never closed",
        ),
        ("  -id: q1\n  - id: q2\n", 5, "put a space after the '-' that starts a list entry"),
        (
            '  - id: q1\n    prompt: "Home" by ten\n',
            6,
            "there is text after the closing quote",
        ),
        (
            "  - id: q1\n    prompt: @mayor said so\n",
            6,
            'a value cannot start with @; put the whole text in quotes: write `prompt: "@mayor',
        ),
    ],
)
def test_common_yaml_mistakes_are_told_in_plain_words(body: str, line: int, message: str) -> None:
    with pytest.raises(QuestionSetError) as caught:
        parse_upload("set.yaml", (HEAD + body).encode("utf-8"))
    [issue] = caught.value.issues
    assert message in issue.message
    assert issue.line == line
    assert "mapping values" not in issue.message and "token" not in issue.message
