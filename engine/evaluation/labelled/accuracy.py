"""Accuracy on a labelled set: a supervised classifier through the folder -> ImageNet mapping, CLIP
with the folder names as its labels, and the table that puts them side by side.

Top-1: the best guess is the photo's class. Top-5: the class is among the five best guesses (for
CLIP only with five classes or more: with fewer, every class is in the top five). A supervised
guess that maps to no folder is "other" (:data:`OTHER`), the confusion matrix's last column.

Example:
    >>> acc = LabelledAccuracy.from_predictions(
    ...     "m", "supervised", ["cat", "dog"], ["a.jpg", "b.jpg", "c.jpg"], ["cat", "dog", "dog"],
    ...     [["cat"], ["cat", "dog"], [OTHER]], ["tabby", "tabby", "car"], seconds=0.3)
    >>> acc.top1, acc.top5, acc.confusion()
    (0.3333, 0.6667, [[1, 0, 0], [1, 0, 1]])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from engine.errors import InvalidInput
from engine.evaluation.labelled.folders import LabelledSet, prompt_name
from engine.evaluation.labelled.mapping import check_mapping
from engine.results import json_text, rows_csv
from engine.tasks.classification import classify
from engine.tasks.clip.labels import DEFAULT_TEMPLATE, prompts, validate_labels
from engine.tasks.clip.model import MAX_IMAGES, probability_matrix
from engine.timing import timed

Kind = Literal["supervised", "zero-shot"]
OTHER = ""  # a supervised guess no folder claims (a folder name is never empty)
TOP_K = 5
Progress = Callable[[int, int], None]  # (photos done, photos in all)
# How each inference runs: the page passes its fair queue (ui.queue.queued), one photo a turn.
Runner = Callable[[Callable[[], Any]], Any]


def _direct(fn: Callable[[], Any]) -> Any:
    return fn()


@dataclass(frozen=True)
class LabelledAccuracy:
    """One model's guesses on a labelled set: per photo its class and its best guesses (folder
    names, best first, :data:`OTHER` for none), the model's own top label, and the inference time."""

    model_id: str
    kind: Kind
    classes: tuple[str, ...]
    images: tuple[str, ...]
    truths: tuple[str, ...]
    guesses: tuple[tuple[str, ...], ...]
    labels: tuple[str, ...]  # the model's top-1 label per photo (an ImageNet label, or the folder for CLIP)
    seconds: float  # the inferences' time, all photos together

    def __post_init__(self) -> None:
        n = len(self.images)
        if not n or not (len(self.truths) == len(self.guesses) == len(self.labels) == n):
            raise InvalidInput(
                f"LabelledAccuracy: expected one class, guesses and label per photo; got {n} photos, "
                f"{len(self.truths)} classes, {len(self.guesses)} guesses, {len(self.labels)} labels.",
                code="length_mismatch",
            )
        allowed = set(self.classes) | {OTHER}
        for truth, guess in zip(self.truths, self.guesses, strict=True):
            if truth not in self.classes or not guess or not set(guess) <= allowed:
                raise InvalidInput(
                    "LabelledAccuracy: every class and guess must be one of the classes (or OTHER).",
                    code="length_mismatch",
                )

    @classmethod
    def from_predictions(
        cls,
        model_id: str,
        kind: Kind,
        classes: Sequence[str],
        images: Sequence[str],
        truths: Sequence[str],
        guesses: Sequence[Sequence[str]],
        labels: Sequence[str],
        *,
        seconds: float,
    ) -> LabelledAccuracy:
        """Build from parallel per-photo sequences (guesses cut to the best five)."""
        return cls(
            model_id,
            kind,
            tuple(classes),
            tuple(images),
            tuple(truths),
            tuple(tuple(g[:TOP_K]) for g in guesses),
            tuple(labels),
            float(seconds),
        )

    def __len__(self) -> int:
        return len(self.images)

    @property
    def has_top5(self) -> bool:
        """Whether top-5 says anything: always for ImageNet's 1000 classes, for CLIP from five classes."""
        return self.kind == "supervised" or len(self.classes) > TOP_K - 1

    @property
    def columns(self) -> tuple[str, ...]:
        """The confusion matrix's columns: the classes, then "other" for a supervised model."""
        return (*self.classes, OTHER) if self.kind == "supervised" else self.classes

    def _hits(self, k: int, only: str | None = None) -> tuple[int, int]:
        pairs = [(t, g) for t, g in zip(self.truths, self.guesses, strict=True) if only is None or t == only]
        return sum(t in g[:k] for t, g in pairs), len(pairs)

    @staticmethod
    def _share(hits: int, n: int) -> float:
        return round(hits / n, 4) if n else 0.0

    @property
    def top1(self) -> float:
        """The share of photos whose best guess is their class (rounded to 4 places)."""
        return self._share(*self._hits(1))

    @property
    def top5(self) -> float | None:
        """The share whose class is among the five best guesses; None where it says nothing (:attr:`has_top5`)."""
        return self._share(*self._hits(TOP_K)) if self.has_top5 else None

    @property
    def seconds_per_image(self) -> float:
        return self.seconds / len(self.images)

    def confusion(self) -> list[list[int]]:
        """Photos by class (rows, :attr:`classes`) and best guess (columns, :attr:`columns`)."""
        index = {c: i for i, c in enumerate(self.columns)}
        matrix = [[0] * len(self.columns) for _ in self.classes]
        for truth, guess in zip(self.truths, self.guesses, strict=True):
            matrix[self.classes.index(truth)][index[guess[0]]] += 1
        return matrix

    def confusion_shares(self) -> list[list[float]]:
        """:meth:`confusion` with each row divided by its photos (a heatmap's colours)."""
        return [[v / (sum(row) or 1) for v in row] for row in self.confusion()]

    def rows(self) -> list[dict[str, Any]]:
        """One row per class: photos, right at top-1, top-1 and top-5 accuracy."""
        out = []
        for name in self.classes:
            hits, n = self._hits(1, name)
            hits5, _ = self._hits(TOP_K, name)
            out.append(
                {
                    "class": name,
                    "images": n,
                    "correct": hits,
                    "top1": self._share(hits, n),
                    "top5": self._share(hits5, n) if self.has_top5 else None,
                }
            )
        return out

    def image_rows(self) -> list[dict[str, Any]]:
        """One row per photo: its class, the best guess (a folder, or "" for other), the model's label."""
        return [
            {"image": image, "class": truth, "guess": guess[0], "label": label, "correct": guess[0] == truth}
            for image, truth, guess, label in zip(self.images, self.truths, self.guesses, self.labels, strict=True)
        ]

    def summary(self) -> dict[str, Any]:
        """The joint table's row: model, kind, photos, top-1, top-5, seconds per photo."""
        return {
            "model": self.model_id,
            "kind": self.kind,
            "images": len(self.images),
            "top1": self.top1,
            "top5": self.top5,
            "s_per_image": round(self.seconds_per_image, 4),
        }

    def to_csv(self) -> str:
        """The per-class rows as CSV, with the model and kind on every line."""
        head = {"model": self.model_id, "kind": self.kind}
        return rows_csv([{**head, **row} for row in self.rows()])

    def to_json(self, **extra: Any) -> str:
        """Everything: the summary, the classes, the confusion matrix ("other" is ``""``) and every photo."""
        return json_text(
            {
                **extra,
                **self.summary(),
                "per_class": self.rows(),
                "confusion": {"rows": list(self.classes), "columns": list(self.columns), "counts": self.confusion()},
                "photos": self.image_rows(),
            }
        )


@dataclass(frozen=True)
class JointTable:
    """Supervised and zero-shot models on the same photos: one summary row each.

    Example:
        >>> a = LabelledAccuracy.from_predictions("m", "zero-shot", ["a", "b"], ["1"], ["a"], [["a", "b"]], ["a"], seconds=0.5)
        >>> JointTable.from_results([a]).rows()
        [{'model': 'm', 'kind': 'zero-shot', 'images': 1, 'top1': 1.0, 'top5': None, 's_per_image': 0.5}]
    """

    results: tuple[LabelledAccuracy, ...]

    @classmethod
    def from_results(cls, results: Sequence[LabelledAccuracy]) -> JointTable:
        return cls(tuple(results))

    def rows(self) -> list[dict[str, Any]]:
        return [r.summary() for r in self.results]

    def to_csv(self) -> str:
        return rows_csv(self.rows(), ["model", "kind", "images", "top1", "top5", "s_per_image"])

    def to_json(self, **extra: Any) -> str:
        return json_text({**extra, "models": self.rows()})


@dataclass(frozen=True)
class RankedLabels:
    """A supervised model's five best labels for every photo of a set, best first, and the inference
    time: what a mapping turns into a :class:`LabelledAccuracy` (editing the mapping reruns nothing)."""

    model_id: str
    top: tuple[tuple[str, ...], ...]
    seconds: float


def rank_photos(
    classifier: Any, labelled: LabelledSet, *, progress: Progress | None = None, run: Runner = _direct
) -> RankedLabels:
    """A supervised classifier (:func:`engine.tasks.classification.load_classifier`) on every photo:
    its five best ImageNet labels (:func:`~engine.tasks.classification.classify`), each through ``run``."""
    top: list[tuple[str, ...]] = []
    ms_total = 0.0
    for done, photo in enumerate(labelled.photos, start=1):
        image = photo.load()  # one photo decoded at a time: a set of big photos never sits in memory whole
        result, ms = run(lambda image=image: timed(classify, classifier, image, TOP_K))
        ms_total += ms
        top.append(result.labels)
        if progress is not None:
            progress(done, len(labelled))
    return RankedLabels(classifier.model_id, tuple(top), ms_total / 1000)


def apply_mapping(
    ranked: RankedLabels,
    labelled: LabelledSet,
    mapping: Mapping[str, Sequence[str]],
    labels: Sequence[str] = (),
) -> LabelledAccuracy:
    """``ranked``'s labels turned into folders through ``mapping`` (checked against the model's
    ``labels``; a label no folder claims is :data:`OTHER`)."""
    mapping = check_mapping(mapping, labelled.classes, labels)
    folder_of = {label: folder for folder, chosen in mapping.items() for label in chosen}
    return LabelledAccuracy.from_predictions(
        ranked.model_id,
        "supervised",
        labelled.classes,
        [p.name for p in labelled.photos],
        [p.label for p in labelled.photos],
        [[folder_of.get(label, OTHER) for label in top] for top in ranked.top],
        [top[0] for top in ranked.top],
        seconds=ranked.seconds,
    )


def evaluate_classifier(
    classifier: Any,
    labelled: LabelledSet,
    mapping: Mapping[str, Sequence[str]],
    *,
    progress: Progress | None = None,
    run: Runner = _direct,
) -> LabelledAccuracy:
    """:func:`rank_photos` then :func:`apply_mapping`: the mapping is checked first, before any inference."""
    labels = getattr(classifier, "labels", ())  # a remote model (VISION_INFERENCE) has no label list here
    check_mapping(mapping, labelled.classes, labels)
    return apply_mapping(rank_photos(classifier, labelled, progress=progress, run=run), labelled, mapping, labels)


def zero_shot_labels(labelled: LabelledSet) -> list[str]:
    """The folder names as CLIP's labels (``_`` read as a space), checked like typed labels."""
    return validate_labels([prompt_name(c) for c in labelled.classes])


def evaluate_zero_shot(
    model: Any,
    labelled: LabelledSet,
    template: str = DEFAULT_TEMPLATE,
    *,
    progress: Progress | None = None,
    run: Runner = _direct,
) -> LabelledAccuracy:
    """CLIP (:func:`engine.tasks.clip.load_clip`) on every photo with the folder names as its labels,
    through ``template``: a softmax over the classes, the guesses sorted by probability; each batch of
    photos through ``run``."""
    labels = zero_shot_labels(labelled)
    texts = prompts(labels, template)
    folder_of = dict(zip(labels, labelled.classes, strict=True))
    guesses: list[list[str]] = []
    ms_total = 0.0
    photos = labelled.photos
    for start in range(0, len(photos), MAX_IMAGES):
        images = [p.load() for p in photos[start : start + MAX_IMAGES]]
        probs, ms = run(lambda images=images: timed(probability_matrix, model, images, texts))
        ms_total += ms
        for row in probs:
            order = sorted(range(len(labels)), key=lambda i: -float(row[i]))  # stable: ties in class order
            guesses.append([folder_of[labels[i]] for i in order])
        if progress is not None:
            progress(min(start + MAX_IMAGES, len(photos)), len(photos))
    return LabelledAccuracy.from_predictions(
        model.model_id,
        "zero-shot",
        labelled.classes,
        [p.name for p in photos],
        [p.label for p in photos],
        guesses,
        [g[0] for g in guesses],
        seconds=ms_total / 1000,
    )
