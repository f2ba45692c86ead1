"""bench/wsclient.py against a real `streamlit run`: sessions over Streamlit's own websocket protocol
get their own right result, and an error drawn in the page is an error row, not a result."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from bench.browser import free_port, start_server, stop_server
from bench.wsclient import WsStudent
from engine.inputs.images import load_image
from engine.inputs.samples import load_sample
from engine.tasks.classification import classify, load_classifier
from tests.conftest import WORK

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_url():
    WORK.mkdir(parents=True, exist_ok=True)
    port = free_port()
    # No models directory: the detection page cannot load YOLOv8n, which the error case needs.
    proc = start_server(port, {"VISION_MODELS_DIR": ""}, log_dir=WORK)  # returns once /_stcore/health answers
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(proc)


def _run(make: Callable[[], Coroutine[Any, Any, Any]], timeout_s: float = 300) -> Any:
    """``asyncio.run(make())`` in a thread of its own: the browser tests' sync Playwright keeps an
    event loop running in pytest's thread, where ``asyncio.run`` refuses to start another."""
    out: list[Any] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            out.append(asyncio.run(asyncio.wait_for(make(), timeout=timeout_s)))
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout_s + 30)
    if errors:
        raise errors[0]
    assert out, "the sessions did not finish"
    return out[0]


def _photos(tmp: Path) -> list[Path]:
    paths = []
    for key in ("cat", "coffee", "rocket"):
        path = tmp / f"ws-{key}.png"
        load_sample(key).save(path)
        paths.append(path)
    return paths


def test_three_sessions_at_once_each_get_their_own_result(app_url: str, tmp_path: Path) -> None:
    photos = _photos(tmp_path)
    pipe = load_classifier("efficientnet-lite0")
    expected = [classify(pipe, load_image(p), top_k=5).top[0] for p in photos]

    async def one(photo: Path) -> tuple[dict, list[str]]:
        async with WsStudent(app_url, "classification", timeout_s=240) as student:
            row = await student.upload(photo)
            return row, student.last.texts

    async def all_of_them() -> list[tuple[dict, list[str]]]:
        return await asyncio.gather(*(one(p) for p in photos))

    results = _run(all_of_them)
    for photo, label, (row, texts) in zip(photos, expected, results, strict=True):
        assert not row["error"], row
        assert row["s"] > 0
        shown = [t for t in texts if t.startswith("Predicción principal")]
        assert shown == [f"Predicción principal {label}"], (photo.name, shown)
        others = [p.name for p in photos if p != photo]
        assert not any(o in t.replace("\\", "") for o in others for t in texts), "saw another session's photo"


def test_an_error_in_the_page_is_an_error_row(app_url: str, tmp_path: Path) -> None:
    async def one() -> dict:
        async with WsStudent(app_url, "detection", timeout_s=240) as student:
            return await student.upload(_photos(tmp_path)[0])

    row = _run(one)
    assert row["error"]
    assert "yolov8n" in row["detail"], row
