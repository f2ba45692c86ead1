"""Image classification: the real embedded EfficientNet-Lite0, tiny random HF models, the page."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from engine.errors import InvalidInput
from engine.inputs.samples import load_sample
from engine.models import registry
from engine.tasks.classification import Classifier, classify, code_snippet, load_classifier
from tests.apptest import assert_no_exception, code_shown, open_page, texts, upload
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


# --- the page's session cache (issue 17: no model call for a rerun of unchanged work) ---


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, int]]:
    """Every ``classify`` call the page makes from now on: ``(model id, top_k)``."""
    import engine.tasks.classification as cls

    seen: list[tuple[str, int]] = []
    real = cls.classify

    def counting(classifier, image, top_k=5, **kwargs):
        seen.append((classifier.model_id, top_k))
        return real(classifier, image, top_k, **kwargs)

    monkeypatch.setattr(cls, "classify", counting)
    return seen


def _shown(at) -> tuple[list[str], list[str], list[str]]:
    """The page's metrics, tables and inference captions (what the student reads of each result)."""
    return (
        [f"{m.label}|{m.value}|{m.delta}" for m in at.metric],
        [tb.value.to_string() for tb in at.table],
        [c.value for c in at.caption if "ms" in str(c.value)],
    )


def test_page_reruns_and_the_compare_toggle_call_no_model_again(calls) -> None:
    at = open_page("pages/classification.py")
    assert [m for m, _ in calls] == ["efficientnet-lite0"]
    alone = _shown(at)
    at.run()  # an identical rerun
    assert len(calls) == 1 and _shown(at) == alone
    at.toggle(key="cls_compare").set_value(True).run()  # the default pair: Lite0's result is kept
    assert [m for m, _ in calls] == ["efficientnet-lite0", "efficientnet-lite1"]
    pair = _shown(at)
    at.multiselect(key="cls_models").set_value(["efficientnet-lite0", "microsoft/resnet-50"]).run()
    assert [m for m, _ in calls[2:]] == ["microsoft/resnet-50"]  # only the new model ran
    both = _shown(at)
    assert len(both[0]) == 2 and both[0][0] == alone[0][0] and both[1][0] == alone[1][0]
    at.toggle(key="cls_compare").set_value(False).run()  # off: the first model's result, as it was
    assert len(calls) == 3 and _shown(at) == alone
    at.toggle(key="cls_compare").set_value(True).run()  # on again (the default pair): both from the session
    assert len(calls) == 3 and _shown(at) == pair
    assert_no_exception(at)


def test_page_top_k_cuts_the_kept_result_identically(calls, lite0) -> None:
    at = open_page("pages/classification.py")
    for k in (3, 10, 1):
        at.slider(key="cls_top_k").set_value(k).run()
        assert_no_exception(at)
        direct = classify(lite0, load_sample("cat"), top_k=k)  # what a call with this top-k gives
        table = at.table[0].value
        assert list(table.iloc[:, 1]) == list(direct.labels)
        assert list(table.iloc[:, 2]) == [f"{s:.2%}" for s in direct.scores]
        assert at.metric[0].value == direct.top[0] and at.metric[0].delta == f"{direct.top[1]:.1%}"
    assert len(calls) == 1  # the slider moved three times, the model ran once


def test_page_cache_stays_in_the_session_budget(monkeypatch, calls) -> None:
    """Under a small budget the least recently used results go (the newest stays), and a photo whose
    result went is classified again when it comes back."""
    from engine import settings

    monkeypatch.setenv("VISION_SESSION_MB", "0.5")  # about one decoded photo: older ones have to go
    at = open_page("pages/classification.py")
    at.radio(key="cls_source").set_value("upload").run()
    photos = {name: _png(load_sample(name)) for name in ("coffee", "astronaut", "rocket")}
    for name, data in photos.items():
        upload(at, "cls_upload", data, f"{name}.png")
        assert_no_exception(at)
        sizes = at.session_state["_session_cache_sizes"]
        assert sum(sizes.values()) <= settings.session_budget_bytes() or len(sizes) == 1
    ran = len(calls)
    kept = at.session_state["cls_results"]
    assert len(kept) < 4  # the sample's and the first uploads' results were dropped
    upload(at, "cls_upload", photos["coffee"], "coffee.png")  # its result went: the model runs again
    assert len(calls) == ran + 1 and at.metric[0].value == "espresso"


@pytest.mark.parametrize("size", [(600, 400), (2048, 1365), (1461, 10)])
def test_shown_bytes_are_what_streamlit_sends_for_the_image(size: tuple[int, int]) -> None:
    """The page hands st.image the bytes Streamlit itself would make from the PIL image (a JPEG at
    quality 100, shrunk to its content width and encoded at 90 when wider), so the student sees the
    same picture; if a Streamlit upgrade changes its steps, this fails."""
    from streamlit.elements.lib.image_utils import _ensure_image_size_and_format, _pil_to_bytes
    from streamlit.elements.lib.layout_utils import create_layout_config

    from ui.session import shown_bytes

    image = load_sample("astronaut").resize(size)
    layout = create_layout_config(width="stretch", allow_content_width=True)
    theirs = _ensure_image_size_and_format(_pil_to_bytes(image, "JPEG"), layout, "JPEG")
    assert shown_bytes(image) == theirs


def test_page_encodes_the_photos_png_for_the_deliverable_once(monkeypatch) -> None:
    """Every run of one photo (another model, another top-k) shares its PNG: the same bytes, encoded once
    (ui.deliverable.PngMemo, from an empty memo)."""
    from ui import deliverable

    encoded: list[tuple[int, int]] = []
    real = deliverable._encode_png

    def counting(image):
        encoded.append(image.size)
        return real(image)

    monkeypatch.setattr(deliverable, "_PNGS", deliverable.PngMemo(max_bytes=32 * 2**20))
    monkeypatch.setattr(deliverable, "_encode_png", counting)
    at = open_page("pages/classification.py")
    at.toggle(key="cls_compare").set_value(True).run()  # Lite0 and Lite1 on the cat
    at.slider(key="cls_top_k").set_value(3).run()  # two more runs
    assert_no_exception(at)
    runs = [entry for _, entry in at.session_state["deliverable_classification"].values()]
    assert len(runs) == 4 and len(encoded) == 1
    assert {entry.sources[0][1] for entry in runs} == {real(load_sample("cat"))}  # the pixels the models saw
    assert len({id(entry.sources[0][1]) for entry in runs}) == 1  # one bytes object, kept once in memory
