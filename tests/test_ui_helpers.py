"""The shared UI helpers: the model getter table, the per-session result cache, the download row,
the compare-mode columns and the "cannot be had" notice (AppTest scripts of a few lines)."""

from __future__ import annotations

import importlib

from streamlit.testing.v1 import AppTest

from engine.models import registry
from tests.apptest import assert_no_exception


def test_every_task_has_one_loader() -> None:
    from engine.tasks import LOADERS

    assert set(LOADERS) == set(registry.TASKS)
    for module, function in LOADERS.values():
        assert callable(getattr(importlib.import_module(module), function))


def _session_cache_script() -> None:
    import streamlit as st

    from ui.session import SessionCache

    cache = SessionCache("t_cache", size=2)
    calls = st.session_state.setdefault("calls", [])

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    for key in st.session_state.get("keys", []):
        st.text(cache.get(key, lambda k=key: compute(k)))
    if st.session_state.get("keep") is not None:
        cache.keep_only(st.session_state["keep"])


def test_session_cache_computes_once_and_keeps_the_most_recent() -> None:
    at = AppTest.from_function(_session_cache_script)
    at.session_state["keys"] = ["a", "b", "a"]
    at.run()
    assert_no_exception(at)
    assert [t.value for t in at.text] == ["A", "B", "A"]
    assert at.session_state["calls"] == ["a", "b"]
    at.session_state["keys"] = ["c"]  # "b" is now the least recently used
    at.run()
    assert list(at.session_state["t_cache"]) == ["a", "c"]
    at.session_state["keys"] = ["a", "b"]
    at.run()
    assert at.session_state["calls"] == ["a", "b", "c", "b"]
    at.session_state["keys"], at.session_state["keep"] = [], ["b"]
    at.run()
    assert list(at.session_state["t_cache"]) == ["b"]


def _widgets_script() -> None:
    import streamlit as st
    from PIL import Image

    from ui.widgets import download_row, model_columns, unreachable_notice

    unreachable_notice("object-detection")
    for column, model_id in model_columns(st.session_state["ids"], compare=True, show=st.session_state["show"]):
        with column:
            download_row(f"t_{model_id}", "stem", png=Image.new("RGB", (2, 2)), csv="a\n", json="{}")


def test_download_row_and_model_columns(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))  # nothing local or cached, offline: all missing
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("VISION_CACHE_DIR", str(tmp_path / "cache"))
    at = AppTest.from_function(_widgets_script)
    at.session_state["ids"], at.session_state["show"] = ["m1", "m2"], True
    at.run()
    assert_no_exception(at)
    assert [m.value for m in at.markdown] == ["##### `m1`", "##### `m2`"]
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Descargar PNG", "Descargar CSV", "Descargar JSON"] * 2
    keys = [f"t_{m}_{kind}" for m in ("m1", "m2") for kind in ("png", "csv", "json")]
    assert all(b.proto.id.endswith(key) for b, key in zip(buttons, keys, strict=True))
    info = " ".join(i.value for i in at.info)
    assert "ultralytics/yolov8n" in info and "no se pueden descargar" in info and "make models" in info
    assert not at.warning
    at.session_state["ids"], at.session_state["show"] = ["m1"], False
    at.run()
    assert [w.value for w in at.warning] == ["Elige al menos dos modelos para comparar."]
    assert not at.get("download_button") and not at.markdown


def _budget_script() -> None:
    import numpy as np
    import streamlit as st

    from ui.session import SessionCache, session_bytes

    masks = SessionCache("t_masks", size=100)
    photos = SessionCache("t_photos", size=100)
    for i in st.session_state.get("items", []):
        cache = masks if i % 2 else photos
        cache.get(i, lambda i=i: np.full((1024, 1024), i, dtype=np.uint8))  # 1 MiB each
    st.session_state["used"] = session_bytes()


def test_every_cache_of_a_session_shares_one_byte_budget(monkeypatch) -> None:
    monkeypatch.setenv("VISION_SESSION_MB", "3.5")
    sessions = []
    for s in range(6):  # six students, each computing ten 1-MiB results over two caches
        at = AppTest.from_function(_budget_script)
        at.session_state["items"] = list(range(10 * s, 10 * s + 10))
        at.run()
        assert_no_exception(at)
        sessions.append(at)
    for s, at in enumerate(sessions):
        assert 3 * 2**20 <= at.session_state["used"] <= 3.5 * 2**20
        kept = sorted([*at.session_state["t_masks"], *at.session_state["t_photos"]])
        assert kept == [10 * s + 7, 10 * s + 8, 10 * s + 9]  # the newest, whichever cache holds them
