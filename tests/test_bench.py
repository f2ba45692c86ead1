"""The benchmark's own logic (statistics, rows, stand-ins, results file, CLI) and the classification
speed-ups it measures (same results as the plain pipeline). Tiny models, one or two runs; timings
are produced by `make bench`, never asserted here."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench import models as bench_models
from bench import run as bench
from bench.run import Row, Settings, Timing, paired_ratio, percentile, ratio_interval, runs_for
from engine.inputs.samples import load_sample
from engine.models import registry

ONE_RUN = Settings(runs=1, min_runs=1, seed_runs=1, budget_s=1.0, flops=True)


# --- statistics ---


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5.0], 90, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
        ([1.0, 2.0, 3.0, 4.0], 90, 3.7),
        ([4.0, 1.0, 3.0, 2.0], 90, 3.7),  # order does not matter
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 90, 9.1),
        ([10.0, 20.0], 0, 10.0),
        ([10.0, 20.0], 100, 20.0),
    ],
)
def test_percentile_interpolates_like_numpy(values: list[float], q: float, expected: float) -> None:
    import numpy as np

    assert percentile(values, q) == pytest.approx(expected)
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)


def test_timing_summarises_runs() -> None:
    t = Timing.of([10.0, 30.0, 20.0, 100.0])
    assert (t.median, t.n) == (25.0, 4)
    assert t.p90 == pytest.approx(79.0)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([9.0, 18.0, 10.0], [10.0, 20.0, 10.0], 0.9),
        ([5.0], [10.0], 0.5),
        ([30.0, 10.0, 10.0], [10.0, 10.0, 10.0], 1.0),  # one noisy pair does not move the median
    ],
)
def test_paired_ratio_is_the_median_of_side_by_side_ratios(a: list[float], b: list[float], expected: float) -> None:
    assert paired_ratio(a, b) == pytest.approx(expected)


def test_paired_ratio_needs_pairs() -> None:
    with pytest.raises(ValueError):
        paired_ratio([1.0, 2.0], [1.0])


def test_ratio_interval_brackets_the_median_and_widens_with_noise() -> None:
    steady = ratio_interval([9.0] * 7, [10.0] * 7)
    assert steady == (0.9, 0.9)
    noisy_a = [8.0, 9.0, 10.0, 9.0, 11.0, 8.5, 9.5]
    lo, hi = ratio_interval(noisy_a, [10.0] * 7)
    assert lo < paired_ratio(noisy_a, [10.0] * 7) < hi
    assert (lo, hi) == ratio_interval(noisy_a, [10.0] * 7)  # seeded: the same runs give the same interval
    assert lo >= 0.8 and hi <= 1.1
    wide = ratio_interval([5.0, 9.0, 14.0, 9.0, 20.0, 6.0, 9.5], [10.0] * 7)
    assert wide[1] - wide[0] > hi - lo
    with pytest.raises(ValueError):
        ratio_interval([1.0], [0.0])


@pytest.mark.parametrize(
    ("call_s", "budget_s", "expected"),
    [(0.01, 10.0, 15), (1.0, 10.0, 10), (4.0, 10.0, 3), (100.0, 10.0, 3), (0.0, 10.0, 15)],
)
def test_runs_fit_the_budget_within_bounds(call_s: float, budget_s: float, expected: int) -> None:
    assert runs_for(call_s, budget_s, 3, 15) == expected


# --- rows and the task table ---


def test_every_registry_model_has_a_row_and_clip_a_matrix_row() -> None:
    rows = bench.rows_for()
    assert {r.model_id for r in rows} == {m.id for m in registry.MODELS}
    clip = [m.id for m in registry.models_for("zero-shot-image-classification")]
    assert {r.model_id for r in rows if r.call == "matrix"} == set(clip)
    assert all(r.call in {"", *bench.CALLS} for r in rows)


def test_every_task_has_a_bench_entry() -> None:
    assert set(bench.TASKS) == set(registry.TASKS)


@pytest.mark.parametrize("key", ["efficientnet-lite0", "openai/clip-vit-base-patch32#matrix"])
def test_row_keys_round_trip(key: str) -> None:
    assert Row.parse(key).key == key


def test_rows_can_be_limited_to_models_and_tasks() -> None:
    assert [r.key for r in bench.rows_for(["microsoft/resnet-50"])] == ["microsoft/resnet-50"]
    rows = bench.rows_for(tasks=["image-classification"])
    assert {registry.get(r.model_id).task for r in rows} == {"image-classification"}


def test_a_task_without_its_engine_module_is_skipped_with_the_reason(monkeypatch) -> None:
    entry = bench.TASKS["image-classification"]
    fake = bench.TaskBench("engine.not_written_yet", entry.needs, entry.make)
    monkeypatch.setitem(bench.TASKS, "image-classification", fake)
    assert "engine.not_written_yet is not built yet" in bench.missing_engine("image-classification")
    result = bench.measure(Row("efficientnet-lite0"), ONE_RUN)
    assert result["status"] == "skipped"
    assert all(key in result for key in bench.REQUIRED_FIELDS)


def test_a_module_missing_a_function_is_named(monkeypatch) -> None:
    entry = bench.TASKS["image-classification"]
    fake = bench.TaskBench(entry.module, (*entry.needs, "no_such_function"), entry.make)
    monkeypatch.setitem(bench.TASKS, "image-classification", fake)
    assert "no_such_function" in bench.missing_engine("image-classification")


def test_existing_pages_follow_the_menu_and_leave_home_out() -> None:
    pages = bench.existing_pages()
    assert "pages/classification.py" in pages
    assert "pages/home.py" not in pages
    assert all((bench.ROOT / p).is_file() for p in pages)


# --- stand-ins and the random-init marking ---


def _tiny_builders(*ids: str) -> dict:
    from tests.tiny import builders

    return {i: builders()[i] for i in ids}


@pytest.fixture
def stand_ins(tmp_path: Path, monkeypatch) -> Path:
    """A bench models dir with a tiny ViT built by the benchmark's own build() (so it is marked)."""
    root = tmp_path / "bench-models"
    monkeypatch.setenv("VISION_MODELS_DIR", os.pathsep.join([str(root)]))
    done = bench_models.build(
        ["google/vit-base-patch16-224", "efficientnet-lite0"],
        root,
        _tiny_builders("google/vit-base-patch16-224"),
        log=lambda _: None,
    )
    assert done == {"google/vit-base-patch16-224": "built", "efficientnet-lite0": "real"}
    return root


def test_built_models_are_marked_random_init_and_kept(stand_ins: Path) -> None:
    folder = stand_ins / "google" / "vit-base-patch16-224"
    assert (folder / "config.json").is_file()
    assert bench_models.marker_of(folder)["weights"] == "random-init"
    assert bench.weights_of(str(folder)) == "random-init"
    again = bench_models.build(["google/vit-base-patch16-224"], stand_ins, {}, log=lambda _: None)
    assert again == {"google/vit-base-patch16-224": "kept"}


def test_real_weights_are_not_marked(tmp_path: Path) -> None:
    from engine.models.embedded import prepare

    assert bench.weights_of(str(prepare())) == "real"
    assert bench.weights_of(str(tmp_path / "nothing-here")) == "real"


def test_ultralytics_markers_sit_beside_the_file(tmp_path: Path) -> None:
    target = tmp_path / "ultralytics" / "yolo11n.pt"
    target.parent.mkdir()
    target.write_bytes(b"x")
    bench_models.write_marker(target, "ultralytics/yolo11n")
    assert bench_models.marker_path(target).name == "yolo11n.pt.bench.json"
    assert bench_models.marker_of(target)["id"] == "ultralytics/yolo11n"


def test_a_stale_stand_in_is_removed_once_real_weights_exist(stand_ins: Path, monkeypatch) -> None:
    spec = registry.get("google/vit-base-patch16-224")
    monkeypatch.setattr(bench_models, "has_real_weights", lambda s, root: s.id == spec.id)
    done = bench_models.build([spec.id], stand_ins, {}, log=lambda _: None)
    assert done == {spec.id: "real"}
    assert not bench_models.target_of(spec, stand_ins).exists()


def test_models_without_a_builder_say_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    done = bench_models.build(["microsoft/resnet-50"], tmp_path, {}, log=lambda _: None)
    assert done == {"microsoft/resnet-50": "no builder"}


def test_every_model_has_real_weights_here_or_a_full_size_builder() -> None:
    for spec in registry.MODELS:
        assert spec.source == "embedded" or spec.id in bench_models.BUILDERS, spec.id


# --- measuring a row (in this process, tiny models) ---


def test_measure_gives_every_field_for_a_random_init_model(stand_ins: Path) -> None:
    result = bench.measure(Row("google/vit-base-patch16-224"), ONE_RUN)
    assert result["status"] == "ok", result
    assert result["weights"] == "random-init"
    for key in ("engine_ms", "plain_ms", "seed_style_ms", "load_s", "rss_mb", "gflops"):
        assert result[key] > 0, key
    assert result["params"] == sum(p.numel() for p in _tiny_vit_params(stand_ins))
    # the engine and the plain pipeline do the same work: same FLOPs
    assert result["gflops"] == pytest.approx(result["plain_gflops"])
    assert result["target"] == bench.TASKS["image-classification"].target
    assert result["meets_target"] == (result["engine_vs_plain"] <= result["target"])
    low, high = result["engine_vs_plain_ci90"]
    assert low <= result["engine_vs_plain"] <= high


def _tiny_vit_params(root: Path) -> list:
    from transformers import ViTForImageClassification

    return list(ViTForImageClassification.from_pretrained(root / "google" / "vit-base-patch16-224").parameters())


def test_measure_marks_real_weights() -> None:
    result = bench.measure(Row("efficientnet-lite0"), ONE_RUN)
    assert result["status"] == "ok"
    assert result["weights"] == "real"
    assert result["params_m"] == pytest.approx(registry.get("efficientnet-lite0").params_m, rel=0.05)


def test_flops_of_a_linear_layer() -> None:
    import torch

    layer = torch.nn.Linear(10, 20)
    assert bench.count_flops(lambda: layer(torch.ones(3, 10))) == 2 * 3 * 10 * 20


def test_torch_module_is_found_inside_wrappers() -> None:
    from dataclasses import dataclass

    import torch

    @dataclass(frozen=True)
    class Wrapped:
        module: torch.nn.Module

    inner = torch.nn.Linear(2, 3)
    assert bench.torch_module(Wrapped(inner)) is inner
    assert bench.count_params(Wrapped(inner)) == 9
    assert bench.torch_module(object()) is None


# --- results file and table ---


def _entry(**over) -> dict:
    base = {
        "id": "efficientnet-lite0",
        "call": "",
        "status": "ok",
        "weights": "real",
        "engine_ms": 10.0,
        "plain_ms": 14.0,
        "seed_style_ms": 900.0,
        "load_s": 0.5,
        "rss_mb": 700.0,
        "engine_vs_plain": 0.71,
        "engine_vs_plain_ci90": [0.69, 0.74],
        "target": 0.8,
        "meets_target": True,
        "params_m": 4.7,
        "gflops": 0.77,
        "gflops_per_s": 77.0,
        "peak_fraction": 0.4,
    }
    return {**base, **over}


def _payload(*models: dict) -> dict:
    return {
        "schema": bench.SCHEMA,
        "created": "2025-01-01T00:00:00+00:00",
        "machine": {},
        "models": list(models),
        "memory": {"all_pages_peak_rss_mb": 1500.0, "budget_mb": 2500.0},
    }


def test_a_complete_payload_validates() -> None:
    assert bench.validate_results(_payload(_entry())) == []


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        ({"weights": "pretrained"}, "weights"),
        ({"engine_ms": None}, "engine_ms"),
        ({"plain_ms": -1.0}, "plain_ms"),
        ({"rss_mb": "a lot"}, "rss_mb"),
    ],
)
def test_a_broken_entry_is_reported(broken: dict, problem: str) -> None:
    problems = bench.validate_results(_payload(_entry(**broken)))
    assert any(problem in p for p in problems), problems


def test_missing_fields_and_memory_are_reported() -> None:
    entry = _entry()
    del entry["seed_style_ms"]
    payload = _payload(entry)
    del payload["memory"]["all_pages_peak_rss_mb"]
    problems = bench.validate_results(payload)
    assert any("seed_style_ms" in p for p in problems)
    assert any("all_pages_peak_rss_mb" in p for p in problems)


def test_skipped_rows_need_no_numbers() -> None:
    skipped = {"id": "hustvl/yolos-small", "status": "skipped", "reason": "x", "weights": None}
    skipped |= dict.fromkeys(bench.REQUIRED_FIELDS[2:])
    assert bench.validate_results(_payload(skipped)) == []


def test_results_are_written_atomically_as_json(tmp_path: Path) -> None:
    path = bench.write_results(_payload(_entry()), tmp_path / "bench" / "results.json")
    assert json.loads(path.read_text())["models"][0]["id"] == "efficientnet-lite0"
    assert not list(path.parent.glob("*.tmp"))


def _part(engine: list[float], plain: list[float], **over) -> dict:
    pairs = {"engine": engine, "plain": plain, "engine_cpu": engine, "plain_cpu": plain}
    return _entry(
        pairs=pairs, gflops=2.0, matmul_peak_gflops=100.0, engine_vs_plain=paired_ratio(engine, plain), **over
    )


def test_pool_takes_every_pair_of_every_process() -> None:
    fast_plain = _part([9.0, 9.0, 9.0], [10.0, 10.0, 10.0], load_s=1.5, seed_style_ms=800.0)
    slow_plain = _part([9.0, 9.0], [12.0, 12.0], load_s=9.9, seed_style_ms=None)
    row = bench.pool([fast_plain, slow_plain])
    assert row["process_ratios"] == [0.9, 0.75] and row["processes"] == 2 and row["runs"] == 5
    assert row["engine_vs_plain"] == pytest.approx(0.9)  # the median of 0.9, 0.9, 0.9, 0.75, 0.75
    assert row["engine_vs_plain_ci90"][0] <= 0.9 <= row["engine_vs_plain_ci90"][1]
    assert (row["engine_ms"], row["plain_ms"]) == (9.0, 10.0)
    assert (row["load_s"], row["seed_style_ms"]) == (1.5, 800.0)  # the first process's cold load and seed runs
    assert row["gflops_per_s"] == pytest.approx(2.0 / 0.009, abs=0.05)  # GFLOPs over the pooled median, 9 ms
    assert row["peak_fraction"] == pytest.approx(2.0 / 0.009 / 100, abs=5e-4)
    assert row["meets_target"] is False  # 0.9 against the entry's 0.8
    assert "pairs" not in row


def test_pool_fails_the_row_when_a_process_fails() -> None:
    broken = {"id": "x", "call": "", "status": "error", "reason": "exit 1"}
    assert bench.pool([_part([1.0], [1.0]), broken]) == broken
    with pytest.raises(ValueError):
        bench.pool([])


def test_table_shows_rows_targets_and_skips() -> None:
    text = bench.table(
        [
            _entry(),
            _entry(id="microsoft/resnet-50", meets_target=False),
            {"id": "x", "status": "skipped", "reason": "later"},
        ]
    )
    lines = text.splitlines()
    assert lines[2].startswith("efficientnet-lite0") and "0.71" in lines[2] and "0.69–0.74" in lines[2]
    assert "!" in lines[3] and "!" not in lines[2]
    assert "skipped: later" in lines[4]


def test_summary_lists_missed_targets_and_skips() -> None:
    models = [_entry(), _entry(id="b", meets_target=False), {"id": "c", "call": "", "status": "skipped"}]
    s = bench.summary(models, {"within_budget": True}, {"imports_heavy_libraries": False})
    assert s["ratio_targets_missed"] == ["b"]
    assert s["rows_skipped"] == ["c"]
    assert s["rows_measured"] == 2


# --- the command line, on a tiny subset (fresh processes, like `make bench`) ---


def test_cli_writes_results_for_a_tiny_subset(stand_ins: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    argv = ["--models", "efficientnet-lite0", "google/vit-base-patch16-224", "--runs", "2", "--min-runs", "1"]
    argv += ["--seed-runs", "1", "--no-build", "--models-dir", str(stand_ins), "--skip-memory", "--skip-home"]
    assert bench.cli([*argv, "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert bench.validate_results(data) == []
    by_id = {m["id"]: m for m in data["models"]}
    assert by_id["efficientnet-lite0"]["weights"] == "real"
    assert by_id["google/vit-base-patch16-224"]["weights"] == "random-init"
    assert all(m["status"] == "ok" for m in data["models"]), data["models"]
    for m in data["models"]:  # two fresh processes a row (the default), their pairs pooled
        assert m["processes"] == 2 and len(m["process_ratios"]) == 2 and m["runs"] == 4, m
        assert m["seed_style_ms"] > 0 and "pairs" not in m
    assert data["machine"]["matmul_peak_gflops"] > 0
    assert by_id["efficientnet-lite0"]["peak_fraction"] > 0
    assert data["memory"]["budget_mb"] == bench.RSS_BUDGET_MB


def test_merge_replaces_and_adds_rows_in_registry_order_each_stamped(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    old_lite0 = _entry(id="efficientnet-lite0", engine_ms=99.0)
    old_vit = _entry(id="google/vit-base-patch16-224")
    bench.write_results(_payload(old_vit, old_lite0), out)
    new_lite0, new_resnet = _entry(id="efficientnet-lite0", engine_ms=11.0), _entry(id="microsoft/resnet-50")
    machine = {"cpu": {"model": "Test CPU", "flags": ["avx2"], "cores": 2}, "matmul_peak_gflops": 100.0}
    argv = ["--merge", "--models", "efficientnet-lite0", "microsoft/resnet-50"]
    assert bench.merge_rows([new_lite0, new_resnet], machine, bench.Settings(), argv, out) == 0
    data = json.loads(out.read_text())
    assert bench.validate_results(data) == []
    order = [spec.id for spec in bench.registry.MODELS]
    assert [m["id"] for m in data["models"]] == sorted(
        ["efficientnet-lite0", "google/vit-base-patch16-224", "microsoft/resnet-50"], key=order.index
    )
    by_id = {m["id"]: m for m in data["models"]}
    assert by_id["efficientnet-lite0"]["engine_ms"] == 11.0  # replaced
    assert "measured" not in by_id["google/vit-base-patch16-224"]  # kept as it was
    for model_id in ("efficientnet-lite0", "microsoft/resnet-50"):
        stamp = by_id[model_id]["measured"]
        assert stamp["cpu"]["model"] == "Test CPU" and stamp["command"].endswith("microsoft/resnet-50")
    assert data["memory"] == _payload()["memory"]  # the other sections untouched
    assert bench.merge_rows([new_resnet], machine, bench.Settings(), argv, tmp_path / "none.json") == 2
    for partial in ("--merge", "--memory-only"):  # refused before any stand-in is built or row measured
        assert bench.cli([partial, "--out", str(tmp_path / "none.json")]) == 2


def test_the_memory_run_sizes_the_cache_and_the_session_as_on_community_cloud(monkeypatch) -> None:
    seen: dict[str, str] = {}

    def probe(mode, pages, env, timeout_s):
        seen.update(env)
        return {"all_pages_peak_rss_mb": 2000.0, "visits": []}

    monkeypatch.setattr(bench, "_probe_app", probe)
    report = bench.memory_report({"PATH": "/bin"})
    assert float(seen["VISION_MODEL_BUDGET_MB"]) == 1090.0 == report["model_cache_budget_mb"]
    assert float(seen["VISION_SESSION_MB"]) == 8.0 == report["session_budget_mb"]  # a class of 30's share
    bench.memory_report({"VISION_MODEL_BUDGET_MB": "500", "VISION_SESSION_MB": "20"})  # budgets the caller set win
    assert seen["VISION_MODEL_BUDGET_MB"] == "500" and seen["VISION_SESSION_MB"] == "20"


def test_cli_refuses_an_unknown_model(tmp_path: Path) -> None:
    assert bench.cli(["--models", "no/such-model", "--out", str(tmp_path / "r.json")]) == 2
    assert not (tmp_path / "r.json").exists()


# --- the real app: Home alone, and the pages in one process ---


def test_home_opens_without_heavy_libraries() -> None:
    home = bench.home_report(bench.bench_env(bench_models.bench_models_dir()))
    assert "error" not in home, home
    assert home["heavy_imported"] == []
    assert home["errors"] == []
    assert home["first_render_s"] > 0


@pytest.mark.slow
def test_app_probe_visits_a_page_and_its_compare_modes() -> None:
    probe = bench._probe_app("all", ["pages/classification.py"], dict(os.environ), timeout_s=600)
    assert "error" not in probe, probe
    steps = [v["step"] for v in probe["visits"]]
    assert steps == [
        "pages/classification.py",
        "pages/classification.py compare",
        "pages/classification.py compare all",
    ]
    assert all(v["problems"] == [] for v in probe["visits"]), probe["visits"]
    assert probe["all_pages_peak_rss_mb"] >= max(v["rss_mb"] for v in probe["visits"])
    assert probe["cache"]["loads"] >= 3  # lite0, then ViT/ResNet/DeiT stand-ins for the compare modes
    assert 0 < probe["sampled_peak_anon_mb"] <= probe["all_pages_peak_rss_mb"]
    assert all(0 < v["anon_mb"] <= v["rss_mb"] for v in probe["visits"])


# --- the classification speed-ups: same results as the plain pipeline ---


def _plain(model_id: str):
    from transformers import pipeline

    from engine.models.resolve import resolve

    return pipeline("image-classification", model=resolve(model_id).location)


@pytest.mark.parametrize("model_id", [m.id for m in registry.models_for("image-classification")])
@pytest.mark.parametrize("top_k", [1, 5, 20])
def test_classify_gives_the_plain_pipelines_results(model_id: str, top_k: int) -> None:
    from engine.tasks.classification import classify, load_classifier

    ours, plain = load_classifier(model_id), _plain(model_id)
    for sample in ("cat", "coffee", "astronaut"):
        image = load_sample(sample)
        got = classify(ours, image, top_k=top_k)
        expected = plain(image, top_k=top_k)
        assert list(got.labels) == [r["label"] for r in expected]
        assert got.scores == pytest.approx([r["score"] for r in expected], abs=1e-5)


def test_the_embedded_cnn_is_folded_channels_last_and_packed_and_vits_are_packed() -> None:
    from engine.accel import fastcpu
    from engine.tasks.classification import load_classifier

    lite0 = load_classifier("efficientnet-lite0")
    packed = ("onednn_linear:1", "onednn_conv:49") if fastcpu.available() else ()
    assert lite0.applied == ("fold_batchnorm:49", "channels_last", *packed)
    assert not any(type(m).__name__ == "BatchNormAct2d" for m in lite0.model.modules())
    vit = load_classifier("google/vit-base-patch16-224")
    linears = sum(type(m).__name__ in {"Linear", "PackedLinear"} for m in vit.model.modules())
    # every linear layer and the patch embedding's convolution; no folding in a ViT
    expected = (f"onednn_linear:{linears}", "onednn_conv:1") if fastcpu.available() else ()
    assert vit.applied == expected
    assert fastcpu.packed_layers(vit.model) == (linears + 1 if fastcpu.available() else 0)


def test_folding_keeps_a_conv_bn_networks_outputs() -> None:
    import torch

    from engine.accel.convnet import fold_batchnorm

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.BatchNorm2d(8), torch.nn.ReLU())
    net[1].running_mean.uniform_(-1, 1)
    net[1].running_var.uniform_(0.5, 2)
    net[1].weight.data.uniform_(0.5, 2)
    net.eval()
    x = torch.randn(2, 3, 16, 16)
    expected = net(x)
    assert fold_batchnorm(net) == 1
    assert isinstance(net[1], torch.nn.Identity)
    assert torch.allclose(net(x), expected, atol=1e-5)


def test_speed_up_keeps_the_original_when_a_fold_would_change_the_outputs() -> None:
    import torch

    from engine.accel.convnet import speed_up

    class ConvReluBn(torch.nn.Module):
        """Registers conv then bn, but runs a ReLU in between: folding would be wrong."""

        def __init__(self) -> None:
            super().__init__()
            self.convs = torch.nn.ModuleList(torch.nn.Conv2d(3, 3, 1) for _ in range(8))
            self.conv = torch.nn.Conv2d(3, 4, 3)
            self.bn = torch.nn.BatchNorm2d(4)

        def forward(self, pixel_values):
            return self.bn(torch.relu(self.conv(pixel_values)))

    net = ConvReluBn().eval()
    net.bn.running_mean.fill_(3.0)
    x = torch.randn(1, 3, 8, 8)
    with torch.inference_mode():
        expected = net(x)
    model, applied = speed_up(net, {"pixel_values": x}, lambda out: out)
    assert model is net
    assert not any(a.startswith(("fold_batchnorm", "channels_last")) for a in applied)
    assert isinstance(net.bn, torch.nn.BatchNorm2d)  # the fold was made on a copy, and dropped
    with torch.inference_mode():
        assert torch.allclose(model(x), expected, atol=1e-5)  # packing (when available) changed nothing


def test_answer_reads_the_model_time_each_page_prints() -> None:
    """bench answer: the model's time as the pages print it (summed over the models on screen)."""
    from bench.answer import printed_model_s

    assert printed_model_s(["Inferencia: 12 ms · Pesos: x", "Inference: 8 ms"], "inference") == 0.02
    assert printed_model_s(["Inferencia: 40 ms (una ejecución en caliente) · x"], "inference") == 0.04
    assert printed_model_s(["40 ms por fotograma (10 fotogramas analizados) · x"], "video") == 0.4
    assert printed_model_s(["120 ms · imágenes: 2 calculadas en 1 pasada, 2 reutilizadas"], "workshop") == 0.12
    assert printed_model_s(["Pesos: locales"], "inference") is None


def test_answer_overhead_is_the_wait_less_the_model_per_action() -> None:
    from bench.answer import overhead

    row = overhead([1.0, 2.0, 3.0, 4.0], [0.5, 1.0, 1.0, None])
    assert row["p50_s"] == 2.5 and row["model_p50_s"] == 1.0
    assert row["overhead_p50_s"] == 1.0  # median of 0.5, 1.0, 2.0: the action without a model time is left out
    assert row["overhead_share"] == 0.4
    assert overhead([], [])["p50_s"] is None
    assert overhead([0.5], [0.0])["overhead_share"] == 1.0  # a rerun of unchanged work: all of it is the page's


def test_the_answer_run_goes_into_the_results_beside_the_other_sections(tmp_path: Path) -> None:
    from bench.answer import merge_into_results

    results = tmp_path / "results.json"
    assert merge_into_results({"pen_up": {"p50_s": 0.17}}, results) is False  # no results file yet: nothing
    bench.write_results(_payload(), results)
    assert merge_into_results({"pen_up": {"p50_s": 0.17}, "cold_start": []}, results) is True
    data = json.loads(results.read_text())
    assert data["answer"]["pen_up"] == {"p50_s": 0.17} and data["answer"]["source"].startswith("bench/answer.json")
    assert data["memory"] == _payload()["memory"]  # the other sections untouched
