"""/depth in a real Chromium: the map beside the photo, the blend slider, the 3-D view, an upload,
compare mode with two models (and the screenshot for the README)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from engine.inputs.samples import load_sample
from tests.browser.conftest import assert_no_exception, goto, tall_screenshot, upload_file, wait_idle

pytestmark = pytest.mark.browser

MAP = "Mapa de profundidad: claro = cerca, oscuro = lejos"


def _wait_for_results(page) -> None:
    page.get_by_text(MAP).first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()


def _colour_spread(locator) -> float:
    """How colourful the element looks on screen: the mean spread between its RGB channels."""
    shot = np.asarray(Image.open(io.BytesIO(locator.screenshot())).convert("RGB")).astype(int)
    return float((shot.max(axis=2) - shot.min(axis=2)).mean())


def test_depth_map_blend_upload_and_compare(page, tmp_path) -> None:
    goto(page, "depth")
    assert_no_exception(page)
    assert page.get_by_role("heading", name="Estimación de profundidad").first.is_visible()
    _wait_for_results(page)  # the default sample is estimated on arrival
    assert page.get_by_text("Modelo de prueba").first.is_visible()  # the random stand-in says so
    assert page.get_by_text("Profundidad relativa: mayor = más cerca").first.is_visible()

    images = page.locator('[data-testid="stImage"]')
    depth_map = images.filter(has_text=MAP).first.locator("img")
    photo = images.filter(has_text="La foto").first.locator("img")
    map_box, photo_box = depth_map.bounding_box(), photo.bounding_box()
    assert map_box is not None and photo_box is not None
    assert map_box["width"] > 150 and abs(map_box["y"] - photo_box["y"]) < 5  # side by side, same row
    assert map_box["x"] > photo_box["x"] + photo_box["width"] - 5  # the map to the right of the photo
    assert _colour_spread(depth_map) > 20  # painted in a colour map (inferno), not grey

    # the blend slider: keyboard steps of 5 % from 50 %
    blend = images.filter(has_text="Foto y mapa mezclados (50% de mapa)").first
    blend.wait_for()
    before = blend.locator("img").screenshot()
    thumb = page.get_by_role("slider").first
    thumb.focus()
    for _ in range(4):
        thumb.press("ArrowRight")
    wait_idle(page)
    moved = images.filter(has_text="Foto y mapa mezclados (70% de mapa)").first
    moved.wait_for()
    assert moved.locator("img").screenshot() != before  # redrawn with more of the map
    assert_no_exception(page)
    page.locator(".js-plotly-plot canvas").first.wait_for()  # the 3-D view is drawn (WebGL)
    tall_screenshot(page, "depth", 2300)

    # a photo uploaded through the real file input
    page.get_by_text("Subir archivo").click()
    wait_idle(page)
    path = tmp_path / "calle.jpg"
    load_sample("motorcycle").save(path, quality=92)
    upload_file(page, path)
    page.get_by_text("Tu imagen: calle.jpg").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _wait_for_results(page)
    assert page.get_by_role("button", name="Descargar valores (PNG de 16 bits)").first.is_visible()
    assert page.get_by_role("button", name="Descargar valores (.npy)").first.is_visible()

    # compare mode: the default pair, one map each
    page.get_by_text("Comparar modelos").first.click()
    wait_idle(page)
    assert_no_exception(page)
    for model_id in ("depth-anything/Depth-Anything-V2-Small-hf", "Intel/dpt-hybrid-midas"):
        page.locator("h5", has_text=model_id).first.wait_for()
    maps = images.filter(has_text=MAP)
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('[data-testid=\"stImage\"]')]"
        ".filter((el) => el.innerText.includes(text)).length === 2",
        arg=MAP,
    )
    assert maps.count() == 2
    assert page.locator(".js-plotly-plot").count() == 2
    first, second = (maps.nth(i).locator("img").bounding_box() for i in range(2))
    assert first is not None and second is not None and second["x"] > first["x"] + first["width"] - 5
    assert_no_exception(page)
