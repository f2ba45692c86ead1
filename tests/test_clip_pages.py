"""The /zero_shot and /clip_workshop pages (AppTest, tiny random CLIPs: the scores mean nothing)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from engine.inputs.samples import load_sample
from engine.tasks.clip import DEFAULT_TEMPLATE, MAX_LABEL_CHARS, MAX_LABELS, MIN_LABELS, code_snippet, parse_labels
from tests.apptest import assert_no_exception, code_shown, open_page, texts
from tests.catalog import en, es, piece

ZS = "pages/zero_shot.py"
CW = "pages/clip_workshop.py"
OPENAI = "openai/clip-vit-base-patch32"
LAION = "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _markdown_text(at) -> str:
    """Everything the page rendered as Markdown (where user text must never go)."""
    parts = [str(el.value) for kind in ("markdown", "caption", "error", "warning", "info") for el in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def _labels_table(at, index: int = 0):
    return at.dataframe[index].value


LABEL, SCORE = es("zero_shot.col_label"), es("zero_shot.col_score")


def _stats(part: int, **counts: int) -> str:
    """One side of the workshop's embedding counts ("imágenes: ...": 1, "descripciones: ...": 2)."""
    keys = ("img_new", "img_passes", "img_hits", "txt_new", "txt_passes", "txt_hits")
    return es("clip_workshop.stats", ms=0, **({k: 0 for k in keys} | counts)).split(" · ")[part]


# --- /zero_shot ---


def test_zero_shot_default_labels_sorted_table_chart_and_photo() -> None:
    at = open_page(ZS)
    table = _labels_table(at)
    assert set(table[LABEL]) == {"cat", "dog", "car", "tree", "person"}
    scores = list(table[SCORE])
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=1e-6)
    assert list(table["#"]) == [1, 2, 3, 4, 5]
    assert at.code[0].value.splitlines() == [f"a photo of a {x}" for x in ("cat", "dog", "car", "tree", "person")]
    assert any(t.value == table[LABEL][0] for t in at.text)  # the top label, as plain text
    assert len(at.get("plotly_chart")) == 1
    assert len(at.get("image")) >= 2  # the input photo and the photo with the top label
    assert any(el.proto.label == es("common.download_png") for el in at.get("download_button"))
    assert es("common.where_local") in texts(at)


def test_zero_shot_nasty_labels_are_shown_as_text_only() -> None:
    at = open_page(ZS)
    nasty = ["<script>alert(1)</script>", "**bold**", "[link](x)", '"quoted"', "🦊", ":red[rojo]", "$x^2$"]
    at.text_area(key="zs_labels").set_value(",".join(nasty) + "\n, ,**BOLD**").run()
    assert_no_exception(at)
    table = _labels_table(at)
    assert set(table[LABEL]) == set(nasty)  # "**BOLD**" was a duplicate of "**bold**"
    rendered = _markdown_text(at)
    for label in nasty:
        assert label not in rendered
    code = "\n".join(c.value for c in at.code)
    assert "a photo of a <script>alert(1)</script>" in code and "**bold**" in code


@pytest.mark.parametrize(
    ("labels", "template", "message"),
    [
        ("", "a photo of a {}", es("errors.clip_no_labels", min=MIN_LABELS)),
        (",,, ,\n", "a photo of a {}", es("errors.clip_no_labels", min=MIN_LABELS)),
        ("cat, CAT", "a photo of a {}", es("errors.clip_too_few_labels", min=MIN_LABELS, got=1)),
        (
            ", ".join(f"l{i}" for i in range(300)),
            "a photo of a {}",
            es("errors.clip_too_many_labels", max=MAX_LABELS, got=300),
        ),
        (
            "x" * 3000 + ", dog",
            "a photo of a {}",
            es("errors.clip_label_too_long", max=MAX_LABEL_CHARS, index=1, got=3000),
        ),
        ("cat, dog", "a photo of a cat", es("errors.clip_template_placeholder", got=0)),
        ("cat, dog", "{} or {}", es("errors.clip_template_placeholder", got=2)),
    ],
)
def test_zero_shot_bad_input_gets_a_clear_message(labels: str, template: str, message: str) -> None:
    at = open_page(ZS)
    at.text_area(key="zs_labels").set_value(labels)
    at.text_input(key="zs_template").set_value(template).run()
    assert_no_exception(at)
    errors = " ".join(e.value for e in at.error)
    assert message in errors
    assert len(at.dataframe) == 0
    assert "x" * 200 not in errors
    # the page recovers with good input
    at.text_area(key="zs_labels").set_value("cat, dog")
    at.text_input(key="zs_template").set_value("a photo of a {}").run()
    assert len(at.error) == 0 and len(at.dataframe) == 1


def test_zero_shot_template_goes_into_every_sentence_and_the_code() -> None:
    at = open_page(ZS)
    at.text_input(key="zs_template").set_value("una foto de un {}").run()
    assert_no_exception(at)
    sentences = at.code[0].value.splitlines()
    assert sentences == [f"una foto de un {x}" for x in ("cat", "dog", "car", "tree", "person")]
    assert "hypothesis_template='una foto de un {}'" in at.code[-1].value


def test_zero_shot_example_buttons_fill_the_labels() -> None:
    at = open_page(ZS)
    at.button(key="zs_example_es").click().run()
    assert at.text_area(key="zs_labels").value == "gato, perro, zorro, caballo, pájaro, coche"
    assert set(_labels_table(at)[LABEL]) == {"gato", "perro", "zorro", "caballo", "pájaro", "coche"}
    at.button(key="zs_example_mix").click().run()
    assert set(_labels_table(at)[LABEL]) == {"fox", "zorro", "cat", "gato"}


def test_zero_shot_cosine_toggle_shows_raw_similarities() -> None:
    at = open_page(ZS)
    at.toggle(key="zs_cosine").set_value(True).run()
    assert_no_exception(at)
    table = _labels_table(at)
    cosine = es("zero_shot.col_cosine")
    assert cosine in table.columns
    assert all(-1.0 <= c <= 1.0 for c in table[cosine])
    assert len(at.get("plotly_chart")) == 2
    assert "image_embeds @ salida.text_embeds.T" in at.code[-1].value


def test_zero_shot_compare_runs_openai_and_laion_side_by_side() -> None:
    at = open_page(ZS)
    at.toggle(key="zs_compare").set_value(True).run()
    assert_no_exception(at)
    assert at.multiselect(key="zs_models").value == [OPENAI, LAION]
    # Two CLIPs exist: the picker asks for both, not "2 to 3" (there is no third to pick).
    assert at.multiselect(key="zs_models").label == es("common.compare_pick_two")
    assert len(at.dataframe) == 3  # one per model + the two side by side
    both = at.dataframe[2].value
    # the tiny CLIPs are stand-ins, and the table's columns say so (issue 18, item 1)
    openai, laion = (f"{m} · {es('common.tag_stand_in')}" for m in (OPENAI, LAION))
    assert list(both.columns) == [LABEL, openai, laion]
    assert both[openai].sum() == pytest.approx(1.0, abs=1e-6) and both[laion].sum() == pytest.approx(1.0, abs=1e-6)
    assert not np.allclose(both[openai], both[laion])  # different weights, different scores
    body = texts(at)
    assert OPENAI in body and LAION in body and piece("zero_shot.memory") in body
    at.multiselect(key="zs_models").set_value([OPENAI]).run()
    assert any(es("common.compare_need_two") in w.value for w in at.warning)


def test_zero_shot_compare_shows_the_code_of_both_clips() -> None:
    at = open_page(ZS)
    at.toggle(key="zs_compare").set_value(True).run()
    assert_no_exception(at)
    assert at.multiselect(key="zs_models").value == [OPENAI, LAION]
    captions, blocks = code_shown(at)
    labels = parse_labels(es("zero_shot.default_labels"))
    expected = [
        code_snippet(m, labels, DEFAULT_TEMPLATE, cosine=False, file_name="cat.jpg", lang="es").strip()
        for m in (OPENAI, LAION)
    ]
    assert blocks == expected
    assert f'"{OPENAI}"' in blocks[0] and f'"{LAION}"' in blocks[1]
    assert captions == [es("common.code_caption"), *(es("common.code_model", model=m) for m in (OPENAI, LAION))]


def test_zero_shot_upload_gets_scores() -> None:
    at = open_page(ZS)
    at.radio(key="zs_source").set_value("upload").run()
    at.file_uploader(key="zs_upload").set_value(("<b>coffee</b>.png", _png(load_sample("coffee")), "image/png")).run()
    assert_no_exception(at)
    assert len(at.dataframe) == 1
    assert "<b>coffee</b>.png" not in _markdown_text(at)


def test_zero_shot_in_english() -> None:
    at = open_page(ZS, lang="en")
    assert at.title[0].value == en("zero_shot.title") == "Zero-shot classification with CLIP"
    assert en("zero_shot.col_label") in _labels_table(at).columns


@pytest.mark.parametrize("lang", ["es", "en"])
def test_zero_shot_fast_mode_shows_its_scores_its_time_and_its_agreement(monkeypatch, lang) -> None:
    from engine.accel import fastmode
    from ui.i18n import translate

    mode = fastmode.support().modes[0] if fastmode.support().any else "bf16"
    monkeypatch.setenv("VISION_FAST_MODE", mode)  # this mode's copy whatever a busy machine measures
    at = open_page(ZS, lang=lang)
    toggle = at.toggle(key="zero_shot_fast")
    assert toggle.value is False and toggle.label == translate("fastmode.toggle", lang)
    assert piece("fastmode.time", lang) not in texts(at) and len(at.dataframe) == 1
    fp32_table = _labels_table(at).copy()
    if not fastmode.support().any:
        assert toggle.disabled and translate("fastmode.unsupported", lang) in texts(at)
        return
    at = open_page(ZS, lang=lang, zero_shot_fast=True)  # switched on (set_value trips AppTest's radios in en)
    body = texts(at)
    assert f"**{translate('fastmode.result', lang, mode=mode)}**" in body
    assert piece("fastmode.time", lang) in body and f"{mode} " in body and "fp32" in body
    assert piece("fastmode.max_diff", lang) in body
    assert translate("fastmode.top1_same", lang) in body or translate("fastmode.top1_differs", lang) in body
    assert translate(f"fastmode.explain_{mode}", lang) in body and translate("fastmode.clip_time", lang) in body
    # fp32's table is the page's, unchanged; the fast one beside it has every label in both modes.
    assert _labels_table(at).equals(fp32_table)
    label = translate("zero_shot.col_label", lang)
    fast_table = at.dataframe[1].value
    assert list(fast_table.columns) == [label, "fp32", mode]
    assert set(fast_table[label]) == set(fp32_table[label])
    fp32_of = dict(zip(fp32_table[label], fp32_table[translate("zero_shot.col_score", lang)], strict=True))
    assert all(
        fp32_of[lab] == pytest.approx(p, abs=1e-6) for lab, p in zip(fast_table[label], fast_table["fp32"], strict=True)
    )
    assert sum(fast_table[mode]) == pytest.approx(1.0, abs=1e-6)
    [(_, entry)] = at.session_state["deliverable_zero_shot"].values()  # the deliverable keeps fp32's run
    assert [r["label"] for r in entry.rows] == list(fp32_table[label])


def test_zero_shot_fast_toggle_is_disabled_where_the_cpu_runs_no_fast_mode(monkeypatch) -> None:
    from engine.accel import fastmode

    none = fastmode.Support.from_flags(set(), bf16_kernels=False, int8_engines=())
    monkeypatch.setattr(fastmode, "support", lambda: none)
    at = open_page(ZS)
    assert at.toggle(key="zero_shot_fast").disabled
    assert es("fastmode.unsupported") in [c.value for c in at.caption]
    assert piece("fastmode.time") not in texts(at)


# --- /clip_workshop ---


def test_workshop_default_five_by_five() -> None:
    at = open_page(CW)
    assert_no_exception(at)
    frame = at.dataframe[0].value
    assert frame.shape == (5, 5)
    assert list(frame.columns) == ["a cat", "a dog", "a car", "a tree", "a person"]
    assert np.allclose(frame.sum(axis=1), 1.0)
    predictions = at.dataframe[1].value
    assert list(predictions[es("clip_workshop.col_image")]) == list(frame.index)
    assert list(predictions[es("clip_workshop.col_prediction")]) == list(frame.idxmax(axis=1))
    assert len(at.get("plotly_chart")) == 1
    assert len(at.get("image")) == 5  # each image with its prediction
    assert any(el.proto.label == es("common.download_csv") for el in at.get("download_button"))
    assert "descripciones = ['a cat', 'a dog', 'a car', 'a tree', 'a person']" in at.code[-1].value


def test_workshop_reuses_embeddings_when_only_one_side_changes() -> None:
    at = open_page(CW)
    at.text_area(key="cw_texts").set_value("a cat, a dog, a rocket, a cup of coffee, a horse").run()
    assert _stats(1, img_hits=5) in texts(at)  # "imágenes: 0 calculadas en 0 pasadas, 5 reutilizadas"
    assert at.dataframe[0].value.shape == (5, 5)
    at.multiselect(key="cw_samples").set_value(["cat", "coffee", "horse"]).run()
    body = texts(at)
    assert _stats(2, txt_hits=5) in body
    assert at.dataframe[0].value.shape == (3, 5)


def test_workshop_uploads_many_files_and_reports_a_bad_one() -> None:
    at = open_page(CW)
    at.multiselect(key="cw_samples").set_value(["cat"])
    at.file_uploader(key="cw_uploads").set_value(
        [
            ("coffee.png", _png(load_sample("coffee")), "image/png"),
            ("=evil.png", b"not an image", "image/png"),
            ("**rocket**.png", _png(load_sample("rocket")), "image/png"),
        ]
    ).run()
    assert_no_exception(at)
    frame = at.dataframe[0].value
    assert list(frame.index) == ["gato (Chelsea)", "coffee.png", "**rocket**.png"]
    assert any(es("errors.not_an_image") in e.value for e in at.error)
    assert any("=evil.png" in t.value for t in at.text)
    assert "**rocket**" not in _markdown_text(at)
    # Another rerun (a new sample picked): the bad file is still in the uploader, so its error stays.
    at.multiselect(key="cw_samples").set_value(["cat", "astronaut"]).run()
    assert_no_exception(at)
    assert any(es("errors.not_an_image") in e.value for e in at.error)
    assert any("=evil.png" in t.value for t in at.text)
    assert "=evil.png" not in list(at.dataframe[0].value.index)


def test_workshop_needs_images_and_good_descriptions() -> None:
    at = open_page(CW)
    at.multiselect(key="cw_samples").set_value([]).run()
    assert any(es("clip_workshop.need_images") in i.value for i in at.info)
    assert len(at.dataframe) == 0
    at.multiselect(key="cw_samples").set_value(["cat", "horse"])
    at.text_area(key="cw_texts").set_value("only one").run()
    assert any(es("errors.clip_too_few_labels", min=MIN_LABELS, got=1) in e.value for e in at.error)
    assert len(at.dataframe) == 0


def test_workshop_in_english() -> None:
    at = open_page(CW, lang="en")
    assert at.title[0].value == "CLIP workshop: many images × many descriptions"
    assert at.dataframe[0].value.shape == (5, 5)
