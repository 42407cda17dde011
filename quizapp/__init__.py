"""Civics Quiz: a Flask app that teaches civics through a real news story."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from .config import (
    check_password_hashing,
    check_secret_key,
    default_settings,
    settings_from_environment,
)
from .shipped import shipped_folder


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, commands and error pages (no I/O)."""
    app = Flask(
        __name__,
        static_folder=str(shipped_folder("static")),
        instance_path=_instance_path(config),
    )
    configure_settings(app, config)
    configure_proxy(app)
    configure_extensions(app)
    configure_languages(app)
    configure_blueprints(app)
    configure_commands(app)
    configure_error_pages(app)
    configure_templates(app)
    configure_security(app)
    return app


def _instance_path(config: Mapping[str, Any] | None) -> str | None:
    """QUIZAPP_INSTANCE_PATH (or INSTANCE_PATH in ``config``); Flask's default otherwise."""
    chosen = (config or {}).get("INSTANCE_PATH") or os.environ.get("QUIZAPP_INSTANCE_PATH")
    return str(Path(chosen).resolve()) if chosen else None


def configure_settings(app: Flask, config: Mapping[str, Any] | None) -> None:
    """Defaults, then environment variables, then the ``config`` given to create_app."""
    app.config.update(default_settings(app.instance_path))
    app.config.update(settings_from_environment())
    if config:
        app.config.update(config)
    check_secret_key(app.config, app.instance_path)
    check_password_hashing(app.config)


def configure_proxy(app: Flask) -> None:
    """Behind a reverse proxy, trust as many X-Forwarded-* hops as the settings say."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = {
        name: app.config[f"PROXY_FIX_{name.upper()}"]
        for name in ("x_for", "x_proto", "x_host", "x_port", "x_prefix")
    }
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)  # type: ignore[method-assign]


def configure_extensions(app: Flask) -> None:
    """Bind the database, migrations, sign-in and CSRF protection to the app."""
    from . import models
    from .auth.sessions import init_app as init_sessions
    from .database import init_app as init_database
    from .extensions import csrf
    from .state import init_app as init_state

    init_state(app)
    init_database(app)
    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        models.use_postgresql()
    if app.config.get("MIGRATIONS", True):
        configure_migrations(app)
    csrf.init_app(app)
    init_sessions(app)


def configure_migrations(app: Flask) -> None:
    """Flask-Migrate, for ``flask db`` and the schema upgrades of ``init-db`` (services/schema.py).

    The served app (wsgi.py) leaves it out: Flask-Migrate brings Alembic, about 12 MB and 0.15 s
    of start-up in every worker, and a worker never migrates.
    """
    from flask_migrate import Migrate

    from .extensions import db

    # The one place that names the migrations folder; upgrades (services/schema.py) use it.
    Migrate(app, db, directory=str(Path(__file__).parent / "migrations"))


def configure_languages(app: Flask) -> None:
    """Flask-Babel: the interface in the reader's language (quizapp/i18n.py)."""
    from .i18n import init_app

    init_app(app)


def configure_blueprints(app: Flask) -> None:
    """One blueprint per audience; every ``<int:...>`` in their URLs is a bounded id."""
    from .auth.routes import bp as auth_bp
    from .editor.routes import bp as editor_bp
    from .health import bp as health_bp
    from .help.routes import bp as help_bp
    from .lti.routes import bp as lti_bp
    from .lti.web import init_app as init_lti_web
    from .media.routes import bp as media_bp
    from .routing import IdConverter
    from .student.routes import bp as student_bp
    from .teacher.routes import bp as teacher_bp

    app.url_map.converters["int"] = IdConverter
    app.register_blueprint(auth_bp)
    app.register_blueprint(student_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(teacher_bp)
    app.register_blueprint(editor_bp)
    app.register_blueprint(help_bp)
    app.register_blueprint(lti_bp)
    app.register_blueprint(media_bp)
    init_lti_web(app)


def configure_commands(app: Flask) -> None:
    """flask init-db, import-questions and create-teacher."""
    from .cli import init_app

    init_app(app)


def configure_error_pages(app: Flask) -> None:
    """Friendly error pages without tracebacks."""
    from .errors import init_app

    init_app(app)


def configure_security(app: Flask) -> None:
    """Security headers, session lifetimes and the security log."""
    from .security import init_app

    init_app(app)


def configure_templates(app: Flask) -> None:
    """Template helpers shared by every page."""
    from . import fragments
    from .presentation import init_app

    init_app(app)
    fragments.init_app(app)
