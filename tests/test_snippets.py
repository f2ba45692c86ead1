"""Every page's "Código" snippet stands on its own: none imports the app, each compiles, opens the
student's file and speaks the page's language (each task's test runs its snippets against the engine)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.models import registry
from engine.tasks import classification, clip, depth, detection, segmentation, sketch
from tests.snippets import run_snippet

SPANISH_NAMES = re.compile(r"\b(imagen|modelo|etiquetas?|resultados?|clasificador|mascara|recorte|dibujo|pesos)\b")


def _snippets(file_name: str, lang: str) -> dict[str, str]:
    """Each page's snippet for every registered model of its task."""
    out: dict[str, str] = {}
    for m in registry.models_for("image-classification"):
        out[m.id] = classification.code_snippet(m.id, 5, file_name, lang)
    for m in registry.models_for("object-detection"):
        out[m.id] = detection.code_snippet(m.id, classes=["dog"], file_name=file_name, lang=lang)
    for m in registry.models_for("image-segmentation"):
        out[m.id] = segmentation.code_snippet(m.id, "person", file_name, lang)
    for m in registry.models_for("zero-shot-image-classification"):
        for cosine in (False, True):
            out[f"{m.id} cosine={cosine}"] = clip.code_snippet(
                m.id, ["cat", "dog"], cosine=cosine, file_name=file_name, lang=lang
            )
        out[f"{m.id} workshop"] = clip.workshop_snippet(m.id, ["a cat"], file_names=[file_name], lang=lang)
    for m in registry.models_for("depth-estimation"):
        out[m.id] = depth.code_snippet(m.id, file_name, lang)
    out[sketch.MODEL_ID] = sketch.code_snippet(5, file_name, lang)
    # The deliverable's Pictionary script: a game's drawings, each the model's input.
    out[f"{sketch.MODEL_ID} game"] = sketch.code_snippet(
        5, lang=lang, file_names=[file_name, "2.png"], model_input=True
    )
    return out


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_snippet_compiles_opens_the_file_and_needs_no_app(lang: str) -> None:
    snippets = _snippets("mi foto's.png", lang)
    assert len(snippets) >= 10
    for name, code in snippets.items():
        compile(code, name, "exec")
        assert "engine" not in code and "st." not in code, name
        assert repr("mi foto's.png") in code and "foto.jpg" not in code, name  # the file name, quoted as data
        spanish = SPANISH_NAMES.findall(code)
        assert bool(spanish) == (lang == "es"), (name, spanish)


def test_the_default_file_name_follows_the_language() -> None:
    assert "'foto.jpg'" in classification.code_snippet("efficientnet-lite0")
    assert "'photo.jpg'" in detection.code_snippet("ultralytics/yolov8n", lang="en")
    assert "'dibujo.png'" in sketch.code_snippet() and "'drawing.png'" in sketch.code_snippet(lang="en")


def test_a_snippet_that_imports_the_app_fails(tmp_path: Path) -> None:
    fail: Callable[..., object] = pytest.fail
    with pytest.raises(fail.Exception, match="No module named 'engine'"):  # type: ignore[attr-defined]
        run_snippet("import engine\n", tmp_path, timeout=60)
