"""Issue 17, memory with headroom: a call's working memory is made room for (other tasks' idle
models go first), the heap's arenas are capped, and a page keeps no released model alive."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref

import pytest

from engine.models import registry
from engine.models.cache import ModelCache

MiB = 2**20


def _filled(budget: float, *keys: str, size: float = 30) -> ModelCache:
    cache = ModelCache(budget_mb=budget)
    for key in keys:
        cache.get(key, lambda k=key: k, size_mb=size)  # strings: each counts its size_mb
    return cache


@pytest.mark.parametrize(
    ("keys", "needed", "released", "left"),
    [
        # other tasks' models go, least recently used first, only as many as needed
        (("seg:a", "cls:b", "det:c"), 30, ["seg:a"], ["cls:b", "det:c"]),
        (("seg:a", "cls:b", "det:c"), 60, ["seg:a", "cls:b"], ["det:c"]),
        # the page's own idle models go only when the others are not enough (least recently used
        # first); the one about to run ("det:c") never
        (("det:a", "seg:b", "det:c"), 40, ["seg:b"], ["det:a", "det:c"]),
        (("det:a", "seg:b", "det:c"), 60, ["seg:b", "det:a"], ["det:c"]),
        (("det:a", "det:b", "det:c"), 90, ["det:a", "det:b"], ["det:c"]),
        (("det:a", "seg:b", "det:c"), 200, ["seg:b", "det:a"], ["det:c"]),
        # room enough already: nothing goes
        (("seg:a", "cls:b"), 40, [], ["seg:a", "cls:b"]),
        (("det:a", "det:c"), 40, [], ["det:a", "det:c"]),
    ],
)
def test_reserve_releases_other_tasks_idle_models_first(
    keys: tuple[str, ...], needed: float, released: list[str], left: list[str]
) -> None:
    cache = _filled(100, *keys)
    assert cache.reserve(needed, keep=lambda key: key.startswith("det:"), pin=lambda key: key == "det:c") == released
    assert cache.keys() == left
    assert cache.stats().evictions == len(released)


def test_a_compare_over_the_budget_lets_go_of_the_pages_idle_models_and_still_shows_every_result() -> None:
    """/depth comparing two models in a budget that holds them but not them and a call: a new photo
    still gets both maps, the page's idle model being released (and reloaded) in between."""
    import io

    from engine.inputs.samples import load_sample
    from tests.apptest import assert_no_exception, open_page, upload
    from ui.models import model_cache

    model_cache.clear()
    try:
        at = open_page("pages/depth.py")
        at.toggle(key="depth_compare").set_value(True).run()
        assert_no_exception(at)
        held = [k for k in model_cache().stats().keys if k.startswith("depth-estimation:")]
        assert len(held) == 2 and len(at.dataframe) == 2
        cache = model_cache()
        cache.budget_mb = cache.used_mb() + 10  # both models fit; no call does beside them
        released_before = len(cache.evictions)
        at.radio(key="depth_source").set_value("upload").run()
        photo = io.BytesIO()
        load_sample("motorcycle").save(photo, format="PNG")
        upload(at, "depth_upload", photo.getvalue(), "moto.png")
        assert_no_exception(at)
        assert len(at.dataframe) == 2  # both maps of the new photo
        gone = cache.evictions[released_before:]
        assert gone and set(gone) <= set(held)  # only the page's own models, released when idle
    finally:
        model_cache.clear()


def test_every_registry_model_has_its_measured_working_memory() -> None:
    for spec in registry.MODELS:
        assert spec.work_mb > 0, f"{spec.id}: no measured working memory"
        assert registry.working_mb(spec) == spec.work_mb
    # A typed Hub model was never measured: as much as its weights, at least 50 MB.
    typed = registry.ModelSpec("someone/model", "depth-estimation", "hf", 300.0, 80.0, "mit", "")
    assert registry.working_mb(typed) == 300.0
    assert registry.working_mb(registry.ModelSpec("a/b", "depth-estimation", "hf", 5.0, 1.0, "mit", "")) == 50.0


def test_heap_arenas_are_capped_once_per_process() -> None:
    code = (
        "from engine.models.cache import limit_heap_arenas as cap\n"
        "print(cap(0), cap(2), cap(2))\n"  # 0 leaves glibc's limit; a second call does nothing
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split() == ["False", "True", "False"]


def test_a_page_lets_go_of_another_tasks_model_before_its_own_heavy_call(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.apptest import assert_no_exception, open_page
    from ui.models import model_cache

    # SegFormer's call needs 290 MB (registry): beside the 18 MB classifier in a 300 MB budget,
    # the classifier (another page's, idle now) is released first.
    monkeypatch.setenv("VISION_MODEL_BUDGET_MB", "300")
    model_cache.clear()
    try:
        at = open_page("pages/classification.py")
        assert "image-classification:efficientnet-lite0" in model_cache()
        at.switch_page("pages/segmentation.py").run()
        assert_no_exception(at)
        keys = model_cache().keys()
        assert "image-classification:efficientnet-lite0" not in keys
        assert any(key.startswith("image-segmentation:") for key in keys)
    finally:
        model_cache.clear()


def test_a_page_keeps_no_released_model_alive() -> None:
    """A lambda written in a page (a widget's format function) kept the page's namespace, and the
    detectors in it, alive after the cache released them (Streamlit's AppTest keeps every format
    function): ui.i18n.Caption instead."""
    from tests.apptest import assert_no_exception, open_page
    from ui.models import model_cache

    model_cache.clear()
    try:
        at = open_page("pages/detection.py")
        held = model_cache().keys()
        (key,) = [k for k in held if k.startswith("object-detection:")]
        detector = model_cache().get(key, lambda: None)
        alive = weakref.ref(detector.model)
        del detector
        at.switch_page("pages/pictionary.py").run()
        assert_no_exception(at)
        model_cache().clear()
        gc.collect()
        assert alive() is None, "the released detector is still referenced"
    finally:
        model_cache.clear()


def test_the_working_memory_bench_measures_a_call_in_a_fresh_process(shared_models) -> None:
    """``python -m bench work --one``: the row the bench prints for one model (the real sketch CNN);
    its figure is a measurement, so only its shape and its verdict's rule are checked."""
    import json

    out = subprocess.run(
        [sys.executable, "-m", "bench", "work", "--one", "nateraw/quickdraw"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    row = json.loads(out.stdout.strip().splitlines()[-1])
    assert row["id"] == "nateraw/quickdraw" and row["registry_mb"] == registry.get("nateraw/quickdraw").work_mb
    assert max(row["photo"]) == 2048  # the largest photo a page hands the model
    assert row["work_mb"] >= 0 and row["covered"] == (row["work_mb"] <= row["registry_mb"] * 1.10)


@pytest.mark.parametrize(
    ("key", "task"),
    [
        ("image-classification:efficientnet-lite0", "image-classification"),
        ("fast:efficientnet-lite0", "image-classification"),  # a fast copy is its model's page's
        ("fast:ultralytics/yolov8n", "object-detection"),
        ("fast:not/a-model", ""),
        ("depth-estimation:someone/typed-model", "depth-estimation"),
    ],
)
def test_a_cache_key_names_its_task(key: str, task: str) -> None:
    from ui.queue import _task_of

    assert _task_of(key) == task
