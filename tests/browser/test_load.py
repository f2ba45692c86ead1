"""Issue 8, many students at once: 8 concurrent browser sessions against ONE fresh `streamlit run`
server, each uploading its own photo. Every session gets its own correct result, never another's;
no file is written to shared names; the server's RSS stays under the memory budget.

The server is fresh, so the 8 sessions also race on the first import of torch/transformers
(transformers' lazy module is not thread-safe there; the app imports under a lock).
"""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest

from bench.load import image_uploader
from engine.inputs.images import load_image
from engine.inputs.samples import load_sample
from engine.tasks.classification import classify, load_classifier
from tests.browser.conftest import CHROMIUM_ARGS, _free_port, chromium_path, start_server
from tests.conftest import IN_CI, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSIONS = 8
BUDGET_MB = 2500
TIMEOUT_S = 420


def _photos(tmp: Path) -> list[Path]:
    """Eight different photos: scikit-image samples, then mirrored ones."""
    keys = ["cat", "coffee", "rocket", "motorcycle", "astronaut", "horse"]
    paths = []
    for i in range(SESSIONS):
        img = load_sample(keys[i % len(keys)])
        if i >= len(keys):
            img = img.transpose(0)  # mirrored: another image, another score
        path = tmp / f"student{i}_{keys[i % len(keys)]}.png"
        img.save(path)
        paths.append(path)
    return paths


def _expected(paths: list[Path]) -> list[tuple[str, str]]:
    pipe = load_classifier("efficientnet-lite0")
    out = []
    for p in paths:
        label, score = classify(pipe, load_image(p), top_k=5).top
        out.append((label, f"{score:.1%}"))
    return out


def _tree(root: Path) -> set[str]:
    skip = {".venv", ".git", ".pytest_cache", "__pycache__", "screenshots", ".ruff_cache"}
    # Source files are left out: other work may be editing the tree while this runs.
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if not (set(p.relative_to(root).parts) & skip) and p.suffix not in {".py", ".md"} and p.is_file()
    }


async def _student(browser, base: str, photo: Path) -> dict:
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_S * 1000)
    try:
        await page.goto(f"{base}/classification")
        await page.get_by_text("Subir archivo").first.click()
        # The photo's uploader, by its label: the page has another (the labelled-photos zip's).
        await image_uploader(page).set_input_files(str(photo))
        await page.wait_for_function(
            """(name) => document.body.innerText.includes('Tu imagen: ' + name)
                 && document.querySelector('[data-testid="stMetricValue"]')""",
            arg=photo.name,
        )
        await page.wait_for_timeout(500)
        errors = await page.locator('[data-testid="stException"]').count()
        return {
            "label": (await page.locator('[data-testid="stMetricValue"]').first.inner_text()).strip(),
            "score": (await page.locator('[data-testid="stMetricDelta"]').first.inner_text()).strip(),
            "caption": await page.locator('[data-testid="stImageCaption"]').first.inner_text(),
            "exceptions": errors,
        }
    finally:
        await context.close()


def test_eight_students_at_once(tmp_path: Path) -> None:
    path = chromium_path()
    if path is None:
        if IN_CI:
            pytest.fail("Chromium is missing")
        pytest.skip("no Chromium")
    photos = _photos(tmp_path)
    expected = _expected(photos)
    before = _tree(ROOT)

    port = _free_port()
    server = start_server(port)
    proc = psutil.Process(server.pid)
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                peak[0] = max(peak[0], rss / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    async def run_all() -> list[dict]:
        from playwright.async_api import async_playwright

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            try:
                return await asyncio.wait_for(
                    asyncio.gather(*(_student(browser, f"http://127.0.0.1:{port}", p) for p in photos)),
                    timeout=TIMEOUT_S,
                )
            finally:
                await browser.close()

    results: list[dict] = []

    def drive() -> None:
        # A thread of its own: the session's sync Playwright keeps an event loop running in this one.
        results.extend(asyncio.run(run_all()))

    try:
        driver = threading.Thread(target=drive)
        driver.start()
        driver.join(TIMEOUT_S + 60)
        assert len(results) == SESSIONS, "the sessions did not all finish"
    finally:
        stop.set()
        sampler.join()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    for photo, (label, score), got in zip(photos, expected, results, strict=True):
        assert got["exceptions"] == 0, photo.name
        assert photo.name in got["caption"], f"{photo.name} saw another upload: {got['caption']}"
        assert got["label"] == label, f"{photo.name}: expected {label}, got {got['label']}"
        assert score in got["score"], f"{photo.name}: expected {score}, got {got['score']}"
    assert len({(r["label"], r["score"]) for r in results}) > 1  # different photos, different results
    assert peak[0] < BUDGET_MB, f"server peak RSS {peak[0]:.0f} MB"
    assert _tree(ROOT) - before == set(), "files were written into the app folder"
    print(f"\n{SESSIONS} sessions OK; server peak RSS {peak[0]:.0f} MB")
