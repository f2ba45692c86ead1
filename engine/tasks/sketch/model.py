"""The Quick Draw CNN of the Hugging Face Space ``nateraw/quickdraw`` (100 classes, trained on Quick
Draw's 28×28 bitmaps): its architecture, loading its files, running it.

Example:
    >>> model = load_sketch_model()  # doctest: +SKIP
    >>> predict(model, rasterize(strokes)).top[0]  # doctest: +SKIP
    'square'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.errors import EngineError, InvalidInput, ModelLoadError
from engine.models import registry
from engine.models.lazy import import_torch
from engine.models.provenance import UNKNOWN, Footprint, of_module
from engine.models.resolve import resolve
from engine.results import Classifications
from engine.serving import remote
from engine.serving.remote import RemoteModel
from engine.tasks.sketch.raster import SIDE, check_input

TASK = "sketch-recognition"
MODEL_ID = "nateraw/quickdraw"
CLASS_NAMES_FILE = "class_names.txt"


@dataclass(frozen=True)
class SketchModel:
    """The loaded CNN (``torch.nn.Sequential``, eval mode) and its class names, in output order.

    Example:
        >>> m = load_sketch_model()  # doctest: +SKIP
        >>> len(m.labels), m.labels[:2]  # doctest: +SKIP
        (100, ('airplane', 'alarm_clock'))
    """

    model_id: str
    module: Any
    labels: tuple[str, ...]
    where: str  # local / cache / hub: shown in the page
    weights_file: str
    footprint: Footprint = UNKNOWN  # what was really loaded; a test stand-in says so (engine.models.provenance)

    @property
    def stand_in(self) -> bool:
        return self.footprint.stand_in


def build_network(num_classes: int = 100) -> Any:
    """The Space's architecture: three conv(3×3, same)-ReLU-maxpool(2) blocks, then 1152→256→classes.

    Layer indices match the keys of ``pytorch_model.bin`` (``0.weight``, ``3.weight``... ``12.bias``).
    """
    nn = import_torch().nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding="same"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding="same"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3, padding="same"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(1152, 256),
        nn.ReLU(),
        nn.Linear(256, num_classes),
    )


def load_sketch_model(model_id: str = MODEL_ID) -> SketchModel:
    """Load the Quick Draw CNN from a models directory, the cache or the Space (see :func:`resolve`).

    ``weights_only=True`` (no pickled code runs) and ``strict=True`` (a key or shape mismatch is an
    error, not a silently half-random network). Raises :class:`ModelUnavailable` when the files
    cannot be had and :class:`ModelLoadError`, naming the file, when they do not load.
    """
    spec = registry.get(model_id)
    if spec.task != TASK:
        raise InvalidInput(f"{model_id} is a {spec.task} model, not {TASK}.", code="wrong_task")
    resolved = resolve(spec)
    folder = resolved.path
    weights = folder / (spec.file or "pytorch_model.bin")
    names = folder / CLASS_NAMES_FILE
    current = names
    try:
        labels = tuple(line.strip() for line in names.read_text(encoding="utf-8").splitlines() if line.strip())
        if not labels:
            raise ValueError("the file has no class names")
        current = weights
        torch = import_torch()
        state = torch.load(weights, map_location="cpu", weights_only=True)
        module = build_network(len(labels))
        module.load_state_dict(state, strict=True)
    except EngineError:
        raise
    except Exception as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        raise ModelLoadError(
            f"{spec.id} could not be loaded from {current}: {detail}",
            model_id=spec.id,
            file=str(current),
            detail=detail,
        ) from exc
    module.eval()
    footprint = of_module(spec, module, folder)  # before packing: packed weights are no longer parameters
    from engine.accel.fastcpu import pack_checked

    # Packed for oneDNN: about 0.85x the forward time of this small CNN (checked on a noise input).
    noise = torch.rand(1, 1, SIDE, SIDE, generator=torch.Generator().manual_seed(0))
    pack_checked(module, lambda m: m(noise), lambda out: out)
    return SketchModel(spec.id, module, labels, resolved.where, str(weights), footprint)


def predict(model: SketchModel, x28: np.ndarray, top_k: int = 5) -> Classifications:
    """The ``top_k`` classes for one 28×28 input (white strokes on black, values in [0, 1]).

    Example:
        >>> predict(model, rasterize(strokes), top_k=3).labels  # doctest: +SKIP
        ('circle', 'donut', 'wheel')
    """
    return predict_batch(model, [x28], top_k)[0]


def predict_batch(model: SketchModel, inputs: Sequence[np.ndarray], top_k: int = 5) -> list[Classifications]:
    """:func:`predict` for several inputs in one forward pass (the game summary, evaluations)."""
    if not 1 <= top_k <= len(model.labels):
        raise InvalidInput(f"top_k must be between 1 and {len(model.labels)}; got {top_k}.", code="bad_top_k", k=top_k)
    if len(inputs) == 0:
        return []
    checked = [check_input(x) for x in inputs]
    if isinstance(model, RemoteModel):  # VISION_INFERENCE: a Serve replica runs this same function
        found = remote.call(model, "predict_batch", arrays=checked, params={"top_k": top_k})
        return [Classifications.from_wire(c) for c in found]
    # One drawing (every stroke on the page) needs no stacking copy: a view with the batch axis.
    batch = checked[0][None, None] if len(checked) == 1 else np.stack(checked)[:, None]
    torch = import_torch()
    with torch.inference_mode():
        probs = torch.softmax(model.module(torch.from_numpy(batch)), dim=1)
        scores, indices = torch.topk(probs, top_k, dim=1)
    return [
        Classifications(tuple(model.labels[i] for i in row_idx), tuple(float(s) for s in row_scores))
        for row_idx, row_scores in zip(indices.tolist(), scores.tolist(), strict=True)
    ]
