"""The /segmentation page (AppTest): segments, legend and shares; the label flows; downloads."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from engine.inputs.samples import load_sample
from tests.apptest import downloaded, open_page, record_media, texts, upload
from tests.catalog import ANY, en, es, parts, says_stand_in
from tests.tiny.segmentation import ADE_LABELS
from ui.strings.labels import label as spanish_label

PAGE = "pages/segmentation.py"
SEGFORMER = "nvidia/segformer-b0-finetuned-ade-512-512"


MODEL_NAME = {spanish_label(name, "es"): name for name in ADE_LABELS}  # "pared (wall)" -> "wall"


def _options(at) -> list[str]:
    """The label chooser's options by the model's names (the page shows "pared (wall)")."""
    return [MODEL_NAME.get(shown, shown) for shown in at.selectbox(key="seg_label").options]


def _found(label: str) -> list[str]:
    """What the page says of a chosen label (SegFormer: one segment per label; any share)."""
    return parts("segmentation.found", label=label, share=ANY, n=1)


@pytest.fixture
def media(monkeypatch) -> dict[str, tuple[bytes, str, str | None]]:
    """Every media file the page hands to Streamlit (downloads, images), by file id."""
    return record_media(monkeypatch)


def _download(at, media, key: str) -> tuple[bytes, str | None]:
    data, mime, filename = downloaded(at, media, key)
    assert mime == "image/png"
    return data, filename


def _legend(at, *, full: bool = False) -> list[tuple[str, str, float]]:
    """(colour, the model's name of the label, share) of each legend row: the top labels and
    "others", or (``full``) every label, the list folded under them."""
    frame = at.dataframe[1 if full else 0].value
    return [
        (row.iloc[0], MODEL_NAME.get(row.iloc[1], row.iloc[1]), float(row.iloc[2].rstrip("%")) / 100)
        for _, row in frame.iterrows()
    ]


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def page():
    return open_page(PAGE)


def test_every_segment_is_shown_with_legend_shares_and_chart(page) -> None:
    at = page
    body = texts(at)
    assert at.title[0].value == es("segmentation.title")
    assert says_stand_in(body, SEGFORMER)  # the tiny random stand-in says so
    assert es("segmentation.kind_semantic") in body
    legend = _legend(at, full=True)
    labels = [label for _, label, _ in legend]
    assert len(legend) >= 2 and set(labels) <= set(ADE_LABELS)
    assert sum(share for *_, share in legend) == pytest.approx(1.0, abs=0.01)  # rounded to 0.1 %
    assert [s for *_, s in legend] == sorted((s for *_, s in legend), reverse=True)
    assert all(color.startswith("#") and len(color) == 7 for color, *_ in legend)
    assert es("segmentation.found_n", n=len(legend)) in body
    assert len(at.get("plotly_chart")) == 1
    assert _options(at) == labels
    # the student reads each class in Spanish next to the model's name, in the legend and the chooser
    shown = [spanish_label(name, "es") for name in labels]
    assert list(at.dataframe[1].value.iloc[:, 1]) == shown == at.selectbox(key="seg_label").options
    assert any("(" in name for name in shown)  # e.g. "pared (wall)"
    assert at.get("image")  # the photo and the overlay
    assert "ImageOps.invert" in at.code[0].value


def test_the_legend_shows_the_top_labels_an_others_row_and_folds_the_full_list(page) -> None:
    """The stand-in finds 14 labels on the astronaut, some at "0.0 %": not one of those at top level."""
    at = page
    full, top = _legend(at, full=True), _legend(at)
    rest = full[len(top) - 1 :]
    assert len(full) > 9 and any(f"{share:.1%}" == "0.0%" for *_, share in full)  # the case of the issue
    assert 2 <= len(top) <= 9  # at most 8 labels and "others"
    assert top[:-1] == full[: len(top) - 1]  # the largest labels, as in the full list
    assert all(share >= 0.005 for *_, share in top[:-1])  # none reads "0.0 %" (nor 0.1 ... 0.4 %)
    color, others, share = top[-1]
    assert others == es("segmentation.others", n=len(rest)) and color == ""
    assert share == pytest.approx(sum(s for *_, s in rest), abs=0.001 * len(rest))  # each rounded to 0.1 %
    assert [e.label for e in at.expander if e.label == es("segmentation.all_labels", n=len(full))]
    bars = at.get("plotly_chart")[0]
    figure = json.loads(bars.proto.spec)
    assert list(reversed(figure["data"][0]["y"]))[-1] == others and len(figure["data"][0]["y"]) == len(top)


def _label_downloads(at) -> list:
    """The chosen label's download buttons (the page's deliverable button is always there)."""
    return [b for b in at.get("download_button") if "seg_dl_" in b.proto.id]


def test_the_chosen_label_gives_mask_inverted_view_and_cutout_downloads(media) -> None:
    at = open_page(PAGE)
    label = _options(at)[1]
    at.selectbox(key="seg_label").set_value(label).run()
    assert not at.exception
    assert any(all(p in s.value for p in _found(label)) for s in at.success)
    assert len(_label_downloads(at)) == 3
    image = load_sample("astronaut")
    mask_png, mask_name = _download(at, media, "seg_dl_mask")
    inv_png, inv_name = _download(at, media, "seg_dl_inverted")
    cut_png, cut_name = _download(at, media, "seg_dl_cutout")
    slug = label.strip().replace(" ", "_")
    assert (mask_name, inv_name, cut_name) == (f"{slug}_mask.png", f"{slug}_inverted.png", f"{slug}_cutout.png")
    mask = np.asarray(Image.open(io.BytesIO(mask_png))) == 255
    inverted = np.asarray(Image.open(io.BytesIO(inv_png)).convert("RGB"))
    cut = Image.open(io.BytesIO(cut_png))
    assert cut.mode == "RGBA" and cut.size == image.size
    alpha = np.asarray(cut)[..., 3]
    np.testing.assert_array_equal(alpha == 255, mask)  # the cut-out is transparent outside the mask
    assert 0 < mask.sum() < mask.size
    assert (inverted[~mask] == 255).all()  # the rest is white
    np.testing.assert_array_equal(inverted[mask], np.asarray(image)[mask])  # the segment as in the photo
    assert f"etiqueta = {label!r}" in at.code[0].value


def test_a_typed_label_is_case_insensitive(page) -> None:
    at = page
    label = _options(at)[0]
    at.text_input(key="seg_typed").set_value(label.strip().upper()).run()
    assert not at.exception
    assert any(all(p in s.value for p in _found(label)) for s in at.success)
    assert len(_label_downloads(at)) == 3
    at.text_input(key="seg_typed").set_value("").run()


def test_a_label_not_in_the_image_lists_what_is(page) -> None:
    at = page
    present = _options(at)
    absent = next(label for label in ADE_LABELS if label not in present)
    at.text_input(key="seg_typed").set_value(absent.title()).run()
    assert not at.exception
    assert any(es("segmentation.not_in_image", label=absent) in w.value for w in at.warning)
    listed = " ".join(i.value for i in at.info)
    assert all(label.strip() in listed for label in present)
    assert not _label_downloads(at)
    at.text_input(key="seg_typed").set_value("").run()


def test_a_label_the_model_cannot_know_shows_its_classes(page) -> None:
    at = page
    at.text_input(key="seg_typed").set_value("Unicorn [x](http://e.com)").run()
    assert not at.exception
    error = " ".join(e.value for e in at.error)
    assert all(p in error for p in parts("segmentation.unknown", model=SEGFORMER, label=ANY, n=len(ADE_LABELS)))
    assert "\\[x\\]\\(http\\:" in error  # typed text is escaped, never rendered as a link
    known = at.dataframe[-1].value
    assert list(known.iloc[:, 1]) == ADE_LABELS
    assert any(es("segmentation.known_classes", n=len(ADE_LABELS)) in e.label for e in at.expander)
    assert not _label_downloads(at)
    at.text_input(key="seg_typed").set_value("").run()


def test_sliders_and_label_choices_do_not_rerun_the_model(monkeypatch, page) -> None:
    import engine.tasks.segmentation as seg_module

    calls = []
    real = seg_module.segment
    monkeypatch.setattr(seg_module, "segment", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = page
    overlay_before = at.get("image")[1].proto.imgs[0].url
    at.slider(key="seg_opacity").set_value(0.9).run()
    at.selectbox(key="seg_label").set_value(_options(at)[-1]).run()
    assert not at.exception
    assert calls == []  # segmented once per (model, image), kept in the session
    assert at.get("image")[1].proto.imgs[0].url != overlay_before  # the overlay was redrawn
    assert es("segmentation.overlay_caption", opacity=0.9) in " ".join(i.proto.imgs[0].caption for i in at.get("image"))


def test_instance_model_contrasts_with_semantic() -> None:
    at = open_page(PAGE)
    at.selectbox(key="seg_model").set_value("ultralytics/yolo11n-seg").run()
    assert not at.exception
    body = texts(at)
    assert all(p in body for p in parts("segmentation.kind_instance", uncovered=ANY))
    assert es("segmentation.nothing_found") in body  # random weights: honest about it
    at.text_input(key="seg_typed").set_value("person").run()
    assert any(es("segmentation.not_in_image", label="person") in w.value for w in at.warning)
    at.text_input(key="seg_typed").set_value("wall").run()  # an ADE20K class, not a COCO one
    unknown = es("segmentation.unknown", model="ultralytics/yolo11n-seg", label="wall", n=80)
    assert any(unknown in e.value for e in at.error)
    assert 'YOLO("yolo11n-seg.pt")' in at.code[0].value


def test_upload_is_segmented_and_a_corrupt_upload_is_an_error() -> None:
    at = open_page(PAGE)
    at.radio(key="seg_source").set_value("upload").run()
    upload(at, "seg_upload", _png(load_sample("motorcycle")), "calle.png")
    assert not at.exception
    assert len(at.dataframe) >= 1 and len(at.get("plotly_chart")) == 1
    upload(at, "seg_upload", b"not an image", "fake.png")
    assert not at.exception
    assert any(es("errors.not_an_image") in e.value for e in at.error)
    assert not at.get("plotly_chart")


def test_large_uploads_are_segmented_at_a_bounded_size() -> None:
    at = open_page(PAGE)
    at.radio(key="seg_source").set_value("upload").run()
    upload(at, "seg_upload", _png(load_sample("coffee").resize((2400, 1600))), "big.png")
    assert not at.exception
    # from the 2048×1365 working copy the page keeps (ui.inputs): its long side shrunk to 1600
    assert es("segmentation.resized", width=2400, height=1600, w=1600, h=1066) in texts(at)


def test_page_in_english() -> None:
    # Typed through the session: AppTest formats the shared radio's options outside the script
    # run (in Spanish), so widgets cannot be set after the switch to English.
    at = open_page(PAGE, lang="en", seg_typed="unicorn")
    assert at.title[0].value == en("segmentation.title") == "Image segmentation"
    assert says_stand_in(texts(at), SEGFORMER, "en")
    unknown = en("segmentation.unknown", model=SEGFORMER, label="unicorn", n=len(ADE_LABELS))
    assert any(unknown in e.value for e in at.error)
