"""Browser tests of the web UI: the real app served by uvicorn on 127.0.0.1 (a free port), driven
in Debian's chromium (/usr/bin/chromium, installed by `make test`) with Playwright. Nothing is
mocked. Every page a test visits can be saved with ``shoot`` under ``var/screenshots/`` for a
person to look at, and ``serious_accessibility_violations`` runs axe-core on it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from api.app import create_app
from netra.domain.models import Role
from netra.domain.settings import Settings
from netra.store.sqlite import SqliteStore
from tests import ui_seed

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
# What the machine's closed network needs (no calls home) and what running as root needs.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    url: str
    store: SqliteStore
    settings: Settings


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[Served]:
    """The app over the seeded queue (``tests/ui_seed.py``), on a real port, for one test."""
    store = ui_seed.seed(tmp_path / "ui.db")
    port = _free_port()
    settings = Settings(
        db_path=tmp_path / "ui.db",
        var_dir=tmp_path / "var",
        model_dir=tmp_path / "models",
        review_ui_url=f"http://127.0.0.1:{port}/ui",
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, store), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the UI server did not start")
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", store, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Per module, not per session: Playwright's sync API holds an event loop on the main thread
    while it runs, and later tests that call ``asyncio.run`` (the DAG tests) must not see it."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Pages in fresh browser contexts (separate cookie jars: two analysts at once)."""
    contexts = []

    def make(width: int = 1280, height: int = 720) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="id-ID",
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


def sign_in(page: Page, served: Served, role: Role = Role.ANALYST) -> None:
    """Through the password-less link `netra users add` prints (the token in the fragment)."""
    page.goto(f"{served.url}/ui/masuk#token={ui_seed.TOKENS[role]}")
    page.wait_for_url(f"{served.url}/ui")


def shoot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (WCAG 2 A and AA)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci --prefix tests/browser)")
    page.evaluate(AXE.read_text())  # evaluated by the driver, so the page's CSP does not apply
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
            });
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(" ")).join(", ")})`);
        }"""
    )
    return list(found)
