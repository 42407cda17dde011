"""Test apps: the app factory with test settings, sharing compiled templates across tests."""

from __future__ import annotations

from pathlib import Path

import jinja2
from flask import Flask

from quizapp import create_app

from .settings import app_settings


class _SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole run, keyed by name and source checksum.

    Each test builds a new app, and so a new Jinja environment: without this every test
    compiled each template it rendered again, which took most of a page request's time.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` with the code compiled before (Jinja checks its source checksum)."""
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code Jinja just compiled."""
        self._compiled[bucket.key] = bucket.bytecode_to_string()


SHARED_TEMPLATES = _SharedBytecodeCache()


def make_app(database: Path | str, instance: Path) -> Flask:
    """The app on ``database`` with the test settings (see ``app_settings``)."""
    app = create_app(app_settings(database, instance))
    app.jinja_env.bytecode_cache = SHARED_TEMPLATES
    return app
