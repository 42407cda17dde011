"""Settings, read from environment variables prefixed ``QUIZAPP_``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import click

from .domain.limits import MAX_FORM_TEXT_BYTES, MAX_UPLOAD_REQUEST_BYTES
from .shipped import shipped_folder

MISSING_KEY_MESSAGE = (
    "QUIZAPP_SECRET_KEY is not set. Set it to a long random value before starting the app, "
    'for example: export QUIZAPP_SECRET_KEY="$(python3 -c '
    "'import secrets; print(secrets.token_hex(32))')\". (On your own computer, the flask "
    "commands also use the key that `python -m quizapp` keeps in the instance folder.)"
)


#: Whole-number settings that a QUIZAPP_<NAME> environment variable may set.
INTEGER_SETTINGS = (
    "PASSWORD_HASH_TIME_COST",
    "PASSWORD_HASH_MEMORY_KIB",
    "PASSWORD_HASH_PARALLELISM",
    "PROXY_FIX_X_FOR",
    "PROXY_FIX_X_PROTO",
    "PROXY_FIX_X_HOST",
    "PROXY_FIX_X_PORT",
    "PROXY_FIX_X_PREFIX",
    "LOGIN_LIMIT_PER_ACCOUNT",
    "LOGIN_LIMIT_PER_ADDRESS",
    "LOGIN_LIMIT_WINDOW_MINUTES",
    "REGISTRATION_LIMIT_PER_ADDRESS",
    "JOIN_LIMIT_PER_STUDENT",
    "REMEMBER_ME_DAYS",
    "SESSION_IDLE_MINUTES",
    "SESSION_MAX_HOURS",
)

#: The OWASP ASVS minimum for argon2id: 19 MiB of memory and 2 passes.
MIN_HASH_MEMORY_KIB, MIN_HASH_TIME_COST = 19 * 1024, 2


class ConfigurationError(click.ClickException):
    """The app cannot start with these settings; the message says what to change.

    A Click exception, so that a ``flask`` command (a nightly backup's cron line, say) prints
    it as one line, "Error: ...", rather than under a traceback of Flask's app loading."""


def settings_from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """The settings that environment variables provide (only those that are set)."""
    env = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    if env.get("QUIZAPP_SECRET_KEY"):
        settings["SECRET_KEY"] = env["QUIZAPP_SECRET_KEY"]
    if env.get("QUIZAPP_DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = env["QUIZAPP_DATABASE_URL"]
    if env.get("QUIZAPP_QUESTIONS_DIR"):
        settings["QUESTIONS_DIR"] = env["QUIZAPP_QUESTIONS_DIR"]
    if env.get("QUIZAPP_REDIS_URL"):
        settings["REDIS_URL"] = env["QUIZAPP_REDIS_URL"]
    if env.get("QUIZAPP_SECURE_COOKIES"):
        secure = env["QUIZAPP_SECURE_COOKIES"].lower() in ("1", "true", "yes")
        settings["SESSION_COOKIE_SECURE"] = settings["REMEMBER_COOKIE_SECURE"] = secure
    if env.get("QUIZAPP_DATABASE_PGBOUNCER"):
        pgbouncer = env["QUIZAPP_DATABASE_PGBOUNCER"].lower() in ("1", "true", "yes")
        settings["DATABASE_PGBOUNCER"] = pgbouncer
    if env.get("QUIZAPP_REMEMBER_ME"):
        settings["REMEMBER_ME_ENABLED"] = env["QUIZAPP_REMEMBER_ME"].lower() in ("1", "true", "yes")
    for setting in INTEGER_SETTINGS:
        value = env.get(f"QUIZAPP_{setting}")
        if value:
            try:
                settings[setting] = int(value)
            except ValueError:
                raise ConfigurationError(f"QUIZAPP_{setting} must be a whole number.") from None
    return settings


def default_settings(instance_path: str) -> dict[str, Any]:
    """Defaults: a SQLite file in the instance folder and safe cookie settings."""
    database = Path(instance_path) / "quizapp.sqlite3"
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "QUESTIONS_DIR": str(shipped_folder("questions")),
        # A question-set file and its source texts, with room for several sources (the limits
        # of each are in quizapp/domain/limits.py).
        "MAX_CONTENT_LENGTH": MAX_UPLOAD_REQUEST_BYTES,
        "MAX_FORM_MEMORY_SIZE": MAX_FORM_TEXT_BYTES,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # A CSRF token must outlive the longest timed quiz, so it lasts as long as the session.
        "WTF_CSRF_TIME_LIMIT": None,
        # argon2id at OWASP's recommended configuration (19 MiB, 2 passes, 1 lane), which is
        # the ASVS minimum: about 20 ms a sign-in, so a class of 30 signing in at once on a
        # 2-core server is served within a second. Raise them on bigger hardware.
        "PASSWORD_HASH_TIME_COST": 2,
        "PASSWORD_HASH_MEMORY_KIB": 19 * 1024,
        "PASSWORD_HASH_PARALLELISM": 1,
        "GENERATE_SECRET_KEY": False,
        # How many proxies in front of the app set each X-Forwarded-* header (0: trust none).
        "PROXY_FIX_X_FOR": 0,
        "PROXY_FIX_X_PROTO": 0,
        "PROXY_FIX_X_HOST": 0,
        "PROXY_FIX_X_PORT": 0,
        "PROXY_FIX_X_PREFIX": 0,
        # A writer waits this long for SQLite's write lock before the page answers 503.
        "SQLITE_BUSY_TIMEOUT_MS": 15000,
        # Sign-in throttling (services.throttling): free failures per device, or per account
        # from one address, before waits that double up to the window; generous per address
        # (counted in accounts tried), since a whole class may sit behind one school IP.
        "LOGIN_LIMIT_PER_ACCOUNT": 5,
        "LOGIN_LIMIT_PER_ADDRESS": 200,
        "LOGIN_LIMIT_WINDOW_MINUTES": 15,
        # Accounts created from one address per hour, and wrong join codes per student in the
        # window, before the same doubling waits.
        "REGISTRATION_LIMIT_PER_ADDRESS": 100,
        "JOIN_LIMIT_PER_STUDENT": 10,
        "REDIS_URL": "",
        # Signed out after this long without a request, and this long after signing in; the
        # absolute limit outlasts the longest timed quiz (600 minutes), so no quiz is cut off.
        "SESSION_IDLE_MINUTES": 120,
        "SESSION_MAX_HOURS": 12,
        "REMEMBER_ME_ENABLED": False,
        # How long "keep me signed in" lasts on a device (until sign-out or a password change).
        "REMEMBER_ME_DAYS": 30,
        "DATABASE_CONNECT_TIMEOUT": 5,
        # PostgreSQL reached through PgBouncer in transaction mode: no server-side prepared
        # statements (quizapp/database.py says why).
        "DATABASE_PGBOUNCER": False,
    }


def check_password_hashing(config: dict[str, Any]) -> None:
    """Refuse an argon2 cost below the OWASP ASVS minimum (19 MiB, 2 passes)."""
    if (
        config["PASSWORD_HASH_MEMORY_KIB"] < MIN_HASH_MEMORY_KIB
        or config["PASSWORD_HASH_TIME_COST"] < MIN_HASH_TIME_COST
        or config["PASSWORD_HASH_PARALLELISM"] < 1
    ):
        raise ConfigurationError(
            f"The password hash cost is below the minimum: use at least "
            f"QUIZAPP_PASSWORD_HASH_MEMORY_KIB={MIN_HASH_MEMORY_KIB}, "
            f"QUIZAPP_PASSWORD_HASH_TIME_COST={MIN_HASH_TIME_COST} and "
            "QUIZAPP_PASSWORD_HASH_PARALLELISM=1."
        )


def local_secret_key(instance_path: str) -> str:
    """The key kept in the instance folder for the local run command, made on first start."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key, encoding="ascii")
    path.chmod(0o600)
    return key


def _flask_command_beside_a_local_run(instance_path: str) -> bool:
    # Flask sets FLASK_RUN_FROM_CLI for every ``flask ...`` command, and only for those.
    return (
        os.environ.get("FLASK_RUN_FROM_CLI") == "true"
        and (Path(instance_path) / "secret_key").is_file()
    )


def check_secret_key(config: dict[str, Any], instance_path: str) -> None:
    """Refuse to run without a secret key, except in debug, testing or the local run command.

    The key the local run command keeps in the instance folder also serves the ``flask``
    commands run beside it (``create-teacher`` after ``python -m quizapp``). A server (gunicorn,
    waitress) never falls back to it: a deployment must set its own key.
    """
    if config.get("SECRET_KEY"):
        return
    if config.get("GENERATE_SECRET_KEY") or _flask_command_beside_a_local_run(instance_path):
        config["SECRET_KEY"] = local_secret_key(instance_path)
        if not config["SECRET_KEY"]:
            raise ConfigurationError(
                f"{Path(instance_path) / 'secret_key'} is empty; delete it to make a new key"
            )
    elif config.get("TESTING") or config.get("DEBUG"):
        config["SECRET_KEY"] = secrets.token_hex(32)
    else:
        raise ConfigurationError(MISSING_KEY_MESSAGE)
