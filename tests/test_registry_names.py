"""The names a user types for a model (``registry.find``): registry ids, the names Ultralytics
users know (``yolov8n``, ``yolov8n.pt``), and what a wrong name is told (the ids, closest first)."""

from __future__ import annotations

import pytest

from engine.errors import UnknownModel
from engine.models import download, registry

# --- names that find a model ---


@pytest.mark.parametrize(
    ("name", "task", "expected"),
    [
        ("ultralytics/yolov8n", None, "ultralytics/yolov8n"),
        ("yolov8n", None, "ultralytics/yolov8n"),
        ("yolov8n.pt", None, "ultralytics/yolov8n"),
        ("YOLOv8n.pt", None, "ultralytics/yolov8n"),
        ("ultralytics/yolov8n.pt", None, "ultralytics/yolov8n"),
        (" yolov8n ", None, "ultralytics/yolov8n"),
        ("yolo11n", None, "ultralytics/yolo11n"),
        ("yolo11n.pt", "object-detection", "ultralytics/yolo11n"),
        ("yolo11n-seg.pt", None, "ultralytics/yolo11n-seg"),
        ("yolo11n-seg", "image-segmentation", "ultralytics/yolo11n-seg"),
        ("microsoft/resnet-50", None, "microsoft/resnet-50"),
        ("resnet-50", "image-classification", "microsoft/resnet-50"),
        ("efficientnet-lite0", None, "efficientnet-lite0"),
        ("laion/clip-vit-b-32-laion2b-s34b-b79k", None, "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"),
        ("facebook/detr-resnet-50", "object-detection", "facebook/detr-resnet-50"),
    ],
)
def test_find_accepts_ids_and_ultralytics_names(name: str, task: str | None, expected: str) -> None:
    assert registry.find(name, task=task).id == expected


def test_every_registry_id_finds_itself_and_no_name_is_ambiguous() -> None:
    for spec in registry.MODELS:
        assert registry.find(spec.id) is spec
        assert registry.find(spec.id, task=spec.task) is spec
    names = [n for spec in registry.MODELS for n in registry._names_of(spec)]
    assert len(names) == len(set(names))


def test_only_ultralytics_files_are_names() -> None:
    # The Space's weights file is called pytorch_model.bin: that names no model.
    with pytest.raises(UnknownModel):
        registry.find("pytorch_model.bin")


# --- names that find nothing: the ids, closest first ---


@pytest.mark.parametrize(
    ("name", "task", "closest", "hint"),
    [
        ("yolov8", None, "ultralytics/yolov8n", True),
        ("yolov9n.pt", None, "ultralytics/yolov8n", True),
        ("yolo11m", "object-detection", "ultralytics/yolo11n", True),
        ("detr", None, "facebook/detr-resnet-50", True),
        ("vit", "image-classification", "google/vit-base-patch16-224", True),
        ("microsoft/resnet-5O", None, "microsoft/resnet-50", True),
        # a model of another task: not found for this one, its nearest neighbour suggested
        ("yolo11n-seg.pt", "object-detection", "ultralytics/yolo11n", True),
        ("resnet-50", "object-detection", "facebook/detr-resnet-50", True),
        ("zzzz", "object-detection", None, False),
    ],
)
def test_unknown_names_list_the_ids_closest_first(name: str, task: str | None, closest: str | None, hint: bool) -> None:
    with pytest.raises(UnknownModel) as info:
        registry.find(name, task=task)
    err = info.value
    candidates = registry.models_for(task) if task else list(registry.MODELS)
    assert err.code == "unknown_model" and err.params["model_id"] == name
    assert sorted(err.params["suggestions"]) == sorted(m.id for m in candidates)  # every id, once
    if closest:
        assert err.params["suggestions"][0] == closest
    assert (f"Did you mean {err.params['suggestions'][0]}?" in str(err)) is hint
    assert ", ".join(err.params["suggestions"]) in str(err)


def test_get_still_takes_exact_ids_only() -> None:
    assert registry.get("ultralytics/yolov8n").id == "ultralytics/yolov8n"
    with pytest.raises(UnknownModel) as info:
        registry.get("yolov8n")
    assert info.value.params["suggestions"][0] == "ultralytics/yolov8n"


def test_an_unknown_task_is_refused() -> None:
    with pytest.raises(UnknownModel):
        registry.find("yolov8n", task="text-generation")


# --- the download command (`make models MODELS=...`) takes the same names ---


def test_download_cli_takes_ultralytics_names(shared_models, capsys) -> None:
    # ../shared/models has the real yolov8n.pt: it resolves there, with nothing downloaded.
    assert download.cli(["--model", "yolov8n.pt", "--model", "ultralytics/yolov8n"]) == 0
    out = capsys.readouterr().out
    assert "ultralytics/yolov8n" in out and "1 of 1 models ready" in out


def test_download_cli_says_which_ids_exist(capsys) -> None:
    assert download.cli(["--model", "yolov9"]) == 2
    err = capsys.readouterr().err
    assert "Did you mean ultralytics/yolov8n?" in err and "microsoft/resnet-50" in err
