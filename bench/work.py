"""``python -m bench work`` (``make bench-work``): each registry model's working memory, against
the ``work_mb`` the registry says (the model cache makes room for it before a call).

For each model, in a fresh process: load it through the engine, hand the heap back, then two calls
on the sample photo enlarged to the largest size its page gives a model (2048 px; /depth 1024,
GLPN 640, /segmentation 1600) while a thread samples the anonymous RSS every 2 ms; the working memory is the
peak above the level after loading. Models whose weights are not on this machine run the
benchmark's full-size random-init stand-ins (``bench.models``): activations depend on the
architecture and the photo, not on the weights. Prints one row per model and whether the
registry's figure covers it (within 10 %); ``--quick`` measures two small models.

Example:
    $ python -m bench work
    $ python -m bench work --models efficientnet-lite0 vinvino02/glpn-nyu
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUICK = ("efficientnet-lite0", "nateraw/quickdraw")
SLACK = 1.10  # the registry's figure may be under a new measurement by this much (noise, allocator)


def photo_side(model_id: str) -> int:
    """The largest photo side a page hands ``model_id`` (its task's, or less where the model says).

    Example:
        >>> photo_side("Intel/dpt-hybrid-midas"), photo_side("vinvino02/glpn-nyu")
        (1024, 640)
        >>> photo_side("nvidia/segformer-b0-finetuned-ade-512-512"), photo_side("ultralytics/yolov8n")
        (1600, 2048)
    """
    from engine import settings
    from engine.models import registry
    from engine.tasks import depth, segmentation

    task = registry.get(model_id).task
    if task == depth.TASK:
        return depth.model_side(model_id)
    return segmentation.MAX_SIDE if task == "image-segmentation" else settings.working_side()


def _caller(task: str, image: Any) -> tuple[Any, Any]:
    """(loader, one call) of ``task`` at the page's defaults."""
    if task == "image-classification":
        from engine.tasks.classification import classify, load_classifier

        return load_classifier, lambda m: classify(m, image)
    if task == "object-detection":
        from engine.tasks.detection import DetectionSettings, detect, load_detector

        return load_detector, lambda m: detect(m, image, **DetectionSettings().kwargs())
    if task == "image-segmentation":
        from engine.tasks.segmentation import load_segmenter, segment

        return load_segmenter, lambda m: segment(m, image)
    if task == "depth-estimation":
        from engine.tasks.depth import estimate_depth, load_depth_estimator

        return load_depth_estimator, lambda m: estimate_depth(m, image)
    if task == "zero-shot-image-classification":
        from engine.tasks.clip.model import load_clip, zero_shot

        return load_clip, lambda m: zero_shot(m, image, ["cat", "dog", "car", "tree", "person"])
    if task == "sketch-recognition":
        import numpy as np

        from engine.tasks.sketch.model import load_sketch_model, predict

        return load_sketch_model, lambda m: predict(m, np.zeros((28, 28), np.float32))
    raise ValueError(f"no working-memory call for task {task!r}")


def measure(model_id: str) -> dict[str, Any]:
    """One model's working memory, measured in this process (run it in a fresh one)."""
    import threading
    import time

    from bench.app_probe import anon_mb
    from engine.inputs.samples import load_sample
    from engine.models import registry
    from engine.models.cache import release_memory

    spec = registry.get(model_id)
    image = load_sample("cat").convert("RGB")
    side = photo_side(spec.id)
    scale = side / max(image.size)
    image = image.resize((round(image.width * scale), round(image.height * scale)))
    load, call = _caller(spec.task, image)
    model = load(spec.id)
    release_memory()
    base = anon_mb()
    peak = [base]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], anon_mb())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        for _ in range(2):
            call(model)
    finally:
        stop.set()
        sampler.join()
    work = round(peak[0] - base, 1)
    return {
        "id": spec.id,
        "photo": list(image.size),
        "work_mb": work,
        "registry_mb": spec.work_mb,
        "covered": work <= spec.work_mb * SLACK,
    }


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench work", description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="*", help="registry ids (default: every registry model)")
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process: measure this one, print JSON
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    from bench.machine import cpu_info
    from bench.models import bench_models_dir, build
    from bench.run import bench_env
    from engine.models import registry

    ids = list(QUICK) if args.quick else (args.models or [m.id for m in registry.MODELS])
    root = bench_models_dir()
    build(ids, root, log=lambda line: None)  # full-size random-init stand-ins of the models whose weights are not here
    env = bench_env(root)
    print(f"working memory per call, {cpu_info()}")
    rows = []
    for model_id in ids:
        proc = subprocess.run(
            [sys.executable, "-m", "bench", "work", "--one", model_id],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if proc.returncode != 0:
            print(f"{model_id}: failed: {proc.stderr[-400:]}")
            rows.append({"id": model_id, "covered": False})
            continue
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(row)
        mark = "ok" if row["covered"] else "OVER the registry's figure"
        print(
            f"{row['id']:45s} {row['photo'][0]:>5d} px  {row['work_mb']:7.1f} MB  (registry {row['registry_mb']:g}) {mark}"
        )
    return 0 if all(r["covered"] for r in rows) else 1
