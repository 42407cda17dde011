"""The app behind PgBouncer in transaction mode: QUIZAPP_DATABASE_PGBOUNCER=1 makes it work."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from helpers.pgbouncer import require_pgbouncer
from helpers.settings import app_settings

from quizapp import create_app
from quizapp.config import settings_from_environment
from quizapp.extensions import db
from quizapp.models import User

pytestmark = pytest.mark.postgresql

#: More runs of one statement on a connection than psycopg's prepare threshold (5).
RUNS = 12


def _interleaved_transactions(app) -> None:
    """One of the app's pooled connections runs the same query in short transactions, every
    other one while a second connection holds a transaction open: PgBouncer (handing out the
    server connection released last) then gives the first one another server connection each
    time, as it does to the requests of a busy server."""
    # A name no test creates (usernames have no spaces): the database may hold the rows the
    # test before this one left.
    query = sa.select(sa.func.count()).select_from(User).where(User.username == "no such user")
    with app.app_context():
        try:
            with db.engine.connect() as first, db.engine.connect() as second:
                for _ in range(RUNS):
                    assert first.execute(query).scalar_one() == 0
                    first.commit()
                    second.execute(sa.text("SELECT 1"))
                    assert first.execute(query).scalar_one() == 0
                    first.commit()
                    second.commit()
        finally:
            db.engine.dispose()


def test_the_setting_comes_from_the_environment():
    assert settings_from_environment({"QUIZAPP_DATABASE_PGBOUNCER": "1"}) == {
        "DATABASE_PGBOUNCER": True
    }
    assert settings_from_environment({"QUIZAPP_DATABASE_PGBOUNCER": "0"}) == {
        "DATABASE_PGBOUNCER": False
    }


def test_queries_through_pgbouncer_work_with_the_setting(postgresql_database, tmp_path):
    url = require_pgbouncer()
    app = create_app({**app_settings(url, tmp_path), "DATABASE_PGBOUNCER": True})
    _interleaved_transactions(app)


def test_without_the_setting_prepared_statements_break_behind_pgbouncer(
    postgresql_database, tmp_path
):
    """Guards the test above: the PgBouncer it runs through is really in transaction mode."""
    url = require_pgbouncer()
    app = create_app(app_settings(url, tmp_path))
    with pytest.raises(sa.exc.DBAPIError, match="prepared statement"):
        _interleaved_transactions(app)
