"""Issue 8, offline: with an empty models directory and no Hub, every page opens, the embedded
model keeps working, and every other model is reported as missing with how to get it — quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from engine.models import registry
from tests.apptest import assert_no_exception, open_page
from ui.i18n import translate
from ui.models import model_cache
from ui.nav import PAGES

# The task whose models each page uses (by URL path; the workshop is CLIP's second page, video detection's).
PAGE_TASK = {t.page: t.id for t in registry.TASKS.values()} | {
    "clip_workshop": "zero-shot-image-classification",
    "video": "object-detection",
}


def test_every_page_has_its_task() -> None:
    assert {p.url_path for p in PAGES if p.url_path} == set(PAGE_TASK)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.file)
def test_every_page_opens_offline_and_says_what_is_missing(
    page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))  # nothing local
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # nothing cached
    monkeypatch.setenv("VISION_CACHE_DIR", str(tmp_path / "cache"))
    # A fresh server's: earlier tests in this process left models in the shared cache (its order
    # decides which; the labelled-photos pages' tests load both CLIPs), and a cached model answers.
    model_cache().clear()
    start = time.monotonic()
    at = open_page(page.file)
    elapsed = time.monotonic() - start
    assert_no_exception(at)
    if not page.url_path:  # Home: the availability table says, for every model, that it cannot be had
        where = at.table[0].value[translate("home.col_where", "es")]  # by model id
        missing, embedded = translate("common.where_missing", "es"), translate("common.where_embedded", "es")
        expected = {m.id: embedded if m.source == "embedded" else missing for m in registry.MODELS}
        assert dict(where) == expected
    else:
        models = registry.models_for(PAGE_TASK[page.url_path])
        errors = " ".join(e.value for e in at.error)
        said = " ".join(e.value for e in (*at.error, *at.info, *at.warning))
        # every model that is not embedded is named as missing ...
        assert [m.id for m in models if m.source != "embedded" and m.id not in said] == [], said
        default = models[0]
        if default.source == "embedded":  # ... the embedded default still answers, with no error
            assert not errors and len(at.metric) == 1, errors
        else:  # ... and the default's error says how to get it
            assert default.id in errors and "make models" in errors and "VISION_MODELS_DIR" in errors, errors
    # a generous bound that only a network hang would break (the Hub probe times out in 3 s)
    assert elapsed < 120, f"{page} took {elapsed:.0f} s offline"


def test_classification_still_answers_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    at = open_page("pages/classification.py")
    assert at.metric[0].value == "tabby, tabby cat"
    assert not at.error
