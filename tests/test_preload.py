"""The warm start's preload (ui.models.preload_defaults): the pages' small default models that are
on disk, loaded into the shared cache before any student arrives; nothing large, nothing downloaded."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from engine.models import registry
from engine.tasks import LOADERS
from ui import models

CLIP = registry.default_for("zero-shot-image-classification")  # 605 MB: never preloaded
SEGFORMER = registry.default_for("image-segmentation")  # small, but not on disk here


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Every task's loader replaced by a recorder; a models directory holding YOLOv8n's file, the
    sketch CNN's folder and the default CLIP's folder (so only its size keeps it out)."""
    (tmp_path / "ultralytics").mkdir()
    (tmp_path / "ultralytics" / "yolov8n.pt").write_bytes(b"stand-in")
    for repo in ("nateraw/quickdraw", CLIP.id):
        (tmp_path / repo).mkdir(parents=True)
        (tmp_path / repo / "config.json").write_text("{}")
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))  # no Hub cache of this machine counts
    calls: list[str] = []
    for module, function in set(LOADERS.values()):
        monkeypatch.setattr(
            importlib.import_module(module), function, lambda model_id: calls.append(model_id) or object()
        )
    models.model_cache.clear()
    yield calls
    models.model_cache.clear()


def test_the_small_defaults_on_disk_are_loaded_once_into_the_shared_cache(loads: list[str]) -> None:
    loaded = models.preload_defaults(max_mb=50)
    assert loaded == ["efficientnet-lite0", "nateraw/quickdraw", "ultralytics/yolov8n"]  # embedded, then on disk
    assert loads == loaded
    assert SEGFORMER.id not in loaded and CLIP.id not in loaded  # not on disk; too large for a warm start
    assert "object-detection:ultralytics/yolov8n" in models.model_cache()
    models.get_model("ultralytics/yolov8n")  # the page's first visit finds it: no second load
    assert loads.count("ultralytics/yolov8n") == 1


def test_a_larger_limit_takes_a_larger_model_on_disk_and_zero_takes_none(loads: list[str]) -> None:
    assert CLIP.id in models.preload_defaults(max_mb=1000)
    models.model_cache.clear()
    assert models.preload_defaults(max_mb=0) == []
