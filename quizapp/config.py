"""Settings, read from environment variables prefixed ``QUIZAPP_``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

MISSING_KEY_MESSAGE = (
    "QUIZAPP_SECRET_KEY is not set. Set it to a long random value before starting the app, "
    'for example: export QUIZAPP_SECRET_KEY="$(python3 -c '
    "'import secrets; print(secrets.token_hex(32))')\""
)


class ConfigurationError(RuntimeError):
    """The app cannot start with these settings; the message says what to change."""


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
    if env.get("QUIZAPP_SECURE_COOKIES"):
        settings["SESSION_COOKIE_SECURE"] = env["QUIZAPP_SECURE_COOKIES"].lower() in (
            "1",
            "true",
            "yes",
        )
    return settings


def default_settings(instance_path: str) -> dict[str, Any]:
    """Defaults: a SQLite file in the instance folder and safe cookie settings."""
    database = Path(instance_path) / "quizapp.sqlite3"
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "QUESTIONS_DIR": str(PROJECT_ROOT / "questions"),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # A CSRF token must outlive the longest timed quiz, so it lasts as long as the session.
        "WTF_CSRF_TIME_LIMIT": None,
        # argon2id; the defaults are above the OWASP ASVS minimum (19 MiB, 2 passes).
        "PASSWORD_HASH_TIME_COST": 3,
        "PASSWORD_HASH_MEMORY_KIB": 65536,
        "PASSWORD_HASH_PARALLELISM": 4,
        "GENERATE_SECRET_KEY": False,
    }


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


def check_secret_key(config: dict[str, Any], instance_path: str) -> None:
    """Refuse to run without a secret key, except in debug, testing or the local run command."""
    if config.get("SECRET_KEY"):
        return
    if config.get("GENERATE_SECRET_KEY"):
        config["SECRET_KEY"] = local_secret_key(instance_path)
    elif config.get("TESTING") or config.get("DEBUG"):
        config["SECRET_KEY"] = secrets.token_hex(32)
    else:
        raise ConfigurationError(MISSING_KEY_MESSAGE)
