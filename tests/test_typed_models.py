"""Any Hub model id: every refusal before download, with its reason, against a Hub on this machine
serving the real layouts (tests/hub/layouts.json) of the models the course names; and a typed
model takes the presets' path (download, cache, loader, result)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from engine.errors import ModelUnavailable
from engine.models import hub, registry, resolve, typed
from tests.conftest import TINY_DIR
from tests.hub import Fault, HubFile, HubRepo, real_repo


@pytest.fixture(autouse=True)
def _forget_typed():
    registry.forget_typed()
    yield
    registry.forget_typed()


@pytest.fixture(scope="module")
def tiny_convnext(tmp_path_factory) -> Path:
    import torch
    import transformers as tf

    torch.manual_seed(0)
    target = tmp_path_factory.mktemp("convnext")
    labels = ["tabby, tabby cat", "espresso", "space shuttle"]
    config = tf.ConvNextConfig(
        num_channels=3,
        hidden_sizes=[8, 16],
        depths=[1, 1],
        num_stages=2,
        id2label=dict(enumerate(labels)),
        label2id={n: i for i, n in enumerate(labels)},
    )
    tf.ConvNextForImageClassification(config).eval().save_pretrained(target)
    tf.ConvNextImageProcessor(size={"shortest_edge": 32}).save_pretrained(target)
    return target


def _refused(repo_id: str, task: str) -> ModelUnavailable:
    with pytest.raises(ModelUnavailable) as info:
        typed.check(repo_id, task)
    return info.value


def test_a_typed_model_takes_the_presets_path(local_hub, tiny_convnext) -> None:
    """convnext-tiny has only pytorch_model.bin on main: the bot's conversion is taken, and the
    model downloads, loads and classifies like a preset."""
    from engine.tasks.classification import classify, load_classifier

    repo = local_hub.add_repo(real_repo("facebook/convnext-tiny-224", tiny_convnext))
    spec = typed.check("facebook/convnext-tiny-224", "image-classification")
    assert (spec.revision, spec.weights_revision) == (repo.refs["main"], repo.refs["refs/pr/4"])
    assert spec.size_mb == pytest.approx(114, rel=0.02)  # the real size, before any weights came
    assert not [p for p in local_hub.downloads() if p.endswith(".safetensors")]
    assert registry.get("facebook/convnext-tiny-224") is spec
    got = resolve.resolve(spec)
    assert (got.where, got.origin) == ("hub", "conversion")
    result = classify(load_classifier(spec.id), Image.new("RGB", (40, 40), (200, 100, 50)), top_k=3)
    assert set(result.labels) == {"tabby, tabby cat", "espresso", "space shuttle"}


@pytest.mark.parametrize(
    ("repo_id", "tiny", "task", "page"),
    [
        ("hustvl/yolos-tiny", "hustvl/yolos-small", "image-classification", "detection"),
        (
            "nvidia/segformer-b1-finetuned-ade-512-512",
            "nvidia/segformer-b0-finetuned-ade-512-512",
            "object-detection",
            "segmentation",
        ),
        ("facebook/convnext-tiny-224", None, "zero-shot-image-classification", "classification"),
    ],
)
def test_a_model_of_another_task_is_refused_and_the_right_page_named(
    local_hub, tiny_convnext, repo_id, tiny, task, page
) -> None:
    folder = tiny_convnext if tiny is None else TINY_DIR / tiny
    local_hub.add_repo(real_repo(repo_id, folder))
    err = _refused(repo_id, task)
    assert (err.params["reason"], err.params["page"]) == ("wrong_task", page)
    assert not [p for p in local_hub.downloads() if not p.endswith("config.json")]


def test_a_preset_on_the_wrong_page_is_refused_too() -> None:
    err = _refused("facebook/detr-resnet-50", "image-classification")
    assert (err.params["reason"], err.params["page"]) == ("wrong_task", "detection")


def test_a_model_too_large_for_the_server_is_refused_before_download(local_hub) -> None:
    local_hub.add_repo(real_repo("openai/clip-vit-large-patch14", TINY_DIR / "openai/clip-vit-base-patch32"))
    err = _refused("openai/clip-vit-large-patch14", "zero-shot-image-classification")
    assert err.params["reason"] == "too_large" and err.params["size_mb"] > 1700
    assert local_hub.downloads() == [p for p in local_hub.downloads() if p.endswith("config.json")]


def test_a_model_larger_than_the_model_budget_is_refused(local_hub, monkeypatch) -> None:
    monkeypatch.setenv("VISION_MAX_MODEL_MB", "5000")
    monkeypatch.setenv("VISION_MODEL_BUDGET_MB", "1000")
    local_hub.add_repo(real_repo("openai/clip-vit-large-patch14", TINY_DIR / "openai/clip-vit-base-patch32"))
    err = _refused("openai/clip-vit-large-patch14", "zero-shot-image-classification")
    assert (err.params["reason"], err.params["budget_mb"]) == ("too_much_memory", 1000)


@pytest.mark.parametrize(
    ("config", "detail"),
    [
        (
            {"model_type": "vit", "architectures": ["ViTForImageClassification"], "auto_map": {"AutoModel": "m.M"}},
            "auto_map",
        ),
        (
            {"model_type": "fancy-net", "architectures": ["FancyNetForImageClassification"]},
            "FancyNetForImageClassification",
        ),
    ],
)
def test_a_model_that_needs_its_own_code_is_refused(local_hub, config, detail) -> None:
    files = {"config.json": json.dumps(config).encode(), "model.safetensors": HubFile(b"x" * 64, 10_000_000)}
    local_hub.add_repo(HubRepo.single("someone/custom-net", files, pipeline_tag="image-classification"))
    err = _refused("someone/custom-net", "image-classification")
    assert err.params["reason"] == "remote_code" and detail in err.params["detail"]
    assert not [p for p in local_hub.downloads() if p.endswith(".safetensors")]


@pytest.mark.parametrize(
    "bad", ["", "convnext", "../../etc/passwd", "org/na me", "org/<script>", "a/b/c", "x" * 200 + "/y"]
)
def test_a_malformed_id_is_refused_without_asking_the_hub(local_hub, bad: str) -> None:
    assert _refused(bad, "image-classification").params["reason"] == "bad_id"
    assert local_hub.requests == []


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (Fault("status", "/api/models/", status=404), "hub_not_found"),
        (Fault("status", "/api/models/", status=401), "hub_gated"),
        (Fault("status", "/api/models/", status=500), "hub_error"),
    ],
)
def test_hub_errors_are_refusals_and_clear_once_fixed(local_hub, tiny_convnext, fault: Fault, reason: str) -> None:
    local_hub.add_repo(real_repo("facebook/convnext-tiny-224", tiny_convnext))
    local_hub.fault(fault)
    start = time.monotonic()
    assert _refused("facebook/convnext-tiny-224", "image-classification").params["reason"] == reason
    assert time.monotonic() - start < 30
    local_hub.clear_faults()
    assert typed.check("facebook/convnext-tiny-224", "image-classification").id == "facebook/convnext-tiny-224"


def test_a_stalled_download_fails_in_bounded_time_and_leaves_nothing(local_hub, tiny_convnext, monkeypatch) -> None:
    monkeypatch.setenv("VISION_DOWNLOAD_TIMEOUT_S", "1")
    local_hub.add_repo(real_repo("facebook/convnext-tiny-224", tiny_convnext))
    spec = typed.check("facebook/convnext-tiny-224", "image-classification")
    local_hub.fault(Fault("stall", "model.safetensors", seconds=3))
    start = time.monotonic()
    with pytest.raises(ModelUnavailable) as info:
        resolve.resolve(spec)
    assert info.value.params["reason"] == "download_failed"
    assert time.monotonic() - start < 60
    assert resolve.availability(spec) == "hub"  # nothing in the cache that a load would trust
    local_hub.clear_faults()
    assert resolve.resolve(spec).where == "hub"


def test_two_sessions_asking_at_once_share_one_download(local_hub, tiny_convnext) -> None:
    local_hub.add_repo(real_repo("facebook/convnext-tiny-224", tiny_convnext))
    spec = typed.check("facebook/convnext-tiny-224", "image-classification")
    local_hub.fault(Fault("stall", "model.safetensors", seconds=1, times=1))  # the first is slow
    paths: list[Path] = []
    threads = [threading.Thread(target=lambda: paths.append(resolve.resolve(spec).path)) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert len(paths) == 2 and paths[0] == paths[1]
    assert len([p for p in local_hub.downloads() if p.endswith("model.safetensors")]) == 1
    state = hub.progress_of(spec.id)
    assert state is not None and state.finished and not state.error and state.fraction == 1.0
    assert state.total_bytes == pytest.approx(114e6, rel=0.02)
