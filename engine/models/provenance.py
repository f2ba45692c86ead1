"""Is this the published model? The one rule every page, Home and the comparison tables use.

Offline, the app loads test stand-ins through the real code path: tiny random models
(``tests/tiny``) and the benchmark's full-size random-init architectures (``bench/models.py``).
They answer like a model ("imagenet class 755", 0.1 %), so a page must say that they are not the
published weights, and show the size and parameters of what is really there, not the registry's.

The rule (:func:`judge`): a model is a **stand-in** when its folder carries the benchmark's
random-init marker, or when the parameters actually there are under half or over twice the
published count (the registry's ``params_m``). When the parameters cannot be counted without
loading (a pickled ``.pt``), the weights' bytes on disk are compared with the published size
instead, with the same factor.

Example:
    >>> from engine.models import registry
    >>> spec = registry.get("google/vit-base-patch16-224")
    >>> judge(spec, params_m=0.02).stand_in
    True
    >>> judge(spec, params_m=86.4).stand_in
    False
"""

from __future__ import annotations

import json
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from engine.models.registry import ModelSpec

# The benchmark's random-init marker (bench.models writes it; the engine only reads it).
RANDOM_INIT_MARKER = "bench-model.json"  # inside a built Hugging Face folder
RANDOM_INIT_SUFFIX = ".bench.json"  # beside a built Ultralytics file: yolo11n.pt.bench.json
# Published vs present: a real checkpoint matches its card within a few percent (heads, buffers);
# a stand-in is off by orders of magnitude, so a factor of two separates them with room to spare.
FACTOR = 2.0
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")
_HEADER_LIMIT = 100 * 2**20  # a safetensors header larger than this is not one

Reason = Literal["", "random_init", "too_small", "too_large"]


@dataclass(frozen=True)
class Footprint:
    """What is really there for a model: parameters and weight bytes, and whether it is a stand-in.

    ``params_m`` / ``size_mb`` are ``None`` when they cannot be known without loading (or before
    a download). ``reason`` says why a stand-in is one (``""`` for the published weights).

    Example:
        >>> Footprint(params_m=5.3, size_mb=21.2).text()
        '5.3 M · 21.2 MB'
    """

    params_m: float | None = None
    size_mb: float | None = None
    stand_in: bool = False
    reason: Reason = ""

    def text(self) -> str:
        """``"5.3 M · 21.2 MB"`` (parameters, weights), ``—`` for what is not known."""
        params = "—" if self.params_m is None else f"{_figure(self.params_m)} M"
        size = "—" if self.size_mb is None else f"{_figure(self.size_mb)} MB"
        return f"{params} · {size}"

    def as_dict(self) -> dict[str, Any]:
        """Plain values, for JSON (the Serve app sends them to its clients)."""
        return {"params_m": self.params_m, "size_mb": self.size_mb, "stand_in": self.stand_in, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Footprint:
        """The inverse of :meth:`as_dict` (unknown keys ignored)."""
        data = data or {}
        reason = data.get("reason", "")
        return cls(
            params_m=_maybe_float(data.get("params_m")),
            size_mb=_maybe_float(data.get("size_mb")),
            stand_in=bool(data.get("stand_in", False)),
            reason=reason if reason in {"random_init", "too_small", "too_large"} else "",
        )


UNKNOWN = Footprint()  # a wrapper built without a loader (tests): nothing known, not flagged


def _figure(value: float) -> str:
    """Three significant figures, never scientific notation: 86.6, 5.31, 0.0213."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 1:
        return f"{value:.3g}"
    return f"{value:.2g}"


def _maybe_float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def random_init_marked(location: Path | str | None) -> bool:
    """Whether ``location`` (a model folder or an Ultralytics file) carries the benchmark's marker."""
    if location is None:
        return False
    path = Path(location)
    if path.is_dir():
        return (path / RANDOM_INIT_MARKER).is_file()
    return path.with_name(path.name + RANDOM_INIT_SUFFIX).is_file()


def judge(
    spec: ModelSpec,
    *,
    params_m: float | None = None,
    size_mb: float | None = None,
    location: Path | str | None = None,
    untrained: bool = False,
) -> Footprint:
    """Apply the rule to what is there: counted parameters (best), else weight bytes on disk.

    ``untrained``: the loader knows the checkpoint was saved without training (an Ultralytics
    file with no ``train_args``): a random-init stand-in whatever its size.
    """
    reason: Reason = ""
    if untrained or random_init_marked(location):
        reason = "random_init"
    else:
        present, published = (params_m, spec.params_m) if params_m is not None else (size_mb, spec.size_mb)
        if present is not None and published and published > 0:
            if present * FACTOR < published:
                reason = "too_small"
            elif present > published * FACTOR:
                reason = "too_large"
    return Footprint(params_m, size_mb, bool(reason), reason)


def weight_files(location: Path | str) -> list[Path]:
    """The weights files of a model folder (or the file itself)."""
    path = Path(location)
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix in WEIGHT_SUFFIXES)


def safetensors_params(path: Path) -> int | None:
    """Parameters in a ``.safetensors`` file, from its JSON header alone (no torch, nothing loaded).

    ``None`` when the file is not a readable safetensors file.
    """
    try:
        with path.open("rb") as f:
            (length,) = struct.unpack("<Q", f.read(8))
            if not 0 < length <= _HEADER_LIMIT:
                return None
            header = json.loads(f.read(length))
    except (OSError, ValueError, struct.error):
        return None
    total = 0
    for name, entry in header.items():
        if name == "__metadata__" or not isinstance(entry, dict):
            continue
        count = 1
        for dim in entry.get("shape", []):
            count *= int(dim)
        total += count
    return total


def pt_untrained(path: Path) -> bool:
    """Whether an Ultralytics ``.pt`` was saved without training, read without unpickling it.

    A ``torch.save`` file is a zip whose ``data.pkl`` names every key of the checkpoint; released
    Ultralytics weights record ``train_args``. Reading the bytes runs no pickled code. A file that
    is not such a zip is not judged here (``False``): loading it will say what is wrong.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            pickles = [n for n in archive.namelist() if n.endswith("/data.pkl") or n == "data.pkl"]
            if not pickles or archive.getinfo(pickles[0]).file_size > _HEADER_LIMIT:
                return False
            return b"train_args" not in archive.read(pickles[0])
    except (OSError, zipfile.BadZipFile):
        return False


def on_disk(spec: ModelSpec, location: Path | str) -> Footprint:
    """The footprint of a model's files without loading them (Home: no torch).

    Parameters are counted from safetensors headers; with other formats only the bytes are known.
    Where a folder holds both a ``.safetensors`` and a ``.bin`` of the same weights, only the
    safetensors are counted (the app loads those).
    """
    files = weight_files(location)
    safetensors = [p for p in files if p.suffix == ".safetensors"]
    chosen = safetensors or files
    if not chosen:
        return judge(spec, location=location)
    size_mb = sum(p.stat().st_size for p in chosen) / 1e6
    params: float | None = None
    if spec.source == "ultralytics":
        return judge(spec, size_mb=size_mb, location=location, untrained=pt_untrained(chosen[0]))
    if safetensors:
        counts = [safetensors_params(p) for p in safetensors]
        if all(c is not None for c in counts):
            params = sum(c for c in counts if c is not None) / 1e6
    return judge(spec, params_m=params, size_mb=size_mb, location=location)


def of_module(
    spec: ModelSpec, module: Any, location: Path | str | None = None, *, untrained: bool = False
) -> Footprint:
    """The footprint of a loaded torch module: its parameters and their bytes in memory.

    Example:
        >>> import torch  # doctest: +SKIP
        >>> of_module(spec, torch.nn.Linear(10, 10)).params_m  # doctest: +SKIP
        0.00011
    """
    params = 0
    size = 0
    for p in module.parameters():
        params += p.numel()
        size += p.numel() * p.element_size()
    return judge(spec, params_m=params / 1e6, size_mb=size / 1e6, location=location, untrained=untrained)
