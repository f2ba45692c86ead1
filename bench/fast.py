"""``python -m bench fast [--quick]``: "Modo rápido" (:mod:`engine.accel.fastmode`) against fp32, per model.

For every model: each fast mode worth trying on it here (:func:`engine.accel.fastmode.candidates`),
its forward time against the fp32 model the app runs (packed for oneDNN), as a paired ratio (the
two alternate in one process, so a busy machine slows both alike), the memory the copy adds, and
which mode the app would keep (the fastest under 0.95x). On the real models here (EfficientNet-Lite0/1/2,
the sketch CNN, YOLOv8n) also the time per image through the task's own function and the agreement
with fp32 on real inputs: the six sample photos (classification, detection) and the synthesised
drawings of ``tests/sketch_shapes.py`` (the sketch CNN); a real CLIP, the photos with their names as
labels. The random-init stand-ins (ViT, DeiT, ResNet-50, YOLO11n, DETR, YOLOS, the depth models, the
CLIPs; `python -m bench` builds them) get the speed only: their answers mean nothing.

The run is written as the ``fast_mode`` section of ``--out`` (``bench/results.json``), stamped with its
date, command, CPU (model and flags) and load averages; the rest of the file stays as measured. With
``--models``, those rows replace theirs in the section, each with its own stamp, and the others stay.

Example:
    >>> summarise([1.0, 2.0, 4.0])
    {'median': 2.0, 'max': 4.0}
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.machine import cpu_info

ROOT = Path(__file__).resolve().parent.parent
REAL = ("efficientnet-lite0", "efficientnet-lite1", "efficientnet-lite2", "nateraw/quickdraw", "ultralytics/yolov8n")
RANDOM_INIT = (
    "google/vit-base-patch16-224",
    "facebook/deit-base-patch16-224",
    "microsoft/resnet-50",
    "ultralytics/yolo11n",
    "facebook/detr-resnet-50",
    "hustvl/yolos-small",
    "depth-anything/Depth-Anything-V2-Small-hf",
    "Intel/dpt-hybrid-midas",
    "vinvino02/glpn-nyu",
    "openai/clip-vit-base-patch32",
    "laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
)
QUICK = ("efficientnet-lite0", "nateraw/quickdraw", "ultralytics/yolov8n")
PHOTOS = ("cat", "coffee", "astronaut", "rocket", "motorcycle", "horse")
QUICK_PHOTOS = ("cat", "coffee")
DETECTION_THRESHOLD = 0.25  # Ultralytics' default confidence: more boxes to compare than the page's 0.5


def summarise(values: Sequence[float]) -> dict[str, float]:
    """The median and the largest of some figures, rounded."""
    return {"median": round(statistics.median(values), 4), "max": round(max(values), 4)}


def _loader(model_id: str) -> Any:
    import importlib

    from engine.models import registry
    from engine.tasks import LOADERS

    module, function = LOADERS[registry.get(model_id).task]
    return getattr(importlib.import_module(module), function)(model_id)


def _drawings(quick: bool) -> list[tuple[str, Any]]:
    from engine.tasks.sketch import rasterize
    from tests.sketch_shapes import SHAPES, place

    names = sorted(SHAPES)[:3] if quick else sorted(SHAPES)
    return [(n, rasterize(place(SHAPES[n], x=40, y=60, size=150, seed=0, wobble=0.01))) for n in names]


def _net_and_run(wrapper: Any) -> tuple[Any, Callable[[Any], Any]]:
    """The module a fast copy is made of and a call of it on a typical input (CLIP: the whole
    two-encoder model on one image and five sentences, :mod:`engine.tasks.clip.fast`)."""
    from engine.tasks import fast
    from engine.tasks.clip import ClipModel

    if isinstance(wrapper, ClipModel):
        from engine.tasks.clip import fast as clip_fast

        return wrapper.model, clip_fast.example_run(wrapper)
    return fast._net(wrapper), fast._example_run(wrapper)


def _zero_shot_compared(model: Any, copy: Any, image: Any, top_k: int, runs: int) -> Any:
    """CLIP's comparison on a photo, over the sample photos' names as labels (``top_k`` unused: every label)."""
    from engine.tasks.clip import zero_shot_compared

    return zero_shot_compared(model, copy, image, list(PHOTOS), runs=runs)


def _agreement(wrapper: Any, copy: Any, quick: bool) -> dict[str, Any]:
    """Time per input through the task's function, fp32 vs fast, and the agreement, on real inputs."""
    from engine.inputs.samples import load_sample
    from engine.tasks import fast
    from engine.tasks.classification import Classifier
    from engine.tasks.clip import ClipModel
    from engine.tasks.sketch import SketchModel

    runs = 3 if quick else 5
    per: list[dict[str, Any]] = []
    if isinstance(wrapper, Classifier | SketchModel | ClipModel):
        inputs = (
            _drawings(quick)
            if isinstance(wrapper, SketchModel)
            else [(p, load_sample(p)) for p in (QUICK_PHOTOS if quick else PHOTOS)]
        )
        compared = (
            fast.predict_compared
            if isinstance(wrapper, SketchModel)
            else _zero_shot_compared
            if isinstance(wrapper, ClipModel)
            else fast.classify_compared
        )
        for name, x in inputs:
            _, c = compared(wrapper, copy, x, 5, runs)
            a = c.agreement
            per.append(
                {
                    "input": name,
                    "fp32_ms": c.fp32_ms,
                    "fast_ms": c.fast_ms,
                    "same_top1": a.same_top1,
                    "max_score_diff": round(a.max_score_diff, 6),
                }
            )
        return {
            "inputs": len(per),
            "same_top1": sum(p["same_top1"] for p in per),
            "max_score_diff": summarise([p["max_score_diff"] for p in per]),
            "time_ratio_per_image": summarise([p["fast_ms"] / p["fp32_ms"] for p in per]),
            "per_input": per,
        }
    for name in QUICK_PHOTOS if quick else PHOTOS:
        _, c = fast.detect_compared(wrapper, copy, load_sample(name), runs, threshold=DETECTION_THRESHOLD)
        a = c.agreement
        per.append(
            {
                "input": name,
                "fp32_ms": c.fp32_ms,
                "fast_ms": c.fast_ms,
                "fp32_boxes": a.fp32_count,
                "fast_boxes": a.fast_count,
                "matched": a.matched,
                "mean_iou": a.mean_iou,
                "same_labels": a.same_labels,
            }
        )
    return {
        "inputs": len(per),
        "threshold": DETECTION_THRESHOLD,
        "same_count": sum(p["fp32_boxes"] == p["fast_boxes"] for p in per),
        "same_labels": sum(p["same_labels"] for p in per),
        "boxes": sum(p["fp32_boxes"] for p in per),
        "matched": sum(p["matched"] for p in per),
        "mean_iou": summarise([p["mean_iou"] for p in per]),
        "time_ratio_per_image": summarise([p["fast_ms"] / p["fp32_ms"] for p in per]),
        "per_input": per,
    }


def measure(model_id: str, *, quick: bool, runs: int) -> dict[str, Any]:
    """One model's row: every candidate mode's forward-time ratio, memory and (real weights) agreement."""
    from engine.accel import fastmode
    from engine.models.cache import model_size_mb

    started = time.perf_counter()
    wrapper = _loader(model_id)
    footprint = getattr(wrapper, "footprint", None)
    real = not (footprint is not None and footprint.stand_in)  # what was loaded, whatever was expected
    net, run = _net_and_run(wrapper)
    modes = fastmode.candidates(net)
    row: dict[str, Any] = {
        "id": model_id,
        "status": "ok",
        "weights": "real" if real else "random-init",
        "fp32_mb": round(model_size_mb(net), 2),
        "linear_share": round(fastmode.linear_share(net), 3),
        "modes": {},
    }
    copies = {m: fastmode.fast_copy(net, m, run) for m in modes}
    times = fastmode.paired_times([lambda: run(net), *[lambda c=c: run(c.module) for c in copies.values()]], runs)
    ratios = fastmode.ratios_of(times)
    for (mode, copy), ratio, own in zip(copies.items(), ratios, times[1:], strict=True):
        entry: dict[str, Any] = {
            "applied": copy.applied,
            "extra_mb": copy.extra_mb,
            "forward_ms": round(statistics.median(own), 2),
            "forward_ratio": round(ratio, 3),
            "speedup": round(1 / ratio, 3),
        }
        if real:
            entry["agreement"] = _agreement(wrapper, copy, quick)
        row["modes"][mode] = entry
    row["fp32_forward_ms"] = round(statistics.median(times[0]), 2)  # the same rounds as the modes'
    kept = [
        (e["forward_ratio"], m) for m, e in row["modes"].items() if e["forward_ratio"] < fastmode.KEEP_IF_RATIO_BELOW
    ]
    row["app_keeps"] = min(kept)[1] if kept else None
    row["seconds"] = round(time.perf_counter() - started, 1)
    copies.clear()
    gc.collect()
    return row


def _loads() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def parser() -> argparse.ArgumentParser:
    from bench.run import RESULTS

    p = argparse.ArgumentParser(prog="python -m bench fast", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="EfficientNet-Lite0, the sketch CNN and YOLOv8n, two photos")
    p.add_argument("--models", nargs="*", help="registry ids (default: the real ones, then the random-init ones)")
    p.add_argument("--runs", type=int, default=None, help="paired forward runs per mode (default 15, quick 5)")
    p.add_argument("--no-build", action="store_true", help="build no random-init stand-in (those missing are skipped)")
    p.add_argument("--out", type=Path, default=RESULTS)
    return p


def cli(argv: Sequence[str]) -> int:
    """Run it; 0 when written, 1 when the file would not have the promised shape, 2 on bad input."""
    args = parser().parse_args(list(argv))
    from bench.run import RESULTS, _quiet, _saved, bench_env

    ids = list(args.models) if args.models else list(QUICK if args.quick else (*REAL, *RANDOM_INIT))
    runs = args.runs or (5 if args.quick else 15)
    if not args.out.is_file():
        if args.out.resolve() == RESULTS.resolve() or not RESULTS.is_file():
            print(f"{args.out} does not exist: run `python -m bench` first", file=sys.stderr)
            return 2
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(RESULTS, args.out)  # the committed results, with this run's section
    from bench.models import bench_models_dir, build
    from engine.errors import UnknownModel
    from engine.models import registry

    try:
        specs = [registry.get(i) for i in ids]
    except UnknownModel as exc:
        print(exc, file=sys.stderr)
        return 2
    models_dir = bench_models_dir().expanduser().resolve()
    models_dir.mkdir(parents=True, exist_ok=True)
    env = bench_env(models_dir)
    os.environ.update({k: env[k] for k in ("VISION_MODELS_DIR", "HF_HUB_OFFLINE", "YOLO_OFFLINE")})
    _quiet()
    random_ids = [s.id for s in specs if s.id not in REAL]
    if random_ids and not args.no_build:
        build(random_ids, models_dir, log=lambda s: print(s, flush=True))
    from engine.accel import fastmode

    support = fastmode.support()
    started = time.perf_counter()
    stamp: dict[str, Any] = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench fast " + " ".join(argv),
        "cpu": cpu_info(),
        "torch": fastmode.torch.__version__,
        "threads": fastmode.torch.get_num_threads(),
        "supported_modes": list(support.modes),
        "why_not": support.why_not,
        "load_average_start": _loads(),
        "runs": runs,
        "quick": args.quick,
    }
    print(f"fast modes here: {', '.join(support.modes) or 'none'} · {stamp['cpu']['model']}", flush=True)
    rows: list[dict[str, Any]] = []
    for spec in specs:
        print(f"· {spec.id} ...", flush=True)
        try:
            row = measure(spec.id, quick=args.quick, runs=runs)
        except Exception as exc:  # noqa: BLE001 - one model failing (a missing stand-in) is reported, the rest run
            row = {"id": spec.id, "status": "error", "reason": f"{type(exc).__name__}: {str(exc)[:300]}"}
        rows.append(row)
        _print_row(row)
    stamp["duration_s"] = round(time.perf_counter() - started, 1)
    stamp["load_average_end"] = _loads()
    payload = json.loads(args.out.read_text())
    before = payload.get("fast_mode")
    if args.models and before:  # some rows again: they replace theirs, each stamped; the others stay
        fresh = {r["id"]: {**r, "measured": stamp} for r in rows}
        kept = [r for r in before.get("models", []) if r["id"] not in fresh]
        order = {m: i for i, m in enumerate((*REAL, *RANDOM_INIT))}
        merged = sorted([*kept, *fresh.values()], key=lambda r: order.get(r["id"], len(order)))
        payload["fast_mode"] = {**before, "models": merged}
    else:
        payload["fast_mode"] = {"measured": stamp, "models": rows}
    if not _saved(payload, args.out):
        return 1
    print(f"wrote the fast_mode section of {args.out} in {stamp['duration_s']:.0f} s")
    return 0


def _print_row(row: dict[str, Any], out: Callable[[str], None] = print) -> None:
    if row.get("status") != "ok":
        out(f"  {row.get('status')}: {row.get('reason')}")
        return
    for mode, e in row["modes"].items():
        line = f"  {mode} ({e['applied']}): forward ×{e['speedup']:.2f} (ratio {e['forward_ratio']:.2f}) · +{e['extra_mb']:.1f} MB"
        a = e.get("agreement")
        if a and "same_top1" in a:
            line += (
                f" · same top-1 {a['same_top1']}/{a['inputs']} · max score diff {a['max_score_diff']['max']:.4f}"
                f" · per image ×{1 / a['time_ratio_per_image']['median']:.2f}"
            )
        elif a:
            line += (
                f" · boxes {a['matched']}/{a['boxes']} matched, same count {a['same_count']}/{a['inputs']}"
                f" · mean IoU {a['mean_iou']['median']:.3f} · per image ×{1 / a['time_ratio_per_image']['median']:.2f}"
            )
        out(line)
    out(f"  the app keeps: {row['app_keeps'] or 'fp32 (no mode faster)'}")
