"""The one stand-in rule (engine.models.provenance): tiny and random-init models are flagged, the real
weights on this machine are not, and what is counted is what is really there."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from engine.models import provenance, registry
from engine.models.provenance import Footprint, judge, on_disk
from tests.conftest import TINY_DIR

VIT = registry.get("google/vit-base-patch16-224")  # 86.6 M parameters, 346 MB published


@pytest.mark.parametrize(
    ("params_m", "size_mb", "stand_in", "reason"),
    [
        (86.6, None, False, ""),  # the published count
        (80.0, None, False, ""),  # a head of another size: still the model
        (0.02, None, True, "too_small"),  # a tiny random model
        (43.0, None, True, "too_small"),  # under half
        (200.0, None, True, "too_large"),  # over twice
        (None, 346.0, False, ""),  # only bytes known: compared with the published size
        (None, 0.4, True, "too_small"),
        (None, None, False, ""),  # nothing known (a Hub model not downloaded): not flagged
        (0.02, 346.0, True, "too_small"),  # parameters win over bytes
    ],
)
def test_the_rule(params_m, size_mb, stand_in, reason) -> None:
    got = judge(VIT, params_m=params_m, size_mb=size_mb)
    assert (got.stand_in, got.reason) == (stand_in, reason)
    assert (got.params_m, got.size_mb) == (params_m, size_mb)


def test_a_benchmark_marker_or_an_untrained_checkpoint_is_random_init_whatever_its_size(tmp_path: Path) -> None:
    folder = tmp_path / "vit"
    folder.mkdir()
    assert not judge(VIT, params_m=86.6, location=folder).stand_in
    (folder / provenance.RANDOM_INIT_MARKER).write_text("{}")
    assert judge(VIT, params_m=86.6, location=folder).reason == "random_init"
    weights = tmp_path / "yolo11n.pt"
    weights.write_bytes(b"x")
    assert not judge(registry.get("ultralytics/yolo11n"), location=weights).stand_in
    weights.with_name("yolo11n.pt" + provenance.RANDOM_INIT_SUFFIX).write_text("{}")
    assert judge(registry.get("ultralytics/yolo11n"), location=weights).reason == "random_init"
    assert judge(VIT, params_m=86.6, untrained=True).reason == "random_init"


def test_the_benchmark_writes_the_marker_the_engine_reads() -> None:
    from bench import models as bench_models

    assert (bench_models.MARKER, bench_models.MARKER_SUFFIX) == (
        provenance.RANDOM_INIT_MARKER,
        provenance.RANDOM_INIT_SUFFIX,
    )


def test_safetensors_parameters_are_counted_from_the_header_alone(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    path = tmp_path / "model.safetensors"
    save_file({"a": np.zeros((3, 4), np.float32), "b": np.zeros((5,), np.float16)}, str(path))
    assert provenance.safetensors_params(path) == 17
    (tmp_path / "pytorch_model.bin").write_bytes(b"\0" * 10_000)  # the same weights pickled: not counted twice
    got = on_disk(VIT, tmp_path)
    assert got.params_m == pytest.approx(17e-6)
    assert got.size_mb == pytest.approx(path.stat().st_size / 1e6)
    assert got.stand_in
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\xff" * 16)
    assert provenance.safetensors_params(bad) is None


def test_a_folder_without_weights_is_judged_on_nothing(tmp_path: Path) -> None:
    assert on_disk(VIT, tmp_path) == Footprint()


def test_footprint_text_and_wire_round_trip() -> None:
    got = Footprint(params_m=0.0213, size_mb=86.64, stand_in=True, reason="too_small")
    assert got.text() == "0.021 M · 86.6 MB"
    assert Footprint.from_dict(got.as_dict()) == got
    assert Footprint.from_dict({"reason": "<script>", "params_m": "x"}) == Footprint()
    assert Footprint().text() == "— · —"


def _tiny_ids() -> list[str]:
    from tests.tiny import builders

    return sorted(builders())


@pytest.mark.parametrize("model_id", _tiny_ids())
def test_every_tiny_model_on_disk_is_a_stand_in(model_id: str) -> None:
    spec = registry.get(model_id)
    if spec.source == "ultralytics":  # a full-size architecture saved untrained: no training record
        got = on_disk(spec, TINY_DIR / "ultralytics" / spec.file)
        assert (got.stand_in, got.reason) == (True, "random_init"), (model_id, got)
        return
    got = on_disk(spec, TINY_DIR / model_id)
    assert got.stand_in, (model_id, got)
    assert got.params_m is not None and got.params_m < spec.params_m / 2


def test_the_real_weights_here_are_not_stand_ins(shared_models: Path) -> None:
    """The real files in ../shared/models, judged on disk (the .pt by its bytes)."""
    judged = {}
    for model_id in ("ultralytics/yolov8n", "nateraw/quickdraw"):
        spec = registry.get(model_id)
        location = shared_models / ("ultralytics/yolov8n.pt" if spec.source == "ultralytics" else model_id)
        judged[model_id] = on_disk(spec, location)
    assert not any(f.stand_in for f in judged.values()), judged
    assert judged["ultralytics/yolov8n"].size_mb == pytest.approx(6.5, rel=0.1)


def test_loaded_real_models_count_their_parameters(shared_models: Path) -> None:
    from engine.tasks.classification import load_classifier
    from engine.tasks.detection import load_detector
    from engine.tasks.sketch import load_sketch_model

    yolo = load_detector("ultralytics/yolov8n")
    assert not yolo.stand_in
    assert yolo.footprint.params_m == pytest.approx(3.15, rel=0.02)  # YOLOv8n: 3.15 M parameters
    sketch = load_sketch_model()
    assert not sketch.stand_in and sketch.footprint.params_m == pytest.approx(
        registry.get(sketch.model_id).params_m, rel=0.3
    )
    default = next(s for s in registry.models_for("image-classification") if s.source == "embedded")
    classifier = load_classifier(default.id)
    assert not classifier.stand_in, classifier.footprint
    assert classifier.footprint.params_m == pytest.approx(default.params_m, rel=0.1)


def test_a_loaded_tiny_model_is_flagged_with_its_real_count() -> None:
    from engine.tasks.classification import load_classifier

    vit = load_classifier(VIT.id)
    assert vit.stand_in and vit.footprint.reason == "too_small"
    assert vit.footprint.params_m == pytest.approx(
        sum(p.numel() for p in vit.pipeline.model.parameters()) / 1e6, rel=0.05
    )


def test_the_marker_json_is_what_bench_writes(tmp_path: Path) -> None:
    from bench import models as bench_models

    bench_models.write_marker(tmp_path, VIT.id)
    assert json.loads((tmp_path / provenance.RANDOM_INIT_MARKER).read_text())["weights"] == "random-init"
    assert judge(VIT, params_m=86.6, location=tmp_path).stand_in
