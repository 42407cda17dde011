"""The YAML mistakes teachers make, told in plain words instead of the parser's own.

PyYAML says "mapping values are not allowed here" for a colon inside a value; a teacher needs
to hear "text with a colon needs quotes" and see the line written the right way. Problems not
recognised here keep the parser's words.
"""

from __future__ import annotations

import re

import yaml

from .i18n import gettext

#: ``key: value`` at the start of a line (after any "- "), with the key and value apart. Each
#: part is told from the next by one character, so matching is linear on any line.
_KEY_VALUE = re.compile(
    r"^(?P<indent>[ \t]*(?:-[ \t]+)?)(?P<key>[\w-]+):(?:[ \t]+(?P<value>[^ \t].*))?$"
)
#: ``key: "quoted" and more``: text after the closing quote.
_TEXT_AFTER_QUOTE = re.compile(r"""^[ \t]*(?:-[ \t]+)?[\w-]+:[ \t]+(["'])[^"']*\1[ \t]*[^ \t]""")


def plain_yaml_problem(error: yaml.MarkedYAMLError, text: str) -> tuple[str, int | None]:
    """The parser's error as a plain sentence that says how to fix it, with its line."""
    problem = error.problem or ""
    context = error.context or ""
    lines = text.split("\n")
    problem_line = error.problem_mark.line + 1 if error.problem_mark else None
    context_line = error.context_mark.line + 1 if error.context_mark else None

    def line_text(number: int | None) -> str:
        return lines[number - 1] if number and number <= len(lines) else ""

    if "quoted scalar" in context and "end of stream" in problem:
        return (
            gettext(
                "a quote that starts a value here is never closed; end the text with the same "
                "quote mark it starts with"
            ),
            context_line,
        )
    if "found character '\\t'" in problem:
        return (
            gettext(
                "a tab is used here; YAML indents with spaces only, so replace the tab with spaces"
            ),
            problem_line,
        )
    if "mapping values are not allowed" in problem:
        return _colon_or_indent(line_text(problem_line), line_text((problem_line or 1) - 1)), (
            problem_line
        )
    if "cannot start any token" in problem:
        found = re.search(r"found character '(.)'", problem)
        mark = found.group(1) if found else gettext("this character")
        return (
            gettext("a value cannot start with %(mark)s; put the whole text in quotes", mark=mark)
            + _quoted_hint(line_text(problem_line)),
            problem_line,
        )
    if "flow" in context:
        return (
            gettext(
                "a value that starts with { or [ is read as a list; put the whole text in quotes"
            )
            + _quoted_hint(line_text(context_line)),
            context_line,
        )
    if "expected <block end>" in problem or "expected key" in problem:
        previous = (problem_line or 1) - 1
        if _dash_without_space(line_text(previous)):  # "-id: q1" is a key, not a list entry
            return _misplaced_line(line_text(previous)), previous
        return _misplaced_line(line_text(problem_line)), problem_line
    said = problem or context or gettext("the file is not valid YAML")
    return gettext("YAML syntax error: %(problem)s", problem=said), (problem_line or context_line)


def _colon_or_indent(line: str, previous: str) -> str:
    """A second colon on a ``key: value`` line is a colon in the text; else the line is indented
    deeper than the value above, which YAML reads as that value going on."""
    found = _KEY_VALUE.match(line)
    if found and ":" in (found.group("value") or ""):
        return gettext("text with a colon needs quotes") + _quoted_hint(line)
    if _indent(line) > _indent(previous):
        return gettext(
            "this line is indented more than the line above it; the keys of one question must "
            "start in the same column"
        )
    return gettext("text with a colon needs quotes") + _quoted_hint(line)


def _dash_without_space(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("-") and not stripped.startswith(("- ", "---")) and stripped != "-"


def _misplaced_line(line: str) -> str:
    if _dash_without_space(line):
        return gettext("put a space after the '-' that starts a list entry, as in '- id: q1'")
    if _TEXT_AFTER_QUOTE.match(line):
        return gettext(
            "there is text after the closing quote; put the whole value in quotes, and write a "
            "quote inside it as \\\" (or quote the value with ' instead)"
        )
    return gettext(
        "this line is not indented like the lines around it; the keys of one question must start "
        "in the same column, under the first key after its '- ' (use spaces, not tabs)"
    )


def _quoted_hint(line: str) -> str:
    """``: write `prompt: "..."` `` for the line's own key and text, when the line has both."""
    found = _KEY_VALUE.match(line)
    if not found or not found.group("value"):
        return ""
    value = found.group("value").strip().replace("\\", "\\\\").replace('"', '\\"')
    return gettext(': write `%(key)s: "%(value)s"`', key=found.group("key"), value=value)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
