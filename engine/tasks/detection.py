"""Object detection: one result type (:class:`Detections`) for DETR, YOLOS and Ultralytics YOLO.

Hugging Face models go through :func:`engine.models.loading.load_pipeline` (the same folder a
``transformers.pipeline("object-detection")`` would use); Ultralytics models through
:func:`engine.models.resolve.resolve` and ``ultralytics.YOLO(path)``. Both end in :class:`Detections`
(boxes in pixels, ``xyxy``), so drawing (:mod:`engine.render.annotate`) and evaluation
(:mod:`engine.evaluation.metrics`) never care which library produced them. The design follows
roboflow/supervision's ``sv.Detections`` (``from_transformers``, ``from_ultralytics``).

Example:
    >>> d = Detections(xyxy=[[10, 20, 50, 60]], confidence=[0.9], class_id=[17], class_name=["cat"])
    >>> (len(d), d.rows()[0]["label"])
    (1, 'cat')
    >>> detector = load_detector("ultralytics/yolov8n")  # doctest: +SKIP
    >>> detect(detector, load_sample("cat"), threshold=0.5).counts()  # doctest: +SKIP
    {'cat': 1}
"""

from __future__ import annotations

import json
import statistics
import threading
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

import numpy as np
from PIL import Image

from engine.errors import InvalidInput
from engine.models import registry
from engine.models.lazy import import_torch
from engine.models.provenance import UNKNOWN, Footprint
from engine.results import json_text, rows_csv
from engine.serving import remote
from engine.serving.remote import RemoteModel
from engine.timing import timed

TASK = "object-detection"
IMGSZ = 640  # Ultralytics' inference size (the one its COCO numbers are measured at)
MAX_DETECTIONS = 1000

# The 80 COCO classes in the order Ultralytics numbers them (``YOLO(...).names``).
COCO_NAMES: tuple[str, ...] = (
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
    "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
    "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
    "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
    "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
    "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
    "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone",
    "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear",
    "hair drier", "toothbrush",
)  # fmt: skip

# DETR and YOLOS keep COCO's original 91 category ids (0 and 11 retired ids are "N/A").
_COCO91_UNUSED = frozenset({0, 12, 26, 29, 30, 45, 66, 68, 69, 71, 83})


def coco91_id2label() -> dict[int, str]:
    """COCO's 91-id label map as DETR/YOLOS configs have it (retired ids are ``"N/A"``).

    Example:
        >>> m = coco91_id2label(); (m[1], m[12], m[90], len(m))
        ('person', 'N/A', 'toothbrush', 91)
    """
    names = iter(COCO_NAMES)
    return {i: ("N/A" if i in _COCO91_UNUSED else next(names)) for i in range(91)}


def _bad(message: str, code: str = "det_bad_detections", **params: Any) -> InvalidInput:
    return InvalidInput(message, code=code, detail=message, **params)


def _as_array(value: Any, dtype: Any) -> np.ndarray:
    """A NumPy copy of a list, array or torch tensor (on any device)."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.array(value, dtype=dtype)


@dataclass(frozen=True, eq=False)
class Detections:
    """Boxes found in one image: ``xyxy`` pixels, confidences, class ids and class names.

    Arrays are read-only copies, sorted as given (constructors sort by confidence, highest first).
    ``class_id`` is the id in the model's own label map; ``class_name`` is what compares across
    models (DETR's id 1 and YOLO's id 0 are both ``"person"``).
    """

    xyxy: np.ndarray
    confidence: np.ndarray
    class_id: np.ndarray
    class_name: tuple[str, ...]

    def __init__(
        self,
        xyxy: Any,
        confidence: Any,
        class_id: Any,
        class_name: Iterable[str],
    ) -> None:
        boxes = _as_array(xyxy, np.float32)
        if boxes.size == 0:
            boxes = boxes.reshape(0, 4)
        if boxes.ndim != 2 or boxes.shape[1] != 4:
            raise _bad(f"Detections.xyxy: expected an array of shape (N, 4); got shape {boxes.shape}.")
        n = boxes.shape[0]
        conf = _as_array(confidence, np.float32).reshape(-1)
        ids = _as_array(class_id, np.int64).reshape(-1)
        names = tuple(str(s) for s in class_name)
        for label, got in (("confidence", conf.shape[0]), ("class_id", ids.shape[0]), ("class_name", len(names))):
            if got != n:
                raise _bad(f"Detections.{label}: expected {n} values (one per box); got {got}.")
        if not np.isfinite(boxes).all() or not np.isfinite(conf).all():
            raise _bad("Detections: expected finite boxes and confidences; got NaN or infinity.")
        inverted = np.flatnonzero((boxes[:, 2] < boxes[:, 0]) | (boxes[:, 3] < boxes[:, 1]))
        if inverted.size:
            i = int(inverted[0])
            raise _bad(f"Detections.xyxy: expected x1 <= x2 and y1 <= y2; box {i} is {boxes[i].tolist()}.")
        for arr in (boxes, conf, ids):
            arr.flags.writeable = False
        object.__setattr__(self, "xyxy", boxes)
        object.__setattr__(self, "confidence", conf)
        object.__setattr__(self, "class_id", ids)
        object.__setattr__(self, "class_name", names)

    # --- constructors ---

    @classmethod
    def empty(cls) -> Detections:
        """No detections."""
        return cls(np.zeros((0, 4)), [], [], [])

    @classmethod
    def from_transformers(
        cls, transformers_results: Mapping[str, Any] | Sequence[Mapping[str, Any]], id2label: Mapping[int, str] | None
    ) -> Detections:
        """From transformers: ``image_processor.post_process_object_detection(...)[i]`` (a dict of
        ``scores``, ``labels``, ``boxes`` tensors) with the model's ``config.id2label``, or the list
        of ``{"score", "label", "box"}`` dicts that ``pipeline("object-detection")`` returns.

        Example:
            >>> r = {"scores": [0.9], "labels": [17], "boxes": [[1.0, 2.0, 30.5, 40.0]]}
            >>> Detections.from_transformers(r, {17: "cat"}).class_name
            ('cat',)
        """
        if isinstance(transformers_results, Mapping):
            missing = {"scores", "labels", "boxes"} - set(transformers_results)
            if missing:
                raise _bad(
                    "Detections.from_transformers: expected the dict of post_process_object_detection with keys "
                    f"'scores', 'labels', 'boxes'; got keys {sorted(map(str, transformers_results))}."
                )
            if id2label is None:
                raise _bad("Detections.from_transformers: expected id2label (model.config.id2label); got None.")
            ids = _as_array(transformers_results["labels"], np.int64).reshape(-1)
            unknown = sorted({int(i) for i in ids} - {int(k) for k in id2label})
            if unknown:
                raise _bad(
                    "Detections.from_transformers: expected label ids of id2label "
                    f"(0..{max(map(int, id2label), default=-1)}); got {unknown}, which it lacks."
                )
            labels = {int(k): v for k, v in id2label.items()}
            det = cls(
                transformers_results["boxes"],
                transformers_results["scores"],
                ids,
                [labels[int(i)] for i in ids],
            )
            return det.sorted()
        if isinstance(transformers_results, Sequence) and not isinstance(transformers_results, (str, bytes)):
            rows = list(transformers_results)
            for i, row in enumerate(rows):
                if not isinstance(row, Mapping) or not {"score", "label", "box"} <= set(row):
                    got = sorted(map(str, row)) if isinstance(row, Mapping) else type(row).__name__
                    raise _bad(
                        "Detections.from_transformers: expected pipeline dicts with keys 'score', 'label', 'box'; "
                        f"item {i} is {got}."
                    )
            name2id = {v: int(k) for k, v in (id2label or {}).items()}
            names = [str(r["label"]) for r in rows]
            boxes = [[r["box"][k] for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows]
            det = cls(boxes, [r["score"] for r in rows], [name2id.get(n, -1) for n in names], names)
            return det.sorted()
        raise _bad(
            "Detections.from_transformers: expected a dict (post_process_object_detection) or a list of dicts "
            f"(pipeline output); got {type(transformers_results).__name__}."
        )

    @classmethod
    def from_ultralytics(cls, ultralytics_results: Any) -> Detections:
        """From one ``ultralytics`` ``Results`` of a detection model (``YOLO(...)(image)[0]``).

        Example:
            >>> Detections.from_ultralytics(YOLO("yolov8n.pt")("foto.jpg")[0])  # doctest: +SKIP
        """
        if isinstance(ultralytics_results, (list, tuple)):
            raise _bad(
                "Detections.from_ultralytics: expected one Results (e.g. model(image)[0]); "
                f"got a {type(ultralytics_results).__name__} of {len(ultralytics_results)}."
            )
        boxes = getattr(ultralytics_results, "boxes", None)
        names = getattr(ultralytics_results, "names", None)
        if boxes is None or names is None:
            raise _bad(
                "Detections.from_ultralytics: expected an ultralytics Results of a detection model (with .boxes "
                f"and .names); got {type(ultralytics_results).__name__} without boxes."
            )
        ids = _as_array(boxes.cls, np.int64).reshape(-1)
        return cls(boxes.xyxy, boxes.conf, ids, [str(names[int(i)]) for i in ids]).sorted()

    # --- views ---

    def __len__(self) -> int:
        return int(self.xyxy.shape[0])

    def __getitem__(self, index: Any) -> Detections:
        """A subset: a boolean mask, an index array or a slice."""
        idx = np.arange(len(self))[index]
        idx = np.atleast_1d(idx)
        return Detections(self.xyxy[idx], self.confidence[idx], self.class_id[idx], [self.class_name[i] for i in idx])

    def sorted(self) -> Detections:
        """Highest confidence first (stable for ties)."""
        return self[np.argsort(-self.confidence, kind="stable")]

    def filter(
        self,
        *,
        min_confidence: float | None = None,
        classes: Iterable[str] | None = None,
        max_detections: int | None = None,
    ) -> Detections:
        """Keep boxes with ``confidence >= min_confidence`` and a name in ``classes``; then the best
        ``max_detections``."""
        keep = np.ones(len(self), dtype=bool)
        if min_confidence is not None:
            keep &= self.confidence >= min_confidence
        if classes is not None:
            wanted = set(classes)
            keep &= np.array([n in wanted for n in self.class_name], dtype=bool)
        out = self[keep].sorted()
        return out[:max_detections] if max_detections is not None else out

    def counts(self) -> dict[str, int]:
        """Objects per class, most frequent first (ties by name)."""
        counter = Counter(self.class_name)
        return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

    def rows(self) -> list[dict[str, Any]]:
        """One row per box: label, score, x1, y1, x2, y2 (pixels, 1 decimal)."""
        return [
            {
                "label": name,
                "score": round(float(score), 4),
                **{k: round(float(v), 1) for k, v in zip(("x1", "y1", "x2", "y2"), box, strict=True)},
            }
            for name, score, box in zip(self.class_name, self.confidence, self.xyxy, strict=True)
        ]

    def to_csv(self) -> str:
        """The rows as CSV (header ``label,score,x1,y1,x2,y2``)."""
        return rows_csv(self.rows(), ["label", "score", "x1", "y1", "x2", "y2"])

    def to_json(self, **extra: Any) -> str:
        """The rows as JSON (``{**extra, "detections": [...]}``)."""
        return json_text({**extra, "detections": self.rows()})

    def to_wire(self) -> dict[str, Any]:
        """Every box unrounded, for remote inference (float32 values survive JSON exactly).

        Example:
            >>> d = Detections([[1.5, 2.25, 30.125, 40.0]], [0.875], [17], ["cat"])
            >>> e = Detections.from_wire(d.to_wire())
            >>> (e.xyxy == d.xyxy).all() and e.class_name == d.class_name
            True
        """
        return {
            "xyxy": self.xyxy.tolist(),
            "confidence": self.confidence.tolist(),
            "class_id": self.class_id.tolist(),
            "class_name": list(self.class_name),
        }

    @classmethod
    def from_wire(cls, doc: Mapping[str, Any]) -> Detections:
        """What :meth:`to_wire` wrote, in its order."""
        return cls(doc["xyxy"], doc["confidence"], doc["class_id"], doc["class_name"])


# --- models ---


Library = Literal["transformers", "ultralytics"]


@dataclass(frozen=True, eq=False)
class Detector:
    """A loaded detector: a transformers pipeline or an ``ultralytics.YOLO`` model (``library`` says which).

    ``model`` is what the model cache measures (both expose their torch module).
    """

    model_id: str
    library: Library
    model: Any
    where: str  # local / cache / hub: shown in the page
    # Ultralytics' predictor keeps per-call state (its args, a lazily fused model): one call at a time.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    applied: tuple[str, ...] = ()  # CPU speed-ups (engine.accel.fastcpu), e.g. ("onednn_linear:36", "onednn_conv:53")
    origin: str = ""  # how a Hugging Face model's weights are stored (engine.models.resolve.Origin)
    footprint: Footprint = UNKNOWN  # what was really loaded; a test stand-in says so (engine.models.provenance)

    @property
    def stand_in(self) -> bool:
        return self.footprint.stand_in

    @property
    def labels(self) -> tuple[str, ...]:
        """The class names the model can detect (without COCO's retired "N/A" ids)."""
        if self.library == "ultralytics":
            labels = self.model.names.values()
        else:
            labels = self.model.model.config.id2label.values()
        return tuple(dict.fromkeys(n for n in labels if n != "N/A"))


def load_detector(model_id: str) -> Detector:
    """Load a registry detection model (weights from :func:`engine.models.resolve.resolve`).

    Raises :class:`~engine.errors.ModelUnavailable` when it cannot be had and
    :class:`~engine.errors.ModelLoadError` when its file does not load.
    """
    spec = registry.get(model_id)
    if spec.task != TASK:
        raise InvalidInput(f"{model_id} is a {spec.task} model, not {TASK}.", code="wrong_task")
    if spec.source != "ultralytics":
        from engine.models.loading import load_pipeline

        loaded = load_pipeline(TASK, spec)
        footprint = loaded.footprint(spec)  # before packing: packed weights are no longer parameters
        return Detector(
            spec.id,
            "transformers",
            loaded.pipeline,
            loaded.where,
            applied=_speed_up(loaded.pipeline),
            origin=loaded.origin,
            footprint=footprint,
        )
    from engine.models.loading import load_yolo, yolo_footprint

    model, resolved = load_yolo(spec, "detect")
    footprint = yolo_footprint(spec, model, resolved)
    from engine.accel.fastcpu import speed_up_ultralytics

    applied = speed_up_ultralytics(model, IMGSZ)
    return Detector(spec.id, "ultralytics", model, resolved.where, applied=tuple(applied), footprint=footprint)


def _speed_up(pipe: Any) -> tuple[str, ...]:
    """Pack the weights for the CPU (:func:`engine.accel.fastcpu.pack_checked`), checked on a small input:
    DETR and YOLOS take any size, and a 384×512 one keeps the load quick."""
    if pipe.device.type != "cpu":
        return ()
    from engine.accel.fastcpu import pack_checked

    torch = import_torch()
    example = torch.rand(1, 3, 384, 512, generator=torch.Generator().manual_seed(0))
    return tuple(pack_checked(pipe.model, lambda m: m(pixel_values=example), lambda out: (out.logits, out.pred_boxes)))


def _check_settings(threshold: float, iou: float, max_detections: int) -> None:
    if not 0.0 <= threshold <= 1.0:
        raise InvalidInput(
            f"threshold must be between 0 and 1; got {threshold}.", code="det_bad_threshold", value=threshold
        )
    if not 0.0 < iou <= 1.0:
        raise InvalidInput(f"iou must be in (0, 1]; got {iou}.", code="det_bad_iou", value=iou)
    if not 1 <= max_detections <= MAX_DETECTIONS:
        raise InvalidInput(
            f"max_detections must be between 1 and {MAX_DETECTIONS}; got {max_detections}.",
            code="det_bad_max_detections",
            value=max_detections,
            limit=MAX_DETECTIONS,
        )


@dataclass(frozen=True)
class DetectionSettings:
    """The settings of :func:`detect` as one hashable value: a page passes them on and caches
    results under them (no parallel key to keep in step). Checked as :func:`detect` checks them.

    Example:
        >>> s = DetectionSettings(threshold=0.25, classes=["cat"])
        >>> s.kwargs()["classes"], s == DetectionSettings(threshold=0.25, classes=("cat",))
        (['cat'], True)
        >>> DetectionSettings(iou=0)
        Traceback (most recent call last):
        ...
        engine.errors.InvalidInput: iou must be in (0, 1]; got 0.
    """

    threshold: float = 0.5
    iou: float = 0.7  # YOLO's non-maximum-suppression IoU
    classes: tuple[str, ...] | None = None  # None: every class
    max_detections: int = 100

    def __post_init__(self) -> None:
        if self.classes is not None:
            object.__setattr__(self, "classes", tuple(self.classes))
        _check_settings(self.threshold, self.iou, self.max_detections)

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`detect`, :func:`detect_timed` and :func:`code_snippet`."""
        return {
            "threshold": self.threshold,
            "iou": self.iou,
            "classes": list(self.classes) if self.classes is not None else None,
            "max_detections": self.max_detections,
        }


def detect(
    detector: Detector,
    image: Image.Image,
    *,
    threshold: float = 0.5,
    iou: float = 0.7,
    classes: list[str] | None = None,
    max_detections: int = 100,
    module: Any = None,
) -> Detections:
    """The objects in ``image`` (RGB) with confidence ``>= threshold``, best first.

    ``iou`` is YOLO's non-maximum-suppression threshold (DETR and YOLOS predict a set of boxes and
    need none); ``classes`` keeps only those names (``None``: all). ``module``: a fast copy of a
    transformers detector's model (:mod:`engine.tasks.fast`) run in its place.
    """
    return detect_batch(
        detector, [image], threshold=threshold, iou=iou, classes=classes, max_detections=max_detections, module=module
    )[0]


def detect_batch(
    detector: Detector,
    images: Sequence[Image.Image],
    *,
    threshold: float = 0.5,
    iou: float = 0.7,
    classes: list[str] | None = None,
    max_detections: int = 100,
    batch_size: int = 8,
    module: Any = None,
) -> list[Detections]:
    """:func:`detect` for several images, batched where that changes nothing.

    Images are batched only with others of the same size: a padded batch would letterbox (YOLO)
    or pad (DETR, YOLOS) differently and change the boxes.
    """
    _check_settings(threshold, iou, max_detections)
    if isinstance(detector, RemoteModel):  # VISION_INFERENCE: a Serve replica runs this same function
        params = {"threshold": threshold, "iou": iou, "classes": classes, "max_detections": max_detections}
        found = remote.call(detector, "detect_batch", images=images, params={**params, "batch_size": batch_size})
        return [Detections.from_wire(d) for d in found]
    out: list[Detections | None] = [None] * len(images)
    groups: dict[tuple[int, int], list[int]] = {}
    for i, img in enumerate(images):
        groups.setdefault(img.size, []).append(i)
    if module is not None and detector.library == "ultralytics":
        raise InvalidInput("a YOLO's fast copy runs through engine.tasks.fast.detect_compared", code="fast_unsupported")
    run = _run_ultralytics if detector.library == "ultralytics" else partial(_run_transformers, module=module)
    for indices in groups.values():
        for start in range(0, len(indices), batch_size):
            chunk = indices[start : start + batch_size]
            found = run(detector, [images[i] for i in chunk], threshold, iou, classes, max_detections)
            for i, det in zip(chunk, found, strict=True):
                out[i] = det
    return [d if d is not None else Detections.empty() for d in out]


# --- Ultralytics' validator preprocessing (``YOLO(...).val()``) ---

VALIDATOR_BATCH = 16  # ``val()``'s default batch: with ``rect``, it decides each image's letterbox shape
_STRIDE = 32  # YOLOv8's largest stride: a letterbox side is a multiple of it
_RECT_PAD = 0.5  # the validator's extra half stride of padding on a rectangular batch shape


def validator_batches(
    sizes: Sequence[tuple[int, int]], *, batch: int = VALIDATOR_BATCH, rect: bool = True, imgsz: int = IMGSZ
) -> list[tuple[list[int], tuple[int, int]]]:
    """Ultralytics' validator's batches of images of ``sizes`` ((width, height)): the indices of each
    and the (height, width) all of them are letterboxed to. With ``rect`` the images are sorted by
    aspect ratio, cut into batches of ``batch``, and a batch's shape follows its extreme aspect
    ratio plus half a stride, rounded up to 32 (Ultralytics' ``set_rectangle``); without, every
    shape is ``imgsz`` × ``imgsz``. Why its mAP moves with ``batch`` and ``rect``.

    Example:
        >>> validator_batches([(640, 480), (478, 640), (500, 381)], batch=2)
        [([0, 2], (512, 672)), ([1], (672, 512))]
        >>> validator_batches([(640, 480), (478, 640)], batch=16)  # one batch: landscape and portrait
        [([0, 1], (672, 672))]
        >>> validator_batches([(640, 480)], rect=False)
        [([0], (640, 640))]
    """
    size = max(1, batch)
    if not rect:
        return [(list(range(i, min(i + size, len(sizes)))), (imgsz, imgsz)) for i in range(0, len(sizes), size)]
    ratios = np.array([h / w for w, h in sizes], dtype=np.float64)
    order = [int(i) for i in np.argsort(ratios, kind="stable")]
    out = []
    for start in range(0, len(order), size):
        chunk = order[start : start + size]
        low, high = ratios[chunk].min(), ratios[chunk].max()
        shape = [high, 1.0] if high < 1 else [1.0, 1 / low] if low > 1 else [1.0, 1.0]
        h, w = (np.ceil(np.array(shape) * imgsz / _STRIDE + _RECT_PAD).astype(int) * _STRIDE).tolist()
        out.append((chunk, (int(h), int(w))))
    return out


def validator_shapes(
    sizes: Sequence[tuple[int, int]], *, batch: int = VALIDATOR_BATCH, rect: bool = True, imgsz: int = IMGSZ
) -> list[tuple[int, int]]:
    """The (height, width) each image of ``sizes`` is letterboxed to (:func:`validator_batches`).

    Example:
        >>> validator_shapes([(640, 480), (500, 381)], batch=1)
        [(512, 672), (512, 672)]
    """
    out: list[tuple[int, int]] = [(imgsz, imgsz)] * len(sizes)
    for indices, shape in validator_batches(sizes, batch=batch, rect=rect, imgsz=imgsz):
        for i in indices:
            out[i] = shape
    return out


def _validator_letterbox(image: Image.Image, shape: tuple[int, int], imgsz: int) -> tuple[np.ndarray, Any]:
    """The validator's input for one image: long side resized to ``imgsz`` (OpenCV, bilinear), then
    centred on ``shape`` padded with grey 114, never scaled up again; and the ``ratio_pad`` that
    maps boxes back."""
    import cv2

    pixels = np.asarray(image.convert("RGB"))
    h0, w0 = pixels.shape[:2]
    r = imgsz / max(h0, w0)
    if r != 1:
        size = (min(int(np.ceil(w0 * r)), imgsz), min(int(np.ceil(h0 * r)), imgsz))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_LINEAR)
    h, w = pixels.shape[:2]
    r2 = min(shape[0] / h, shape[1] / w, 1.0)  # LetterBox(scaleup=False)
    unpadded = (max(round(w * r2), 1), max(round(h * r2), 1))
    if unpadded != (w, h):
        pixels = cv2.resize(pixels, unpadded, interpolation=cv2.INTER_LINEAR)
    dw, dh = (shape[1] - unpadded[0]) / 2, (shape[0] - unpadded[1]) / 2
    top, bottom, left, right = round(dh - 0.1), round(dh + 0.1), round(dw - 0.1), round(dw + 0.1)
    pixels = cv2.copyMakeBorder(pixels, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(114, 114, 114))
    return pixels, ((unpadded[1] / h0, unpadded[0] / w0), (left, top))


def validator_applies(detector: Detector) -> bool:
    """Whether :func:`detect_validator` changes ``detector``'s boxes: a YOLO model run here (DETR and
    YOLOS have no validator, and a remote replica runs :func:`detect_batch`)."""
    return not isinstance(detector, RemoteModel) and detector.library == "ultralytics"


def detect_validator(
    detector: Detector,
    images: Sequence[Image.Image],
    *,
    threshold: float = 0.001,
    iou: float = 0.7,
    classes: list[str] | None = None,
    max_detections: int = 300,
    batch: int = VALIDATOR_BATCH,
    rect: bool = True,
    shapes: Sequence[tuple[int, int]] | None = None,
) -> list[Detections]:
    """:func:`detect_batch` the way ``YOLO(...).val(batch=batch, rect=rect)`` sees ``images``: its
    letterbox shapes (:func:`validator_shapes` over all of ``images``, unless ``shapes`` gives
    them), its resizing, and its NMS,
    which may keep one box under two classes (``multi_label``). DETR and YOLOS have no validator:
    their boxes are :func:`detect_batch`'s, and so are a remote replica's.

    Example:
        >>> detect_validator(load_detector("ultralytics/yolov8n"), [load_sample("cat")])[0].counts()  # doctest: +SKIP
        {'cat': 1, ...}
    """
    _check_settings(threshold, iou, max_detections)
    if not validator_applies(detector):
        return detect_batch(
            detector, images, threshold=threshold, iou=iou, classes=classes, max_detections=max_detections
        )
    from engine.models.lazy import import_ultralytics

    import_ultralytics()  # its quiet, offline settings before the submodules
    from ultralytics.utils import nms, ops

    torch = import_torch()
    model = detector.model
    ids = None
    if classes is not None:
        wanted = set(classes)
        ids = [int(i) for i, name in model.names.items() if name in wanted]
        if not ids:
            return [Detections.empty() for _ in images]
    out: list[Detections] = []
    if shapes is None:
        shapes = validator_shapes([img.size for img in images], batch=batch, rect=rect)
    with detector.lock:
        if model.predictor is None:  # its fused (and packed) network is set up by a first prediction
            model.predict(np.zeros((64, 64, 3), dtype=np.uint8), imgsz=IMGSZ, verbose=False)
        net = model.predictor.model
        for image, shape in zip(images, shapes, strict=True):
            pixels, ratio_pad = _validator_letterbox(image, shape, IMGSZ)
            x = torch.from_numpy(np.ascontiguousarray(pixels.transpose(2, 0, 1)))[None].to(net.device).float() / 255
            with torch.inference_mode():
                raw = net(x)
            # multi_label: one box may stand for two classes, as in the validator (predict keeps one)
            kept = nms.non_max_suppression(raw, threshold, iou, classes=ids, multi_label=True, max_det=max_detections)
            found = kept[0]
            boxes = ops.scale_boxes(shape, found[:, :4].clone(), (image.height, image.width), ratio_pad=ratio_pad)
            cls = [int(c) for c in found[:, 5].tolist()]
            out.append(Detections(boxes, found[:, 4], cls, [str(model.names[c]) for c in cls]).sorted())
    return out


def _run_transformers(
    detector: Detector,
    images: list[Image.Image],
    threshold: float,
    iou: float,
    classes: list[str] | None,
    max_detections: int,
    module: Any = None,
) -> list[Detections]:
    """The pipeline's three steps, called directly: float boxes (the pipeline rounds them to ints)
    and a batch in one forward pass (through ``module`` instead of the pipeline's model when given)."""
    torch = import_torch()
    pipe = detector.model
    processor = pipe.image_processor
    inputs = processor(images=images, return_tensors="pt").to(pipe.device)
    with torch.inference_mode():
        outputs = (pipe.model if module is None else module)(**inputs)
    sizes = [(img.height, img.width) for img in images]
    results = processor.post_process_object_detection(outputs, threshold=threshold, target_sizes=sizes)
    id2label = pipe.model.config.id2label
    return [
        Detections.from_transformers(r, id2label).filter(classes=classes, max_detections=max_detections)
        for r in results
    ]


def _run_ultralytics(
    detector: Detector,
    images: list[Image.Image],
    threshold: float,
    iou: float,
    classes: list[str] | None,
    max_detections: int,
) -> list[Detections]:
    model = detector.model
    ids = None
    if classes is not None:
        wanted = set(classes)
        ids = [int(i) for i, name in model.names.items() if name in wanted]
        if not ids:  # none of the chosen classes exists in this model
            return [Detections.empty() for _ in images]
    with detector.lock:
        results = model.predict(
            images, conf=threshold, iou=iou, classes=ids, max_det=max_detections, imgsz=IMGSZ, verbose=False
        )
    return [Detections.from_ultralytics(r) for r in results]


_WARM: weakref.WeakSet[Detector] = weakref.WeakSet()  # detectors that have run once in this process


def detect_timed(
    detector: Detector,
    image: Image.Image,
    *,
    runs: int = 1,
    **settings: Any,
) -> tuple[Detections, float]:
    """:func:`detect` and its time in milliseconds: the call that gives the result, timed, and
    the median with ``runs - 1`` more calls when ``runs`` > 1.

    A detector's first call in this process is a warm-up, untimed: a cold call measures memory
    allocation and lazy set-up, not the model. After that the result's own call is timed. It used
    to be one call plus three timed ones on every upload, which made a class's server do four
    detections for each one a student asked for.
    """
    if detector not in _WARM:
        detect(detector, image, **settings)
        _WARM.add(detector)
    result, ms = timed(detect, detector, image, **settings)
    times = [ms] + [timed(detect, detector, image, **settings)[1] for _ in range(runs - 1)]
    return result, statistics.median(times)


# --- the code a student would write ---


def code_snippet(
    model_id: str,
    threshold: float = 0.5,
    iou: float = 0.7,
    classes: list[str] | None = None,
    max_detections: int = 100,
    file_name: str = "",
    lang: str = "es",
) -> str:
    """The Python a student would write for the same detections (transformers or Ultralytics) on
    their file ``file_name``; comments and names in ``lang`` ("es" or "en").

    Example:
        >>> "YOLO(" in code_snippet("ultralytics/yolov8n")
        True
        >>> "results = model('street.jpg'" in code_snippet("ultralytics/yolov8n", file_name="street.jpg", lang="en")
        True
    """
    spec = registry.get(model_id)
    en = lang == "en"
    name = repr(file_name or ("photo.jpg" if lang == "en" else "foto.jpg"))  # the file name is data, never code
    if spec.source == "ultralytics":
        model, result, box, label = (
            ("model", "results", "box", "name") if en else ("modelo", "resultado", "caja", "nombre")
        )
        args = f"conf={threshold:g}, iou={iou:g}, max_det={max_detections}"
        comment = ""
        if classes:
            args += f", classes={[COCO_NAMES.index(c) for c in classes if c in COCO_NAMES]}"
            comment = f"  # {', '.join(classes)}"
        downloaded = "downloaded the first time" if en else "se descarga la primera vez"
        return (
            "from ultralytics import YOLO\n\n"
            f'{model} = YOLO("{spec.file}")  # {downloaded}\n'
            f"{result} = {model}({name}, {args})[0]{comment}\n"
            f"for {box} in {result}.boxes:\n"
            f"    {label} = {result}.names[int({box}.cls)]\n"
            f"    print({label}, round(float({box}.conf), 2), {box}.xyxy[0].tolist())\n"
        )
    image, found, wanted = ("image", "detections", "wanted") if en else ("imagen", "detecciones", "clases")
    keep = ""
    if classes:
        names = ", ".join(json.dumps(c) for c in classes)
        keep = f"{wanted} = {{{names}}}\n{found} = [d for d in {found} if d['label'] in {wanted}]\n"
    return (
        "from transformers import pipeline\n"
        "from PIL import Image\n\n"
        f'detector = pipeline("object-detection", model="{spec.id}")\n'
        f'{image} = Image.open({name}).convert("RGB")\n'
        f"{found} = detector({image}, threshold={threshold:g})\n"
        f"{keep}"
        f"{found}.sort(key=lambda d: d['score'], reverse=True)\n"
        f"for d in {found}[:{max_detections}]:\n"
        "    print(d['label'], round(d['score'], 2), d['box'])\n"
    )


def lines_of_code(code: str) -> int:
    """Lines that do something: not blank, not only a comment."""
    return sum(1 for line in code.splitlines() if line.strip() and not line.strip().startswith("#"))


__all__ = [
    "COCO_NAMES",
    "TASK",
    "DetectionSettings",
    "Detections",
    "Detector",
    "code_snippet",
    "detect",
    "detect_batch",
    "detect_timed",
    "detect_validator",
    "lines_of_code",
    "load_detector",
    "validator_applies",
    "validator_batches",
    "validator_shapes",
]
