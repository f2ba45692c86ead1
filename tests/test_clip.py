"""CLIP engine: label parsing against nasty inputs, templates, scores against the plain pipeline,
the batched image × text matrix and the reuse of embeddings (tiny random CLIPs, real tokenizer)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.errors import InvalidInput, ModelLoadError, ModelUnavailable
from engine.inputs.images import to_png
from engine.inputs.samples import SAMPLES, load_sample
from engine.models.resolve import resolve
from engine.render.annotate import caption_image
from engine.render.charts import plotly_text
from engine.tasks import clip
from engine.tasks.clip import (
    DEFAULT_DESCRIPTIONS,
    DEFAULT_TEMPLATE,
    MAX_IMAGES,
    MAX_LABEL_CHARS,
    MAX_LABELS,
    ProbabilityTable,
    code_snippet,
    load_clip,
    parse_labels,
    probability_matrix,
    prompts,
    similarities,
    truncated,
    unique_names,
    validate_template,
    workshop_snippet,
    workshop_table,
    zero_shot,
)
from tests.snippets import percent_lines, run_snippet, serve

OPENAI = "openai/clip-vit-base-patch32"
LAION = "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"
FIVE = ["cat", "coffee", "astronaut", "rocket", "horse"]


@pytest.fixture(scope="module")
def openai():
    return load_clip(OPENAI)


@pytest.fixture(scope="module")
def laion():
    return load_clip(LAION)


@pytest.fixture
def fresh():
    """A newly loaded model: empty embedding caches, so counts start at zero."""
    return load_clip(OPENAI)


class Calls:
    """Counts the forward calls (and their batch sizes) of CLIP's two encoders."""

    def __init__(self, model) -> None:
        self.vision: list[int] = []
        self.text: list[int] = []
        self._hooks = [
            model.model.vision_model.register_forward_hook(self._hook(self.vision, "pixel_values"), with_kwargs=True),
            model.model.text_model.register_forward_hook(self._hook(self.text, "input_ids"), with_kwargs=True),
        ]

    @staticmethod
    def _hook(sink: list[int], name: str):
        def hook(module, args, kwargs, output) -> None:
            sink.append(len(kwargs[name] if name in kwargs else args[0]))

        return hook

    def reset(self) -> None:
        self.vision.clear()
        self.text.clear()

    def close(self) -> None:
        for h in self._hooks:
            h.remove()


@pytest.fixture
def calls(fresh):
    counter = Calls(fresh)
    yield counter
    counter.close()


# --- the tiny models and their tokenizer ---


def test_tokenizer_is_the_real_clip_bpe(openai) -> None:
    tok = openai.processor.tokenizer
    assert len(tok) == 49408 == openai.model.config.text_config.vocab_size
    # OpenAI CLIP's ids: <|startoftext|> a photo of a cat <|endoftext|>
    assert tok("a photo of a cat").input_ids == [49406, 320, 1125, 539, 320, 2368, 49407]


@pytest.mark.parametrize(
    "text", ["a photo of a fox", "Un ZORRO 🦊 en la nieve", '<script>alert("x")</script> **bold**', "naïve café 北京"]
)
def test_tokenizer_agrees_with_open_clip(openai, text: str) -> None:
    from open_clip.tokenizer import SimpleTokenizer

    reference = SimpleTokenizer()
    assert openai.processor.tokenizer(text).input_ids == [49406, *reference.encode(text), 49407]


def test_both_ids_load_from_the_models_directory_and_differ(openai, laion) -> None:
    assert (openai.where, laion.where) == ("local", "local")
    assert (openai.model_id, laion.model_id) == (OPENAI, LAION)
    from engine.accel import fastcpu

    for model in (openai, laion):  # both encoders' linears and the patch embedding, packed for the CPU
        linears = sum(type(m).__name__ in {"Linear", "PackedLinear"} for m in model.model.modules())
        expected = (f"onednn_linear:{linears}", "onednn_conv:1") if fastcpu.available() else ()
        assert model.applied == expected
    cat = load_sample("cat")
    a = zero_shot(openai, cat, ["cat", "dog", "car"])
    b = zero_shot(laion, cat, ["cat", "dog", "car"])
    assert dict(zip(a.labels, a.scores, strict=True)) != pytest.approx(dict(zip(b.labels, b.scores, strict=True)))


def test_wrong_task_and_missing_and_broken_models(tmp_path: Path, monkeypatch) -> None:
    source = resolve(LAION)  # a good folder to copy the processor files from
    with pytest.raises(InvalidInput):
        load_clip("microsoft/resnet-50")
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelUnavailable, match="make models"):
        load_clip(OPENAI)
    broken = tmp_path / "openai" / "clip-vit-base-patch32"
    broken.mkdir(parents=True)
    for f in source.path.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match=r"model\.safetensors"):
        load_clip(OPENAI)


# --- labels: a table of nasty inputs ---

CLEAN = [
    ("cat, dog", ["cat", "dog"]),
    ("  cat ,dog  ,  ", ["cat", "dog"]),
    ("cat\ndog\r\nfox\rowl", ["cat", "dog", "fox", "owl"]),
    ("cat, Cat, CAT , dog, DOG", ["cat", "dog"]),  # duplicates ignoring case; the first spelling stays
    ("a   black\tcat, a dog", ["a black cat", "a dog"]),  # inner whitespace collapsed
    ("🐱, 🐶, 🦊 fox", ["🐱", "🐶", "🦊 fox"]),
    ("<script>alert(1)</script>, **bold**", ["<script>alert(1)</script>", "**bold**"]),
    ("[link](x), <b>bold</b>, $x^2$", ["[link](x)", "<b>bold</b>", "$x^2$"]),
    ("\"quoted\", 'single', it's", ['"quoted"', "'single'", "it's"]),
    ("=cmd|' /C calc'!A0, {}, {0}", ["=cmd|' /C calc'!A0", "{}", "{0}"]),
    ("gato\x00, perro\u202e, \x1b[31mrojo", ["gato", "perro", "[31mrojo"]),  # control characters dropped
    ("café, cafe\u0301, tea", ["café", "tea"]),  # the same word in two Unicode forms
    (", ".join(f"l{i}" for i in range(MAX_LABELS)), [f"l{i}" for i in range(MAX_LABELS)]),
    ("x" * MAX_LABEL_CHARS + ", y", ["x" * MAX_LABEL_CHARS, "y"]),
]


@pytest.mark.parametrize(("text", "expected"), CLEAN)
def test_labels_are_cleaned(text: str, expected: list[str]) -> None:
    assert parse_labels(text) == expected


BAD = [
    ("", "clip_no_labels", "at least 2"),
    (",,,, ,\n, ", "clip_no_labels", "at least 2"),
    ("\n\n\n", "clip_no_labels", "at least 2"),
    ("cat", "clip_too_few_labels", "got 1"),
    ("cat, CAT, Cat ", "clip_too_few_labels", "got 1"),
    (", ".join(f"label {i}" for i in range(300)), "clip_too_many_labels", "got 300"),
    (", ".join(f"l{i}" for i in range(MAX_LABELS + 1)), "clip_too_many_labels", f"got {MAX_LABELS + 1}"),
    ("x" * 4000 + ", dog", "clip_label_too_long", "label 1 has 4000"),
    ("dog, " + "y" * (MAX_LABEL_CHARS + 1), "clip_label_too_long", f"label 2 has {MAX_LABEL_CHARS + 1}"),
    ("a" * 6000, "clip_input_too_long", "it has 6000"),
]


@pytest.mark.parametrize(("text", "code", "says"), BAD)
def test_bad_labels_get_a_clear_message(text: str, code: str, says: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_labels(text)
    assert err.value.code == code
    assert says in str(err.value)
    assert "x" * 200 not in str(err.value)  # a huge label is never echoed back


@pytest.mark.parametrize("value", [None, 42, ["cat", "dog"]])
def test_parse_labels_wants_text(value) -> None:
    with pytest.raises(InvalidInput):
        parse_labels(value)


@pytest.mark.parametrize(
    ("template", "expected"),
    [("a photo of a {}", "a photo of a {}"), ("  {}  ", "{}"), ("una foto de un {}.", "una foto de un {}.")],
)
def test_templates_accepted(template: str, expected: str) -> None:
    assert validate_template(template) == expected


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("a photo", "clip_template_placeholder"),
        ("", "clip_template_placeholder"),
        ("{} and {}", "clip_template_placeholder"),
        ("a photo of {0}", "clip_template_placeholder"),
        ("a {name}", "clip_template_placeholder"),
        ("a {} {", "clip_template_placeholder"),
        ("a {} }", "clip_template_placeholder"),
        ("a photo of a {}" + "!" * 300, "clip_template_too_long"),
        (None, "clip_template_type"),
    ],
)
def test_bad_templates_refused(template, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        validate_template(template)
    assert err.value.code == code


def test_prompts_put_each_label_in_the_template() -> None:
    assert prompts(["cat", "{0}", "a {b}"], "a photo of a {}") == [
        "a photo of a cat",
        "a photo of a {0}",  # braces in a label are text, not a format field
        "a photo of a a {b}",
    ]


# --- scores ---


def _pipeline(model_id: str):
    import transformers

    return transformers.pipeline("zero-shot-image-classification", model=str(resolve(model_id).path))


@pytest.mark.parametrize("model_id", [OPENAI, LAION])
@pytest.mark.parametrize(
    ("sample", "labels", "template"),
    [
        ("cat", ["cat", "dog", "car", "tree", "person"], DEFAULT_TEMPLATE),
        ("coffee", ["a cup of coffee", "🦊", "<script>", "zorro", "fox"], "una foto de {}"),
        ("astronaut", ["astronaut", "rocket"], "{}"),
    ],
)
def test_engine_matches_the_plain_pipeline(model_id: str, sample: str, labels: list[str], template: str) -> None:
    model = load_clip(model_id)
    image = load_sample(sample)
    ours = zero_shot(model, image, labels, template)
    plain = _pipeline(model_id)(image, candidate_labels=labels, hypothesis_template=template)
    assert list(ours.labels) == [r["label"] for r in plain]
    assert list(ours.scores) == pytest.approx([r["score"] for r in plain], abs=1e-5)
    assert sum(ours.scores) == pytest.approx(1.0, abs=1e-9)


def test_cosines_are_clip_s_own_embeddings(openai) -> None:
    import torch

    image, labels = load_sample("rocket"), ["rocket", "cat", "coffee"]
    cos = similarities(openai, image, labels)
    inputs = openai.processor(text=prompts(labels), images=image, return_tensors="pt", padding=True)
    with torch.inference_mode():
        out = openai.model(**inputs)
    expected = (out.image_embeds @ out.text_embeds.T)[0].tolist()
    assert dict(zip(cos.labels, cos.scores, strict=True)) == pytest.approx(
        dict(zip(labels, expected, strict=True)), abs=1e-5
    )
    assert all(-1.0 <= s <= 1.0 for s in cos.scores)
    assert list(cos.scores) == sorted(cos.scores, reverse=True)


def test_adding_a_label_changes_every_probability_but_no_cosine(openai) -> None:
    image = load_sample("cat")
    p3 = zero_shot(openai, image, ["cat", "dog", "car"])
    p4 = zero_shot(openai, image, ["cat", "dog", "car", "tree"])
    c3 = similarities(openai, image, ["cat", "dog", "car"])
    c4 = similarities(openai, image, ["cat", "dog", "car", "tree"])
    before, after = dict(zip(p3.labels, p3.scores, strict=True)), dict(zip(p4.labels, p4.scores, strict=True))
    assert all(after[k] < before[k] for k in before)
    cos3, cos4 = dict(zip(c3.labels, c3.scores, strict=True)), dict(zip(c4.labels, c4.scores, strict=True))
    assert {k: cos4[k] for k in cos3} == pytest.approx(cos3, abs=1e-6)


def test_labels_given_to_zero_shot_are_validated_too(openai) -> None:
    with pytest.raises(InvalidInput):
        zero_shot(openai, load_sample("cat"), ["cat"])
    with pytest.raises(InvalidInput):
        zero_shot(openai, load_sample("cat"), ["cat", "dog"], template="no slot")
    result = zero_shot(openai, load_sample("cat"), [" cat ", "CAT", "dog"])
    assert set(result.labels) == {"cat", "dog"}


def test_a_sentence_over_77_tokens_is_cut_not_crashed(openai) -> None:
    long_label = "🦊" * MAX_LABEL_CHARS  # 100 emoji: about 300 tokens
    assert truncated(openai, prompts([long_label, "fox"])) == [0]
    result = zero_shot(openai, load_sample("cat"), [long_label, "fox"])
    assert sum(result.scores) == pytest.approx(1.0)


# --- the matrix: one batched pass, embeddings reused ---


def test_matrix_shape_rows_sum_to_one_and_match_clip_forward(openai) -> None:
    import torch

    images = [load_sample(k) for k in FIVE]
    texts = list(DEFAULT_DESCRIPTIONS)
    matrix = probability_matrix(openai, images, texts)
    assert matrix.shape == (5, 5)
    assert np.allclose(matrix.sum(axis=1), 1.0, atol=1e-9)
    assert (matrix > 0).all()
    inputs = openai.processor(text=texts, images=images, return_tensors="pt", padding=True)
    with torch.inference_mode():
        expected = openai.model(**inputs).logits_per_image.softmax(dim=1).numpy()
    assert np.allclose(matrix, expected, atol=1e-5)


def test_five_by_five_is_one_pass_of_each_encoder(fresh, calls) -> None:
    matrix = probability_matrix(fresh, [load_sample(k) for k in FIVE], list(DEFAULT_DESCRIPTIONS))
    assert matrix.shape == (5, 5)
    assert calls.vision == [5] and calls.text == [5]
    s = fresh.stats()
    assert (s.image_passes, s.images_encoded, s.text_passes, s.texts_encoded) == (1, 5, 1, 5)


def test_changing_only_descriptions_or_only_images_reuses_embeddings(fresh, calls) -> None:
    images = [load_sample(k) for k in FIVE]
    texts = list(DEFAULT_DESCRIPTIONS)
    first = probability_matrix(fresh, images, texts)
    calls.reset()
    # only the descriptions change: no image is encoded again, only the two new texts
    new_texts = [*texts[:4], "a rocket", "a cup of coffee"]
    second = probability_matrix(fresh, images, new_texts)
    assert calls.vision == [] and calls.text == [2]
    calls.reset()
    # only the images change: one new image, no text encoded again
    third = probability_matrix(fresh, [*images[:4], load_sample("motorcycle")], new_texts)
    assert calls.vision == [1] and calls.text == []
    calls.reset()
    # the same again: nothing at all is encoded, and the numbers are the same
    again = probability_matrix(fresh, images, texts)
    assert calls.vision == [] and calls.text == []
    assert np.array_equal(again, first)
    assert second.shape == (5, 6) and third.shape == (5, 6)
    assert np.allclose(
        second[:4, :4] / second[:4, :4].sum(1, keepdims=True), first[:4, :4] / first[:4, :4].sum(1, keepdims=True)
    )


def test_forget_empties_the_caches(fresh, calls) -> None:
    images, texts = [load_sample("cat")], ["a cat", "a dog"]
    probability_matrix(fresh, images, texts)
    fresh.forget()
    calls.reset()
    probability_matrix(fresh, images, texts)
    assert calls.vision == [1] and calls.text == [2]


def test_same_pixels_are_the_same_image(fresh, calls) -> None:
    cat = load_sample("cat")
    probability_matrix(fresh, [cat, cat.copy(), cat], ["a cat", "a dog"])
    assert calls.vision == [1]


def test_many_images_go_in_batches(fresh, calls) -> None:
    images = [Image.new("RGB", (40, 30), (i * 10, 255 - i * 10, 128)) for i in range(20)]
    matrix = probability_matrix(fresh, images, ["red", "green", "blue"])
    assert matrix.shape == (20, 3)
    assert calls.vision == [clip.IMAGE_BATCH, 20 - clip.IMAGE_BATCH] and calls.text == [3]


@pytest.mark.parametrize(
    ("images", "texts"),
    [
        ([], ["a", "b"]),
        ([Image.new("RGB", (8, 8))] * (MAX_IMAGES + 1), ["a", "b"]),
        (["not an image"], ["a", "b"]),
        ([Image.new("RGB", (8, 8))], []),
        ([Image.new("RGB", (8, 8))], ["a", "  "]),
        ([Image.new("RGB", (8, 8))], "a, b"),
    ],
)
def test_matrix_refuses_bad_inputs(openai, images, texts) -> None:
    with pytest.raises(InvalidInput):
        probability_matrix(openai, images, texts)


def test_workshop_table_names_predictions_and_safe_csv(openai) -> None:
    images = [
        ('=HYPERLINK("x")', load_sample("cat")),
        ("a.png", load_sample("coffee")),
        ("a.png", load_sample("rocket")),
    ]
    table = workshop_table(openai, images, ["a cat", "+danger", "a rocket"])
    assert table.image_names == ('=HYPERLINK("x")', "a.png", "a.png (2)")
    assert table.descriptions == ("a cat", "+danger", "a rocket")
    preds = table.predictions()
    assert [p[1] for p in preds] == [table.descriptions[j] for j in table.probs.argmax(axis=1)]
    rows = list(csv.reader(io.StringIO(table.to_csv())))
    assert rows[0] == ["image", "a cat", "'+danger", "a rocket", "prediction"]
    assert rows[1][0] == '\'=HYPERLINK("x")'  # a spreadsheet shows it as text, never runs it
    assert [float(x) for x in rows[2][1:4]] == pytest.approx(list(table.probs[1]), abs=1e-6)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_probability_table_follows_the_result_protocol() -> None:
    import json

    table = ProbabilityTable.from_matrix(["a.png", "b.png"], ["a cat", "a dog"], [[0.75, 0.25], [0.1, 0.9]])
    assert table.rows() == [
        {"image": "a.png", "prediction": "a cat", "probability": 0.75},
        {"image": "b.png", "prediction": "a dog", "probability": 0.9},
    ]
    assert table.to_csv().splitlines()[1] == "a.png,0.750000,0.250000,a cat"
    doc = json.loads(table.to_json(model="m"))
    assert doc["model"] == "m" and doc["probabilities"] == [[0.75, 0.25], [0.1, 0.9]]
    assert doc["predictions"] == table.rows() and doc["descriptions"] == ["a cat", "a dog"]
    with pytest.raises(InvalidInput, match=r"expected a 2x2 matrix \(images x descriptions\); got shape \(2, 3\)"):
        ProbabilityTable.from_matrix(["a", "b"], ["x", "y"], np.zeros((2, 3)))


def test_unique_names() -> None:
    assert unique_names(["a", "a", "b", "a"]) == ["a", "a (2)", "b", "a (3)"]


# --- drawing, display and code ---


def test_caption_image_writes_on_the_top_band_only() -> None:
    photo = load_sample("coffee")
    out = caption_image(photo, "espresso · 87.3% 🦊 <script>" + "x" * 500)
    assert out.size == photo.size and out.mode == "RGB"
    top, bottom = np.asarray(out)[:20], np.asarray(out)[-50:]
    assert not np.array_equal(top, np.asarray(photo)[:20])
    assert np.array_equal(bottom, np.asarray(photo)[-50:])
    assert Image.open(io.BytesIO(to_png(out))).size == photo.size
    assert caption_image(Image.new("L", (5, 5)), "tiny").size == (5, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cat", "cat"),
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ('<a href="javascript:x">y</a>', '&lt;a href="javascript:x"&gt;y&lt;/a&gt;'),
        ("$x^2$", "&#36;x^2&#36;"),
        ("&amp;", "&amp;amp;"),
    ],
)
def test_plotly_text_is_literal(text: str, expected: str) -> None:
    assert plotly_text(text) == expected


NASTY = ['"quoted"', "it's", "<script>alert(1)</script>", "\\n", "🦊", "{}"]


_COSINE_LINE = re.compile(r"^(?P<label>.*): coseno (?P<cos>-?\d+\.\d+) · probabilidad (?P<p>\d+\.\d+)%$")


@pytest.mark.slow
@pytest.mark.parametrize("cosine", [False, True])
@pytest.mark.parametrize("model_id", [OPENAI, LAION])
def test_code_snippet_is_valid_python_with_the_labels_as_data(
    model_id: str, cosine: bool, openai, laion, local_hub, tmp_path
) -> None:
    """Run as a student runs it (``python snippet.py`` next to their photo, the model downloaded by
    its Hub id from the local Hub), the code prints every label as typed, with the engine's numbers."""
    template = "a photo of a '{}'"
    code = code_snippet(model_id, NASTY, template, cosine=cosine, file_name="mi gato.jpg")
    assert repr(NASTY) in code and model_id in code and "Image.open('mi gato.jpg')" in code
    assert "trust_remote_code" not in code and "engine" not in code
    serve(local_hub, model_id)
    load_sample("cat").save(tmp_path / "mi gato.jpg")
    out = run_snippet(code, tmp_path)
    engine = {OPENAI: openai, LAION: laion}[model_id]
    photo = Image.open(tmp_path / "mi gato.jpg").convert("RGB")
    probs = dict(zip(*_labels_scores(zero_shot(engine, photo, NASTY, template)), strict=True))
    if not cosine:
        printed = percent_lines(out)
        assert list(printed.values()) == sorted(printed.values(), reverse=True)  # best first
    else:
        lines = [_COSINE_LINE.match(line) for line in out.splitlines()]
        assert all(lines), out
        cosines = dict(zip(*_labels_scores(similarities(engine, photo, NASTY, template)), strict=True))
        assert [float(m["cos"]) for m in lines] == sorted((float(m["cos"]) for m in lines), reverse=True)
        assert {m["label"]: float(m["cos"]) for m in lines} == pytest.approx(cosines, abs=0.0006)
        printed = {m["label"]: float(m["p"]) / 100 for m in lines}
    assert printed == pytest.approx(probs, abs=0.0006)  # every label, as typed, to 0.1 %


def _labels_scores(result) -> tuple[list[str], list[float]]:
    return list(result.labels), [float(s) for s in result.scores]


@pytest.mark.slow
def test_workshop_snippet_is_valid_python(openai, local_hub, tmp_path) -> None:
    """Run as a student runs it, the workshop code writes the engine's table (images × descriptions)
    for the student's files; in English, its names and its CSV are English."""
    import pandas as pd

    files = ["cat.jpg", "my cup.jpg", "rocket's.jpg"]
    code = workshop_snippet(OPENAI, NASTY, file_names=files, lang="en")
    assert repr(NASTY) in code and repr(files) in code and "softmax(dim=1)" in code and "engine" not in code
    assert "imagen" not in code and "descriptions = " in code
    serve(local_hub, OPENAI)
    for name, sample in zip(files, ["cat", "coffee", "rocket"], strict=True):
        load_sample(sample).save(tmp_path / name)
    out = run_snippet(code, tmp_path)
    assert all(name in out for name in files), out
    table = pd.read_csv(tmp_path / "clip_workshop.csv", index_col=0, keep_default_na=False)
    expected = workshop_table(openai, [(n, Image.open(tmp_path / n).convert("RGB")) for n in files], NASTY)
    assert list(table.index) == files and list(table.columns) == [*NASTY, "prediction"]
    np.testing.assert_allclose(table[NASTY].to_numpy(float), expected.probs, atol=1e-5)
    assert list(table["prediction"]) == [d for _, d, _ in expected.predictions()]


def test_every_sample_can_go_through_the_workshop(openai) -> None:
    images = [(k, load_sample(k)) for k in SAMPLES]
    table = workshop_table(openai, images, list(DEFAULT_DESCRIPTIONS))
    assert table.probs.shape == (len(SAMPLES), 5)
    assert np.allclose(table.probs.sum(axis=1), 1.0)


# --- "Modo rápido" (engine.tasks.clip.fast): tiny random CLIPs, so only the mechanics are tested ---

FAST_LABELS = ["cat", "dog", "car", "tree", "person", "rocket"]


def _fast_mode(mode: str):
    from engine.accel import fastmode

    return pytest.mark.skipif(mode not in fastmode.support().modes, reason=f"this CPU and torch run no {mode}")


@_fast_mode("bf16")
def test_clip_in_bf16_agrees_with_fp32_on_the_same_image_and_leaves_fp32_alone(fresh) -> None:
    from engine.accel.fastmode import ClassAgreement
    from engine.tasks.clip import fast, zero_shot_compared

    photo = load_sample("cat")
    before = zero_shot(fresh, photo, FAST_LABELS)
    stats = fresh.stats()
    copy = fast.fast_model(fresh, "bf16")
    assert copy.mode == "bf16" and copy.applied.startswith("bf16_weights")
    assert copy.module is not fresh.model and copy.extra_mb > 0
    found, comparison = zero_shot_compared(fresh, copy, photo, FAST_LABELS, runs=1)
    assert set(found.labels) == set(FAST_LABELS) and sum(found.scores) == pytest.approx(1.0)
    agreement = comparison.agreement
    assert isinstance(agreement, ClassAgreement) and agreement.top_k == 5  # over fp32's top 5 of the 6
    assert agreement.same_top1 == (found.top[0] == before.top[0])
    assert 0 < agreement.max_score_diff < 0.05  # bf16 rounds: close, never bit-identical
    assert comparison.fp32_ms > 0 and comparison.fast_ms > 0 and comparison.extra_mb == copy.extra_mb
    # The comparison went around the embedding caches: fp32's scores are the page's, to the bit.
    assert fresh.stats() == stats
    assert zero_shot(fresh, photo, FAST_LABELS) == before


def test_the_comparisons_fp32_pass_gives_the_pages_scores(openai) -> None:
    """fp32 in the comparison is ``CLIPModel.forward`` on the image and the sentences at once: the
    numbers the page's cached encoders give (so "the same top-1" is about the page's top-1)."""
    from engine.tasks.clip.fast import _forward_scores

    photo = load_sample("coffee")
    page = zero_shot(openai, photo, FAST_LABELS, "a drawing of a {}")
    forward = _forward_scores(openai, openai.model, photo, FAST_LABELS, "a drawing of a {}")
    assert forward.labels == page.labels
    assert forward.scores == pytest.approx(page.scores, abs=1e-6)


@_fast_mode("int8")
def test_clip_in_int8_shares_the_file_backed_token_table(fresh) -> None:
    from engine.accel import fastmode
    from engine.models.mapped import is_file_backed
    from engine.tasks.clip import fast, zero_shot_compared

    table = fresh.model.text_model.embeddings.token_embedding.weight
    assert is_file_backed(table)
    photo = load_sample("rocket")
    before = zero_shot(fresh, photo, FAST_LABELS)
    copy = fast.fast_model(fresh, "int8")
    assert copy.applied.startswith("int8_dynamic_linear:")
    # int8 leaves the embedding as it is: the copy reads the same file pages, no heap copy of them.
    assert copy.module.text_model.embeddings.token_embedding.weight is table
    assert copy.extra_mb < fastmode.module_mb(fresh.model) + 0.01
    assert copy.extra_mb < table.numel() * table.element_size() / 2**20
    found, comparison = zero_shot_compared(fresh, copy, photo, FAST_LABELS, runs=1)
    assert comparison.mode == "int8" and len(found) == len(FAST_LABELS)
    assert 0 <= comparison.agreement.max_score_diff < 0.2
    assert zero_shot(fresh, photo, FAST_LABELS) == before
    assert (
        fastmode.fast_copy(fresh.model, "bf16").module.inner.text_model.embeddings.token_embedding.weight is not table
    )


def test_clip_fast_mode_is_chosen_as_every_models_and_only_for_a_clip_here(openai, monkeypatch) -> None:
    from engine.accel import fastmode
    from engine.tasks.clip import fast

    assert fast.supported(openai) and not fast.supported(object())
    if not fastmode.support().any:
        assert fast.fast_model(openai) is None
        return
    monkeypatch.delenv("VISION_FAST_MODE", raising=False)
    monkeypatch.setattr(fastmode, "KEEP_IF_RATIO_BELOW", 100.0)  # kept whatever a busy machine measures
    kept = fast.fast_model(openai)
    assert kept is not None and kept.mode in fastmode.candidates(openai.model)
    monkeypatch.setattr(fastmode, "KEEP_IF_RATIO_BELOW", 0.0)  # nothing is that fast: fp32 only
    assert fast.fast_model(openai) is None


def test_bench_fast_times_the_whole_clip_on_one_image_and_five_sentences(openai) -> None:
    """``python -m bench fast``'s CLIP rows: the module copied is the whole ``CLIPModel``, its call the
    one the app times its modes on."""
    from bench.fast import RANDOM_INIT, _net_and_run

    net, run = _net_and_run(openai)
    assert net is openai.model
    out = run(net)
    assert out.image_embeds.shape[0] == 1 and out.text_embeds.shape[0] == 5
    assert {OPENAI, LAION} <= set(RANDOM_INIT)
