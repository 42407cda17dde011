"""Template filters and globals that turn domain values into readable text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent
from flask import Flask, has_app_context, has_request_context, request, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from .domain.grading import CORRECT, INCORRECT, PARTLY_CORRECT, PENDING, UNANSWERED
from .domain.i18n import gettext, lazy_gettext, ngettext
from .domain.limits import MAX_SHORT_ANSWER_CHARS, MAX_WRITTEN_RESPONSE_CHARS, QUICK_ROUND_ITEMS
from .domain.model import SHORT_ANSWER, Question
from .domain.question_types import REGISTRY, type_of
from .domain.question_types.short_answer import readable_form
from .domain.question_types.written_response import count_words
from .domain.rich_text import plain_text, render_text, split_prompt
from .domain.time_zones import time_zone_label
from .i18n import environment_language, languages
from .media.shown import ImageUrls, page_images
from .models.types import utcnow
from .state import app_state

#: Words and symbols that go with the colour of an outcome, so colour is never the only cue.
OUTCOME_LABELS = {
    CORRECT: ("✓", lazy_gettext("Correct")),
    PARTLY_CORRECT: ("◐", lazy_gettext("Partly correct")),
    INCORRECT: ("✗", lazy_gettext("Incorrect")),
    UNANSWERED: ("–", lazy_gettext("Not answered")),
    PENDING: ("⏳", lazy_gettext("Waiting for your teacher")),
}

#: Civics Quiz serves U.S. schools: times read on the 12-hour clock of their timetables in every
#: language ("3:00 PM", "3:00 p. m."), with the words of the reader's language.
CLOCK_PATTERN = "h:mm a"


def formatting_locale() -> Locale | None:
    """The Babel locale that formats this page's dates and numbers; None for English, which
    keeps the app's own formats (the ones its pages have always shown)."""
    if has_request_context():
        locale = get_locale()
    elif has_app_context():  # a command
        locale = Locale.parse(environment_language(languages()))
    else:
        return None
    if locale is None or locale.language == "en":
        return None
    return locale


#: What each question type asks the student to do, from the registry.
TYPE_HINTS = {name: kind.hint for name, kind in REGISTRY.items()}


def also_accepted(question: Question) -> list[str]:
    """The answers accepted besides the one shown as the key (a short answer's alternatives)."""
    if question.type != SHORT_ANSWER:
        return []
    return [readable_form(answer) for answer in question.answer[1:]]


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
    """Points without needless decimals: 3, 2.5, 0.33 (in Spanish 2,5)."""
    if value is None:
        return "–"
    locale = formatting_locale()
    if locale is not None:
        return format_decimal(round(value, 2), format="#,##0.##", locale=locale)
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_percent(value: float | None) -> str:
    """A percentage rounded to a whole number: 50% (in Spanish 50 %)."""
    if value is None:
        return "–"
    locale = formatting_locale()
    if locale is not None:
        return babel_percent(round(value) / 100, locale=locale)
    return f"{round(value)}%"


def format_count(value: int) -> str:
    """A whole number with the reader's digit grouping: 20,000 (in Spanish 20.000)."""
    locale = formatting_locale()
    return f"{value:,}" if locale is None else format_decimal(value, locale=locale)


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
    locale = formatting_locale()
    if locale is None:
        return f"{local:%Y-%m-%d %H:%M} ({zone})"
    # The locale's own way of joining a date and a time ("{1}, {0}").
    joined = str(locale.datetime_formats["medium"]).format(
        format_time(local, CLOCK_PATTERN, locale=locale),
        format_skeleton("yMMMd", local, locale=locale),
    )
    return f"{joined} ({zone})"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def friendly_time(
    value: datetime | None, zone: str = "UTC", now: datetime | None = None, capital: bool = False
) -> str:
    """A time as people say it, in a class's time zone: 'tomorrow 3:00 PM CST', 'Friday
    9:00 AM CST', 'Monday, January 4 8:30 AM CST'; within the hour also '(in 20 minutes)'.
    In Spanish: 'mañana 3:00 p. m. CST', 'viernes 9:00 a. m. CST'."""
    if value is None:
        return "–"
    tz = _zone(zone)
    now = now or utcnow()
    local, today = value.astimezone(tz), now.astimezone(tz).date()
    locale = formatting_locale()
    days = (local.date() - today).days
    clock = _clock(local, locale) + f" {local:%Z}"
    if days == 0:
        text = gettext("today %(time)s", time=clock)
    elif days == 1:
        text = gettext("tomorrow %(time)s", time=clock)
    elif days == -1:
        text = gettext("yesterday %(time)s", time=clock)
    else:
        day = _weekday(local, locale) if 1 < days < 7 else _long_date(local, today, locale)
        text = gettext("%(day)s %(time)s", day=day, time=clock)
    minutes = (value - now).total_seconds() / 60
    if 0 < minutes < 60:
        count = max(1, int(minutes))
        soon = ngettext("(in %(num)s minute)", "(in %(num)s minutes)", count)
        text = f"{text} {soon}"
    return text[:1].upper() + text[1:] if capital else text


def _clock(local: datetime, locale: Locale | None) -> str:
    if locale is None:
        return f"{local:%I:%M %p}".lstrip("0")
    return format_time(local, CLOCK_PATTERN, locale=locale)


def _weekday(local: datetime, locale: Locale | None) -> str:
    return f"{local:%A}" if locale is None else format_date(local, "EEEE", locale=locale)


def _long_date(local: datetime, today: date, locale: Locale | None) -> str:
    """'Monday, January 4' (with ', 2027' in another year than today's)."""
    other_year = local.year != today.year
    if locale is None:
        return f"{local:%A, %B} {local.day}" + (f", {local.year}" if other_year else "")
    if other_year:
        return format_date(local, "full", locale=locale)
    return gettext(
        "%(weekday)s, %(date)s",
        weekday=_weekday(local, locale),
        date=format_skeleton("MMMMd", local, locale=locale),
    )


def time_left(deadline: datetime | None) -> str:
    """Whole minutes (or seconds, under a minute) until ``deadline``."""
    if deadline is None:
        return ""
    seconds = max(0, int((deadline - utcnow()).total_seconds()))
    if seconds < 60:
        return ngettext("%(num)s second", "%(num)s seconds", seconds)
    minutes = seconds // 60
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)


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
    app.add_template_filter(format_count, "number")
    app.add_template_filter(format_datetime, "when")
    app.add_template_filter(local_time)
    app.add_template_filter(time_left)
    app.add_template_filter(friendly_time)
    app.add_template_filter(time_zone_label, "zone_label")
    app.add_template_global(fixed_url)
    app.add_template_global(OUTCOME_LABELS, "OUTCOME_LABELS")
    app.add_template_global(TYPE_HINTS, "TYPE_HINTS")
    app.add_template_global(QUICK_ROUND_ITEMS, "QUICK_ROUND_ITEMS")
    app.add_template_global(MAX_SHORT_ANSWER_CHARS, "MAX_SHORT_ANSWER_CHARS")
    app.add_template_global(MAX_WRITTEN_RESPONSE_CHARS, "MAX_WRITTEN_RESPONSE_CHARS")
