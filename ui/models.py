"""Cached model getters: every model is loaded once per server, shared read-only by all
sessions, and released least-recently-used first under the memory budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from engine.models import registry
from engine.models.cache import ModelCache
from ui.i18n import t


@st.cache_resource(show_spinner=False)
def model_cache() -> ModelCache:
    """The one model cache of this server process."""
    return ModelCache()


@st.cache_resource(show_spinner=False)
def warm_imports() -> bool:
    """Import torch and transformers once, before sessions race (their lazy imports are not
    thread-safe on a first concurrent import)."""
    from engine.models.lazy import warm_up

    warm_up()
    return True


def get_model(model_id: str, kind: str, loader: Callable[[], Any]) -> Any:
    """The loaded model ``model_id`` for ``kind`` (e.g. "classifier"), with a spinner on a miss."""
    cache = model_cache()
    key = f"{kind}:{model_id}"
    if key in cache:
        return cache.get(key, loader)
    spec = registry.get(model_id)
    with st.spinner(t("common.loading_model", model=model_id, size=f"{spec.size_mb:.0f}")):
        warm_imports()
        return cache.get(key, loader, size_mb=spec.size_mb)


def get_classifier(model_id: str) -> Any:
    """The image-classification pipeline of ``model_id``."""
    from engine.tasks.classification import load_classifier

    return get_model(model_id, "classifier", lambda: load_classifier(model_id))


def get_sketch_model(model_id: str) -> Any:
    """The Quick-Draw CNN (:class:`engine.tasks.sketch.SketchModel`)."""
    from engine.tasks.sketch import load_sketch_model

    return get_model(model_id, "sketch", lambda: load_sketch_model(model_id))
