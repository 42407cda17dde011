"""Browser tests: the app under gunicorn, driven in Debian's Chromium through Playwright.

One server, one browser and one scene of accounts, classes and attempts serve the whole session;
each test opens its own browser contexts (its own cookies). Without Chromium (or the playwright
package) the tests are skipped on a developer's machine and fail in CI (CI=true), where
``.ci/run`` installs it. Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from helpers.served import ServedApp, free_loopback_port, run_flask, server_environment
from helpers.settings import IN_CI, PROJECT

from .scene import Account, Scene, build_scene

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

HERE = Path(__file__).resolve().parent
#: The set the browser tests take: one question of each type on a long report.
BROWSER_SET_FILE = HERE / "data" / "curfew-report.yaml"
#: The evidence-based reading types (select_evidence, a Part A/B pair, a written response).
READING_SET_FILE = HERE / "data" / "reading-report.yaml"
#: The question bank the app ships: long enough for free practice to offer a quick round.
SHIPPED_BANK_FILE = HERE.parent.parent / "questions" / "bukele-prison-offer.yaml"
CHROMIUM = Path(os.environ.get("QUIZAPP_CHROMIUM", "/usr/bin/chromium"))
#: As root in a closed network: no sandbox, and none of Chromium's own network traffic.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
START_TIMEOUT = 30.0
#: Where this run's screenshots go; the terminal summary prints it.
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots" / datetime.now().strftime("%Y%m%d-%H%M%S")


def require(available: bool, message: str) -> None:
    """Skip a browser test when a tool is missing here; fail in CI, which must have it."""
    if not available:
        if IN_CI:
            pytest.fail(f"{message} (required in CI)")
        pytest.skip(message)


def import_playwright() -> ModuleType:
    """playwright.sync_api; without the package, skip the test module (fail it in CI)."""
    try:
        import playwright.sync_api as sync_api
    except ImportError:
        message = "the playwright package is missing: pip install -e '.[test]'"
        if IN_CI:
            pytest.fail(f"{message} (required in CI)", pytrace=False)
        pytest.skip(message, allow_module_level=True)
    return sync_api


@dataclass
class AppServer(ServedApp):
    """gunicorn serving the app on loopback, and an in-process app on the same database."""

    def flask(self, *arguments: str) -> str:
        """Run ``flask --app quizapp ARGUMENTS`` as an administrator would; return its output."""
        return run_flask(self.environment, *arguments)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium and the playwright package, or a skip (a failure in CI)."""
    require(
        CHROMIUM.exists(),
        f"Chromium is not installed at {CHROMIUM}: apt-get install chromium "
        "(or set QUIZAPP_CHROMIUM) to run the browser tests",
    )
    import_playwright()
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """init-db on a fresh SQLite file, the browser set imported, then gunicorn on loopback."""
    folder = tmp_path_factory.mktemp("browser-server")
    database_url = f"sqlite:///{folder / 'quizapp.sqlite3'}"
    port = free_loopback_port()
    environment = server_environment(database_url, folder, port, workers=3)
    run_flask(environment, "init-db")
    run_flask(environment, "import-questions", str(BROWSER_SET_FILE))
    run_flask(environment, "import-questions", str(READING_SET_FILE))
    run_flask(environment, "import-questions", str(SHIPPED_BANK_FILE))
    started = AppServer.launch(environment, folder)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not started.healthy():
            if started.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start:\n{started.log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="session")
def scene(server: AppServer) -> Scene:
    """A teacher, a class, assignments and a student's attempts in every state, made over HTTP."""
    return build_scene(server)


class OpenPage:
    """Opens pages in new browser contexts (own cookies), closed when the test ends."""

    def __init__(self, browser: Browser, server: AppServer) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list[Any] = []

    def __call__(self, who: Account | None = None, *, phone: bool = False, **options: Any) -> Page:
        """A new page, signed in as ``who`` (or a visitor), at desktop or phone size."""
        context = self.browser.new_context(
            base_url=self.server.url, viewport=PHONE if phone else DESKTOP, **options
        )
        context.set_default_timeout(15_000)
        if who is not None:
            context.add_cookies([{**cookie, "url": self.server.url} for cookie in who.cookies])
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        """Close every context this test opened."""
        for context in self.contexts:
            context.close()


@pytest.fixture
def open_page(browser: Browser, server: AppServer) -> Iterator[OpenPage]:
    """Factory: open_page(scene.student, java_script_enabled=False) gives a new page."""
    opener = OpenPage(browser, server)
    yield opener
    opener.close()


class Screenshots:
    """Full-page screenshots of a test's key steps, at desktop and at phone size."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def take(
        self,
        page: Page,
        step: str,
        full_page: bool = True,
        sizes: tuple[str, ...] = ("desktop", "phone"),
    ) -> list[Path]:
        """Save the page as it is now at each size, then restore its viewport."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        original = page.viewport_size
        saved = []
        for size_name in sizes:
            page.set_viewport_size(SIZES[size_name])
            path = self.folder / f"{self.count:02d}-{step}-{size_name}.png"
            page.screenshot(path=path, full_page=full_page)
            saved.append(path)
        if original:
            page.set_viewport_size(original)
        return saved


@pytest.fixture
def screenshots(request: pytest.FixtureRequest) -> Screenshots:
    """Screenshots in test-artifacts/screenshots/<run>/<test>/[<parameters>/]."""
    folder = SCREENSHOTS / request.node.originalname
    if callspec := getattr(request.node, "callspec", None):
        folder = folder / re.sub(r"[^A-Za-z0-9_.-]+", "-", callspec.id).strip("-")
    return Screenshots(folder)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say where this run's screenshots are."""
    if SCREENSHOTS.exists():
        count = sum(1 for _ in SCREENSHOTS.rglob("*.png"))
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{count} screenshots in {SCREENSHOTS}")
