"""Which images the page being rendered may show, and at which URLs.

A question's text names its images (``@@PLUGINFILE@@/map.png``); the renderer asks for each
name's URL and drops an image that has none. The page's own URL says which set version it
shows (an attempt, a staged upload, a set version, an assignment), so the lookup needs no help
from the views, and the names are read from the database only when a page shows an image.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import g, has_request_context, request, url_for
from flask_login import current_user

from ..services import access, images


class ImageUrls:
    """Image name -> URL for one page, loaded on the first image the page shows."""

    def __init__(self, load: Callable[[], tuple[set[str], Callable[[str], str]]]) -> None:
        self._load = load
        self._loaded: tuple[set[str], Callable[[str], str]] | None = None

    def get(self, name: str) -> str | None:
        """The URL of the image ``name`` of this page's set, or None when it has none."""
        if self._loaded is None:
            self._loaded = self._load()
        names, url = self._loaded
        return url(name) if name in names else None


def _nothing() -> tuple[set[str], Callable[[str], str]]:
    return set(), str


def _for_request() -> ImageUrls:
    args = request.view_args or {}
    if "attempt_id" in args:
        attempt_id = args["attempt_id"]
        return ImageUrls(
            lambda: (
                images.attempt_image_names(attempt_id),
                lambda name: url_for("media.attempt_image", attempt_id=attempt_id, name=name),
            )
        )
    if "upload_id" in args:
        upload_id = args["upload_id"]
        return ImageUrls(
            lambda: (
                images.image_names(upload_id=upload_id),
                lambda name: url_for("media.upload_image", upload_id=upload_id, name=name),
            )
        )
    if "slug" in args and current_user.is_authenticated and current_user.is_teacher:
        return _version_urls(args["slug"], args.get("number"))
    if "assignment_id" in args and current_user.is_authenticated and current_user.is_teacher:
        # By the assignment, not its set's slug: a co-teacher may not read the set itself, and
        # a slug names a different set for each teacher who uploaded one under it.
        return _assignment_urls(args["assignment_id"])
    return ImageUrls(_nothing)


def _assignment_urls(assignment_id: int) -> ImageUrls:
    def load() -> tuple[set[str], Callable[[str], str]]:
        assignment = access.own_assignment(current_user, assignment_id)
        if assignment is None:
            return _nothing()
        return images.image_names(version_id=assignment.version_id), lambda name: url_for(
            "media.assignment_image", assignment_id=assignment_id, name=name
        )

    return ImageUrls(load)


def _version_urls(slug: str, number: int | None) -> ImageUrls:
    def load() -> tuple[set[str], Callable[[str], str]]:
        question_set = access.visible_set(current_user, slug)
        if question_set is None:
            return _nothing()
        shown, names = images.numbered_version_images(question_set, number)
        return names, lambda name: url_for(
            "media.version_image", slug=slug, number=shown, name=name
        )

    return ImageUrls(load)


def page_images() -> ImageUrls | None:
    """The images of the set the current page shows (None outside a request)."""
    if not has_request_context():
        return None
    if "set_images" not in g:
        g.set_images = _for_request()
    urls: ImageUrls = g.set_images
    return urls
