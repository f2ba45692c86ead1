"""Browser tests: Playwright (Python) drives Debian's Chromium against `streamlit run` on localhost.

A missing browser is a skip on a laptop and a failure under CI. Screenshots go under
.pytest_cache/vision/screenshots/ unless ``VISION_SCREENSHOTS`` names a folder: ``make screenshots``
sets it to docs/screenshots/ (the README shows them), so a plain test run never rewrites tracked files.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import CHROMIUM_ARGS, chromium_path, free_port, stop_server
from bench.browser import start_server as _start_server
from tests.conftest import IN_CI, ROOT, WORK

SCREENSHOTS_ENV = "VISION_SCREENSHOTS"  # a folder, relative to the repository root or absolute
LOAD_TIMEOUT_MS = 180_000  # first model loads on a busy 2-core machine
_free_port = free_port


def start_server(port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`streamlit run Home.py` on 127.0.0.1:port (logs under .pytest_cache/vision)."""
    return _start_server(port, env, log_dir=WORK)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    WORK.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    proc = start_server(port)
    yield f"http://127.0.0.1:{port}"
    stop_server(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        if IN_CI:
            pytest.fail("Chromium is missing: CI must run the browser tests (make test installs it)")
        pytest.skip("no Chromium here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(LOAD_TIMEOUT_MS)
    pg.base_url = server  # type: ignore[attr-defined]
    yield pg
    context.close()


def wait_idle(pg, timeout_ms: int = LOAD_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished the current script run (no 'Running…' indicator)."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    # Every page starts with its title (ui.layout.page_header): the script has begun rendering.
    pg.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
    pg.wait_for_timeout(300)
    pg.wait_for_function(
        """() => {
            const w = document.querySelector('[data-testid="stStatusWidget"]');
            return !w || !/Running|Ejecut/i.test(w.innerText);
        }""",
        timeout=timeout_ms,
    )
    pg.wait_for_timeout(300)


def goto(pg, path: str = "", query: str = "") -> None:
    """Open ``/<path>`` and wait for the app to be idle."""
    pg.goto(f"{pg.base_url}/{path}{'?' + query if query else ''}")
    wait_idle(pg)


def assert_no_exception(pg) -> None:
    """No Streamlit exception box on the page."""
    boxes = pg.locator('[data-testid="stException"]')
    assert boxes.count() == 0, boxes.first.inner_text()


def screenshots_dir() -> Path:
    """Where screenshots go: ``$VISION_SCREENSHOTS`` (``make screenshots``: docs/screenshots), else
    an ignored folder, so the tests still take them (a failure to render still fails) unasked."""
    chosen = os.environ.get(SCREENSHOTS_ENV, "").strip()
    return ROOT / chosen if chosen else WORK / "screenshots"


def screenshot(pg, name: str) -> Path:
    """Full-page screenshot into :func:`screenshots_dir` as ``<name>.png``."""
    folder = screenshots_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def tall_screenshot(pg, name: str, height: int = 2000) -> Path:
    """A screenshot of the page from its top in a tall viewport (Streamlit scrolls inside the page,
    so a "full page" shot is one viewport), then the viewport back to its size."""
    size = pg.viewport_size
    pg.set_viewport_size({"width": size["width"], "height": height})
    pg.evaluate("() => document.querySelectorAll('*').forEach((el) => { if (el.scrollTop > 0) el.scrollTop = 0; })")
    pg.wait_for_timeout(800)  # re-layout, charts redrawn, images painted
    path = screenshot(pg, name)
    pg.set_viewport_size(size)
    return path


def open_selectbox(pg, select, *, tries: int = 3, timeout_ms: int = 10_000):
    """Open the ``stSelectbox`` located by ``select`` and return its options (``role=option``).

    A rerun that lands just after the click closes the list: it is opened again, ``tries`` times at
    most, then the test fails saying so.

    Example:
        >>> options = open_selectbox(page, page.locator('[data-testid="stSelectbox"]').first)  # doctest: +SKIP
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    options = pg.get_by_role("option")
    for _ in range(tries):
        select.get_by_role("button", name="Open").click()
        try:
            options.first.wait_for(timeout=timeout_ms)
            return options
        except PlaywrightTimeout:
            wait_idle(pg)
    pytest.fail(f"the select box did not open its list in {tries} tries (each closed by a rerun)")


def upload_file(pg, path: Path, index: int = 0, *, label: str = "") -> None:
    """Upload ``path`` through the page's file uploader labelled ``label`` (else its ``index``-th)
    and wait for the rerun. Where a page has two uploaders, name it by its label: an index can
    point at the other one while a rerun is still drawing the page."""
    uploaders = pg.locator('[data-testid="stFileUploader"]')
    target = uploaders.filter(has_text=label).first if label else uploaders.nth(index)
    target.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    pg.wait_for_timeout(800)
    wait_idle(pg)
