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
| ``VISION_MODEL_BUDGET_MB`` | from the memory limit (:func:`default_model_budget_mb`) | memory for loaded models |
| ``VISION_CACHE_STATS`` | unset | a JSON file the model cache rewrites with its counters (the load bench) |
| ``VISION_MAX_UPLOAD_MB`` | 20 | upload size limit |
| ``VISION_MAX_PIXELS`` | 40 000 000 | larger images are refused before decoding |
| ``VISION_WORKING_SIDE`` | 2048 | a decoded photo with a longer side is shrunk to it once, up front (0: never) |
| ``VISION_TORCH_THREADS`` | 0 (torch's choice) | torch's intra-op threads |
| ``VISION_NET_TIMEOUT_S`` | 3 | the reachability probe's timeout |
| ``VISION_DOWNLOAD_TIMEOUT_S`` | 30 | a download that stalls longer fails |
| ``VISION_MAX_MODEL_MB`` | 700 | a typed Hub model larger than this is refused before download |
| ``VISION_SESSION_MB`` | from the memory limit and the class (:func:`default_session_mb`): 8 on Community Cloud, 64 at most | what one session keeps (results, images) |
| ``VISION_CLASS_SIZE`` | 30 | the sessions one server is sized for (the session budget's default) |
| ``VISION_GC_PERIOD_S`` | 20 | a full garbage collection at most this often, when scripts ran (0: never; :mod:`engine.serving.garbage`) |
| ``VISION_GC_FREEZE`` | 1 | 0: do not move the libraries' objects out of the collector's way (``gc.freeze``) after the imports |
| ``VISION_GC_STATS`` | unset | a JSON file the garbage pacer rewrites with its counters after each collection (the soak) |
| ``VISION_QUEUE_SLOTS`` | 1 (8 with `VISION_INFERENCE`) | inferences run at once (the cores are split between them; with Ray Serve, calls in flight) |
| ``VISION_ONEDNN_PACK`` | 1 | 0: no oneDNN weight packing; force: no load-time timing (engine.accel.fastcpu) |
| ``VISION_VIDEO_MAX_MB`` | 40 | a larger video upload is refused before decoding |
| ``VISION_VIDEO_MAX_SECONDS`` | 60 | a longer video is refused (read from its container, before decoding) |
| ``VISION_VIDEO_MAX_SIDE`` | 1920 | a video with a wider or taller frame is refused |
| ``VISION_VIDEO_MAX_SAMPLED`` | 240 | the most frames a video's stride may sample (each one is a detection) |
| ``VISION_INFERENCE`` | unset (local) | ``http://host:port`` of a Ray Serve app (``make serve``): pages send their inferences there (engine.serving.remote) |

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


# The model budget's default (MB = MiB, as the cache measures models), sized from what the process may use:
#   budget = limit x USABLE - BASELINE - SESSIONS x VISION_SESSION_MB (64 when unset), clamped to [MIN, MAX].
# USABLE keeps 5 % of the limit for transients (a running inference's activations, decoded uploads,
# allocator slack), so a full cache still leaves the process under its limit.
# BASELINE: Python + Streamlit + torch + transformers + Ultralytics imported, before any model: ~1.0-1.1 GB
# (the load bench's server RSS with only the 19 MB EfficientNet loaded is ~1.0 GB). SESSIONS: the sessions
# whose results are counted full (a class's sessions keep far less than their cap: results, not models).
# Community Cloud gives 2.7 GB: 2.7e9 B = 2575 MiB x 0.95 - 1100 - 4 x 64 = 1090 MiB (the process then aims
# at 2446 MiB, under the 2.5 GB the load bench checks). That holds the defaults of every page at once (EfficientNet-Lite0 18.8 + QuickDraw 1.6 + YOLOv8n 6.2 + SegFormer-b0 15 + CLIP B/32 605
# + Depth-Anything-V2-S 99.2 = 746 MB = 711 MiB) with ~380 MiB left for what a compare adds (a ViT-B 346 MB,
# DETR 167); a second CLIP (577 MiB) evicts the least used default instead of failing. ("~2.3 GB" in the
# issue is every preset of the registry, not the defaults: all of them are ~3.2 GB now, so MAX, 4 GiB, holds
# them all plus typed ones on a bigger machine; below MIN the LRU keeps the most recently used, and the
# cache always keeps the newest one.)
BUDGET_USABLE = 0.95
BUDGET_BASELINE_MB = 1100.0
BUDGET_SESSIONS = 4
BUDGET_MIN_MB = 256.0
BUDGET_MAX_MB = 4096.0
CGROUP_ROOT = Path("/sys/fs/cgroup")
_UNLIMITED = 2**60  # cgroup v1 writes "no limit" as a page-rounded 2**63 - 1


def _cgroup_limit_bytes(root: Path) -> int | None:
    """The memory limit of the cgroup mounted at ``root`` (v2 ``memory.max``, else v1), None if unlimited."""
    for path in (root / "memory.max", root / "memory" / "memory.limit_in_bytes"):
        try:
            raw = path.read_text().strip()
        except OSError:
            continue
        if raw.isdigit() and 0 < int(raw) < _UNLIMITED:
            return int(raw)
        return None  # "max" (v2) or the v1 "unlimited" sentinel: the machine's RAM applies
    return None


def memory_limit_mb(cgroup_root: Path | None = None) -> float:
    """Memory this process may use, in MiB: the cgroup limit (v2 or v1) where there is one, capped by RAM.

    Example:
        >>> memory_limit_mb() > 0
        True
    """
    import psutil

    ram = psutil.virtual_memory().total
    limit = _cgroup_limit_bytes(cgroup_root or CGROUP_ROOT)
    return min(ram, limit or ram) / 2**20


def default_model_budget_mb(limit_mb: float | None = None) -> float:
    """The budget for loaded models when ``VISION_MODEL_BUDGET_MB`` is unset (see the arithmetic above).

    Example:
        >>> default_model_budget_mb(2.7e9 / 2**20)  # Community Cloud
        1090.0
        >>> default_model_budget_mb(24 * 1024), default_model_budget_mb(1024)
        (4096.0, 256.0)
    """
    limit = memory_limit_mb() if limit_mb is None else limit_mb
    # Not session_budget_bytes(): its default is sized from this budget. Unset, the sessions' share is
    # BUDGET_SESSIONS x SESSION_MAX_MB (256 MiB), which default_session_mb splits among the class.
    session_mb = _number("VISION_SESSION_MB", 0.0) or SESSION_MAX_MB
    reserve = BUDGET_BASELINE_MB + BUDGET_SESSIONS * session_mb
    return float(round(min(BUDGET_MAX_MB, max(BUDGET_MIN_MB, limit * BUDGET_USABLE - reserve))))


# The session budget's default (MiB): what the model budget leaves of the usable memory, split
# among the class, clamped to [SESSION_MIN_MB, SESSION_MAX_MB]:
#   session = (limit x USABLE - BASELINE - model budget) / VISION_CLASS_SIZE
# The model budget reserves BUDGET_SESSIONS x SESSION_MAX_MB = 256 MiB for the sessions where it is
# not at its cap, so on Community Cloud (2575 MiB): (2446 - 1100 - 1090) / 30 = 8.5 -> 8 MiB, and the
# class's 30 sessions keep 240 MiB at most (64 MiB each were 1.9 GB, more than the container has
# beside the libraries and the models). On a machine with room to spare (the model budget at its
# 4 GiB cap) the sessions get what is left, up to 64 MiB. The price of 8 MiB: a photo decoded at the
# working side (2048 x 1365 RGB) is 8 MiB by itself, so a student with large photos keeps only the
# newest value (it always stays, whatever its size) and a result of another page is computed again
# when they go back to it; with smaller photos (the samples) a session keeps several results.
CLASS_SIZE = 30
SESSION_MIN_MB = 8.0
SESSION_MAX_MB = 64.0


def class_size() -> int:
    """The sessions one server is sized for (``VISION_CLASS_SIZE``, default 30: a class)."""
    return max(1, int(_number("VISION_CLASS_SIZE", CLASS_SIZE)))


def default_session_mb(limit_mb: float | None = None, sessions: int | None = None) -> float:
    """What one session may keep when ``VISION_SESSION_MB`` is unset, in MiB (the arithmetic above).

    Example:
        >>> default_session_mb(2.7e9 / 2**20, 30)  # Community Cloud, a class of 30
        8.0
        >>> default_session_mb(24 * 1024, 30), default_session_mb(6 * 1024, 30), default_session_mb(1024, 30)
        (64.0, 21.0, 8.0)
    """
    limit = memory_limit_mb() if limit_mb is None else limit_mb
    models = _number("VISION_MODEL_BUDGET_MB", 0.0) or default_model_budget_mb(limit)
    left = limit * BUDGET_USABLE - BUDGET_BASELINE_MB - models
    share = left / (class_size() if sessions is None else max(1, sessions))
    return float(min(SESSION_MAX_MB, max(SESSION_MIN_MB, int(share))))


def session_budget_bytes() -> int:
    """What one session may keep (results, images, uploads), in bytes: ``VISION_SESSION_MB``, else
    :func:`default_session_mb` (sized from the memory limit and the class)."""
    mb = _number("VISION_SESSION_MB", 0.0) or default_session_mb()  # unset, 0 or unreadable: sized
    return int(mb * 1024 * 1024)


def gc_period_s() -> float:
    """The shortest time between two of the pacer's full collections (``VISION_GC_PERIOD_S``, 20; 0: off).

    A full collection walks every tracked object while holding the GIL: measured 0.25 s with the
    libraries and the pages' models loaded (AMD EPYC, a quiet core), ~50 ms of CPU once the imports
    are frozen (engine.serving.garbage.freeze_imports). Every 20 s that is 0.25 % of one core (1.3 %
    unfrozen), and what a class's reruns leave in cycles (~0.5 MB/s in the soak) stays ~10 MB.

    Example:
        >>> gc_period_s()
        20.0
    """
    return max(0.0, _number("VISION_GC_PERIOD_S", 20.0))


def gc_freeze() -> bool:
    """Whether the imports' objects are frozen out of the collector's way (``VISION_GC_FREEZE``, default 1)."""
    return os.environ.get("VISION_GC_FREEZE", "1").strip() != "0"


def gc_stats_file() -> Path | None:
    """Where the garbage pacer writes its counters after each collection (``VISION_GC_STATS``), or None."""
    raw = os.environ.get("VISION_GC_STATS", "").strip()
    return Path(raw).expanduser() if raw else None


def model_budget_mb() -> float:
    """Memory for loaded models, in MB: ``VISION_MODEL_BUDGET_MB``, else sized from the memory limit."""
    return _number("VISION_MODEL_BUDGET_MB", 0.0) or default_model_budget_mb()  # unset, 0 or unreadable: sized


def cache_stats_file() -> Path | None:
    """Where the model cache writes its counters after each load or eviction (``VISION_CACHE_STATS``), or None.

    The load bench sets it for the server it starts and reads the reloads per level from it.
    """
    raw = os.environ.get("VISION_CACHE_STATS", "").strip()
    return Path(raw).expanduser() if raw else None


def max_upload_bytes() -> int:
    """The largest upload the engine accepts."""
    return int(_number("VISION_MAX_UPLOAD_MB", 20) * 1024 * 1024)


def max_pixels() -> int:
    """The largest image (width x height) decoded."""
    return int(_number("VISION_MAX_PIXELS", 40_000_000))


# The models see at most 1333 px (DETR/YOLOS resize the long side to 1333, YOLO to 640, SegFormer
# 512, CLIP and the classifiers 224, Depth Anything 518; the segmentation and depth pages shrink to
# 1600 and 1024 themselves): 2048 keeps every pixel they use and a sharp picture on screen, while a
# 24-megapixel photo (6000x4000) becomes 2048x1365, 2.8 megapixels: 8.6 times fewer pixels to
# convert, annotate, hash and send to the browser.
WORKING_SIDE = 2048


def working_side() -> int:
    """The long side photos are shrunk to once, after decoding (``VISION_WORKING_SIDE``; 0: never).

    Example:
        >>> working_side()
        2048
    """
    return max(0, int(_number("VISION_WORKING_SIDE", WORKING_SIDE)))


def torch_threads() -> int:
    """torch's intra-op threads; 0 leaves torch's choice."""
    return int(_number("VISION_TORCH_THREADS", 0))


def onednn_pack() -> bool:
    """Whether load-time oneDNN weight packing is on (``VISION_ONEDNN_PACK=0`` turns it off)."""
    return os.environ.get("VISION_ONEDNN_PACK", "1").strip() != "0"


def onednn_pack_timed() -> bool:
    """Whether packing a small model is kept only when it measured faster on this CPU at load
    (default); ``VISION_ONEDNN_PACK=force`` keeps it on the equality check alone (tests, benches
    that must know what ran)."""
    return os.environ.get("VISION_ONEDNN_PACK", "1").strip().lower() != "force"


def fast_mode() -> str:
    """Which "Modo rápido" a page runs (``VISION_FAST_MODE``): ``auto`` (default) the fastest mode that
    measures faster than fp32 on this CPU, none when none is; ``bf16`` or ``int8`` that mode wherever
    the CPU runs it, faster or not (to show a class its price; the tests). See :mod:`engine.accel.fastmode`."""
    value = os.environ.get("VISION_FAST_MODE", "auto").strip().lower()
    return value if value in {"auto", "bf16", "int8"} else "auto"


def queue_slots(*, remote: bool = False) -> int:
    """How many inferences run at once (``VISION_QUEUE_SLOTS``): by default 1 (one at a time on every
    core) for local inference, 8 when a Ray Serve app runs them (``remote``: no local core is used,
    and one call at a time would leave every replica but one idle)."""
    return max(1, int(_number("VISION_QUEUE_SLOTS", 8 if remote else 1)))


def heap_arenas() -> int:
    """How many glibc malloc arenas the server may use (``VISION_HEAP_ARENAS``, default 2; 0 leaves
    glibc's own limit, 8 per core). See :func:`engine.models.cache.limit_heap_arenas`."""
    return max(0, int(_number("VISION_HEAP_ARENAS", 2)))


def preload_mb() -> float:
    """Each page's default model at most this large (MB) and on disk is loaded when the server starts
    (``VISION_PRELOAD_MB``, default 50; 0: none). See :func:`ui.models.preload_defaults`."""
    return max(0.0, _number("VISION_PRELOAD_MB", 50.0))


def give_back_gpu_libraries() -> bool:
    """Whether a CPU-only server drops the resident pages of the CUDA libraries torch maps
    (``VISION_GIVE_BACK_GPU_LIBS``, default on; 0 keeps them). See :mod:`engine.serving.gpu_libraries`."""
    return os.environ.get("VISION_GIVE_BACK_GPU_LIBS", "1").strip() != "0"


def max_model_mb() -> float:
    """The largest download a typed Hub model may need, in MB (``VISION_MAX_MODEL_MB``): sized for
    Community Cloud, where a CLIP-L (1.7 GB) would not fit next to the page's other models."""
    return _number("VISION_MAX_MODEL_MB", 700.0)


def inference_url() -> str | None:
    """Where inference runs: ``None`` (this process, the default) or the base address of a Ray Serve
    app (``VISION_INFERENCE=http://127.0.0.1:8000``), without a trailing slash. ``local`` is the same
    as unset. Any other value is returned as typed: :mod:`engine.serving.remote` refuses what is not
    ``http(s)://`` with a message, rather than silently running locally.

    Example:
        >>> os.environ["VISION_INFERENCE"] = "http://127.0.0.1:8000/"; inference_url()
        'http://127.0.0.1:8000'
        >>> os.environ["VISION_INFERENCE"] = "local"; inference_url() is None
        True
        >>> del os.environ["VISION_INFERENCE"]
    """
    raw = os.environ.get("VISION_INFERENCE", "").strip()
    return None if raw.lower() in {"", "local"} else raw.rstrip("/")


def video_max_bytes() -> int:
    """The largest video upload the engine decodes, in bytes (``VISION_VIDEO_MAX_MB``, 40)."""
    return int(_number("VISION_VIDEO_MAX_MB", 40) * 1024 * 1024)


def video_max_seconds() -> float:
    """The longest video accepted, in seconds (``VISION_VIDEO_MAX_SECONDS``, 60)."""
    return _number("VISION_VIDEO_MAX_SECONDS", 60.0)


def video_max_side() -> int:
    """The widest or tallest video frame accepted, in pixels (``VISION_VIDEO_MAX_SIDE``, 1920: Full HD)."""
    return int(_number("VISION_VIDEO_MAX_SIDE", 1920))


def video_max_sampled() -> int:
    """The most frames one video's stride may sample (``VISION_VIDEO_MAX_SAMPLED``, 240): each is a
    detection on the class's shared queue, 240 of YOLOv8n are about half a minute on two cores.

    Example:
        >>> video_max_sampled()
        240
    """
    return max(1, int(_number("VISION_VIDEO_MAX_SAMPLED", 240)))
