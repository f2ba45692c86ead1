"""Issue 18, item 1: a stand-in model looks like one, on every page and on Home, from the one rule
(engine.models.provenance), with the parameters really loaded; the real weights are not flagged."""

from __future__ import annotations

import pytest

from engine.models import registry
from engine.models.resolve import present
from tests.apptest import assert_no_exception, open_page, texts
from tests.catalog import ANY, en, es, parts, says_stand_in

VIT = "google/vit-base-patch16-224"
DETR = "facebook/detr-resnet-50"
CLIP = "openai/clip-vit-base-patch32"


def _warnings(at) -> str:
    return "\n".join(w.value for w in at.warning)


def test_home_flags_every_stand_in_and_shows_what_is_on_disk() -> None:
    at = open_page()
    table = at.table[0].value  # indexed by model id
    weights, size, params = (table[es(f"home.col_{c}")] for c in ("weights", "size", "params"))
    stand_ins = [s.id for s in registry.MODELS if present(s).stand_in]  # in the table's order
    assert VIT in stand_ins and "efficientnet-lite0" not in stand_ins
    assert list(weights[weights == es("common.weights_stand_in")].index) == stand_ins
    assert weights["efficientnet-lite0"] == es("common.weights_published")
    # the tiny ViT's own figures, not the published 346 MB / 86.6 M
    assert float(size[VIT]) < 1 and float(params[VIT]) < 0.1
    assert float(params["efficientnet-lite0"]) == pytest.approx(4.69, abs=0.01)  # counted in its file
    assert es("home.stand_ins", n=len(stand_ins), models=", ".join(stand_ins)) in _warnings(at)


def test_home_says_nothing_of_stand_ins_where_there_are_none(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    at = open_page(lang="en")
    assert not at.warning
    assert en("common.weights_stand_in") not in at.table[0].value[en("home.col_weights")].tolist()


def test_classification_flags_the_tiny_vit_and_not_the_embedded_model() -> None:
    at = open_page("pages/classification.py")
    assert not _warnings(at)  # the embedded EfficientNet has the published weights
    assert all(p in texts(at) for p in parts("common.loaded", facts=ANY))
    at.selectbox(key="cls_model").set_value(VIT).run()
    assert_no_exception(at)
    body = texts(at)
    assert says_stand_in(body, VIT)
    assert es("common.stand_in_too_small") in body and "86.6" in body  # what it is, against the published count
    assert "0.024 M" in body  # the parameters really loaded


def test_the_picker_tags_a_stand_in() -> None:
    at = open_page("pages/classification.py")
    box = at.selectbox(key="cls_model")
    shown = {o.split(" · ")[0]: o for o in box.options}
    assert es("common.tag_stand_in") in shown[VIT]
    assert es("common.tag_stand_in") not in shown["efficientnet-lite0"]


def test_detection_compare_flags_detr_and_not_the_real_yolov8n(shared_models) -> None:
    at = open_page("pages/detection.py")
    assert not _warnings(at)  # the real YOLOv8n
    at.toggle(key="det_compare").set_value(True).run()
    at.multiselect(key="det_models").set_value(["ultralytics/yolov8n", DETR]).run()
    assert_no_exception(at)
    body = texts(at)
    assert says_stand_in(body, DETR) and not says_stand_in(body, "ultralytics/yolov8n")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_zero_shot_flags_the_tiny_clip(lang: str) -> None:
    at = open_page("pages/zero_shot.py", lang=lang)
    assert_no_exception(at)
    assert says_stand_in(texts(at), CLIP, lang)


def test_pictionary_flags_a_random_init_sketch_model_and_not_the_real_one(shared_models, tmp_path, monkeypatch) -> None:
    import shutil

    from engine.models import provenance

    at = open_page("pages/pictionary.py")
    assert not _warnings(at)  # the real Quick-Draw CNN
    folder = tmp_path / "nateraw" / "quickdraw"
    shutil.copytree(shared_models / "nateraw" / "quickdraw", folder)
    (folder / provenance.RANDOM_INIT_MARKER).write_text("{}")  # as bench/models.py marks what it builds
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    from ui.models import model_cache

    model_cache().clear()  # the real CNN is loaded already: load the marked copy
    try:
        at = open_page("pages/pictionary.py")
    finally:
        model_cache().clear()  # and let later tests load the real one again
    assert_no_exception(at)
    body = texts(at)
    assert says_stand_in(body, "nateraw/quickdraw") and es("common.stand_in_random_init") in body
