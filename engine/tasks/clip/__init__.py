"""Zero-shot classification with CLIP: labels the student types, one shared image–text space.

CLIP has an image encoder and a text encoder trained so that a photo and its caption land close
together. Classifying is then: embed the image, embed one sentence per label (``"a photo of a
{label}"``), take the cosine similarity of each pair and a softmax over *the labels given*.

Speed: the image and the texts are encoded apart (the same numbers ``CLIPModel.forward`` gives),
so each embedding is computed once and kept, keyed by the image's pixels or the sentence's text.
Changing only the labels re-encodes only the new sentences; changing only the images re-encodes
only the new images; a matrix of many images × many texts is one batched pass per encoder.

Modules: ``labels`` (the typed labels and template, checked), ``model`` (loading, the embeddings and
their caches, the matrices, :func:`zero_shot`), ``workshop`` (many images × many descriptions, the
:class:`ProbabilityTable`), ``snippet`` (the code a student would write), ``fast`` ("Modo rápido": the
fast copy and :func:`zero_shot_compared`).

Example:
    >>> model = load_clip("openai/clip-vit-base-patch32")  # doctest: +SKIP
    >>> zero_shot(model, load_sample("cat"), parse_labels("cat, dog, car")).top  # doctest: +SKIP
    ('cat', 0.98...)
"""

from __future__ import annotations

from engine.tasks.clip.fast import zero_shot_compared
from engine.tasks.clip.labels import (
    DEFAULT_DESCRIPTIONS,
    DEFAULT_TEMPLATE,
    MAX_INPUT_CHARS,
    MAX_LABEL_CHARS,
    MAX_LABELS,
    MAX_TEMPLATE_CHARS,
    MIN_LABELS,
    parse_labels,
    prompts,
    validate_labels,
    validate_template,
)
from engine.tasks.clip.model import (
    IMAGE_BATCH,
    MAX_IMAGES,
    TASK,
    TEXT_BATCH,
    ClipModel,
    EmbeddingStats,
    cosine_matrix,
    image_embeddings,
    load_clip,
    probability_matrix,
    similarities,
    text_embeddings,
    truncated,
    zero_shot,
)
from engine.tasks.clip.snippet import code_snippet, workshop_snippet
from engine.tasks.clip.workshop import ProbabilityTable, unique_names, workshop_table

__all__ = [
    "DEFAULT_DESCRIPTIONS",
    "DEFAULT_TEMPLATE",
    "IMAGE_BATCH",
    "MAX_IMAGES",
    "MAX_INPUT_CHARS",
    "MAX_LABELS",
    "MAX_LABEL_CHARS",
    "MAX_TEMPLATE_CHARS",
    "MIN_LABELS",
    "TASK",
    "TEXT_BATCH",
    "ClipModel",
    "EmbeddingStats",
    "ProbabilityTable",
    "code_snippet",
    "cosine_matrix",
    "image_embeddings",
    "load_clip",
    "parse_labels",
    "probability_matrix",
    "prompts",
    "similarities",
    "text_embeddings",
    "truncated",
    "unique_names",
    "validate_labels",
    "validate_template",
    "workshop_snippet",
    "workshop_table",
    "zero_shot",
    "zero_shot_compared",
]
