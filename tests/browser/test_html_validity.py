"""Every page is valid HTML (the Nu HTML Checker), loads only this site's files and logs no error.

The checker is the npm package vnu-jar's ``vnu.jar``, run with the machine's Java. It is too big
to keep in the repository: ``.ci/run`` puts it in ~/.cache/quizapp/ and sets VNU_JAR.
Without Java or the jar the test is skipped here, and fails in CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers.settings import PROJECT

from .conftest import DESKTOP, require
from .pages import PAGES, Shown, show

pytestmark = pytest.mark.browser

CACHE = Path.home() / ".cache" / "quizapp"


def vnu_jar() -> Path:
    """$VNU_JAR, else the newest vnu*.jar in ~/.cache/quizapp (where .ci/run puts it)."""
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    cached = sorted(CACHE.glob("vnu*.jar"), key=lambda jar: jar.stat().st_mtime)
    return cached[-1] if cached else CACHE / "vnu.jar"


STATIC_FILES = [
    PROJECT / "static" / "css" / "app.css",
    PROJECT / "static" / "css" / "roster.css",
    PROJECT / "static" / "css" / "article-panel.css",
    PROJECT / "static" / "img" / "favicon.svg",
]


@dataclass
class Visit:
    """One page as the browser got it: the HTML sent, and what happened while it loaded."""

    shown: Shown
    html: str
    console_errors: list[Any]
    requested: list[str]


@pytest.fixture(scope="module")
def visits(browser: Any, server: Any, scene: Any) -> list[Visit]:
    """Every page of the list, opened once with the site's own Content-Security-Policy."""
    contexts: dict[str, Any] = {}
    found = []
    try:
        for shown in PAGES:
            if shown.who not in contexts:
                context = browser.new_context(base_url=server.url, viewport=DESKTOP)
                if shown.who != "visitor":
                    account = getattr(scene, shown.who)
                    context.add_cookies([{**c, "url": server.url} for c in account.cookies])
                contexts[shown.who] = context
            page = contexts[shown.who].new_page()
            console_errors: list[Any] = []
            requested: list[str] = []
            page.on("console", lambda m, log=console_errors: m.type == "error" and log.append(m))
            page.on("pageerror", lambda e, log=console_errors: log.append(str(e)))
            page.on("request", lambda r, log=requested: log.append(r.url))
            response = show(page, shown, scene)
            found.append(Visit(shown, response.text(), console_errors, requested))
            page.close()
    finally:
        for context in contexts.values():
            context.close()
    return found


@pytest.fixture(scope="module")
def checker() -> list[str]:
    """The command that runs the Nu HTML Checker, or a skip (a failure in CI)."""
    java = shutil.which("java")
    require(java is not None, "Java is missing: apt-get install default-jre-headless")
    jar = vnu_jar()
    require(
        jar.is_file(),
        f"the Nu HTML Checker is missing at {jar}: set VNU_JAR, or run `npm pack vnu-jar` and "
        "copy its package/build/dist/vnu.jar there",
    )
    return [str(java), "-jar", str(jar)]


def test_every_page_is_valid_html(checker: list[str], visits: list[Visit], tmp_path: Path) -> None:
    names = {}
    for number, visit in enumerate(visits, start=1):
        file = tmp_path / f"{number:02d}-{re.sub(r'[^a-z0-9]+', '-', visit.shown.name)}.html"
        file.write_text(visit.html, encoding="utf-8")
        names[file] = visit.shown.name
    for static in STATIC_FILES:
        names[static] = static.name
    # One Java start for every file: it takes seconds.
    checked = subprocess.run(
        [*checker, "--errors-only", "--format", "json"]
        + ["--also-check-css", "--also-check-svg"]
        + [str(path) for path in names],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(checked.stderr or checked.stdout)
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        url = message.get("url", "?")
        where = names.get(Path(url.removeprefix("file:")), url)
        errors.setdefault(where, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']} "
            f"[{message.get('extract', '').strip()}]"
        )
    assert not errors, "\n".join(
        f"{page}:\n  " + "\n  ".join(found) for page, found in errors.items()
    )
    assert checked.returncode == 0, checked.stderr[-2000:]


def test_pages_load_only_this_sites_files_and_log_no_errors(
    visits: list[Visit], server: Any
) -> None:
    foreign = {
        visit.shown.name: [url for url in visit.requested if not url.startswith(server.url)]
        for visit in visits
    }
    assert {name: urls for name, urls in foreign.items() if urls} == {}
    errors = {}
    for visit in visits:
        # The browser logs the error status of a page meant to have one (a 404 page, say).
        expected = f"the server responded with a status of {visit.shown.status}"
        logged = [str(getattr(m, "text", m)) for m in visit.console_errors]
        if unexpected := [text for text in logged if expected not in text]:
            errors[visit.shown.name] = unexpected
    assert errors == {}
