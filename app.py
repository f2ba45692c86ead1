"""Server entry point: ``streamlit run app.py`` (``make run``; the main file on Community Cloud).

The app is ``Home.py`` (the router and its pages). This file wraps it in Streamlit's ASGI ``st.App``
for one thing a script cannot do: work when the server starts, before any student connects. A
thread imports torch, transformers, Ultralytics and plotly then (:func:`engine.models.lazy.warm_server`)
and loads the pages' small default models that are on disk (:func:`ui.models.preload_defaults`), so
a first visit does not wait ~3 s for imports, nor for a small model's load. ``GET /vision/warm`` says
whether that is done (``{"warm": true, "s": 3.4, "imports_s": 2.9, "preloaded": [...]}``): a
teacher's readiness check, and what the answer bench waits for. ``streamlit run Home.py`` still works, without the warm start.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

_LOG = logging.getLogger("vision.app")
_WARM: dict[str, Any] = {}  # "s": seconds the warm start took, once done; "error": why it failed


def _warm() -> None:
    import time

    from engine.models.lazy import warm_server
    from ui.models import preload_defaults

    start = time.perf_counter()
    try:
        _WARM["imports_s"] = round(warm_server(), 2)
        _WARM["preloaded"] = preload_defaults()
        _WARM["s"] = round(time.perf_counter() - start, 2)  # last: "s" is what says it is done
        _LOG.info("warm start done in %.1f s", _WARM["s"])
    except Exception as exc:  # noqa: BLE001 - the pages import what they need themselves, and say so
        _WARM["error"] = f"{type(exc).__name__}: {exc}"[:300]
        _LOG.exception("warm start failed")


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    threading.Thread(target=_warm, name="vision-warm-start", daemon=True).start()
    yield


async def warm(_request: Request) -> JSONResponse:
    return JSONResponse({"warm": "s" in _WARM, **_WARM})


app = st.App("Home.py", lifespan=lifespan, routes=[Route("/vision/warm", warm)])
