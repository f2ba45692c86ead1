"""The deliverable in a real Chromium (issue 15): on every page, run, click the page's deliverable
button, catch the download, open the zip; its README.md rendered to HTML with its images beside it,
every picture painted, is screenshotted (detection's is ``deliverable_report.png``, the README's)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.conftest import assert_no_exception, goto, screenshots_dir, wait_idle
from tests.catalog import en, es

pytestmark = pytest.mark.browser

STYLE = """
body { font-family: sans-serif; max-width: 980px; margin: 24px auto; color: #222; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #bbb; padding: 4px 8px; font-size: 14px; }
th { background: #f0f0f0; }
img { max-width: 440px; border: 1px solid #ddd; margin: 4px 0; }
code { background: #f4f4f4; padding: 1px 4px; }
"""


def _download(page, key: str) -> zipfile.ZipFile:
    """Click the download button ``key`` (its Streamlit class names it) and open what comes."""
    button = page.locator(f".st-key-{key} button").first
    button.wait_for()
    with page.expect_download() as caught:
        button.click()
    data = Path(caught.value.path()).read_bytes()
    assert caught.value.suggested_filename.endswith(".zip")
    return zipfile.ZipFile(io.BytesIO(data))


def render_report(zf: zipfile.ZipFile, folder: Path) -> Path:
    """The zip unpacked in ``folder`` and its README.md as ``README.html`` beside its images (the
    HTML a Markdown viewer makes: CommonMark with GitHub's tables, markdown-it-py)."""
    from markdown_it import MarkdownIt

    zf.extractall(folder)
    body = MarkdownIt("commonmark", {"html": True}).enable("table").render((folder / "README.md").read_text())
    html = folder / "README.html"
    html.write_text(f"<!doctype html><meta charset='utf-8'><style>{STYLE}</style>{body}")
    return html


def _check_zip(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    readme = zf.read("README.md").decode()
    for path in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme):
        assert path in names, path
        Image.open(io.BytesIO(zf.read(path))).verify()
    compile(zf.read("reproduce.py").decode(), "reproduce.py", "exec")
    return readme


def test_the_detection_deliverable_downloads_and_its_report_renders(page, browser, tmp_path, shared_models) -> None:
    goto(page, "detection")
    assert_no_exception(page)
    page.locator('[data-testid="stTable"]', has_text=es("detection.col_fp")).first.wait_for()  # it ran
    zf = _download(page, "detection_deliverable")
    readme = _check_zip(zf)
    assert es("deliverable.course_table") in readme and "ultralytics/yolov8n" in readme
    assert any(n.endswith("_annotated.png") for n in zf.namelist())

    html = render_report(zf, tmp_path / "detection")
    viewer = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        viewer.goto(html.as_uri())
        viewer.wait_for_load_state("load")
        # Every image of the report is there, painted (a broken link has naturalWidth 0).
        sizes = viewer.eval_on_selector_all("img", "els => els.map(e => e.complete && e.naturalWidth)")
        assert sizes and all(sizes), sizes
        headers = viewer.locator("table").first.locator("th").all_inner_texts()
        assert headers[-2:] == [es("deliverable.col_lines"), es("deliverable.col_notes")]
        folder = screenshots_dir()
        folder.mkdir(parents=True, exist_ok=True)
        viewer.screenshot(path=str(folder / "deliverable_report.png"), full_page=True)
    finally:
        viewer.close()


def test_the_classification_deliverable_in_english_keeps_every_photo(page, tmp_path) -> None:
    goto(page, "classification", "lang=en")
    assert_no_exception(page)
    page.get_by_text(en("classification.top")).first.wait_for()
    select = page.locator(".st-key-cls_sample")
    select.get_by_role("button", name="Open").click()
    page.get_by_role("option").filter(has_text=re.compile("coffee|café", re.I)).first.click()
    wait_idle(page)
    page.get_by_text(en("deliverable.in_session", n=2)).first.wait_for()
    zf = _download(page, "classification_deliverable")
    readme = _check_zip(zf)
    assert readme.startswith("# " + en("deliverable.title", page=en("classification.title")))
    assert "### 1." in readme and "### 2." in readme
    assert len([n for n in zf.namelist() if n.startswith("images/")]) == 2


def _stroke(page) -> None:
    """A long diagonal line on the Pictionary canvas, with the mouse (enough ink to be guessed)."""
    surface = page.locator("canvas.upper-canvas").first
    surface.wait_for()
    box = surface.bounding_box()
    page.mouse.move(box["x"] + 60, box["y"] + 60)
    page.mouse.down()
    for k in range(1, 31):
        page.mouse.move(box["x"] + 60 + 8 * k, box["y"] + 60 + 7 * k)
    page.mouse.up()


# Every other page: what it runs on opening (its sample; the Pictionary: a stroke), then its deliverable.
OTHER_PAGES = ["segmentation", "zero_shot", "clip_workshop", "depth", "video", "pictionary"]


@pytest.mark.parametrize("page_path", OTHER_PAGES)
def test_every_pages_deliverable_downloads_and_its_report_renders(page, browser, tmp_path, page_path: str) -> None:
    goto(page, page_path)
    assert_no_exception(page)
    if page_path == "pictionary":
        _stroke(page)
    page.get_by_text(es("deliverable.in_session", n=1)).first.wait_for()  # one run kept
    zf = _download(page, f"{page_path}_deliverable")
    readme = _check_zip(zf)
    assert readme.startswith("# " + es("deliverable.title", page=es(f"{page_path}.title")))
    html = render_report(zf, tmp_path / page_path)
    viewer = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        viewer.goto(html.as_uri())
        viewer.wait_for_load_state("load")
        sizes = viewer.eval_on_selector_all("img", "els => els.map(e => e.complete && e.naturalWidth)")
        assert sizes and all(sizes), sizes  # every picture of the report painted
        viewer.screenshot(path=str(tmp_path / f"{page_path}_report.png"), full_page=True)
    finally:
        viewer.close()
    assert_no_exception(page)
