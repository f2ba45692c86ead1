"""/classification's "accuracy on your labelled photos" section in a real Chromium: a zip of class
folders uploaded through the real file input, the accuracy tables and the confusion heatmap drawn."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from engine.evaluation.labelled import sample_zip
from engine.inputs.samples import load_sample
from tests.browser.conftest import assert_no_exception, goto, screenshot, upload_file, wait_idle
from tests.catalog import es

pytestmark = pytest.mark.browser


def test_classification_labelled_zip_tables_and_heatmap(page, tmp_path: Path) -> None:
    goto(page, "classification")
    assert_no_exception(page)
    path = tmp_path / "mis fotos.zip"
    path.write_bytes(sample_zip("es"))  # the sample set's photos, as a student's zip
    upload_file(page, path, label=es("labelled.upload"))
    assert_no_exception(page)
    section = page.get_by_role("heading", name=es("labelled.section"))
    section.wait_for()
    heatmap = page.locator(".js-plotly-plot .heatmaplayer")
    heatmap.first.wait_for()
    # The heatmap's cells carry the counts: the three cats right, the three astronauts "other".
    cells = page.locator(".js-plotly-plot .heatmaplayer text")
    assert cells.count() == 5 * 6
    # the accuracy, the per-class and the joint tables (a data frame is drawn after the heatmap can be)
    page.locator('[data-testid="stDataFrame"]').nth(2).wait_for(timeout=60_000)
    page.get_by_text(es("labelled.accuracy")).first.wait_for()
    assert page.get_by_text(es("labelled.loaded", name="mis fotos.zip", n=15, k=5)).count() == 1
    heatmap.first.scroll_into_view_if_needed()
    wait_idle(page)
    shot = screenshot(page, "classification_labelled")
    assert shot.stat().st_size > 10_000
    # An uploaded bad zip (one class folder only): its message, and the page still draws.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in ("1.jpg", "2.jpg"):
            photo = io.BytesIO()
            load_sample("cat").save(photo, format="JPEG")
            zf.writestr(f"gato/{name}", photo.getvalue())
    bad = tmp_path / "una.zip"
    bad.write_bytes(buf.getvalue())
    upload_file(page, bad, label=es("labelled.upload"))
    assert_no_exception(page)
    page.get_by_text(es("errors.labelled_one_class", name="gato", min=2)).wait_for()
    assert page.locator(".js-plotly-plot .heatmaplayer").count() == 0
    page.get_by_role("heading", name=es("labelled.section")).wait_for()
