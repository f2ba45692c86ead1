""" "Modo rápido" in a page: the toggle (off by default, disabled where the CPU cannot), the fast copy of a
model kept in the server's model cache (its memory under the same budget), and the comparison with fp32
in the student's language.

Example:
    >>> fast_on = fast_toggle("cls")  # doctest: +SKIP
    >>> fast = fast_model_for(model_id, classifier, page="classification") if fast_on else None  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from engine.errors import EngineError
from ui.errors import show_error
from ui.i18n import t
from ui.models import model_cache
from ui.queue import queued
from ui.session import SessionCache


def _support() -> Any:
    from engine.models.lazy import import_torch

    import_torch()  # under the app's import lock
    from engine.accel.fastmode import support

    return support()


def fast_toggle(prefix: str) -> bool:
    """The "Modo rápido" toggle (key ``{prefix}_fast``): off by default; disabled, saying why, where
    this CPU and torch run no fast mode. True when on and available."""
    available = _support().any
    on = st.toggle(
        t("fastmode.toggle"), value=False, key=f"{prefix}_fast", disabled=not available, help=t("fastmode.help")
    )
    if not available:
        st.caption(t("fastmode.unsupported"))
    return bool(on and available)


def _fast_engine(wrapper: Any) -> Any:
    """The engine module that makes ``wrapper``'s fast copy: :mod:`engine.tasks.clip.fast` for a CLIP
    (its copy is the whole two-encoder model), :mod:`engine.tasks.fast` for every other model."""
    from engine.tasks.clip.model import ClipModel

    if isinstance(wrapper, ClipModel):
        from engine.tasks.clip import fast as clip_fast

        return clip_fast
    from engine.tasks import fast

    return fast


def fast_model_for(model_id: str, wrapper: Any, *, page: str) -> Any:
    """The fast copy of the loaded model ``wrapper`` (:func:`engine.tasks.fast.fast_model`): made and timed
    once per server, kept in the model cache as ``fast:<id>`` so its memory counts in the budget;
    ``None`` (with a notice) when no mode is faster here or the model is not run in this process.

    Making it times every candidate mode for a few seconds: it waits its turn in the server's fair
    queue (``page``'s, under the kind ``fast:<id>``, so it does not skew the model's wait estimates),
    so it neither slows the class's inferences nor is timed while they run."""
    fast = _fast_engine(wrapper)
    if not fast.supported(wrapper):
        from engine.serving.remote import RemoteModel

        remote = isinstance(wrapper, RemoteModel)  # VISION_INFERENCE: the model runs elsewhere
        st.info(t("fastmode.not_for_model" if remote else "fastmode.not_this_model", model=model_id))
        return None
    cache = model_cache()
    key = f"fast:{model_id}"
    if key in cache:
        found = cache.get(key, lambda: None)
    else:
        modes = " / ".join(_support().modes)
        with st.spinner(t("fastmode.preparing", model=model_id, modes=modes), show_time=True):
            found = cache.get(key, lambda: queued(page, key, lambda: fast.fast_model(wrapper)))
    if found is None:
        st.info(t("fastmode.none_faster", model=model_id))
    return found


def fast_compared(
    model_id: str, wrapper: Any, *, page: str, cache: SessionCache, key: tuple, compare: Callable[[Any], Any]
) -> Any:
    """``compare(fast)`` for the model's fast copy (one of :mod:`engine.tasks.fast`'s ``*_compared``:
    the fast result and its comparison), computed once per session, ``key`` and mode, as a job of the
    page's fair queue; ``None`` when there is no fast copy (:func:`fast_model_for` has said why).
    The engine's errors propagate to the page, which shows them."""
    fast = fast_model_for(model_id, wrapper, page=page)
    if fast is None:
        return None
    return cache.get((*key, fast.mode), lambda: queued(page, model_id, lambda: compare(fast)))


def fast_shown(compute: Callable[[], Any], heading: str = "**{}**") -> Any:
    """``compute()`` (a page's :func:`fast_compared` call, its model fetched inside it): the fast
    result and its comparison, under the heading "Resultado en <mode>" (``heading`` formats it:
    bold, or a page's own level); ``None`` when there is no fast copy, or after showing the engine's
    error in the page (the fp32 result above stays)."""
    try:
        compared = compute()
    except EngineError as exc:
        show_error(exc)
        return None
    if compared is not None:
        st.markdown(heading.format(t("fastmode.result", mode=compared[1].mode)))
    return compared


def show_comparison(comparison: Any) -> None:
    """Time per image fp32 vs fast, the agreement figures and what the mode is, in the page's language."""
    from engine.accel.fastmode import BoxAgreement, ClassAgreement, MapAgreement, PixelAgreement

    c = comparison
    agreement = c.agreement
    lines = [
        t("fastmode.time", fast_ms=c.fast_ms, fp32_ms=c.fp32_ms, mode=c.mode, speedup=c.speedup),
    ]
    if isinstance(agreement, ClassAgreement):
        lines.append(t("fastmode.top1_same") if agreement.same_top1 else t("fastmode.top1_differs"))
        lines.append(t("fastmode.max_diff", k=agreement.top_k, diff=100 * agreement.max_score_diff))
    elif isinstance(agreement, BoxAgreement):
        lines.append(
            t(
                "fastmode.boxes",
                fast=agreement.fast_count,
                fp32=agreement.fp32_count,
                mode=c.mode,
                matched=agreement.matched,
                iou=agreement.mean_iou,
            )
        )
        lines.append(t("fastmode.labels_same") if agreement.same_labels else t("fastmode.labels_differ"))
    elif isinstance(agreement, PixelAgreement):
        lines.append(t("fastmode.pixels", share=agreement.agreement))
    elif isinstance(agreement, MapAgreement):
        lines.append(t("fastmode.depth", corr=agreement.correlation, diff=agreement.mean_diff))
    lines.append(t("fastmode.memory", mode=c.mode, mb=c.extra_mb))
    st.markdown("\n".join(f"- {line}" for line in lines))
    st.caption(t(f"fastmode.explain_{c.mode}"))
