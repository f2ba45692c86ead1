"""/zero_shot and /clip_workshop in a real Chromium (tiny random CLIPs: the scores mean nothing)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_exception, goto, tall_screenshot, wait_idle
from ui.i18n import translate

pytestmark = pytest.mark.browser

# What Plotly drew: category labels (as given, escaped) and values of every trace of a chart.
_FIGURE = """(i) => {
    const plot = document.querySelectorAll('.js-plotly-plot')[i];
    return plot.data.map(d => ({x: d.x, y: d.y, z: d.z}));
}"""
_YTICKS = """(i) => [...document.querySelectorAll('.js-plotly-plot')[i].querySelectorAll('.ytick text')]
    .map(e => e.textContent)"""


@pytest.fixture(scope="module", autouse=True)
def _home_first(browser, server) -> None:
    """Open Home once: a fresh server that first gets a deep link (/zero_shot) runs pages/zero_shot.py
    alone, as a Streamlit v1 page without the app's navigation (reported to the lead)."""
    context = browser.new_context()
    pg = context.new_page()
    pg.base_url = server
    goto(pg)
    context.close()


def _type_labels(page, text: str) -> None:
    box = page.locator('[data-testid="stTextArea"] textarea').first
    box.fill(text)
    box.press("Control+Enter")
    page.wait_for_timeout(500)
    wait_idle(page)


def test_zero_shot_type_labels_and_see_sorted_scores(page) -> None:
    goto(page, "zero_shot")
    assert_no_exception(page)
    page.locator(".js-plotly-plot").first.wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    assert page.locator('[data-testid="stCode"]:visible', has_text="a photo of a cat").count() == 1
    tall_screenshot(page, "zero_shot")

    _type_labels(page, "<b>bold</b>, **star**, 🦊 fox\n[link](x), cat, CAT")
    assert_no_exception(page)
    page.wait_for_function("() => document.querySelector('.js-plotly-plot').data[0].y.length === 5")
    (bars,) = page.evaluate(_FIGURE, 0)
    scores = list(reversed(bars["x"]))  # Plotly draws the first bar at the bottom: best is last
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=1e-4)
    # every label is drawn literally: no bold tag, no Markdown, the duplicate "CAT" dropped
    ticks = page.evaluate(_YTICKS, 0)
    assert sorted(ticks) == sorted(["<b>bold</b>", "**star**", "🦊 fox", "[link](x)", "cat"])
    assert page.locator(".js-plotly-plot b, .js-plotly-plot a").count() == 0
    assert page.locator('[data-testid="stCode"]:visible', has_text="a photo of a **star**").count() == 1
    assert page.locator("strong", has_text="star").count() == 0


def test_zero_shot_bad_labels_get_a_message(page) -> None:
    goto(page, "zero_shot")
    page.locator(".js-plotly-plot").first.wait_for()
    _type_labels(page, ",, ,\n")
    assert page.get_by_text("No hay etiquetas").first.is_visible()
    assert page.locator(".js-plotly-plot").count() == 0
    assert_no_exception(page)


def test_zero_shot_compare_openai_and_laion(page) -> None:
    goto(page, "zero_shot")
    page.get_by_text("Comparar OpenAI y LAION").click()
    wait_idle(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 2")
    wait_idle(page)
    # A score table per model and the comparison table under its heading (the one-model run's
    # table may linger in the page for a moment while Streamlit swaps the layout: at least three).
    page.get_by_role("heading", name=translate("zero_shot.compare_table", "es")).wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length >= 3", timeout=30_000
    )
    assert_no_exception(page)


def test_clip_workshop_table_heatmap_and_gallery(page) -> None:
    goto(page, "clip_workshop")
    assert_no_exception(page)
    page.locator(".js-plotly-plot").first.wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()
    (cells,) = page.evaluate(_FIGURE, 0)
    assert cells["x"] == ["a cat", "a dog", "a car", "a tree", "a person"]
    assert len(cells["y"]) == 5
    assert all(sum(row) == pytest.approx(1.0, abs=1e-6) for row in cells["z"])
    assert page.locator('[data-testid="stImage"]').count() == 5
    assert page.get_by_text("Descargar CSV").first.is_visible()
    tall_screenshot(page, "clip_workshop")
