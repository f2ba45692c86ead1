"""A first visit straight to a page's URL on a fresh server goes through Home.py's router
(Streamlit would otherwise run the file in pages/ on its own: no language switch, raw file names)."""

from __future__ import annotations

import subprocess

import pytest

from tests.browser.conftest import _free_port, assert_no_exception, start_server, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("classification", "Clasificación de imágenes"),
        ("zero_shot", "Clasificación zero-shot con CLIP"),
        ("video", "Detección en vídeo"),
    ],
)
def test_deep_link_on_a_fresh_server(browser, path: str, title: str) -> None:
    port = _free_port()
    server = start_server(port)  # fresh: no session has run Home.py yet
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"http://127.0.0.1:{port}/{path}")
        wait_idle(page)
        page.get_by_role("heading", name=title).first.wait_for()
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Idioma / Language" in sidebar  # Home.py's sidebar, so Home.py routed the request
        assert "Inicio" in sidebar and "clip workshop" not in sidebar  # titles, not file names
        assert page.url.rstrip("/").endswith(path)
        assert_no_exception(page)
    finally:
        context.close()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_a_fresh_server_warms_its_imports_before_any_visit() -> None:
    """app.py imports torch, transformers, Ultralytics and plotly when the server starts and loads the
    small default models on disk, and says when it is done (GET /vision/warm): no browser has
    connected, so no script ran them."""
    import json
    import urllib.request

    from bench.browser import wait_warm

    port = _free_port()
    server = start_server(port)
    try:
        took = wait_warm(port, timeout_s=180)
        assert took is not None and took > 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/vision/warm", timeout=5) as answer:
            state = json.load(answer)
        assert 0 < state["imports_s"] <= state["s"]
        assert "efficientnet-lite0" in state["preloaded"]  # embedded in its PyPI package: always on disk
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
