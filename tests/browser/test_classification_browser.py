"""Home and /classification in a real Chromium."""

from __future__ import annotations

import pytest

from engine.inputs.samples import load_sample
from tests.browser.conftest import assert_no_exception, goto, screenshot, upload_file, wait_idle

pytestmark = pytest.mark.browser


def test_home_loads_with_cards_and_model_panel(page) -> None:
    goto(page)
    assert_no_exception(page)
    page.get_by_role("heading", name="Visión por computador con Hugging Face").wait_for()
    page.get_by_role("heading", name="Modelos disponibles").wait_for()
    table = page.locator('[data-testid="stTable"]').first
    table.wait_for()
    assert "efficientnet-lite0" in table.inner_text()
    assert "integrado" in table.inner_text()
    screenshot(page, "home")


def test_classification_sample_and_upload(page, tmp_path) -> None:
    goto(page, "classification")
    assert_no_exception(page)
    metric = page.locator('[data-testid="stMetricValue"]').first
    metric.wait_for()
    assert "tabby" in metric.inner_text()
    page.locator(".js-plotly-plot").first.wait_for()
    page.locator('[data-testid="stTable"]').first.wait_for()
    screenshot(page, "classification")
    # upload a real photo through the real file input
    page.get_by_text("Subir archivo").click()
    wait_idle(page)
    path = tmp_path / "coffee.jpg"
    load_sample("coffee").save(path, quality=92)
    upload_file(page, path)
    assert_no_exception(page)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
                 .some(e => e.innerText.includes('espresso'))"""
    )


def test_language_switch_to_english(page) -> None:
    goto(page, "classification")
    page.get_by_text("English").click()
    wait_idle(page)
    assert page.get_by_role("heading", name="Image classification").first.is_visible()
    assert_no_exception(page)
