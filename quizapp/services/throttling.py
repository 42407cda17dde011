"""Throttling that slows password guessing without letting anyone lock a class out.

It follows OWASP's "Slow Down Online Guessing Attacks with Device Cookies":

- A browser that signed in to an account gets a signed device cookie naming that account. Its
  failed sign-ins count against that cookie alone, so failures sent from anywhere else (a
  classmate's phone, the whole school's shared address) never slow it down.
- A browser without one is counted per pair of account and address, and its address per number
  of distinct accounts that failed from it (password spraying), generously, since a whole class
  may share one address.
- Past a number of free failures a counter asks for a wait that doubles with each further
  failure, up to the window: a delay, never a lock. A correct password from a device or address
  with no failures of its own is therefore never refused.
- A teacher can unlock a student; registrations per address and wrong join codes per student
  are limited the same way.

Events are counted in the database, or in Redis when QUIZAPP_REDIS_URL is set, so every worker
process sees the same counts.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..database import write_transaction
from ..domain.i18n import gettext, ngettext
from ..extensions import db
from ..models import ThrottleEvent
from ..models.types import utcnow
from ..state import app_state

#: The cookie that marks a browser as one that has signed in to some accounts before.
DEVICE_COOKIE = "quizapp_device"
DEVICE_COOKIE_LIFETIME = timedelta(days=180)
#: Accounts one browser remembers (a shared classroom computer serves many students).
DEVICE_COOKIE_ACCOUNTS = 30
#: Registrations from one address are counted over this window.
REGISTRATION_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Tally:
    """Events of one key within its window: how many, and when the latest was (epoch seconds)."""

    count: int
    latest: float | None


@dataclass(frozen=True)
class Refusal:
    """Why a request must wait, and for how many seconds (the Retry-After header)."""

    message: str
    retry_after: int


class EventStore(Protocol):
    """Where throttling events are counted."""

    def record(self, key: str, window: timedelta, account: str = "", member: str = "") -> None:
        """Count one event under ``key``; events with the same ``member`` count once."""
        ...

    def tally(self, key: str, window: timedelta) -> Tally:
        """The events of ``key`` within the window."""
        ...

    def clear(self, key: str) -> None:
        """Forget the events of ``key``."""
        ...

    def clear_account(self, account: str) -> None:
        """Forget every event recorded about ``account``."""
        ...

    def accounts_with_events(self, accounts: Iterable[str], window: timedelta) -> set[str]:
        """Those of ``accounts`` with an event within the window."""
        ...


class DatabaseStore:
    """Events as rows of the throttle_event table."""

    def record(self, key: str, window: timedelta, account: str = "", member: str = "") -> None:
        now = utcnow()
        with write_transaction():
            db.session.execute(
                sa.delete(ThrottleEvent).where(
                    ThrottleEvent.key == key, ThrottleEvent.created_at < now - window
                )
            )
            db.session.add(
                ThrottleEvent(
                    key=key,
                    account=account,
                    member=member or secrets.token_hex(8),
                    created_at=now,
                )
            )

    def tally(self, key: str, window: timedelta) -> Tally:
        count, latest = db.session.execute(
            sa.select(
                sa.func.count(sa.distinct(ThrottleEvent.member)),
                sa.func.max(ThrottleEvent.created_at),
            ).where(ThrottleEvent.key == key, ThrottleEvent.created_at >= utcnow() - window)
        ).one()
        return Tally(int(count or 0), latest.timestamp() if latest is not None else None)

    def clear(self, key: str) -> None:
        with write_transaction():
            db.session.execute(sa.delete(ThrottleEvent).where(ThrottleEvent.key == key))

    def clear_account(self, account: str) -> None:
        with write_transaction():
            db.session.execute(sa.delete(ThrottleEvent).where(ThrottleEvent.account == account))

    def accounts_with_events(self, accounts: Iterable[str], window: timedelta) -> set[str]:
        wanted = list(accounts)
        if not wanted:
            return set()
        return set(
            db.session.scalars(
                sa.select(ThrottleEvent.account)
                .where(
                    ThrottleEvent.account.in_(wanted),
                    ThrottleEvent.created_at >= utcnow() - window,
                )
                .distinct()
            )
        )


class RedisStore:
    """Events as sorted sets (member -> time) in Redis, expiring with their window."""

    def __init__(self, client: Any, prefix: str = "quizapp:throttle") -> None:
        self.client = client
        self.prefix = prefix

    def _account_key(self, account: str) -> str:
        return f"{self.prefix}:by-account:{account}"

    def record(self, key: str, window: timedelta, account: str = "", member: str = "") -> None:
        now = time.time()
        seconds = max(1, int(window.total_seconds()))
        full = f"{self.prefix}:{key}"
        pipe = self.client.pipeline()
        pipe.zadd(full, {member or f"{now}:{secrets.token_hex(8)}": now})
        pipe.zremrangebyscore(full, 0, now - seconds)
        pipe.expire(full, seconds)
        if account:
            # The account's keys, so that an unlock finds them without scanning.
            pipe.zadd(self._account_key(account), {full: now})
            pipe.expire(self._account_key(account), seconds)
        pipe.execute()

    def tally(self, key: str, window: timedelta) -> Tally:
        full = f"{self.prefix}:{key}"
        since = time.time() - window.total_seconds()
        pipe = self.client.pipeline()
        pipe.zcount(full, since, "+inf")
        pipe.zrevrangebyscore(full, "+inf", since, start=0, num=1, withscores=True)
        count, latest = pipe.execute()
        return Tally(int(count), float(latest[0][1]) if latest else None)

    def clear(self, key: str) -> None:
        self.client.delete(f"{self.prefix}:{key}")

    def clear_account(self, account: str) -> None:
        keys = self.client.zrange(self._account_key(account), 0, -1)
        self.client.delete(self._account_key(account), *keys)

    def accounts_with_events(self, accounts: Iterable[str], window: timedelta) -> set[str]:
        wanted = list(accounts)
        since = time.time() - window.total_seconds()
        pipe = self.client.pipeline()
        for account in wanted:
            pipe.zcount(self._account_key(account), since, "+inf")
        return {account for account, count in zip(wanted, pipe.execute(), strict=True) if count}


@dataclass(frozen=True)
class Limits:
    """Free failures per device or account-and-address pair, and per address; the window."""

    per_account: int
    per_address: int
    window: timedelta


def limits() -> Limits:
    """The sign-in limits from the settings."""
    config = current_app.config
    return Limits(
        per_account=config["LOGIN_LIMIT_PER_ACCOUNT"],
        per_address=config["LOGIN_LIMIT_PER_ADDRESS"],
        window=timedelta(minutes=config["LOGIN_LIMIT_WINDOW_MINUTES"]),
    )


def store() -> EventStore:
    """Redis when configured, the database otherwise."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return DatabaseStore()
    state = app_state()
    if state.redis is None:
        import redis  # an optional dependency: only needed when Redis is configured

        state.redis = redis.Redis.from_url(url)
    return RedisStore(state.redis)


#: The first wait once the free failures are used up; each further failure doubles it.
FIRST_WAIT_SECONDS = 5


def wait_seconds(tally: Tally, free: int, window: timedelta, now: float) -> int:
    """How long to wait after ``tally``: nothing for the first ``free`` events, then a delay
    that doubles with each further one (5 s, 10 s, 20 s ...) up to the window."""
    if tally.count < free or tally.latest is None:
        return 0
    delay = min(window.total_seconds(), FIRST_WAIT_SECONDS * 2.0 ** min(tally.count - free, 32))
    return max(0, math.ceil(tally.latest + delay - now))


def _how_long(seconds: int) -> str:
    if seconds < 90:
        return ngettext("%(num)s second", "%(num)s seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)


def bounded(value: str) -> str:
    """``value`` if it fits a 64-character column, else a digest of it: a username typed at
    sign-in may grow under NFKC, and an address from a misconfigured proxy may be anything."""
    if len(value) <= 64:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:57]


# Keys. An account is a normalised username; an address is the client's IP as the app sees it.
def _device_key(nonce: str) -> str:
    return f"login:device:{bounded(nonce)}"


def _pair_key(account: str, address: str) -> str:
    return f"login:pair:{bounded(account)}|{bounded(address)}"


def _address_key(address: str) -> str:
    return f"login:address:{bounded(address)}"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="quizapp-device-cookie")


def _device_entries(cookie: str | None) -> list[list[str]]:
    """The [account, nonce] pairs of a genuine, unexpired device cookie (else none)."""
    if not cookie:
        return []
    try:
        entries = _serializer().loads(cookie, max_age=int(DEVICE_COOKIE_LIFETIME.total_seconds()))
    except BadSignature:
        return []
    if not isinstance(entries, list):
        return []
    return [
        e
        for e in entries
        if isinstance(e, list) and len(e) == 2 and all(isinstance(v, str) for v in e)
    ]


def device_nonce(cookie: str | None, account: str) -> str | None:
    """The nonce a genuine device cookie holds for ``account``: this browser signed in to it."""
    for name, nonce in _device_entries(cookie):
        if name == account:
            return nonce
    return None


def sign_in_refusal(account: str, address: str, cookie: str | None) -> Refusal | None:
    """Why a sign-in must wait now (before the password is checked), or None."""
    current, events, now = limits(), store(), time.time()
    nonce = device_nonce(cookie, account)
    if nonce is not None:
        # A trusted device answers only for its own failures.
        own = wait_seconds(
            events.tally(_device_key(nonce), current.window),
            current.per_account,
            current.window,
            now,
        )
        return _account_refusal(own) if own else None
    pair = wait_seconds(
        events.tally(_pair_key(account, address), current.window),
        current.per_account,
        current.window,
        now,
    )
    if pair:
        return _account_refusal(pair)
    spread = wait_seconds(
        events.tally(_address_key(address), current.window),
        current.per_address,
        current.window,
        now,
    )
    if spread:
        return Refusal(
            gettext(
                "Too many failed sign-ins from this network. Wait %(wait)s and try again.",
                wait=_how_long(spread),
            ),
            spread,
        )
    return None


def _account_refusal(seconds: int) -> Refusal:
    return Refusal(
        gettext(
            "Too many failed sign-ins for this account from here. Wait %(wait)s and try again, "
            "or ask your teacher to unlock your account.",
            wait=_how_long(seconds),
        ),
        seconds,
    )


def record_sign_in_failure(account: str, address: str, cookie: str | None) -> None:
    """Count a failed sign-in against this device, or against the pair and the address."""
    window, events = limits().window, store()
    nonce = device_nonce(cookie, account)
    if nonce is not None:
        events.record(_device_key(nonce), window, account=bounded(account))
        return
    events.record(_pair_key(account, address), window, account=bounded(account))
    events.record(_address_key(address), window, member=bounded(account))


def record_sign_in_success(account: str, address: str, cookie: str | None) -> str:
    """Forget the failures of this device or pair (not the address's: one good account must not
    clear a spray), and return the device cookie that now names ``account``."""
    nonce = device_nonce(cookie, account)
    store().clear(_device_key(nonce) if nonce is not None else _pair_key(account, address))
    return trusted_device_cookie(account, cookie)


def trusted_device_cookie(account: str, cookie: str | None) -> str:
    """The device cookie ``cookie`` with a fresh nonce for ``account`` (the newest accounts kept),
    for a browser that just proved it knows the account's password."""
    others = [entry for entry in _device_entries(cookie) if entry[0] != account]
    fresh = [account, secrets.token_urlsafe(16)]
    return _serializer().dumps([*others[-(DEVICE_COOKIE_ACCOUNTS - 1) :], fresh])


def unlock(account: str) -> None:
    """Forget every failed sign-in of ``account`` (a teacher unlocking a student)."""
    store().clear_account(bounded(account))


def slowed_accounts(accounts: Iterable[str]) -> set[str]:
    """Those of ``accounts`` with failed sign-ins in the window (the roster offers an unlock)."""
    return store().accounts_with_events((bounded(a) for a in accounts), limits().window)


def registration_refusal(address: str) -> Refusal | None:
    """Why an account cannot be registered from ``address`` now, or None."""
    free = current_app.config["REGISTRATION_LIMIT_PER_ADDRESS"]
    tally = store().tally(f"register:{bounded(address)}", REGISTRATION_WINDOW)
    seconds = wait_seconds(tally, free, REGISTRATION_WINDOW, time.time())
    if not seconds:
        return None
    return Refusal(
        gettext(
            "Many accounts were just created from this network. Wait %(wait)s and try again, "
            "or ask your teacher to create your account.",
            wait=_how_long(seconds),
        ),
        seconds,
    )


def record_registration(address: str) -> None:
    """Count an account created from ``address``."""
    store().record(f"register:{bounded(address)}", REGISTRATION_WINDOW)


def join_refusal(user_id: int) -> Refusal | None:
    """Why a student may not try another join code now, or None."""
    free, window = current_app.config["JOIN_LIMIT_PER_STUDENT"], limits().window
    seconds = wait_seconds(store().tally(f"join:{user_id}", window), free, window, time.time())
    if not seconds:
        return None
    return Refusal(
        gettext(
            "Too many wrong join codes. Wait %(wait)s, then check the code with your teacher.",
            wait=_how_long(seconds),
        ),
        seconds,
    )


def record_wrong_join_code(user_id: int) -> None:
    """Count a join code that matched no class."""
    store().record(f"join:{user_id}", limits().window)
