"""Every inference of every page goes through the server's one fair queue (engine.serving.queue):
a waiting student sees their place and the estimated wait instead of a frozen page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from engine import settings
from engine.errors import UnknownModel
from engine.models import registry
from engine.models.cache import trim_after_inference
from engine.serving.queue import FairQueue, Waiting, plan_slots, usable_cores
from ui.i18n import t
from ui.models import model_cache

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def inference_queue() -> FairQueue:
    """The one queue of this server process, sized to the cores it may use."""
    slots, _ = plan_slots(usable_cores(), settings.queue_slots())
    if settings.inference_url():  # remote inference uses no local core: several calls in flight at once
        return FairQueue(slots=settings.queue_slots(remote=True))
    # After inferences, the heap they freed goes back to the OS (at most every 2 s).
    return FairQueue(slots=slots, after_job=trim_after_inference)


def _session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"


def queued(page: str, kind: str, fn: Callable[[], T]) -> T:
    """``fn()`` run when this session's turn comes (one waiting job per session and page), with
    "2 ahead, ~3 s" in the page while it waits.

    ``kind`` names what runs (the model id): its recent durations make the estimate.
    """
    notice = st.empty()
    shown = [False]

    def on_wait(state: Waiting) -> None:
        notice.info(t("queue.waiting", ahead=state.ahead, eta=max(1.0, state.eta_s)), icon="⏳")
        shown[0] = True

    try:
        return inference_queue().submit((_session_id(), page), kind, _with_room(kind, fn), on_wait=on_wait)
    finally:
        if shown[0]:
            notice.empty()


def _with_room(kind: str, fn: Callable[[], T]) -> Callable[[], T]:
    """``fn`` preceded, when its turn comes, by room for its working memory in the model cache:
    other tasks' idle models go first (:meth:`engine.models.cache.ModelCache.reserve`), the page's
    own only when that is not enough, never the model about to run or its fast copy. Not for a Ray
    Serve app's models (they run, and take memory, elsewhere)."""
    if settings.inference_url():
        return fn
    try:
        spec = registry.get(kind)
    except UnknownModel:  # not a model id (nothing of this kind to make room for)
        return fn

    cache = model_cache()  # here, in the session's script thread (the queue may run fn elsewhere)

    def run() -> T:
        running = (f"{spec.task}:{spec.id}", f"fast:{spec.id}")
        cache.reserve(
            registry.working_mb(spec), keep=lambda key: _task_of(key) == spec.task, pin=lambda key: key in running
        )
        return fn()

    return run


def _task_of(key: str) -> str:
    """The task of a model cache key: ``"<task>:<id>"``, or ``"fast:<id>"`` for a model's fast copy
    (ui.fastmode), which belongs to its model's page as much as the model does."""
    if key.startswith("fast:"):
        try:
            return registry.get(key.removeprefix("fast:")).task
        except UnknownModel:
            return ""
    return key.split(":", 1)[0]
