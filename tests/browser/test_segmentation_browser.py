"""/segmentation in a real Chromium: upload a photo, see the overlay, pick a label, download its cut-out."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from engine.inputs.samples import load_sample
from tests.browser.conftest import assert_no_exception, goto, open_selectbox, tall_screenshot, upload_file, wait_idle
from tests.tiny.segmentation import ADE_LABELS
from ui.strings.labels import label as spanish_label

pytestmark = pytest.mark.browser
# The chooser shows "pared (wall)": the model's name is what the page's messages and files use.
MODEL_NAME = {spanish_label(name, "es"): name.strip() for name in ADE_LABELS}


def _wait_for_results(page) -> None:
    page.get_by_text("Segmentos sobre la foto").first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    page.locator('[data-testid="stDataFrame"]').first.wait_for()


def test_segmentation_upload_overlay_and_cutout_download(page, tmp_path) -> None:
    goto(page, "segmentation")
    assert_no_exception(page)
    _wait_for_results(page)  # the default sample is segmented on arrival

    # a photo uploaded through the real file input
    page.get_by_text("Subir archivo").click()
    wait_idle(page)
    photo = tmp_path / "calle.jpg"
    load_sample("motorcycle").save(photo, quality=92)
    upload_file(page, photo)
    page.get_by_text("Tu imagen: calle.jpg").first.wait_for()
    wait_idle(page)
    assert_no_exception(page)
    _wait_for_results(page)
    overlay = (
        page.locator('[data-testid="stImage"]').filter(has_text="Segmentos sobre la foto (opacidad 50%)").locator("img")
    )
    overlay.wait_for()
    box = overlay.bounding_box()
    assert box is not None and box["width"] > 200  # the overlay is drawn at a readable size
    assert page.get_by_text("Modelo de prueba").first.is_visible()  # the random stand-in says so

    # pick a label from the select box of labels found
    select = page.locator('[data-testid="stSelectbox"]').filter(has_text="Etiquetas encontradas")
    options = open_selectbox(page, select)
    found = [
        MODEL_NAME.get(text, text) for text in (options.nth(i).inner_text().strip() for i in range(options.count()))
    ]
    assert len(found) >= 2
    label = found[1]
    options.nth(1).click()
    wait_idle(page)
    assert_no_exception(page)
    page.get_by_text(f"«{label}» ocupa el").first.wait_for()
    for name in ("máscara", "vista", "recorte"):
        # .first: while Streamlit swaps the layout the previous run's row can linger for a moment
        assert page.get_by_role("button", name=f"Descargar {name}").first.is_visible()
    tall_screenshot(page, "segmentation", 1500)

    # the cut-out downloads as a PNG with transparency
    with page.expect_download() as info:
        page.get_by_role("button", name="Descargar recorte").click()
    assert info.value.suggested_filename == f"{label.replace(' ', '_')}_cutout.png"
    path = tmp_path / "recorte.png"
    info.value.save_as(path)
    cut = Image.open(path)
    assert cut.mode == "RGBA" and cut.size == (741, 500)
    alpha = np.asarray(cut)[..., 3]
    assert (alpha == 0).any() and (alpha == 255).any()
    assert set(np.unique(alpha)) <= {0, 255}

    # typed as in the course exercise, in capitals: found exactly when the list has it
    box = page.get_by_role("textbox", name="…o escribe una etiqueta (en inglés)")
    box.fill("PERSON")
    box.press("Enter")
    wait_idle(page)
    message = "«person» ocupa el" if "person" in found else "«person» no aparece en esta imagen"
    page.get_by_text(message).first.wait_for()

    # a label the model cannot know: say so, with its classes
    box.fill("unicorn")
    box.press("Enter")
    wait_idle(page)
    page.get_by_text("no conoce «unicorn»").first.wait_for()
    assert page.get_by_text("Las 21 clases que conoce el modelo").first.is_visible()
    assert_no_exception(page)


# Any element inside a button whose text is wider than its box is cut ("Descargar la vista inverti…").
CUT_TEXT = """(button) => [...button.querySelectorAll('*')]
    .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow !== 'visible')
    .map((el) => el.textContent)"""


@pytest.mark.parametrize("width", [1400, 1024])
def test_legend_is_short_and_download_buttons_are_not_cut(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    goto(page, "segmentation")
    _wait_for_results(page)  # the stand-in finds 14 labels on the astronaut, six of them under 0.5 %
    assert_no_exception(page)
    # the full list is there, folded; the legend above it has the top labels and "others"
    folded = page.locator('[data-testid="stExpander"]').filter(has_text="Las 14 etiquetas encontradas")
    folded.first.wait_for()
    assert folded.locator("details").first.get_attribute("open") is None
    chart = page.locator(".js-plotly-plot").first
    assert "Otras 6 etiquetas" in chart.text_content()  # one grey bar for the rest
    assert chart.bounding_box()["height"] <= 400  # 8 bars and "others", not one bar per label
    select = page.locator('[data-testid="stSelectbox"]').filter(has_text="Etiquetas encontradas")
    options = open_selectbox(page, select)
    options.nth(1).click()
    wait_idle(page)
    page.get_by_role("button", name="Descargar vista").first.wait_for()
    tall_screenshot(page, f"segmentation_{width}", 3000)
    for name in ("máscara", "vista", "recorte"):
        button = page.get_by_role("button", name=f"Descargar {name}").first
        assert button.evaluate(CUT_TEXT) == [], (width, name)
        assert button.bounding_box()["width"] >= 90  # the whole column (about 100 px at 1024)
    assert_no_exception(page)
