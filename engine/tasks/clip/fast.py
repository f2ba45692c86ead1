""" "Modo rápido" for CLIP: a fast copy of the whole ``CLIPModel`` (both encoders, bf16 or int8 linear
layers, :mod:`engine.accel.fastmode`) and one image's zero-shot scores in fp32 and in the fast mode,
compared as classification's are (:class:`~engine.accel.fastmode.ClassAgreement`).

The page's own scores stay :func:`engine.tasks.clip.model.zero_shot`'s, fp32 with its embedding
caches. The comparison runs both models through ``CLIPModel.forward`` on the image and the labels'
sentences with nothing reused: both times are a whole call (the image and its sentences encoded),
and a fast embedding never enters the caches the fp32 scores are read from.

Example:
    >>> import torch
    >>> embeds = torch.tensor([[1.0, 0.0]]), torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    >>> scores_from_embeddings(["cat", "dog"], *embeds, scale=10.0).top[0]
    'cat'
    >>> model = load_clip("openai/clip-vit-base-patch32")  # doctest: +SKIP
    >>> copy = fast_model(model)  # doctest: +SKIP
    >>> result, comparison = zero_shot_compared(model, copy, load_sample("cat"), ["cat", "dog"])  # doctest: +SKIP
    >>> comparison.agreement.same_top1  # doctest: +SKIP
    True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PIL import Image

from engine.models.lazy import import_torch
from engine.results import Classifications
from engine.tasks.clip.labels import DEFAULT_TEMPLATE, prompts, validate_labels
from engine.tasks.clip.model import ClipModel, _tokenize
from engine.tasks.fast import AGREEMENT_TOP_K, RUNS, _both, _timed

if TYPE_CHECKING:  # engine.accel.fastmode imports torch: only when a fast mode runs
    from engine.accel.fastmode import Comparison, FastModel, Mode

# The page's default labels: the sentences the modes are timed on at load (a typical request).
EXAMPLE_LABELS = ("cat", "dog", "car", "tree", "person")


def supported(model: Any) -> bool:
    """Whether fast mode can run this model: a CLIP loaded in this process (not a Serve replica's)."""
    return isinstance(model, ClipModel)


def example_run(model: ClipModel) -> Callable[[Any], Any]:
    """A call of a module in ``CLIPModel``'s place on a typical request: one noise image at the
    model's size and the default labels' sentences (to time the modes)."""
    torch = import_torch()
    size = model.model.config.vision_config.image_size
    pixels = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0))
    tokens = dict(_tokenize(model, prompts(list(EXAMPLE_LABELS), DEFAULT_TEMPLATE)))
    return lambda m: m(pixel_values=pixels, **tokens)


def fast_model(model: ClipModel, mode: Mode | None = None) -> FastModel | None:
    """CLIP's fast copy, chosen as every other model's (:func:`engine.tasks.fast.fast_model`):
    ``mode``'s when given, else ``VISION_FAST_MODE``'s where this CPU runs it, else the fastest mode
    measured faster than fp32 here (:func:`engine.accel.fastmode.prepare`); ``None`` when none is."""
    from engine import settings
    from engine.accel import fastmode

    forced = settings.fast_mode()
    if mode is None and forced in fastmode.support().modes:
        mode = forced  # type: ignore[assignment]
    run = example_run(model)
    if mode is not None:
        return fastmode.fast_copy(model.model, mode, run)
    _, ms = _timed(lambda: run(model.model))  # how long one forward takes: how many rounds to time
    return fastmode.prepare(model.model, run, runs=fastmode.timing_runs(ms / 1000))


def scores_from_embeddings(labels: Sequence[str], image_embeds: Any, text_embeds: Any, scale: float) -> Classifications:
    """The labels sorted by probability from one image's and the sentences' L2-normalised embeddings:
    a softmax of cosine × ``scale`` (CLIP's ``exp(logit_scale)``), in float64 as the page's matrix."""
    cosine = image_embeds.double() @ text_embeds.double().T
    return Classifications.from_scores(list(labels), (cosine * scale).softmax(dim=-1)[0].tolist())


def _forward_scores(
    model: ClipModel, module: Any, image: Image.Image, labels: Sequence[str], template: str
) -> Classifications:
    """``module`` (fp32's ``CLIPModel`` or a fast copy) on ``image`` and the labels' sentences, nothing
    cached; the logit scale is always fp32's (one number: the fast copy's would round it)."""
    pixels = model.processor.image_processor(images=[image], return_tensors="pt")["pixel_values"]
    tokens = dict(_tokenize(model, prompts(labels, template)))
    out = module(pixel_values=pixels, **tokens)  # CLIPModel.forward: both embeddings, normalised
    scale = float(model.model.logit_scale.detach().exp())
    return scores_from_embeddings(labels, out.image_embeds, out.text_embeds, scale)


def zero_shot_compared(
    model: ClipModel,
    fast: FastModel,
    image: Image.Image,
    labels: Sequence[str],
    template: str = DEFAULT_TEMPLATE,
    runs: int = RUNS,
) -> tuple[Classifications, Comparison]:
    """``image`` classified over ``labels`` in fp32 and in ``fast``'s mode, each a whole forward pass
    (the image and the sentences encoded, alternately ``runs`` times): the fast scores (every label,
    sorted) and the comparison (the same top-1? the largest probability difference over fp32's top 5)."""
    from engine.accel.fastmode import ClassAgreement, Comparison

    labels = validate_labels(labels)
    plain, fp32_ms, quick, fast_ms = _both(
        lambda: _forward_scores(model, model.model, image, labels, template),
        lambda: _forward_scores(model, fast.module, image, labels, template),
        runs,
    )
    agreement = ClassAgreement.from_classifications(plain.top_k(AGREEMENT_TOP_K), quick)
    return quick, Comparison.from_times(fast.mode, fp32_ms, fast_ms, agreement, fast.extra_mb)
