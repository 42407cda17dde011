"""What one app keeps in memory between requests: one object, ``app_state()``.

Every piece of process state is listed in docs/app-state.md, this object's fields and the
module-level caches of values that never change. Each worker process has its own copy of all
of it: nothing here is shared between gunicorn workers or between servers, so nothing here may
be needed for correctness (the database, or Redis when configured, holds what must be shared).
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flask import Flask, current_app

if TYPE_CHECKING:
    from .database import WriteTurn

K = TypeVar("K")
T = TypeVar("T")

#: Characters of rendered fragments one worker keeps at most (about 16 MB of text at most):
#: a few dozen articles with their questions, far more than one school's quizzes of a day.
FRAGMENT_BUDGET = 8_000_000

#: The key of the app state in ``app.extensions``.
EXTENSION_KEY = "quizapp"


class BoundedCache(Generic[K, T]):
    """A cache of at most ``size`` entries; the least recently used leave first."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.entries: OrderedDict[K, T] = OrderedDict()
        #: Held by writers that keep a running total beside the entries (SizedCache).
        self.lock = threading.Lock()

    def get(self, key: K) -> T | None:
        """The cached value, or None."""
        found = self.entries.get(key)
        if found is not None:
            with contextlib.suppress(KeyError):  # another thread may have evicted it just now
                self.entries.move_to_end(key)
        return found

    def put(self, key: K, value: T) -> T:
        """Keep ``value`` under ``key``, and return it."""
        self.entries[key] = value
        while len(self.entries) > self.size:
            with contextlib.suppress(KeyError):
                self.entries.popitem(last=False)
        return value


class SizedCache(BoundedCache[K, str]):
    """A bounded cache of text that also keeps its entries' total length under ``budget``
    characters: entries differ in size by a thousand times (a choice, a whole article), so a
    count alone does not bound the memory. Text longer than ``budget // 16`` is not kept."""

    def __init__(self, size: int, budget: int) -> None:
        super().__init__(size)
        self.budget = budget
        self.kept = 0

    def put(self, key: K, value: str) -> str:
        """Keep ``value`` under ``key`` if it is small enough, and return it."""
        if len(value) > self.budget // 16:
            return value
        with self.lock:
            previous = self.entries.pop(key, None)
            self.kept += len(value) - (len(previous) if previous is not None else 0)
            self.entries[key] = value
            while self.entries and (len(self.entries) > self.size or self.kept > self.budget):
                _, dropped = self.entries.popitem(last=False)
                self.kept -= len(dropped)
        return value


@dataclass
class AppState:
    """The state of one app in one process; docs/app-state.md says what each field is for."""

    #: Serialises SQLite writers across threads and workers (None on PostgreSQL or in memory).
    write_turn: WriteTurn | None = None
    #: The argon2 hash checked for unknown usernames, so they take as long as known ones.
    dummy_hash: str | None = None
    #: The Redis client of the sign-in limits, made on first use when QUIZAPP_REDIS_URL is set.
    redis: Any = None
    #: (key, title) of each version's sources by version id and content hash: versions never
    #: change (and the hash tells a new version that SQLite gave a deleted one's id).
    source_titles: BoundedCache[tuple[int, str], tuple[tuple[str, str], ...]] = field(
        default_factory=lambda: BoundedCache(size=256)
    )
    #: Each version's source texts in paragraphs, for the article beside a question (kept by
    #: version id and content hash, as the titles are).
    source_articles: BoundedCache[tuple[int, str], tuple[Any, ...]] = field(
        default_factory=lambda: BoundedCache(size=64)
    )
    #: Rendered pieces of the question page that no student's answer is in (a question's
    #: prompt and choices in one order, a source's paragraphs), by version id and content
    #: hash, the piece, the interface language and the mount point (``fragments.py``).
    fragments: SizedCache[tuple[Any, ...]] = field(
        default_factory=lambda: SizedCache(size=4096, budget=FRAGMENT_BUDGET)
    )
    #: url_for results that cannot change while the app runs, by mount point and arguments.
    fixed_urls: dict[tuple[Any, ...], str] = field(default_factory=dict)
    #: The session cookie's serializer and the secret keys it was built for (auth/sessions.py):
    #: Flask would build it again on every request.
    cookie_serializer: tuple[tuple[Any, ...], Any] | None = None


def init_app(app: Flask) -> None:
    """Give the app its (empty) state."""
    app.extensions[EXTENSION_KEY] = AppState()


def app_state(app: Flask | None = None) -> AppState:
    """The state of ``app``, or of the current app."""
    state: AppState = (app or current_app).extensions[EXTENSION_KEY]
    return state
