"""Browser tests: Playwright (Python) drives Debian's Chromium against `streamlit run` on localhost.

A missing browser is a skip on a laptop and a failure under CI. Screenshots go to
docs/screenshots/ (the README shows them).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT, WORK

SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
LOAD_TIMEOUT_MS = 180_000  # first model loads on a busy 2-core machine


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`streamlit run Home.py` on 127.0.0.1:port, waiting until its health check answers."""
    log = open(WORK / f"streamlit-{port}.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "Home.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start within 60 s")


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    WORK.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    proc = start_server(port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


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


def screenshot(pg, name: str) -> Path:
    """Full-page screenshot into docs/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
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


def upload_file(pg, path: Path, index: int = 0) -> None:
    """Upload ``path`` through the page's ``index``-th file uploader and wait for the rerun."""
    pg.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(index).set_input_files(str(path))
    pg.wait_for_timeout(800)
    wait_idle(pg)
