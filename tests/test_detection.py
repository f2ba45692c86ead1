"""Detection engine: the Detections type, tiny DETR/YOLOS/YOLO11n through the real loading paths,
real YOLOv8n on coco8, and the annotator on exact small cases (pixel checks)."""

from __future__ import annotations

import ast
import math
import re

import numpy as np
import pytest
from PIL import Image

from engine.errors import InvalidInput
from engine.evaluation.groundtruth import Dataset
from engine.inputs.samples import load_sample
from engine.models import registry
from engine.render.annotate import (
    BLACK,
    PALETTE,
    WHITE,
    annotate,
    color_for,
    contrast_ratio,
    counts_figure,
    text_color,
)
from engine.tasks.detection import (
    COCO_NAMES,
    Detections,
    DetectionSettings,
    coco91_id2label,
    code_snippet,
    detect,
    detect_batch,
    detect_timed,
    lines_of_code,
    load_detector,
)
from tests.conftest import TINY_DIR
from tests.snippets import run_snippet, serve, yolo_that_finds

HF_MODELS = ["facebook/detr-resnet-50", "hustvl/yolos-small"]


# --- Detections ---


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (dict(xyxy=[1, 2, 3], confidence=[0.5], class_id=[0], class_name=["a"]), "shape (N, 4); got shape (3,)"),
        (dict(xyxy=[[0, 0, 1, 1]], confidence=[0.5, 0.4], class_id=[0], class_name=["a"]), "expected 1 values"),
        (dict(xyxy=[[0, 0, 1, 1]], confidence=[0.5], class_id=[0], class_name=[]), "class_name: expected 1"),
        (dict(xyxy=[[5, 0, 1, 1]], confidence=[0.5], class_id=[0], class_name=["a"]), "x1 <= x2"),
        (dict(xyxy=[[0, 0, 1, math.nan]], confidence=[0.5], class_id=[0], class_name=["a"]), "NaN"),
    ],
)
def test_detections_validation_says_what_was_expected_and_what_came(kwargs: dict, expected: str) -> None:
    with pytest.raises(InvalidInput, match="expected") as err:
        Detections(**kwargs)
    assert expected in str(err.value)
    assert err.value.code == "det_bad_detections"


def test_from_transformers_post_process_dict_sorts_and_names() -> None:
    torch = pytest.importorskip("torch")
    result = {
        "scores": torch.tensor([0.3, 0.9]),
        "labels": torch.tensor([18, 1]),
        "boxes": torch.tensor([[0.5, 1.5, 10.25, 20.0], [2.0, 3.0, 4.0, 5.0]]),
    }
    d = Detections.from_transformers(result, coco91_id2label())
    assert d.class_name == ("person", "dog")
    assert d.class_id.tolist() == [1, 18]
    assert d.xyxy[1].tolist() == [0.5, 1.5, 10.25, 20.0]  # floats kept (the pipeline rounds to int)
    assert not d.xyxy.flags.writeable


def test_from_transformers_pipeline_list() -> None:
    rows = [
        {"score": 0.2, "label": "cat", "box": {"xmin": 1, "ymin": 2, "xmax": 3, "ymax": 4}},
        {"score": 0.8, "label": "dog", "box": {"xmin": 5, "ymin": 6, "xmax": 7, "ymax": 8}},
    ]
    d = Detections.from_transformers(rows, coco91_id2label())
    assert d.class_name == ("dog", "cat")
    assert d.class_id.tolist() == [18, 17]
    assert d.xyxy.tolist() == [[5, 6, 7, 8], [1, 2, 3, 4]]


@pytest.mark.parametrize(
    ("results", "id2label", "expected"),
    [
        ({"scores": [], "boxes": []}, {0: "a"}, "got keys ['boxes', 'scores']"),
        (
            {"scores": [0.5], "labels": [7], "boxes": [[0, 0, 1, 1]]},
            {0: "a"},
            "expected label ids of id2label (0..0); got [7]",
        ),
        ({"scores": [0.5], "labels": [0], "boxes": [[0, 0, 1, 1]]}, None, "expected id2label"),
        ([{"score": 0.5, "label": "a"}], None, "item 0 is ['label', 'score']"),
        ("cat", None, "got str"),
    ],
)
def test_from_transformers_errors(results, id2label, expected: str) -> None:
    with pytest.raises(InvalidInput, match="expected") as err:
        Detections.from_transformers(results, id2label)
    assert expected in str(err.value)


def test_from_ultralytics_results() -> None:
    torch = pytest.importorskip("torch")
    from ultralytics.engine.results import Results

    data = torch.tensor([[10.0, 20.0, 30.0, 40.0, 0.4, 2.0], [0.0, 0.0, 5.0, 5.0, 0.9, 0.0]])
    r = Results(np.zeros((50, 60, 3), np.uint8), path="x.jpg", names={0: "person", 2: "car"}, boxes=data)
    d = Detections.from_ultralytics(r)
    assert d.class_name == ("person", "car")
    assert d.confidence.tolist() == pytest.approx([0.9, 0.4])
    assert d.xyxy.tolist()[1] == [10, 20, 30, 40]
    with pytest.raises(InvalidInput, match="expected one Results"):
        Detections.from_ultralytics([r])
    classify = Results(np.zeros((5, 5, 3), np.uint8), path="x.jpg", names={0: "a"}, probs=torch.tensor([1.0]))
    with pytest.raises(InvalidInput, match="detection model"):
        Detections.from_ultralytics(classify)


def test_filter_counts_rows_and_exports() -> None:
    d = Detections(
        [[0, 0, 10, 10], [1, 1, 5, 5], [2, 2, 8, 9.25], [3, 3, 4, 4]],
        [0.9, 0.3, 0.6, 0.55],
        [1, 18, 1, 18],
        ["person", "dog", "person", "dog"],
    )
    assert d.counts() == {"dog": 2, "person": 2}
    assert d.filter(min_confidence=0.5).class_name == ("person", "person", "dog")
    assert d.filter(classes=["dog"]).confidence.tolist() == pytest.approx([0.55, 0.3])
    assert len(d.filter(max_detections=1)) == 1
    assert d.filter(classes=[]).counts() == {}
    assert d.rows()[2] == {"label": "person", "score": 0.6, "x1": 2.0, "y1": 2.0, "x2": 8.0, "y2": 9.2}
    csv = d.to_csv().splitlines()
    assert csv[0] == "label,score,x1,y1,x2,y2" and len(csv) == 5
    assert '"model": "m"' in d.to_json(model="m")
    assert len(Detections.empty()) == 0 and Detections.empty().to_csv().strip() == "label,score,x1,y1,x2,y2"


def test_coco_label_maps() -> None:
    assert len(COCO_NAMES) == 80 and COCO_NAMES[0] == "person" and COCO_NAMES[79] == "toothbrush"
    id2label = coco91_id2label()
    assert [n for n in id2label.values() if n != "N/A"] == list(COCO_NAMES)
    assert (id2label[18], id2label[44], id2label[90]) == ("dog", "bottle", "toothbrush")


# --- models (tiny ones in the models directory, built by tests/tiny/detection.py) ---


@pytest.fixture(scope="module")
def tiny():
    return {m: load_detector(m) for m in [*HF_MODELS, "ultralytics/yolo11n"]}


@pytest.mark.parametrize("model_id", HF_MODELS)
def test_hf_detectors_load_from_the_models_directory(tiny, model_id: str) -> None:
    detector = tiny[model_id]
    assert (detector.library, detector.where) == ("transformers", "local")
    assert len(detector.labels) == 80
    image = load_sample("cat")
    found = detect(detector, image, threshold=0.5)
    assert len(found) > 0 and set(found.class_name) == {"cat"}  # the tiny model's favoured class
    w, h = image.size
    assert (found.xyxy >= 0).all() and (found.xyxy[:, [0, 2]] <= w).all() and (found.xyxy[:, [1, 3]] <= h).all()
    assert list(found.confidence) == sorted(found.confidence, reverse=True)


@pytest.mark.parametrize("model_id", HF_MODELS)
def test_hf_detect_equals_the_plain_pipeline_call(tiny, model_id: str) -> None:
    """The engine calls the pipeline's steps itself on a model packed for the CPU; the result is the
    plain pipeline's (a separate, untouched one), with float boxes."""
    from engine.accel import fastcpu
    from engine.models.loading import load_pipeline

    assert (fastcpu.packed_layers(tiny[model_id].model.model) > 0) == fastcpu.available()
    pipe = load_pipeline("object-detection", model_id).pipeline
    assert fastcpu.packed_layers(pipe.model) == 0
    image = load_sample("coffee")
    ours = detect(tiny[model_id], image, threshold=0.3, max_detections=100)
    plain = sorted(pipe(image, threshold=0.3), key=lambda r: -r["score"])
    assert [r["label"] for r in plain] == list(ours.class_name)
    assert [r["score"] for r in plain] == pytest.approx(ours.confidence.tolist(), abs=1e-5)
    plain_boxes = np.array([[r["box"][k] for k in ("xmin", "ymin", "xmax", "ymax")] for r in plain])
    assert np.abs(plain_boxes - ours.xyxy).max() <= 1.0  # the pipeline truncates to int


@pytest.mark.parametrize("model_id", [*HF_MODELS, "ultralytics/yolov8n"])
def test_batches_give_the_same_boxes_as_single_images(tiny, shared_models, model_id: str) -> None:
    detector = tiny.get(model_id) or load_detector(model_id)
    images = [load_sample("cat"), load_sample("coffee"), load_sample("cat").transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    batched = detect_batch(detector, images, threshold=0.2)
    for image, got in zip(images, batched, strict=True):
        alone = detect(detector, image, threshold=0.2)
        assert got.class_name == alone.class_name
        np.testing.assert_allclose(got.xyxy, alone.xyxy, atol=0.05)
        np.testing.assert_allclose(got.confidence, alone.confidence, atol=1e-4)


def test_class_filter_and_max_detections(tiny) -> None:
    detr = tiny["facebook/detr-resnet-50"]
    image = load_sample("cat")
    assert len(detect(detr, image, threshold=0.5, classes=["dog"])) == 0
    assert len(detect(detr, image, threshold=0.5, classes=["cat"], max_detections=2)) == 2
    found, ms = detect_timed(detr, image, runs=2, threshold=0.5)
    assert len(found) > 0 and ms > 0


def test_tiny_yolo11n_loads_from_its_file(tiny) -> None:
    detector = tiny["ultralytics/yolo11n"]
    assert (detector.library, detector.where) == ("ultralytics", "local")
    assert detector.labels == COCO_NAMES
    found = detect(detector, load_sample("astronaut"), threshold=0.001, max_detections=5)
    assert len(found) <= 5 and set(found.class_name) <= set(COCO_NAMES)
    assert len(detect(detector, load_sample("astronaut"), classes=["no such class"])) == 0


@pytest.mark.parametrize(
    ("settings", "code"),
    [
        (dict(threshold=-0.1), "det_bad_threshold"),
        (dict(threshold=1.5), "det_bad_threshold"),
        (dict(iou=0.0), "det_bad_iou"),
        (dict(max_detections=0), "det_bad_max_detections"),
        (dict(max_detections=5000), "det_bad_max_detections"),
    ],
)
def test_bad_settings_are_refused(tiny, settings: dict, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        detect(tiny["hustvl/yolos-small"], load_sample("cat"), **settings)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("settings", "code"),
    [
        (dict(threshold=1.5), "det_bad_threshold"),
        (dict(iou=0.0), "det_bad_iou"),
        (dict(max_detections=0), "det_bad_max_detections"),
    ],
)
def test_detection_settings_are_one_checked_hashable_value(settings: dict, code: str) -> None:
    s = DetectionSettings(threshold=0.25, iou=0.5, classes=["dog", "cat"], max_detections=10)
    assert (
        s == DetectionSettings(0.25, 0.5, ("dog", "cat"), 10)
        and len({s, DetectionSettings(0.25, 0.5, ("dog", "cat"), 10)}) == 1
    )
    assert s.kwargs() == {"threshold": 0.25, "iou": 0.5, "classes": ["dog", "cat"], "max_detections": 10}
    assert DetectionSettings().kwargs()["classes"] is None
    assert code_snippet("ultralytics/yolov8n", **s.kwargs()) == code_snippet(
        "ultralytics/yolov8n", threshold=0.25, iou=0.5, classes=["dog", "cat"], max_detections=10
    )
    with pytest.raises(InvalidInput) as err:
        DetectionSettings(**settings)
    assert err.value.code == code


def test_load_pipeline_says_where_the_files_came_from() -> None:
    from engine.models.loading import Loaded, load_pipeline

    loaded = load_pipeline("object-detection", "hustvl/yolos-small")
    assert isinstance(loaded, Loaded) and (loaded.where, loaded.origin) == ("local", "safetensors")
    assert type(loaded.pipeline).__name__ == "ObjectDetectionPipeline"
    assert not hasattr(loaded.pipeline, "vision_where")  # nothing stuck onto the library's object


def test_wrong_task_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not object-detection"):
        load_detector("microsoft/resnet-50")


@pytest.mark.parametrize("model_id", [m.id for m in registry.models_for("object-detection")])
def test_code_snippet_is_valid_python_with_the_settings(model_id: str) -> None:
    code = code_snippet(model_id, threshold=0.4, iou=0.6, classes=["person", "dog"], max_detections=7)
    assert "trust_remote_code" not in code
    if model_id.startswith("ultralytics/"):
        assert "conf=0.4, iou=0.6, max_det=7, classes=[0, 16]" in code
    else:
        assert f'model="{model_id}"' in code and "threshold=0.4" in code and '"person", "dog"' in code
    assert 4 <= lines_of_code(code) <= 12


# What each model's snippet is run on, and with which settings, so that it finds something.
SNIPPET_RUNS = {
    "facebook/detr-resnet-50": ("cat", dict(threshold=0.5, classes=["cat", "person"], max_detections=100)),
    "hustvl/yolos-small": ("cat", dict(threshold=0.5, classes=["cat", "person"], max_detections=100)),
    "ultralytics/yolov8n": ("coffee", dict(threshold=0.25, iou=0.6, classes=["cup", "person"], max_detections=7)),
    "ultralytics/yolo11n": ("astronaut", dict(threshold=0.25, iou=0.7, classes=["person"], max_detections=7)),
}
_PRINTED = re.compile(r"^(?P<name>.+?) (?P<score>\d+(?:\.\d+)?) (?P<box>[\[{].*)$")


def _printed_detections(out: str) -> list[tuple[str, float, list[float]]]:
    """``print(name, round(score, 2), box)`` lines (box: a pipeline dict or an xyxy list)."""
    rows = []
    for line in out.splitlines():
        m = _PRINTED.match(line)
        assert m, f"not a detection line: {line!r}"
        box = ast.literal_eval(m["box"])
        xyxy = [box[k] for k in ("xmin", "ymin", "xmax", "ymax")] if isinstance(box, dict) else box
        rows.append((m["name"], float(m["score"]), [float(v) for v in xyxy]))
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("model_id", [m.id for m in registry.models_for("object-detection")])
def test_code_snippet_runs_and_prints_the_engines_detections(
    model_id: str, tiny, request, tmp_path, monkeypatch
) -> None:
    """The page's code, run as a student runs it (``python snippet.py`` next to their photo; a Hub
    model downloaded by its id from the local Hub, Ultralytics' .pt in the folder), prints the
    boxes the engine finds with the same settings on the same photo."""
    sample, settings = SNIPPET_RUNS[model_id]
    student = tmp_path / "student"
    student.mkdir()
    if model_id == "ultralytics/yolov8n":
        (student / "yolov8n.pt").write_bytes(
            (request.getfixturevalue("shared_models") / "ultralytics" / "yolov8n.pt").read_bytes()
        )
        detector = load_detector(model_id)
    elif model_id == "ultralytics/yolo11n":  # random weights find nothing: a copy whose head says "person"
        weights = yolo_that_finds(
            TINY_DIR / "ultralytics" / "yolo11n.pt", tmp_path / "models" / "ultralytics" / "yolo11n.pt"
        )
        (student / "yolo11n.pt").write_bytes(weights.read_bytes())
        monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path / "models"))
        detector = load_detector(model_id)
    else:
        serve(request.getfixturevalue("local_hub"), model_id)
        detector = tiny[model_id]
    photo = "la calle.jpg"  # the student's own file name, English comments and names for the YOLOs
    load_sample(sample).save(student / photo)
    lang = "en" if model_id.startswith("ultralytics/") else "es"
    code = code_snippet(model_id, **settings, file_name=photo, lang=lang)
    assert "foto.jpg" not in code and "engine" not in code
    printed = _printed_detections(run_snippet(code, student))
    expected = detect(detector, Image.open(student / photo).convert("RGB"), **settings)
    assert len(printed) == len(expected) > 0, printed
    assert [p[1] for p in printed] == sorted((p[1] for p in printed), reverse=True)  # best first
    px = 1.0 if model_id in HF_MODELS else 0.1  # the pipeline's boxes are whole pixels
    left = list(zip(expected.class_name, expected.confidence.tolist(), expected.xyxy.tolist(), strict=True))
    for name, score, box in printed:  # each printed box is one of the engine's (ties make the order free)
        same = [
            e
            for e in left
            if e[0] == name and abs(e[1] - score) <= 0.006 and np.abs(np.subtract(e[2], box)).max() <= px
        ]
        assert same, f"{name} {score} {box} is not among the engine's {left}"
        left.remove(same[0])


# --- real YOLOv8n on coco8 ---


def test_real_yolov8n_gives_the_plain_ultralytics_boxes(coco8, shared_models) -> None:
    """Packed for the CPU, the engine's YOLO finds what ``YOLO(file)(image)`` finds."""
    import ultralytics

    from engine.accel import fastcpu
    from engine.models.resolve import resolve

    detector = load_detector("ultralytics/yolov8n")
    assert (detector.applied == ("onednn_conv:64",)) == fastcpu.available(), detector.applied
    plain = ultralytics.YOLO(str(resolve(registry.get("ultralytics/yolov8n")).path))
    compared = 0
    for item in Dataset.from_dir(coco8, split="val").items:
        image = item.load()
        ours = detect(detector, image, threshold=0.25)
        theirs = Detections.from_ultralytics(plain(image, conf=0.25, verbose=False)[0])
        assert ours.class_name == theirs.class_name, item.name
        np.testing.assert_allclose(ours.xyxy, theirs.xyxy, atol=0.05)
        np.testing.assert_allclose(ours.confidence, theirs.confidence, atol=1e-4)
        compared += len(ours)
    assert compared >= 10  # coco8/val has people, a giraffe, elephants...


def test_real_yolov8n_finds_the_labelled_objects_of_coco8(coco8, shared_models) -> None:
    """Every image's largest labelled object is found (its class, IoU >= 0.5), and most objects are."""
    from engine.evaluation.metrics import match

    detector = load_detector("ultralytics/yolov8n")
    assert detector.where == "local"
    found_total = labelled_total = 0
    for split in ("train", "val"):
        for item in Dataset.from_dir(coco8, split=split).items:
            found = detect(detector, item.load(), threshold=0.25)
            truth = item.truth
            areas = (truth.xyxy[:, 2] - truth.xyxy[:, 0]) * (truth.xyxy[:, 3] - truth.xyxy[:, 1])
            biggest = truth.filter([truth.class_name[int(np.argmax(areas))]])
            tp, _, _ = match(found, biggest)[biggest.class_name[0]]
            assert tp >= 1, f"{item.name}: the {biggest.class_name[0]} is missed ({found.rows()})"
            counts = match(found, truth).values()
            found_total += sum(c[0] for c in counts)
            labelled_total += len(truth)
    assert found_total / labelled_total >= 0.6, (found_total, labelled_total)


# --- the annotator (exact small cases) ---


def _canvas(w: int = 120, h: int = 90, color=(200, 200, 200)) -> Image.Image:
    return Image.new("RGB", (w, h), color)


def _one(box, name="person", conf=0.9) -> Detections:
    return Detections([box], [conf], [0], [name])


def test_box_outline_pixels_have_the_class_colour() -> None:
    img = _canvas()
    out = annotate(img, _one([20, 40, 80, 70]), line_width=2, font_size=12)
    c = color_for("person")
    for xy in [(20, 55), (21, 55), (79, 55), (80, 55), (50, 70), (50, 69)]:  # left, right, bottom edges
        assert out.getpixel(xy) == c, xy
    for xy in [(22, 55), (50, 60), (78, 55), (19, 55), (81, 55), (50, 72)]:  # inside and outside
        assert out.getpixel(xy) == (200, 200, 200), xy
    assert img.getpixel((20, 55)) == (200, 200, 200)  # the input is not drawn on


def test_label_sits_above_the_box_with_readable_text() -> None:
    out = annotate(_canvas(), _one([20, 40, 80, 70]), line_width=2, font_size=12)
    c = color_for("person")
    tag = out.crop((20, 20, 80, 40))  # the strip above the box
    pixels = set(tag.getdata())
    assert c in pixels  # the tag's background
    assert text_color(c) in pixels  # the text
    assert contrast_ratio(c, text_color(c)) >= 4.5  # WCAG AA for normal text
    assert out.getpixel((21, 39)) == c  # tag touches the box's top-left corner


def test_label_goes_inside_when_the_box_touches_the_top_and_stays_in_the_image() -> None:
    out = annotate(_canvas(), _one([90, 0, 119, 40], name="dog"), line_width=2, font_size=12)
    c = color_for("dog")
    assert out.getpixel((119, 3)) == c  # the tag is pushed left, inside the image and the box
    assert out.getpixel((67, 2)) == c  # the tag (54 px, wider than the box) starts left of it, at x = 66
    assert out.getpixel((60, 30)) == (200, 200, 200)


def test_same_class_same_colour_across_models_and_best_box_on_top() -> None:
    a = annotate(_canvas(), Detections([[10, 30, 60, 80]], [0.8], [1], ["person"]), line_width=2)  # DETR id 1
    b = annotate(_canvas(), Detections([[10, 30, 60, 80]], [0.8], [0], ["person"]), line_width=2)  # YOLO id 0
    assert a.getpixel((10, 50)) == b.getpixel((10, 50)) == color_for("person")
    both = Detections([[10, 30, 60, 80], [10, 40, 60, 80]], [0.9, 0.2], [0, 0], ["person", "cat"])
    out = annotate(_canvas(), both, line_width=2)
    assert out.getpixel((10, 70)) == color_for("person")  # the shared left edge shows the surer box


def test_no_detections_and_boxes_past_the_border() -> None:
    img = _canvas()
    assert annotate(img, Detections.empty()).tobytes() == img.tobytes()
    out = annotate(img, _one([-10, -5, 500, 400]), line_width=3)
    assert out.size == img.size and out.getpixel((0, 60)) == color_for("person")
    gray = annotate(img.convert("L"), _one([10, 10, 50, 50]))
    assert gray.mode == "RGB"


@pytest.mark.parametrize(("background", "expected"), [((255, 255, 0), BLACK), ((0, 0, 128), WHITE), ((0, 0, 0), WHITE)])
def test_text_colour_contrasts(background, expected) -> None:
    assert text_color(background) == expected


def test_every_palette_colour_has_readable_text() -> None:
    assert min(contrast_ratio(c, text_color(c)) for c in PALETTE) >= 4.5


def test_colours_are_stable_and_distinct_for_neighbouring_classes() -> None:
    assert color_for("person") == PALETTE[0] and color_for("car") == PALETTE[2]
    assert color_for("my-own-class") == color_for("my-own-class") and color_for("my-own-class") in PALETTE
    assert len({color_for(n) for n in COCO_NAMES[:20]}) == 20


def test_counts_figure_uses_the_box_colours() -> None:
    fig = counts_figure({"person": 3, "dog": 1}, title="t")
    assert list(fig.data[0].y) == ["dog", "person"] and list(fig.data[0].x) == [1, 3]
    assert fig.data[0].marker.color[1] == "rgb({},{},{})".format(*color_for("person"))


def test_annotate_writes_the_names_the_page_gives_in_the_models_colours() -> None:
    import numpy as np
    from PIL import Image

    from engine.render.annotate import annotate, color_for
    from engine.tasks.detection import Detections

    image = Image.new("RGB", (320, 240), (255, 255, 255))
    found = Detections(np.array([[40.0, 60.0, 200.0, 220.0]]), np.array([0.9]), np.array([0]), ("person",))
    plain = np.asarray(annotate(image, found))
    spanish = np.asarray(annotate(image, found, display=lambda n: "persona (person)"))
    assert not np.array_equal(plain, spanish)  # another text in the tag
    person = np.array(color_for("person"))
    assert (np.abs(spanish.astype(int) - person).sum(axis=2) == 0).sum() > 500  # the box in person's colour


def test_detect_timed_warms_a_detector_once_then_times_the_result_call(tiny, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each upload costs one detection once the detector is warm (it used to cost four)."""
    import engine.tasks.detection as detection

    calls: list[int] = []
    real = detection.detect

    def counting(detector, image, **kw):
        calls.append(1)
        return real(detector, image, **kw)

    monkeypatch.setattr(detection, "detect", counting)
    detector = tiny["hustvl/yolos-small"]
    image = load_sample("motorcycle")
    detection._WARM.discard(detector)  # other tests may have used this shared detector already
    first, ms = detection.detect_timed(detector, image, threshold=0.5)
    assert len(calls) == 2 and ms > 0  # the warm-up, then the timed call that gives the result
    again, _ = detection.detect_timed(detector, image, threshold=0.5)
    assert len(calls) == 3  # warm now: one call
    assert len(again) == len(first)
    detection.detect_timed(detector, image, runs=3, threshold=0.5)
    assert len(calls) == 6  # runs=3: the result's call and two more for the median


# --- the course's comparison table over several images (issue 18, item 9) ---


def test_comparison_table_has_a_row_per_image_and_model_and_totals_per_model() -> None:
    from engine.evaluation.comparison import COLUMNS, ComparisonTable
    from engine.evaluation.groundtruth import GroundTruth

    a = GroundTruth.from_boxes("a.jpg", (100, 100), [[10, 10, 50, 50], [60, 60, 90, 90]], ["cat", "dog"])
    b = GroundTruth.from_boxes("b.jpg", (100, 100), [[0, 0, 40, 40]], ["cat"])
    hit_a = Detections([[10, 10, 50, 50], [0, 60, 20, 90]], [0.9, 0.6], [15, 16], ["cat", "dog"])  # TP, FP; FN dog
    miss_b = Detections([[60, 60, 99, 99]], [0.7], [15], ["cat"])  # FP, FN
    runs = {
        "yolo": [("a.jpg", hit_a, 10.0), ("b.jpg", miss_b, 30.0)],
        "detr": [("a.jpg", Detections.empty(), 100.0), ("b.jpg", miss_b, 200.0)],
    }
    table = ComparisonTable.from_runs(runs, {"a.jpg": a, "b.jpg": b})
    got = [
        (r["row"], r["image"], r["model"], r["images"], r["objects"], r["time_ms"], r["fp"], r["fn"])
        for r in table.rows()
    ]
    assert got == [
        ("image", "a.jpg", "yolo", 1, 2, 10.0, 1, 1),
        ("image", "a.jpg", "detr", 1, 0, 100.0, 0, 2),
        ("image", "b.jpg", "yolo", 1, 1, 30.0, 1, 1),
        ("image", "b.jpg", "detr", 1, 1, 200.0, 1, 1),
        ("total", "", "yolo", 2, 3, 20.0, 2, 2),  # the median of 10 and 30 ms
        ("total", "", "detr", 2, 1, 150.0, 1, 3),
    ]
    lines = table.to_csv().splitlines()
    assert lines[0] == ",".join(COLUMNS) and lines[-1] == "total,,detr,2,1,150.0,1,3" and len(lines) == 7
    # Without labels FP and FN are unknown, not zero.
    bare = ComparisonTable.from_runs(runs)
    assert [r["fp"] for r in bare.rows()] == [None] * 6 and bare.to_csv().splitlines()[-1] == "total,,detr,2,1,150.0,,"
    assert '"rows"' in table.to_json(images=2)


def test_evaluation_table_has_an_all_row_and_the_classes_of_each_model() -> None:
    from engine.evaluation.comparison import EVALUATION_COLUMNS, EvaluationTable
    from engine.evaluation.groundtruth import GroundTruth
    from engine.evaluation.metrics import evaluate

    truth = GroundTruth.from_boxes("a.jpg", (100, 100), [[10, 10, 50, 50], [60, 60, 90, 90]], ["cat", "dog"])
    pred = Detections([[10, 10, 50, 50], [0, 60, 20, 90]], [0.9, 0.6], [15, 16], ["cat", "dog"])
    one, none = evaluate([pred], [truth]), evaluate([Detections.empty()], [truth])
    rows = EvaluationTable.from_evaluations({"m1": one, "m2": none}).rows()
    assert [(r["model"], r["class"], r["tp"], r["fp"], r["fn"]) for r in rows] == [
        ("m1", "all", 1, 1, 1),
        ("m1", "cat", 1, 0, 0),
        ("m1", "dog", 0, 1, 1),
        ("m2", "all", 0, 0, 2),
        ("m2", "cat", 0, 0, 1),
        ("m2", "dog", 0, 0, 1),
    ]
    assert rows[0]["precision"] == 0.5 and rows[0]["ap50"] == pytest.approx(one.map50)
    assert rows[3]["precision"] is None  # no box at all: precision undefined, an empty CSV cell
    csv = EvaluationTable.from_evaluations({"m1": one, "m2": none}).to_csv().splitlines()
    assert csv[0] == ",".join(EVALUATION_COLUMNS) and csv[4].startswith("m2,all,1,2,0,0,2,,0.0,")
