"""Loading transformers pipelines from a resolved model: the one path every HF model takes.

The folder comes from :func:`engine.resolve.resolve` (models directory, embedded, cache or a
fresh Hub download); the pipeline is built from that folder with ``trust_remote_code=False``,
in eval mode, and errors become :class:`ModelLoadError` naming the model and the folder.

Example:
    >>> pipe = load_pipeline("image-classification", "efficientnet-lite0")  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from engine import registry
from engine.errors import EngineError, ModelLoadError
from engine.lazy import import_torch, import_transformers
from engine.registry import ModelSpec
from engine.resolve import Resolved, resolve

# Streamlit Community Cloud has few cores; more threads than cores only adds contention.
_THREADS = int(os.environ.get("VISION_TORCH_THREADS", "0"))


def configure_torch() -> None:
    """Thread settings, set once (they are process-wide)."""
    torch = import_torch()
    if _THREADS > 0:
        torch.set_num_threads(_THREADS)
    logging.getLogger("transformers").setLevel(logging.ERROR)


def _weights_file(folder: Path) -> str:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (folder / name).is_file():
            return str(folder / name)
    return str(folder)


def load_pipeline(task: str, spec: ModelSpec | str, **kwargs: Any) -> Any:
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
            **kwargs,
        )
    except EngineError:
        raise
    except Exception as exc:
        raise ModelLoadError(
            f"{spec.id} could not be loaded from {_weights_file(folder)}: {type(exc).__name__}: {str(exc)[:300]}",
            model_id=spec.id,
            file=_weights_file(folder),
            detail=f"{type(exc).__name__}: {str(exc)[:300]}",
        ) from exc
    pipe.model.eval()
    pipe.vision_where = resolved.where  # shown in the page: local / embedded / cache / hub
    return pipe


def _device() -> int | str:
    torch = import_torch()
    return 0 if torch.cuda.is_available() else "cpu"
