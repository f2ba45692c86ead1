""" "Modo rápido" for the tasks: a loaded model's fast copy (:mod:`engine.accel.fastmode`), one image
run in fp32 and in the fast mode, and the :class:`~engine.accel.fastmode.Comparison` of the two.

The fp32 result is the task's own function (the page's default, unchanged); the fast one goes through
the same pre- and post-processing with the fast copy in the model's place. Both are timed in the same
call, the fp32 one first, so the ratio is taken under the same load.

Example:
    >>> classifier = load_classifier("efficientnet-lite0")  # doctest: +SKIP
    >>> fast = fast_model(classifier)  # doctest: +SKIP
    >>> result, comparison = classify_compared(classifier, fast, load_sample("cat"), top_k=5)  # doctest: +SKIP
    >>> comparison.mode, comparison.agreement.same_top1  # doctest: +SKIP
    ('bf16', True)
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from PIL import Image

from engine.errors import InvalidInput
from engine.models.lazy import import_torch
from engine.results import Classifications
from engine.serving.remote import RemoteModel

if TYPE_CHECKING:  # engine.accel.fastmode imports torch: only when a fast mode runs
    from engine.accel.fastmode import Comparison, FastModel, Mode

T = TypeVar("T")
AGREEMENT_TOP_K = 5  # the score difference is taken over fp32's top 5 (or top_k, when larger)


RUNS = 3  # each image is run this many times in each mode, alternately; the medians are reported


def _timed(fn: Callable[[], T]) -> tuple[T, float]:
    torch = import_torch()
    with torch.inference_mode():
        start = time.perf_counter()
        out = fn()
    return out, (time.perf_counter() - start) * 1000


def _both(plain: Callable[[], T], quick: Callable[[], T], runs: int) -> tuple[T, float, T, float]:
    """Both calls' results and their median times (ms), the two run alternately ``runs`` times
    (a busy machine slows both alike)."""
    a_times, b_times = [], []
    a = b = None
    for _ in range(max(1, runs)):
        a, ms = _timed(plain)
        a_times.append(ms)
        b, ms = _timed(quick)
        b_times.append(ms)
    return a, statistics.median(a_times), b, statistics.median(b_times)  # type: ignore[return-value]


def _net(wrapper: Any) -> Any:
    """The torch module a fast copy is made of: a classifier's model, the sketch CNN, YOLO's fused network."""
    from engine.tasks.classification import Classifier
    from engine.tasks.depth import DepthEstimator
    from engine.tasks.detection import IMGSZ, Detector
    from engine.tasks.segmentation import YOLO_IMGSZ, Segmenter
    from engine.tasks.sketch.model import SketchModel

    if isinstance(wrapper, RemoteModel):
        raise InvalidInput("fast mode runs models loaded here", code="fast_remote")
    if isinstance(wrapper, Classifier):
        return wrapper.model
    if isinstance(wrapper, DepthEstimator):
        return wrapper.model.model  # the depth-estimation pipeline's model
    if isinstance(wrapper, SketchModel):
        return wrapper.module
    if isinstance(wrapper, Detector):
        if wrapper.library == "ultralytics":
            return _yolo_net(wrapper.model, wrapper.lock, IMGSZ)
        return wrapper.model.model  # DETR, YOLOS: the object-detection pipeline's model
    if isinstance(wrapper, Segmenter):
        if wrapper.kind == "instance":
            return _yolo_net(wrapper.model, wrapper.lock, YOLO_IMGSZ)
        return wrapper.model.model
    raise InvalidInput(f"fast mode has no way to run {type(wrapper).__name__}", code="fast_unsupported")


def _yolo_net(model: Any, lock: Any, imgsz: int) -> Any:
    """The fused (and packed) network an ``ultralytics.YOLO`` predicts with (set up by a first prediction)."""
    with lock:
        if model.predictor is None:
            model.predict(np.zeros((64, 64, 3), dtype=np.uint8), imgsz=imgsz, verbose=False)
        return model.predictor.model.model


@contextmanager
def _swapped(model: Any, module: Any) -> Iterator[None]:
    """An ``ultralytics.YOLO``'s predictor running ``module`` in its network's place, for the block
    (hold the model's lock: the predictor is shared)."""
    auto = model.predictor.model  # ultralytics' AutoBackend: its backend holds the network it calls
    backend = getattr(auto, "backend", None) or auto
    original = backend.model
    backend.model = module
    try:
        yield
    finally:
        backend.model = original


def _example_run(wrapper: Any) -> Callable[[Any], Any]:
    """A call of a module on a typical input of ``wrapper``'s model (to time the modes)."""
    torch = import_torch()
    from engine.tasks.classification import Classifier, _noise_image, _preprocess
    from engine.tasks.depth import DepthEstimator
    from engine.tasks.detection import Detector
    from engine.tasks.segmentation import Segmenter
    from engine.tasks.sketch.model import SketchModel

    transformers_detector = isinstance(wrapper, Detector) and wrapper.library != "ultralytics"
    if isinstance(wrapper, DepthEstimator) or transformers_detector:  # a 4:3 photo through its own processor
        photo = Image.fromarray(np.random.default_rng(0).integers(0, 256, (480, 640, 3), dtype=np.uint8))
        inputs = dict(wrapper.model.image_processor(images=photo, return_tensors="pt"))
        return lambda m: m(**inputs)
    if isinstance(wrapper, Classifier):
        example = _preprocess(wrapper.pipeline, _noise_image())
        if wrapper.channels_last:
            example = {k: v.contiguous(memory_format=torch.channels_last) for k, v in example.items()}
        return lambda m: m(**example)
    if isinstance(wrapper, SketchModel):
        noise = torch.rand(1, 1, 28, 28, generator=torch.Generator().manual_seed(0))
        return lambda m: m(noise)
    if isinstance(wrapper, Segmenter) and wrapper.kind == "semantic":
        pixels = torch.rand(1, 3, 512, 512, generator=torch.Generator().manual_seed(0))
        return lambda m: m(pixel_values=pixels)
    example = torch.rand(1, 3, 480, 640, generator=torch.Generator().manual_seed(0))  # a 4:3 photo's letterbox
    return lambda m: m(example)


def supported(wrapper: Any) -> bool:
    """Whether fast mode can run this loaded model (a classifier, the sketch CNN, a detector, a
    segmenter, a depth estimator, loaded in this process)."""
    from engine.tasks.classification import Classifier
    from engine.tasks.depth import DepthEstimator
    from engine.tasks.detection import Detector
    from engine.tasks.segmentation import Segmenter
    from engine.tasks.sketch.model import SketchModel

    if isinstance(wrapper, RemoteModel):
        return False
    return isinstance(wrapper, Classifier | SketchModel | Segmenter | DepthEstimator | Detector)


def fast_model(wrapper: Any, mode: Mode | None = None) -> FastModel | None:
    """The fast copy of a loaded model: ``mode``'s when given, else ``VISION_FAST_MODE``'s where this CPU
    runs it (:func:`engine.settings.fast_mode`), else the fastest mode that measures faster than fp32
    here (:func:`engine.accel.fastmode.prepare`); ``None`` when none is."""
    from engine import settings
    from engine.accel import fastmode

    net = _net(wrapper)
    forced = settings.fast_mode()
    if mode is None and forced in fastmode.support().modes:
        mode = forced  # type: ignore[assignment]
    run = _example_run(wrapper)
    if mode is not None:
        return fastmode.fast_copy(net, mode, run)
    _, ms = _timed(lambda: run(net))  # how long one forward takes: how many rounds to time
    return fastmode.prepare(net, run, runs=fastmode.timing_runs(ms / 1000))


def classify_compared(
    classifier: Any, fast: FastModel, image: Image.Image, top_k: int = 5, runs: int = RUNS
) -> tuple[Classifications, Comparison]:
    """``image`` classified in fp32 and in ``fast``'s mode: the fast top ``top_k`` and the comparison."""
    from engine.accel.fastmode import ClassAgreement, Comparison
    from engine.tasks.classification import classify

    k = max(top_k, AGREEMENT_TOP_K)
    plain, fp32_ms, quick, fast_ms = _both(
        lambda: classify(classifier, image, k), lambda: classify(classifier, image, k, module=fast.module), runs
    )
    agreement = ClassAgreement.from_classifications(plain.top_k(AGREEMENT_TOP_K), quick)
    return quick.top_k(top_k), Comparison.from_times(fast.mode, fp32_ms, fast_ms, agreement, fast.extra_mb)


def predict_compared(
    model: Any, fast: FastModel, x28: np.ndarray, top_k: int = 5, runs: int = RUNS
) -> tuple[Classifications, Comparison]:
    """A drawing (28×28) guessed by the sketch CNN in fp32 and in ``fast``'s mode."""
    from engine.accel.fastmode import ClassAgreement, Comparison
    from engine.tasks.sketch.model import predict

    k = max(top_k, AGREEMENT_TOP_K)
    quick_model = dataclasses.replace(model, module=fast.module)
    plain, fp32_ms, quick, fast_ms = _both(lambda: predict(model, x28, k), lambda: predict(quick_model, x28, k), runs)
    agreement = ClassAgreement.from_classifications(plain.top_k(AGREEMENT_TOP_K), quick)
    return quick.top_k(top_k), Comparison.from_times(fast.mode, fp32_ms, fast_ms, agreement, fast.extra_mb)


def detect_compared(
    detector: Any, fast: FastModel, image: Image.Image, runs: int = RUNS, **settings: Any
) -> tuple[Any, Comparison]:
    """The boxes for ``image`` in fp32 (:func:`engine.tasks.detection.detect`) and in ``fast``'s mode
    (YOLO: the same ``predict``, the fast network in the fused one's place; DETR, YOLOS: the pipeline's
    steps with the fast model): the fast boxes and the comparison."""
    from engine.accel.fastmode import BoxAgreement, Comparison
    from engine.tasks.detection import IMGSZ, Detections, DetectionSettings, detect

    if detector.library != "ultralytics":
        plain, fp32_ms, quick, fast_ms = _both(
            lambda: detect(detector, image, **settings),
            lambda: detect(detector, image, module=fast.module, **settings),
            runs,
        )
        agreement = BoxAgreement.from_detections(plain, quick)
        return quick, Comparison.from_times(fast.mode, fp32_ms, fast_ms, agreement, fast.extra_mb)
    options = DetectionSettings(**settings)
    model = detector.model
    ids = None
    if options.classes is not None:
        wanted = set(options.classes)
        ids = [int(i) for i, name in model.names.items() if name in wanted]

    def run() -> Detections:
        if ids == []:
            return Detections.empty()
        with _swapped(model, fast.module):
            found = model.predict(
                image,
                conf=options.threshold,
                iou=options.iou,
                classes=ids,
                max_det=options.max_detections,
                imgsz=IMGSZ,
                verbose=False,
            )
        return Detections.from_ultralytics(found[0])

    def run_locked() -> Detections:
        with detector.lock:  # the predictor is shared: no other call sees the swapped network
            return run()

    plain, fp32_ms, quick, fast_ms = _both(lambda: detect(detector, image, **settings), run_locked, runs)
    agreement = BoxAgreement.from_detections(plain, quick)
    return quick, Comparison.from_times(fast.mode, fp32_ms, fast_ms, agreement, fast.extra_mb)


def segment_compared(segmenter: Any, fast: FastModel, image: Image.Image, runs: int = RUNS) -> tuple[Any, Comparison]:
    """``image`` (already fitted, :func:`engine.tasks.segmentation.fit_for_segmentation`) segmented in fp32
    (:func:`engine.tasks.segmentation.segment`) and in ``fast``'s mode through the same steps: the fast
    segmentation and the comparison (the share of pixels given the same class)."""
    from engine.accel.fastmode import Comparison, PixelAgreement
    from engine.tasks.segmentation import YOLO_IMGSZ, Segmentation, segment, upsampled_argmax

    image = image if image.mode == "RGB" else image.convert("RGB")

    def quick() -> Segmentation:
        if segmenter.kind == "instance":
            with segmenter.lock, _swapped(segmenter.model, fast.module):
                result = segmenter.model(image, imgsz=YOLO_IMGSZ, verbose=False, retina_masks=True)[0]
            return Segmentation.from_ultralytics(result, image.size)
        pixels = segmenter.model.image_processor(images=[image], return_tensors="pt")["pixel_values"]
        logits = fast.module(pixel_values=pixels).logits[0]
        return Segmentation.from_label_map(upsampled_argmax(logits, (image.height, image.width)), segmenter.labels)

    plain, fp32_ms, found, fast_ms = _both(lambda: segment(segmenter, image), quick, runs)
    agreement = PixelAgreement.from_segmentations(plain, found)
    return found, Comparison.from_times(fast.mode, fp32_ms, fast_ms, agreement, fast.extra_mb)


def depth_compared(estimator: Any, fast: FastModel, image: Image.Image, runs: int = RUNS) -> tuple[Any, Comparison]:
    """``image`` (already fitted, :func:`engine.tasks.depth.fit_for_depth`) estimated in fp32
    (:func:`engine.tasks.depth.estimate_depth`) and in ``fast``'s mode through the pipeline's own
    pre- and post-processing: the fast map and the comparison (correlation, mean difference)."""
    from engine.accel.fastmode import Comparison, MapAgreement
    from engine.tasks.depth import estimate_depth

    plain, fp32_ms, found, fast_ms = _both(
        lambda: estimate_depth(estimator, image), lambda: estimate_depth(estimator, image, module=fast.module), runs
    )
    agreement = MapAgreement.from_depth(plain, found)
    return found, Comparison.from_times(fast.mode, fp32_ms, fast_ms, agreement, fast.extra_mb)
