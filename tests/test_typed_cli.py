"""``python -m engine evaluate-detection --model <any Hub id>``: the id is checked for object
detection like one typed in the page, downloaded from a Hub on 127.0.0.1 (tests/hub) and evaluated;
registry names still work and typos still get the closest ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.evaluation.metrics import cli
from engine.inputs.samples import load_sample
from engine.models import registry
from tests.conftest import TINY_DIR
from tests.hub import Fault, real_repo

YOLOS_TINY = "hustvl/yolos-tiny"  # not in the registry: its real Hub layout, a tiny YOLOS's bytes


@pytest.fixture(autouse=True)
def _forget_typed():
    registry.forget_typed()
    yield
    registry.forget_typed()


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """Two photos in the Ultralytics layout, one labelled object each."""
    root = tmp_path / "data"
    for name, cls in (("coffee", 41), ("astronaut", 0)):  # COCO ids: cup, person
        (root / "images" / "val").mkdir(parents=True, exist_ok=True)
        (root / "labels" / "val").mkdir(parents=True, exist_ok=True)
        load_sample(name).convert("RGB").save(root / "images" / "val" / f"{name}.jpg")
        (root / "labels" / "val" / f"{name}.txt").write_text(f"{cls} 0.5 0.5 0.4 0.4\n")
    return root


def test_any_hub_detector_is_checked_downloaded_and_evaluated(local_hub, dataset: Path, capsys) -> None:
    local_hub.add_repo(real_repo(YOLOS_TINY, TINY_DIR / "hustvl/yolos-small"))
    assert cli(["--model", YOLOS_TINY, "--data", str(dataset), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["model"], doc["images"], doc["n_true"]) == (YOLOS_TINY, 2, 2)
    assert doc["tp"] + doc["fn"] == 2  # each labelled object found or missed by the typed model
    assert [p for p in local_hub.downloads() if p.startswith(f"/{YOLOS_TINY}/") and p.endswith(".safetensors")]


def test_a_hub_id_of_another_task_is_refused_with_its_page(local_hub, dataset: Path, capsys) -> None:
    local_hub.add_repo(real_repo("nvidia/segformer-b1-finetuned-ade-512-512", TINY_DIR / "nvidia/segformer-b0-finetuned-ade-512-512"))  # fmt: skip
    assert cli(["--model", "nvidia/segformer-b1-finetuned-ade-512-512", "--data", str(dataset)]) == 1
    err = capsys.readouterr().err
    assert "it is a image-segmentation model, not object-detection (its page: /segmentation)" in err
    assert not [p for p in local_hub.downloads() if p.endswith(".safetensors")]


def test_a_missing_repo_and_a_typo_are_told_apart(local_hub, dataset: Path, capsys) -> None:
    local_hub.fault(Fault("status", "/api/models/", status=404))
    assert cli(["--model", "nadie/no-existe", "--data", str(dataset)]) == 1
    assert "the Hub has no model repo nadie/no-existe" in capsys.readouterr().err
    assert cli(["--model", "yolov8", "--data", str(dataset)]) == 1  # no "/": the registry's ids, closest first
    assert "Did you mean ultralytics/yolov8n?" in capsys.readouterr().err
