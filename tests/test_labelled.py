"""Accuracy on labelled photos (engine.evaluation.labelled): the ImageFolder zip and its refusals,
the folder -> ImageNet mapping, the metrics on hand-made guesses, the real EfficientNet-Lite0 on the
sample set of real photos (exact values), and the tiny CLIPs through the zero-shot run."""

from __future__ import annotations

import numpy as np
import pytest

from engine.errors import LABELLED_REFUSALS, InvalidInput
from engine.evaluation.labelled import (
    MAX_CLASSES,
    MAX_PHOTOS,
    OTHER,
    WORDS,
    JointTable,
    LabelledAccuracy,
    LabelledSet,
    check_mapping,
    evaluate_classifier,
    evaluate_zero_shot,
    folders,
    sample_zip,
    suggest,
    suggest_mapping,
    zero_shot_labels,
)
from engine.models.embedded import _imagenet_labels
from engine.tasks.classification import classify, load_classifier
from engine.tasks.clip import load_clip, prompts, zero_shot
from tests.files import jpeg, zip_bytes


def _jpeg(color: tuple[int, int, int] = (90, 120, 150)) -> bytes:
    return jpeg((32, 24), color)


_zip = zip_bytes


IMAGENET = _imagenet_labels()
TWO = {"gato/a.jpg": _jpeg(), "perro/a.jpg": _jpeg()}  # the same file name in two folders is fine


# --- reading the zip ---


def test_an_imagefolder_zip_is_read_by_class() -> None:
    data = _zip(
        {
            "fotos/perro/b.jpg": _jpeg(),
            "fotos/gato/a.jpg": _jpeg(),
            "fotos/gato/c.png": _jpeg(),  # a JPEG named .png still decodes
            "fotos/Pájaro/x.jpg": _jpeg(),
            "__MACOSX/fotos/gato/._a.jpg": b"junk",
            "fotos/gato/.DS_Store": b"junk",
            "fotos/gato/Thumbs.db": b"junk",
        }
    )
    labelled = LabelledSet.from_zip(data)
    assert labelled.classes == ("gato", "Pájaro", "perro")  # the top folder is dropped; sorted ignoring case
    assert labelled.counts() == {"gato": 2, "Pájaro": 1, "perro": 1}
    assert [p.name for p in labelled.photos] == ["gato/a.jpg", "gato/c.png", "Pájaro/x.jpg", "perro/b.jpg"]
    assert labelled.photos[0].load().size == (32, 24)
    assert labelled.digest == LabelledSet.from_zip(data).digest != LabelledSet.from_zip(_zip(TWO)).digest


def _too_many_photos() -> dict[str, bytes]:
    return {f"{'ab'[i % 2]}/{i}.jpg": _jpeg() for i in range(MAX_PHOTOS + 1)}


@pytest.mark.parametrize(
    ("files", "code", "params"),
    [
        (
            {"a/1.jpg": _jpeg(), "b/1.jpg": _jpeg(), "b/inner.zip": _zip(TWO)},
            "labelled_nested_archive",
            {"name": "inner.zip"},
        ),
        (
            {"a/1.jpg": _jpeg(), "b/1.jpg": _jpeg(), "b/set.tar.gz": b"x"},
            "labelled_nested_archive",
            {"name": "set.tar.gz"},
        ),
        (
            {"a/1.jpg": _jpeg(), "b/1.jpg": _jpeg(), "b/notes.txt": b"hola"},
            "labelled_not_image",
            {"name": "b/notes.txt"},
        ),
        ({}, "labelled_no_classes", {}),
        ({"1.jpg": _jpeg(), "2.jpg": _jpeg()}, "labelled_loose_photo", {"name": "1.jpg"}),
        ({"a/1.jpg": _jpeg(), "b/1.jpg": _jpeg(), "3.jpg": _jpeg()}, "labelled_loose_photo", {"name": "3.jpg"}),
        ({"a/1.jpg": _jpeg(), "b/c/1.jpg": _jpeg()}, "labelled_too_deep", {"name": "b/c/1.jpg"}),
        ({"gato/1.jpg": _jpeg(), "gato/2.jpg": _jpeg()}, "labelled_one_class", {"name": "gato", "min": 2}),
        ({"set/gato/1.jpg": _jpeg()}, "labelled_one_class", {"name": "gato", "min": 2}),
        (
            {f"c{i}/1.jpg": _jpeg() for i in range(MAX_CLASSES + 1)},
            "labelled_too_many_classes",
            {"n": MAX_CLASSES + 1, "max": MAX_CLASSES},
        ),
        (_too_many_photos(), "labelled_too_many_photos", {"n": MAX_PHOTOS + 1, "max": MAX_PHOTOS}),
        (
            {"Gato/1.jpg": _jpeg(), "gato/1.jpg": _jpeg()},
            "labelled_duplicate_class",
            {"first": "Gato", "second": "gato"},
        ),
        (
            {"golden retriever/1.jpg": _jpeg(), "golden_retriever/1.jpg": _jpeg()},
            "labelled_duplicate_class",
            {"first": "golden retriever", "second": "golden_retriever"},
        ),
        ({"a/1.jpg": _jpeg(), "b" * 101 + "/1.jpg": _jpeg()}, "labelled_class_name_too_long", {"max": 100, "got": 101}),
        ({"a/1.jpg": _jpeg(), "b/1.jpg": b"not a jpeg"}, "gt_bad_image", {}),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_zips_are_refused_with_their_code(files: dict[str, bytes], code: str, params: dict) -> None:
    with pytest.raises(InvalidInput) as err:
        LabelledSet.from_zip(_zip(files))
    assert err.value.code == code
    assert params.items() <= err.value.params.items()


def test_not_a_zip_and_the_detection_zips_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInput) as err:
        LabelledSet.from_zip(b"PK\x03\x04 broken")
    assert err.value.code == "gt_bad_zip"
    # The very limits of the detection zip (engine.evaluation.groundtruth.base), checked before any read.
    from engine.evaluation.groundtruth import files

    monkeypatch.setattr(files, "MAX_ZIP_FILES", 3)
    with pytest.raises(InvalidInput) as err:
        LabelledSet.from_zip(_zip({**TWO, "perro/b.jpg": _jpeg(), "perro/c.jpg": _jpeg()}))
    assert (err.value.code, err.value.params["files"]) == ("gt_zip_too_large", 4)
    monkeypatch.setattr(files, "MAX_ZIP_FILES", 5000)
    monkeypatch.setattr(files, "MAX_ZIP_BYTES", 1000)
    with pytest.raises(InvalidInput) as err:
        LabelledSet.from_zip(_zip(TWO))
    assert err.value.code == "gt_zip_too_large"
    monkeypatch.setattr(files, "MAX_ZIP_BYTES", 2**30)
    monkeypatch.setenv("VISION_MAX_UPLOAD_MB", "0.0001")  # ~100 bytes: each JPEG is more
    with pytest.raises(InvalidInput) as err:
        LabelledSet.from_zip(_zip(TWO))
    assert err.value.code == "gt_zip_too_large"


def test_the_refusal_codes_are_the_ones_errors_lists() -> None:
    import ast
    import inspect

    source = inspect.getsource(folders)
    raised = {
        node.args[1].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "bad" and len(node.args) > 1
    }
    assert raised == LABELLED_REFUSALS


def test_the_sample_set_is_five_classes_of_three_real_photos() -> None:
    es, en = LabelledSet.from_zip(sample_zip("es")), LabelledSet.from_zip(sample_zip("en"))
    assert es.classes == ("astronauta", "cohete", "gato", "moto", "taza")
    assert en.classes == ("astronaut", "cat", "cup", "motorcycle", "rocket")
    assert set(es.counts().values()) == {3} and len(en) == 15
    assert sample_zip("es") == sample_zip("es")  # the same bytes every time: results cache under its digest
    photo, mirrored, crop = (p.load() for p in es.photos[:3])  # astronauta/astronaut_1, _2, _3
    assert [p.name for p in es.photos[:3]] == [f"astronauta/astronaut_{i}.jpg" for i in (1, 2, 3)]
    assert mirrored.size == photo.size == (512, 512) and crop.size == (384, 384)
    # The mirror image is the photo flipped (up to JPEG's rounding), not the photo again.
    flipped = np.asarray(photo)[:, ::-1].astype(int)
    assert np.abs(flipped - np.asarray(mirrored)).mean() < 3 < np.abs(np.asarray(photo) - np.asarray(mirrored)).mean()


# --- the mapping ---


CAT_LABELS = ["tabby, tabby cat", "tiger cat", "Persian cat", "Siamese cat, Siamese", "Egyptian cat"]


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("gato", CAT_LABELS),
        ("Gatos", CAT_LABELS),
        ("cats", CAT_LABELS),
        ("01_cat", CAT_LABELS),
        ("taza", ["cup", "coffee mug"]),
        ("café", ["espresso", "cup", "coffee mug"]),
        ("cohete", ["missile", "projectile, missile", "space shuttle"]),
        ("moto", ["moped", "motor scooter, scooter"]),
        ("autobuses", ["minibus", "school bus", "trolleybus, trolley coach, trackless trolley"]),
        ("plátano", ["banana"]),
        ("astronauta", []),  # ImageNet has no astronaut: its photos can only be misses
        ("espresso", ["espresso"]),  # not in the table: the label's own name
        ("golden_retriever", ["golden retriever"]),
        (
            "retriever",
            [
                "golden retriever",
                "Labrador retriever",
                "flat-coated retriever",
                "curly-coated retriever",
                "Chesapeake Bay retriever",
            ],
        ),
        ("Siamese", ["Siamese cat, Siamese"]),
    ],
)
def test_suggestions_from_spanish_and_english_folder_names(folder: str, expected: list[str]) -> None:
    assert sorted(suggest(folder, IMAGENET)) == sorted(expected)


def test_dogs_are_the_whole_range_and_the_table_is_imagenets() -> None:
    dogs = suggest("perro", IMAGENET)
    assert len(dogs) == 118 and dogs[0] == "Chihuahua" and dogs[-1] == "Mexican hairless"
    assert suggest("perros", IMAGENET) == suggest("dog", IMAGENET) == dogs
    assert all(0 <= i < 1000 for indices in WORDS.values() for i in indices)
    # A model with other labels (a typed Hub model): only their names are matched, never ImageNet's indices.
    assert suggest_mapping(["gato", "cat"], ["cat", "dog"]) == {"gato": [], "cat": ["cat"]}


def test_an_edited_mapping_is_checked() -> None:
    assert check_mapping({"gato": ["tiger cat", "tiger cat"]}, ["gato", "taza"], IMAGENET) == {
        "gato": ["tiger cat"],
        "taza": [],
    }
    with pytest.raises(InvalidInput) as err:
        check_mapping({"gato": ["tiger cat"], "tigre": ["tiger cat"]}, ["gato", "tigre"], IMAGENET)
    assert (err.value.code, err.value.params) == (
        "labelled_label_twice",
        {"label": "tiger cat", "first": "gato", "second": "tigre"},
    )
    with pytest.raises(InvalidInput) as err:
        check_mapping({"gato": ["gatito"]}, ["gato", "taza"], IMAGENET)
    assert err.value.code == "labelled_unknown_label" and err.value.params["label"] == "gatito"


# --- the metrics on hand-made guesses ---

CLASSES = ["cat", "dog", "cup"]
# photo: its class, the folders of its five best guesses (OTHER: a label no folder claims)
HAND = [
    ("c1", "cat", ["cat", "dog"]),
    ("c2", "cat", ["dog", "cat"]),
    ("c3", "cat", [OTHER, OTHER, OTHER, OTHER, OTHER]),
    ("d1", "dog", ["dog"]),
    ("d2", "dog", ["cat", OTHER, OTHER, OTHER, OTHER, "dog"]),  # the 6th guess does not count for top-5
    ("u1", "cup", ["cup"]),
    ("u2", "cup", [OTHER, OTHER, OTHER, OTHER, "cup"]),
]


def _hand(kind: str = "supervised", classes: list[str] = CLASSES) -> LabelledAccuracy:
    return LabelledAccuracy.from_predictions(
        "m",
        kind,
        classes,
        [h[0] for h in HAND],
        [h[1] for h in HAND],
        [h[2] for h in HAND],
        [f"label of {h[0]}" for h in HAND],
        seconds=0.7,
    )


def test_exact_metrics_on_hand_made_guesses() -> None:
    acc = _hand()
    assert (acc.top1, acc.top5, acc.seconds_per_image) == (round(3 / 7, 4), round(5 / 7, 4), pytest.approx(0.1))
    assert acc.columns == ("cat", "dog", "cup", OTHER)
    assert acc.confusion() == [[1, 1, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]]
    assert acc.confusion_shares()[0] == [1 / 3, 1 / 3, 0, 1 / 3]
    assert acc.rows() == [
        {"class": "cat", "images": 3, "correct": 1, "top1": 0.3333, "top5": 0.6667},
        {"class": "dog", "images": 2, "correct": 1, "top1": 0.5, "top5": 0.5},
        {"class": "cup", "images": 2, "correct": 1, "top1": 0.5, "top5": 1.0},
    ]
    assert acc.to_csv().splitlines()[:2] == [
        "model,kind,class,images,correct,top1,top5",
        "m,supervised,cat,3,1,0.3333,0.6667",
    ]
    assert '"counts": [' in acc.to_json() and acc.image_rows()[2] == {
        "image": "c3",
        "class": "cat",
        "guess": OTHER,
        "label": "label of c3",
        "correct": False,
    }


def test_zero_shot_has_no_other_column_and_top5_only_from_five_classes() -> None:
    hand = [(n, t, [g for g in guess if g] or ["cup"]) for n, t, guess in HAND]
    acc = LabelledAccuracy.from_predictions(
        "clip",
        "zero-shot",
        CLASSES,
        [h[0] for h in hand],
        [h[1] for h in hand],
        [h[2] for h in hand],
        [h[2][0] for h in hand],
        seconds=1.4,
    )
    assert acc.columns == tuple(CLASSES) and acc.top5 is None and acc.rows()[0]["top5"] is None
    assert acc.confusion() == [[1, 1, 1], [1, 1, 0], [0, 0, 2]]
    joint = JointTable.from_results([_hand(), acc])
    assert joint.rows() == [
        {"model": "m", "kind": "supervised", "images": 7, "top1": 0.4286, "top5": 0.7143, "s_per_image": 0.1},
        {"model": "clip", "kind": "zero-shot", "images": 7, "top1": 0.5714, "top5": None, "s_per_image": 0.2},
    ]
    assert joint.to_csv().splitlines()[2] == "clip,zero-shot,7,0.5714,,0.2"


def test_guesses_outside_the_classes_are_refused() -> None:
    with pytest.raises(InvalidInput):
        LabelledAccuracy.from_predictions("m", "zero-shot", CLASSES, ["a"], ["cat"], [["horse"]], ["horse"], seconds=0)
    with pytest.raises(InvalidInput):
        LabelledAccuracy.from_predictions("m", "zero-shot", CLASSES, ["a"], ["cat"], [], [], seconds=0)


# --- real EfficientNet-Lite0 on real photos ---


@pytest.fixture(scope="module")
def lite0():
    return load_classifier("efficientnet-lite0")


@pytest.fixture(scope="module")
def sample_es() -> LabelledSet:
    return LabelledSet.from_zip(sample_zip("es"))


def test_efficientnet_lite0_on_the_sample_photos(lite0, sample_es: LabelledSet) -> None:
    """Measured once and checked by eye: the cat, rocket and motorcycle photos are right (a crop of
    the motorcycle reads as its disk brake), the coffee cup is "espresso" (a drink, not a cup: the
    suggested mapping says it is other) and an astronaut is no ImageNet class at all."""
    steps: list[tuple[int, int]] = []
    mapping = suggest_mapping(sample_es.classes, lite0.labels)
    acc = evaluate_classifier(lite0, sample_es, mapping, progress=lambda i, n: steps.append((i, n)))
    assert steps == [(i, 15) for i in range(1, 16)]
    assert (acc.top1, acc.top5, acc.kind, len(acc)) == (0.5333, 0.8, "supervised", 15)
    # rows: astronauta, cohete, gato, moto, taza; columns: the same, then other
    assert acc.confusion() == [
        [0, 0, 0, 0, 0, 3],
        [0, 3, 0, 0, 0, 0],
        [0, 0, 3, 0, 0, 0],
        [0, 0, 0, 2, 0, 1],
        [0, 0, 0, 0, 0, 3],
    ]
    assert [r["top5"] for r in acc.rows()] == [0.0, 1.0, 1.0, 1.0, 1.0]
    assert [r["label"] for r in acc.image_rows() if r["class"] == "taza"] == ["espresso"] * 3
    # The student's edit: espresso counts as a cup. The three coffee photos become hits.
    edited = evaluate_classifier(lite0, sample_es, {**mapping, "taza": [*mapping["taza"], "espresso"]})
    assert edited.top1 == 0.7333 and edited.confusion()[4] == [0, 0, 0, 0, 3, 0]
    # Each guess is what classify() says of the photo.
    photo = sample_es.photos[6]
    assert acc.labels[6] == classify(lite0, photo.load(), 1).top[0] == "tabby, tabby cat"
    assert acc.seconds > 0


# --- tiny CLIPs through the zero-shot run ---


@pytest.mark.parametrize("model_id", ["openai/clip-vit-base-patch32", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"])
def test_zero_shot_with_the_folder_names(model_id: str, sample_es: LabelledSet) -> None:
    clip = load_clip(model_id)
    template = "una foto de {}"
    acc = evaluate_zero_shot(clip, sample_es, template)
    assert acc.kind == "zero-shot" and acc.columns == sample_es.classes and acc.top5 == 1.0  # 5 classes: all
    assert zero_shot_labels(sample_es) == list(sample_es.classes)
    assert sum(map(sum, acc.confusion())) == 15
    # Each photo's guesses are zero_shot()'s labels in order, and top-1 counts its hits.
    for i in (0, 7, 14):
        expected = zero_shot(clip, sample_es.photos[i].load(), list(sample_es.classes), template).labels
        assert acc.guesses[i] == expected
    hits = sum(g[0] == t for g, t in zip(acc.guesses, acc.truths, strict=True))
    assert acc.top1 == round(hits / 15, 4)
    assert prompts(zero_shot_labels(sample_es), template)[0] == "una foto de astronauta"


def test_zero_shot_folder_names_with_underscores_read_as_words() -> None:
    labelled = LabelledSet.from_zip(_zip({"golden_retriever/1.jpg": _jpeg(), "tabby_cat/1.jpg": _jpeg((200, 10, 10))}))
    assert zero_shot_labels(labelled) == ["golden retriever", "tabby cat"]
    acc = evaluate_zero_shot(load_clip("openai/clip-vit-base-patch32"), labelled)
    assert acc.top5 is None and set(acc.labels) <= {"golden_retriever", "tabby_cat"}
