"""Sign-in throttling: strict per account, generous per IP address (a class shares one).

Failures are counted in the database, or in Redis when QUIZAPP_REDIS_URL is set, so the limits
hold across every worker process.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app

from ..database import write_transaction
from ..extensions import db
from ..models import LoginFailure
from ..models.types import utcnow
from ..state import app_state


@dataclass(frozen=True)
class Limits:
    """How many failures are allowed in a sliding window."""

    per_account: int
    per_address: int
    window: timedelta


class FailureStore(Protocol):
    """Where failed sign-ins are counted."""

    def record(self, account: str, address: str) -> None:
        """Count one failure."""
        ...

    def counts(self, account: str, address: str) -> tuple[int, int]:
        """Failures within the window for the account and for the address."""
        ...

    def clear_account(self, account: str) -> None:
        """Forget an account's failures (after a successful sign-in)."""
        ...


class DatabaseStore:
    """Failures as rows of the login_failure table."""

    def __init__(self, window: timedelta) -> None:
        self.window = window

    def record(self, account: str, address: str) -> None:
        now = utcnow()
        with write_transaction():
            db.session.execute(
                sa.delete(LoginFailure).where(LoginFailure.created_at < now - self.window)
            )
            db.session.add(LoginFailure(account=account, address=address, created_at=now))

    def counts(self, account: str, address: str) -> tuple[int, int]:
        since = utcnow() - self.window
        recent = LoginFailure.created_at >= since
        by_account = db.session.scalar(
            sa.select(sa.func.count(LoginFailure.id)).where(LoginFailure.account == account, recent)
        )
        by_address = db.session.scalar(
            sa.select(sa.func.count(LoginFailure.id)).where(LoginFailure.address == address, recent)
        )
        return int(by_account or 0), int(by_address or 0)

    def clear_account(self, account: str) -> None:
        with write_transaction():
            db.session.execute(sa.delete(LoginFailure).where(LoginFailure.account == account))


class RedisStore:
    """Failures as sorted sets of timestamps in Redis, expiring with the window."""

    def __init__(
        self, client: Any, window: timedelta, prefix: str = "quizapp:login-failures"
    ) -> None:
        self.client = client
        self.window = window
        self.prefix = prefix

    def _keys(self, account: str, address: str) -> tuple[str, str]:
        return f"{self.prefix}:account:{account}", f"{self.prefix}:address:{address}"

    def record(self, account: str, address: str) -> None:
        now = time.time()
        seconds = int(self.window.total_seconds())
        pipe = self.client.pipeline()
        for key in self._keys(account, address):
            pipe.zadd(key, {f"{now}:{secrets.token_hex(8)}": now})
            pipe.zremrangebyscore(key, 0, now - seconds)
            pipe.expire(key, seconds)
        pipe.execute()

    def counts(self, account: str, address: str) -> tuple[int, int]:
        since = time.time() - self.window.total_seconds()
        account_key, address_key = self._keys(account, address)
        return (
            int(self.client.zcount(account_key, since, "+inf")),
            int(self.client.zcount(address_key, since, "+inf")),
        )

    def clear_account(self, account: str) -> None:
        self.client.delete(self._keys(account, "")[0])


def limits() -> Limits:
    """The limits from the settings."""
    config = current_app.config
    return Limits(
        per_account=config["LOGIN_LIMIT_PER_ACCOUNT"],
        per_address=config["LOGIN_LIMIT_PER_ADDRESS"],
        window=timedelta(minutes=config["LOGIN_LIMIT_WINDOW_MINUTES"]),
    )


def store() -> FailureStore:
    """Redis when configured, the database otherwise."""
    window = limits().window
    url = current_app.config.get("REDIS_URL")
    if not url:
        return DatabaseStore(window)
    state = app_state()
    if state.redis is None:
        import redis  # an optional dependency: only needed when Redis is configured

        state.redis = redis.Redis.from_url(url)
    return RedisStore(state.redis, window)


def refusal(account: str, address: str) -> str | None:
    """Why a sign-in must wait now, or None when it may go ahead."""
    current = limits()
    by_account, by_address = store().counts(account, address)
    minutes = int(current.window.total_seconds() // 60)
    if by_account >= current.per_account:
        return (
            f"Too many failed sign-ins for this account. Wait {minutes} minutes and try again, "
            "or ask your teacher to help."
        )
    if by_address >= current.per_address:
        return f"Too many failed sign-ins from this network. Wait {minutes} minutes and try again."
    return None


def record_failure(account: str, address: str) -> None:
    """Count a failed sign-in."""
    store().record(account, address)


def record_success(account: str) -> None:
    """A successful sign-in clears the account's failures (not the address's)."""
    store().clear_account(account)
