"""Test apps: the app factory with test settings, and one app shared by the tests that can."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import jinja2
from flask import Flask

from quizapp import create_app
from quizapp.extensions import db
from quizapp.state import EXTENSION_KEY, AppState, app_state

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

#: Still argon2id, at a cost far below the ASVS minimum that create_app insists on: the tests
#: hash and check passwords hundreds of times, and none of them is about the cost (a production
#: app's strong settings are tested in security/test_sessions_and_login.py). Apps that tests
#: build with create_app themselves, and the apps under gunicorn, keep the minimum.
FAST_PASSWORD_HASHING = {
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_KIB": 1024,
    "PASSWORD_HASH_PARALLELISM": 1,
}


def make_app(database: Path | str, instance: Path) -> Flask:
    """The app on ``database`` with the test settings (see ``app_settings``), quick hashing."""
    app = create_app(app_settings(database, instance))
    app.config.update(FAST_PASSWORD_HASHING)
    app.jinja_env.bytecode_cache = SHARED_TEMPLATES
    return app


def _setup_of(app: Flask) -> tuple[object, ...]:
    """What a test can add to an app but not take away: its routes and request hooks."""
    hooks = (
        app.before_request_funcs,
        app.after_request_funcs,
        app.teardown_request_funcs,
        app.url_value_preprocessors,
        app.url_default_functions,
        app.template_context_processors,
    )
    # Looking up an error handler fills the spec's defaultdicts with empty entries (every 404
    # of a blueprint's route adds one): count the handlers, not the entries.
    error_handlers = sum(
        len(handlers) for codes in app.error_handler_spec.values() for handlers in codes.values()
    )
    return (
        len(app.url_map._rules),
        frozenset(app.view_functions),
        tuple(sum(len(funcs) for funcs in hook.values()) for hook in hooks),
        error_handlers,
    )


class SharedApp:
    """One test app for many tests, with its database put back before each of them.

    Building an app compiles its URL map (about 12 ms), and a new engine compiles every SQL
    statement again: most tests need neither. Each lease gives the app back as a new one would
    be: the test database as built by the migrations with the test set (a fresh copy of the
    template file on SQLite, emptied tables and the set imported again on PostgreSQL), the test
    settings, and an empty app state. A test that adds a route or a request hook changes what
    cannot be undone, so the next test gets a newly built app.
    """

    def __init__(self, database: Path | str, instance: Path, reset: Callable[[], None]) -> None:
        self.database = database
        self.instance = instance
        self.reset_database = reset
        self.app: Flask | None = None

    @contextmanager
    def lease(self) -> Iterator[Flask]:
        """The app, as a newly built one would be, for one test."""
        app = self.app or make_app(self.database, self.instance)
        self.app = app
        settings = dict(app.config)
        setup = _setup_of(app)
        kept = app_state(app)
        app.extensions[EXTENSION_KEY] = AppState(
            # The SQLite write lock is the same file for every test, and the dummy hash only
            # depends on the hash settings, which no test changes.
            write_turn=kept.write_turn,
            dummy_hash=kept.dummy_hash,
        )
        # Flask refuses new routes once an app has served a request; a test may still add its
        # own route (its app is not used again, see below).
        app._got_first_request = False
        with app.app_context():
            self.reset_database()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            app.config.clear()
            app.config.update(settings)
            if _setup_of(app) != setup:
                self.app = None


def copy_sqlite_file(template: Path, database: Path) -> None:
    """Put a fresh copy of ``template`` at ``database`` (every connection to it is closed).

    The copy replaces the file rather than writing into it, so a connection a test left open
    keeps reading the old file instead of a half-written one; the old write-ahead log goes too.
    """
    for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    partial = database.with_name(f"{database.name}.copy")
    shutil.copyfile(template, partial)
    os.replace(partial, database)
