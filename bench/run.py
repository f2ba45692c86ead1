"""``python -m bench`` (``make bench``): speed and memory of every registry model.

For each model, on the same photo, warm, several runs (median and p90):

- ``engine_ms``: the app's own call (our preprocessing, model, postprocessing, result types);
- ``plain_ms``: the plain library call the course teaches, model already loaded
  (``pipe(image)``, ``YOLO(...)(image)``, the sketch CNN on its tensor);
- ``seed_style_ms``: the course's Gradio code, which builds the pipeline inside every call;
- ``load_s`` (first load in a fresh process), ``rss_mb`` after the load, parameters, GFLOPs per
  call (torch's FLOP counter) and the GFLOP/s achieved against this machine's matmul peak,
  measured in the same run.

Each model runs in two fresh Python processes (so load times are cold and RSS is the model's
own), engine and plain calls interleaved (A B A B ...) so that a noisy machine slows both alike;
the pairs of both are pooled (:func:`pool`) into the ratio and its bootstrap interval.
Models without real weights here are built full size with random weights
(:mod:`bench.models`) and marked ``"weights": "random-init"``.

Then the whole app is measured: a fresh process drives Home.py with Streamlit's AppTest through
every page with its default model and the compare modes, sampling the process RSS
(``memory.all_pages_peak_rss_mb`` against ``memory.budget_mb``), and another fresh process opens
Home alone (time to first render, and whether torch/transformers/ultralytics got imported).

A task plugs in with one :data:`TASKS` entry once its engine module exists.

Example:
    $ python -m bench                       # everything, writes bench/results.json
    $ python -m bench --models efficientnet-lite0 --runs 3 --skip-memory --out /tmp/r.json
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.machine import cpu_info
from engine.models import registry
from engine.models.registry import ModelSpec

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
SCHEMA = 1
RSS_BUDGET_MB = 2500.0  # the whole app, one server process (Streamlit Community Cloud gives ~2.7 GB)
SAMPLE = "cat"  # every model gets the same photo
CLIP_LABELS = ("cat", "dog", "car", "tree", "person")
CLIP_TEMPLATE = "a photo of a {}"
MATRIX_IMAGES = ("cat", "coffee", "astronaut", "rocket", "motorcycle")
HEAVY = ("torch", "transformers", "ultralytics")
REQUIRED_FIELDS = ("id", "weights", "engine_ms", "plain_ms", "seed_style_ms", "load_s", "rss_mb")


# --- statistics -------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) with linear interpolation, as numpy's default.

    Example:
        >>> percentile([1.0, 2.0, 3.0, 4.0], 90)
        3.7
    """
    if not values:
        raise ValueError("percentile of no values")
    data = sorted(values)
    pos = (len(data) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return round(data[lo] + (data[hi] - data[lo]) * (pos - lo), 6)


@dataclass(frozen=True)
class Timing:
    """Median, p90 and count of some runs, in milliseconds.

    Example:
        >>> Timing.of([10.0, 12.0, 11.0, 30.0]).median
        11.5
    """

    median: float
    p90: float
    n: int
    values: tuple[float, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, values: Sequence[float]) -> Timing:
        return cls(statistics.median(values), percentile(values, 90), len(values), tuple(values))


def paired_ratio(a: Sequence[float], b: Sequence[float]) -> float:
    """Median of ``a[i] / b[i]``: runs taken side by side share the machine's load at that moment.

    Example:
        >>> paired_ratio([9.0, 18.0, 10.0], [10.0, 20.0, 10.0])
        0.9
    """
    if len(a) != len(b) or not a:
        raise ValueError("paired_ratio needs two non-empty sequences of the same length")
    return statistics.median(x / y for x, y in zip(a, b, strict=True) if y > 0)


def ratio_interval(
    a: Sequence[float], b: Sequence[float], level: float = 0.9, resamples: int = 2000
) -> tuple[float, float]:
    """A bootstrap interval for :func:`paired_ratio`: where the median ratio could land if the same
    runs were taken again on this noisy machine (resampled pairs, fixed seed: reproducible).

    Example:
        >>> ratio_interval([9.0, 9.0, 9.0], [10.0, 10.0, 10.0])
        (0.9, 0.9)
    """
    import random

    ratios = [x / y for x, y in zip(a, b, strict=True) if y > 0]
    if not ratios:
        raise ValueError("ratio_interval needs at least one pair with a positive time")
    rng = random.Random(0)
    medians = [statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(resamples)]
    tail = (1 - level) / 2 * 100
    return round(percentile(medians, tail), 3), round(percentile(medians, 100 - tail), 3)


def runs_for(call_s: float, budget_s: float, lo: int, hi: int) -> int:
    """How many timed runs fit ``budget_s`` when one costs ``call_s`` (at least ``lo``, at most ``hi``).

    Example:
        >>> runs_for(0.01, 10.0, 3, 15), runs_for(4.0, 10.0, 3, 15)
        (15, 3)
    """
    if call_s <= 0:
        return hi
    return max(lo, min(hi, int(budget_s // call_s)))


# --- what one row runs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """The three calls of one benchmark row, as closures over the loaded models and the inputs."""

    load: Callable[[], Any]  # the engine's loader (timed cold)
    run: Callable[[Any], Any]  # the engine's call on the loaded model
    plain_load: Callable[[], Any]
    plain_run: Callable[[Any], Any]
    seed_run: Callable[[], Any]  # loads and runs, every call
    plain_code: str  # the plain call as a student writes it (shown in the table and README)
    seed_code: str
    engine_code: str
    reset: Callable[[Any], None] | None = None  # forget per-input caches between timed calls


@dataclass(frozen=True)
class TaskBench:
    """One task in the benchmark: the engine module it needs and how to build a row's :class:`Case`.

    ``target`` is the engine/plain ratio the row must reach: 1.0 (never slower) or 0.8 where the
    plain call leaves speed on the table.
    """

    module: str
    needs: tuple[str, ...]  # functions the module must have before the rows run
    make: Callable[[ModelSpec, str, Any], Case]  # (spec, resolved location, engine module) -> Case
    target: float = 1.0
    calls: tuple[str, ...] = ("",)  # extra variants of a row, e.g. "matrix" for the CLIP workshop


def _sample(key: str = SAMPLE) -> Any:
    from engine.inputs.samples import load_sample

    return load_sample(key)


def _quiet() -> None:
    """Library chatter off (progress bars, warnings): the table is the output."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("YOLO_VERBOSE", "False")
    os.environ.setdefault("YOLO_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _hf_plain(hf_task: str, location: str, **call: Any) -> tuple[Callable[[], Any], Callable[[Any], Any], Callable]:
    """``pipeline(task, model=folder)`` loaded once / called; and the seed style: built in every call."""

    def plain_load() -> Any:
        from transformers import pipeline

        return pipeline(hf_task, model=location)

    def plain_run(pipe: Any) -> Any:
        return pipe(_inputs_of(hf_task), **call)

    def seed_run() -> Any:
        from transformers import pipeline

        return pipeline(hf_task, model=location)(_inputs_of(hf_task), **call)

    return plain_load, plain_run, seed_run


_INPUTS: dict[str, Any] = {}


def _inputs_of(kind: str) -> Any:
    """The shared inputs, made once per process (the photo; the sketch bitmap)."""
    if kind not in _INPUTS:
        if kind == "sketch":
            _INPUTS[kind] = _sketch_input()
        else:
            _INPUTS[kind] = _sample()
    return _INPUTS[kind]


def _yolo_plain(location: str, **call: Any) -> tuple[Callable[[], Any], Callable[[Any], Any], Callable]:
    """``YOLO(file)`` loaded once / called; and the seed style: ``YOLO(file)(image)`` every call."""

    def plain_load() -> Any:
        from engine.models.lazy import import_ultralytics

        return import_ultralytics().YOLO(location)

    def plain_run(model: Any) -> Any:
        return model(_inputs_of("photo"), verbose=False, **call)

    def seed_run() -> Any:
        from engine.models.lazy import import_ultralytics

        return import_ultralytics().YOLO(location)(_inputs_of("photo"), verbose=False, **call)

    return plain_load, plain_run, seed_run


def _case_classification(spec: ModelSpec, location: str, mod: Any) -> Case:
    plain_load, plain_run, seed_run = _hf_plain("image-classification", location, top_k=5)
    return Case(
        load=lambda: mod.load_classifier(spec.id),
        run=lambda m: mod.classify(m, _inputs_of("photo"), top_k=5),
        plain_load=plain_load,
        plain_run=plain_run,
        seed_run=seed_run,
        plain_code='pipe = pipeline("image-classification", model=...); pipe(image, top_k=5)',
        seed_code='pipeline("image-classification", model=...)(image, top_k=5)  # every call',
        engine_code="classify(load_classifier(id), image, top_k=5)",
    )


def _sketch_input() -> Any:
    """A drawn circle as Quick Draw's 28x28 bitmap (the engine's own rasteriser)."""
    import numpy as np

    from engine.tasks.sketch import rasterize

    angles = np.linspace(0, 2 * np.pi, 40)
    return rasterize([np.stack([100 + 80 * np.cos(angles), 100 + 80 * np.sin(angles)], axis=1)])


def _case_sketch(spec: ModelSpec, location: str, mod: Any) -> Case:
    from engine.tasks.sketch import build_network

    folder = Path(location)

    def plain_load() -> tuple[Any, list[str]]:
        import torch

        labels = (folder / "class_names.txt").read_text().splitlines()
        model = build_network(len(labels))
        model.load_state_dict(torch.load(folder / spec.file, map_location="cpu", weights_only=True))
        return model.eval(), labels

    def plain_run(loaded: tuple[Any, list[str]]) -> Any:
        import torch

        model, labels = loaded
        x = torch.tensor(_inputs_of("sketch"), dtype=torch.float32).unsqueeze(0).unsqueeze(0)
        with torch.no_grad():
            out = model(x)
        probabilities = torch.nn.functional.softmax(out[0], dim=0)
        values, indices = torch.topk(probabilities, 5)
        return {labels[i]: v.item() for i, v in zip(indices, values, strict=True)}

    return Case(
        load=lambda: mod.load_sketch_model(spec.id),
        run=lambda m: mod.predict(m, _inputs_of("sketch"), top_k=5),
        plain_load=plain_load,
        plain_run=plain_run,
        seed_run=lambda: plain_run(plain_load()),
        plain_code="with torch.no_grad(): model(x); softmax; topk(5)  # the Space's predict()",
        seed_code="build the CNN, torch.load, load_state_dict, predict  # every call",
        engine_code="predict(load_sketch_model(), x28, top_k=5)",
    )


def _case_detection(spec: ModelSpec, location: str, mod: Any) -> Case:
    if spec.source == "ultralytics":
        plain_load, plain_run, seed_run = _yolo_plain(location, conf=0.5, iou=0.7)
        plain_code, seed_code = (
            "model = YOLO(file); model(image, conf=0.5)",
            "YOLO(file)(image, conf=0.5)  # every call",
        )
    else:
        plain_load, plain_run, seed_run = _hf_plain("object-detection", location, threshold=0.5)
        plain_code = 'pipe = pipeline("object-detection", model=...); pipe(image, threshold=0.5)'
        seed_code = 'pipeline("object-detection", model=...)(image, threshold=0.5)  # every call'
    return Case(
        load=lambda: mod.load_detector(spec.id),
        run=lambda m: mod.detect(m, _inputs_of("photo"), threshold=0.5, iou=0.7),
        plain_load=plain_load,
        plain_run=plain_run,
        seed_run=seed_run,
        plain_code=plain_code,
        seed_code=seed_code,
        engine_code="detect(load_detector(id), image, threshold=0.5, iou=0.7)",
    )


def _case_segmentation(spec: ModelSpec, location: str, mod: Any) -> Case:
    if spec.source == "ultralytics":
        plain_load, plain_run, seed_run = _yolo_plain(location)
        plain_code, seed_code = "model = YOLO(file); model(image)", "YOLO(file)(image)  # every call"
    else:
        plain_load, plain_run, seed_run = _hf_plain("image-segmentation", location)
        plain_code = 'pipe = pipeline("image-segmentation", model=...); pipe(image)'
        seed_code = 'pipeline("image-segmentation", model=...)(image)  # every call'
    return Case(
        load=lambda: mod.load_segmenter(spec.id),
        run=lambda m: mod.segment(m, _inputs_of("photo")),
        plain_load=plain_load,
        plain_run=plain_run,
        seed_run=seed_run,
        plain_code=plain_code,
        seed_code=seed_code,
        engine_code="segment(load_segmenter(id), image)",
    )


def _case_depth(spec: ModelSpec, location: str, mod: Any) -> Case:
    plain_load, plain_run, seed_run = _hf_plain("depth-estimation", location)
    return Case(
        load=lambda: mod.load_depth_estimator(spec.id),
        run=lambda m: mod.estimate_depth(m, _inputs_of("photo")),
        plain_load=plain_load,
        plain_run=plain_run,
        seed_run=seed_run,
        plain_code='pipe = pipeline("depth-estimation", model=...); pipe(image)',
        seed_code='pipeline("depth-estimation", model=...)(image)  # every call',
        engine_code="estimate_depth(load_depth_estimator(id), image)",
    )


def _forget_embeddings(model: Any) -> None:
    """Empty the CLIP embedding caches, so every timed call computes (what a new photo costs)."""
    for name in ("image_cache", "text_cache"):
        store = getattr(getattr(model, name, None), "_data", None)
        if store is not None:
            store.clear()


def _case_zero_shot(spec: ModelSpec, location: str, mod: Any) -> Case:
    call = {"candidate_labels": list(CLIP_LABELS), "hypothesis_template": CLIP_TEMPLATE}
    plain_load, plain_run, seed_run = _hf_plain("zero-shot-image-classification", location, **call)
    return Case(
        load=lambda: mod.load_clip(spec.id),
        run=lambda m: mod.zero_shot(m, _inputs_of("photo"), list(CLIP_LABELS), template=CLIP_TEMPLATE),
        plain_load=plain_load,
        plain_run=plain_run,
        seed_run=seed_run,
        plain_code='pipe = pipeline("zero-shot-image-classification", model=...); pipe(image, candidate_labels=5 labels)',
        seed_code='pipeline("zero-shot-image-classification", model=...)(image, candidate_labels=...)  # every call',
        engine_code="zero_shot(load_clip(id), image, 5 labels)  # embedding caches emptied before each call",
        reset=_forget_embeddings,
    )


def _case_clip_matrix(spec: ModelSpec, location: str, mod: Any) -> Case:
    """The CLIP workshop: 5 photos x 5 descriptions. Plain: the pipeline once per photo."""
    from engine.inputs.samples import load_sample

    images = [load_sample(k) for k in MATRIX_IMAGES]
    texts = [CLIP_TEMPLATE.format(label) for label in CLIP_LABELS]

    def plain_load() -> Any:
        from transformers import pipeline

        return pipeline("zero-shot-image-classification", model=location)

    def plain_run(pipe: Any) -> Any:
        return [pipe(img, candidate_labels=texts, hypothesis_template="{}") for img in images]

    return Case(
        load=lambda: mod.load_clip(spec.id),
        run=lambda m: mod.probability_matrix(m, images, texts),
        plain_load=plain_load,
        plain_run=plain_run,
        seed_run=lambda: plain_run(plain_load()),
        plain_code="[pipe(img, candidate_labels=texts) for img in 5 photos]",
        seed_code="pipeline(...) then one call per photo  # every time",
        engine_code="probability_matrix(load_clip(id), 5 photos, 5 texts)  # caches emptied before each call",
        reset=_forget_embeddings,
    )


# One entry per task: a task plugs in here once its engine module exists.
TASKS: dict[str, TaskBench] = {
    "image-classification": TaskBench(
        "engine.tasks.classification", ("load_classifier", "classify"), _case_classification, target=0.8
    ),
    "sketch-recognition": TaskBench("engine.tasks.sketch", ("load_sketch_model", "predict", "rasterize"), _case_sketch),
    "object-detection": TaskBench("engine.tasks.detection", ("load_detector", "detect"), _case_detection),
    "image-segmentation": TaskBench("engine.tasks.segmentation", ("load_segmenter", "segment"), _case_segmentation),
    "zero-shot-image-classification": TaskBench(
        "engine.tasks.clip", ("load_clip", "zero_shot", "probability_matrix"), _case_zero_shot, calls=("", "matrix")
    ),
    "depth-estimation": TaskBench("engine.tasks.depth", ("load_depth_estimator", "estimate_depth"), _case_depth),
}
# Variants of a row: same model, another engine call (and its own target).
CALLS: dict[str, tuple[Callable[[ModelSpec, str, Any], Case], float]] = {
    "matrix": (_case_clip_matrix, 0.8),  # batching both encoders vs one pipeline call per photo
}


@dataclass(frozen=True)
class Row:
    """One line of the table: a model and which engine call (``""`` = the task's main one)."""

    model_id: str
    call: str = ""

    @property
    def key(self) -> str:
        return f"{self.model_id}#{self.call}" if self.call else self.model_id

    @classmethod
    def parse(cls, key: str) -> Row:
        model_id, _, call = key.partition("#")
        return cls(model_id, call)


def rows_for(model_ids: Sequence[str] | None = None, tasks: Sequence[str] | None = None) -> list[Row]:
    """The rows of the given models (default: the whole registry), in registry order."""
    specs = [registry.get(m) for m in model_ids] if model_ids else list(registry.MODELS)
    rows = []
    for spec in specs:
        if tasks and spec.task not in tasks:
            continue
        entry = TASKS.get(spec.task)
        for call in entry.calls if entry else ("",):
            rows.append(Row(spec.id, call))
    return rows


def missing_engine(task: str) -> str:
    """Why a task's rows cannot run yet ("" when they can): module or functions not there."""
    entry = TASKS.get(task)
    if entry is None:
        return f"no benchmark entry for the task {task}"
    try:
        module = importlib.import_module(entry.module)
    except ImportError as exc:
        return f"{entry.module} is not built yet ({exc})"
    absent = [name for name in entry.needs if not hasattr(module, name)]
    return f"{entry.module} has no {', '.join(absent)} yet" if absent else ""


# --- measuring one row (inside its own process) ------------------------------------------------


def torch_module(obj: Any, depth: int = 3) -> Any:
    """The torch module inside a loaded model (pipeline, YOLO wrapper, the engine's dataclasses)."""
    import torch

    if isinstance(obj, torch.nn.Module):
        return obj
    if depth == 0 or obj is None:
        return None
    for name in ("model", "module", "pipe", "pipeline", "detector", "net"):
        inner = getattr(obj, name, None)
        if inner is not None and inner is not obj:
            found = torch_module(inner, depth - 1)
            if found is not None:
                return found
    for value in getattr(obj, "__dict__", {}).values():
        if isinstance(value, torch.nn.Module):
            return value
    return None


def count_params(obj: Any) -> int:
    module = torch_module(obj)
    return sum(p.numel() for p in module.parameters()) if module is not None else 0


def register_flop_formulas() -> bool:
    """Teach torch's FLOP counter the packed kernels (it counts them as 0 otherwise)."""
    from torch.utils import flop_counter

    from engine.accel.fastcpu import available

    if not available():
        return False
    torch = importlib.import_module("torch")

    linear = torch.ops.mkldnn._linear_pointwise
    if linear in flop_counter.flop_registry or linear.default in flop_counter.flop_registry:
        return True

    @flop_counter.register_flop_formula(torch.ops.mkldnn._linear_pointwise)  # we call only .default
    def _linear_flops(x_shape: Any, w_shape: Any, *args: Any, out_shape: Any = None, **kwargs: Any) -> int:
        return 2 * math.prod(x_shape) * w_shape[0]  # rows × in × out multiply-adds

    @flop_counter.register_flop_formula(torch.ops.mkldnn._convolution_pointwise)
    def _conv_flops(x_shape: Any, w_shape: Any, *args: Any, out_shape: Any = None, **kwargs: Any) -> int:
        return 2 * math.prod(out_shape) * math.prod(w_shape[1:])  # each output: in/groups × kh × kw

    return True


def count_flops(fn: Callable[[], Any]) -> float:
    """FLOPs of one call of ``fn`` (matmuls, convolutions, attention: torch's FLOP counter)."""
    from torch.utils.flop_counter import FlopCounterMode

    register_flop_formulas()  # the engine's packed oneDNN layers count like the Linear/Conv2d they replace
    counter = FlopCounterMode(display=False)
    try:
        with counter:
            fn()
    except AttributeError:
        # Its per-module tracker hooks module inputs that need grads; a model that passes its own
        # parameters as inputs under inference mode (YOLOS's detection tokens) breaks it. Only the
        # total is wanted: count again with a tracker that tracks nothing.
        counter = FlopCounterMode(display=False)
        counter.mod_tracker = _NoModuleTracker()
        with counter:
            fn()
    return float(counter.get_total_flops())


class _NoModuleTracker:
    """A stand-in for torch's ModuleTracker: every FLOP goes to the "Global" total."""

    parents = frozenset({"Global"})

    def __enter__(self) -> _NoModuleTracker:
        return self

    def __exit__(self, *args: object) -> None:
        return None


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float:
    """The process's peak RSS so far (Linux reports KiB, macOS bytes)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def matmul_peak_gflops(n: int = 1024, seconds: float = 1.5) -> float:
    """The best fp32 matmul throughput of this machine now (GFLOP/s), with torch's threads.

    Both kernels the models can use are tried, MKL's (``torch.mm``) and oneDNN's with a packed
    weight (what :mod:`engine.accel.fastcpu` gives the engine), and the faster one is the peak.
    """
    import torch

    from engine.accel import fastcpu

    a, b = torch.randn(n, n), torch.randn(n, n)
    calls = [lambda: torch.mm(a, b)]
    if fastcpu.available():
        packed = torch.ops.mkldnn._reorder_linear_weight(b.t().contiguous(), n)
        calls.append(lambda: torch.ops.mkldnn._linear_pointwise(a, packed, None, "none", [], ""))
    best = 0.0
    for call in calls:
        call()  # warm
        end = time.perf_counter() + seconds / len(calls)
        while time.perf_counter() < end:
            start = time.perf_counter()
            call()
            best = max(best, 2 * n**3 / (time.perf_counter() - start) / 1e9)
    return round(best, 1)


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall and process-CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def weights_of(location: str) -> str:
    """``"random-init"`` for a stand-in built by the benchmark, else ``"real"``."""
    from bench.models import marker_of

    marker = marker_of(location)
    return str(marker.get("weights", "random-init")) if marker else "real"


@dataclass(frozen=True)
class Settings:
    """How hard to measure (the defaults keep a full run near ten minutes on two busy cores)."""

    # Runs per call kind fill the row's budget: a millisecond model gets hundreds of pairs (one run
    # of it is all noise), DETR a handful; never more than ``runs`` nor fewer than ``min_runs``.
    runs: int = 300
    min_runs: int = 5
    seed_runs: int = 2
    budget_s: float = 12.0  # time for the interleaved engine+plain runs of one row, all processes together
    flops: bool = True
    # Each row runs in this many fresh processes and their pairs are pooled: a process draws its own
    # luck (the plain ViT call measured 245 ms in one process, 290 ms in the next, the engine's
    # 210-220 ms in both), which more pairs in one process cannot average out.
    processes: int = 2


def measure(row: Row, settings: Settings | None = None) -> dict[str, Any]:
    """Benchmark one row in this process (call it in a fresh one for cold loads and clean RSS)."""
    from engine.models.resolve import resolve

    settings = settings or Settings()
    _quiet()
    spec = registry.get(row.model_id)
    out: dict[str, Any] = {"id": spec.id, "call": row.call, "task": spec.task, "family": spec.family}
    why = missing_engine(spec.task)
    if why:
        return {**out, "status": "skipped", "reason": why, **_empty()}
    entry = TASKS[spec.task]
    make, target = CALLS[row.call] if row.call else (entry.make, entry.target)
    mod = importlib.import_module(entry.module)

    started = time.perf_counter()
    import torch

    if spec.source in {"hf", "embedded"}:
        from engine.models.lazy import import_transformers

        import_transformers()
    elif spec.source == "ultralytics":
        from engine.models.lazy import import_ultralytics

        import_ultralytics()
    import_s = time.perf_counter() - started
    location = resolve(spec).location
    case = make(spec, location, mod)
    _inputs_of("sketch" if spec.task == "sketch-recognition" else "photo")  # inputs made before timing

    rss0 = rss_mb()
    start = time.perf_counter()
    model = case.load()
    load_s = time.perf_counter() - start
    rss_after = rss_mb()
    start = time.perf_counter()
    plain = case.plain_load()
    plain_load_s = time.perf_counter() - start

    def engine_call() -> Any:
        if case.reset is not None:
            case.reset(model)
        return case.run(model)

    def plain_call() -> Any:
        return case.plain_run(plain)

    # First calls: warm-up (lazy inits, Ultralytics' layer fusion), counted for FLOPs when asked.
    engine_flops = count_flops(engine_call) if settings.flops else 0.0
    plain_flops = count_flops(plain_call) if settings.flops else 0.0
    first_e, _ = _timed(engine_call)
    first_p, _ = _timed(plain_call)
    n = runs_for((first_e + first_p) / 1000, settings.budget_s, settings.min_runs, settings.runs)
    e_wall, e_cpu, p_wall, p_cpu = [], [], [], []
    for i in range(n):
        # Alternate which goes first, so neither always follows the other's cache state.
        order = ((engine_call, e_wall, e_cpu), (plain_call, p_wall, p_cpu))
        for fn, walls, cpus in order if i % 2 == 0 else order[::-1]:
            w, c = _timed(fn)
            walls.append(w)
            cpus.append(c)
    seed_n = max(0, min(settings.seed_runs, n))  # 0: left to another process of the same row
    seed = [_timed(case.seed_run)[0] for _ in range(seed_n)]

    sd = Timing.of(seed) if seed else None
    peak = float(os.environ.get("VISION_BENCH_PEAK_GFLOPS", "0") or 0)
    gflops = engine_flops / 1e9
    pairs = {"engine": e_wall, "plain": p_wall, "engine_cpu": e_cpu, "plain_cpu": p_cpu}
    params = count_params(model)
    return {
        **out,
        "status": "ok",
        "weights": weights_of(location),
        "seed_style_ms": round(sd.median, 1) if sd else None,
        "seed_style_p90_ms": round(sd.p90, 1) if sd else None,
        "target": target,
        **timing_fields(pairs, gflops, peak, target),
        "seed_runs": seed_n,
        "import_s": round(import_s, 2),
        "load_s": round(load_s, 3),
        "plain_load_s": round(plain_load_s, 3),
        "rss_mb": round(rss_after, 1),
        "rss_load_delta_mb": round(rss_after - rss0, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "params": params,
        "params_m": round(params / 1e6, 2),
        "gflops": round(gflops, 3),
        "plain_gflops": round(plain_flops / 1e9, 3),
        "matmul_peak_gflops": peak or None,
        "threads": torch.get_num_threads(),
        "engine_code": case.engine_code,
        "plain_code": case.plain_code,
        "seed_code": case.seed_code,
        # the timed pairs themselves, for pool() (dropped from results.json)
        "pairs": {k: [round(v, 3) for v in values] for k, values in pairs.items()},
    }


def timing_fields(pairs: dict[str, Sequence[float]], gflops: float, peak: float, target: float) -> dict[str, Any]:
    """A row's timing statistics from its interleaved pairs (``engine``, ``plain``, ``engine_cpu``,
    ``plain_cpu``, in ms): medians, p90s, the paired ratio and its interval, and the GFLOP/s
    that ``gflops`` per call makes against the matmul ``peak``. Shared by :func:`measure` (one
    process) and :func:`pool` (all of them)."""
    eng, pln = Timing.of(pairs["engine"]), Timing.of(pairs["plain"])
    ratio = paired_ratio(pairs["engine"], pairs["plain"])
    achieved = gflops / (eng.median / 1000) if eng.median > 0 else 0.0
    return {
        "engine_ms": round(eng.median, 2),
        "engine_p90_ms": round(eng.p90, 2),
        "plain_ms": round(pln.median, 2),
        "plain_p90_ms": round(pln.p90, 2),
        "engine_vs_plain": round(ratio, 3),
        "engine_vs_plain_ci90": list(ratio_interval(pairs["engine"], pairs["plain"])),
        "engine_vs_plain_cpu": round(paired_ratio(pairs["engine_cpu"], pairs["plain_cpu"]), 3),
        "meets_target": ratio <= target,
        "runs": len(pairs["engine"]),
        "engine_cpu_ms": round(statistics.median(pairs["engine_cpu"]), 2),
        "plain_cpu_ms": round(statistics.median(pairs["plain_cpu"]), 2),
        "gflops_per_s": round(achieved, 1),
        "peak_fraction": round(achieved / peak, 3) if peak > 0 else None,
    }


def pool(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One row from the same row measured in several processes: the timed pairs pooled.

    Timings, the ratio and its interval come from all the pairs; the cold load, memory, FLOPs
    and the seed-style timing from the first process (the others skip them); ``process_ratios``
    shows each process's own ratio. A failed process makes the row fail.

    Example:
        >>> first = measure(row, Settings(processes=2))  # doctest: +SKIP
        >>> pool([first, measure(row, Settings(flops=False, seed_runs=0))])["process_ratios"]  # doctest: +SKIP
        [0.74, 0.86]
    """
    if not parts:
        raise ValueError("pool needs at least one process's result")
    failed = [p for p in parts if p.get("status") != "ok"]
    if failed:
        return failed[0]
    first = parts[0]
    pairs = {k: [v for p in parts for v in p["pairs"][k]] for k in first["pairs"]}
    peak = first.get("matmul_peak_gflops") or 0.0
    return {
        **{k: v for k, v in first.items() if k != "pairs"},
        **timing_fields(pairs, first.get("gflops", 0.0), peak, first["target"]),
        "processes": len(parts),
        "process_ratios": [p["engine_vs_plain"] for p in parts],
    }


def _empty() -> dict[str, Any]:
    """The required fields of a row that could not be measured (``None``: not measured)."""
    return dict.fromkeys(REQUIRED_FIELDS[1:])


# --- the whole app's memory, and Home alone (fresh processes driving the real app) -------------

# The app probe is its own program (bench/app_probe.py): Streamlit's AppTest is a UI test harness,
# and the engine never imports streamlit (tests/test_foundation.py checks every engine module's imports).
APP_PROBE = ROOT / "bench" / "app_probe.py"


def _probe_app(mode: str, pages: Sequence[str], env: dict[str, str], timeout_s: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "probe.json"
        cmd = [sys.executable, str(APP_PROBE), mode, str(ROOT), str(out), json.dumps(list(pages))]
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            return {"error": f"the app probe took longer than {timeout_s:.0f} s"}
        if proc.returncode != 0 or not out.is_file():
            return {"error": f"the app probe failed (exit {proc.returncode}): {proc.stderr[-800:]}"}
        return json.loads(out.read_text())


def existing_pages() -> list[str]:
    """The menu's page files but Home, in its order (read from ui/nav.py's data without importing
    ui); a file the menu names but that is missing is an error, never a silently shorter run."""
    import ast

    tree = ast.parse((ROOT / "ui" / "nav.py").read_text())
    files = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "PageDef"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    missing = [f for f in files if not (ROOT / f).is_file()]
    if missing:
        raise FileNotFoundError(f"ui/nav.py names page files that do not exist: {missing}")
    return [f for f in files if f != "pages/home.py"]


def memory_report(env: dict[str, str], timeout_s: float = 900) -> dict[str, Any]:
    """The whole app in one process: every page with its default model, then its compare modes."""
    pages = existing_pages()
    # The model cache and the session's budget as on Community Cloud (sized from a 2.7 GB limit), not from this
    # machine's RAM: on 24 GB the sized budget keeps every model and the figure says nothing about
    # the deployment. A budget the caller set wins.
    if not env.get("VISION_MODEL_BUDGET_MB"):
        env = {**env, "VISION_MODEL_BUDGET_MB": str(_cloud_budget())}
    if not env.get("VISION_SESSION_MB"):  # the session's share of it too (a class of VISION_CLASS_SIZE)
        from engine import settings

        env = {**env, "VISION_SESSION_MB": f"{settings.default_session_mb(CLOUD_LIMIT_MB):g}"}
    probe = _probe_app("all", pages, env, timeout_s)
    peak = probe.get("all_pages_peak_rss_mb")
    return {
        "all_pages_peak_rss_mb": peak,
        "budget_mb": RSS_BUDGET_MB,
        "within_budget": bool(peak is not None and peak < RSS_BUDGET_MB),
        "model_cache_budget_mb": float(env.get("VISION_MODEL_BUDGET_MB", 0) or 0) or _cache_budget(),
        "session_budget_mb": float(env.get("VISION_SESSION_MB", 0) or 0),
        "pages": pages,
        "method": "fresh Python process, streamlit AppTest on Home.py, each page with its default model, "
        "then compare on (default pair) and all models selected; RSS sampled every 50 ms + ru_maxrss",
        **{k: v for k, v in probe.items() if not k.startswith("home_") and k != "heavy_imported_by_home"},
    }


MISSING = "{out} does not exist: run the whole benchmark first (--merge and --memory-only write into it)"
CLOUD_LIMIT_MB = 2.7e9 / 2**20  # Streamlit Community Cloud's memory limit


def _cloud_budget() -> float:
    from engine import settings

    return settings.default_model_budget_mb(CLOUD_LIMIT_MB)


def _cache_budget() -> float:
    from engine import settings

    return settings.model_budget_mb()


def home_report(env: dict[str, str], timeout_s: float = 300) -> dict[str, Any]:
    """Home alone in a fresh process: time to first render and the heavy modules it imported."""
    probe = _probe_app("home", [], env, timeout_s)
    if "error" in probe:
        return probe
    return {
        "first_render_s": probe["home_first_render_s"],
        "streamlit_import_s": probe["home_import_s"],
        "total_s": probe["home_total_s"],
        "heavy_imported": probe["heavy_imported_by_home"],
        "imports_heavy_libraries": bool(probe["heavy_imported_by_home"]),
        "rss_mb": probe["home_rss_mb"],
        "errors": probe["home_errors"],
    }


# --- the run: orchestration, the results file, the table ---------------------------------------


def bench_env(models_dir: Path) -> dict[str, str]:
    """The environment of every worker: offline, the stand-ins last (real weights win), quiet."""
    from engine.models.resolve import models_dirs

    dirs = [str(d) for d in models_dirs() if d.resolve() != models_dir.resolve()]
    shared = ROOT.parent / "shared" / "models"
    if shared.is_dir() and str(shared) not in dirs:
        dirs.append(str(shared))
    env = dict(os.environ)
    env["VISION_MODELS_DIR"] = os.pathsep.join([*dirs, str(models_dir)])
    env["HF_HUB_OFFLINE"] = "1"  # the benchmark never downloads; `make models` does
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    for key, value in (
        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
        ("TRANSFORMERS_VERBOSITY", "error"),
        ("YOLO_VERBOSE", "False"),
        ("YOLO_OFFLINE", "1"),
        ("TOKENIZERS_PARALLELISM", "false"),
    ):
        env.setdefault(key, value)
    return env


def run_worker(row: Row, settings: Settings, env: dict[str, str], timeout_s: float) -> dict[str, Any]:
    """:func:`measure` in a fresh process; failures become an ``"error"`` row, never a crash."""
    spec = registry.get(row.model_id)
    base = {"id": spec.id, "call": row.call, "task": spec.task, "family": spec.family}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "row.json"
        cmd = [
            sys.executable,
            "-m",
            "bench",
            "--worker",
            row.key,
            "--worker-out",
            str(out),
            "--runs",
            str(settings.runs),
            "--min-runs",
            str(settings.min_runs),
            "--seed-runs",
            str(settings.seed_runs),
            "--budget-s",
            str(settings.budget_s),
        ]
        if not settings.flops:
            cmd.append("--no-flops")
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            return {**base, "status": "error", "reason": f"took longer than {timeout_s:.0f} s", **_empty()}
        if proc.returncode != 0 or not out.is_file():
            tail = (proc.stderr or proc.stdout)[-600:].strip()
            return {**base, "status": "error", "reason": f"exit {proc.returncode}: {tail}", **_empty()}
        return json.loads(out.read_text())


def measure_row(row: Row, settings: Settings, env: dict[str, str], timeout_s: float) -> dict[str, Any]:
    """A row measured in ``settings.processes`` fresh processes that share its time budget, pooled
    (:func:`pool`); only the first counts FLOPs and times the seed-style call."""
    import dataclasses

    share = dataclasses.replace(settings, budget_s=settings.budget_s / settings.processes)
    parts = [run_worker(row, share, env, timeout_s)]
    for _ in range(settings.processes - 1):
        if parts[-1].get("status") != "ok":
            break
        parts.append(run_worker(row, dataclasses.replace(share, flops=False, seed_runs=0), env, timeout_s))
    return pool(parts)


def machine_info(peak_gflops: float) -> dict[str, Any]:
    import torch

    versions = {}
    from importlib import metadata

    for pkg in ("torch", "transformers", "ultralytics-opencv-headless", "timm", "streamlit"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return {
        "cpu": cpu_info(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "cuda": bool(torch.cuda.is_available()),
        "python": platform.python_version(),
        "versions": versions,
        "matmul_peak_gflops": peak_gflops,
        "load_average_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def validate_results(payload: dict[str, Any]) -> list[str]:
    """What is wrong with a results payload (empty when it has the promised shape)."""
    problems = []
    for key in ("schema", "created", "machine", "models", "memory"):
        if key not in payload:
            problems.append(f"missing top-level {key!r}")
    for i, entry in enumerate(payload.get("models", [])):
        for key in (*REQUIRED_FIELDS, "status"):
            if key not in entry:
                problems.append(f"models[{i}] ({entry.get('id')}) has no {key!r}")
        if entry.get("status") == "ok":
            if entry.get("weights") not in {"real", "random-init"}:
                problems.append(f"models[{i}] weights is {entry.get('weights')!r}")
            for key in ("engine_ms", "plain_ms", "seed_style_ms", "load_s", "rss_mb"):
                if not isinstance(entry.get(key), int | float) or entry[key] < 0:
                    problems.append(f"models[{i}] {key} is {entry.get(key)!r}")
    memory = payload.get("memory", {})
    for key in ("all_pages_peak_rss_mb", "budget_mb"):
        if key not in memory:
            problems.append(f"memory has no {key!r}")
    return problems


def write_results(payload: dict[str, Any], path: Path) -> Path:
    """Write ``payload`` as indented JSON, atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def _fmt(value: Any, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def table(models: Sequence[dict[str, Any]]) -> str:
    """The results as a fixed-width text table (what ``make bench`` prints)."""
    head = (
        f"{'model':44s} {'weights':11s} {'engine ms':>9s} {'plain ms':>9s} {'ratio':>6s} {'90% CI':>11s} {'target':>6s} "
        f"{'seed ms':>8s} {'load s':>7s} {'RSS MB':>7s} {'params M':>8s} {'GFLOPs':>7s} {'GFLOP/s':>8s} {'%peak':>6s}"
    )
    lines = [head, "-" * len(head)]
    for m in models:
        name = m["id"] + (f" [{m['call']}]" if m.get("call") else "")
        if m.get("status") != "ok":
            lines.append(f"{name:44s} {m.get('status', '?')}: {str(m.get('reason', ''))[:90]}")
            continue
        ok = "" if m.get("meets_target") else " !"
        frac = m.get("peak_fraction")
        ci = m.get("engine_vs_plain_ci90")
        interval = f"{ci[0]:.2f}–{ci[1]:.2f}" if ci else "—"
        lines.append(
            f"{name:44s} {m['weights']:11s} {m['engine_ms']:9.1f} {m['plain_ms']:9.1f} "
            f"{m['engine_vs_plain']:6.2f} {interval:>11s} {'≤' + format(m['target'], '.1f') + ok:>6s} "
            f"{m['seed_style_ms']:8.0f} "
            f"{m['load_s']:7.2f} {m['rss_mb']:7.0f} {m['params_m']:8.1f} {_fmt(m.get('gflops'), '7.2f')} "
            f"{_fmt(m.get('gflops_per_s'), '8.1f')} {_fmt(None if frac is None else 100 * frac, '5.0f')}%"
        )
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--models", nargs="*", help="registry ids (default: all)")
    p.add_argument("--tasks", nargs="*", help="only these tasks")
    p.add_argument("--runs", type=int, default=Settings.runs, help="timed runs per call kind, at most")
    p.add_argument("--min-runs", type=int, default=Settings.min_runs)
    p.add_argument("--seed-runs", type=int, default=Settings.seed_runs)
    p.add_argument("--budget-s", type=float, default=Settings.budget_s, help="seconds of timed runs per row")
    p.add_argument("--processes", type=int, default=Settings.processes, help="fresh processes per row, pooled")
    p.add_argument("--no-flops", action="store_true", help="skip the FLOP count")
    p.add_argument("--models-dir", type=Path, default=None, help="where the random-init stand-ins live")
    p.add_argument("--no-build", action="store_true", help="use the models dir as it is (build nothing)")
    p.add_argument("--skip-memory", action="store_true", help="skip the all-pages RSS run")
    p.add_argument("--skip-home", action="store_true", help="skip Home's first-render check")
    p.add_argument(
        "--merge",
        action="store_true",
        help="put the rows measured now into --out (same model and call replaced, others kept), each with its date and CPU",
    )
    p.add_argument(
        "--memory-only",
        action="store_true",
        help="only the all-pages RSS run and Home, written into --out's memory and home (its rows kept)",
    )
    p.add_argument("--timeout-s", type=float, default=600, help="per model process")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    return p


def cli(argv: Sequence[str]) -> int:
    """Run the benchmark; 0 when it ran (targets missed are reported, not an error), 2 on bad input."""
    args = parser().parse_args(list(argv))
    if args.merge:  # rows only: the file's memory and Home sections stay as they were measured
        args.skip_memory = args.skip_home = True
    settings = Settings(
        runs=max(1, args.runs),
        min_runs=max(1, min(args.min_runs, args.runs)),
        seed_runs=max(0 if args.worker else 1, args.seed_runs),
        budget_s=args.budget_s,
        flops=not args.no_flops,
        processes=max(1, args.processes),
    )
    if args.worker:  # inside a fresh process: one row
        result = measure(Row.parse(args.worker), settings)
        write_results(result, args.worker_out)
        return 0

    from bench.models import bench_models_dir, build
    from engine.errors import UnknownModel

    try:
        rows = rows_for(args.models, args.tasks)
    except UnknownModel as exc:
        print(exc, file=sys.stderr)
        return 2
    if (args.merge or args.memory_only) and not args.out.is_file():  # before minutes of building stand-ins
        print(MISSING.format(out=args.out), file=sys.stderr)
        return 2
    models_dir = (args.models_dir or bench_models_dir()).expanduser().resolve()
    models_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(models_dir)
    os.environ.update({k: env[k] for k in ("VISION_MODELS_DIR", "HF_HUB_OFFLINE")})
    _quiet()
    started = time.perf_counter()
    ids = list(dict.fromkeys(r.model_id for r in rows))
    if not args.no_build:
        build(ids, models_dir, log=lambda s: print(s, flush=True))
    if args.memory_only:
        return memory_only(env, args.out)

    peak = matmul_peak_gflops()
    env["VISION_BENCH_PEAK_GFLOPS"] = str(peak)
    print(f"matmul peak: {peak:.1f} GFLOP/s (fp32, torch threads as the app uses them)", flush=True)
    machine = machine_info(peak)
    results = []
    for row in rows:
        print(f"· {row.key} ...", flush=True)
        results.append(measure_row(row, settings, env, args.timeout_s))
        r = results[-1]
        if r.get("status") == "ok":
            print(
                f"  engine {r['engine_ms']:.1f} ms · plain {r['plain_ms']:.1f} ms · ratio {r['engine_vs_plain']:.2f}"
                f" (by process: {', '.join(f'{x:.2f}' for x in r['process_ratios'])})"
                f" · seed {r['seed_style_ms']:.0f} ms · load {r['load_s']:.2f} s",
                flush=True,
            )
        else:
            print(f"  {r.get('status')}: {r.get('reason')}", flush=True)

    memory: dict[str, Any] = {"all_pages_peak_rss_mb": None, "budget_mb": RSS_BUDGET_MB, "skipped": True}
    home: dict[str, Any] = {"skipped": True}
    if not args.skip_memory:
        print("· the whole app in one process (every page, compare modes) ...", flush=True)
        memory = memory_report(env)
        print(f"  peak RSS {memory.get('all_pages_peak_rss_mb')} MB (budget {RSS_BUDGET_MB:.0f} MB)", flush=True)
    if not args.skip_home:
        print("· Home alone ...", flush=True)
        home = home_report(env)
        print(f"  first render {home.get('first_render_s')} s · heavy imports: {home.get('heavy_imported')}")
    machine["load_average_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    if args.merge:
        return merge_rows(results, machine, settings, argv, args.out)
    payload = {
        "schema": SCHEMA,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(argv),
        "duration_s": round(time.perf_counter() - started, 1),
        "sample": SAMPLE,
        "settings": {k: getattr(settings, k) for k in Settings.__dataclass_fields__},
        "models_dir": str(models_dir),
        "machine": machine,
        "models": results,
        "memory": memory,
        "home": home,
        "summary": summary(results, memory, home),
    }
    if not _saved(payload, args.out):
        return 1
    print()
    print(table(results))
    print(f"\nwrote {args.out} in {payload['duration_s']:.0f} s")
    return 0


def _saved(payload: dict[str, Any], out: Path) -> bool:
    """``payload`` written to ``out`` when it has the promised shape (else what is wrong, on stderr)."""
    problems = validate_results(payload)
    if problems:
        print("results do not have the promised shape: " + "; ".join(problems), file=sys.stderr)
        return False
    write_results(payload, out)
    return True


def merge_rows(
    rows: Sequence[dict[str, Any]], machine: dict[str, Any], settings: Settings, argv: Sequence[str], out: Path
) -> int:
    """The rows just measured into ``out``: a row of the same model and call is replaced, the others
    stay, new ones go in registry order. Each merged row carries when, how and on which CPU it was
    measured, since the file's ``machine`` and ``created`` are those of the other rows."""
    if not out.is_file():
        print(MISSING.format(out=out), file=sys.stderr)
        return 2
    payload = json.loads(out.read_text())
    stamp = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench " + " ".join(argv),
        "cpu": machine.get("cpu"),
        "matmul_peak_gflops": machine.get("matmul_peak_gflops"),
        "load_average": [machine.get("load_average_start"), machine.get("load_average_end")],
        "settings": {k: getattr(settings, k) for k in Settings.__dataclass_fields__},
    }
    fresh = {(r["id"], r.get("call", "")): {**r, "measured": stamp} for r in rows}
    kept = [r for r in payload.get("models", []) if (r["id"], r.get("call", "")) not in fresh]
    order = {spec.id: i for i, spec in enumerate(registry.MODELS)}
    merged = sorted([*kept, *fresh.values()], key=lambda r: (order.get(r["id"], len(order)), r.get("call", "")))
    payload["models"] = merged
    payload["summary"] = summary(merged, payload.get("memory", {}), payload.get("home", {}))
    if not _saved(payload, out):
        return 1
    print(table(list(fresh.values())))
    print(f"\nmerged {len(fresh)} rows into {out}")
    return 0


def memory_only(env: dict[str, str], out: Path) -> int:
    """The whole app's memory and Home again, into ``out``'s ``memory`` and ``home`` (the model rows
    stay as they were measured): the section carries its own date, command and CPU, since it was
    not taken with the rows."""
    if not out.is_file():
        print(MISSING.format(out=out), file=sys.stderr)
        return 2
    payload = json.loads(out.read_text())
    started = time.perf_counter()
    stamp = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench --memory-only",
        "cpu": cpu_info(),
        "load_average_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
    print("· the whole app in one process (every page, compare modes) ...", flush=True)
    memory = memory_report(env)
    print(f"  peak RSS {memory.get('all_pages_peak_rss_mb')} MB (budget {RSS_BUDGET_MB:.0f} MB)", flush=True)
    print("· Home alone ...", flush=True)
    home = home_report(env)
    stamp["duration_s"] = round(time.perf_counter() - started, 1)
    stamp["load_average_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    payload["memory"] = {**memory, "measured": stamp}
    payload["home"] = {**home, "measured": stamp}
    payload["summary"] = summary(payload.get("models", []), payload["memory"], payload["home"])
    if not _saved(payload, out):
        return 1
    print(f"wrote the memory and home sections of {out} in {stamp['duration_s']:.0f} s")
    return 0


def summary(models: Sequence[dict[str, Any]], memory: dict[str, Any], home: dict[str, Any]) -> dict[str, Any]:
    """The targets at a glance: which rows miss their ratio, memory and Home."""
    ok = [m for m in models if m.get("status") == "ok"]
    return {
        "rows_measured": len(ok),
        "rows_skipped": [m["id"] + (f"#{m['call']}" if m.get("call") else "") for m in models if m not in ok],
        "ratio_targets_missed": [
            m["id"] + (f"#{m['call']}" if m.get("call") else "") for m in ok if not m.get("meets_target")
        ],
        "memory_within_budget": memory.get("within_budget"),
        "home_imports_heavy_libraries": home.get("imports_heavy_libraries"),
    }
