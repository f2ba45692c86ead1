"""Tiny randomly initialised models built in code, saved in the Hugging Face layout.

Each module here defines ``BUILDERS: dict[str, Callable[[Path], None]]`` mapping a registry
model id to a function that writes that model's folder (``config.json``, weights, processor
files). :func:`build_models_dir` writes all of them under ``<root>/<org>/<name>/``, so the app
loads them through exactly the code path the real models take (a models directory).

Example:
    >>> build_models_dir(tmp_path)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
import shutil
from collections.abc import Callable
from pathlib import Path

Builder = Callable[[Path], None]


def builders() -> dict[str, Builder]:
    """Every builder of every module in this package, by model id."""
    found: dict[str, Builder] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for model_id, fn in getattr(module, "BUILDERS", {}).items():
            if model_id in found:
                raise KeyError(f"two tiny builders for {model_id}")
            found[model_id] = fn
    return found


def sources_digest() -> str:
    """A hash of this package's sources: the cache key of a built models directory."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def build_models_dir(root: Path) -> Path:
    """Build every tiny model under ``root`` (reused when the sources did not change)."""
    stamp = root / ".digest"
    digest = sources_digest()
    if stamp.is_file() and stamp.read_text() == digest:
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    import torch

    for model_id, build in builders().items():
        torch.manual_seed(0)
        target = root / model_id
        target.mkdir(parents=True, exist_ok=True)
        build(target)
    stamp.write_text(digest)
    return root
