"""Settings: environment variables, and no start without a secret key outside testing."""

from __future__ import annotations

import pytest

from quizapp import create_app
from quizapp.config import ConfigurationError


@pytest.fixture
def clean_environment(monkeypatch, tmp_path):
    for name in ("QUIZAPP_SECRET_KEY", "QUIZAPP_DATABASE_URL", "QUIZAPP_INSTANCE_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUIZAPP_INSTANCE_PATH", str(tmp_path / "instance"))
    return tmp_path


def test_refuses_to_start_without_a_secret_key(clean_environment):
    with pytest.raises(ConfigurationError, match="QUIZAPP_SECRET_KEY is not set"):
        create_app()


def test_a_flask_command_without_a_secret_key_says_so_in_one_line(clean_environment):
    """A nightly backup's cron line runs without the service's environment: it printed the
    message at the end of a traceback of Flask's app loading."""
    from click.testing import CliRunner
    from flask.cli import cli

    result = CliRunner().invoke(cli, ["--app", "quizapp", "backup", str(clean_environment / "b")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: QUIZAPP_SECRET_KEY is not set.")
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit), "Click reported it, as a usage error"


def test_reads_secret_key_and_database_from_the_environment(clean_environment, monkeypatch):
    database = f"sqlite:///{clean_environment / 'other.sqlite3'}"
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", database)
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database


def test_default_database_is_a_sqlite_file_in_the_instance_folder(clean_environment, monkeypatch):
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "k")
    app = create_app()
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"]
        == f"sqlite:///{clean_environment / 'instance' / 'quizapp.sqlite3'}"
    )


def test_local_run_generates_a_key_once_and_keeps_it(clean_environment):
    first = create_app({"GENERATE_SECRET_KEY": True})
    key_file = clean_environment / "instance" / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    second = create_app({"GENERATE_SECRET_KEY": True})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 32


def test_flask_commands_use_the_key_the_local_run_kept(clean_environment, monkeypatch):
    kept = create_app({"GENERATE_SECRET_KEY": True}).config["SECRET_KEY"]
    # `flask --app quizapp create-teacher ...` after `python -m quizapp`, with no key set.
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    assert create_app().config["SECRET_KEY"] == kept


def test_a_server_never_falls_back_to_the_local_key(clean_environment, monkeypatch):
    create_app({"GENERATE_SECRET_KEY": True})
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    with pytest.raises(ConfigurationError, match="QUIZAPP_SECRET_KEY is not set"):
        create_app({"MIGRATIONS": False})  # what wsgi.py does under gunicorn


def test_an_empty_local_key_file_is_refused(clean_environment, monkeypatch):
    (clean_environment / "instance").mkdir()
    (clean_environment / "instance" / "secret_key").write_text("")
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    with pytest.raises(ConfigurationError, match="is empty"):
        create_app()


def test_testing_gets_a_random_key(clean_environment):
    assert create_app({"TESTING": True}).config["SECRET_KEY"]
