"""The "accuracy on your labelled photos" section of /classification and /zero_shot (AppTest): the
sample set and an uploaded zip, the tables, heatmap and CSV against the engine, the mapping edited
without rerunning the model, a bad zip's catalog message, the joint table across both pages, ES and EN."""

from __future__ import annotations

import json

import pytest

from engine.evaluation.labelled import (
    LabelledSet,
    evaluate_classifier,
    evaluate_zero_shot,
    sample_zip,
    suggest_mapping,
)
from engine.evaluation.labelled import accuracy as labelled_accuracy
from engine.tasks.classification import load_classifier
from engine.tasks.clip import DEFAULT_TEMPLATE, load_clip
from tests.apptest import assert_no_exception, downloaded, open_page, record_media, texts
from tests.catalog import en, es
from tests.files import jpeg, zip_bytes
from ui.layout import md_escape

CLS = "pages/classification.py"
ZS = "pages/zero_shot.py"
OPENAI = "openai/clip-vit-base-patch32"
LAION = "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch):
    return record_media(monkeypatch)


def _jpeg(color: tuple[int, int, int]) -> bytes:
    return jpeg((40, 30), color)


_zip = zip_bytes


def _frame(at, which: str, lang: str = "es"):
    """A table of the section (dataframes carry no key in AppTest): ``summary``, ``joint`` (those
    with a kind column, in page order) or ``class<i>`` (model i's per-class table)."""
    word = es if lang == "es" else en
    frames = [d.value for d in at.dataframe]
    kinds = [f for f in frames if word("labelled.col_kind") in f.columns]
    per_class = [f for f in frames if word("labelled.col_class") in f.columns]
    if which == "summary":
        return kinds[0]
    if which == "joint":
        assert len(kinds) == 2, "no joint table"
        return kinds[1]
    return per_class[int(which.removeprefix("class"))]


def _confusion_charts(at) -> list[dict]:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return [s for s in specs if s["data"][0].get("type") == "heatmap"]


def _csv(at, media, key: str) -> str:
    data, mime, _ = downloaded(at, media, key)
    assert mime.startswith("text/csv")
    return data.decode() if isinstance(data, bytes) else data


def test_classification_sample_set_tables_heatmap_and_csv(media, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = labelled_accuracy.classify

    def counting(classifier, image, top_k):
        calls.append(classifier.model_id)
        return original(classifier, image, top_k)

    monkeypatch.setattr(labelled_accuracy, "classify", counting)
    at = open_page(CLS)
    assert not _confusion_charts(at)  # nothing measured before a set is given
    at.toggle(key="cls_lab_sample").set_value(True).run()
    assert_no_exception(at)
    assert calls == ["efficientnet-lite0"] * 15  # each photo once
    body = texts(at)
    assert es("labelled.loaded", name=es("labelled.sample_name"), n=15, k=5) in body
    # The engine's numbers on the same photos (measured in tests/test_labelled.py: 0.5333 and 0.8).
    labelled = LabelledSet.from_zip(sample_zip("es"))
    lite0 = load_classifier("efficientnet-lite0")
    expected = evaluate_classifier(lite0, labelled, suggest_mapping(labelled.classes, lite0.labels))
    summary = _frame(at, "summary")
    assert list(summary[es("labelled.col_model")]) == ["efficientnet-lite0"]
    assert list(summary[es("labelled.col_top1")]) == ["53.3%"] and list(summary[es("labelled.col_top5")]) == ["80.0%"]
    assert list(summary[es("labelled.col_kind")]) == [es("labelled.kind_supervised")]
    per_class = _frame(at, "class0")
    assert list(per_class[es("labelled.col_class")]) == list(labelled.classes)
    assert list(per_class[es("labelled.col_correct")]) == [r["correct"] for r in expected.rows()] == [0, 3, 3, 2, 0]
    [chart] = _confusion_charts(at)
    heat = chart["data"][0]
    assert heat["x"] == [*labelled.classes, es("labelled.other")] and heat["y"] == list(labelled.classes)
    assert heat["text"] == [[str(v) for v in row] for row in expected.confusion()]
    assert _csv(at, media, "cls_lab_download_0_csv") == expected.to_csv()
    calls.clear()
    # The student says espresso is a cup: the coffee photos become hits, and no model reruns.
    [taza] = [m for m in at.multiselect if m.label == "taza"]
    taza.set_value([*taza.value, "espresso"]).run()
    assert_no_exception(at)
    assert list(_frame(at, "summary")[es("labelled.col_top1")]) == ["73.3%"]
    assert _confusion_charts(at)[0]["data"][0]["text"][4] == ["0", "0", "0", "0", "3", "0"]
    assert calls == []
    # Until CLIP is measured too, the joint table says how to fill it.
    assert es("labelled.joint_empty") in texts(at)


def test_a_bad_zip_gives_its_message_and_the_page_keeps_working() -> None:
    at = open_page(CLS)
    one_class = _zip({"gato/1.jpg": _jpeg((200, 0, 0)), "gato/2.jpg": _jpeg((0, 200, 0))})
    at.file_uploader(key="cls_lab_zip").set_value(("gatos.zip", one_class, "application/zip")).run()
    assert_no_exception(at)
    assert [e.value for e in at.error] == [es("errors.labelled_one_class", name="gato", min=2)]
    assert not _confusion_charts(at)
    nested = _zip({"a/1.jpg": _jpeg((1, 2, 3)), "b/1.jpg": _jpeg((3, 2, 1)), "b/más.zip": one_class})
    at.file_uploader(key="cls_lab_zip").set_value(("fotos.zip", nested, "application/zip")).run()
    assert [e.value for e in at.error] == [es("errors.labelled_nested_archive", name="más.zip")]
    # A good zip then works on the same page.
    good = _zip({"rojo/1.jpg": _jpeg((220, 10, 10)), "verde/1.jpg": _jpeg((10, 220, 10))})
    at.file_uploader(key="cls_lab_zip").set_value(("colores.zip", good, "application/zip")).run()
    assert_no_exception(at)
    assert not at.error and len(_confusion_charts(at)) == 1
    assert es("labelled.loaded", name=md_escape("colores.zip"), n=2, k=2) in texts(at)  # a file name: escaped
    # No ImageNet class means "rojo": both folders suggest nothing and every photo is "other".
    assert list(_frame(at, "summary")[es("labelled.col_top1")]) == ["0.0%"]


def test_zero_shot_openai_vs_laion_and_the_joint_table_across_pages(media) -> None:
    at = open_page(CLS)
    at.toggle(key="cls_lab_sample").set_value(True).run()
    at.switch_page(ZS)
    at.run()
    at.toggle(key="zs_lab_sample").set_value(True).run()
    assert_no_exception(at)
    labelled = LabelledSet.from_zip(sample_zip("es"))
    assert [f"a photo of a {c}" for c in labelled.classes] in [c.value.splitlines() for c in at.code]
    summary = _frame(at, "summary")
    assert [m.split(" · ")[0] for m in summary[es("labelled.col_model")]] == [OPENAI, LAION]
    assert set(summary[es("labelled.col_kind")]) == {es("labelled.kind_zero-shot")}
    charts = _confusion_charts(at)
    assert len(charts) == 2 and charts[0]["data"][0]["x"] == list(labelled.classes)  # no "other" for CLIP
    for i, model_id in enumerate((OPENAI, LAION)):
        expected = evaluate_zero_shot(load_clip(model_id), labelled, DEFAULT_TEMPLATE)
        assert charts[i]["data"][0]["text"] == [[str(v) for v in row] for row in expected.confusion()]
        assert summary[es("labelled.col_top1")][i] == f"{expected.top1:.1%}"
        assert summary[es("labelled.col_top5")][i] == "100.0%"  # five classes: each is in the top five
        assert _csv(at, media, f"zs_lab_download_{i}_csv") == expected.to_csv()
    # The joint table: the classification page's EfficientNet and the two CLIPs, on the same photos.
    joint = _frame(at, "joint")
    assert [m.split(" · ")[0] for m in joint[es("labelled.col_model")]] == ["efficientnet-lite0", OPENAI, LAION]
    assert list(joint[es("labelled.col_kind")]) == [
        es("labelled.kind_supervised"),
        es("labelled.kind_zero-shot"),
        es("labelled.kind_zero-shot"),
    ]
    assert joint[es("labelled.col_top1")][0] == "53.3%"
    assert es("labelled.joint_empty") not in texts(at)
    joint_csv = _csv(at, media, "zs_lab_joint_download_csv").splitlines()
    assert joint_csv[0] == "model,kind,images,top1,top5,s_per_image" and len(joint_csv) == 4
    assert joint_csv[1].startswith("efficientnet-lite0,supervised,15,0.5333,0.8,")
    # Back on the classification page (Streamlit forgets an unseen page's widgets: the set is given
    # again), the same joint table lists all three, from the session.
    at.switch_page(CLS)
    at.run()
    at.toggle(key="cls_lab_sample").set_value(True).run()
    assert_no_exception(at)
    assert len(_frame(at, "joint")) == 3


def test_both_sections_in_english() -> None:
    # (AppTest formats the page's radio with the Spanish catalog between runs: English pages are
    # checked on their first run, with the section's toggle set before it.)
    labelled = LabelledSet.from_zip(sample_zip("en"))
    at = open_page(CLS, lang="en", cls_lab_sample=True)
    assert any(s.value == en("labelled.section") for s in at.subheader)
    summary = _frame(at, "summary", "en")
    assert list(summary[en("labelled.col_top1")]) == ["53.3%"]  # the same photos, English folder names
    assert list(_frame(at, "class0", "en")[en("labelled.col_class")]) == list(labelled.classes)
    assert _confusion_charts(at)[0]["data"][0]["x"][-1] == en("labelled.other")
    at = open_page(ZS, lang="en", zs_lab_sample=True)
    assert len(_confusion_charts(at)) == 2
    assert [c.value for c in at.code if c.value.startswith("a photo of a astronaut")]
    assert list(_frame(at, "summary", "en")[en("labelled.col_kind")]) == [en("labelled.kind_zero-shot")] * 2
