"""The /depth page (AppTest): the map beside the photo with its colour bar, the blend slider, the
values, the 3-D view, compare mode, relative vs metric, downloads, uploads, English."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image
from streamlit.runtime.media_file_manager import MediaFileManager

from engine.inputs.samples import load_sample
from engine.tasks.depth import code_snippet
from tests.apptest import code_shown, open_page, texts, upload
from tests.catalog import ANY, en, es, parts, says_stand_in

PAGE = "pages/depth.py"
DEPTH_ANYTHING = "depth-anything/Depth-Anything-V2-Small-hf"
DPT = "Intel/dpt-hybrid-midas"
GLPN = "vinvino02/glpn-nyu"
STATS = ("min", "p5", "median", "p95", "max", "mean")


@pytest.fixture
def deferred(monkeypatch) -> dict[str, tuple[Callable[[], Any], str | None, str | None]]:
    """Every deferred download the page registers (a callable run on the click), by file id."""
    found: dict[str, tuple[Callable[[], Any], str | None, str | None]] = {}
    original = MediaFileManager.add_deferred

    def recording(self, data, mimetype, coordinates, file_name=None, **kw):
        file_id = original(self, data, mimetype, coordinates, file_name=file_name, **kw)
        found[file_id] = (data, mimetype, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return found


def _download(at, deferred, key: str) -> tuple[bytes, str | None, str | None]:
    """What a click on the button ``key`` downloads: its callable run as Streamlit runs it."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    make, mime, name = deferred[button.proto.deferred_file_id]
    data = make()
    return (data.encode() if isinstance(data, str) else data), mime, name


def _images(at) -> list[tuple[str, str]]:
    """(caption, url) of every image the page shows."""
    return [(img.caption, img.url) for el in at.get("image") for img in el.proto.imgs]


def _image(at, caption: str) -> str:
    return next(url for cap, url in _images(at) if cap == caption)


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _key(model_id: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in model_id.lower())


@pytest.fixture(scope="module")
def page():
    return open_page(PAGE)


def test_the_map_is_shown_beside_the_photo_with_its_values_and_3d_view(page) -> None:
    at = page
    body = texts(at)
    assert at.title[0].value == es("depth.title")
    assert says_stand_in(body, DEPTH_ANYTHING)  # the tiny random stand-in says so
    assert es("depth.kind_relative") in body
    captions = [cap for cap, _ in _images(at)]
    for caption in ("depth.photo_caption", "depth.map_caption"):
        assert es(caption) in captions
    assert es("depth.blend_caption", amount=0.5) in captions
    frame = at.dataframe[0].value
    assert list(frame.iloc[:, 0]) == [es(f"depth.stat_{s}") for s in STATS]
    values = [float(v) for v in frame.iloc[:, 1]]  # relative depth: numbers with no unit
    assert values[0] <= values[2] <= values[4]  # min ≤ median ≤ max
    charts = at.get("plotly_chart")
    assert len(charts) == 1 and '"type":"mesh3d"' in charts[0].proto.spec.replace(" ", "")
    assert all(p in body for p in parts("depth.view3d_caption", w=ANY, h=ANY))
    keys = [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")]
    keys.remove("depth_deliverable")  # the page's deliverable (tests/test_deliverable_pages.py)
    stem = f"depth_dl_{_key(DEPTH_ANYTHING)}"
    assert keys == [f"{stem}_{kind}" for kind in ("png", "csv", "json", "png16", "npy")]
    assert es("depth.downloads_relative") in body
    code = at.code[0].value
    assert f'pipeline("depth-estimation", model="{DEPTH_ANYTHING}")' in code and "Image.open('coffee.jpg')" in code
    assert es("depth.how") in body and es("common.how_it_works") in [e.label for e in at.expander]


def test_downloads_are_the_map_and_its_values(deferred) -> None:
    at = open_page(PAGE)
    stem = f"depth_dl_{_key(DEPTH_ANYTHING)}"
    photo = load_sample("coffee")
    png, mime, name = _download(at, deferred, f"{stem}_png")
    picture = Image.open(io.BytesIO(png))
    assert mime == "image/png" and name == f"profundidad_{_key(DEPTH_ANYTHING)}.png"
    assert picture.height == photo.height and picture.width > photo.width  # the map and its colour bar
    npy, _, name = _download(at, deferred, f"{stem}_npy")
    values = np.load(io.BytesIO(npy), allow_pickle=False)
    assert name.endswith(".npy") and values.shape == (photo.height, photo.width) and values.dtype == np.float32
    png16, mime, name = _download(at, deferred, f"{stem}_png16")
    grey = np.asarray(Image.open(io.BytesIO(png16)))
    assert mime == "image/png" and name.endswith("_16bit.png") and grey.dtype == np.uint16
    assert grey.min() == 0 and grey.max() == 65535  # relative: min..max over the 16 bits
    assert np.argmax(grey) == np.argmax(values)  # the same map, scaled
    # The statistics' CSV and JSON are made on the click too (each computes the statistics again).
    csv, mime, name = _download(at, deferred, f"{stem}_csv")
    assert mime == "text/csv" and name.endswith(".csv") and csv.decode().splitlines()[0] == "statistic,value,unit"
    doc, mime, _ = _download(at, deferred, f"{stem}_json")
    assert mime == "application/json" and json.loads(doc)["width"] == photo.width


def test_the_blend_slider_redraws_without_rerunning_the_model(monkeypatch, page) -> None:
    import engine.tasks.depth as depth_module

    calls = []
    real = depth_module.estimate_depth
    monkeypatch.setattr(depth_module, "estimate_depth", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = page
    before = _image(at, es("depth.blend_caption", amount=0.5))
    map_before = _image(at, es("depth.map_caption"))
    at.slider(key="depth_blend").set_value(0.9).run()
    assert not at.exception
    after = _image(at, es("depth.blend_caption", amount=0.9))
    assert after != before  # the blend was redrawn
    at.selectbox(key="depth_cmap").set_value("gray").run()
    assert _image(at, es("depth.map_caption")) != map_before  # another palette
    assert calls == []  # estimated once per (model, photo), kept in the session
    at.slider(key="depth_blend").set_value(0.5).run()
    at.selectbox(key="depth_cmap").set_value("inferno").run()


def test_the_3d_view_can_be_switched_off(page) -> None:
    at = page
    at.toggle(key="depth_3d").set_value(False).run()
    assert not at.exception and not at.get("plotly_chart")
    at.toggle(key="depth_3d").set_value(True).run()
    assert len(at.get("plotly_chart")) == 1


def test_metric_depth_is_in_metres() -> None:
    at = open_page(PAGE)
    at.selectbox(key="depth_model").set_value(GLPN).run()
    assert not at.exception
    body = texts(at)
    assert es("depth.kind_metric") in body and es("depth.downloads_metric") in body
    assert says_stand_in(body, GLPN)
    values = list(at.dataframe[0].value.iloc[:, 1])
    assert all(v.endswith(" m") for v in values)
    assert all(0.0 <= float(v[:-2]) <= 10.0 for v in values)  # GLPN: up to max_depth metres
    assert "metros" in at.code[0].value and GLPN in at.code[0].value


def test_compare_mode_shows_one_map_per_model() -> None:
    at = open_page(PAGE)
    at.toggle(key="depth_compare").set_value(True).run()
    assert not at.exception
    assert at.multiselect(key="depth_models").value == [DEPTH_ANYTHING, DPT]
    headers = [m.value for m in at.markdown if m.value.startswith("##### ")]
    assert headers == [f"##### `{DEPTH_ANYTHING}`", f"##### `{DPT}`"]
    captions = [cap for cap, _ in _images(at)]
    assert captions.count(es("depth.map_caption")) == 2 and es("depth.photo_caption") not in captions
    assert len(at.dataframe) == 2 and len(at.get("plotly_chart")) == 2
    body = texts(at)
    assert all(says_stand_in(body, m) for m in (DEPTH_ANYTHING, DPT))
    at.multiselect(key="depth_models").set_value([DEPTH_ANYTHING, DPT, GLPN]).run()
    assert not at.exception
    assert len(at.dataframe) == 3 and es("depth.kind_metric") in texts(at)
    at.multiselect(key="depth_models").set_value([GLPN]).run()
    assert es("common.compare_need_two") in [w.value for w in at.warning]


def test_compare_mode_shows_the_code_of_every_model() -> None:
    at = open_page(PAGE)
    at.toggle(key="depth_compare").set_value(True).run()
    assert not at.exception
    models = [DEPTH_ANYTHING, DPT]
    assert at.multiselect(key="depth_models").value == models
    captions, blocks = code_shown(at)
    assert blocks == [code_snippet(m, "coffee.jpg", "es").strip() for m in models]
    assert all(f'model="{m}"' in block for m, block in zip(models, blocks, strict=True))
    assert captions == [es("common.code_caption"), *(es("common.code_model", model=m) for m in models)]


def test_upload_is_estimated_and_a_corrupt_upload_is_an_error() -> None:
    at = open_page(PAGE)
    at.radio(key="depth_source").set_value("upload").run()
    upload(at, "depth_upload", _png(load_sample("motorcycle")), "salon.png")
    assert not at.exception
    assert len(at.dataframe) == 1 and len(at.get("plotly_chart")) == 1
    assert "Image.open('salon.png')" in at.code[0].value  # the snippet opens the student's file
    upload(at, "depth_upload", b"not an image", "fake.png")
    assert not at.exception
    assert any(es("errors.not_an_image") in e.value for e in at.error)
    assert not at.get("plotly_chart") and not at.dataframe


def test_large_uploads_are_estimated_at_a_bounded_size() -> None:
    at = open_page(PAGE)
    at.radio(key="depth_source").set_value("upload").run()
    upload(at, "depth_upload", _png(load_sample("coffee").resize((2400, 1600))), "big.png")
    assert not at.exception
    # from the 2048×1365 working copy the page keeps (ui.inputs): its long side shrunk to 1024
    assert es("depth.resized", width=2400, height=1600, w=1024, h=682) in texts(at)


def test_glpn_gets_the_photo_at_its_training_size() -> None:
    """GLPN's activations grow with the photo (it keeps the photo's size): it is given a 640 px
    copy, its training photos' size, while the others get 1024 px; the page says why."""
    at = open_page(PAGE)
    at.toggle(key="depth_compare").set_value(True).run()
    at.multiselect(key="depth_models").set_value([DEPTH_ANYTHING, GLPN]).run()
    at.radio(key="depth_source").set_value("upload").run()
    upload(at, "depth_upload", _png(load_sample("coffee").resize((2400, 1600))), "big.png")
    assert not at.exception
    body = texts(at)
    assert es("depth.resized", width=2400, height=1600, w=1024, h=682) in body
    assert es("depth.resized", width=2400, height=1600, w=640, h=427) in body
    assert body.count(es("depth.model_side", side=640)) == 1  # GLPN's column only
    assert "escala = 640 / max(imagen.size)" in code_snippet(GLPN, "big.png", "es")
    assert "escala" not in code_snippet(DEPTH_ANYTHING, "big.png", "es")


def test_page_in_english() -> None:
    at = open_page(PAGE, lang="en")
    assert at.title[0].value == en("depth.title") == "Depth estimation"
    body = texts(at)
    assert says_stand_in(body, DEPTH_ANYTHING, "en") and en("depth.kind_relative") in body
    assert list(at.dataframe[0].value.iloc[:, 0]) == [en(f"depth.stat_{s}") for s in STATS]
    assert "one value per pixel" in at.code[0].value
