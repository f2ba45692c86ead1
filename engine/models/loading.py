"""Loading transformers pipelines from a resolved model: the one path every HF model takes.

The folder comes from :func:`engine.models.resolve.resolve` (models directory, embedded, cache or a
fresh Hub download); the pipeline is built from that folder with ``trust_remote_code=False``,
in eval mode, and errors become :class:`ModelLoadError` naming the model and the folder.

Example:
    >>> loaded = load_pipeline("image-classification", "efficientnet-lite0")  # doctest: +SKIP
    >>> loaded.where, type(loaded.pipeline).__name__  # doctest: +SKIP
    ('embedded', 'ImageClassificationPipeline')
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import settings
from engine.errors import EngineError, ModelLoadError
from engine.models import registry
from engine.models.lazy import import_torch, import_transformers
from engine.models.provenance import Footprint, of_module
from engine.models.registry import ModelSpec
from engine.models.resolve import Resolved, resolve


def configure_torch() -> None:
    """Thread settings, set once (they are process-wide)."""
    torch = import_torch()
    # As many threads as the cores one queued job gets (engine.serving.queue): more than the cores
    # (a container's CPU quota can be far below the host's core count) only add contention.
    threads = settings.torch_threads()
    if threads <= 0:
        from engine.serving.queue import plan_slots, usable_cores

        threads = plan_slots(usable_cores(), settings.queue_slots())[1]
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    logging.getLogger("transformers").setLevel(logging.ERROR)


def weights_file(folder: Path) -> str:
    """The weights file a Hugging Face folder loads from (the folder itself when it has none)."""
    from engine.models.hub import choose_weights

    choice = choose_weights(p.name for p in folder.iterdir()) if folder.is_dir() else None
    return str(folder / choice.files[0]) if choice else str(folder)


def weights_kwargs(folder: Path) -> dict[str, Any]:
    """``from_pretrained`` keywords that load only safetensors where the folder has them, and
    pickled ``pytorch_model.bin`` only through ``torch.load(..., weights_only=True)``."""
    from engine.models.hub import choose_weights

    choice = choose_weights(p.name for p in folder.iterdir()) if folder.is_dir() else None
    return {"weights_only": True, "use_safetensors": bool(choice and choice.format == "safetensors")}


@dataclass(frozen=True, eq=False)
class Loaded:
    """A loaded ``transformers.pipeline`` and where its files came from (the page shows both)."""

    pipeline: Any
    where: str  # local / embedded / cache / hub (engine.models.resolve.Where)
    origin: str  # how its weights are stored: safetensors / conversion / pickle (engine.models.resolve.Origin)
    location: str = ""  # the folder it was loaded from

    def footprint(self, spec: ModelSpec) -> Footprint:
        """Parameters really loaded, and whether they are the published model (engine.models.provenance)."""
        return of_module(spec, self.pipeline.model, self.location or None)


def load_pipeline(task: str, spec: ModelSpec | str, **kwargs: Any) -> Loaded:
    """A ``transformers.pipeline`` for ``task`` from the model's resolved folder, on the CPU/GPU.

    Raises :class:`ModelUnavailable` when it cannot be had and :class:`ModelLoadError` when its
    files do not load.
    """
    if isinstance(spec, str):
        spec = registry.get(spec)
    resolved: Resolved = resolve(spec)
    transformers = import_transformers()
    configure_torch()
    folder = resolved.path
    try:
        pipe = transformers.pipeline(
            task,
            model=str(folder),
            trust_remote_code=False,  # never run code that comes with a model
            device=_device(),
            model_kwargs=weights_kwargs(folder),
            **kwargs,
        )
    except EngineError:
        raise
    except Exception as exc:
        raise ModelLoadError(
            f"{spec.id} could not be loaded from {weights_file(folder)}: {type(exc).__name__}: {str(exc)[:300]}",
            model_id=spec.id,
            file=weights_file(folder),
            detail=f"{type(exc).__name__}: {str(exc)[:300]}",
        ) from exc
    pipe.model.eval()
    return Loaded(pipe, resolved.where, resolved.origin, resolved.location)


def read_safetensors(path: Path) -> dict[str, Any]:
    """Every tensor of a ``.safetensors`` file, read with ``pread`` into memory of its own.

    transformers memory-maps the file instead; a mapped page stays resident while any tensor
    still views the file, which :mod:`engine.accel.fastcpu`'s packing would double.

    Example:
        >>> sorted(read_safetensors(folder / "model.safetensors"))[:1]  # doctest: +SKIP
        ['logit_scale']
    """
    from safetensors import safe_open

    try:
        handle = safe_open(str(path), framework="pt", device="cpu", backend="pread")
    except TypeError:  # a safetensors without the pread backend: its default (mapped) reader
        handle = safe_open(str(path), framework="pt", device="cpu")
    with handle as f:
        return {key: f.get_tensor(key) for key in f.keys()}  # noqa: SIM118 - a safe_open has no __iter__


def _device() -> int | str:
    torch = import_torch()
    return 0 if torch.cuda.is_available() else "cpu"


def load_yolo(spec: ModelSpec, task: str) -> tuple[Any, Resolved]:
    """An ``ultralytics.YOLO`` for ``task`` ("detect", "segment") from the model's resolved file,
    and where it came from; a file that does not load is a :class:`ModelLoadError` naming it."""
    from engine.models.lazy import import_ultralytics

    resolved = resolve(spec)
    ultralytics = import_ultralytics()
    try:
        model = ultralytics.YOLO(str(resolved.path), task=task)
    except EngineError:
        raise
    except Exception as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        raise ModelLoadError(
            f"{spec.id} could not be loaded from {resolved.path}: {detail}",
            model_id=spec.id,
            file=str(resolved.path),
            detail=detail,
        ) from exc
    return model, resolved


def yolo_footprint(spec: ModelSpec, model: Any, resolved: Resolved) -> Footprint:
    """An Ultralytics model's footprint; a checkpoint saved without training (no ``train_args``,
    which every released one records) is a random-init stand-in whatever its size."""
    untrained = "train_args" not in (getattr(model, "ckpt", None) or {})
    return of_module(spec, model.model, resolved.location, untrained=untrained)
