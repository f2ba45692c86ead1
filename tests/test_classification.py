"""Image classification: the real embedded EfficientNet-Lite0, tiny random HF models, the page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from engine.errors import InvalidInput
from engine.inputs.samples import load_sample
from engine.models import registry
from engine.tasks.classification import Classifier, classify, code_snippet, load_classifier
from tests.apptest import code_shown, open_page, texts, upload
from tests.catalog import es, piece
from tests.conftest import TINY_DIR
from tests.snippets import percent_lines, run_snippet, serve


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
    assert lite0.where == "embedded"
    assert lite0.model.config.num_labels == 1000


def test_the_classifier_wraps_the_pipeline_with_what_classify_needs(lite0) -> None:
    assert isinstance(lite0, Classifier) and lite0.model_id == "efficientnet-lite0"
    assert type(lite0.pipeline).__name__ == "ImageClassificationPipeline" and lite0.model is lite0.pipeline.model
    assert len(lite0.labels) == 1000 and lite0.labels[281] == lite0.model.config.id2label[281]
    assert (lite0.activation, lite0.channels_last) == ("softmax", True) and "channels_last" in lite0.applied
    assert not any(hasattr(lite0.pipeline, a) for a in ("vision_where", "vision_origin", "vision_fast"))


@pytest.mark.parametrize(
    "model_id", ["google/vit-base-patch16-224", "microsoft/resnet-50", "facebook/deit-base-patch16-224"]
)
def test_hub_models_load_from_a_models_directory(model_id: str) -> None:
    """Tiny random stand-ins in the HF layout go through the same pipeline path as the real ones."""
    from transformers import pipeline

    classifier = load_classifier(model_id)
    assert classifier.where == "local"
    image = load_sample("astronaut")
    result = classify(classifier, image, top_k=3)
    # the folder's own weights, as a plain pipeline on that folder scores them: the same top 3, in order
    plain = pipeline("image-classification", model=str(TINY_DIR / model_id))(image, top_k=5)
    assert list(result.labels) == [r["label"] for r in plain[:3]]
    assert list(result.scores) == pytest.approx([r["score"] for r in plain[:3]], abs=1e-4)
    assert sum(r["score"] for r in plain) == pytest.approx(1.0, abs=1e-5)  # the five classes' softmax


@pytest.mark.parametrize("top_k", [0, 21, -1])
def test_top_k_out_of_range_is_refused(lite0, top_k: int) -> None:
    with pytest.raises(InvalidInput):
        classify(lite0, load_sample("cat"), top_k=top_k)


def test_wrong_task_is_refused() -> None:
    with pytest.raises(InvalidInput):
        load_classifier("ultralytics/yolov8n")


@pytest.mark.slow
@pytest.mark.parametrize("model_id", [m.id for m in registry.models_for("image-classification")])
def test_code_snippet_runs_and_prints_the_engines_result(model_id: str, local_hub, tmp_path) -> None:
    """The page's code, run as a student runs it (``python snippet.py`` next to their photo, the model
    downloaded by its Hub id from the local Hub, or the embedded one's PyPI package and timm), prints
    the engine's top 3 for the same photo. Spanish for the Hub models, English for the embedded ones."""
    lang = "en" if registry.get(model_id).source == "embedded" else "es"
    code = code_snippet(model_id, top_k=3, file_name="mi astronauta.jpg", lang=lang)
    assert "topk(3)" in code or "top_k=3" in code
    assert "trust_remote_code" not in code and "engine" not in code
    if registry.get(model_id).source == "hf":
        serve(local_hub, model_id)
    load_sample("astronaut").save(tmp_path / "mi astronauta.jpg")
    printed = percent_lines(run_snippet(code, tmp_path))
    expected = classify(load_classifier(model_id), Image.open(tmp_path / "mi astronauta.jpg").convert("RGB"), top_k=3)
    assert list(printed) == list(expected.labels), printed
    assert list(printed.values()) == pytest.approx(list(expected.scores), abs=0.0006)  # printed to 0.1 %


@pytest.mark.parametrize("model_id", [m.id for m in registry.models_for("image-classification")])
def test_code_snippet_opens_the_students_file_in_their_language(model_id: str) -> None:
    spanish, english = (code_snippet(model_id, 5, "gato's.png", lang) for lang in ("es", "en"))
    for code in (spanish, english):
        compile(code, "snippet.py", "exec")
        assert 'Image.open("gato\'s.png")' in code and "foto.jpg" not in code  # the name is data, quoted
    assert "imagen" in spanish and "imagen" not in english and "image = " in english


# --- the page (AppTest) ---


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_page_classifies_the_default_sample_offline() -> None:
    at = open_page("pages/classification.py")
    assert at.metric[0].value == "tabby, tabby cat"
    body = texts(at)
    assert es("common.where_embedded") in body  # weights source shown
    assert piece("common.hub_unreachable") not in body  # the tiny stand-ins are in the models directory


def test_page_says_why_hub_models_are_unavailable(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))  # an empty models directory, offline
    at = open_page("pages/classification.py")
    assert at.metric[0].value == "tabby, tabby cat"  # the embedded model still works
    info = " ".join(i.value for i in at.info)
    assert "google/vit-base-patch16-224" in info and piece("common.hub_unreachable") in info
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
    assert any(es("errors.not_an_image") in e.value for e in at.error)
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


def test_page_compare_mode_shows_the_code_of_every_model() -> None:
    at = open_page("pages/classification.py")
    at.toggle(key="cls_compare").set_value(True).run()
    models = ["efficientnet-lite0", "microsoft/resnet-50"]
    at.multiselect(key="cls_models").set_value(models).run()
    assert not at.exception
    captions, blocks = code_shown(at)
    assert blocks == [code_snippet(m, 5, "cat.jpg", "es").strip() for m in models]
    assert 'timm.create_model("efficientnet_lite0"' in blocks[0] and 'model="microsoft/resnet-50"' in blocks[1]
    assert captions == [es("common.code_caption"), *(es("common.code_model", model=m) for m in models)]
    at.multiselect(key="cls_models").set_value(["microsoft/resnet-50"]).run()  # one model: no heading
    assert code_shown(at) == (
        [es("common.code_caption")],
        [code_snippet("microsoft/resnet-50", 5, "cat.jpg", "es").strip()],
    )


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
