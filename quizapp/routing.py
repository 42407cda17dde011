"""URL converters: a number in a URL names a row only when a database column can hold it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter, Map

from .domain.limits import MAX_ID


class IdConverter(IntegerConverter):
    """``<int:...>`` for ids: ASCII digits up to MAX_ID, so that a huge number answers 404.

    Without the bound, SQLite cannot bind a number past 2**63 (a 500) and PostgreSQL refuses
    one past its ``integer`` range (an error, not a missing row).
    """

    regex = r"[0-9]+"

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def local_path(target: str, default: str) -> str:
    """``target`` if it is a path on this site (never another site's URL), else ``default``."""
    parts = urlsplit(target)
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not target.startswith("/\\")
        and not parts.netloc
        and not parts.scheme
    ):
        return target
    return default
