"""Ground truth (YOLO txt, COCO JSON, zip, folders), the COCO-metric evaluator on exact cases, the
command line, and agreement with Ultralytics' own validator on coco8."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.errors import InvalidInput
from engine.evaluation.groundtruth import Dataset, GroundTruth, parse_upload, truth_for_image, upright_size
from engine.evaluation.metrics import cli, evaluate, evaluate_detector, match, match_totals
from engine.tasks.detection import COCO_NAMES, Detections, load_detector
from tests.files import jpeg, zip_bytes
from ui.i18n import translate

# --- YOLO txt ---


def test_yolo_txt_to_pixels() -> None:
    text = "# a comment\n0 0.5 0.5 0.5 0.5\n\n16 0.25 0.75 0.1 0.2\n2 0.1 0.1 0.3 0.1 0.2 0.4\n"
    gt = GroundTruth.from_yolo_txt(text, (200, 100), image_name="a.jpg")
    assert gt.class_name == ("person", "dog", "car")
    np.testing.assert_allclose(gt.xyxy, [[50, 25, 150, 75], [40, 65, 60, 85], [20, 10, 60, 40]])  # last: a polygon
    assert gt.counts() == {"person": 1, "dog": 1, "car": 1}
    assert len(GroundTruth.from_yolo_txt("", (10, 10))) == 0  # an image with no objects
    assert GroundTruth.from_yolo_txt("1 0.5 0.5 0.2 0.2", (10, 10), names=["a", "b"]).class_name == ("b",)


@pytest.mark.parametrize(
    ("text", "code", "says"),
    [
        ("0 0.5 0.5 0.2", "gt_bad_yolo_line", "expected 5 values"),
        ("zero 0.5 0.5 0.2 0.2", "gt_bad_yolo_line", "expected numbers"),
        ("0 0.5 0.5 0.2 nan", "gt_bad_yolo_line", "finite"),
        ("80 0.5 0.5 0.2 0.2", "gt_bad_class", "from 0 to 79 (80 classes); got 80"),
        ("1.5 0.5 0.5 0.2 0.2", "gt_bad_class", "got 1.5"),
        ("0 320 240 50 60", "gt_not_normalised", "normalised to the image (0 to 1); got 320"),
        ("0 0.5 0.5 0 0.2", "gt_empty_box", "positive width and height"),
        ("0 0.95 0.5 0.5 0.5", "gt_box_outside", "reaches past the image"),
    ],
)
def test_yolo_txt_errors(text: str, code: str, says: str) -> None:
    with pytest.raises(InvalidInput) as err:
        GroundTruth.from_yolo_txt(text, (640, 480), source="x.txt")
    assert err.value.code == code
    assert says in str(err.value) and "x.txt, line 1" in str(err.value)


def test_yolo_txt_binary_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        GroundTruth.from_yolo_txt(b"\xff\xd8\xff\xe0 a jpeg", (10, 10))
    assert err.value.code == "gt_not_text"


# --- COCO JSON ---


def _coco(width: int = 100, height: int = 80, bbox=(10, 10, 20, 30), **extra) -> dict:
    return {
        "images": [{"id": 7, "file_name": "a.jpg", "width": width, "height": height}],
        "annotations": [{"id": 1, "image_id": 7, "category_id": 3, "bbox": list(bbox), **extra}],
        "categories": [{"id": 3, "name": "car"}],
    }


def test_coco_json_to_pixels() -> None:
    truths = GroundTruth.from_coco_json_all(json.dumps(_coco(iscrowd=1)))
    gt = truths["a.jpg"]
    assert gt.xyxy.tolist() == [[10, 10, 30, 40]] and gt.class_name == ("car",) and gt.iscrowd.tolist() == [True]
    assert gt.counts() == {}  # a crowd region is not an object to find
    assert truth_for_image(truths, "a.jpg", (100, 80)).image_name == "a.jpg"
    assert truth_for_image(truths, "renamed.png", (100, 80)).size == (100, 80)  # the only image


@pytest.mark.parametrize(
    ("doc", "code", "says"),
    [
        (b"{not json", "gt_bad_json", "expected a JSON file"),
        (json.dumps({"images": []}).encode(), "gt_bad_coco", "expected COCO JSON"),
        (json.dumps({**_coco(), "images": [{"id": 7}]}).encode(), "gt_bad_coco", "file_name"),
        (json.dumps({**_coco(), "annotations": [{"image_id": 9, "category_id": 3, "bbox": [0, 0, 1, 1]}]}).encode(), "gt_bad_coco", "image_id 9"),
        (json.dumps({**_coco(), "annotations": [{"image_id": 7, "category_id": 5, "bbox": [0, 0, 1, 1]}]}).encode(), "gt_bad_coco", "category_id 5"),
        (json.dumps({**_coco(), "annotations": [{"image_id": 7, "bbox": [0, 0, 1, 1]}]}).encode(), "gt_bad_coco", "expected image_id"),
        (json.dumps(_coco(bbox=(90, 10, 40, 30))).encode(), "gt_box_outside_coco", "reaches past its image a.jpg (100x80"),
    ],
)  # fmt: skip
def test_coco_json_errors(doc: bytes, code: str, says: str) -> None:
    with pytest.raises(InvalidInput) as err:
        GroundTruth.from_coco_json_all(doc, source="ann.json")
    assert err.value.code == code
    assert says in str(err.value)


@pytest.mark.parametrize(
    ("name", "size", "code"),
    [("a.jpg", (101, 80), "gt_size_mismatch"), ("zzz.jpg", (100, 80), "gt_image_not_found")],
)
def test_coco_labels_that_do_not_match_the_image(name: str, size: tuple[int, int], code: str) -> None:
    doc = _coco()
    doc["images"].append({"id": 8, "file_name": "b.jpg", "width": 5, "height": 5})
    with pytest.raises(InvalidInput) as err:
        truth_for_image(GroundTruth.from_coco_json_all(doc), name, size)
    assert err.value.code == code
    if code == "gt_size_mismatch":
        assert "100x80 pixels; this image is 101x80" in str(err.value)


# --- uploads, zips, folders ---


def _jpeg(size=(64, 48), exif_rotate: bool = False) -> bytes:
    return jpeg(size, exif_rotate=exif_rotate)  # exif_rotate: "rotate 90°", the upright image is 48x64


_zip = zip_bytes


def test_upload_dispatch() -> None:
    gt = parse_upload(b"0 0.5 0.5 0.5 0.5", "a.txt", image_name="a.jpg", image_size=(64, 48))
    assert isinstance(gt, GroundTruth) and len(gt) == 1
    gt = parse_upload(json.dumps(_coco()).encode(), "a.json", image_name="a.jpg", image_size=(100, 80))
    assert gt.class_name == ("car",)
    for data, name, code in [(b"", "a.txt", "gt_empty_file"), (b"x", "a.csv", "gt_bad_kind")]:
        with pytest.raises(InvalidInput) as err:
            parse_upload(data, name, image_name="a.jpg", image_size=(64, 48))
        assert err.value.code == code


def test_zip_with_yolo_labels_names_backgrounds_and_orphans() -> None:
    data = _zip(
        {
            "set/images/a.jpg": _jpeg(),
            "set/images/b.jpg": _jpeg(exif_rotate=True),
            "set/images/c.jpg": _jpeg(),
            "set/labels/a.txt": b"1 0.5 0.5 0.5 0.5\n",
            "set/labels/b.txt": b"0 0.5 0.5 1.0 1.0\n",
            "set/labels/lost.txt": b"0 0.5 0.5 0.5 0.5\n",
            "set/data.yaml": b"names: [cat, dog]\n",
            "__MACOSX/set/._a.jpg": b"junk",
        }
    )
    ds = Dataset.from_zip(data)
    assert [i.name for i in ds.items] == ["a.jpg", "b.jpg", "c.jpg"]
    assert ds.names == ("cat", "dog") and ds.format == "yolo"
    assert ds.items[0].truth.class_name == ("dog",)
    assert ds.items[1].truth.size == (48, 64)  # EXIF-rotated: labels are relative to the upright image
    assert ds.items[1].truth.xyxy.tolist() == [[0, 0, 48, 64]]
    assert ds.backgrounds == ("c.jpg",) and ds.orphans == ("lost.txt",)
    assert ds.items[1].load().size == (48, 64)
    assert ds.find("a.png") is ds.items[0]


def test_ground_truth_follows_the_result_protocol() -> None:
    gt = GroundTruth.from_boxes("a.jpg", (100, 80), [[10, 10, 30, 40.25], [0, 0, 5, 5]], ["=cat", "dog"], [False, True])
    assert gt.rows() == [
        {"label": "=cat", "x1": 10.0, "y1": 10.0, "x2": 30.0, "y2": 40.2, "crowd": False},
        {"label": "dog", "x1": 0.0, "y1": 0.0, "x2": 5.0, "y2": 5.0, "crowd": True},
    ]
    assert gt.to_csv().splitlines() == [
        "label,x1,y1,x2,y2,crowd",
        "'=cat,10.0,10.0,30.0,40.2,False",
        "dog,0.0,0.0,5.0,5.0,True",
    ]
    assert json.loads(gt.to_json(source="s")) == {
        "source": "s", "image": "a.jpg", "width": 100, "height": 80, "objects": gt.rows()
    }  # fmt: skip
    drawn = gt.to_detections()
    assert drawn.class_name == gt.class_name and drawn.confidence.tolist() == [1.0, 1.0]
    np.testing.assert_array_equal(drawn.xyxy, gt.xyxy)
    assert GroundTruth.from_coco_json(json.dumps(_coco()).encode(), "a.jpg", (100, 80)).class_name == ("car",)
    with pytest.raises(InvalidInput, match=r"expected an array of shape \(N, 4\); got shape \(1, 3\)"):
        GroundTruth.from_boxes("a.jpg", (10, 10), [[1, 2, 3]], ["cat"])
    with pytest.raises(InvalidInput, match="expected one class name and crowd flag per box"):
        GroundTruth.from_boxes("a.jpg", (10, 10), [[1, 2, 3, 4]], [])


def test_dataset_of_one_image_and_the_first_images_of_a_zip() -> None:
    image = Image.new("RGB", (64, 48))
    truth = GroundTruth.from_boxes("p.png", (64, 48), [[1, 1, 9, 9], [2, 2, 8, 8]], ["cat", "cat"])
    one = Dataset.from_image("p.png", image, truth)
    assert (len(one), one.names, one.items[0].truth is truth) == (1, ("cat",), True)
    assert one.items[0].load() is image  # already decoded: as it is
    ds = Dataset.from_zip(_zip({"a.jpg": _jpeg(), "b.jpg": _jpeg(), "c.jpg": _jpeg(), "a.txt": b"0 0.5 0.5 0.5 0.5"}))
    assert ds.backgrounds == ("b.jpg", "c.jpg")
    first = ds.head(2)
    assert [i.name for i in first.items] == ["a.jpg", "b.jpg"] and first.backgrounds == ("b.jpg",)
    assert (first.names, first.format) == (ds.names, ds.format) and ds.head(3) is ds


def test_zip_with_coco_json() -> None:
    doc = _coco(width=64, height=48)
    ds = Dataset.from_zip(_zip({"a.jpg": _jpeg(), "annotations.json": json.dumps(doc).encode()}))
    assert ds.format == "coco" and ds.items[0].truth.class_name == ("car",)


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"a.jpg": _jpeg(), "b.txt": b"0 0.5 0.5 0.5 0.5"}, "gt_no_match"),
        ({"labels/a.txt": b"0 0.5 0.5 0.5 0.5"}, "gt_no_images"),
        ({"x/a.jpg": _jpeg(), "y/a.jpg": _jpeg()}, "gt_duplicate_name"),
        ({"a.jpg": _jpeg(), "a.txt": b"0 700 0.5 0.5 0.5"}, "gt_not_normalised"),
        ({"a.jpg": _jpeg(), "a.json": json.dumps(_coco()).encode()}, "gt_size_mismatch"),  # 100x80 labels, 64x48 image
        ({"a.jpg": b"not a jpeg", "a.txt": b""}, "gt_bad_image"),
    ],
)
def test_zips_whose_labels_do_not_match(files: dict[str, bytes], code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        Dataset.from_zip(_zip(files))
    assert err.value.code == code


def test_not_a_zip() -> None:
    with pytest.raises(InvalidInput) as err:
        Dataset.from_zip(b"PK\x03\x04 broken")
    assert err.value.code == "gt_bad_zip"


def test_folder_layouts(tmp_path: Path, coco8: Path) -> None:
    ds = Dataset.from_dir(coco8, split="val")
    assert len(ds) == 4 and sum(len(i.truth) for i in ds.items) == 17 and ds.format == "yolo"
    assert ds.find("000000000042.jpg").truth.class_name == ("dog",)
    # a COCO layout: images/ + annotations/instances_val.json
    (tmp_path / "images").mkdir()
    (tmp_path / "annotations").mkdir()
    (tmp_path / "images" / "a.jpg").write_bytes(_jpeg())
    (tmp_path / "annotations" / "instances_val.json").write_text(json.dumps(_coco(width=64, height=48)))
    coco = Dataset.from_dir(tmp_path)
    assert coco.format == "coco" and coco.items[0].truth.class_name == ("car",)
    with pytest.raises(InvalidInput) as err:
        Dataset.from_dir(tmp_path / "annotations")
    assert err.value.code == "gt_no_images"
    assert upright_size(tmp_path / "images" / "a.jpg") == (64, 48)


# --- every error has a message in both languages, with all its values filled in ---


def _engine_errors() -> list[InvalidInput]:
    cases = [
        lambda: GroundTruth.from_yolo_txt("0 0.5 0.5 0.2", (1, 1)),
        lambda: GroundTruth.from_yolo_txt("9 0.5 0.5 0.2 0.2", (1, 1), names=["a"]),
        lambda: GroundTruth.from_yolo_txt("0 5 0.5 0.2 0.2", (1, 1)),
        lambda: GroundTruth.from_yolo_txt("0 0.5 0.5 0 0.2", (1, 1)),
        lambda: GroundTruth.from_yolo_txt("0 0.95 0.5 0.5 0.5", (1, 1)),
        lambda: GroundTruth.from_yolo_txt(b"\xff\xfe\xfa", (1, 1)),
        lambda: GroundTruth.from_coco_json_all(b"{"),
        lambda: GroundTruth.from_coco_json_all(b"[]"),
        lambda: GroundTruth.from_coco_json_all(_coco(bbox=(90, 10, 40, 30))),
        lambda: truth_for_image(GroundTruth.from_coco_json_all(_coco()), "a.jpg", (1, 1)),
        lambda: truth_for_image({**GroundTruth.from_coco_json_all(_coco()), "b.jpg": None}, "c.jpg", (1, 1)),
        lambda: Dataset.from_zip(b"nope"),
        lambda: Dataset.from_zip(_zip({"a.jpg": _jpeg(), "b.txt": b""})),
        lambda: Dataset.from_zip(_zip({"a.txt": b""})),
        lambda: Dataset.from_zip(_zip({"x/a.jpg": _jpeg(), "y/a.jpg": _jpeg()})),
        lambda: Dataset.from_zip(_zip({"a.jpg": b"xx"})),
        lambda: parse_upload(b"", "a.txt", image_name="a", image_size=(1, 1)),
        lambda: parse_upload(b"x", "a.doc", image_name="a", image_size=(1, 1)),
        lambda: Dataset.from_dir("/no/such/folder"),
        lambda: Detections([[1, 2, 3]], [1], [1], ["a"]),
        lambda: evaluate([], [GroundTruth.from_boxes("a", (1, 1), [], [])]),
    ]
    found = []
    for case in cases:
        with pytest.raises(InvalidInput) as err:
            case()
        found.append(err.value)
    return found


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_error_has_a_complete_message(lang: str) -> None:
    for exc in _engine_errors():
        text = translate(f"errors.{exc.code}", lang, **exc.params)
        assert text != f"errors.{exc.code}", f"no {lang} message for {exc.code}"
        assert "{" not in text, f"{exc.code} in {lang}: {text}"


# --- the evaluator on exact cases ---


def _gt(boxes, names, crowd=None) -> GroundTruth:
    return GroundTruth.from_boxes("x.jpg", (200, 200), boxes, names, crowd)


def _det(boxes, scores, names) -> Detections:
    return Detections(boxes, scores, [COCO_NAMES.index(n) for n in names], names)


BOX = [20, 20, 100, 100]


@pytest.mark.parametrize(
    ("pred", "truth", "expected"),
    [
        # perfect: one box per object
        (_det([BOX], [0.9], ["dog"]), _gt([BOX], ["dog"]), dict(tp=1, fp=0, fn=0, map50=1.0, map50_95=1.0)),
        # nothing found
        (Detections.empty(), _gt([BOX], ["dog"]), dict(tp=0, fp=0, fn=1, map50=0.0, recall=0.0)),
        # a duplicate box is a false positive, ranked after the hit: AP stays 1
        (_det([BOX, BOX], [0.9, 0.8], ["dog", "dog"]), _gt([BOX], ["dog"]), dict(tp=1, fp=1, fn=0, precision=0.5, map50=1.0)),
        # the right box, the wrong class: one FP and one FN
        (_det([BOX], [0.9], ["cat"]), _gt([BOX], ["dog"]), dict(tp=0, fp=1, fn=1, map50=0.0)),
        # IoU 0.4 is a miss at 0.5
        (_det([[20, 20, 52, 100]], [0.9], ["dog"]), _gt([BOX], ["dog"]), dict(tp=0, fp=1, fn=1, map50=0.0)),
        # IoU 0.625: a hit at 0.50, 0.55, 0.60 only: AP50 1, AP50-95 3/10
        (_det([[20, 20, 70, 100]], [0.9], ["dog"]), _gt([BOX], ["dog"]), dict(tp=1, map50=1.0, map50_95=0.3)),
        # a box on a COCO crowd region is neither a hit nor a false positive
        (_det([BOX], [0.9], ["person"]), _gt([BOX], ["person"], [True]), dict(tp=0, fp=0, fn=0)),
        # below the threshold: not counted for precision/recall, still ranked for AP
        (_det([BOX], [0.1], ["dog"]), _gt([BOX], ["dog"]), dict(tp=0, fp=0, fn=1, map50=1.0)),
        # a false positive ranked first halves AP50 (COCO's 101-point interpolation)
        (_det([[150, 150, 190, 190], BOX], [0.9, 0.8], ["dog", "dog"]), _gt([BOX], ["dog"]), dict(tp=1, fp=1, map50=0.5)),
    ],
)  # fmt: skip
def test_evaluate_exact_cases(pred: Detections, truth: GroundTruth, expected: dict) -> None:
    e = evaluate([pred], [truth], threshold=0.25)
    for key, value in expected.items():
        got = getattr(e, key)
        assert got == pytest.approx(value, abs=0.011), f"{key}: {got} != {value}"


def test_evaluate_per_class_and_undefined_values() -> None:
    pred = _det([BOX, [120, 120, 180, 180]], [0.9, 0.8], ["dog", "cat"])
    e = evaluate([pred], [_gt([BOX], ["dog"])], threshold=0.5)
    rows = {c.name: c for c in e.per_class}
    assert (rows["dog"].tp, rows["dog"].ap50) == (1, pytest.approx(1.0))
    assert rows["cat"].fp == 1 and math.isnan(rows["cat"].ap50) and math.isnan(rows["cat"].recall)
    assert e.rows()[1]["ap50"] is None  # NaN becomes null in JSON
    json.loads(e.to_json())
    assert evaluate([pred], [_gt([BOX], ["dog"])], threshold=0.5, max_detections=1).fp == 0
    empty = evaluate([Detections.empty()], [_gt([], [])])
    assert math.isnan(empty.map50) and math.isnan(empty.precision) and empty.n_true == 0


def test_match_prefers_the_best_score_and_each_object_once() -> None:
    pred = _det([BOX, [22, 22, 100, 100], [21, 21, 100, 100]], [0.5, 0.9, 0.7], ["dog", "dog", "dog"])
    truth = _gt([BOX, [0, 0, 10, 10]], ["dog", "dog"])
    assert match(pred, truth) == {"dog": (1, 2, 1)}


def test_match_totals_are_the_comparison_tables_fp_and_fn() -> None:
    pred = _det([BOX, [120, 120, 180, 180], [0, 0, 10, 10]], [0.9, 0.8, 0.7], ["dog", "cat", "dog"])
    truth = _gt([BOX, [120, 120, 180, 180]], ["dog", "dog"])
    assert match_totals(pred, truth) == (1, 2, 1)  # the cat is the wrong class: one FP, and the second dog an FN
    assert match_totals(Detections.empty(), truth) == (0, 0, 2)
    assert match_totals(pred, truth, match_iou=0.99) == (1, 2, 1)


def test_one_image_is_evaluated_as_a_dataset_of_one(coco8: Path, shared_models) -> None:
    """The page's single-image evaluation: the same boxes and numbers as detect + evaluate by hand."""
    from engine.evaluation.metrics import MAP_CONF, MAP_MAX_DETECTIONS, detect_dataset, evaluate_dataset
    from engine.tasks.detection import detect

    item = Dataset.from_dir(coco8, split="val").items[0]
    image, truth = item.load(), item.truth.filter(["person"])
    detector = load_detector("ultralytics/yolov8n")
    one = Dataset.from_image(item.name, image, truth)
    boxes = detect_dataset(detector, one, iou=0.6, classes=["person"])
    by_hand = detect(
        detector, image, threshold=MAP_CONF, iou=0.6, classes=["person"], max_detections=MAP_MAX_DETECTIONS
    )
    assert len(boxes) == 1 and boxes[0].class_name == by_hand.class_name
    np.testing.assert_allclose(boxes[0].xyxy, by_hand.xyxy)
    got = evaluate_dataset(boxes, one, threshold=0.4, classes=["person"], max_detections=5)
    assert got.to_json() == evaluate([by_hand], [truth], threshold=0.4, max_detections=5).to_json()


def test_evaluate_detector_runs_down_to_conf_0001(coco8: Path, shared_models) -> None:
    ds = Dataset.from_dir(coco8, split="val")
    evaluation, predictions = evaluate_detector(load_detector("ultralytics/yolov8n"), ds, threshold=0.25)
    assert len(predictions) == 4 and min(float(p.confidence.min()) for p in predictions) < 0.01
    assert evaluation.n_true == 17 and evaluation.images == 4
    only = evaluate_detector(load_detector("ultralytics/yolov8n"), ds, classes=["person"])[0]
    assert {c.name for c in only.per_class} == {"person"} and only.n_true == 10


# --- the command line ---


def test_cli_table_and_json(coco8: Path, shared_models, capsys) -> None:
    assert cli(["--model", "ultralytics/yolov8n", "--data", str(coco8), "--split", "val"]) == 0
    out = capsys.readouterr().out
    assert "4 images, 17 labelled objects" in out and "mAP50-95" in out and "person" in out
    assert cli(["--model", "ultralytics/yolov8n", "--data", str(coco8), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["images"] == 4 and 0.0 <= doc["map50"] <= 1.0 and doc["per_class"][0]["name"] == "person"


def test_cli_takes_the_names_ultralytics_users_type(coco8: Path, shared_models, capsys) -> None:
    assert cli(["--model", "yolov8n", "--data", str(coco8), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["model"] == "ultralytics/yolov8n" and doc["n_true"] == 17
    assert cli(["--model", "yolov8", "--data", str(coco8)]) == 1  # a typo: the ids, closest first
    assert "Did you mean ultralytics/yolov8n?" in capsys.readouterr().err


def test_cli_errors(tmp_path: Path, capsys) -> None:
    assert cli(["--model", "ultralytics/yolov8n", "--data", str(tmp_path)]) == 1
    assert "expected images" in capsys.readouterr().err.lower()
    assert cli(["--model", "no/such-model", "--data", str(tmp_path / "x.zip")]) == 1
    with pytest.raises(SystemExit) as err:
        cli(["--data", str(tmp_path)])
    assert err.value.code == 2


def test_python_m_engine_dispatches_to_the_evaluator(coco8: Path, shared_models) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "engine", "evaluate-detection", "--model", "ultralytics/yolov8n", "--data", str(coco8), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["n_true"] == 17


# --- agreement with Ultralytics' validator (real YOLOv8n, coco8 val) ---


@pytest.fixture(scope="module")
def coco8_copy(tmp_path_factory, coco8: Path) -> Path:
    """coco8 in a writable place (the validator writes a labels cache beside the labels) + its yaml."""
    root = tmp_path_factory.mktemp("coco8")
    for sub in ("images/val", "labels/val"):
        shutil.copytree(coco8 / sub, root / sub)
    (root / "coco8.yaml").write_text(
        f"path: {root}\ntrain: images/val\nval: images/val\nnames:\n"
        + "".join(f"  {i}: {name}\n" for i, name in enumerate(COCO_NAMES))
    )
    return root


def _validate(root: Path, **kw):
    from ultralytics import YOLO

    from engine.models.resolve import resolve

    model = YOLO(str(resolve("ultralytics/yolov8n").path))
    captured: dict[str, list] = {}

    def keep_boxes(validator) -> None:
        captured["jdict"] = list(validator.jdict)
        # Emptied, so the validator skips its own JSON evaluation (it would try to pip-install
        # faster-coco-eval); its metrics are already computed at this point.
        validator.jdict.clear()

    model.add_callback("on_val_end", keep_boxes)
    metrics = model.val(
        data=str(root / "coco8.yaml"),
        imgsz=640,
        device="cpu",
        workers=0,
        plots=False,
        verbose=False,
        save_json=True,
        project=str(root / "runs"),
        **kw,
    )
    return metrics.box, captured["jdict"]


@pytest.mark.slow
def test_evaluator_agrees_with_ultralytics_validator_image_by_image(coco8_copy: Path, shared_models) -> None:
    """Both run each image alone (the validator with batch=1, rect=False): mAP50 and mAP50-95 agree.

    (The validator's default packs the 4 images in one 672x672 batch; on 4 images that moves one
    bird across the ranking and mAP50 to 0.896. The next test checks the metric on exactly the
    validator's default boxes.)
    """
    box, _ = _validate(coco8_copy, batch=1, rect=False)
    ours, _ = evaluate_detector(load_detector("ultralytics/yolov8n"), Dataset.from_dir(coco8_copy, split="val"))
    assert ours.map50 == pytest.approx(box.map50, abs=0.02)
    assert ours.map50_95 == pytest.approx(box.map, abs=0.02)


@pytest.mark.slow
def test_metric_agrees_with_the_validators_default_run_on_its_own_boxes(coco8_copy: Path, shared_models) -> None:
    """The validator's default run (the README's 0.896 / 0.630): its boxes through our evaluate()."""
    box, jdict = _validate(coco8_copy)
    assert box.map50 == pytest.approx(0.896, abs=0.005) and box.map == pytest.approx(0.630, abs=0.005)
    ds = Dataset.from_dir(coco8_copy, split="val")
    predictions = []
    for item in ds.items:
        rows = [j for j in jdict if j["file_name"] == item.name]
        xyxy = [[x, y, x + w, y + h] for x, y, w, h in (r["bbox"] for r in rows)]
        classes = [r["category_id"] - 1 for r in rows]  # the validator numbers custom classes from 1
        predictions.append(
            Detections(xyxy or np.zeros((0, 4)), [r["score"] for r in rows], classes, [COCO_NAMES[c] for c in classes])
        )
    ours = evaluate(predictions, [item.truth for item in ds.items])
    assert ours.map50 == pytest.approx(box.map50, abs=0.01)
    assert ours.map50_95 == pytest.approx(box.map, abs=0.01)


# --- the validator's preprocessing (issue 18, item 8) ---


def test_ultralytics_ap_is_its_interpolation_not_cocos() -> None:
    """One perfect box: COCO's 101-point AP is 1.0, Ultralytics' trapz over its envelope 0.995 (what
    its validator prints for a perfect class); a miss below a hit lowers both."""
    truth = GroundTruth.from_boxes("a.jpg", (100, 100), [[10, 10, 50, 50]], ["cat"])
    pred = Detections([[10, 10, 50, 50]], [0.9], [15], ["cat"])
    assert evaluate([pred], [truth]).map50 == pytest.approx(1.0)
    assert evaluate([pred], [truth], ap="ultralytics").map50 == pytest.approx(0.995)
    two = GroundTruth.from_boxes("a.jpg", (100, 100), [[10, 10, 50, 50], [60, 60, 90, 90]], ["cat", "cat"])
    got = evaluate([pred], [two], ap="ultralytics")
    assert got.map50 == pytest.approx(0.5, abs=0.01) and got.per_class[0].ap50 == pytest.approx(got.map50)
    # Precision and recall do not depend on the AP method: they are read at the threshold.
    coco = evaluate([pred], [two])
    assert (got.tp, got.fp, got.fn, got.precision, got.recall) == (coco.tp, coco.fp, coco.fn, 1.0, 0.5)


def test_validator_batches_are_ultralytics_rectangles(coco8_copy: Path) -> None:
    """The letterbox shapes of ``val(batch=b, rect=True)`` come from Ultralytics' own dataset code."""
    from ultralytics.cfg import get_cfg
    from ultralytics.data import build_yolo_dataset

    from engine.tasks.detection import validator_batches

    sizes = [item.truth.size for item in Dataset.from_dir(coco8_copy, split="val").items]
    for batch in (1, 2, 16):
        cfg = get_cfg(overrides={"imgsz": 640, "rect": True, "batch": batch})
        data = {"names": dict(enumerate(COCO_NAMES)), "nc": 80, "channels": 3}
        theirs = build_yolo_dataset(cfg, str(coco8_copy / "images/val"), batch, data, mode="val", rect=True)
        names = [Path(f).name for f in theirs.im_files]  # sorted by aspect ratio
        expected = {names[i]: tuple(int(v) for v in theirs.batch_shapes[theirs.batch[i]]) for i in range(len(names))}
        ours = {
            Dataset.from_dir(coco8_copy, split="val").items[i].name: shape
            for indices, shape in validator_batches(sizes, batch=batch)
            for i in indices
        }
        assert ours == expected


def test_cli_validator_option_gives_ultralytics_figure(coco8: Path, shared_models, capsys) -> None:
    """``YOLO("yolov8n.pt").val()`` on coco8 prints mAP50 0.896 (batch 16, rect); the app's own
    preprocessing gives 0.822; ``--validator`` gives Ultralytics' figure."""
    assert cli(["--model", "yolov8n", "--data", str(coco8), "--json", "--validator"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["map50"] == pytest.approx(0.896, abs=0.01) and doc["map50_95"] == pytest.approx(0.630, abs=0.01)
    assert doc["preprocessing"] == "ultralytics-val batch=16 rect=True"
    assert cli(["--model", "yolov8n", "--data", str(coco8), "--json"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert plain["preprocessing"] == "app" and abs(plain["map50"] - doc["map50"]) > 0.05  # the gap students saw
    assert cli(["--model", "yolov8n", "--data", str(coco8), "--validator", "--batch", "1"]) == 0
    assert "mAP50 0.929" in capsys.readouterr().out  # one image a batch: each its own rectangle


@pytest.mark.slow
@pytest.mark.parametrize(("batch", "rect"), [(16, True), (1, True), (16, False)])
def test_validator_option_reproduces_ultralytics_val(coco8_copy: Path, shared_models, batch: int, rect: bool) -> None:
    """The validator's own figure moves with batch and rect (0.896, 0.929, 0.816 on coco8);
    ``validator=True`` follows it within 0.01 at each setting."""
    box, _ = _validate(coco8_copy, batch=batch, rect=rect)
    ours, _ = evaluate_detector(
        load_detector("ultralytics/yolov8n"),
        Dataset.from_dir(coco8_copy, split="val"),
        validator=True,
        batch_size=batch,
        rect=rect,
    )
    assert ours.map50 == pytest.approx(box.map50, abs=0.01)
    assert ours.map50_95 == pytest.approx(box.map, abs=0.01)
