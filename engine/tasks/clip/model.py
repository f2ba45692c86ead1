"""The CLIP model: loading it, encoding images and texts apart (each embedding computed once and
kept, keyed by the image's pixels or the sentence's text), the similarity and probability matrices,
zero-shot classification.

Example:
    >>> model = load_clip("openai/clip-vit-base-patch32")  # doctest: +SKIP
    >>> zero_shot(model, load_sample("cat"), ["cat", "dog"]).top  # doctest: +SKIP
    ('cat', 0.98...)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from engine.errors import EngineError, InvalidInput, ModelLoadError
from engine.inputs.images import digest
from engine.models import registry
from engine.models.lazy import import_torch, import_transformers
from engine.models.loading import configure_torch, read_safetensors, weights_file, weights_kwargs
from engine.models.mapped import map_parameter
from engine.models.provenance import UNKNOWN, Footprint, of_module
from engine.models.resolve import resolve
from engine.results import Classifications
from engine.serving import remote
from engine.serving.remote import RemoteModel
from engine.tasks.clip.labels import DEFAULT_TEMPLATE, prompts, validate_labels

TASK = "zero-shot-image-classification"
TOKEN_TABLE = "text_model.embeddings.token_embedding.weight"  # noqa: S105 - a tensor name in model.safetensors
MAX_IMAGES = 24  # the workshop's images at once
IMAGE_BATCH = 16  # images per forward pass (5 images × 5 texts is one pass of each encoder)
TEXT_BATCH = 64  # more than MAX_LABELS: the texts of one request are always one pass
_IMAGE_CACHE = 512  # embeddings are 512 floats (2 KB): the caches stay a few MB
_TEXT_CACHE = 2048

# transformers resolves CLIPModel lazily; two sessions loading at once must not race on it.
_LOAD_LOCK = threading.Lock()


class _LRU:
    """A small thread-safe LRU of embeddings (one row tensor per key)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            return None

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


@dataclass(frozen=True)
class EmbeddingStats:
    """How many forward passes ran and how many embeddings were computed or reused."""

    image_passes: int = 0
    images_encoded: int = 0
    image_hits: int = 0
    text_passes: int = 0
    texts_encoded: int = 0
    text_hits: int = 0

    def __sub__(self, other: EmbeddingStats) -> EmbeddingStats:
        return EmbeddingStats(*(a - b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, ...]:
        return (
            self.image_passes,
            self.images_encoded,
            self.image_hits,
            self.text_passes,
            self.texts_encoded,
            self.text_hits,
        )


@dataclass
class _Counters:
    """The model's running totals, updated under a lock (sessions share the model)."""

    stats: EmbeddingStats = field(default_factory=EmbeddingStats)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **delta: int) -> None:
        with self.lock:
            values = {k: getattr(self.stats, k) + delta.get(k, 0) for k in EmbeddingStats.__dataclass_fields__}
            self.stats = EmbeddingStats(**values)


@dataclass(frozen=True)
class ClipModel:
    """A loaded CLIP (model + processor) with its embedding caches, shared read-only by sessions."""

    model_id: str
    model: Any  # transformers.CLIPModel, in eval mode
    processor: Any  # transformers.CLIPProcessor
    where: str  # local / cache / hub: shown in the page
    device: str
    applied: tuple[str, ...] = ()  # CPU speed-ups (engine.accel.fastcpu), e.g. ("onednn_linear:146", "onednn_conv:1")
    origin: str = ""  # how the weights are stored (engine.models.resolve.Origin)
    footprint: Footprint = UNKNOWN  # what was really loaded; a test stand-in says so (engine.models.provenance)
    image_cache: _LRU = field(default_factory=lambda: _LRU(_IMAGE_CACHE), repr=False, compare=False)
    text_cache: _LRU = field(default_factory=lambda: _LRU(_TEXT_CACHE), repr=False, compare=False)
    counters: _Counters = field(default_factory=_Counters, repr=False, compare=False)

    @property
    def stand_in(self) -> bool:
        return self.footprint.stand_in

    @property
    def max_tokens(self) -> int:
        """The text encoder's context: 77 tokens for every CLIP here."""
        return int(self.model.config.text_config.max_position_embeddings)

    def stats(self) -> EmbeddingStats:
        """A snapshot of the counters (subtract two snapshots to see what one call did)."""
        return self.counters.stats

    def forget(self) -> None:
        """Empty both embedding caches: the next call computes everything (for timing a new photo)."""
        self.image_cache.clear()
        self.text_cache.clear()


def load_clip(model_id: str) -> ClipModel:
    """``CLIPModel`` + ``CLIPProcessor`` from the model's resolved folder (never remote code).

    Raises :class:`ModelUnavailable` when the weights cannot be had and :class:`ModelLoadError`
    when they do not load.
    """
    spec = registry.get(model_id)
    if spec.task != TASK:
        raise InvalidInput(f"{model_id} is a {spec.task} model, not {TASK}.", code="wrong_task")
    resolved = resolve(spec)
    folder = resolved.path
    torch = import_torch()
    configure_torch()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        with _LOAD_LOCK:
            transformers = import_transformers()
            clip_model, clip_processor = transformers.CLIPModel, transformers.CLIPProcessor
            weights = folder / "model.safetensors"
            if device == "cpu" and weights.is_file():
                # Read into the process's own memory instead of memory-mapping the file: packing
                # (_speed_up) then frees each weight as it copies it. From a mapped file, every
                # page it read stayed resident until the end: CLIP held its weights twice while
                # loading (+600 MB at the peak, measured).
                config = transformers.CLIPConfig.from_pretrained(str(folder))
                state = read_safetensors(weights)
                model = clip_model.from_pretrained(None, config=config, state_dict=state).eval()
                del state
                # The token table (97 MB of CLIP ViT-B/32's 577) is read a few rows per label: it
                # stays in the file's pages, so OpenAI's and LAION's CLIPs fit the model budget
                # together on Community Cloud (2 x 577 MB did not: compare mode reloaded both).
                map_parameter(model.text_model.embeddings.token_embedding, "weight", weights, TOKEN_TABLE)
            else:
                model = clip_model.from_pretrained(str(folder), **weights_kwargs(folder)).to(device).eval()
            processor = clip_processor.from_pretrained(str(folder))
    except EngineError:
        raise
    except Exception as exc:
        weights = weights_file(folder)
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        raise ModelLoadError(
            f"{spec.id} could not be loaded from {weights}: {detail}", model_id=spec.id, file=weights, detail=detail
        ) from exc
    footprint = of_module(spec, model, resolved.location)  # before packing: packed weights are no longer parameters
    applied = tuple(_speed_up(model, processor)) if device == "cpu" else ()
    return ClipModel(
        spec.id, model, processor, resolved.where, device, applied, origin=resolved.origin, footprint=footprint
    )


def _speed_up(model: Any, processor: Any) -> list[str]:
    """Both encoders packed for the CPU (:func:`engine.accel.fastcpu.pack_checked`), checked on a noise
    image and two descriptions."""
    from engine.accel.fastcpu import pack_checked

    torch = import_torch()
    size = model.config.vision_config.image_size
    example = dict(
        processor.tokenizer(["a photo of a cat", "a drawing of two dogs"], padding=True, return_tensors="pt")
    )
    example["pixel_values"] = torch.rand(1, 3, size, size, generator=torch.Generator().manual_seed(0))
    return pack_checked(model, lambda m: m(**example), lambda out: (out.image_embeds, out.text_embeds))


def _features(output: Any) -> Any:
    # transformers 5 returns a model output whose pooler_output is the projected embedding;
    # older versions returned the tensor itself.
    return output if hasattr(output, "norm") else output.pooler_output


def image_embeddings(model: ClipModel, images: Sequence[Image.Image]) -> Any:
    """L2-normalised image embeddings (a torch tensor, one row per image), from the cache when seen."""
    torch = import_torch()
    keys = [digest(img) for img in images]  # an image's embedding is cached under its pixels' digest
    found = {k: model.image_cache.get(k) for k in dict.fromkeys(keys)}
    missing = [k for k, v in found.items() if v is None]
    first = {k: img for k, img in zip(keys, images, strict=True) if k in missing}
    for start in range(0, len(missing), IMAGE_BATCH):
        batch = missing[start : start + IMAGE_BATCH]
        pixels = model.processor.image_processor(images=[first[k] for k in batch], return_tensors="pt")
        with torch.inference_mode():
            emb = _features(model.model.get_image_features(pixel_values=pixels["pixel_values"].to(model.device)))
            emb = emb / emb.norm(p=2, dim=-1, keepdim=True)
        for k, row in zip(batch, emb.float().cpu(), strict=True):
            model.image_cache.put(k, row)
            found[k] = row
        model.counters.add(image_passes=1, images_encoded=len(batch))
    model.counters.add(image_hits=len(keys) - len(missing))
    return torch.stack([found[k] for k in keys])


def _tokenize(model: ClipModel, texts: Sequence[str]) -> Any:
    # Truncation at CLIP's 77 tokens: the plain pipeline crashes on longer sentences instead.
    return model.processor.tokenizer(
        list(texts), padding=True, truncation=True, max_length=model.max_tokens, return_tensors="pt"
    )


def truncated(model: ClipModel, texts: Sequence[str]) -> list[int]:
    """Indices of the texts longer than CLIP's 77 tokens (their end is cut before encoding)."""
    if isinstance(model, RemoteModel):  # VISION_INFERENCE: the tokenizer is on the Serve replica
        return [int(i) for i in remote.call(model, "truncated", params={"texts": list(texts)})]
    ids = model.processor.tokenizer(list(texts), truncation=False, verbose=False)["input_ids"]
    return [i for i, row in enumerate(ids) if len(row) > model.max_tokens]


def text_embeddings(model: ClipModel, texts: Sequence[str]) -> Any:
    """L2-normalised text embeddings (one row per text), each text encoded once and then reused."""
    torch = import_torch()
    found = {t: model.text_cache.get(t) for t in dict.fromkeys(texts)}
    missing = [t for t, v in found.items() if v is None]
    for start in range(0, len(missing), TEXT_BATCH):
        batch = missing[start : start + TEXT_BATCH]
        tokens = _tokenize(model, batch).to(model.device)
        with torch.inference_mode():
            emb = _features(model.model.get_text_features(**tokens))
            emb = emb / emb.norm(p=2, dim=-1, keepdim=True)
        for text, row in zip(batch, emb.float().cpu(), strict=True):
            model.text_cache.put(text, row)
            found[text] = row
        model.counters.add(text_passes=1, texts_encoded=len(batch))
    model.counters.add(text_hits=len(texts) - len(missing))
    return torch.stack([found[t] for t in texts])


def _check_images(images: Sequence[Image.Image]) -> None:
    if not images:
        raise InvalidInput("Expected at least one image; got none.", code="clip_no_images")
    if len(images) > MAX_IMAGES:
        raise InvalidInput(
            f"At most {MAX_IMAGES} images at once; got {len(images)}.",
            code="clip_too_many_images",
            max=MAX_IMAGES,
            got=len(images),
        )
    for img in images:
        if not isinstance(img, Image.Image):
            raise InvalidInput(f"Expected PIL images; got {type(img).__name__}.", code="clip_bad_image")


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str) or not texts or not all(isinstance(x, str) and x.strip() for x in texts):
        raise InvalidInput("Expected a non-empty list of non-empty texts.", code="clip_no_labels", min=1)
    if len(texts) > TEXT_BATCH:
        raise InvalidInput(
            f"At most {TEXT_BATCH} texts at once; got {len(texts)}.",
            code="clip_too_many_labels",
            max=TEXT_BATCH,
            got=len(texts),
        )
    return list(texts)


def _cosine(model: ClipModel, images: Sequence[Image.Image], texts: Sequence[str]) -> Any:
    _check_images(images)
    texts = _check_texts(texts)
    return image_embeddings(model, images) @ text_embeddings(model, texts).T


def cosine_matrix(model: ClipModel, images: Sequence[Image.Image], texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of every image (rows) with every text (columns), in [-1, 1]."""
    if isinstance(model, RemoteModel):
        return _remote_matrix(model, "cosine_matrix", images, texts)
    return _cosine(model, images, texts).double().numpy()


def probability_matrix(model: ClipModel, images: Sequence[Image.Image], texts: Sequence[str]) -> np.ndarray:
    """Softmax over the texts of CLIP's scaled cosine similarities: rows images, columns texts, rows sum to 1.

    One batched pass per encoder (images in batches of 16); seen images and texts are reused.
    The numbers are ``CLIPModel(...).logits_per_image.softmax(-1)``: cosine × exp(logit_scale).
    """
    if isinstance(model, RemoteModel):
        return _remote_matrix(model, "probability_matrix", images, texts)
    scale = float(model.model.logit_scale.detach().exp().cpu())  # 100 for the trained models
    return (_cosine(model, images, texts).double() * scale).softmax(dim=-1).numpy()


def _remote_matrix(model: RemoteModel, op: str, images: Sequence[Image.Image], texts: Sequence[str]) -> np.ndarray:
    """``op`` run by a Serve replica (VISION_INFERENCE) on inputs checked here first, the matrix exact."""
    _check_images(images)
    texts = _check_texts(texts)
    return remote.decode_array(remote.call(model, op, images=images, params={"texts": texts}))


def zero_shot(
    model: ClipModel, image: Image.Image, labels: Sequence[str], template: str = DEFAULT_TEMPLATE
) -> Classifications:
    """The labels sorted by probability: a softmax over *these* labels (add one and all change)."""
    labels = validate_labels(labels)
    return Classifications.from_scores(labels, probability_matrix(model, [image], prompts(labels, template))[0])


def similarities(
    model: ClipModel, image: Image.Image, labels: Sequence[str], template: str = DEFAULT_TEMPLATE
) -> Classifications:
    """The labels sorted by raw cosine similarity (each independent of the other labels)."""
    labels = validate_labels(labels)
    return Classifications.from_scores(labels, cosine_matrix(model, [image], prompts(labels, template))[0])
