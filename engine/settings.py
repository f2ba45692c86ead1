"""Every setting of the app, read from the environment in one place and at call time.

Each function reads its variable when called (not at import), so a server started with new
variables, a test's ``monkeypatch.setenv`` and the command line all see the same value.

| variable | default | what it sets |
| --- | --- | --- |
| ``VISION_MODELS_DIR`` | unset | local models directories (``os.pathsep``-separated) |
| ``VISION_CACHE_DIR`` | ``~/.cache/vision-dashboard`` | converted embedded models, Ultralytics and Space files |
| ``VISION_OFFLINE`` / ``HF_HUB_OFFLINE`` | unset | never download |
| ``HF_ENDPOINT`` | ``https://huggingface.co`` | the Hub (a mirror, or a local Hub in the tests) |
| ``HF_HUB_CACHE`` / ``HF_HOME`` | huggingface_hub's | where Hub downloads are cached |
| ``VISION_MODEL_BUDGET_MB`` | 1200 | memory for loaded models |
| ``VISION_MAX_UPLOAD_MB`` | 20 | upload size limit |
| ``VISION_MAX_PIXELS`` | 40 000 000 | larger images are refused before decoding |
| ``VISION_TORCH_THREADS`` | 0 (torch's choice) | torch's intra-op threads |
| ``VISION_NET_TIMEOUT_S`` | 3 | the reachability probe's timeout |
| ``VISION_DOWNLOAD_TIMEOUT_S`` | 30 | a download that stalls longer fails |
| ``VISION_MAX_MODEL_MB`` | 700 | a typed Hub model larger than this is refused before download |
| ``VISION_SESSION_MB`` | 64 | what one session keeps (results, images) |
| ``VISION_QUEUE_SLOTS`` | 1 | inferences run at once (the cores are split between them) |
| ``VISION_ONEDNN_PACK`` | 1 | 0: no oneDNN weight packing (engine.accel.fastcpu) |

Example:
    >>> import os; os.environ["HF_ENDPOINT"] = "http://127.0.0.1:8000/"
    >>> hub_endpoint()
    'http://127.0.0.1:8000'
    >>> hub_address()
    ('127.0.0.1', 8000)
    >>> del os.environ["HF_ENDPOINT"]
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_ENDPOINT = "https://huggingface.co"
TRUE = {"1", "true", "yes", "on"}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in TRUE


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


def offline() -> bool:
    """True when downloads are switched off (``VISION_OFFLINE`` or huggingface_hub's ``HF_HUB_OFFLINE``)."""
    return _flag("VISION_OFFLINE") or _flag("HF_HUB_OFFLINE")


def hub_endpoint() -> str:
    """The Hub every request goes to: ``HF_ENDPOINT`` as huggingface_hub reads it, without a trailing slash."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def hub_address() -> tuple[str, int]:
    """``(host, port)`` of :func:`hub_endpoint`, for the reachability probe."""
    parts = urlsplit(hub_endpoint())
    port = parts.port or (80 if parts.scheme == "http" else 443)
    return parts.hostname or "huggingface.co", port


def hf_cache_dir() -> Path | None:
    """Where Hub downloads are cached (``HF_HUB_CACHE``, else ``$HF_HOME/hub``); None: huggingface_hub's default."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    return None


def models_dirs() -> list[Path]:
    """The local models directories from ``VISION_MODELS_DIR``, existing ones only."""
    raw = os.environ.get("VISION_MODELS_DIR", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p and Path(p).expanduser().is_dir()]


def cache_dir() -> Path:
    """The app's own cache (converted embedded models, Ultralytics weights, Space files); created."""
    root = os.environ.get("VISION_CACHE_DIR") or Path.home() / ".cache" / "vision-dashboard"
    path = Path(root).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def net_timeout_s() -> float:
    """Seconds the Hub probe waits for a connection."""
    return _number("VISION_NET_TIMEOUT_S", 3.0)


def download_timeout_s() -> float:
    """Seconds a download may wait for the next bytes before it counts as failed."""
    return _number("VISION_DOWNLOAD_TIMEOUT_S", 30.0)


def model_budget_mb() -> float:
    """Memory for loaded models, in MB."""
    return _number("VISION_MODEL_BUDGET_MB", 1200.0)


def max_upload_bytes() -> int:
    """The largest upload the engine accepts."""
    return int(_number("VISION_MAX_UPLOAD_MB", 20) * 1024 * 1024)


def max_pixels() -> int:
    """The largest image (width x height) decoded."""
    return int(_number("VISION_MAX_PIXELS", 40_000_000))


def torch_threads() -> int:
    """torch's intra-op threads; 0 leaves torch's choice."""
    return int(_number("VISION_TORCH_THREADS", 0))


def onednn_pack() -> bool:
    """Whether load-time oneDNN weight packing is on (``VISION_ONEDNN_PACK=0`` turns it off)."""
    return os.environ.get("VISION_ONEDNN_PACK", "1").strip() != "0"


def queue_slots() -> int:
    """How many inferences run at once (``VISION_QUEUE_SLOTS``, default 1: one at a time on every core)."""
    return max(1, int(_number("VISION_QUEUE_SLOTS", 1)))


def session_budget_bytes() -> int:
    """What one session may keep (results, images, uploads), in bytes (``VISION_SESSION_MB``)."""
    return int(_number("VISION_SESSION_MB", 64) * 1024 * 1024)


def max_model_mb() -> float:
    """The largest download a typed Hub model may need, in MB (``VISION_MAX_MODEL_MB``): sized for
    Community Cloud, where a CLIP-L (1.7 GB) would not fit next to the page's other models."""
    return _number("VISION_MAX_MODEL_MB", 700.0)
