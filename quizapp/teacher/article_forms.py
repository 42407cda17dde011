"""Forms of the article pages: bringing a news story in, and reviewing the questions drafted
from it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FieldList, FormField, HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from ..domain.articles import ARTICLE_SUFFIXES, written_date
from ..domain.i18n import gettext, lazy_gettext
from ..domain.limits import MAX_ARTICLE_BYTES, MAX_NAME_CHARS, MAX_TITLE_CHARS, describe_bytes
from ..i18n import page_language

#: The longest citation field a teacher types (a URL can be long; names and titles are not).
MAX_URL_CHARS = 2_000


def _stripped(text: str | None) -> str | None:
    return text.strip() if text else text


def _iso_date(text: str | None) -> str | None:
    """A date written as a story prints it ("June 18, 2025") as YYYY-MM-DD; other text as it
    is, for the validator to check."""
    text = _stripped(text)
    # Numbers alone are read as the teacher's language writes them: 3/12 is March 12 in
    # English, 3 December in Spanish.
    day_first = not page_language().startswith("en")
    return (written_date(text, day_first=day_first) or text) if text else text


def _citation(label: str, description: str = "", limit: int = MAX_TITLE_CHARS) -> StringField:
    return StringField(
        label,
        validators=[
            Length(
                max=limit,
                message=lazy_gettext("Use at most %(limit)s characters.", limit=format(limit, ",")),
            )
        ],
        filters=[_stripped],
        description=description,
    )


class ArticleForm(FlaskForm):
    """An article: its text pasted or read from a file, and where it came from."""

    article_file = FileField(
        lazy_gettext("Article file (optional)"),
        description=lazy_gettext(
            "A .txt, .md, .html (a page saved from the browser), .docx or .pdf file, at most "
            "%(size)s. Its text appears below for you to check.",
            size=describe_bytes(MAX_ARTICLE_BYTES),
        ),
        render_kw={
            "accept": ",".join(ARTICLE_SUFFIXES),
            # For the page script, which refuses a file too large before it is sent.
            "data-max-bytes": str(MAX_ARTICLE_BYTES),
            "data-max-size": describe_bytes(MAX_ARTICLE_BYTES),
        },
    )
    # Not limited here: domain.articles refuses an article over the source limit with a
    # message that says what to do, and the request's size is bounded by MAX_CONTENT_LENGTH.
    text = TextAreaField(
        lazy_gettext("Article text"),
        description=lazy_gettext(
            "Paste the story here, or upload its file above. Paragraphs are separated by a "
            "blank line: join or split them, and cut what the quiz is not about."
        ),
        render_kw={"rows": 18, "spellcheck": "false"},
    )
    title = _citation(
        lazy_gettext("Title"),
        lazy_gettext("The headline. It is also the title of the question set."),
    )
    publisher = _citation(lazy_gettext("Publisher"), lazy_gettext("For example Voice of America."))
    author = _citation(lazy_gettext("Author"), limit=MAX_NAME_CHARS * 2)
    published = StringField(
        lazy_gettext("Date published"),
        validators=[
            Optional(),
            Regexp(
                r"\d{4}-\d{2}-\d{2}\Z",
                message=lazy_gettext("Write the date as YYYY-MM-DD, e.g. 2025-02-04."),
            ),
        ],
        filters=[_iso_date],
        description=lazy_gettext("YYYY-MM-DD, or as the story prints it (June 18, 2025)."),
        render_kw={"placeholder": "YYYY-MM-DD", "inputmode": "numeric"},
    )
    url = _citation(lazy_gettext("Web address (URL)"), limit=MAX_URL_CHARS)
    #: A digest of the text as the page showed it, so that a "Remove" press on a paragraph
    #: whose text was edited meanwhile removes nothing by mistake.
    shown = HiddenField()

    def validate_url(self, field: StringField) -> None:
        """A web address starts with http:// or https://."""
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(gettext("Start the address with https:// or http://."))


class SpeakerForm(FlaskForm):
    """One row of the "Who is quoted" panel: the quotation's place and its speaker."""

    class Meta:
        csrf = False  # a part of SpeakersForm, which has the token

    start = HiddenField()
    speaker = StringField(
        lazy_gettext("Speaker"),
        validators=[
            Length(
                max=MAX_NAME_CHARS,
                message=lazy_gettext("Use at most %(limit)s characters.", limit=MAX_NAME_CHARS),
            )
        ],
        filters=[_stripped],
    )


class SpeakersForm(FlaskForm):
    """The teacher's corrections of who said each quotation."""

    quotations = FieldList(FormField(SpeakerForm))
