"""Help pages: the question-set format document, served as the teachers' reference."""

from __future__ import annotations

from functools import cache

from flask import Blueprint, render_template

from ..domain.markdown_blocks import Block, parse_blocks
from ..shipped import shipped_folder

bp = Blueprint("help", __name__, url_prefix="/help")

FORMAT_DOCUMENT = shipped_folder("docs") / "question-format.md"


@cache
def _format_blocks() -> list[Block]:
    return parse_blocks(FORMAT_DOCUMENT.read_text(encoding="utf-8"))


@bp.get("/question-format")
def question_format() -> str:
    """The question-set file format, for teachers writing their own sets."""
    return render_template(
        "help/document.html", blocks=_format_blocks(), title="The question-set file format"
    )
