"""A download from a Hub in a real browser: the app's own `streamlit run` pointed at a Hub on
127.0.0.1 (``tests/hub``) that serves the real file layouts of DeiT and the default CLIP."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.browser.conftest import (
    LOAD_TIMEOUT_MS,
    _free_port,
    assert_no_exception,
    goto,
    screenshot,
    start_server,
    wait_idle,
)
from tests.conftest import TINY_DIR
from tests.hub import LocalHub, real_repo

pytestmark = pytest.mark.browser
DEIT = "facebook/deit-base-patch16-224"


@pytest.fixture(scope="module")
def hub_server(tmp_path_factory) -> Iterator[tuple[str, LocalHub]]:
    tmp = tmp_path_factory.mktemp("hub-browser")
    (tmp / "no-models").mkdir()
    with LocalHub() as hub:
        for model_id in (DEIT, "openai/clip-vit-base-patch32"):
            hub.add_repo(real_repo(model_id, TINY_DIR / model_id))
        port = _free_port()
        env = {
            "HF_ENDPOINT": hub.url,
            "VISION_OFFLINE": "0",
            "HF_HUB_CACHE": str(tmp / "hf-cache"),
            "VISION_MODELS_DIR": str(tmp / "no-models"),
            "VISION_CACHE_DIR": str(tmp / "app-cache"),
        }
        proc = start_server(port, env)
        try:
            yield f"http://127.0.0.1:{port}", hub
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_deit_downloads_from_the_conversion_branch_and_the_page_says_so(browser, hub_server) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    url, hub = hub_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(LOAD_TIMEOUT_MS)
    page.base_url = url  # type: ignore[attr-defined]
    try:
        goto(page, "classification")
        assert_no_exception(page)
        select = page.locator('[data-testid="stSelectbox"]').filter(has_text="Modelo").first
        options = page.get_by_role("option")
        for _ in range(3):  # a rerun that lands just after the click closes the list: open it again
            select.get_by_role("button", name="Open").click()
            try:
                options.first.wait_for(timeout=10_000)
                break
            except PlaywrightTimeout:
                wait_idle(page)
        deit = options.filter(has_text=DEIT)
        assert "descarga 346 MB" in deit.inner_text()  # the size before any download
        deit.click()
        wait_idle(page)
        assert_no_exception(page)
        page.get_by_text("conversión a safetensors del Hub").first.wait_for()
        page.get_by_text("descargado del Hub").first.wait_for()
        page.locator('[data-testid="stMetricValue"]').first.wait_for()
        page.locator(".js-plotly-plot").first.wait_for()
        page.wait_for_timeout(500)
        screenshot(page, "hub_download_deit")
        fetched = [p.rsplit("/", 1)[-1] for p in hub.downloads() if p.startswith(f"/{DEIT}/")]
        assert sorted(fetched) == ["config.json", "model.safetensors", "preprocessor_config.json"]
    finally:
        context.close()
