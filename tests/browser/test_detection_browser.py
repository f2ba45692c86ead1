"""/detection in a real Chromium: upload a photo and see boxes and the tables; compare mode with
ground truth (the screenshot for the README)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.render.annotate import color_for
from tests.browser.conftest import assert_no_exception, goto, tall_screenshot, upload_file, wait_idle
from tests.catalog import piece

pytestmark = pytest.mark.browser

PHOTO = "000000000036.jpg"  # coco8 val: a person under an umbrella


def _pixels_of(pg, locator, color: tuple[int, int, int], tol: int = 12) -> int:
    """How many pixels of ``color`` the element shows on screen."""
    shot = Image.open(io.BytesIO(locator.screenshot())).convert("RGB")
    arr = np.asarray(shot).astype(int)
    return int((np.abs(arr - np.array(color)).max(axis=2) <= tol).sum())


def _upload_photo(page, coco8: Path) -> None:
    page.get_by_text("Subir archivo").click()
    wait_idle(page)
    upload_file(page, coco8 / "images" / "val" / PHOTO, label=piece("input.upload"))


def test_upload_a_photo_and_see_boxes_and_the_table(page, coco8: Path, shared_models) -> None:
    goto(page, "detection")
    assert_no_exception(page)
    assert page.get_by_role("heading", name="Detección de objetos").first.is_visible()
    page.locator('[data-testid="stTable"]').first.wait_for()  # the default sample's comparison table
    _upload_photo(page, coco8)
    assert_no_exception(page)
    caption = page.get_by_text("yolov8n: 2 objetos").first
    caption.wait_for()
    images = page.locator('[data-testid="stImage"]')
    annotated = images.filter(has_text="yolov8n: 2 objetos").first
    original = images.filter(has_text=PHOTO).first
    person = color_for("person")
    # the boxes are drawn: the class colour is on the annotated photo, far more than on the original
    assert _pixels_of(page, annotated, person) > 5 * max(50, _pixels_of(page, original, person))
    page.locator('[data-testid="stTable"]', has_text="Caja (x1, y1, x2, y2)").first.wait_for()  # the boxes
    table = page.locator('[data-testid="stTable"]', has_text="Falsos positivos").first  # the comparison
    assert PHOTO in table.inner_text() and "ultralytics/yolov8n" in table.inner_text()
    page.locator(".js-plotly-plot").first.wait_for()


def test_compare_mode_with_ground_truth(page, coco8: Path, shared_models) -> None:
    goto(page, "detection")
    page.get_by_text("Comparar modelos").first.click()
    wait_idle(page)
    _upload_photo(page, coco8)
    upload_file(page, coco8 / "labels" / "val" / PHOTO.replace(".jpg", ".txt"), label=piece("detection.truth_upload"))
    assert_no_exception(page)
    page.get_by_text("Evaluación con las etiquetas reales").first.wait_for()
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2")
    tables = page.locator('[data-testid="stTable"]')
    comparison = tables.filter(has_text="Falsos positivos").first.inner_text()
    assert "ultralytics/yolov8n" in comparison and "facebook/detr-resnet-50" in comparison
    assert "líneas de código" in comparison
    metrics = tables.filter(has_text="mAP50-95").first.inner_text()
    assert "ultralytics/yolov8n" in metrics
    assert_no_exception(page)
    tall_screenshot(page, "detection")  # the photos, the comparison table and the metrics
