"""Heavy imports, done once and under a lock.

transformers' lazy module is not safe when several threads import it for the first time at
once (some get ``ImportError: cannot import name 'pipeline' from 'transformers'``). Streamlit
runs each session in its own thread, so every heavy import in the engine goes through here.

Example:
    >>> torch = import_torch()
    >>> import_torch() is torch  # imported once
    True
"""

from __future__ import annotations

import importlib
import sys
import threading
from types import ModuleType

_LOCK = threading.RLock()


def _import(name: str) -> ModuleType:
    with _LOCK:
        return importlib.import_module(name)


def import_torch() -> ModuleType:
    """Return :mod:`torch`, imported once under the engine's import lock."""
    return _import("torch")


def import_transformers() -> ModuleType:
    """Return :mod:`transformers`, with ``pipeline`` resolved while the lock is held."""
    with _LOCK:
        module = importlib.import_module("transformers")
        # Touch the lazily resolved attributes now, still under the lock.
        _ = module.pipeline, module.AutoConfig
        return module


def import_ultralytics() -> ModuleType:
    """Return :mod:`ultralytics` (quiet, offline-friendly settings applied first)."""
    import os

    # Ultralytics otherwise phones home (settings sync, hub checks) on import, and pip-installs
    # missing requirements at run time; a server must never install packages on its own.
    os.environ.setdefault("YOLO_OFFLINE", "1")
    os.environ.setdefault("YOLO_VERBOSE", "False")
    os.environ.setdefault("YOLO_AUTOINSTALL", "False")
    with _LOCK:
        from PIL import Image

        original_open = Image.open
        module = importlib.import_module("ultralytics")
        # Undo Ultralytics' global PIL.Image.open patch (it auto-installs pi-heif on unknown files).
        patches = sys.modules.get("ultralytics.utils.patches")
        Image.open = getattr(patches, "_image_open", original_open)
        return module


def import_plotting() -> None:
    """Import pandas and plotly fully, once, under the lock.

    plotly looks pandas up in ``sys.modules`` when it validates a chart's data: a session drawing
    its first chart while another session's thread is still importing pandas gets the half-made
    module ("partially initialized module 'pandas' has no attribute 'Series'", seen with eight
    sessions on a fresh server).
    """
    with _LOCK:
        importlib.import_module("pandas")
        importlib.import_module("plotly.graph_objects")


def warm_up() -> None:
    """Import torch and transformers once, before sessions race (call at server start)."""
    import_torch()
    import_transformers()


def warm_server() -> float:
    """Every heavy import the pages make, done once when the server starts (``app.py`` runs it in a
    thread beside the server), so a student's first page finds them done: torch, transformers,
    Ultralytics, pandas and plotly (~3 s on this project's 2-core machine when quiet). Then the GPU
    libraries torch mapped give their pages back (:mod:`engine.serving.gpu_libraries`). Returns the
    seconds it took. A session arriving meanwhile waits on the same lock for what is left.

    Example:
        >>> warm_server() >= 0  # doctest: +SKIP
        True
    """
    import time

    from engine.serving import gpu_libraries

    start = time.perf_counter()
    warm_up()
    import_ultralytics()
    import_plotting()
    gpu_libraries.give_back()
    return time.perf_counter() - start
