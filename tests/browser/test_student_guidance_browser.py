"""Issue 18 items 7 and 12 in a real Chromium: a link that opens a page set up (and the address
bar following the student's changes), the status over a comparison, a big photo shrunk up front,
and the Spanish notes next to Streamlit's English upload box and the camera."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from engine.inputs.samples import load_sample
from tests.browser.conftest import assert_no_exception, goto, screenshot, upload_file, wait_idle
from tests.catalog import es

pytestmark = pytest.mark.browser


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _expect_slider(page, label: str, value: str) -> None:
    """The slider labelled ``label`` shows ``value`` on its thumb (retried until the page's timeout:
    while a rerun draws the page, the n-th thumb on screen can be another slider's)."""
    slider = page.locator('[data-testid="stSlider"]').filter(has_text=label).first
    expect(slider.locator('[data-testid="stSliderThumbValue"]')).to_have_text(value, timeout=60_000)


def _wait_query(page, param: str, value: str) -> None:
    """Until the address bar has ``param=value`` (bounded by the page's default timeout)."""
    page.wait_for_function("([p, v]) => new URLSearchParams(location.search).getAll(p).includes(v)", arg=[param, value])


def test_a_detection_link_opens_the_page_set_up(page) -> None:
    goto(page, "detection", "model=facebook/detr-resnet-50&conf=0.35&classes=person,cup")
    assert_no_exception(page)
    _expect_slider(page, es("detection.threshold"), "0.35")
    main = page.locator('[data-testid="stMain"]')
    classes = main.locator('[data-testid="stMultiSelect"]').first.inner_text()
    assert "persona" in classes and "taza" in classes
    # the model's column: its heading is the model the link named, not the default YOLOv8n
    main.locator("h5").filter(has_text="facebook/detr-resnet-50").first.wait_for()
    assert main.locator("h5").filter(has_text="ultralytics/yolov8n").count() == 0
    assert es("link.hint") in page.locator('[data-testid="stSidebar"]').inner_text()
    page.get_by_text(es("detection.table_title")).first.wait_for()  # the model ran with those settings
    wait_idle(page)
    screenshot(page, "link_detection")


def test_the_address_follows_the_settings_and_compare_shows_its_steps(page) -> None:
    goto(page, "classification", "top_k=3")
    assert_no_exception(page)
    _wait_query(page, "top_k", "3")
    assert "model" not in _query(page)  # the default model: a plain visit keeps a plain address
    page.get_by_text(es("common.compare"), exact=True).click()
    wait_idle(page)
    _wait_query(page, "compare", "1")
    assert len(_query(page)["model"]) == 2
    page.get_by_text(es("steps.models_done", n=2)).first.wait_for()
    assert_no_exception(page)
    screenshot(page, "compare_steps")
    link = page.url  # a teacher shares it: a fresh visitor gets the same page
    context = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = context.new_page()
        other.set_default_timeout(180_000)
        other.goto(link)
        wait_idle(other)
        other.get_by_text(es("steps.models_done", n=2)).first.wait_for()
        _expect_slider(other, es("classification.top_k"), "3")
    finally:
        context.close()


def test_a_big_photo_is_shrunk_and_the_upload_box_glossed(page, tmp_path) -> None:
    goto(page, "classification")
    page.get_by_text("Subir archivo").click()
    wait_idle(page)
    page.get_by_text(es("input.uploader_note", mb=20)).wait_for()
    path = tmp_path / "grande.jpg"
    load_sample("cat").resize((3000, 2000)).save(path, quality=85)
    upload_file(page, path)
    assert_no_exception(page)
    page.get_by_text(es("input.downscaled", width=3000, height=2000, w=2048, h=1365)).wait_for()
    page.locator('[data-testid="stMetricValue"]').first.wait_for()
    screenshot(page, "big_photo")


def test_the_camera_says_it_needs_https_or_localhost(page) -> None:
    goto(page, "classification")
    page.get_by_text("Cámara", exact=True).click()
    wait_idle(page)
    page.get_by_text(es("input.camera_https")).wait_for()
    assert_no_exception(page)
    screenshot(page, "camera_note")
