"""Image classification: the real embedded EfficientNet-Lite0, tiny random HF models, the page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from engine.errors import InvalidInput
from engine.inputs.samples import load_sample
from engine.models import registry
from engine.tasks.classification import classify, code_snippet, load_classifier
from tests.apptest import open_page, texts, upload


@pytest.fixture(scope="module")
def lite0():
    return load_classifier("efficientnet-lite0")


@pytest.mark.parametrize(
    ("sample", "expected"),
    [("cat", "cat"), ("coffee", "espresso")],
)
def test_embedded_model_recognises_real_photos(lite0, sample: str, expected: str) -> None:
    result = classify(lite0, load_sample(sample), top_k=5)
    label, score = result.top
    assert expected in label
    assert 0.3 < score <= 1.0
    assert list(result.scores) == sorted(result.scores, reverse=True)
    assert len(result) == 5


def test_embedded_model_is_loaded_from_the_converted_folder(lite0) -> None:
    assert lite0.vision_where == "embedded"
    assert lite0.model.config.num_labels == 1000


@pytest.mark.parametrize(
    "model_id", ["google/vit-base-patch16-224", "microsoft/resnet-50", "facebook/deit-base-patch16-224"]
)
def test_hub_models_load_from_a_models_directory(model_id: str) -> None:
    """Tiny random stand-ins in the HF layout go through the same pipeline path as the real ones."""
    pipe = load_classifier(model_id)
    assert pipe.vision_where == "local"
    result = classify(pipe, load_sample("astronaut"), top_k=3)
    assert len(result) == 3
    assert abs(sum(result.scores) - 1.0) < 1.0  # three of five softmax outputs
    assert set(result.labels) <= set(pipe.model.config.id2label.values())


@pytest.mark.parametrize("top_k", [0, 21, -1])
def test_top_k_out_of_range_is_refused(lite0, top_k: int) -> None:
    with pytest.raises(InvalidInput):
        classify(lite0, load_sample("cat"), top_k=top_k)


def test_wrong_task_is_refused() -> None:
    with pytest.raises(InvalidInput):
        load_classifier("ultralytics/yolov8n")


@pytest.mark.parametrize("model_id", [m.id for m in registry.models_for("image-classification")])
def test_code_snippet_is_valid_python(model_id: str) -> None:
    code = code_snippet(model_id, top_k=3)
    compile(code, "<snippet>", "exec")
    assert "top_k=3" in code
    assert "trust_remote_code" not in code


# --- the page (AppTest) ---


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_page_classifies_the_default_sample_offline() -> None:
    at = open_page("pages/classification.py")
    assert at.metric[0].value == "tabby, tabby cat"
    body = texts(at)
    assert "integrado" in body  # weights source shown
    assert "no se pueden descargar" not in body  # the tiny stand-ins are in the models directory


def test_page_says_why_hub_models_are_unavailable(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))  # an empty models directory, offline
    at = open_page("pages/classification.py")
    assert at.metric[0].value == "tabby, tabby cat"  # the embedded model still works
    info = " ".join(i.value for i in at.info)
    assert "google/vit-base-patch16-224" in info and "no se pueden descargar" in info
    at.selectbox(key="cls_model").set_value("microsoft/resnet-50").run()
    assert not at.exception
    assert any("microsoft/resnet-50" in e.value and "make models" in e.value for e in at.error)


def test_page_upload_gets_a_result_and_corrupt_upload_an_error() -> None:
    at = open_page("pages/classification.py")
    at.radio(key="cls_source").set_value("upload").run()
    upload(at, "cls_upload", _png(load_sample("coffee")), "coffee.png")
    assert not at.exception
    assert at.metric[0].value == "espresso"
    upload(at, "cls_upload", b"this is not an image", "fake.png")
    assert not at.exception
    assert any("no es una imagen" in e.value for e in at.error)
    assert len(at.metric) == 0
    # the page keeps working for the next good input
    upload(at, "cls_upload", _png(load_sample("cat")), "cat.png")
    assert "cat" in at.metric[0].value


def test_page_compare_mode_runs_each_model_side_by_side() -> None:
    at = open_page("pages/classification.py")
    at.toggle(key="cls_compare").set_value(True).run()
    at.multiselect(key="cls_models").set_value(["efficientnet-lite0", "microsoft/resnet-50"]).run()
    assert not at.exception
    assert len(at.metric) == 2
    assert len(at.table) == 2
    assert at.metric[0].value == "tabby, tabby cat"


def test_page_in_english() -> None:
    at = open_page("pages/classification.py", lang="en")
    assert at.title[0].value == "Image classification"
    assert at.metric[0].label == "Top prediction"


def test_upload_name_is_shown_as_text_not_markdown() -> None:
    at = open_page("pages/classification.py")
    at.radio(key="cls_source").set_value("upload").run()
    name = "**negrita** [enlace](http://x) <b>.png"
    upload(at, "cls_upload", _png(load_sample("cat")), name)
    assert not at.exception
    caption = at.image[0].captions[0]
    assert "\\*\\*negrita\\*\\*" in caption and "\\[enlace\\]" in caption and "\\<b\\>" in caption
