"""The /detection page (AppTest): sample, upload, compare mode, ground truth (txt, JSON, zip),
mismatched labels, the session cache, offline and English."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

import engine.tasks.detection
from engine.inputs.samples import load_sample
from engine.tasks.detection import COCO_NAMES, DetectionSettings, code_snippet
from tests.apptest import assert_no_exception, code_shown, downloaded, open_page, record_media, texts, upload
from tests.catalog import en, es, piece
from ui.strings.labels import label

PAGE = "pages/detection.py"
UMBRELLA = "000000000036.jpg"  # coco8 val: a person under an umbrella (YOLOv8n: 0.91 and 0.77)
HORSES = "000000000049.jpg"  # coco8 val: people, horses, a potted plant


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


CLASS, SCORE, TIME, MAP = (
    es("detection.col_label"),
    es("detection.col_score"),
    es("detection.col_time"),
    es("detection.col_map"),
)
MODEL, IMAGE, FP, FN, TRUE = (es(f"detection.col_{c}") for c in ("model", "image", "fp", "fn", "true"))


def shown_id(model_id: str) -> str:
    """A model's cell in the comparison table: a stand-in says so (issue 18, item 1)."""
    from engine.models import registry
    from engine.models.resolve import present

    return f"{model_id} · {es('common.tag_stand_in')}" if present(registry.get(model_id)).stand_in else model_id


MODEL_NAME = {label(name, "es"): name for name in COCO_NAMES}  # "persona (person)" -> "person"


def _shown(at) -> list[str]:
    """Class column of every detections table on the page, as the student reads it."""
    out: list[str] = []
    for frame in at.table:  # ui.tables.fit_table: a table that fits a narrow compare column
        df = frame.value
        if CLASS in df.columns and SCORE in df.columns:
            out += list(df[CLASS])
    return out


def _labels(at) -> list[str]:
    """The same classes by the model's names."""
    return [MODEL_NAME.get(shown, shown) for shown in _shown(at)]


def _comparison(at):
    tables = [tb.value for tb in at.table if TIME in tb.value.columns]
    assert len(tables) == 1, [list(tb.value.columns) for tb in at.table]
    return tables[0]


def _metrics(at):
    tables = [tb.value for tb in at.table if MAP in tb.value.columns]
    assert len(tables) == 1
    return tables[0]


@pytest.fixture
def on_upload():
    """The page with the image source set to upload."""
    at = open_page(PAGE)
    at.radio(key="det_source").set_value("upload").run()
    assert_no_exception(at)
    return at


def test_default_sample_runs_real_yolov8n(shared_models) -> None:
    at = open_page(PAGE)
    assert at.title[0].value == es("detection.title")
    labels = _labels(at)
    assert "cup" in labels  # the coffee sample
    assert label("cup", "es") in _shown(at) and label("cup", "es") == "taza (cup)"  # Spanish beside the name
    table = _comparison(at)
    assert list(table[MODEL]) == ["ultralytics/yolov8n"]
    assert int(table[es("detection.col_objects")].iloc[0]) == len(labels)
    assert list(table[FP]) == ["—"]  # no ground truth yet
    assert len(at.get("plotly_chart")) == 1
    body = texts(at)
    assert es("detection.table_caption", runs=1) in body and es("common.where_local") in body
    assert "YOLO(" in at.code[0].value and "conf=0.5" in at.code[0].value


def _photo(coco8: Path, name: str) -> bytes:
    return (coco8 / "images" / "val" / name).read_bytes()


def test_upload_a_photo_finds_its_objects(on_upload, coco8: Path) -> None:
    at = upload(on_upload, "det_upload", _photo(coco8, UMBRELLA), UMBRELLA, "image/jpeg")
    assert_no_exception(at)
    assert sorted(_labels(at)) == ["person", "umbrella"]
    assert _comparison(at)[IMAGE].iloc[0] == UMBRELLA


def test_settings_change_the_result_and_the_code(on_upload, coco8: Path) -> None:
    at = upload(on_upload, "det_upload", _photo(coco8, HORSES), HORSES, "image/jpeg")
    at.slider(key="det_conf").set_value(0.25).run()
    assert {"person", "horse", "potted plant"} <= set(_labels(at))
    at.multiselect(key="det_classes").set_value(["horse"]).run()
    assert _labels(at) == ["horse", "horse"]
    assert "classes=[17]" in at.code[0].value
    at.slider(key="det_max").set_value(1).run()
    assert _labels(at) == ["horse"]
    at.slider(key="det_conf").set_value(0.99).run()
    assert _labels(at) == []
    assert any("0.99" in i.value for i in at.info)


def test_compare_mode_fills_the_comparison_table(coco8: Path) -> None:
    at = open_page(PAGE)
    at.toggle(key="det_compare").set_value(True).run()
    at.multiselect(key="det_models").set_value(["ultralytics/yolov8n", "facebook/detr-resnet-50"]).run()
    at.radio(key="det_source").set_value("upload").run()
    upload(at, "det_upload", _photo(coco8, UMBRELLA), UMBRELLA, "image/jpeg")
    assert_no_exception(at)
    table = _comparison(at)
    assert list(table[MODEL]) == ["ultralytics/yolov8n", shown_id("facebook/detr-resnet-50")]
    assert all(n >= 0 for n in table[TIME])
    assert all(piece("detection.notes") in note for note in table[es("detection.col_notes")])
    # the tiny DETR's classifier favours "cat"; real YOLOv8n sees the person
    labels = _labels(at)
    assert "person" in labels and "cat" in labels
    assert len(at.get("plotly_chart")) == 2
    assert len(at.get("download_button")) == 2 * 3 + 1 + 1  # PNG/CSV/JSON per model + the table + the deliverable


def test_compare_mode_shows_the_code_of_every_model(shared_models) -> None:
    at = open_page(PAGE)
    at.toggle(key="det_compare").set_value(True).run()
    models = ["ultralytics/yolov8n", "facebook/detr-resnet-50"]  # the course's comparison
    at.multiselect(key="det_models").set_value(models).run()
    assert_no_exception(at)
    captions, blocks = code_shown(at)
    settings = DetectionSettings().kwargs()
    assert blocks == [code_snippet(m, **settings, file_name="coffee.jpg", lang="es").strip() for m in models]
    assert 'YOLO("yolov8n.pt")' in blocks[0] and 'model="facebook/detr-resnet-50"' in blocks[1]
    assert captions == [es("common.code_caption"), *(es("common.code_model", model=m) for m in models)]


def test_compare_mode_asks_for_two_models() -> None:
    at = open_page(PAGE)
    at.toggle(key="det_compare").set_value(True).run()
    at.multiselect(key="det_models").set_value(["ultralytics/yolov8n"]).run()
    assert_no_exception(at)
    assert any(es("common.compare_need_two") in w.value for w in at.warning)
    assert at.multiselect(key="det_models").label == es("common.compare_pick", most=3)  # many detectors: up to 3


def test_yolo_txt_ground_truth_gives_fp_fn_and_metrics(on_upload, coco8: Path) -> None:
    at = upload(on_upload, "det_upload", _photo(coco8, UMBRELLA), UMBRELLA, "image/jpeg")
    label = (coco8 / "labels" / "val" / UMBRELLA.replace(".jpg", ".txt")).read_bytes()
    upload(at, "det_truth", label, UMBRELLA.replace(".jpg", ".txt"), "text/plain")
    assert_no_exception(at)
    assert not at.error
    table = _comparison(at)
    assert (table[FP].iloc[0], table[FN].iloc[0]) == ("0", "0")
    metrics = _metrics(at)
    assert int(metrics[TRUE].iloc[0]) == 2
    assert float(metrics[es("detection.col_map50")].iloc[0]) > 0.9
    precision, recall = es("detection.col_precision"), es("detection.col_recall")
    assert (float(metrics[precision].iloc[0]), float(metrics[recall].iloc[0])) == (1.0, 1.0)
    assert es("detection.truth_loaded", n=2) in texts(at)


@pytest.mark.parametrize(("labels_name", "warned"), [("other-photo.txt", True), ("MOTO.txt", False)])
def test_a_yolo_labels_file_named_after_another_image_is_flagged(on_upload, labels_name: str, warned: bool) -> None:
    at = upload(on_upload, "det_upload", _png(load_sample("motorcycle")), "moto.png")
    upload(at, "det_truth", b"3 0.5 0.5 0.4 0.4\n", labels_name, "text/plain")
    assert_no_exception(at)
    warning = es("detection.truth_other_image", labels=labels_name, image="moto.png", expected="moto.txt")
    assert (warning in [w.value for w in at.warning]) is warned
    assert es("detection.truth_loaded", n=1) in texts(at)  # the labels are still used, only flagged


def test_coco_json_ground_truth_for_the_image(on_upload, coco8: Path) -> None:
    at = upload(on_upload, "det_upload", _photo(coco8, UMBRELLA), UMBRELLA, "image/jpeg")
    w, h = Image.open(coco8 / "images" / "val" / UMBRELLA).size
    # coco8's YOLO labels of the image, rewritten as COCO's pixel [x, y, width, height]
    annotations = []
    for n, line in enumerate((coco8 / "labels" / "val" / UMBRELLA.replace(".jpg", ".txt")).read_text().splitlines()):
        cls, cx, cy, bw, bh = (float(v) for v in line.split())
        box = [(cx - bw / 2) * w, (cy - bh / 2) * h, bw * w, bh * h]
        annotations.append({"id": n, "image_id": 36, "category_id": int(cls) + 1, "bbox": box})
    doc = {
        "images": [{"id": 36, "file_name": UMBRELLA, "width": w, "height": h}],
        "annotations": annotations,
        "categories": [{"id": i + 1, "name": name} for i, name in enumerate(COCO_NAMES)],
    }
    upload(at, "det_truth", json.dumps(doc).encode(), "instances.json", "application/json")
    assert_no_exception(at)
    assert not at.error
    table = _comparison(at)
    assert (table[FP].iloc[0], table[FN].iloc[0]) == ("0", "0")
    assert float(_metrics(at)[es("detection.col_map50")].iloc[0]) > 0.9


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "other.json",
            json.dumps(
                {
                    "images": [{"id": 1, "file_name": "x.jpg", "width": 640, "height": 480}],
                    "annotations": [],
                    "categories": [],
                }
            ).encode(),
            # the default sample (coffee) is not the 640×480 image these labels describe
            es(
                "errors.gt_size_mismatch",
                label_width=640,
                label_height=480,
                width=load_sample("coffee").width,
                height=load_sample("coffee").height,
            ),
        ),
        ("pixels.txt", b"0 120 80 40 60\n", es("errors.gt_not_normalised", source="pixels.txt", line=1, got="120")),
        ("four.txt", b"0 0.5 0.5 0.2\n", es("errors.gt_bad_yolo_line", source="four.txt", line=1, got="0 0.5 0.5 0.2")),
        (
            "class.txt",
            b"95 0.5 0.5 0.2 0.2\n",
            es("errors.gt_bad_class", source="class.txt", line=1, last=79, n=80, got="95"),
        ),
        ("broken.json", b"{not json", es("errors.gt_bad_json", source="broken.json")),
        ("notes.zip", b"PK not really a zip", es("errors.gt_bad_zip")),
    ],
)
def test_mismatched_ground_truth_gives_a_clear_message(name: str, data: bytes, message: str) -> None:
    at = open_page(PAGE)
    upload(at, "det_truth", data, name, "application/octet-stream")
    assert_no_exception(at)
    errors = " ".join(e.value for e in at.error)
    assert message in errors, errors
    assert not [tb for tb in at.table if MAP in tb.value.columns]  # no metrics from bad labels


def test_zip_of_images_and_labels_is_evaluated(coco8: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for stem in (UMBRELLA[:-4], HORSES[:-4]):
            zf.write(coco8 / "images" / "val" / f"{stem}.jpg", f"images/{stem}.jpg")
            zf.write(coco8 / "labels" / "val" / f"{stem}.txt", f"labels/{stem}.txt")
    at = open_page(PAGE)
    upload(at, "det_truth", buf.getvalue(), "mini.zip", "application/zip")
    assert_no_exception(at)
    assert not at.error
    assert at.selectbox(key="det_zip_image").options == [UMBRELLA, HORSES]
    assert sorted(_labels(at)) == ["person", "umbrella"]  # the zip's first image is the one analysed
    metrics = _metrics(at)
    assert int(metrics[es("detection.col_images")].iloc[0]) == 2
    assert int(metrics[TRUE].iloc[0]) == 11
    assert es("detection.truth_zip_loaded", n=2, objects=11) in texts(at)
    at.selectbox(key="det_zip_image").set_value(HORSES).run()
    assert "horse" in _labels(at)
    assert list(_comparison(at)[IMAGE]) == [UMBRELLA, HORSES, es("detection.total_row", n=2)]  # every zip image


def test_reruns_reuse_the_cached_result(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = engine.tasks.detection.detect_timed

    def counting(detector, image, **kw):
        calls.append(detector.model_id)
        return real(detector, image, **kw)

    monkeypatch.setattr(engine.tasks.detection, "detect_timed", counting)
    at = open_page(PAGE)
    assert calls == ["ultralytics/yolov8n"]
    at.run()
    at.toggle(key="det_compare").set_value(False).run()  # unrelated rerun
    assert calls == ["ultralytics/yolov8n"]
    at.slider(key="det_conf").set_value(0.3).run()  # new settings: computed once more
    assert calls == ["ultralytics/yolov8n"] * 2


def test_upload_of_a_sample_photo_and_a_broken_file(on_upload) -> None:
    at = upload(on_upload, "det_upload", _png(load_sample("motorcycle")), "moto.png")
    assert "motorcycle" in _labels(at)
    upload(at, "det_upload", b"not an image", "fake.png")
    assert_no_exception(at)
    assert any(es("errors.not_an_image") in e.value for e in at.error)
    assert _labels(at) == []


def test_missing_model_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("VISION_CACHE_DIR", str(tmp_path / "cache"))
    at = open_page(PAGE)
    # (YOLOv8n may already sit in this process's model cache; YOLOS is not loaded by these tests)
    at.selectbox(key="det_model").set_value("hustvl/yolos-small").run()
    assert_no_exception(at)
    assert any("hustvl/yolos-small" in e.value and "make models" in e.value for e in at.error)
    assert any(piece("common.hub_unreachable") in i.value for i in at.info)
    assert not [tb for tb in at.table if TIME in tb.value.columns]


def test_page_in_english() -> None:
    at = open_page(PAGE, lang="en")
    assert at.title[0].value == en("detection.title") == "Object detection"
    assert any(en("detection.table_title") in m.value for m in at.markdown)


# --- a zip in the comparison table, CSV downloads, the validator option (issue 18, items 8 and 9) ---


@pytest.fixture
def media(monkeypatch) -> dict[str, tuple[bytes | str, str, str | None]]:
    """Every file the page hands to Streamlit (downloads, images), by file id."""
    return record_media(monkeypatch)


def _download(at, media, key: str) -> tuple[str, str | None]:
    """The text a click on the download button ``key`` gives, and its file name."""
    data, mime, name = downloaded(at, media, key)
    assert mime.startswith("text/csv")
    return (data.decode() if isinstance(data, bytes) else data), name


def _zip(coco8: Path, stems: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for stem in stems:
            zf.write(coco8 / "images" / "val" / f"{stem}.jpg", f"images/{stem}.jpg")
            zf.write(coco8 / "labels" / "val" / f"{stem}.txt", f"labels/{stem}.txt")
    return buf.getvalue()


def test_zip_fills_the_comparison_table_per_image_and_model_with_totals(coco8: Path, media) -> None:
    from engine.evaluation.comparison import EvaluationTable
    from engine.evaluation.groundtruth import Dataset
    from engine.evaluation.metrics import detect_dataset, evaluate_dataset, match_totals
    from engine.tasks.detection import detect, load_detector

    models = ["ultralytics/yolov8n", "facebook/detr-resnet-50"]
    data = _zip(coco8, [UMBRELLA[:-4], HORSES[:-4]])
    at = open_page(PAGE)
    at.toggle(key="det_compare").set_value(True).run()
    at.multiselect(key="det_models").set_value(models).run()
    upload(at, "det_truth", data, "mini.zip", "application/zip")
    assert_no_exception(at)
    assert not at.error
    table = _comparison(at)
    total = es("detection.total_row", n=2)
    shown = [shown_id(m) for m in models]
    assert list(zip(table[IMAGE], table[MODEL], strict=True)) == [
        (UMBRELLA, shown[0]),
        (UMBRELLA, shown[1]),
        (HORSES, shown[0]),
        (HORSES, shown[1]),
        (total, shown[0]),
        (total, shown[1]),
    ]
    # The exact values, from the engine: the page's default settings on each image of the zip.
    ds = Dataset.from_zip(data)
    settings = DetectionSettings(0.5, 0.7, None, 100)
    objects, fps, fns = es("detection.col_objects"), [], []
    for model_id in models:
        detector = load_detector(model_id)
        found = [detect(detector, item.load(), **settings.kwargs()) for item in ds.items]
        counts = [match_totals(f, item.truth) for f, item in zip(found, ds.items, strict=True)]
        mine = table[table[MODEL] == shown_id(model_id)]
        assert [int(n) for n in mine[objects]] == [len(f) for f in found] + [sum(len(f) for f in found)]
        assert list(mine[FP]) == [str(c[1]) for c in counts] + [str(sum(c[1] for c in counts))]
        assert list(mine[FN]) == [str(c[2]) for c in counts] + [str(sum(c[2] for c in counts))]
        times = [int(v) for v in mine[TIME]]
        assert abs(times[2] - (times[0] + times[1]) / 2) <= 1  # the median of two (each shown rounded)
        fps.append(sum(c[1] for c in counts))
        fns.append(sum(c[2] for c in counts))
    notes = list(table[es("detection.col_notes")])
    assert notes[:4] == [""] * 4 and all(piece("detection.notes") in n for n in notes[4:])
    assert es("detection.table_totals") in texts(at)
    # The table's CSV is the table as shown.
    csv, name = _download(at, media, "det_table_csv")
    lines = csv.splitlines()
    assert name == "tabla_comparativa.csv" and len(lines) == 7 and lines[0].startswith(f"{IMAGE},{MODEL},")
    assert lines[5].startswith(f"{total},{shown[0]},") and f",{fps[0]},{fns[0]}," in lines[5]
    # The evaluation's CSV: every model's "all" row and classes, the engine's own figures.
    csv, name = _download(at, media, "det_eval_csv")
    expected = {}
    for model_id in models:
        detector = load_detector(model_id)
        boxes = detect_dataset(detector, ds, iou=0.7)
        expected[model_id] = evaluate_dataset(boxes, ds, threshold=0.5, max_detections=100)
    assert name == "evaluacion.csv" and csv == EvaluationTable.from_evaluations(expected).to_csv()
    assert f"{models[1]},all,2,11," in csv


def test_validator_option_gives_ultralytics_map_and_the_page_says_why(coco8: Path) -> None:
    stems = sorted(p.stem for p in (coco8 / "images" / "val").glob("*.jpg"))
    at = open_page(PAGE)
    upload(at, "det_truth", _zip(coco8, stems), "coco8-val.zip", "application/zip")
    assert_no_exception(at)
    map50 = es("detection.col_map50")
    plain = float(_metrics(at)[map50].iloc[0])
    body = texts(at)
    assert es("detection.eval_caption", threshold=0.5) in body and es("detection.eval_why") in body
    assert "F1" in es("detection.eval_caption", threshold=0.5)  # Ultralytics' P/R rule, stated
    at.checkbox(key="det_eval_validator").check().run()
    assert_no_exception(at)
    validator = float(_metrics(at)[map50].iloc[0])
    assert validator == pytest.approx(0.896, abs=0.01)  # YOLO("yolov8n.pt").val() on coco8
    assert abs(plain - validator) > 0.05
    assert es("detection.eval_caption_validator", threshold=0.5, batch=16) in texts(at)
    at.checkbox(key="det_eval_validator").uncheck().run()
    assert float(_metrics(at)[map50].iloc[0]) == plain  # the default path is untouched
