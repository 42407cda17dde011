"""Help pages: the teachers' guide with its spreadsheet templates, and the format reference."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, render_template
from flask_babel import get_locale

from ..domain.i18n import gettext
from ..domain.markdown_blocks import Block, parse_blocks
from ..domain.spreadsheet_template import (
    EXAMPLE_ARTICLE,
    EXAMPLE_ARTICLE_NAME,
    template_csv,
    template_xlsx,
)
from ..shipped import shipped_folder

bp = Blueprint("help", __name__, url_prefix="/help")

DOCS = shipped_folder("docs")
#: The format document in English; a translation is docs/<language>/question-format.md.
FORMAT_DOCUMENT = DOCS / "question-format.md"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def format_document(language: str) -> tuple[str, Path]:
    """The format document in ``language`` and its language: English when it has no translation."""
    translated = DOCS / language / FORMAT_DOCUMENT.name
    if language != "en" and language.isalpha() and translated.is_file():
        return language, translated
    return "en", FORMAT_DOCUMENT


# One entry per interface language (the locale selector offers only those), read once each.
@lru_cache(maxsize=16)
def _format_blocks(language: str) -> tuple[str, list[Block]]:
    document_language, path = format_document(language)
    return document_language, parse_blocks(path.read_text(encoding="utf-8"))


@bp.get("")
def index() -> str:
    """The teachers' guide: writing in the browser, bringing in an article, spreadsheets."""
    return render_template("help/index.html", article_name=EXAMPLE_ARTICLE_NAME)


@bp.get("/question-format")
def question_format() -> str:
    """The question-set file format, for teachers writing their own sets, in their language."""
    locale = get_locale()
    interface_language = locale.language if locale else "en"
    document_language, blocks = _format_blocks(interface_language)
    return render_template(
        "help/document.html",
        blocks=blocks,
        # An interface language without its own document reads the English one, marked as such
        # so that screen readers read it in English.
        other_language=document_language if document_language != interface_language else None,
        title=gettext("The question-set file format"),
    )


@bp.get("/templates/question-template.csv")
def template_csv_file() -> Response:
    """The CSV template: a header row and an example row of each question type."""
    return _download(template_csv().encode("utf-8"), "text/csv", "question-template.csv")


@bp.get("/templates/question-template.xlsx")
def template_xlsx_file() -> Response:
    """The same template as an Excel workbook."""
    return _download(template_xlsx(), XLSX_TYPE, "question-template.xlsx")


@bp.get("/templates/example-article.txt")
def example_article() -> Response:
    """The article the template's evidence quotes come from, to upload with it."""
    # Werkzeug adds "; charset=utf-8" to every text type itself.
    return _download(EXAMPLE_ARTICLE.encode("utf-8"), "text/plain", EXAMPLE_ARTICLE_NAME)


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
