"""The database engine: SQLite set up for several workers, PostgreSQL timeouts, write transactions.

SQLite serialises writers on one lock. A transaction that starts with a plain (deferred) BEGIN,
reads, then writes cannot always get that lock: in WAL mode SQLite refuses at once ("database is
locked") when another writer committed since the read began, whatever the busy timeout. So
transactions that write begin with BEGIN IMMEDIATE, which waits for the lock up front, while
read-only requests keep a deferred BEGIN and never wait for writers. SQLAlchemy's pysqlite recipe
("Serializable isolation / Savepoints / Transactional DDL") makes the BEGIN ours to emit, and
writers queue for their turn (WriteTurn) rather than poll for SQLite's lock.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any, cast

try:
    import fcntl
except ImportError:  # Windows: waitress serves from one process, so the thread lock suffices
    fcntl = None  # type: ignore[assignment]

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import ConnectionPoolEntry

from .domain.i18n import gettext
from .extensions import db
from .state import app_state

#: Execution option on a session's connection whose transaction will write.
WRITE_OPTION = "quizapp_write"

#: Errors that mean the database cannot be reached (down, restarting, locked, or pool exhausted).
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.TimeoutError,
)


class BackupError(RuntimeError):
    """A backup that cannot be made; the message says what to do instead."""


def init_app(app: Flask) -> None:
    """Create the engine with the options its database needs and bind it to the app."""
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.get_backend_name() == "postgresql":
        # A server restart leaves the pool's connections dead: test each one as it is taken out,
        # so the first request after the restart reconnects instead of failing. (A SQLite file
        # cannot drop a connection, so SQLite skips the extra statement.)
        options.setdefault("pool_pre_ping", True)
        # Without a timeout, a request waits for the operating system's (minutes) when the
        # server's host is unreachable; with it, the page answers 503 and the next try reconnects.
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", app.config["DATABASE_CONNECT_TIMEOUT"])
        if app.config["DATABASE_PGBOUNCER"]:
            # psycopg prepares a statement on the server after its fifth run on a connection.
            # PgBouncer in transaction mode hands each transaction any server connection, where
            # that statement does not exist (or another client's of the same name does): the
            # query fails. None never prepares; every statement is sent in full each time.
            connect_args["prepare_threshold"] = None
        options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first (teardowns run in
    # reverse order) and leaves that one nothing to do.
    app.teardown_appcontext(close_session_quietly)
    with app.app_context():
        engine = db.engine
    _forget_connections_after_fork(engine)
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine, busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
        database = engine.url.database
        if database and database != ":memory:" and not database.startswith("file:"):
            timeout = app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
            app_state(app).write_turn = WriteTurn(Path(f"{database}.write-lock"), timeout)


def _forget_connections_after_fork(engine: Engine) -> None:
    """A forked process (a gunicorn worker under preload_app) starts with an empty pool: a
    connection the parent opened must never be used by two processes."""
    if not hasattr(os, "register_at_fork"):  # Windows: nothing forks
        return
    # A weak reference: the hook must not keep an app's engine alive after the app is gone.
    engine_ref = weakref.ref(engine)

    def forget() -> None:
        forked_engine = engine_ref()
        if forked_engine is not None:
            forked_engine.dispose(close=False)

    os.register_at_fork(after_in_child=forget)


def close_session_quietly(error: BaseException | None = None) -> None:
    """End the request's session even when its connection died under it.

    When the server restarts mid-request, the closing ROLLBACK fails; raised from the teardown,
    that error would turn a finished page into a 500. The pool drops the dead connection, and
    pre-ping checks the next one.
    """
    try:
        db.session.close()
    except sa.exc.SQLAlchemyError:
        pass
    finally:
        db.session.registry.clear()


class WriteTurn:
    """One SQLite writer at a time across threads and worker processes, handed over at once.

    Waiting for SQLite's own lock is polling: its busy handler sleeps 1, 2, 5 ... up to 100 ms
    between tries, so under contention the lock sits free while writers sleep (measured: a third
    of the throughput, and p95 ten times longer). A thread lock and a file lock queue writers in
    the kernel instead, and the next one starts as soon as the last commits.
    """

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._threads = threading.Lock()
        self._file: int | None = None
        self._file_pid = 0

    @contextmanager
    def __call__(self) -> Iterator[None]:
        """Hold the turn for the block; raise OperationalError after the busy timeout."""
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise self._timed_out()
        try:
            if fcntl is None:
                yield
                return
            handle = self._handle()
            # flock has no timeout: try without blocking, then sleep a little, until the deadline.
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise self._timed_out() from None
                    time.sleep(0.0005)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def _handle(self) -> int:
        """The lock file, opened once per process (a forked worker must not share the parent's).

        Read-only and readable by all: flock needs no more, and a file first made by a command run
        as another user (``sudo flask ...``) must not lock the app's own workers out.
        """
        if self._file is None or self._file_pid != os.getpid():
            self._file = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o644)
            self._file_pid = os.getpid()
        return self._file

    def _timed_out(self) -> sa.exc.OperationalError:
        reason = sqlite3.OperationalError(f"database is locked: no write turn in {self.timeout} s")
        return sa.exc.OperationalError("BEGIN IMMEDIATE", None, reason)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN (IMMEDIATE for writes) emitted by us."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        # Stop the sqlite3 module from emitting BEGIN itself (only before INSERT/UPDATE, which
        # is what makes reads inconsistent and the lock upgrade fail); on_begin emits it instead.
        dbapi_connection.isolation_level = None
        with closing(dbapi_connection.cursor()) as cursor:
            # Readers and the writer no longer block each other; the mode persists in the file.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys=ON")
            # In WAL mode NORMAL syncs at checkpoints, not at each commit: a crash of the app
            # loses nothing, a power cut may lose the last commits, and writes are twice as fast.
            cursor.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(WRITE_OPTION, False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        # Every request that reads begins here: the deferred BEGIN goes straight to the driver,
        # without SQLAlchemy's statement machinery (a tenth of a signed-in request's database
        # time). It takes no lock and reads nothing, so it cannot wait for a writer; any other
        # driver error is raised as SQLAlchemy's, as exec_driver_sql would.
        try:
            connection.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]
        except sqlite3.Error as error:
            raise sa.exc.DBAPIError.instance("BEGIN", (), error, sqlite3.Error) from error


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block in a transaction that writes, commit it at the end, roll back on error.

    On SQLite it begins with BEGIN IMMEDIATE; on PostgreSQL it is an ordinary transaction.
    A read transaction still open from earlier in the request is ended first (a snapshot
    cannot be upgraded safely); objects loaded in it stay loaded (the session does not expire
    them on commit), so a view may read what it loaded before calling a use case. One use case
    is one block: an inner block joins the outer one, which alone commits.
    """
    session = db.session()
    if session.info.get(WRITE_OPTION):
        yield
        return
    # SQLite: the read transaction's connection is kept and its transaction begun again as a
    # write (BEGIN is ours to emit there); elsewhere the read transaction is committed.
    restart = session.in_transaction() and db.engine.dialect.name == "sqlite"
    if session.in_transaction() and not restart:
        session.commit()
    turn = app_state().write_turn
    with turn() if turn is not None else nullcontext():
        session.info[WRITE_OPTION] = True
        try:
            if restart:
                _begin_again_as_write(session.connection())
            else:
                session.connection(execution_options={WRITE_OPTION: True})
            yield
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop(WRITE_OPTION, None)


def _begin_again_as_write(connection: Connection) -> None:
    """End the read transaction of a SQLite connection and begin a write one on it, where
    SQLAlchemy's transaction goes on: the same as committing and beginning anew, without
    handing the connection back to the pool and taking it out again (a save's largest cost
    after the sign-in's)."""
    connection.exec_driver_sql("COMMIT")
    # Marked as a writer's, as a connection begun for writing is (in place, for this checkout).
    connection.execution_options(**{WRITE_OPTION: True})
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def add_once(model: Any, **columns: object) -> None:
    """Add a row of ``model`` with these columns unless one is there already: adding it twice is
    harmless, also when two requests race (a unique constraint on the columns stops the second,
    whose error is swallowed: the other request added the row)."""
    exists = db.session.scalar(sa.select(model.id).filter_by(**columns))
    if exists is None:
        try:
            with write_transaction():
                db.session.add(model(**columns))
        except sa.exc.IntegrityError:
            pass


def insert_or_update(table: sa.Table, dialect: str) -> Any:
    """An INSERT that can take ON CONFLICT DO UPDATE in ``dialect`` (SQLite or PostgreSQL, the
    two this app runs on; both spell it the same way)."""
    if dialect == "postgresql":
        # Imported here: SQLAlchemy's PostgreSQL dialect is 2 MB a process on SQLite.
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    return sqlite_insert(table)


def returning_written_rows(table: sa.Table, dialect: str) -> tuple[sa.Column[Any], ...]:
    """What an INSERT ... ON CONFLICT returns so that ``wrote_a_row`` can tell whether it wrote.

    PostgreSQL returns the row's id: without RETURNING, SQLAlchemy fetches the next id in a
    statement of its own and the row count comes back unknown. SQLite (whose RETURNING needs
    3.35, newer than some systems' library) reports its row count.
    """
    return (table.c.id,) if dialect == "postgresql" else ()


def wrote_a_row(result: sa.Result[Any]) -> bool:
    """Whether an INSERT ... ON CONFLICT DO UPDATE ... WHERE inserted or updated its row."""
    # Session.execute types its result as a plain Result; a DML statement's is a CursorResult.
    written = cast("sa.CursorResult[Any]", result)
    if written.returns_rows:
        return written.first() is not None
    return written.rowcount > 0


def database_reachable() -> bool:
    """Whether a trivial query succeeds now (the session is left clean either way)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except UNAVAILABLE_ERRORS:
        forget_failed_transaction()
        return False
    db.session.rollback()
    return True


#: This release's schema revisions, oldest first (tests/test_migrations.py holds them to the
#: migrations folder). The health check reads them rather than Alembic, which a worker never
#: loads: a database at an earlier one is not ready for this code.
SCHEMA_REVISIONS = (
    "e0c36e653b28",
    "059ce19cacfb",
    "ebb2a0c2c6ae",
    "5d7a4c1e9b20",
    "3f2b9c1d7a41",
    "5b7e2c1d9a40",
    "5c1f0a7d2e91",
    "b7d41c9e2a10",
    "7ad3566dc69a",
    "c4e8a1f05b3d",
    "c4e8a1f3d2b7",
    "c4f1a2b3d5e6",
    "978dfd41aab6",
    "5696212c89b6",
    "d9b3e5f1a7c4",
    "a3c9e7d15b20",
    "b7d2e4f6a8c1",
)


#: Why a worker cannot serve, as the health check says it (see serving_problem).
UNREACHABLE = "database unavailable"
NO_SCHEMA = "no schema: run flask --app quizapp db upgrade"
OLD_SCHEMA = "schema older than this release: run flask --app quizapp db upgrade"


def serving_problem() -> str | None:
    """Why this code cannot use the database now, or None: it is unreachable, has no schema, or
    an earlier one whose upgrade has not run. A later one is fine: during a rolling deploy the
    servers of the previous release serve on the upgraded schema (docs/district.md). One query
    when all is well, as the ping was."""
    try:
        found = set(db.session.scalars(sa.text("SELECT version_num FROM alembic_version")))
    except (*UNAVAILABLE_ERRORS, sa.exc.DBAPIError):
        forget_failed_transaction()
        # No such table, or no database at all: only a second query can tell.
        return NO_SCHEMA if database_reachable() else UNREACHABLE
    db.session.rollback()
    if not found:
        return NO_SCHEMA
    if SCHEMA_REVISIONS[-1] not in found and found <= set(SCHEMA_REVISIONS):
        return OLD_SCHEMA
    return None


def forget_failed_transaction() -> None:
    """Roll the session back after a database error, ignoring a connection that is gone."""
    # A connection that is gone is already invalidated; the pool replaces it on next checkout.
    with suppress(sa.exc.SQLAlchemyError):
        db.session.rollback()


def backup_database(target: Path) -> None:
    """Copy the SQLite database to ``target`` with SQLite's online backup (safe while serving)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        url = engine.url.set(drivername=engine.dialect.name)
        raise BackupError(
            gettext(
                "flask backup copies SQLite databases only. Back up PostgreSQL with pg_dump, for "
                "example: pg_dump --format=custom --file=quizapp.dump '%(url)s' (restore with "
                "pg_restore).",
                url=url.render_as_string(hide_password=True),
            )
        )
    if target.exists():
        raise BackupError(gettext("%(file)s already exists; choose a new file name.", file=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    # The copy holds every password hash: readable by this user only, whatever the umask. It
    # is made empty with those rights first, so it is never readable by others, even briefly.
    target.touch(mode=0o600, exist_ok=False)
    target.chmod(0o600)
    source = engine.raw_connection()
    try:
        with closing(sqlite3.connect(target)) as copy:
            # One step (pages=-1) under a read snapshot: writers go on, and the copy is consistent.
            source.driver_connection.backup(copy)  # type: ignore[union-attr]
    finally:
        source.close()
