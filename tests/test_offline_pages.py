"""Issue 8, offline: with an empty models directory and no Hub, every page opens, the embedded
model keeps working, and every other model is reported as missing with how to get it — quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.apptest import assert_no_exception, open_page
from ui.nav import existing_pages


@pytest.mark.parametrize("page", [p.file for p in existing_pages()])
def test_every_page_opens_offline_and_says_what_is_missing(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))  # nothing local
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # nothing cached
    monkeypatch.setenv("VISION_CACHE_DIR", str(tmp_path / "cache"))
    start = time.monotonic()
    at = open_page(page)
    elapsed = time.monotonic() - start
    assert_no_exception(at)
    errors = " ".join(e.value for e in at.error)
    if errors:
        assert "make models" in errors and "VISION_MODELS_DIR" in errors, errors
    # a generous bound that only a network hang would break (the Hub probe times out in 3 s)
    assert elapsed < 120, f"{page} took {elapsed:.0f} s offline"


def test_classification_still_answers_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    at = open_page("pages/classification.py")
    assert at.metric[0].value == "tabby, tabby cat"
    assert not at.error
