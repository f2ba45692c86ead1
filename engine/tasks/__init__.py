"""One module a task: its result type, loading its models, running them, its code snippet.

:data:`LOADERS` names each task's loader as plain data (module, function), so nothing heavy is
imported until a model of that task is asked for; the app (``ui.models``) and the Ray Serve
replicas (``engine.serving.serve_app``) both load through it.

Example:
    >>> LOADERS["object-detection"]
    ('engine.tasks.detection', 'load_detector')
"""

from __future__ import annotations

# The loader of each task's models: (module, function), the function taking a registry id and
# returning the task's model wrapper (Classifier, SketchModel, Detector, Segmenter, ClipModel,
# DepthEstimator).
LOADERS: dict[str, tuple[str, str]] = {
    "image-classification": ("engine.tasks.classification", "load_classifier"),
    "sketch-recognition": ("engine.tasks.sketch", "load_sketch_model"),
    "object-detection": ("engine.tasks.detection", "load_detector"),
    "image-segmentation": ("engine.tasks.segmentation", "load_segmenter"),
    "zero-shot-image-classification": ("engine.tasks.clip", "load_clip"),
    "depth-estimation": ("engine.tasks.depth", "load_depth_estimator"),
}
