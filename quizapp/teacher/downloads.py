"""A set's version downloaded for Moodle: Moodle XML (its question bank's default) and GIFT.

The teacher blueprint's sign-in check covers these pages (it registers this blueprint).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_login import current_user

from ..domain.formats.exporting import Export
from ..models import QuestionSetVersion
from ..services import access, exports, question_sets

bp = Blueprint("downloads", __name__)


def _visible_version(slug: str, number: int) -> QuestionSetVersion:
    question_set = access.visible_set(current_user, slug)
    version = question_sets.version_number(question_set.id, number) if question_set else None
    if version is None:
        abort(404)
    return version


def _attachment(export: Export, mimetype: str, filename: str) -> Response:
    return Response(
        export.text,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/sets/<slug>/versions/<int:number>.xml")
def moodle_xml(slug: str, number: int) -> Response:
    """A version as Moodle XML, with its images, for Moodle's question bank import."""
    export = exports.export_moodle_xml(_visible_version(slug, number))
    return _attachment(export, "application/xml", f"{slug}-v{number}-moodle.xml")


@bp.get("/sets/<slug>/versions/<int:number>.gift")
def gift(slug: str, number: int) -> Response:
    """A version as GIFT, the plain-text format Moodle imports."""
    export = exports.export_gift(_visible_version(slug, number))
    return _attachment(export, "text/plain", f"{slug}-v{number}.gift")
