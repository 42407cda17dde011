"""Template filters and globals that turn domain values into readable text."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, request, url_for
from markupsafe import Markup, escape

from .domain.grading import CORRECT, INCORRECT, PARTLY_CORRECT, PENDING, UNANSWERED
from .domain.limits import MAX_SHORT_ANSWER_CHARS, MAX_WRITTEN_RESPONSE_CHARS, QUICK_ROUND_ITEMS
from .domain.model import SHORT_ANSWER, Question
from .domain.question_types import REGISTRY, type_of
from .domain.question_types.written_response import count_words
from .domain.rich_text import plain_text, render_text, split_prompt
from .media.shown import ImageUrls, page_images
from .models.types import utcnow
from .state import app_state

#: Words and symbols that go with the colour of an outcome, so colour is never the only cue.
OUTCOME_LABELS = {
    CORRECT: ("✓", "Correct"),
    PARTLY_CORRECT: ("◐", "Partly correct"),
    INCORRECT: ("✗", "Incorrect"),
    UNANSWERED: ("–", "Not answered"),
    PENDING: ("⏳", "Waiting for your teacher"),
}

#: What each question type asks the student to do, from the registry.
TYPE_HINTS = {name: kind.hint for name, kind in REGISTRY.items()}


def also_accepted(question: Question) -> list[str]:
    """The answers accepted besides the one shown as the key (a short answer's alternatives)."""
    if question.type != SHORT_ANSWER:
        return []
    return list(question.answer[1:])


def answer_lines(question: Question, answer: Any) -> list[str]:
    """An answer (the student's or the key) as lines of plain text."""
    if answer is None or answer in ("", [], {}):
        return []
    return type_of(question).answer_lines(question, answer)


def rich(
    text: Any,
    question: Question,
    inline: bool = True,
    images: dict[str, str] | ImageUrls | None = None,
) -> Markup:
    """A text of the question (prompt, choice, feedback, explanation) in its format, as safe
    HTML: the one way every page shows question text. ``inline`` keeps it fit for a heading,
    a label or a paragraph; ``images`` maps the set's image files to their URLs (by default,
    those of the set the page shows)."""
    if question.text_format == "plain":
        return escape(str(text or ""))  # exactly as the pages have always escaped it
    # Safe by construction: render_text's output has passed the nh3 allowlist.
    found = images if images is not None else page_images()
    html = render_text(
        str(text or ""),
        question.text_format,
        inline=inline,
        image_url=found.get if found is not None else None,
    )
    return Markup(html)  # noqa: S704


def prompt_parts(
    question: Question, images: dict[str, str] | ImageUrls | None = None
) -> tuple[Markup, Markup | None]:
    """The prompt as (heading, body): the heading fits in a heading, a label or a legend; the
    body holds the lists, tables and further paragraphs that must be shown as blocks below it,
    or None when there are none (then the heading is exactly ``rich(question.prompt)``)."""
    if question.text_format == "plain":
        return rich(question.prompt, question), None
    found = images if images is not None else page_images()
    heading, body = split_prompt(
        str(question.prompt or ""),
        question.text_format,
        image_url=found.get if found is not None else None,
    )
    # Safe by construction: both parts are cut from output that has passed the nh3 allowlist.
    return Markup(heading), None if body is None else Markup(body)  # noqa: S704


def plain(text: Any, question: Question) -> str:
    """A text of the question without markup, for places that hold text only (a select)."""
    return plain_text(str(text or ""), question.text_format)


def answer_text(line: Any, question: Question) -> Markup:
    """One line of an answer: choices in the question's format, typed answers as typed."""
    if type_of(question).form in ("text", "written"):
        return escape(str(line))
    return rich(line, question)


def answer_feedback(question: Question, response: Any) -> list[str]:
    """The feedback written for the answer this student gave (never shown to others)."""
    if response is None or response in ("", [], {}):
        return []
    return type_of(question).feedback(question, response)


def word_count(text: Any) -> int:
    """The words of a written answer, counted as the grader counts them."""
    return count_words(text) if isinstance(text, str) else 0


def format_points(value: float | None) -> str:
    """Points without needless decimals: 3, 2.5, 0.33."""
    if value is None:
        return "–"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_percent(value: float | None) -> str:
    """A percentage rounded to a whole number."""
    return "–" if value is None else f"{round(value)}%"


def format_datetime(value: datetime | None) -> str:
    """A UTC time as '2026-11-28 14:05 UTC'."""
    return "–" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def local_time(value: datetime | None, zone: str = "UTC") -> str:
    """A UTC time shown in a class's time zone: '2026-12-01 09:00 (America/New_York)'."""
    if value is None:
        return "–"
    try:
        local = value.astimezone(ZoneInfo(zone))
    except (ValueError, KeyError, OSError):
        local, zone = value, "UTC"
    return f"{local:%Y-%m-%d %H:%M} ({zone})"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def friendly_time(
    value: datetime | None, zone: str = "UTC", now: datetime | None = None, capital: bool = False
) -> str:
    """A time as people say it, in a class's time zone: 'tomorrow 3:00 PM CST', 'Friday
    9:00 AM CST', 'Monday, January 4 8:30 AM CST'; within the hour also '(in 20 minutes)'."""
    if value is None:
        return "–"
    tz = _zone(zone)
    now = now or utcnow()
    local, today = value.astimezone(tz), now.astimezone(tz).date()
    days = (local.date() - today).days
    if days == 0:
        day = "today"
    elif days == 1:
        day = "tomorrow"
    elif days == -1:
        day = "yesterday"
    elif 1 < days < 7:
        day = f"{local:%A}"
    else:
        day = f"{local:%A, %B} {local.day}" + (
            f", {local.year}" if local.year != today.year else ""
        )
    clock = f"{local:%I:%M %p}".lstrip("0")
    text = f"{day} {clock} {local:%Z}"
    minutes = (value - now).total_seconds() / 60
    if 0 < minutes < 60:
        text += f" (in {max(1, int(minutes))} minute{'' if int(minutes) <= 1 else 's'})"
    return text[:1].upper() + text[1:] if capital else text


def time_left(deadline: datetime | None) -> str:
    """Whole minutes (or seconds, under a minute) until ``deadline``."""
    if deadline is None:
        return ""
    seconds = max(0, int((deadline - utcnow()).total_seconds()))
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


#: Fixed URLs remembered per app, at most this many (one set per mount point of the app).
_FIXED_URLS_KEPT = 256


def fixed_url(endpoint: str, **values: str) -> str:
    """``url_for`` of a URL that cannot change while the app runs (static files, menu links).

    The layout builds several on every page; each is built once per mount point instead.
    """
    known = app_state().fixed_urls
    key = (request.script_root, endpoint, *sorted(values.items()))
    url = known.get(key)
    if url is None:
        if len(known) >= _FIXED_URLS_KEPT:
            known.clear()
        url = known[key] = url_for(endpoint, **values)
    return url


def init_app(app: Flask) -> None:
    """Register the filters and globals."""
    app.add_template_filter(answer_lines)
    app.add_template_filter(also_accepted)
    app.add_template_filter(word_count)
    app.add_template_filter(rich)
    app.add_template_filter(plain)
    app.add_template_filter(prompt_parts)
    app.add_template_filter(answer_text)
    app.add_template_filter(answer_feedback)
    app.add_template_filter(format_points, "points")
    app.add_template_filter(format_percent, "percent")
    app.add_template_filter(format_datetime, "when")
    app.add_template_filter(local_time)
    app.add_template_filter(time_left)
    app.add_template_filter(friendly_time)
    app.add_template_global(fixed_url)
    app.add_template_global(OUTCOME_LABELS, "OUTCOME_LABELS")
    app.add_template_global(TYPE_HINTS, "TYPE_HINTS")
    app.add_template_global(QUICK_ROUND_ITEMS, "QUICK_ROUND_ITEMS")
    app.add_template_global(MAX_SHORT_ANSWER_CHARS, "MAX_SHORT_ANSWER_CHARS")
    app.add_template_global(MAX_WRITTEN_RESPONSE_CHARS, "MAX_WRITTEN_RESPONSE_CHARS")
