"""Security log lines go to gunicorn's error log with a timestamp, never bare to standard error."""

from __future__ import annotations

import re
import shutil
import time

import pytest
import requests
from helpers.forms import CSRF_PATTERN, post_form
from helpers.served import ServedApp, free_loopback_port, server_environment

#: gunicorn's error-log line: "[2026-12-01 10:15:02 +0000] [1234] [WARNING] ...".
TIMESTAMPED = r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[WARNING\]"


def test_without_gunicorn_security_lines_have_a_timestamp_on_standard_error(
    client, capsys: pytest.CaptureFixture[str]
):
    post_form(client, "/account/login", {"username": "nobody", "password": "wrong"})
    logged = capsys.readouterr().err
    assert re.search(
        rf"^{TIMESTAMPED} quizapp\.security: login_failed .*account=nobody", logged, re.M
    ), logged


def test_under_gunicorn_security_lines_go_to_the_error_log_with_a_timestamp(
    tmp_path, template_database
):
    database = tmp_path / "app.sqlite3"
    shutil.copyfile(template_database, database)  # migrated, as init-db leaves it
    environment = server_environment(f"sqlite:///{database}", tmp_path, free_loopback_port(), 1)
    error_log = tmp_path / "error.log"
    environment["QUIZAPP_ERROR_LOG"] = str(error_log)
    served = ServedApp.launch(environment, tmp_path)
    try:
        deadline = time.monotonic() + 30
        while not served.healthy():
            assert time.monotonic() < deadline, served.log.read_text()[-2000:]
            assert served.process.poll() is None, served.log.read_text()[-2000:]
            time.sleep(0.2)
        with requests.Session() as browser:
            page = browser.get(f"{served.url}/account/login", timeout=10)
            token = CSRF_PATTERN.search(page.text).group(1)
            refused = browser.post(
                f"{served.url}/account/login",
                data={"csrf_token": token, "username": "nobody\nforged", "password": "wrong"},
                # A connection kept alive here holds the stopping worker for two seconds.
                headers={"Connection": "close"},
                timeout=10,
            )
        assert refused.status_code == 200
        pattern = re.compile(rf"^{TIMESTAMPED} login_failed .*account=nobody\\nforged", re.M)
        deadline = time.monotonic() + 10
        while not pattern.search(error_log.read_text()):
            assert time.monotonic() < deadline, error_log.read_text()[-2000:]
            time.sleep(0.2)
    finally:
        served.stop()
    # Nothing of the app's log went around the error log to standard error.
    assert "login_failed" not in served.log.read_text()
