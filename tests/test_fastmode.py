""" "Modo rápido": the fast copies (bf16, int8) of the real models against their fp32 selves, the
agreement types, and the classification page's toggle (off by default, the comparison when on)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.accel import fastcpu, fastmode
from engine.accel.fastmode import BoxAgreement, ClassAgreement, Comparison, MapAgreement, PixelAgreement, Support
from engine.inputs.samples import load_sample
from engine.tasks import fast
from engine.tasks.classification import classify, load_classifier
from engine.tasks.sketch import load_sketch_model, predict, rasterize
from tests.apptest import assert_no_exception, open_page, texts
from tests.catalog import es, piece
from tests.sketch_shapes import SHAPES, place

BF16 = pytest.mark.skipif("bf16" not in fastmode.support().modes, reason="this CPU has no bf16 kernels")
INT8 = pytest.mark.skipif("int8" not in fastmode.support().modes, reason="this torch has no int8 engine")


@pytest.fixture(scope="module")
def lite0():
    return load_classifier("efficientnet-lite0")


@pytest.fixture(scope="module")
def sketch(shared_models):
    return load_sketch_model()


@pytest.fixture(scope="module")
def yolo(shared_models):
    from engine.tasks.detection import load_detector

    return load_detector("ultralytics/yolov8n")


def _drawing(shape: str) -> np.ndarray:
    return rasterize(place(SHAPES[shape], x=40, y=60, size=150, seed=0, wobble=0.01))  # as the page tests draw


def test_support_follows_the_cpu_flags_and_torch() -> None:
    flags = fastmode._cpu_flags()
    support = fastmode.support()
    has_bf16 = bool(flags & set(fastmode.BF16_FLAGS)) and torch.ops.mkldnn._is_mkldnn_bf16_supported()
    assert ("bf16" in support.modes) == has_bf16
    assert ("int8" in support.modes) == bool({"x86", "fbgemm"} & set(torch.backends.quantized.supported_engines))
    assert set(support.why_not) == {"bf16", "int8"} - set(support.modes)
    assert not Support.from_flags(set(), bf16_kernels=True, int8_engines=("none",)).any


@BF16
def test_bf16_keeps_efficientnet_lite0s_top1_with_a_small_but_real_score_difference(lite0) -> None:
    packed = fastcpu.packed_layers(lite0.model)
    before = classify(lite0, load_sample("cat"), top_k=5)
    copy = fast.fast_model(lite0, "bf16")
    assert copy.mode == "bf16" and copy.applied.startswith("bf16_weights+onednn_")  # packed for bf16 kernels
    # Half the bytes of the fp32 weights (EfficientNet-Lite0: 4.7 M parameters, about 18 MB in fp32).
    assert 7 < copy.extra_mb < 11
    for sample, expected in [("cat", "tabby"), ("coffee", "espresso")]:
        result, comparison = fast.classify_compared(lite0, copy, load_sample(sample), top_k=3)
        assert expected in result.top[0] and len(result) == 3
        agreement = comparison.agreement
        assert isinstance(agreement, ClassAgreement) and agreement.same_top1 and agreement.top_k == 5
        assert 1e-5 < agreement.max_score_diff < 0.05  # bf16 rounds: close, never bit-identical
        assert comparison.fp32_ms > 0 and comparison.fast_ms > 0 and comparison.extra_mb == copy.extra_mb
    # The fp32 model is untouched: still packed, the same numbers to the bit.
    assert fastcpu.packed_layers(lite0.model) == packed
    assert classify(lite0, load_sample("cat"), top_k=5) == before


def test_a_cnn_is_offered_bf16_only_and_the_sketch_cnn_int8_too(lite0, sketch) -> None:
    assert fastmode.candidates(lite0.model, ("bf16", "int8")) == ("bf16",)  # one classifier layer of 1.3 M weights
    assert fastmode.linear_share(sketch.module) > fastmode.LINEAR_SHARE_FOR_INT8
    assert fastmode.candidates(sketch.module, ("bf16", "int8")) == ("bf16", "int8")


@INT8
@pytest.mark.parametrize("mode", ["bf16", "int8"])
def test_the_sketch_cnn_in_a_fast_mode_guesses_the_same_shapes(sketch, mode) -> None:
    if mode == "bf16" and "bf16" not in fastmode.support().modes:
        pytest.skip("this CPU has no bf16 kernels")
    copy = fast.fast_model(sketch, mode)
    if mode == "int8":
        assert copy.applied == "int8_dynamic_linear:2"
        assert copy.extra_mb < 0.5 * fastmode.module_mb(fastmode.unpacked_copy(sketch.module))
    for shape in ("circle", "triangle", "star"):
        x = _drawing(shape)
        result, comparison = fast.predict_compared(sketch, copy, x, top_k=5)
        assert result.top[0] == predict(sketch, x).top[0] == shape
        assert comparison.agreement.same_top1 and comparison.agreement.max_score_diff < 0.05


@BF16
def test_yolov8n_in_bf16_finds_the_same_boxes_and_gives_the_fp32_network_back(yolo) -> None:
    from engine.tasks.detection import detect

    copy = fast.fast_model(yolo, "bf16")
    network = yolo.model.predictor.model.backend.model
    before = detect(yolo, load_sample("astronaut"), threshold=0.25)
    boxes, comparison = fast.detect_compared(yolo, copy, load_sample("astronaut"), threshold=0.25)
    agreement = comparison.agreement
    assert isinstance(agreement, BoxAgreement)
    assert agreement.same_count and agreement.same_labels and agreement.matched == len(before) >= 1
    assert 0.95 < agreement.mean_iou < 1.0  # bf16 moves the boxes by a fraction of a pixel
    assert yolo.model.predictor.model.backend.model is network  # swapped back
    after = detect(yolo, load_sample("astronaut"), threshold=0.25)
    assert np.array_equal(after.xyxy, before.xyxy) and after.class_name == before.class_name
    assert boxes.class_name == before.class_name


def test_prepare_keeps_a_copy_only_when_it_is_faster(lite0, monkeypatch) -> None:
    run = fast._example_run(lite0)
    monkeypatch.setattr(fastmode, "KEEP_IF_RATIO_BELOW", 0.0)  # nothing can be that fast
    assert fastmode.prepare(lite0.model, run, runs=1) is None
    assert fastmode.prepare(lite0.model, run, modes=(), runs=1) is None
    if fastmode.support().any:
        monkeypatch.setattr(fastmode, "KEEP_IF_RATIO_BELOW", 100.0)
        kept = fastmode.prepare(lite0.model, run, runs=1)
        assert kept is not None and kept.mode in fastmode.support().modes


def test_remote_and_unknown_models_have_no_fast_mode() -> None:
    from engine.errors import InvalidInput

    assert not fast.supported(object())
    with pytest.raises(InvalidInput) as info:
        fast.fast_model(object())
    assert info.value.code == "fast_unsupported"


def test_box_agreement_matches_by_label_and_iou() -> None:
    a = BoxAgreement.from_boxes([(0, 0, 10, 10), (20, 20, 30, 30)], ["cat", "dog"], [(0, 0, 10, 10)], ["dog"])
    assert (a.matched, a.same_count, a.same_labels, a.mean_iou) == (0, False, False, 0.0)
    none = BoxAgreement.from_boxes([], [], [], [])
    assert none.same_count and none.mean_iou == 1.0 and none.matched == 0
    far = BoxAgreement.from_boxes([(0, 0, 10, 10)], ["cat"], [(8, 8, 18, 18)], ["cat"])
    assert far.matched == 0 and far.same_labels


def test_pixel_agreement_and_the_comparison_rows() -> None:
    masks = np.zeros((4, 4), dtype=np.int64), np.eye(4, dtype=np.int64)
    assert PixelAgreement.from_masks(*masks).agreement == 0.75
    with pytest.raises(ValueError):
        PixelAgreement.from_masks(np.zeros((2, 2)), np.zeros((2, 3)))
    c = Comparison.from_times("int8", 10.0, 8.0, PixelAgreement.from_masks(*masks), extra_mb=1.234)
    assert c.speedup == 1.25 and c.extra_mb == 1.23
    assert c.to_csv().splitlines() == [
        "measure,value",
        "fp32_ms,10.0",
        "int8_ms,8.0",
        "speedup,1.25",
        "pixel_agreement,0.75",
        "extra_mb,1.23",
    ]
    assert '"mode": "int8"' in c.to_json()


# --- the page ---


def test_the_toggle_is_off_by_default_and_the_page_is_fp32() -> None:
    at = open_page("pages/classification.py")
    toggle = at.toggle(key="cls_fast")
    assert toggle.value is False and toggle.label == es("fastmode.toggle")
    assert toggle.disabled == (not fastmode.support().any)
    assert at.metric[0].label == es("classification.top") and at.metric[0].value == "tabby, tabby cat"
    assert piece("fastmode.time") not in texts(at)


@BF16
@pytest.mark.parametrize("lang", ["es", "en"])
def test_fast_mode_shows_its_result_its_time_and_its_agreement(monkeypatch, lang) -> None:
    from ui.i18n import translate

    monkeypatch.setattr(fastmode, "KEEP_IF_RATIO_BELOW", 100.0)  # kept whatever a busy machine measures
    at = open_page("pages/classification.py", lang=lang, cls_fast=True)  # the toggle switched on
    assert at.metric[0].label == translate("fastmode.result", lang, mode="bf16")
    assert at.metric[0].value == "tabby, tabby cat"
    body = "\n".join(md.value for md in at.markdown)
    assert translate("fastmode.top1_same", lang) in body
    assert piece("fastmode.time", lang) in body and piece("fastmode.max_diff", lang) in body
    assert "bf16" in body and "fp32" in body
    assert translate("fastmode.explain_bf16", lang) in [c.value for c in at.caption]
    # The deliverable keeps the run shown, saying it was bf16 (its script reproduces fp32's numbers).
    [(_, entry)] = at.session_state["deliverable_classification"].values()
    assert entry.settings == {"top_k": 5, "mode": "bf16"} and entry.rows[0]["label"] == "tabby, tabby cat"


def test_a_cpu_without_fast_modes_disables_the_toggle_and_says_why(monkeypatch) -> None:
    none = Support.from_flags(set(), bf16_kernels=False, int8_engines=())
    monkeypatch.setattr(fastmode, "support", lambda: none)
    at = open_page("pages/classification.py")
    assert at.toggle(key="cls_fast").disabled
    assert es("fastmode.unsupported") in [c.value for c in at.caption]


# --- the benchmark ---


def test_bench_fast_writes_its_stamped_section_next_to_the_other_results(tmp_path, shared_models) -> None:
    import json

    from bench.fast import cli
    from bench.run import RESULTS

    out = tmp_path / "results.json"
    assert cli(["--quick", "--models", "nateraw/quickdraw", "--runs", "2", "--out", str(out)]) == 0
    payload, committed = json.loads(out.read_text()), json.loads(RESULTS.read_text())
    assert payload["models"] == committed["models"]  # the rest of the file as it was
    section = payload["fast_mode"]
    [row] = [r for r in section["models"] if r["id"] == "nateraw/quickdraw"]
    assert row["status"] == "ok" and row["weights"] == "real" and row["fp32_forward_ms"] > 0
    assert row["measured"]["cpu"]["model"] and row["measured"]["load_average_start"]  # its own stamp
    others = [r for r in committed.get("fast_mode", {}).get("models", []) if r["id"] != "nateraw/quickdraw"]
    assert [r for r in section["models"] if r["id"] != "nateraw/quickdraw"] == others  # merged, not replaced
    for mode in fastmode.candidates(load_sketch_model().module):
        agreement = row["modes"][mode]["agreement"]
        assert agreement["same_top1"] == agreement["inputs"] == 3


@BF16
def test_detection_fast_mode_shows_the_bf16_boxes_beside_fp32s(monkeypatch, shared_models) -> None:
    monkeypatch.setenv("VISION_FAST_MODE", "bf16")  # the bf16 copy whatever a busy machine measures
    at = open_page("pages/detection.py")
    toggle = at.toggle(key="det_fast")
    assert toggle.value is False and piece("fastmode.time") not in texts(at)
    toggle.set_value(True).run()
    assert not at.exception
    body = texts(at)
    assert "##### " + es("fastmode.result", mode="bf16") in body
    assert piece("fastmode.time") in body and piece("fastmode.boxes") in body
    assert es("fastmode.labels_same") in body  # the coffee cup, in bf16 as in fp32
    assert es("fastmode.explain_bf16") in body
    assert len(at.get("imgs")) >= 2 or len(at.get("image")) >= 2  # the fp32 boxes and the bf16 ones


@INT8
def test_pictionary_fast_mode_guesses_the_drawing_and_says_what_it_costs(canvas, monkeypatch) -> None:
    monkeypatch.setenv("VISION_FAST_MODE", "int8")  # the sketch CNN's linear layers hold most of its weights
    canvas.draw("triangle", x=250, y=230, size=90)
    at = open_page("pages/pictionary.py")
    assert at.toggle(key="pic_fast").value is False and piece("fastmode.time") not in texts(at)
    at.toggle(key="pic_fast").set_value(True).run()
    assert not at.exception
    body = texts(at)
    assert f"**{es('fastmode.result', mode='int8')}:** triangle" in body
    assert es("fastmode.top1_same") in body and piece("fastmode.max_diff") in body
    assert es("fastmode.explain_int8") in body


@BF16
@pytest.mark.parametrize("model_id", ["nvidia/segformer-b0-finetuned-ade-512-512", "ultralytics/yolo11n-seg"])
def test_segmentation_in_bf16_agrees_pixel_by_pixel_and_leaves_fp32_alone(model_id) -> None:
    from engine.tasks.segmentation import fit_for_segmentation, load_segmenter, segment

    segmenter = load_segmenter(model_id)  # tests/tiny's stand-ins: random weights, real layers
    image = fit_for_segmentation(load_sample("astronaut"))
    before = fastmode.label_map(segment(segmenter, image))
    copy = fast.fast_model(segmenter, "bf16")
    found, comparison = fast.segment_compared(segmenter, copy, image, runs=1)
    assert isinstance(comparison.agreement, PixelAgreement)
    assert comparison.agreement.pixels == image.width * image.height
    assert 0.9 < comparison.agreement.agreement <= 1.0
    assert found.size == image.size
    assert np.array_equal(fastmode.label_map(segment(segmenter, image)), before)  # fp32 as it was


@BF16
def test_segmentation_fast_mode_shows_the_bf16_segments_and_the_pixel_agreement(monkeypatch) -> None:
    monkeypatch.setenv("VISION_FAST_MODE", "bf16")
    at = open_page("pages/segmentation.py")
    assert at.toggle(key="seg_fast").value is False and piece("fastmode.pixels") not in texts(at)
    at.toggle(key="seg_fast").set_value(True).run()
    assert_no_exception(at)
    body = texts(at)
    assert f"**{es('fastmode.result', mode='bf16')}**" in body
    assert piece("fastmode.time") in body and piece("fastmode.pixels") in body
    assert es("fastmode.explain_bf16") in body


@pytest.mark.parametrize(
    ("fp32", "fast", "correlation", "mean_diff"),
    [
        ([[0.0, 1.0], [2.0, 3.0]], [[0.0, 1.0], [2.0, 3.0]], 1.0, 0.0),  # the same map
        ([[0.0, 1.0], [2.0, 3.0]], [[0.0, 2.0], [4.0, 6.0]], 1.0, 0.5),  # scaled: follows, but off by half the range
        ([[0.0, 1.0], [2.0, 3.0]], [[3.0, 2.0], [1.0, 0.0]], -1.0, 2 / 3),  # near and far swapped
        ([[5.0, 5.0]], [[5.0, 5.0]], 1.0, 0.0),  # flat and equal
        ([[5.0, 5.0]], [[5.0, 6.0]], 0.0, 1.0),  # flat fp32, a fast map that moves
    ],
)
def test_map_agreement(fp32, fast, correlation, mean_diff) -> None:
    a = MapAgreement.from_maps(np.array(fp32), np.array(fast))
    assert a.correlation == pytest.approx(correlation) and a.mean_diff == pytest.approx(mean_diff)
    assert [r["measure"] for r in a.rows()] == ["correlation", "mean_diff_of_range"]
    with pytest.raises(ValueError, match="different shapes"):
        MapAgreement.from_maps(np.zeros((2, 2)), np.zeros((2, 3)))


@BF16
@pytest.mark.parametrize(
    "model_id", ["depth-anything/Depth-Anything-V2-Small-hf", "Intel/dpt-hybrid-midas", "vinvino02/glpn-nyu"]
)
def test_depth_in_bf16_follows_the_fp32_map_and_leaves_fp32_alone(model_id) -> None:
    from engine.tasks.depth import estimate_depth, fit_for_depth, load_depth_estimator

    estimator = load_depth_estimator(model_id)  # tests/tiny's stand-ins: random weights, real layers
    image = fit_for_depth(load_sample("coffee"))
    before = estimate_depth(estimator, image).values
    copy = fast.fast_model(estimator, "bf16")
    found, comparison = fast.depth_compared(estimator, copy, image, runs=1)
    assert isinstance(comparison.agreement, MapAgreement)
    assert found.size == image.size and comparison.agreement.pixels == image.width * image.height
    # Random tiny weights give a weak map (tiny GLPN: correlation 0.85 here): real ones follow closer.
    assert comparison.agreement.correlation > 0.7 and comparison.agreement.mean_diff < 0.15
    assert not np.array_equal(found.values, before)  # really another numeric mode
    assert np.array_equal(estimate_depth(estimator, image).values, before)  # fp32 as it was
    tiny = estimate_depth(estimator, load_sample("coffee").resize((3, 40)), module=copy.module)
    assert tiny.size == (3, 40)  # a tiny photo goes through the fast copy as through fp32


@BF16
def test_depth_fast_mode_shows_the_bf16_map_and_how_it_follows_fp32(monkeypatch) -> None:
    monkeypatch.setenv("VISION_FAST_MODE", "bf16")
    at = open_page("pages/depth.py")
    assert at.toggle(key="depth_fast").value is False and piece("fastmode.depth") not in texts(at)
    at.toggle(key="depth_fast").set_value(True).run()
    assert_no_exception(at)
    body = texts(at)
    assert f"**{es('fastmode.result', mode='bf16')}**" in body
    assert piece("fastmode.time") in body and piece("fastmode.depth") in body
    assert len(at.dataframe) == 1  # the fp32 map's table stays the page's only one


@BF16
@pytest.mark.parametrize("model_id", ["facebook/detr-resnet-50", "hustvl/yolos-small"])
def test_detr_and_yolos_in_bf16_run_the_pipelines_steps_and_leave_fp32_alone(model_id) -> None:
    from engine.tasks.detection import detect, load_detector

    detector = load_detector(model_id)  # tests/tiny's stand-ins: random weights, real layers
    image = load_sample("astronaut")
    before = detect(detector, image, threshold=0.0).rows()
    copy = fast.fast_model(detector, "bf16")
    assert copy is not None and copy.module is not detector.model.model
    found, comparison = fast.detect_compared(detector, copy, image, runs=1, threshold=0.0)
    assert isinstance(comparison.agreement, BoxAgreement)
    assert comparison.agreement.fp32_count == len(before) and comparison.agreement.fast_count == len(found)
    assert len(found) > 0  # at threshold 0 every query's box is kept: really compared
    assert detect(detector, image, threshold=0.0).rows() == before  # fp32 as it was


@BF16
def test_a_detr_page_shows_its_fast_boxes_beside_fp32s(monkeypatch) -> None:
    monkeypatch.setenv("VISION_FAST_MODE", "bf16")
    at = open_page("pages/detection.py", det_model="facebook/detr-resnet-50", det_fast=True)  # tests/tiny's DETR
    assert_no_exception(at)
    body = texts(at)
    assert es("fastmode.not_this_model", model="facebook/detr-resnet-50") not in body
    assert piece("fastmode.time") in body and piece("fastmode.boxes") in body


@BF16
def test_making_the_fast_copy_waits_its_turn_in_the_fair_queue(monkeypatch) -> None:
    """Timing the candidate modes takes seconds: it runs as a job of the server's queue (kind
    ``fast:<id>``, so the model's own wait estimates stay its calls'), not beside the class's."""
    from ui.models import model_cache
    from ui.queue import inference_queue

    monkeypatch.setattr(fastmode, "KEEP_IF_RATIO_BELOW", 100.0)
    queue = inference_queue()
    kinds: list[str] = []
    submit = queue.submit
    monkeypatch.setattr(queue, "submit", lambda key, kind, fn, **kw: kinds.append(kind) or submit(key, kind, fn, **kw))
    model_cache.clear()  # an earlier test may have made the fast copy already
    try:
        at = open_page("pages/classification.py", cls_fast=True)
        assert at.metric[0].label == es("fastmode.result", mode="bf16")
        assert kinds[:2] == ["fast:efficientnet-lite0", "efficientnet-lite0"]  # the copy first, then the call
        at.run()  # a rerun: the copy is kept, nothing is made again
        assert kinds.count("fast:efficientnet-lite0") == 1
    finally:
        model_cache.clear()
