"""Images a set carries, served where its questions are shown: to the student taking it, and to
teachers who may read the set or are previewing their own upload.

Each URL names the thing the viewer already reaches (an attempt, a set version, an upload), so
access is checked exactly as for that page; anyone else gets 404. Images are served with the
content type found from their own bytes (PNG, JPEG, GIF or WebP only) and never sniffed.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..auth.sessions import teacher_required
from ..domain.formats.images import IMAGE_TYPES
from ..services import access, images, question_sets
from ..services.images import ServedImage

bp = Blueprint("media", __name__)


def _image_response(image: ServedImage | None) -> Response:
    if image is None or image.content_type not in IMAGE_TYPES:
        abort(404)
    response = Response(image.data, mimetype=image.content_type)
    # A version never changes, so its images may be kept by the browser, but only privately.
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.get("/attempts/<int:attempt_id>/images/<name>")
@login_required
def attempt_image(attempt_id: int, name: str) -> Response:
    """An image of the set version a student's attempt is on."""
    attempt = access.own_attempt(current_user, attempt_id)
    if attempt is None:
        abort(404)
    return _image_response(images.attempt_image(attempt, name))


@bp.get("/teach/sets/<slug>/versions/<int:number>/images/<name>")
@teacher_required
def version_image(slug: str, number: int, name: str) -> Response:
    """An image of a version of a set the teacher may read."""
    question_set = access.visible_set(current_user, slug)
    version = question_sets.version_number(question_set.id, number) if question_set else None
    if version is None:
        abort(404)
    return _image_response(images.version_image(version.id, name))


@bp.get("/teach/assignments/<int:assignment_id>/images/<name>")
@teacher_required
def assignment_image(assignment_id: int, name: str) -> Response:
    """An image of the version an assignment gives, for its teachers (co-teachers included),
    whoever owns the set: the assignment's pages show its questions."""
    assignment = access.own_assignment(current_user, assignment_id)
    if assignment is None:
        abort(404)
    return _image_response(images.version_image(assignment.version_id, name))


@bp.get("/teach/uploads/<int:upload_id>/images/<name>")
@teacher_required
def upload_image(upload_id: int, name: str) -> Response:
    """An image of an upload the teacher is previewing."""
    upload = access.own_upload(current_user, upload_id)
    if upload is None:
        abort(404)
    return _image_response(images.upload_image(upload.id, name))
