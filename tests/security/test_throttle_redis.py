"""The sign-in limiter's Redis store, against a real redis-server on a loopback port."""

from __future__ import annotations

import time
from datetime import timedelta

from quizapp.services.throttling import RedisStore, Tally


def test_redis_store_counts_per_key_and_member(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    window = timedelta(minutes=15)
    try:
        store = RedisStore(client)
        store.record("pair:zed", window, account="zed")
        store.record("pair:zed", window, account="zed")
        store.record("address:1.2.3.4", window, member="zed")
        store.record("address:1.2.3.4", window, member="zed")
        store.record("address:1.2.3.4", window, member="amy")
        assert store.tally("pair:zed", window).count == 2
        assert store.tally("address:1.2.3.4", window).count == 2
        assert store.accounts_with_events(["zed", "amy"], window) == {"zed"}
        store.clear_account("zed")
        assert store.tally("pair:zed", window) == Tally(0, None)
        assert store.tally("address:1.2.3.4", window).count == 2
        short = RedisStore(client, prefix="short")
        short.record("bo", timedelta(seconds=1))
        time.sleep(1.2)
        assert short.tally("bo", timedelta(seconds=1)).count == 0
    finally:
        client.close()


def test_the_app_throttles_through_redis_when_configured(app, create_user, redis_url):
    from helpers.forms import post_form
    from helpers.settings import PASSWORD

    app.config["REDIS_URL"] = redis_url
    create_user("rita")
    client = app.test_client()
    for _ in range(5):
        post_form(client, "/account/login", {"username": "rita", "password": "wrong password"})
    response = post_form(client, "/account/login", {"username": "rita", "password": PASSWORD})
    assert response.status_code == 429
    import sqlalchemy as sa

    from quizapp.extensions import db
    from quizapp.models import ThrottleEvent
    from quizapp.state import app_state

    with app.app_context():
        # Counted in Redis, not in the database.
        assert db.session.scalar(sa.select(sa.func.count(ThrottleEvent.id))) == 0
        app_state(app).redis.close()


def test_device_cookies_and_unlocking_work_through_redis(app, create_user, redis_url):
    from helpers.forms import post_form
    from helpers.settings import PASSWORD

    from quizapp.services import throttling
    from quizapp.state import app_state

    app.config["REDIS_URL"] = redis_url
    create_user("sol")

    def login(client, password):
        return post_form(client, "/account/login", {"username": "sol", "password": password})

    own = app.test_client()
    assert login(own, PASSWORD).status_code == 302
    post_form(own, "/account/logout", {}, page="/")
    hostile = app.test_client()
    for _ in range(app.config["LOGIN_LIMIT_PER_ACCOUNT"]):
        login(hostile, "wrong wrong")
    assert login(hostile, PASSWORD).status_code == 429
    assert login(own, PASSWORD).status_code == 302
    with app.test_request_context():
        assert throttling.slowed_accounts(["sol", "nobody"]) == {"sol"}
        throttling.unlock("sol")
        assert throttling.slowed_accounts(["sol"]) == set()
    assert login(hostile, PASSWORD).status_code == 302
    with app.app_context():
        app_state(app).redis.close()
