"""Detection metrics against ground truth: precision, recall, AP50 and mAP50-95, overall and per class.

AP comes from a well-kept implementation, torchmetrics' ``MeanAveragePrecision`` on the
pycocotools backend (COCO's own evaluation: 101-point interpolated precision-recall, IoU
thresholds 0.50:0.05:0.95), never from a hand-written AP. As in Ultralytics' validator, the
boxes it ranks are every box with confidence >= 0.001 (:data:`MAP_CONF`): AP is an area under
the precision-recall curve, and a higher threshold would cut the curve short.

Precision and recall are read at one confidence threshold (the page's slider, ``--conf`` here):
a box is a true positive when it overlaps a not-yet-matched labelled object of its class with
IoU >= 0.5 (best score first), a false positive otherwise; labelled objects left unmatched are
false negatives.

With ``validator=True`` (``--validator``) a YOLO model sees the images as Ultralytics' validator
does (its batches letterboxed to one rectangle each, its multi-label NMS) and AP is Ultralytics' own
(``ap="ultralytics"``): the figure ``YOLO(...).val()`` prints, which moves with its ``batch`` and
``rect`` (coco8-val, YOLOv8n: mAP50 0.929 at batch 1, 0.896 at batch 16, 0.816 without rect; the
default path 0.822). Ultralytics reports precision and recall at the confidence of best F1; here
they stay at the given threshold.

Command line (``python -m engine evaluate-detection``):
    $ python -m engine evaluate-detection --model ultralytics/yolov8n --data ../shared/data/coco8 --split val
    $ python -m engine evaluate-detection --model yolov8n --data ../shared/data/coco8 --validator [--batch 1] [--no-rect]

Example:
    >>> from engine.tasks.detection import Detections
    >>> from engine.evaluation.groundtruth import GroundTruth
    >>> gt = GroundTruth.from_boxes("a.jpg", (100, 100), [[10, 10, 50, 50]], ["cat"])
    >>> pred = Detections([[11, 10, 50, 49], [60, 60, 90, 90]], [0.9, 0.8], [15, 16], ["cat", "dog"])
    >>> e = evaluate([pred], [gt], threshold=0.5)
    >>> (e.tp, e.fp, e.fn, e.precision, e.recall, round(e.map50, 2))
    (1, 1, 0, 0.5, 1.0, 1.0)
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

import numpy as np

from engine.errors import EngineError, InvalidInput
from engine.evaluation.groundtruth import Dataset, GroundTruth
from engine.models.lazy import import_torch
from engine.results import json_text, rows_csv
from engine.tasks.detection import (
    VALIDATOR_BATCH,
    Detections,
    Detector,
    detect_batch,
    detect_validator,
    validator_applies,
    validator_batches,
)

MAP_CONF = 0.001  # Ultralytics' validator default: the whole precision-recall curve
MAP_MAX_DETECTIONS = 300  # Ultralytics' validator default
PR_IOU = 0.5
DEFAULT_CONF = 0.25  # Ultralytics' predict default, for precision and recall
ApMethod = Literal["coco", "ultralytics"]


@dataclass(frozen=True)
class ClassMetrics:
    """One class: labelled objects, TP/FP/FN and precision/recall at the threshold, AP50, AP50-95.

    AP is NaN for a class with no labelled objects (only false positives: nothing to recall).
    """

    name: str
    n_true: int
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    ap50: float
    ap50_95: float


@dataclass(frozen=True)
class Evaluation:
    """Metrics of one model on one or more labelled images."""

    images: int
    n_true: int
    threshold: float
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    map50: float
    map50_95: float
    per_class: tuple[ClassMetrics, ...]

    def rows(self) -> list[dict[str, Any]]:
        """One row per class (labelled classes first, then by name); NaN becomes ``None``."""
        return [_nan_to_none(asdict(c)) for c in self.per_class]

    def to_csv(self) -> str:
        """The per-class rows as CSV (header: the :class:`ClassMetrics` fields)."""
        return rows_csv(self.rows(), [f.name for f in fields(ClassMetrics)])

    def to_json(self, **extra: Any) -> str:
        """Every figure, the per-class ones under ``per_class``, as JSON (``{**extra, ...}``; NaN is ``null``).

        Example:
            >>> e = Evaluation(1, 0, 0.25, 0, 0, 0, math.nan, math.nan, math.nan, math.nan, ())
            >>> '"precision": null' in e.to_json(model="m")
            True
        """
        return json_text({**extra, **_nan_to_none(asdict(self))})


def _nan_to_none(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _nan_to_none(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_nan_to_none(v) for v in value]
    return value


def _ratio(num: int, den: int) -> float:
    return num / den if den else math.nan  # undefined: no boxes (precision) or no labels (recall)


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU matrix of two sets of xyxy boxes (torchvision's ``box_iou``)."""
    torch = import_torch()
    from torchvision.ops import box_iou

    return box_iou(torch.from_numpy(np.asarray(a, np.float32)), torch.from_numpy(np.asarray(b, np.float32))).numpy()


def match(pred: Detections, truth: GroundTruth, *, match_iou: float = PR_IOU) -> dict[str, tuple[int, int, int]]:
    """``{class: (tp, fp, fn)}`` for one image, matching best score first: a box hits a labelled
    object of its class when their IoU is at least ``match_iou``.

    A box on a COCO crowd region of its class is neither a hit nor a false positive (COCO ignores it).
    """
    out: dict[str, list[int]] = {}
    names = sorted(set(pred.class_name) | set(truth.class_name))
    for name in names:
        p_idx = [i for i, n in enumerate(pred.class_name) if n == name]
        p_idx.sort(key=lambda i: -float(pred.confidence[i]))
        g_idx = [i for i, n in enumerate(truth.class_name) if n == name and not truth.iscrowd[i]]
        c_idx = [i for i, n in enumerate(truth.class_name) if n == name and truth.iscrowd[i]]
        tp = fp = 0
        taken: set[int] = set()
        ious = _iou(pred.xyxy[p_idx], truth.xyxy[g_idx]) if p_idx and g_idx else np.zeros((len(p_idx), 0))
        crowd = _iou(pred.xyxy[p_idx], truth.xyxy[c_idx]) if p_idx and c_idx else np.zeros((len(p_idx), 0))
        for row in range(len(p_idx)):
            candidates = [(ious[row, j], j) for j in range(len(g_idx)) if j not in taken and ious[row, j] >= match_iou]
            if candidates:
                taken.add(max(candidates)[1])
                tp += 1
            elif crowd.shape[1] and crowd[row].max() >= match_iou:
                continue
            else:
                fp += 1
        out[name] = [tp, fp, len(g_idx) - len(taken)]
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def match_totals(pred: Detections, truth: GroundTruth, *, match_iou: float = PR_IOU) -> tuple[int, int, int]:
    """``(tp, fp, fn)`` of one image over every class (:func:`match`): the comparison table's
    false positives and negatives.

    Example:
        >>> gt = GroundTruth.from_boxes("a.jpg", (100, 100), [[10, 10, 50, 50], [60, 60, 90, 90]], ["cat", "cat"])
        >>> match_totals(Detections([[11, 10, 50, 49], [0, 60, 20, 90]], [0.9, 0.8], [15, 15], ["cat", "cat"]), gt)
        (1, 1, 1)
    """
    counts = match(pred, truth, match_iou=match_iou).values()
    return sum(c[0] for c in counts), sum(c[1] for c in counts), sum(c[2] for c in counts)


def _coco_ap(
    predictions: Sequence[Detections], truths: Sequence[GroundTruth], index: dict[str, int]
) -> tuple[float, float, dict[str, float], dict[str, float]]:
    """(mAP50, mAP50-95, AP50 per class, AP50-95 per class) from torchmetrics/pycocotools."""
    torch = import_torch()
    from torchmetrics.detection import MeanAveragePrecision

    def as_pred(d: Detections) -> dict[str, Any]:
        return {
            "boxes": torch.from_numpy(np.array(d.xyxy)),
            "scores": torch.from_numpy(np.array(d.confidence)),
            "labels": torch.tensor([index[n] for n in d.class_name], dtype=torch.long),
        }

    def as_target(g: GroundTruth) -> dict[str, Any]:
        return {
            "boxes": torch.from_numpy(np.array(g.xyxy)),
            "labels": torch.tensor([index[n] for n in g.class_name], dtype=torch.long),
            "iscrowd": torch.from_numpy(np.array(g.iscrowd, dtype=np.int64)),
        }

    preds = [as_pred(d) for d in predictions]
    targets = [as_target(g) for g in truths]
    results = []
    # COCO's summary gives mAP50 and mAP50-95 but per class only the 50-95 average; a second
    # evaluation at IoU 0.5 alone gives the per-class AP50.
    for thresholds in (None, [0.5]):
        metric = MeanAveragePrecision(
            box_format="xyxy", iou_type="bbox", class_metrics=True, backend="pycocotools", iou_thresholds=thresholds
        )
        metric.warn_on_many_detections = False  # 300 boxes an image at conf 0.001 is expected
        metric.update(preds, targets)
        results.append(metric.compute())
    names = {i: n for n, i in index.items()}

    def per_class(result: dict[str, Any]) -> dict[str, float]:
        classes = result["classes"].reshape(-1).tolist()
        values = result["map_per_class"].reshape(-1).tolist()
        return {names[int(c)]: (v if v >= 0 else math.nan) for c, v in zip(classes, values, strict=True)}

    def scalar(value: Any) -> float:
        v = float(value)
        return v if v >= 0 else math.nan  # COCO's -1: no labelled object at all

    full, at50 = results
    return scalar(full["map_50"]), scalar(full["map"]), per_class(at50), per_class(full)


def _ultralytics_ap(
    predictions: Sequence[Detections], truths: Sequence[GroundTruth], index: dict[str, int]
) -> tuple[float, float, dict[str, float], dict[str, float]]:
    """(mAP50, mAP50-95, AP50 per class, AP50-95 per class) as Ultralytics' validator computes them:
    its matching (best confidence first, each box to its best unclaimed object of its class, at each
    IoU 0.50:0.05:0.95) and its ``ap_per_class`` (the interpolated curve integrated with trapz).
    Crowd regions are left out, as Ultralytics' COCO converter leaves them out of its labels."""
    from engine.models.lazy import import_ultralytics

    import_ultralytics()  # its quiet, offline settings before the submodule
    from ultralytics.utils.metrics import ap_per_class

    thresholds = np.linspace(0.5, 0.95, 10)
    correct, conf, pred_cls, true_cls = [], [], [], []
    for pred, truth in zip(predictions, truths, strict=True):
        keep = [i for i, crowd in enumerate(truth.iscrowd) if not crowd]
        p_cls = np.array([index[n] for n in pred.class_name], dtype=np.int64)
        t_cls = np.array([index[truth.class_name[i]] for i in keep], dtype=np.int64)
        hits = np.zeros((len(pred), len(thresholds)), dtype=bool)
        if len(pred) and keep:
            iou = _iou(truth.xyxy[keep], np.array(pred.xyxy)) * (t_cls[:, None] == p_cls[None, :])
            claimed = np.zeros((len(keep), len(thresholds)), dtype=bool)
            for j in np.flatnonzero((iou >= thresholds[0]).any(0)):  # boxes come best first
                free = np.where(claimed, 0, iou[:, j, None])
                k = free.argmax(0)
                hits[j] = free[k, range(len(thresholds))] >= thresholds
                claimed[k, range(len(thresholds))] |= hits[j]
        correct.append(hits)
        conf.append(np.asarray(pred.confidence, dtype=np.float64))
        pred_cls.append(p_cls)
        true_cls.append(t_cls)
    targets = np.concatenate(true_cls) if true_cls else np.zeros(0, dtype=np.int64)
    if not targets.size:
        return math.nan, math.nan, {}, {}
    result = ap_per_class(np.concatenate(correct), np.concatenate(conf), np.concatenate(pred_cls), targets)
    ap, classes = result[5], result[6]
    names = {i: n for n, i in index.items()}
    ap50 = {names[int(c)]: float(a) for c, a in zip(classes, ap[:, 0], strict=True)}
    ap50_95 = {names[int(c)]: float(a) for c, a in zip(classes, ap.mean(1), strict=True)}
    return float(ap[:, 0].mean()), float(ap.mean()), ap50, ap50_95


def evaluate(
    predictions: Sequence[Detections],
    truths: Sequence[GroundTruth],
    *,
    threshold: float = DEFAULT_CONF,
    match_iou: float = PR_IOU,
    max_detections: int | None = None,
    ap: ApMethod = "coco",
) -> Evaluation:
    """Metrics of ``predictions`` (one :class:`Detections` per image, ideally down to confidence
    :data:`MAP_CONF`) against ``truths`` (same order).

    Precision and recall count the boxes a user would see: confidence ``>= threshold``, the best
    ``max_detections`` of each image. ``ap`` is how AP is computed: ``"coco"`` (pycocotools) or
    ``"ultralytics"`` (its validator's matching and ``ap_per_class``, what ``YOLO(...).val()`` prints).
    """
    if len(predictions) != len(truths):
        raise InvalidInput(
            f"Expected one set of detections per labelled image; got {len(predictions)} for {len(truths)} images.",
            code="det_eval_mismatch",
            detail=f"{len(predictions)} != {len(truths)}",
        )
    names = sorted({n for d in predictions for n in d.class_name} | {n for g in truths for n in g.class_name})
    index = {n: i for i, n in enumerate(names)}
    compute_ap = _ultralytics_ap if ap == "ultralytics" else _coco_ap
    map50, map50_95, ap50, ap50_95 = compute_ap(predictions, truths, index)
    counts: dict[str, list[int]] = {}
    for pred, truth in zip(predictions, truths, strict=True):
        shown = pred.filter(min_confidence=threshold, max_detections=max_detections)
        for name, (tp, fp, fn) in match(shown, truth, match_iou=match_iou).items():
            c = counts.setdefault(name, [0, 0, 0])
            c[0], c[1], c[2] = c[0] + tp, c[1] + fp, c[2] + fn
    n_true: dict[str, int] = {}
    for truth in truths:
        for name, n in truth.counts().items():
            n_true[name] = n_true.get(name, 0) + n
    rows = []
    for name in sorted(counts, key=lambda n: (-n_true.get(n, 0), n)):
        tp, fp, fn = counts[name]
        if not (tp or fp or fn or n_true.get(name)):
            continue  # only low-confidence boxes of a class nobody labelled: not worth a row
        rows.append(
            ClassMetrics(
                name,
                n_true.get(name, 0),
                tp,
                fp,
                fn,
                _ratio(tp, tp + fp),
                _ratio(tp, tp + fn),
                ap50.get(name, math.nan),
                ap50_95.get(name, math.nan),
            )
        )
    tp, fp, fn = (sum(c[k] for c in counts.values()) for k in range(3))
    return Evaluation(
        images=len(truths),
        n_true=sum(n_true.values()),
        threshold=threshold,
        tp=tp,
        fp=fp,
        fn=fn,
        precision=_ratio(tp, tp + fp),
        recall=_ratio(tp, tp + fn),
        map50=map50,
        map50_95=map50_95,
        per_class=tuple(rows),
    )


def detect_dataset(
    detector: Detector,
    dataset: Dataset,
    *,
    iou: float = 0.7,
    classes: list[str] | None = None,
    batch_size: int = 8,
    progress: Callable[[int, int], None] | None = None,
    validator: bool = False,
    rect: bool = True,
) -> list[Detections]:
    """``detector``'s boxes on every image of ``dataset``, down to :data:`MAP_CONF` (the best
    :data:`MAP_MAX_DETECTIONS`, like Ultralytics' validator): what :func:`evaluate` ranks.

    ``iou`` is YOLO's NMS IoU and ``classes`` keeps only those names. Images are decoded
    ``batch_size`` at a time, so a large folder does not sit in memory; ``progress(done, total)``
    is called after each batch. With ``validator``, a YOLO model sees the images as
    ``YOLO(...).val(batch=batch_size, rect=rect)`` does (:func:`~engine.tasks.detection.detect_validator`).
    """
    items = dataset.items
    if validator:
        predictions: list[Detections] = [Detections.empty()] * len(items)
        done = 0
        sizes = [item.truth.size for item in items]  # the labels' size is the image's: no decoding
        for indices, shape in validator_batches(sizes, batch=batch_size, rect=rect):
            found = detect_validator(
                detector,
                [items[i].load() for i in indices],
                threshold=MAP_CONF,
                iou=iou,
                classes=classes,
                max_detections=MAP_MAX_DETECTIONS,
                shapes=[shape] * len(indices),
            )
            for i, det in zip(indices, found, strict=True):
                predictions[i] = det
            done += len(indices)
            if progress is not None:
                progress(done, len(items))
        return predictions
    predictions = []
    for start in range(0, len(items), batch_size):
        chunk = items[start : start + batch_size]
        found = detect_batch(
            detector,
            [item.load() for item in chunk],
            threshold=MAP_CONF,
            iou=iou,
            classes=classes,
            max_detections=MAP_MAX_DETECTIONS,
            batch_size=batch_size,
        )
        predictions.extend(found)
        if progress is not None:
            progress(min(start + batch_size, len(items)), len(items))
    return predictions


def evaluate_dataset(
    predictions: Sequence[Detections],
    dataset: Dataset,
    *,
    threshold: float = DEFAULT_CONF,
    classes: list[str] | None = None,
    max_detections: int | None = None,
    ap: ApMethod = "coco",
) -> Evaluation:
    """:func:`evaluate` of :func:`detect_dataset`'s ``predictions`` against the dataset's labels,
    limited to ``classes`` (all when ``None``); precision and recall count the best
    ``max_detections`` boxes of each image above ``threshold``; AP as ``ap`` says."""
    truths = [item.truth.filter(classes) for item in dataset.items]
    return evaluate(predictions, truths, threshold=threshold, max_detections=max_detections, ap=ap)


def evaluate_detector(
    detector: Detector,
    dataset: Dataset,
    *,
    threshold: float = DEFAULT_CONF,
    iou: float = 0.7,
    classes: list[str] | None = None,
    max_detections: int | None = None,
    batch_size: int = 8,
    progress: Callable[[int, int], None] | None = None,
    validator: bool = False,
    rect: bool = True,
) -> tuple[Evaluation, list[Detections]]:
    """Run ``detector`` on every image of ``dataset`` (:func:`detect_dataset`) and evaluate
    (:func:`evaluate_dataset`); returns the evaluation and the boxes it ranked.

    ``validator``: Ultralytics' validator's preprocessing (batches of ``batch_size``, ``rect``) and
    AP (``ap="ultralytics"``), which gives what ``YOLO(...).val(batch=batch_size, rect=rect)`` prints.

    Example:
        >>> e, _ = evaluate_detector(load_detector("ultralytics/yolov8n"), coco8_val, validator=True,
        ...                          batch_size=16)  # doctest: +SKIP
        >>> round(e.map50, 3)  # doctest: +SKIP
        0.896
    """
    predictions = detect_dataset(
        detector,
        dataset,
        iou=iou,
        classes=classes,
        batch_size=batch_size,
        progress=progress,
        validator=validator,
        rect=rect,
    )
    evaluation = evaluate_dataset(
        predictions,
        dataset,
        threshold=threshold,
        classes=classes,
        max_detections=max_detections,
        ap=ap_rule(detector, validator),
    )
    return evaluation, predictions


def ap_rule(detector: Detector, validator: bool) -> Literal["ultralytics", "coco"]:
    """Ultralytics' AP where its validator's preprocessing ran (a YOLO model here), else COCO's:
    DETR and YOLOS are scored as always, with or without the option (the page and the CLI alike)."""
    return "ultralytics" if validator and validator_applies(detector) else "coco"


# --- command line ---


def _load_data(path: Path, split: str) -> Dataset:
    if path.is_file() and path.suffix.lower() == ".zip":
        return Dataset.from_zip(path.read_bytes())
    return Dataset.from_dir(path, split=split)


def _fmt(value: float) -> str:
    return "    -" if math.isnan(value) else f"{value:.3f}"


def _preprocessing(validator: bool, batch: int, rect: bool) -> str:
    """What the report says about how the images were seen and AP computed."""
    if not validator:
        return "app"
    return f"ultralytics-val batch={batch} rect={rect}"


def report(model_id: str, data: str, evaluation: Evaluation, *, preprocessing: str = "app") -> str:
    """The evaluation as a plain-text table; ``preprocessing`` is :func:`_preprocessing`'s."""
    e = evaluation
    how = (
        f"COCO evaluation, boxes down to conf {MAP_CONF}"
        if preprocessing == "app"
        else f"Ultralytics' validator: {preprocessing.removeprefix('ultralytics-val ')}, its AP"
    )
    lines = [
        f"{model_id} on {data}: {e.images} images, {e.n_true} labelled objects",
        f"mAP50 {_fmt(e.map50)}   mAP50-95 {_fmt(e.map50_95)}   ({how})",
        f"precision {_fmt(e.precision)}   recall {_fmt(e.recall)}   TP {e.tp}  FP {e.fp}  FN {e.fn}   "
        f"(at conf >= {e.threshold:g}, IoU >= {PR_IOU})",
        "",
        f"{'class':20s} {'objects':>7s} {'TP':>4s} {'FP':>4s} {'FN':>4s} {'precision':>9s} {'recall':>7s} "
        f"{'AP50':>6s} {'AP50-95':>7s}",
    ]
    for c in e.per_class:
        lines.append(
            f"{c.name[:20]:20s} {c.n_true:7d} {c.tp:4d} {c.fp:4d} {c.fn:4d} {_fmt(c.precision):>9s} "
            f"{_fmt(c.recall):>7s} {_fmt(c.ap50):>6s} {_fmt(c.ap50_95):>7s}"
        )
    return "\n".join(lines)


def _model_id(name: str, task: str) -> str:
    """The model ``--model`` names: a registry name (``yolov8n``), else any Hub id, checked for
    ``task`` like one a student types in the page (:func:`engine.models.typed.check`).

    Example:
        >>> _model_id("yolov8n.pt", "object-detection")
        'ultralytics/yolov8n'
    """
    from engine import settings
    from engine.errors import UnknownModel
    from engine.models import registry, typed

    try:
        return registry.find(name, task=task).id
    except UnknownModel:
        # No "/": a typo of a registry name ("yolov8"), answered with the closest ids.
        if "/" not in name.strip() or settings.offline():
            raise
    return typed.check(name, task).id


def cli(argv: list[str]) -> int:
    """``python -m engine evaluate-detection --model MODEL_ID --data DIR [--split val] [--json] [--validator]``."""
    parser = argparse.ArgumentParser(
        prog="python -m engine evaluate-detection",
        description="Precision, recall, AP50 and mAP50-95 of a detector on labelled images "
        "(Ultralytics layout images/<split>/ + labels/<split>/, a COCO JSON, or a zip).",
    )
    parser.add_argument(
        "--model",
        required=True,
        help="a detection model: a registry id (ultralytics/yolov8n), yolov8n, yolov8n.pt, or any Hub id "
        "(hustvl/yolos-tiny), checked before it is downloaded",
    )
    parser.add_argument("--data", required=True, type=Path, help="dataset folder (or a .zip)")
    parser.add_argument("--split", default="val", help="subfolder of images/ and labels/ (default: val)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--conf", type=float, default=DEFAULT_CONF, help=f"threshold for precision/recall (default {DEFAULT_CONF})"
    )
    parser.add_argument("--iou", type=float, default=0.7, help="YOLO's NMS IoU threshold (default 0.7)")
    parser.add_argument(
        "--batch",
        type=int,
        default=None,
        help=f"images per forward pass (default 8); with --validator, val()'s batch (default {VALIDATOR_BATCH}), "
        "which sets the letterbox shapes",
    )
    parser.add_argument(
        "--validator",
        action="store_true",
        help="Ultralytics' validator preprocessing and AP: what YOLO(...).val(batch=..., rect=True) prints",
    )
    parser.add_argument("--no-rect", action="store_true", help="with --validator: square 640x640 inputs (rect=False)")
    args = parser.parse_args(argv)
    batch = args.batch if args.batch is not None else (VALIDATOR_BATCH if args.validator else 8)
    from engine.tasks.detection import TASK, load_detector

    try:
        model_id = _model_id(args.model, TASK)  # a typo is reported before any data is read
        dataset = _load_data(args.data, args.split)
        detector = load_detector(model_id)
        evaluation, _ = evaluate_detector(
            detector,
            dataset,
            threshold=args.conf,
            iou=args.iou,
            batch_size=max(1, batch),
            validator=args.validator,
            rect=not args.no_rect,
        )
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    where = f"{args.data} ({args.split})" if args.data.is_dir() else str(args.data)
    if args.json:
        print(
            evaluation.to_json(
                model=model_id,
                data=str(args.data),
                split=args.split,
                preprocessing=_preprocessing(args.validator, batch, not args.no_rect),
                backgrounds=list(dataset.backgrounds),
                orphans=list(dataset.orphans),
            )
        )
    else:
        print(
            report(model_id, where, evaluation, preprocessing=_preprocessing(args.validator, batch, not args.no_rect))
        )
        if dataset.orphans:
            print(f"\nnote: {len(dataset.orphans)} label files have no image: {', '.join(dataset.orphans[:5])}")
    return 0
