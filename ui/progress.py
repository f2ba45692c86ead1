"""A Hub download shown as it runs: the load goes to a worker thread while the script thread
draws a progress bar from :func:`engine.models.hub.progress_of` (MB done of total, speed, time
left, the file), so a student sees a 600 MB download move instead of a spinner.

A second session asking for the same model waits on the engine's per-model lock and reads the
same shared progress, so both bars show the one download.

Example:
    >>> download_text(DownloadProgress("org/m", "main", 114_000_000, {"model.safetensors": 57_000_000}), "en")[:42]
    'Downloading org/m from the Hub · model.saf'
    >>> detector = load_watching_download(spec, lambda: load_detector(spec.id))  # doctest: +SKIP
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from engine.errors import model_unavailable
from engine.models import hub
from engine.models.hub import DownloadProgress
from engine.models.registry import ModelSpec
from engine.models.resolve import availability
from ui.i18n import lang, translate

POLL_S = 0.25  # how often the bar is redrawn
# The worker has its own timeouts (each read of a download, each Hub request); this bound only
# keeps a page from waiting forever should something below never return.
MAX_WAIT_S = 3600.0


def download_text(state: DownloadProgress, language: str | None = None) -> str:
    """The bar's text: model, the file being fetched, MB done of total, speed and time left."""
    language = language or lang()
    # Until the first chunk of the weights (huggingface_hub reads 10 MB at a time) the speed is
    # that of the small files: no estimate beats a wrong one.
    eta = state.eta_s if state.fraction >= 0.01 else None
    eta_text = (
        translate("hub.eta", language, s=f"{eta:.0f}") if eta is not None else translate("hub.eta_unknown", language)
    )
    return translate(
        "hub.downloading",
        language,
        model=state.repo_id,
        file=next(reversed(state.done), "…"),  # files are fetched one after another: the newest is under way
        done=f"{state.done_bytes / 1e6:.1f}",
        total=f"{state.total_bytes / 1e6:.1f}",
        speed=f"{state.speed_mb_s:.1f}",
        eta=eta_text,
    )


def will_download(spec: ModelSpec) -> bool:
    """Whether loading ``spec`` fetches files from the Hub (nothing local or cached yet)."""
    return spec.source == "hf" and availability(spec) == "hub"


def load_watching_download(spec: ModelSpec, load: Callable[[], Any], *, max_wait_s: float = MAX_WAIT_S) -> Any:
    """``load()`` in a worker thread, with a progress bar of ``spec``'s Hub download while one runs;
    what ``load`` returns, or what it raised. Models that need no download are loaded right here."""
    if not will_download(spec):
        return load()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = load()
        except BaseException as exc:  # noqa: BLE001 - handed to the script thread, raised there
            box["error"] = exc

    worker = threading.Thread(target=work, name=f"load {spec.id}", daemon=True)
    worker.start()
    bar = st.empty()
    deadline = time.monotonic() + max_wait_s
    try:
        while worker.is_alive() and time.monotonic() < deadline:
            worker.join(POLL_S)
            state = hub.progress_of(spec.id)
            if state is not None and not state.finished:  # this download, or another session's of it
                bar.progress(state.fraction, text=download_text(state))
    finally:
        bar.empty()
    if worker.is_alive():
        raise model_unavailable(spec.id, "download_failed", detail=f"still loading after {max_wait_s:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["value"]
