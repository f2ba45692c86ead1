"""What a student sees around the slow and the foreign parts (issue 18, items 7 and 12): a huge photo
shrunk once up front and said so (labels of the full photo scaled with it), a status over each
model of a comparison and each image of a batch, Spanish words where Streamlit's widgets allow
them and a note where they do not, the camera's HTTPS rule, and a page's settings in its URL.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import settings
from engine.evaluation.groundtruth import GroundTruth
from engine.inputs.images import fit_working
from engine.inputs.samples import load_sample
from engine.tasks.detection import COCO_NAMES
from tests.apptest import assert_no_exception, open_page, texts, upload
from tests.catalog import en, es
from ui import query
from ui.steps import each_step


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


# --- the working size -------------------------------------------------------------------------


def test_working_side_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISION_WORKING_SIDE", raising=False)
    assert settings.working_side() == 2048
    monkeypatch.setenv("VISION_WORKING_SIDE", "1024")
    small, original = fit_working(Image.new("RGB", (6000, 4000)))
    assert (small.size, original) == ((1024, 683), (6000, 4000))
    portrait, original = fit_working(Image.new("RGB", (3000, 4500)))
    assert (portrait.size, original) == ((683, 1024), (3000, 4500))  # the long side, whichever it is
    monkeypatch.setenv("VISION_WORKING_SIDE", "0")  # never
    assert fit_working(Image.new("RGB", (6000, 4000)))[1] is None


def test_a_photo_that_fits_is_the_same_object() -> None:
    image = Image.new("RGB", (2048, 1000))
    assert fit_working(image, 2048) == (image, None)


def test_labels_of_the_full_photo_scale_to_the_copy() -> None:
    truth = GroundTruth.from_boxes("a.jpg", (4000, 3000), [[400, 300, 2000, 1500]], ["cat"], [True])
    small = truth.resized((1000, 750))
    assert small.size == (1000, 750)
    assert np.allclose(small.xyxy, [[100, 75, 500, 375]])
    assert small.class_name == ("cat",) and small.iscrowd.tolist() == [True]
    assert truth.resized((4000, 3000)) is truth


def test_a_big_upload_is_shrunk_once_and_the_page_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_WORKING_SIDE", "256")
    at = open_page("pages/classification.py")
    at.radio(key="cls_source").set_value("upload").run()
    photo = load_sample("cat").resize((600, 400))
    upload(at, "cls_upload", _png(photo), "gato.png")
    assert_no_exception(at)
    assert es("input.downscaled", width=600, height=400, w=256, h=171) in texts(at)
    assert at.metric[0].value  # and the model ran on it
    at.slider(key="cls_top_k").set_value(3).run()  # a rerun: the caption stays, from the one decode
    assert es("input.downscaled", width=600, height=400, w=256, h=171) in texts(at)


def test_coco_labels_of_the_full_photo_evaluate_the_shrunk_copy(monkeypatch, coco8: Path) -> None:
    name = "000000000036.jpg"  # a person under an umbrella
    path = coco8 / "images" / "val" / name
    w, h = Image.open(path).size
    monkeypatch.setenv("VISION_WORKING_SIDE", str(max(w, h) // 2))
    annotations = []
    for n, line in enumerate((coco8 / "labels" / "val" / name.replace(".jpg", ".txt")).read_text().splitlines()):
        cls, cx, cy, bw, bh = (float(v) for v in line.split())
        box = [(cx - bw / 2) * w, (cy - bh / 2) * h, bw * w, bh * h]  # pixels of the photo as taken
        annotations.append({"id": n, "image_id": 36, "category_id": int(cls) + 1, "bbox": box})
    doc = {
        "images": [{"id": 36, "file_name": name, "width": w, "height": h}],
        "annotations": annotations,
        "categories": [{"id": i + 1, "name": c} for i, c in enumerate(COCO_NAMES)],
    }
    at = open_page("pages/detection.py")
    at.radio(key="det_source").set_value("upload").run()
    upload(at, "det_upload", path.read_bytes(), name, "image/jpeg")
    upload(at, "det_truth", json.dumps(doc).encode(), "instances.json", "application/json")
    assert_no_exception(at)
    assert not at.error  # not "the labels are for an image of 640x427"
    body = texts(at)
    assert es("input.downscaled", width=w, height=h, w=w // 2, h=round(h / 2)) in body
    assert es("detection.truth_loaded", n=len(annotations)) in body
    [metrics] = [tb.value for tb in at.table if es("detection.col_map50") in tb.value.columns]
    # YOLOv8n finds the person and the umbrella on the half-size copy: boxes scaled right match them
    assert float(metrics[es("detection.col_map50")].iloc[0]) > 0.5


# --- steps ----------------------------------------------------------------------------------------


class _Status:
    def __init__(self, log: list[tuple[str, str]], label: str, state: str) -> None:
        self.log = log
        log.append((label, state))

    def update(self, *, label: str, state: str) -> None:
        self.log.append((label, state))


class _Where:
    def __init__(self) -> None:
        self.log: list[tuple[str, str]] = []

    def status(self, label: str, *, state: str, expanded: bool) -> _Status:
        return _Status(self.log, label, state)


def test_each_step_names_the_one_under_way_then_closes() -> None:
    where, seen = _Where(), []
    for item in each_step(["a", "b", "c"], lambda i, n, x: f"{i}/{n} {x}", lambda n: f"{n} done", where=where):
        seen.append((item, where.log[-1]))  # what the page says while the step runs
    assert seen == [("a", ("1/3 a", "running")), ("b", ("2/3 b", "running")), ("c", ("3/3 c", "running"))]
    assert where.log[-1] == ("3 done", "complete")
    one = _Where()
    assert list(each_step(["a"], lambda i, n, x: x, str, where=one)) == ["a"] and one.log == []  # no counter for one


def test_compare_mode_shows_a_status_over_the_models() -> None:
    at = open_page("pages/classification.py")
    at.toggle(key="cls_compare").set_value(True).run()
    at.multiselect(key="cls_models").set_value(["efficientnet-lite0", "efficientnet-lite1"]).run()
    assert_no_exception(at)
    assert [(s.label, s.state) for s in at.status] == [(es("steps.models_done", n=2), "complete")]
    at.toggle(key="cls_compare").set_value(False).run()  # one model: its own spinner, no counter
    assert not at.status


def test_workshop_uploads_are_read_under_a_status_and_shrunk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_WORKING_SIDE", "300")
    at = open_page("pages/clip_workshop.py")
    files = [
        ("grande.png", _png(load_sample("cat").resize((900, 600))), "image/png"),
        ("cafe.png", _png(load_sample("coffee").resize((200, 150))), "image/png"),
    ]
    at.file_uploader(key="cw_uploads").set_value(files).run()
    assert_no_exception(at)
    assert [(s.label, s.state) for s in at.status] == [(es("steps.images_done", n=2), "complete")]
    body = texts(at)
    assert es("input.downscaled", width=900, height=600, w=300, h=200) in body  # the big one only
    assert es("input.downscaled", width=200, height=150, w=300, h=225) not in body
    assert "grande.png" in [t.value for t in at.text]


# --- Streamlit's own texts and the camera -------------------------------------------------------------


def test_spanish_notes_where_streamlit_cannot_be_translated() -> None:
    at = open_page("pages/classification.py")
    at.radio(key="cls_source").set_value("upload").run()
    assert es("input.uploader_note", mb=20) in texts(at)
    at.radio(key="cls_source").set_value("camera").run()
    assert es("input.camera_https") in texts(at)
    assert at.selectbox(key="cls_model").proto.placeholder == es("common.model_placeholder")
    at.toggle(key="cls_compare").set_value(True).run()
    assert at.multiselect(key="cls_models").proto.placeholder == es("common.pick_placeholder")


def test_english_has_no_gloss_of_english_widgets() -> None:
    # The source is set before the run: the radio's English labels are drawn in the page's session.
    at = open_page("pages/classification.py", lang="en", cls_source="upload")
    body = texts(at)
    assert en("input.uploader_note", mb=20) not in body and es("input.uploader_note", mb=20) not in body
    assert en("input.upload_prompt") in body  # the upload branch ran
    at = open_page("pages/classification.py", lang="en", cls_source="camera")
    assert en("input.camera_https") in texts(at)


# --- settings in the URL --------------------------------------------------------------------------


def _linked(page: str, **params: str | list[str]):
    """``page`` opened from a link with ``params`` in its query string."""
    from streamlit.testing.v1 import AppTest

    from tests.apptest import ROOT, TIMEOUT

    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "es"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert_no_exception(at)
    return at


def _param(at, key: str) -> list[str]:
    """Every value of ``key`` in the address the page wrote (one value comes back as a string)."""
    value = at.query_params[key]
    return list(value) if isinstance(value, list) else [value]


def test_a_link_opens_classification_set_up_and_the_url_follows() -> None:
    at = _linked("pages/classification.py", model="efficientnet-lite1", top_k="3")
    assert at.selectbox(key="cls_model").value == "efficientnet-lite1"
    assert at.slider(key="cls_top_k").value == 3
    assert len(at.table[0].value) == 3
    assert es("link.hint") in [c.value for c in at.sidebar.caption]
    at.slider(key="cls_top_k").set_value(7).run()  # the student's change goes into the address
    assert _param(at, "top_k") == ["7"] and _param(at, "model") == ["efficientnet-lite1"]
    at.slider(key="cls_top_k").set_value(5).run()  # back to the default: out of the address
    assert "top_k" not in at.query_params


def test_a_hostile_link_is_ignored_or_clamped() -> None:
    at = _linked("pages/classification.py", model="evil/model", top_k="9999", compare="<script>")
    assert at.selectbox(key="cls_model").value == "efficientnet-lite0"  # unknown id: the default
    assert at.slider(key="cls_top_k").value == 10  # clamped
    assert at.toggle(key="cls_compare").value is False
    # the address now says what the page shows: the unknown id and the bad flag gone, the number clamped
    assert "model" not in at.query_params and "compare" not in at.query_params
    assert _param(at, "top_k") == ["10"]


def test_a_link_sets_up_detection_and_compare_mode() -> None:
    at = _linked(
        "pages/detection.py",
        model=["ultralytics/yolov8n", "facebook/detr-resnet-50"],
        conf="0.333",
        iou="0.9",
        classes="person,unicorn,cup",
    )
    assert at.toggle(key="det_compare").value is True
    assert at.multiselect(key="det_models").value == ["ultralytics/yolov8n", "facebook/detr-resnet-50"]
    assert at.slider(key="det_conf").value == pytest.approx(0.33)  # on the slider's step
    assert at.slider(key="det_iou").value == pytest.approx(0.9)
    assert at.multiselect(key="det_classes").value == ["person", "cup"]  # no unicorn in COCO
    assert [(s.label, s.state) for s in at.status] == [(es("steps.models_done", n=2), "complete")]


def test_a_link_sets_up_zero_shot_labels_and_template() -> None:
    labels = "gato, perro, <b>zorro</b>"
    at = _linked("pages/zero_shot.py", labels=labels, template="una foto de un {}\x07")
    assert at.text_area(key="zs_labels").value == labels  # shown as typed, never as Markdown
    assert at.text_input(key="zs_template").value == "una foto de un {}"  # control characters dropped
    assert "una foto de un gato" in at.code[0].value
    at.text_area(key="zs_labels").set_value("coche, moto").run()
    assert _param(at, "labels") == ["coche, moto"]


def test_a_link_sets_up_segmentation() -> None:
    at = _linked("pages/segmentation.py", opacity="0.8", label="sky")
    assert at.slider(key="seg_opacity").value == pytest.approx(0.8)
    assert at.text_input(key="seg_typed").value == "sky"
    assert _param(at, "label") == ["sky"]


def test_a_link_sets_up_depth_with_glpn_or_a_compare() -> None:
    at = _linked("pages/depth.py", model="vinvino02/glpn-nyu")
    assert at.selectbox(key="depth_model").value == "vinvino02/glpn-nyu"
    assert at.toggle(key="depth_compare").value is False
    assert _param(at, "model") == ["vinvino02/glpn-nyu"]
    at = _linked("pages/depth.py", model=["Intel/dpt-hybrid-midas", "vinvino02/glpn-nyu"])
    assert at.toggle(key="depth_compare").value is True
    assert at.multiselect(key="depth_models").value == ["Intel/dpt-hybrid-midas", "vinvino02/glpn-nyu"]
    assert len(at.dataframe) == 2


def test_text_from_a_link_is_bounded() -> None:
    assert query.clean_text("a" * 10_000, 50) == "a" * 50
    assert query.clean_text("x\u202ey\u0000z\nw", 50) == "xyz\nw"  # bidi override and NUL dropped
