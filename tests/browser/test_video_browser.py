"""/video in a real Chromium: upload a clip, wait for the annotated video and check the browser can
decode and play the codec the engine chose; a long clip that raises the stride slider; the sample clip in
English (the screenshots for the README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import videos
from tests.browser.conftest import (
    LOAD_TIMEOUT_MS,
    _free_port,
    assert_no_exception,
    goto,
    screenshot,
    start_server,
    stop_server,
    tall_screenshot,
    upload_file,
    wait_idle,
)
from tests.browser.test_layout_widths import _CHIPS, _CUT_TABLES, _HEADERS, _HIDDEN_HEADERS, WIDTHS
from tests.catalog import en, es, piece

pytestmark = pytest.mark.browser

# The first <video> on the page once the browser has its metadata and a frame (readyState >= 2,
# HAVE_CURRENT_DATA) and a duration: what proves it decodes the container and the codec.
_LOADED = """() => {
    const v = document.querySelector('video');
    return !!v && v.readyState >= 2 && v.duration > 0 && v.videoWidth > 0;
}"""
_PLAY = """async () => {
    const v = document.querySelector('video');
    v.muted = true;
    await v.play();
}"""
_PLAYED = """() => {
    const v = document.querySelector('video');
    return v.currentTime > 0 && !v.error;
}"""
_FACTS = """() => {
    const v = document.querySelector('video');
    return {duration: v.duration, width: v.videoWidth, height: v.videoHeight, error: v.error && v.error.code};
}"""


def _plays(page) -> dict:
    """Wait (bounded by the page's timeout) for the video to load, play it a little; its facts."""
    page.wait_for_function(_LOADED, timeout=60_000)
    page.evaluate(_PLAY)
    page.wait_for_function(_PLAYED, timeout=30_000)
    return page.evaluate(_FACTS)


def test_upload_a_clip_and_play_the_annotated_video(page, coco8: Path, shared_models, tmp_path: Path) -> None:
    clip = tmp_path / "coco8.mp4"  # a file of this test's own
    clip.write_bytes(videos.coco8_clip())
    goto(page, "video", query="stride=2")  # a shared link's stride: every other frame of the 12
    assert_no_exception(page)
    assert page.get_by_role("heading", name=es("video.title")).first.is_visible()
    page.get_by_text(es("video.source_upload")).first.click()
    wait_idle(page)
    upload_file(page, clip, label=piece("video.upload"))
    assert_no_exception(page)
    page.get_by_text("coco8.mp4").first.wait_for()  # the video's info line
    page.get_by_text(es("video.annotated", model="yolov8n", n=6, fps=3.0)).first.wait_for()  # 6 fps / 2
    page.locator('[data-testid="stVideo"]').first.wait_for()
    facts = _plays(page)
    assert facts["error"] is None and facts["width"] >= 320, facts
    assert 1.5 <= facts["duration"] <= 2.5, facts  # 6 sampled frames played at 6 fps / stride 2: about 2 s
    page.locator(".js-plotly-plot").first.wait_for()  # objects over time
    table = page.locator('[data-testid="stTable"]', has_text=es("video.col_distinct")).first
    table.wait_for()
    assert "persona" in table.inner_text()
    assert_no_exception(page)
    tall_screenshot(page, "video")


def test_a_long_clip_raises_the_stride_slider(browser, tmp_path: Path) -> None:
    """On a server that analyses at most 4 frames a clip, each new clip moves the stride slider up to
    what fits, the page says why, and the clip runs (the tiny DETR): the sample's 30 frames (5 -> 8),
    then an upload of 60 (8 -> 15)."""
    from playwright.sync_api import expect

    clip = tmp_path / "long.mp4"
    clip.write_bytes(videos.moving_scene(frames=60, fps=10, size=(96, 64)))
    port = _free_port()
    server = start_server(port, {"VISION_VIDEO_MAX_SAMPLED": "4"})  # small clips, few frames to detect
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT_MS)
        page.base_url = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
        goto(page, "video", query="model=facebook/detr-resnet-50")
        slider = page.locator('[data-testid="stSlider"]').filter(has_text=es("video.stride")).first
        for stride in (8, 15):
            if stride == 15:
                page.get_by_text(es("video.source_upload")).first.click()
                wait_idle(page)
                upload_file(page, clip, label=piece("video.upload"))
            assert_no_exception(page)
            page.get_by_text(es("video.stride_raised", stride=stride, limit=4)).first.wait_for()
            expect(slider.locator('[data-testid="stSliderThumbValue"]')).to_have_text(str(stride), timeout=60_000)
            page.locator('[data-testid="stVideo"]').first.wait_for()  # analysed at that stride, no refusal
            wait_idle(page)
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0
            assert f"stride={stride}" in page.url  # the address bar's link says the stride the clip runs at
        assert_no_exception(page)
        tall_screenshot(page, "video_stride_raised")
    finally:
        context.close()
        stop_server(server)


def test_the_sample_clip_in_english_plays(page, shared_models) -> None:
    goto(page, "video", query="lang=en")
    assert_no_exception(page)
    page.get_by_role("heading", name=en("video.title")).first.wait_for()
    page.locator('[data-testid="stVideo"]').first.wait_for()
    facts = _plays(page)
    assert facts["error"] is None and facts["duration"] > 0, facts
    page.locator(".js-plotly-plot").first.wait_for()
    assert page.get_by_text(en("video.webcam").split("`")[0].strip()).first.is_visible()
    assert_no_exception(page)
    tall_screenshot(page, "video_en")


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_compare_mode_fits_at_the_course_widths(browser, server, shared_models, width: int) -> None:
    """Two detectors side by side (YOLOv8n and the tiny DETR): both videos play, their class tables
    and the comparison fit their columns with every header on screen, both models' chips show."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    try:
        page = context.new_page()
        page.set_default_timeout(LOAD_TIMEOUT_MS)
        page.base_url = server  # type: ignore[attr-defined]
        goto(page, "video", query="model=ultralytics/yolov8n&model=facebook/detr-resnet-50")  # compare, from a link
        assert_no_exception(page)
        page.wait_for_function("() => document.querySelectorAll('video').length >= 2")
        loaded = """() => [...document.querySelectorAll('video')]
            .every(v => v.readyState >= 2 && v.duration > 0)"""
        page.wait_for_function(loaded, timeout=60_000)
        page.locator(".js-plotly-plot").first.wait_for()  # drawn once both models are done
        wait_idle(page)
        assert page.locator(".js-plotly-plot").count() == 1  # both models in one chart
        assert_no_exception(page)
        assert page.evaluate(_CUT_TABLES) == []
        assert page.evaluate(_HIDDEN_HEADERS) == []
        headers = page.evaluate(_HEADERS)
        wanted = [es("video.col_most"), es("video.col_total_distinct"), es("video.col_ms")]
        assert [h for h in wanted if h not in headers] == [], headers
        assert page.evaluate(_CHIPS) == {"n": 2, "hidden": []}
        screenshot(page, f"layout_video_{width}")
    finally:
        context.close()
