"""Sign-in sessions: Flask-Login keyed by a rotating per-user token, and role checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache, wraps
from typing import Any

from flask import Flask, abort, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user, login_required
from itsdangerous import TimestampSigner, URLSafeTimedSerializer, want_bytes
from werkzeug.wrappers import Response

from ..domain.i18n import lazy_gettext
from ..extensions import login_manager
from ..models import User
from ..services.accounts import user_for_session
from ..state import app_state


class _KeptKeySigner(TimestampSigner):
    """itsdangerous' timestamped HMAC signer with its derived keys kept: the key derived from a
    secret is the same on every request, so it is computed once rather than twice a request."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        """The signing key derived from ``secret_key`` (the current secret by default)."""
        secret = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        return _derived_key(secret, self.salt, self.key_derivation, self.digest_method)


@lru_cache(maxsize=16)  # a few secret keys per process (tests make many apps)
def _derived_key(secret: bytes, salt: bytes, derivation: str, digest_method: Any) -> bytes:
    signer = TimestampSigner(
        secret, salt=salt, key_derivation=derivation, digest_method=digest_method
    )
    return signer.derive_key()


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, the same cookies signed the same way, with the
    serializer built once per set of secret keys (kept in the app state) instead of on every
    request."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer (its salt, HMAC-SHA1 signature and JSON tags) for the app's
        current secret keys; a changed key or fallback list builds a new one."""
        if not app.secret_key:
            return None
        fallbacks = app.config["SECRET_KEY_FALLBACKS"] or ()
        keys = (*fallbacks, app.secret_key)
        state = app_state(app)
        kept = state.cookie_serializer
        if kept is not None and kept[0] == keys:
            serializer: URLSafeTimedSerializer = kept[1]
            return serializer
        serializer = URLSafeTimedSerializer(
            list(keys),  # the current key last, as itsdangerous expects
            salt=self.salt,
            serializer=self.serializer,
            signer=_KeptKeySigner,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )
        state.cookie_serializer = (keys, serializer)
        return serializer


def init_app(app: Flask) -> None:
    """Attach Flask-Login; the session holds the user's token, checked on every request."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please sign in to continue.")
    # Flashed messages are stored in the session: the text in the reader's language, not the
    # lazy message.
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    # Flask-Login's remember cookie holds the rotating session token, so signing out or
    # changing the password revokes it with the sessions (security._end_expired_session
    # starts a new session from it).
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=app.config["REMEMBER_ME_DAYS"])
    app.before_request(require_own_password)


def _load_user(token: str) -> User | None:
    """The signed-in user; on student pages with the deadline of their open timed attempts,
    which those pages check (teachers' pages need not pay for the subquery)."""
    return user_for_session(token, with_deadline=request.blueprint == "student")


#: Pages a user with a one-time password may still open.
_ALLOWED_BEFORE_PASSWORD_CHANGE = {"auth.change_password", "auth.logout", "static"}


def require_own_password() -> Response | None:
    """Anyone signed in with a one-time password must choose their own first."""
    if request.endpoint in _ALLOWED_BEFORE_PASSWORD_CHANGE:
        return None  # static files among them: no user query for a stylesheet
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


def teacher_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only signed-in teachers through; students get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_teacher:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
