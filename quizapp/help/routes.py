"""Help pages: the teachers' guide with its spreadsheet templates, and the format reference."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, Response, render_template

from ..domain.markdown_blocks import Block, parse_blocks
from ..domain.spreadsheet_template import (
    EXAMPLE_ARTICLE,
    EXAMPLE_ARTICLE_NAME,
    template_csv,
    template_xlsx,
)
from ..shipped import shipped_folder

bp = Blueprint("help", __name__, url_prefix="/help")

FORMAT_DOCUMENT = shipped_folder("docs") / "question-format.md"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@cache
def _format_blocks() -> list[Block]:
    return parse_blocks(FORMAT_DOCUMENT.read_text(encoding="utf-8"))


@bp.get("")
def index() -> str:
    """The teachers' guide: writing in the browser, bringing in an article, spreadsheets."""
    return render_template("help/index.html", article_name=EXAMPLE_ARTICLE_NAME)


@bp.get("/question-format")
def question_format() -> str:
    """The question-set file format, for teachers writing their own sets."""
    return render_template(
        "help/document.html", blocks=_format_blocks(), title="The question-set file format"
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
    return _download(
        EXAMPLE_ARTICLE.encode("utf-8"), "text/plain; charset=utf-8", EXAMPLE_ARTICLE_NAME
    )


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
