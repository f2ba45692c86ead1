"""Cached model getters: every model is loaded once per server, shared read-only by all
sessions, and released least-recently-used first under the memory budget.

One getter for every kind of model: :func:`get_model` finds the loader of the model's task in
:data:`engine.tasks.LOADERS` (imported only when first needed, so Home stays light).

Example:
    >>> LOADERS["object-detection"]
    ('engine.tasks.detection', 'load_detector')
    >>> detector = get_model("ultralytics/yolov8n")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

import streamlit as st

from engine import settings
from engine.models import registry
from engine.models.cache import ModelCache, limit_heap_arenas
from engine.serving import gpu_libraries, remote
from engine.serving.garbage import freeze_imports
from engine.tasks import LOADERS
from ui.i18n import t
from ui.progress import load_watching_download

_LOG = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def model_cache() -> ModelCache:
    """The one model cache of this server process (and its heap's arenas capped, before any load)."""
    limit_heap_arenas(settings.heap_arenas())
    return ModelCache()


@st.cache_resource(show_spinner=False)
def warm_imports() -> bool:
    """Import torch and transformers once, before sessions race (their lazy imports are not
    thread-safe on a first concurrent import)."""
    from engine.models.lazy import warm_up

    warm_up()
    freeze_imports()  # before the first model: the libraries' objects leave the collector's walks
    gpu_libraries.give_back()  # a CPU-only server never runs the CUDA libraries torch mapped
    return True


def preload_defaults(max_mb: float | None = None) -> list[str]:
    """Load each page's default model that is on this machine already and at most ``max_mb``
    (``VISION_PRELOAD_MB``, default 50) into the shared model cache; the ids loaded.

    app.py's warm start runs it when the server starts, before any student arrives: the pages with
    small defaults (EfficientNet-Lite0, the sketch CNN, YOLOv8n, SegFormer-B0) answer their first
    visit without a load (and the oneDNN packing is timed then, not during it). Nothing is downloaded
    here, and nothing large is loaded: a model over the limit, or not on disk yet, loads on its page's
    first visit as before. The models stay under the cache's budget like any other.
    """
    limit = settings.preload_mb() if max_mb is None else max_mb
    if limit <= 0 or settings.inference_url():
        return []
    from engine.errors import EngineError
    from engine.models.resolve import resolve

    warm_imports()
    loaded = []
    for task in registry.TASKS:
        spec = registry.default_for(task)
        if spec.size_mb > limit:
            continue
        module, function = LOADERS[spec.task]
        loader = getattr(importlib.import_module(module), function)
        try:
            resolve(spec, download=False)  # on disk, or not now
            load = lambda loader=loader, model_id=spec.id: loader(model_id)  # noqa: E731 - bound per model
            model_cache().get(f"{spec.task}:{spec.id}", load, size_mb=spec.size_mb)
        except EngineError as exc:  # its page will load it (and say why it cannot) on the first visit
            _LOG.info("not preloaded: %s (%s)", spec.id, exc)
            continue
        loaded.append(spec.id)
    return loaded


def get_model(model_id: str) -> Any:
    """The loaded model ``model_id`` (the wrapper its task's loader returns), with a spinner on a miss.

    Raises what the loader raises (:class:`~engine.errors.ModelUnavailable`,
    :class:`~engine.errors.ModelLoadError`): pages show them with ``show_error``.
    """
    spec = registry.get(model_id)
    if settings.inference_url() and spec.task in remote.TASKS:  # VISION_INFERENCE: a Ray Serve app runs it
        return remote.connect(spec.id, spec.task)
    module, function = LOADERS[spec.task]
    # Looked up at call time: a test may replace the loader in its module.
    loader = getattr(importlib.import_module(module), function)
    cache = model_cache()
    key = f"{spec.task}:{spec.id}"
    if key in cache:
        return cache.get(key, lambda: loader(spec.id))
    # In the page, with the seconds counting: a first load (torch imported, weights read) takes several.
    with st.spinner(t("common.loading_model", model=spec.id, size=f"{spec.size_mb:.0f}"), show_time=True):
        warm_imports()
        # A Hub download is loaded in a worker thread while a progress bar follows it (ui.progress).
        return load_watching_download(spec, lambda: cache.get(key, lambda: loader(spec.id), size_mb=spec.size_mb))
