"""Images that travel with a set (embedded in Moodle XML files): what they are and their names.

Only raster formats whose first bytes say what they are: an SVG can carry script, and a type
taken from the file's name or the uploader's word could be anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
#: The content types an image of a set may be served as.
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
MAX_IMAGE_NAME_CHARS = 100


@dataclass(frozen=True)
class ImageFile:
    """An image a set carries: the name its text uses, its content type and its bytes."""

    name: str
    content_type: str
    data: bytes


def image_type(data: bytes) -> str | None:
    """The content type of a PNG, JPEG, GIF or WebP image, from its first bytes; else None."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def safe_image_name(name: str) -> str:
    """A file name safe in a URL path and on any disk: no folders, only plain characters."""
    base = re.split(r"[\\/]", name.strip())[-1]
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned[:MAX_IMAGE_NAME_CHARS]
