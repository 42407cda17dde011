"""A request whose connection dies before its session closes still gets its page."""

from __future__ import annotations

import sqlalchemy as sa

from quizapp.extensions import db


def test_a_failing_rollback_at_teardown_does_not_turn_the_page_into_a_500(app, client, monkeypatch):
    @app.get("/touch-the-database")
    def touch() -> str:
        db.session.execute(sa.text("SELECT 1"))  # the request holds a connection

        session = db.session.registry()
        release = session.close

        def lost(*args: object, **kwargs: object) -> None:
            release()  # the connection goes back to the pool, as a dead one is dropped
            raise sa.exc.OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

        # The closing ROLLBACK fails, as when the database restarts under the request.
        monkeypatch.setattr(session, "close", lost)
        return "done"

    response = client.get("/touch-the-database")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "done"
    assert client.get("/account/login").status_code == 200  # the next request gets a fresh session
