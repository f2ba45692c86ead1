""" "Modo rápido" on /classification in a real Chromium: the toggle, the fast result and its figures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from engine.accel import fastmode
from tests.browser.conftest import _free_port, assert_no_exception, screenshot, start_server, wait_idle
from tests.catalog import es, piece

pytestmark = pytest.mark.browser


@contextmanager
def bf16_page(browser) -> Iterator[object]:
    """A page on a server of its own with VISION_FAST_MODE=bf16: the bf16 copy whatever a busy machine
    measures (else it may keep fp32 and say so)."""
    port = _free_port()
    server = start_server(port, {"VISION_FAST_MODE": "bf16"})
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(180_000)
        page.base = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
        yield page
    finally:
        context.close()
        server.terminate()


@pytest.mark.skipif("bf16" not in fastmode.support().modes, reason="this CPU has no bf16 kernels")
def test_fast_mode_on_classification_shows_the_times_and_the_agreement(browser) -> None:
    with bf16_page(browser) as page:
        page.goto(f"{page.base}/classification")
        wait_idle(page)
        metric = page.locator('[data-testid="stMetricValue"]').first
        metric.wait_for()
        assert "tabby" in metric.inner_text()
        body = page.locator('[data-testid="stMain"]')
        time_text = piece("fastmode.time").replace("**", "").strip()  # "Tiempo por imagen:"
        assert time_text not in body.inner_text()  # off by default: fp32 alone
        page.get_by_text(es("fastmode.toggle"), exact=True).first.click()
        wait_idle(page)
        label = es("fastmode.result", mode="bf16")
        page.get_by_text(label).first.wait_for()
        page.get_by_text(time_text).first.wait_for()
        text = body.inner_text()
        assert "tabby" in metric.inner_text()
        assert es("fastmode.top1_same").replace("**", "") in text
        assert piece("fastmode.max_diff") in text and "fp32" in text and "bf16" in text
        assert es("fastmode.explain_bf16").split("**")[2].strip()[:40] in text
        assert_no_exception(page)
        screenshot(page, "classification-fast-mode")


@pytest.mark.skipif("bf16" not in fastmode.support().modes, reason="this CPU has no bf16 kernels")
def test_depth_gives_glpn_its_training_size_and_shows_its_fast_map(browser, tmp_path) -> None:
    """/depth with GLPN (a link a teacher shares): a large photo is estimated on a 640 px copy, and
    the page says why; "Modo rápido" draws the bf16 map and says how closely it follows fp32's."""
    from engine.inputs.samples import load_sample
    from tests.browser.conftest import upload_file

    with bf16_page(browser) as page:
        page.goto(f"{page.base}/depth?model=vinvino02/glpn-nyu")
        wait_idle(page)
        page.get_by_text(es("depth.kind_metric")[:40]).first.wait_for()  # GLPN's metres, from the link
        page.get_by_text("Subir archivo").click()
        wait_idle(page)
        path = tmp_path / "salon.png"
        load_sample("coffee").resize((2400, 1600)).save(path)
        upload_file(page, path)
        page.get_by_text(es("depth.model_side", side=640)[:60]).first.wait_for()
        body = page.locator('[data-testid="stMain"]')
        assert es("depth.resized", width=2400, height=1600, w=640, h=427) in body.inner_text()
        page.get_by_text(es("fastmode.toggle"), exact=True).first.click()
        wait_idle(page)
        page.get_by_text(es("fastmode.result", mode="bf16")).first.wait_for()
        page.get_by_text(es("fastmode.depth_caption", mode="bf16")).first.wait_for()
        text = body.inner_text()
        assert piece("fastmode.depth").replace("**", "").strip()[:30] in text
        assert_no_exception(page)
        screenshot(page, "depth-fast-mode")
