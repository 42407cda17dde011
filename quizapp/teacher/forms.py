"""Forms of the teacher pages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..domain.i18n import gettext, lazy_gettext
from ..domain.limits import (
    MAX_FILE_BYTES,
    MAX_QUESTIONS,
    MAX_ROSTER_CHARS,
    MAX_ROSTER_STUDENTS,
    MAX_TITLE_CHARS,
    MAX_XML_FILE_BYTES,
    describe_bytes,
)
from ..domain.validation import SET_ID
from ..models import Assignment, Counting, Mode, ResultsRelease
from ..services.assignments import AssignmentSettings, SettingsProblem
from ..services.classes import time_zone_choices


class ClassForm(FlaskForm):
    """A class's name and time zone."""

    name = StringField(
        lazy_gettext("Class name"),
        validators=[DataRequired(message=lazy_gettext("Name the class.")), Length(max=100)],
    )
    time_zone = SelectField(
        lazy_gettext("Time zone"),
        description=lazy_gettext("Open and close times are entered and shown in this time zone."),
        default="UTC",
        # The script sets a new class's zone to the browser's (see static/js/time-zone.js).
        render_kw={"data-browser-zone": ""},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()


def _stripped(text: str | None) -> str | None:
    return text.strip() if text else text


class UploadForm(FlaskForm):
    """A question-set file, with optional source texts.

    The file is not required of the form: a refused upload's files are kept for the next try
    (the view checks that one is picked or kept). ``own_sets`` are the teacher's sets that the
    upload may become the next version of.
    """

    question_file = FileField(
        lazy_gettext("Question-set file"),
        description=lazy_gettext(
            "A spreadsheet (Excel .xlsx or CSV), YAML or JSON (our format), GIFT or Moodle XML "
            "(from Moodle's question bank), or Aiken. At most %(size)s. "
            "Moodle XML, which carries its images: at most %(xml_size)s.",
            size=describe_bytes(MAX_FILE_BYTES),
            xml_size=describe_bytes(MAX_XML_FILE_BYTES),
        ),
        render_kw={"accept": ".xlsx,.csv,.yaml,.yml,.json,.gift,.txt,.aiken,.xml"},
    )
    source_files = MultipleFileField(
        lazy_gettext("Source texts (optional)"),
        description=lazy_gettext(
            "Plain-text (.txt) or Markdown (.md) files that the evidence quotes come from."
        ),
        render_kw={"accept": ".txt,.md"},
    )
    title = StringField(
        lazy_gettext("Title (optional)"),
        validators=[Length(max=MAX_TITLE_CHARS)],
        filters=[_stripped],
        description=lazy_gettext(
            "For spreadsheets, GIFT and Aiken files, which have no title of their own."
        ),
    )
    skip_invalid = BooleanField(
        lazy_gettext("If some questions have errors, import the valid ones and skip the others"),
        description=lazy_gettext(
            "Each skipped question is listed in the preview, with its line and reason."
        ),
    )
    set_id = StringField(
        lazy_gettext("Set id (optional)"),
        validators=[
            Optional(),
            Regexp(  # WTForms' Regexp only anchors the start
                SET_ID.pattern + r"\Z",
                message=lazy_gettext(
                    "Use 3 to 64 lower-case letters, digits and '-', e.g. unit-3-congress."
                ),
            ),
        ],
        filters=[_stripped],
        description=lazy_gettext(
            "For spreadsheets, GIFT and Aiken files: taken from the file name when left "
            "empty. Use the same id again to publish a new version of your set."
        ),
    )
    version_of = SelectField(
        lazy_gettext("Publish as"),
        description=lazy_gettext(
            "Choose one of your sets to make this upload its next version, whatever the "
            "file is called now."
        ),
        default="",
    )

    def __init__(self, *args: object, own_sets: dict[str, str] | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.version_of.choices = [("", gettext("A new set, or the id in the file"))] + [
            (slug, gettext("A new version of “%(title)s” (%(slug)s)", title=title, slug=slug))
            for slug, title in (own_sets or {}).items()
        ]


def _optional_whole(label: str, description: str, low: int, high: int) -> IntegerField:
    return IntegerField(
        label,
        validators=[
            Optional(),
            # WTForms fills in %(min)s and %(max)s.
            NumberRange(
                min=low,
                max=high,
                message=lazy_gettext("Use a whole number from %(min)s to %(max)s."),
            ),
        ],
        description=description,
    )


class AssignmentForm(FlaskForm):
    """The settings of an assignment."""

    title = StringField(
        lazy_gettext("Title"),
        validators=[
            DataRequired(message=lazy_gettext("Give the assignment a title.")),
            Length(max=200),
        ],
    )
    version_id = SelectField(lazy_gettext("Question set"), coerce=int, validate_choice=True)
    mode = RadioField(
        lazy_gettext("Mode"),
        choices=[
            SelectChoice(
                Mode.PRACTICE,
                lazy_gettext("Practice: right or wrong and the explanation after each answer"),
            ),
            SelectChoice(
                Mode.TEST, lazy_gettext("Test: results after submission, or after the close date")
            ),
        ],
        default=Mode.TEST,
    )
    results_release = RadioField(
        lazy_gettext("For tests, show results"),
        choices=[
            SelectChoice(ResultsRelease.ON_SUBMIT, lazy_gettext("As soon as the student submits")),
            SelectChoice(ResultsRelease.AFTER_CLOSE, lazy_gettext("Only after the close date")),
        ],
        default=ResultsRelease.ON_SUBMIT,
    )
    question_count = _optional_whole(
        lazy_gettext("Number of questions"),
        lazy_gettext(
            "Leave empty for all; a number draws that many at random for each attempt. A Part A"
            " and its Part B count as one question."
        ),
        1,
        MAX_QUESTIONS,
    )
    balance_categories = BooleanField(lazy_gettext("Balance the random draw across categories"))
    time_limit_minutes = _optional_whole(
        lazy_gettext("Time limit in minutes"), lazy_gettext("Leave empty for no limit."), 1, 600
    )
    attempts_allowed = _optional_whole(
        lazy_gettext("Attempts allowed"),
        lazy_gettext("Leave empty for unlimited attempts."),
        1,
        100,
    )
    counting = SelectField(
        lazy_gettext("Which attempt counts"),
        choices=[
            SelectChoice(Counting.BEST, lazy_gettext("The best")),
            SelectChoice(Counting.LAST, lazy_gettext("The last")),
            SelectChoice(Counting.AVERAGE, lazy_gettext("The average")),
        ],
        default=Counting.BEST,
    )
    opens_at = DateTimeLocalField(
        lazy_gettext("Opens (optional)"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )
    closes_at = DateTimeLocalField(
        lazy_gettext("Closes (optional)"), validators=[Optional()], format="%Y-%m-%dT%H:%M"
    )

    def show_problems(self, problems: list[SettingsProblem]) -> None:
        """Show the rules the service found broken beside the settings they concern."""
        for problem in problems:
            field = getattr(self, problem.setting, None)
            (field if field is not None else self.title).errors.append(problem.message)

    def settings(self, time_zone: str, saved: Assignment | None = None) -> AssignmentSettings:
        """The chosen settings, with times converted from the class's time zone to UTC; a time
        left as the form showed it for the ``saved`` assignment keeps its stored instant."""
        return AssignmentSettings(
            title=self.title.data or "",
            version_id=int(self.version_id.data),
            mode=Mode(self.mode.data),
            results_release=ResultsRelease(self.results_release.data),
            question_count=self.question_count.data,
            balance_categories=bool(self.balance_categories.data),
            time_limit_minutes=self.time_limit_minutes.data,
            attempts_allowed=self.attempts_allowed.data,
            counting=Counting(self.counting.data),
            opens_at=_kept_or_utc(self.opens_at.data, time_zone, saved.opens_at if saved else None),
            closes_at=_kept_or_utc(
                self.closes_at.data, time_zone, saved.closes_at if saved else None
            ),
        )


def _to_utc(value: datetime | None, time_zone: str) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(time_zone)).astimezone(ZoneInfo("UTC"))


def _kept_or_utc(
    value: datetime | None, time_zone: str, stored: datetime | None
) -> datetime | None:
    """The typed local time in UTC, or the stored instant when the field still shows it: in the
    hour a clock repeats in autumn, "01:30" names two instants, and a save must not move the
    one it was."""
    if stored is not None and value == to_local_input(stored, time_zone):
        return stored
    return _to_utc(value, time_zone)


def to_local_input(value: datetime | None, time_zone: str) -> datetime | None:
    """A stored UTC time as the naive local time a datetime-local input shows."""
    if value is None:
        return None
    return value.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)


class RosterForm(FlaskForm):
    """Names to create student accounts for: pasted, or a CSV file from the school's system."""

    roster = TextAreaField(
        lazy_gettext("Students"),
        validators=[Length(max=MAX_ROSTER_CHARS)],
        description=lazy_gettext(
            "One name per line (“Ana Garcia” or “Garcia, Ana”), or paste a CSV export with a "
            "header row: columns such as First Name, Last Name or Student Name are found by "
            "their headings. Up to %(count)s students at a time.",
            count=MAX_ROSTER_STUDENTS,
        ),
        render_kw={"rows": 12, "spellcheck": "false"},
    )
    roster_file = FileField(
        lazy_gettext("Or a CSV file (optional)"),
        validators=[
            FileAllowed(["csv", "txt", "tsv"], lazy_gettext("Choose a .csv, .tsv or .txt file."))
        ],
        description=lazy_gettext("Used instead of the box above when you choose one."),
    )


class ClassSettingsForm(FlaskForm):
    """A class's new name or time zone."""

    name = StringField(
        lazy_gettext("Class name"),
        validators=[DataRequired(message=lazy_gettext("Name the class.")), Length(max=100)],
    )
    time_zone = SelectField(
        lazy_gettext("Time zone"),
        description=lazy_gettext(
            "Open and close times are shown in this time zone; moving the class to "
            "another zone keeps them at the same moments."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = time_zone_choices()


class SetNameForm(FlaskForm):
    """The teacher's own name for one of their sets."""

    name = StringField(
        lazy_gettext("Name on your pages"),
        validators=[Length(max=MAX_TITLE_CHARS)],
        filters=[_stripped],
        description=lazy_gettext(
            "Leave it empty to use the title of the newest version. Students see the "
            "title of the version they take."
        ),
    )


class ConfirmDeleteForm(FlaskForm):
    """The second question before a delete: the teacher ticks that they mean it."""

    confirm = BooleanField(
        lazy_gettext("Yes, delete it and everything listed above, for good"),
        validators=[DataRequired(message=lazy_gettext("Tick the box to confirm, or go back."))],
    )
