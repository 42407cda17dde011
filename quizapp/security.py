"""Security defaults applied to every response and request.

- Headers: a Content-Security-Policy with no inline script, nosniff, a strict referrer policy,
  and ``Cache-Control: no-store`` on every page shown to a signed-in user.
- Sessions end after a spell of inactivity and after an absolute lifetime.
- ``Strict-Transport-Security`` when cookies are marked Secure (QUIZAPP_SECURE_COOKIES=1): the
  app is then served over HTTPS, and browsers should never try it over plain HTTP.
- A security log of failed sign-ins and refused access, with the user id and IP address, and
  with CR and LF escaped so a crafted value cannot forge a log line. It goes, with the app's other
  log lines, to gunicorn's error log (QUIZAPP_ERROR_LOG) with a timestamp, or to standard error
  when the app runs without gunicorn.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TextIO

from flask import Flask, current_app, flash, request, session
from flask.logging import default_handler
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from .domain.i18n import gettext
from .models.types import utcnow

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
    ]
)

security_log = logging.getLogger("quizapp.security")

#: One year, as OWASP recommends; no includeSubDomains, since other hosts of a school's domain
#: may not serve HTTPS.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
#: The timestamped shape of gunicorn's own error-log lines, for runs without gunicorn.
LOG_FORMAT = "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s"
LOG_DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"

#: Session keys: when the user signed in, and when they were last seen (ISO 8601, UTC).
SIGNED_IN_AT, SEEN_AT = "signed_in_at", "seen_at"


def clean_log_value(value: object) -> str:
    """A value safe to put in one log line: CR, LF and other controls escaped."""
    text = str(value)
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def log_event(event: str, **fields: object) -> None:
    """Write one security event with the user id and IP address (never a password)."""
    user_id = current_user.get_id() and getattr(current_user, "id", None)
    details = " ".join(f"{key}={clean_log_value(value)}" for key, value in fields.items())
    security_log.warning(
        "%s user_id=%s ip=%s path=%s %s",
        event,
        user_id if user_id is not None else "-",
        clean_log_value(request.remote_addr or "-"),
        clean_log_value(request.path),
        details,
    )


def mark_signed_in() -> None:
    """Start the idle and absolute clocks of a new session."""
    now = utcnow().isoformat()
    session[SIGNED_IN_AT] = session[SEEN_AT] = now


def _expired(now: datetime, app: Flask) -> bool:
    try:
        signed_in = datetime.fromisoformat(session[SIGNED_IN_AT])
        seen = datetime.fromisoformat(session[SEEN_AT])
    except (KeyError, TypeError, ValueError):
        return True
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    lifetime = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    return now - seen > idle or now - signed_in > lifetime


def _end_expired_session() -> None:
    """Sign out a session that has been idle too long or has lived too long."""
    # Static files are the same for everyone: they need no user, so no user query.
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = utcnow()
    if _expired(now, current_app):
        remembered = _remembered_user(current_app)
        logout_user()
        # The clear also drops Flask-Login's order to delete the remember cookie: a device the
        # user asked to keep signed in starts a new session from it instead of signing out.
        session.clear()
        if remembered is not None:
            login_user(remembered)
            mark_signed_in()
            return
        flash(
            gettext("You were signed out after a period of inactivity. Please sign in again."),
            "info",
        )
        return
    seen = datetime.fromisoformat(session[SEEN_AT])
    # Refresh the idle clock at most once a minute, so most responses need no new cookie.
    if now - seen > timedelta(minutes=1):
        session[SEEN_AT] = now.astimezone(UTC).isoformat()


def _remembered_user(app: Flask) -> object | None:
    """The user a valid "keep me signed in" cookie names (None once their token has rotated)."""
    from flask_login.utils import decode_cookie

    from .services.accounts import user_for_session

    if not app.config["REMEMBER_ME_ENABLED"]:
        return None
    cookie = request.cookies.get(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    token = decode_cookie(cookie) if cookie else None
    return user_for_session(token) if token else None


def fixed_headers(config: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """The headers every response gets, from the app's settings (built once per app)."""
    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if config.get("SESSION_COOKIE_SECURE"):
        headers.append(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))
    return tuple(headers)


def _secure_headers_hook(app: Flask) -> Callable[[Response], Response]:
    """The response hook that adds ``fixed_headers``, computed here rather than per request."""
    fixed = [(name, name.lower(), value) for name, value in fixed_headers(app.config)]

    def _secure_headers(response: Response) -> Response:
        headers = response.headers
        present = {name.lower() for name, _ in headers.items()}
        for name, lowered, value in fixed:
            if lowered not in present:
                headers.add(name, value)
        if request.endpoint != "static" and current_user and current_user.is_authenticated:
            # Pages of a signed-in user hold personal data: no copy in shared or browser caches.
            headers["Cache-Control"] = "no-store"
        return response

    return _secure_headers


def _log_refusals(response: Response) -> Response:
    if response.status_code in (403, 429) or (
        response.status_code == 400 and request.method == "POST"
    ):
        log_event("access_refused", status=response.status_code, method=request.method)
    return response


class _CurrentStderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a line is logged, not when the app started."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """The stream is always the current standard error."""


def configure_logging() -> None:
    """Send the app's log lines (the security log among them) to gunicorn's error log, with its
    timestamps; without gunicorn, to standard error in the same shape. Once per process.

    Without this, the security log had no handler: Python printed its lines bare on standard
    error, wherever QUIZAPP_ERROR_LOG pointed, and without a time.
    """
    package_log = logging.getLogger("quizapp")  # Flask's app.logger, and quizapp.security below
    package_log.removeHandler(default_handler)  # Flask's, untimed, if app.logger was built first
    if package_log.handlers:
        return
    gunicorn_log = logging.getLogger("gunicorn.error")
    if gunicorn_log.handlers:
        # The same handler objects: gunicorn reopens their files when logs are rotated (USR1).
        for handler in gunicorn_log.handlers:
            package_log.addHandler(handler)
    else:
        handler = _CurrentStderrHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT, LOG_DATE_FORMAT))
        package_log.addHandler(handler)
    package_log.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    """Register the request hooks and the log's destination."""
    configure_logging()
    app.before_request(_end_expired_session)
    app.after_request(_secure_headers_hook(app))
    app.after_request(_log_refusals)
