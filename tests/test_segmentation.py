"""Segmentation engine: mask logic pixel by pixel, the fast SegFormer path against the pipeline, YOLO."""

from __future__ import annotations

import ast
import io
import os
import runpy

import numpy as np
import pytest
import torch
from PIL import Image

from engine.errors import InvalidImage, InvalidInput, ModelUnavailable
from engine.inputs.images import to_png
from engine.inputs.samples import load_sample
from engine.models import registry
from engine.render.masks import (
    OTHERS_COLOR,
    cutout,
    hex_color,
    inverted_view,
    label_colors,
    mask_image,
    overlay,
    palette_color,
    shares_chart,
    top_shares,
)
from engine.tasks.segmentation import (
    Segmentation,
    code_snippet,
    fit_for_segmentation,
    load_segmenter,
    segment,
    upsampled_argmax,
)
from tests.conftest import TINY_DIR
from tests.snippets import percent_lines, run_snippet, serve, yolo_that_finds
from tests.tiny.segmentation import ADE_LABELS

SEGFORMER = "nvidia/segformer-b0-finetuned-ade-512-512"
YOLO_SEG = "ultralytics/yolo11n-seg"
LABELS = ("wall", "sky", "person", "car")

# A 3x4 label map: wall on top, sky/person/car below (ids into LABELS).
LABEL_MAP = np.array(
    [
        [0, 0, 0, 0],
        [1, 1, 2, 2],
        [1, 3, 2, 0],
    ]
)


def _photo(width: int = 4, height: int = 3) -> Image.Image:
    """A small RGB image whose every pixel is different (so a wrong copy shows)."""
    rng = np.random.default_rng(7)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8), "RGB")


@pytest.fixture(scope="module")
def semantic() -> Segmentation:
    return Segmentation.from_label_map(LABEL_MAP, LABELS)


# --- results: shares, masks, lookup ---


def test_semantic_shares_are_pixel_counts_and_sum_to_one(semantic: Segmentation) -> None:
    assert semantic.shares() == {"wall": 5 / 12, "sky": 3 / 12, "person": 3 / 12, "car": 1 / 12}
    assert sum(semantic.shares().values()) == pytest.approx(1.0, abs=1e-12)
    assert semantic.labels == ("wall", "sky", "person", "car")  # largest share first
    assert semantic.covered() == 1.0
    assert semantic.size == (4, 3)


@pytest.mark.parametrize("label", LABELS)
def test_semantic_masks_match_the_label_map_pixel_by_pixel(semantic: Segmentation, label: str) -> None:
    expected = np.equal(LABEL_MAP, LABELS.index(label))
    assert semantic.mask(label).dtype == np.bool_
    np.testing.assert_array_equal(semantic.mask(label), expected)


def test_semantic_masks_are_disjoint_and_cover_the_image(semantic: Segmentation) -> None:
    stacked = np.stack([s.mask for s in semantic.segments]).astype(int)
    np.testing.assert_array_equal(stacked.sum(0), np.ones_like(LABEL_MAP))


@pytest.mark.parametrize("seed", range(5))
def test_random_label_maps_shares_sum_to_one(seed: int) -> None:
    rng = np.random.default_rng(seed)
    label_map = rng.integers(0, len(ADE_LABELS), size=(rng.integers(1, 40), rng.integers(1, 40)))
    seg = Segmentation.from_label_map(label_map, ADE_LABELS)
    assert sum(seg.shares().values()) == pytest.approx(1.0, abs=1e-9)
    assert set(seg.labels) == {ADE_LABELS[i] for i in np.unique(label_map)}


@pytest.mark.parametrize(
    ("label_map", "labels"),
    [
        (np.array([[0, 5]]), LABELS),  # id beyond the model's classes
        (np.zeros((0, 3), dtype=int), LABELS),  # no pixels
        (np.zeros(4, dtype=int), LABELS),  # not 2-D
    ],
)
def test_bad_label_maps_are_refused(label_map: np.ndarray, labels: tuple[str, ...]) -> None:
    with pytest.raises(InvalidInput):
        Segmentation.from_label_map(label_map, labels)


def test_instances_may_overlap_and_leave_background() -> None:
    masks = np.zeros((3, 4, 5), dtype=bool)
    masks[0, 0:2, 0:2] = True  # person #1: 4 px
    masks[1, 1:3, 1:3] = True  # person #2: 4 px, 1 px shared with #1
    masks[2, 3, :] = True  # car: 5 px
    names = {0: "person", 1: "bicycle", 2: "car"}
    seg = Segmentation.from_instances(masks, [0, 0, 2], [0.6, 0.9, 0.7], names, (5, 4))
    assert seg.kind == "instance"
    assert seg.shares() == {"person": 7 / 20, "car": 5 / 20}  # the shared pixel counts once
    assert seg.count("person") == 2 and seg.count("car") == 1
    assert seg.covered() == pytest.approx(12 / 20)
    assert [s.score for s in seg.segments] == [0.9, 0.7, 0.6]  # most confident first
    assert seg.model_labels == ("person", "bicycle", "car")
    assert [r["segments"] for r in seg.rows()] == [2, 1]


def test_instances_with_mismatched_lengths_are_refused() -> None:
    with pytest.raises(InvalidInput):
        Segmentation.from_instances(np.zeros((2, 2, 2), bool), [0], [0.5, 0.5], {0: "person"}, (2, 2))


def test_masks_of_the_wrong_shape_are_refused() -> None:
    from engine.tasks.segmentation import Segment

    with pytest.raises(InvalidInput):
        Segmentation((Segment("wall", np.ones((2, 2), bool)),), (3, 2), "semantic", ("wall",))


@pytest.mark.parametrize(
    ("query", "status", "label"),
    [
        ("person", "found", "person"),
        ("PERSON", "found", "person"),
        ("  Sky ", "found", "sky"),
        ("tree", "not_in_image", "tree"),
        ("BED", "not_in_image", "bed "),  # ADE20K spells it "bed " (trailing space)
        ("unicorn", "unknown", ""),
        ("", "empty", ""),
        ("   ", "empty", ""),
    ],
)
def test_label_lookup(query: str, status: str, label: str) -> None:
    seg = Segmentation.from_label_map(np.array([[12, 2], [0, 0]]), ADE_LABELS)  # person, sky, wall
    found = seg.lookup(query)
    assert (found.status, found.label) == (status, label)
    assert found.present == ("wall", "sky", "person")  # largest first; ties in class order
    assert found.known == tuple(ADE_LABELS)


# --- mask logic on small synthetic masks ---

MASK = np.array(
    [
        [True, False, False, True],
        [False, True, True, False],
        [False, False, True, False],
    ]
)


def test_mask_image_is_the_pipelines_L_mask() -> None:
    img = mask_image(MASK)
    assert img.mode == "L" and img.size == (4, 3)
    np.testing.assert_array_equal(np.asarray(img), np.where(MASK, 255, 0))


def test_inverted_view_keeps_the_segment_and_whitens_the_rest() -> None:
    photo = _photo()
    before = np.asarray(photo).copy()
    out = np.asarray(inverted_view(photo, MASK))
    for y in range(3):
        for x in range(4):
            expected = before[y, x] if MASK[y, x] else [255, 255, 255]
            np.testing.assert_array_equal(out[y, x], expected, err_msg=f"pixel ({x}, {y})")
    np.testing.assert_array_equal(np.asarray(photo), before)  # the caller's photo is untouched


def test_inverted_view_of_full_and_empty_masks() -> None:
    photo = _photo()
    np.testing.assert_array_equal(np.asarray(inverted_view(photo, np.ones((3, 4), bool))), np.asarray(photo))
    assert (np.asarray(inverted_view(photo, np.zeros((3, 4), bool))) == 255).all()


def test_cutout_is_transparent_outside_the_segment() -> None:
    photo = _photo()
    out = cutout(photo, MASK)
    assert out.mode == "RGBA"
    rgba = np.asarray(out)
    np.testing.assert_array_equal(rgba[..., 3], np.where(MASK, 255, 0))
    np.testing.assert_array_equal(rgba[..., :3], np.asarray(photo))


def test_cutout_png_keeps_the_transparency() -> None:
    data = to_png(cutout(_photo(), MASK))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    back = Image.open(io.BytesIO(data))
    assert back.mode == "RGBA"
    np.testing.assert_array_equal(np.asarray(back)[..., 3], np.where(MASK, 255, 0))


@pytest.mark.parametrize("fn", [inverted_view, cutout])
def test_mask_and_image_sizes_must_agree(fn) -> None:
    with pytest.raises(InvalidInput):
        fn(_photo(), np.ones((4, 3), bool))


@pytest.mark.parametrize("fn", [inverted_view, cutout])
def test_non_images_are_refused(fn) -> None:
    with pytest.raises(InvalidImage):
        fn(np.zeros((3, 4, 3), np.uint8), MASK)


@pytest.mark.parametrize("opacity", [0.0, 0.25, 0.5, 1.0])
def test_overlay_blends_each_pixel_with_its_label_colour(semantic: Segmentation, opacity: float) -> None:
    photo = _photo()
    colors = label_colors(semantic)
    out = np.asarray(overlay(photo, semantic, opacity)).astype(float)
    base = np.asarray(photo).astype(float)
    for y in range(3):
        for x in range(4):
            color = np.array(colors[LABELS[LABEL_MAP[y, x]]], dtype=float)
            expected = np.rint(base[y, x] * (1 - opacity) + color * opacity)
            np.testing.assert_allclose(out[y, x], expected, atol=1)


@pytest.mark.parametrize("opacity", [-0.1, 1.5])
def test_overlay_opacity_out_of_range_is_refused(semantic: Segmentation, opacity: float) -> None:
    with pytest.raises(InvalidInput):
        overlay(_photo(), semantic, opacity)


def test_overlay_leaves_background_alone_and_outlines_instances() -> None:
    masks = np.zeros((1, 16, 16), dtype=bool)
    masks[0, 3:13, 3:13] = True
    seg = Segmentation.from_instances(masks, [0], [0.9], {0: "person"}, (16, 16))
    photo = _photo(16, 16)
    out = np.asarray(overlay(photo, seg, 0.5))
    np.testing.assert_array_equal(out[~masks[0]], np.asarray(photo)[~masks[0]])  # no object: the photo
    assert (out[3:5, 3:13] == 255).all() and (out[3:13, 11:13] == 255).all()  # a 2-pixel white outline
    inside = np.rint(np.asarray(photo)[5:11, 5:11] * 0.5 + np.array(palette_color(0)) * 0.5)
    np.testing.assert_allclose(out[5:11, 5:11], inside, atol=1)  # the inside is blended, not outlined


def test_legend_colours_are_stable_per_label_and_distinct() -> None:
    one = Segmentation.from_label_map(np.array([[12, 2]]), ADE_LABELS)
    two = Segmentation.from_label_map(np.array([[12, 0], [4, 4]]), ADE_LABELS)
    assert label_colors(one)["person"] == label_colors(two)["person"] == palette_color(12)
    palette = {palette_color(i) for i in range(256)}
    assert len(palette) == 256  # every class of ADE20K (150) and COCO (80) has its own colour


def test_legend_rows_and_chart_are_sorted_and_coloured(semantic: Segmentation) -> None:
    rows = semantic.rows()
    assert [r["label"] for r in rows] == list(semantic.labels)
    assert [r["share"] for r in rows] == sorted((r["share"] for r in rows), reverse=True)
    fig = shares_chart(semantic, title="t")
    bar = fig.data[0]
    assert list(bar.y) == ["car", "person", "sky", "wall"]  # the legend's order, read from the top
    assert list(bar.x) == sorted(bar.x)
    colors = label_colors(semantic)
    assert list(bar.marker.color) == [hex_color(colors[label]) for label in bar.y]


def _many_labels() -> Segmentation:
    """3 large labels and 62 of a few pixels each (what SegFormer leaves on a real photo)."""
    label_map = np.zeros((100, 100), dtype=int)
    label_map[:, 50:] = 1
    label_map[:30, :50] = 2
    flat = label_map.ravel()
    flat[: 62 * 3] = np.repeat(np.arange(3, 65), 3)  # 3 pixels each: 0.03 % of the image
    return Segmentation.from_label_map(flat.reshape(100, 100), tuple(f"class_{i}" for i in range(65)))


def test_top_shares_keep_the_largest_labels_and_sum_the_rest() -> None:
    seg = _many_labels()
    top, rest = top_shares(seg.shares())
    assert list(top) == ["class_1", "class_0", "class_2"]  # the only ones of at least 0.5 %
    assert len(rest) == 62 and all(share < 0.005 for share in rest.values())
    assert sum(top.values()) + sum(rest.values()) == pytest.approx(1.0)
    eight, others = top_shares({f"l{i}": 0.1 - i * 0.001 for i in range(10)})
    assert list(eight) == [f"l{i}" for i in range(8)] and list(others) == ["l8", "l9"]  # at most 8 rows
    assert list(top_shares({"lamp": 0.001, "cup": 0.0005})[0]) == ["lamp"]  # the largest is always listed
    with pytest.raises(InvalidInput):
        top_shares({"wall": 1.0}, limit=0)


def test_the_chart_has_the_top_bars_and_one_grey_others_bar() -> None:
    seg = _many_labels()
    bar = shares_chart(seg, others="otras 62").data[0]
    assert list(bar.y) == ["otras 62", "class_2", "class_0", "class_1"]  # read from the top: largest first
    assert bar.x[0] == pytest.approx(62 * 3 / 10_000) and bar.marker.color[0] == hex_color(OTHERS_COLOR)
    assert shares_chart(seg).layout.height <= 300  # not 80 + 30 px × 65 bars


def test_segmentation_follows_the_result_protocol(semantic: Segmentation) -> None:
    import json

    assert semantic.to_csv().splitlines()[0] == "color,label,share,segments"
    assert semantic.to_csv().splitlines()[1].split(",")[1:] == ["wall", str(5 / 12), "1"]
    doc = json.loads(semantic.to_json(model="m"))
    assert (doc["model"], doc["kind"], doc["width"], doc["height"]) == ("m", "semantic", 4, 3)
    assert doc["segments"] == semantic.rows()
    with pytest.raises(InvalidInput, match="expected 'semantic' or 'instance'; got 'panoptic'"):
        Segmentation((), (4, 3), "panoptic", LABELS)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("size", "expected"),
    [((4000, 3000), (1600, 1200)), ((1200, 5000), (384, 1600)), ((800, 600), (800, 600)), ((1600, 10), (1600, 10))],
)
def test_large_photos_are_shrunk_before_segmenting(size: tuple[int, int], expected: tuple[int, int]) -> None:
    image = Image.new("RGB", size)
    assert fit_for_segmentation(image).size == expected


# --- the fast SegFormer postprocessing equals the pipeline's ---


def _dense_argmax(logits: torch.Tensor, size: tuple[int, int]) -> np.ndarray:
    """What the image processor does: upsample every class, then argmax."""
    up = torch.nn.functional.interpolate(logits[None], size=size, mode="bilinear", align_corners=False)
    return up[0].argmax(0).numpy()


def _smooth_logits(classes: int, h: int, w: int, seed: int) -> torch.Tensor:
    """Logits like a trained model's: large regions, a few classes that ever win."""
    g = torch.Generator().manual_seed(seed)
    base = torch.randn(1, classes, 5, 5, generator=g) * 2
    base[:, 8:] -= 6
    smooth = torch.nn.functional.interpolate(base, size=(h, w), mode="bicubic", align_corners=False)[0]
    return smooth + 0.05 * torch.randn(classes, h, w, generator=g)


@pytest.mark.parametrize(
    ("classes", "h", "w", "size", "kind"),
    [
        (21, 16, 16, (512, 512), "noise"),  # upsampling, integer ratio
        (21, 16, 16, (427, 640), "noise"),  # non-integer ratios
        (150, 128, 128, (500, 741), "smooth"),  # SegFormer-b0's logits, a photo's size
        (150, 128, 128, (64, 48), "smooth"),  # downsampling (a tiny photo)
        (5, 7, 9, (7, 9), "noise"),  # same size
        (3, 1, 1, (5, 6), "noise"),  # one logit pixel
        (1, 4, 4, (10, 10), "noise"),  # one class
        (6, 4, 4, (9, 9), "tie"),  # equal logits: argmax takes the first class
    ],
)
def test_upsampled_argmax_equals_dense_upsampling(classes, h, w, size, kind) -> None:
    if kind == "smooth":
        logits = _smooth_logits(classes, h, w, seed=classes + h)
    elif kind == "tie":
        logits = torch.zeros(classes, h, w)
    else:
        logits = torch.randn(classes, h, w, generator=torch.Generator().manual_seed(h * w))
    np.testing.assert_array_equal(upsampled_argmax(logits, size), _dense_argmax(logits, size))


def test_upsampled_argmax_bounds_memory_by_upsampling_in_groups(monkeypatch) -> None:
    from engine.tasks import segmentation as seg_module

    monkeypatch.setattr(seg_module, "_GROUP_ELEMENTS", 3 * 40 * 40)  # three classes per step
    logits = torch.randn(21, 8, 8, generator=torch.Generator().manual_seed(3))
    np.testing.assert_array_equal(upsampled_argmax(logits, (40, 40)), _dense_argmax(logits, (40, 40)))


@pytest.fixture(scope="module")
def segformer():
    return load_segmenter(SEGFORMER)


@pytest.fixture(scope="module")
def plain_segformer():
    """The pipeline a student writes, untouched (the engine's copy is packed for the CPU)."""
    from engine.models.loading import load_pipeline

    return load_pipeline("image-segmentation", SEGFORMER).pipeline


def test_segformer_loads_from_the_models_directory(segformer) -> None:
    from engine.accel import fastcpu

    assert segformer.kind == "semantic"
    assert segformer.applied == () and fastcpu.packed_layers(segformer.model.model) == 0  # measured: no gain
    assert segformer.where == "local"
    assert segformer.labels == tuple(ADE_LABELS)
    assert segformer.stand_in  # the tiny stand-in is not the published 3.8 M-parameter model
    assert type(segformer.model).__name__ == "ImageSegmentationPipeline"


@pytest.mark.parametrize("sample", ["astronaut", "coffee", "motorcycle", "rocket"])
def test_segment_matches_the_pipeline_masks(segformer, plain_segformer, sample: str) -> None:
    """The engine's fast path against the plain `pipeline(...)(image)` a student would write."""
    image = load_sample(sample)
    reference = plain_segformer(image)
    result = segment(segformer, image)
    assert set(result.labels) == {r["label"] for r in reference}
    total = image.width * image.height
    for r in reference:
        expected = np.asarray(r["mask"]) == 255
        mismatched = int(np.count_nonzero(result.mask(r["label"]) != expected))
        assert mismatched <= total * 1e-4, f"{r['label']}: {mismatched} pixels differ"
    assert sum(result.shares().values()) == pytest.approx(1.0, abs=1e-9)
    assert result.size == image.size


def test_segment_refuses_non_images(segformer) -> None:
    with pytest.raises(InvalidImage):
        segment(segformer, np.zeros((4, 4, 3), np.uint8))


def test_segment_converts_other_modes(segformer) -> None:
    grey = load_sample("coffee").convert("L")
    assert segment(segformer, grey).size == grey.size


# --- YOLO11n-seg (instance) ---


@pytest.fixture(scope="module")
def yolo_seg():
    return load_segmenter(YOLO_SEG)


def test_yolo_seg_loads_through_resolve(yolo_seg) -> None:
    assert yolo_seg.kind == "instance"
    assert yolo_seg.where == "local"
    assert len(yolo_seg.labels) == 80 and yolo_seg.labels[0] == "person"
    assert yolo_seg.stand_in  # saved untrained: no training record in the checkpoint


def test_packed_yolo_seg_gives_the_plain_models_raw_outputs(yolo_seg) -> None:
    """Random weights find nothing after NMS, so the raw boxes, mask coefficients and prototypes
    of the engine's packed model are compared with a plain ``YOLO(file)``'s."""
    import ultralytics

    from engine.accel import fastcpu
    from engine.models.resolve import resolve

    plain = ultralytics.YOLO(str(resolve(registry.get(YOLO_SEG)).path), task="segment")
    plain.predict(np.zeros((64, 64, 3), np.uint8), verbose=False)  # sets up and fuses, as the engine's did
    convs = sum(type(m) is torch.nn.Conv2d for m in plain.predictor.model.model.modules())
    assert yolo_seg.applied == ((f"onednn_conv:{convs}",) if fastcpu.available() else ())
    x = torch.rand(1, 3, 480, 640, generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        ours, theirs = yolo_seg.model.predictor.model.model(x), plain.predictor.model.model(x)
    assert fastcpu.packed_layers(plain.predictor.model.model) == 0
    assert fastcpu.outputs_match(ours, theirs)


def test_yolo_seg_random_weights_find_nothing(yolo_seg) -> None:
    result = segment(yolo_seg, load_sample("motorcycle"))
    assert result.kind == "instance" and result.segments == ()
    assert result.shares() == {} and result.covered() == 0.0
    lookup = result.lookup("Person")
    assert (lookup.status, lookup.label, lookup.present) == ("not_in_image", "person", ())
    assert result.lookup("wall").status == "unknown"  # ADE20K has walls; COCO does not


def test_yolo_results_become_instances(yolo_seg) -> None:
    from ultralytics.engine.results import Results

    image = load_sample("motorcycle")
    w, h = image.size
    masks = torch.zeros(2, h, w)
    masks[0, 10:50, 20:80] = 1  # 40 x 60
    masks[1, 30:60, 50:100] = 1  # 30 x 50, 20 x 30 shared
    boxes = torch.tensor([[20, 10, 80, 50, 0.9, 0], [50, 30, 100, 60, 0.8, 3]], dtype=torch.float32)
    result = Results(np.asarray(image)[:, :, ::-1], "photo.jpg", yolo_seg.model.names, boxes=boxes, masks=masks)
    seg = Segmentation.from_ultralytics(result, image.size)
    assert Segmentation.from_ultralytics(result).size == image.size  # the Results' own orig_shape
    with pytest.raises(InvalidInput, match="expected one Results"):
        Segmentation.from_ultralytics([result])
    assert seg.labels == ("person", "motorcycle")
    assert seg.shares() == {"person": 2400 / (w * h), "motorcycle": 1500 / (w * h)}
    assert seg.covered() == pytest.approx((2400 + 1500 - 600) / (w * h))


def test_missing_models_say_how_to_get_them(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("VISION_CACHE_DIR", str(tmp_path / "cache"))
    for model_id in (SEGFORMER, YOLO_SEG):
        with pytest.raises(ModelUnavailable, match="make models"):
            load_segmenter(model_id)


def test_wrong_task_is_refused() -> None:
    with pytest.raises(InvalidInput):
        load_segmenter("ultralytics/yolov8n")


# --- the code shown to students ---


@pytest.mark.slow
@pytest.mark.parametrize(
    ("model_id", "label"),
    [
        (m.id, label)
        for m in registry.models_for("image-segmentation")
        for label in ("person", "bed", 'it\'s "odd"')
        if (m.id, label) != (YOLO_SEG, "person")  # the YOLO cut-out: test_yolo_snippet_runs
    ],
)
def test_code_snippet_runs_and_finds_what_the_engine_finds(
    model_id: str, label: str, segformer, local_hub, tmp_path, monkeypatch
) -> None:
    _run_segmentation_snippet(model_id, label, segformer, local_hub, tmp_path, monkeypatch)


def _run_segmentation_snippet(model_id: str, label: str, segformer, local_hub, tmp_path, monkeypatch) -> bool:
    """Run the page's code as a student would (``python snippet.py`` next to their photo; SegFormer
    downloaded by its Hub id from the local Hub, YOLO's .pt in the folder) and check what it
    prints and saves against the engine on the same photo. Returns whether ``label`` was found.
    SegFormer's code is in Spanish, YOLO's in English (the page's language)."""
    en = model_id == YOLO_SEG
    file_name = "street.jpg" if en else "mi foto.jpg"
    code = code_snippet(model_id, label, file_name, "en" if en else "es")
    cut_png, inverted_png = ("cutout.png", "inverted.png") if en else ("recorte.png", "invertida.png")
    assert f"{'label' if en else 'etiqueta'} = {label!r}" in code and "engine" not in code
    assert "ImageOps.invert" in code
    assert "trust_remote_code" not in code
    student = tmp_path / "student"
    student.mkdir()
    if model_id == SEGFORMER:
        serve(local_hub, SEGFORMER)
        load_sample("astronaut").save(student / file_name)  # the tiny SegFormer finds person and "bed " in it
        engine = segformer
    else:  # random YOLO weights find nothing: a copy whose head says "person" everywhere
        weights = yolo_that_finds(
            TINY_DIR / "ultralytics" / "yolo11n-seg.pt", tmp_path / "models" / "ultralytics" / "yolo11n-seg.pt"
        )
        (student / "yolo11n-seg.pt").write_bytes(weights.read_bytes())
        monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path / "models"))
        load_sample("motorcycle").save(student / file_name)
        engine = load_segmenter(model_id)
    out = run_snippet(code, student)
    photo = Image.open(student / file_name).convert("RGB")
    expected = segment(engine, photo)
    printed = ast.literal_eval(out.splitlines()[0])  # print(nombres) / print([r["label"] ...])
    assert sorted(printed) == sorted(s.label for s in expected.segments), out
    shares = percent_lines(out)  # then each label's share, largest first: the page's table
    assert [label.strip() for label in shares] == [label.strip() for label in expected.shares()], out
    assert list(shares.values()) == pytest.approx(list(expected.shares().values()), abs=0.0006)  # to 0.1 %
    found = expected.lookup(label)
    if found.status != "found":
        assert not (student / cut_png).exists() and not (student / inverted_png).exists()
        if model_id == YOLO_SEG:
            assert f"No {label.strip()} in the image" in out
        return False
    cut = np.asarray(Image.open(student / cut_png))
    inverted = np.asarray(Image.open(student / inverted_png).convert("RGB"))
    pixels = np.asarray(photo)
    assert cut.shape == (photo.height, photo.width, 4)
    alpha = cut[..., 3] == 255
    assert ((cut[..., 3] == 0) | alpha).all()
    mismatched = int(np.count_nonzero(alpha != expected.mask(found.label)))
    assert alpha.sum() > 0 and mismatched <= alpha.size * 1e-4, mismatched  # the engine's mask of the label
    assert (cut[..., :3][alpha] == pixels[alpha]).all()  # the photo, where the label is
    assert (inverted[~alpha] == 255).all() and (inverted[alpha] == pixels[alpha]).all()  # the rest, white
    return True


def test_segformer_snippet_runs_and_cuts_out_the_label(segformer, tmp_path, monkeypatch) -> None:
    """The code in the page, run as a student would (the tiny model in place of the Hub id)."""
    image = load_sample("astronaut")
    label = segment(segformer, image).labels[0]
    image.save(tmp_path / "foto.jpg", quality=95)
    folder = os.environ["VISION_MODELS_DIR"].split(os.pathsep)[0] + "/" + SEGFORMER
    (tmp_path / "snippet.py").write_text(code_snippet(SEGFORMER, label).replace(f'"{SEGFORMER}"', repr(folder)))
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(tmp_path / "snippet.py"))
    inverted = np.asarray(Image.open(tmp_path / "invertida.png"))
    cut = np.asarray(Image.open(tmp_path / "recorte.png"))
    assert cut.shape == (image.height, image.width, 4)
    alpha = cut[..., 3] == 255
    assert 0 < alpha.sum() < alpha.size
    assert (inverted[~alpha] == 255).all()  # everything but the label is white


@pytest.mark.slow
def test_yolo_snippet_runs(segformer, local_hub, tmp_path, monkeypatch) -> None:
    """The YOLO code cuts out every person the engine finds (the "not found" branch is the test above)."""
    assert _run_segmentation_snippet(YOLO_SEG, "person", segformer, local_hub, tmp_path, monkeypatch)
