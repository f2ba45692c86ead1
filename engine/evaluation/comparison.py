"""The course's comparison table as plain data: one row per (image, model) and a total per model.

Each row is what a student fills in by hand for one photo and one model: objects detected, the
inference time, and, with labels, false positives and false negatives (:func:`match_totals`: IoU
>= 0.5 with an object of the same class). A model's total sums objects, FP and FN over the images
and takes the median time (one slow first image does not make a model look slow). The evaluation's
own table (an :class:`~engine.evaluation.metrics.Evaluation` per model) is :class:`EvaluationTable`.

Example:
    >>> from engine.tasks.detection import Detections
    >>> cat = Detections([[10, 10, 50, 50]], [0.9], [15], ["cat"])
    >>> table = ComparisonTable.from_runs({"m": [("a.jpg", cat, 30.0), ("b.jpg", Detections.empty(), 10.0)]})
    >>> [(r["row"], r["image"], r["objects"], r["time_ms"]) for r in table.rows()]
    [('image', 'a.jpg', 1, 30.0), ('image', 'b.jpg', 0, 10.0), ('total', '', 1, 20.0)]
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from engine.evaluation.groundtruth import GroundTruth
from engine.evaluation.metrics import Evaluation, match_totals
from engine.results import json_text, rows_csv
from engine.tasks.detection import Detections

COLUMNS = ("row", "image", "model", "images", "objects", "time_ms", "fp", "fn")


@dataclass(frozen=True)
class ComparisonRow:
    """One model on one image; ``fp`` and ``fn`` are ``None`` without labels."""

    image: str
    model: str
    objects: int
    time_ms: float
    fp: int | None = None
    fn: int | None = None


@dataclass(frozen=True)
class ModelTotal:
    """One model over every image: objects, FP and FN summed, the median time."""

    model: str
    images: int
    objects: int
    median_ms: float
    fp: int | None
    fn: int | None


@dataclass(frozen=True)
class ComparisonTable:
    """Rows in image order, the models of each image in the order they were given."""

    entries: tuple[ComparisonRow, ...]

    @classmethod
    def from_runs(
        cls,
        runs: Mapping[str, Sequence[tuple[str, Detections, float]]],
        truths: Mapping[str, GroundTruth] | None = None,
    ) -> ComparisonTable:
        """From ``{model: [(image name, its detections, ms), ...]}`` and, when there are labels,
        ``{image name: GroundTruth}`` (an image without an entry has no FP/FN).

        Example:
            >>> gt = GroundTruth.from_boxes("a.jpg", (100, 100), [[10, 10, 50, 50], [60, 60, 90, 90]], ["cat"] * 2)
            >>> cat = Detections([[10, 10, 50, 50], [0, 0, 5, 5]], [0.9, 0.8], [15, 15], ["cat", "cat"])
            >>> t = ComparisonTable.from_runs({"m": [("a.jpg", cat, 12.0)]}, {"a.jpg": gt})
            >>> (t.entries[0].fp, t.entries[0].fn)
            (1, 1)
        """
        order: dict[str, None] = {}
        for found in runs.values():
            order.update((name, None) for name, _, _ in found)
        by_model = {model: {name: (det, ms) for name, det, ms in found} for model, found in runs.items()}
        entries = []
        for name in order:
            for model, found in by_model.items():
                if name not in found:
                    continue
                det, ms = found[name]
                truth = truths.get(name) if truths is not None else None
                fp = fn = None
                if truth is not None:
                    _, fp, fn = match_totals(det, truth)
                entries.append(ComparisonRow(name, model, len(det), float(ms), fp, fn))
        return cls(tuple(entries))

    def totals(self) -> tuple[ModelTotal, ...]:
        """One :class:`ModelTotal` per model, in the rows' order; FP/FN ``None`` when any image lacks labels."""
        out = []
        models = dict.fromkeys(r.model for r in self.entries)
        for model in models:
            mine = [r for r in self.entries if r.model == model]
            labelled = all(r.fp is not None for r in mine)
            out.append(
                ModelTotal(
                    model,
                    len(mine),
                    sum(r.objects for r in mine),
                    statistics.median(r.time_ms for r in mine),
                    sum(r.fp or 0 for r in mine) if labelled else None,
                    sum(r.fn or 0 for r in mine) if labelled else None,
                )
            )
        return tuple(out)

    def rows(self) -> list[dict[str, Any]]:
        """The image rows (``row="image"``), then a ``row="total"`` per model whose ``time_ms`` is
        the median and whose ``images`` counts its rows; the columns of :data:`COLUMNS`."""
        rows = [{"row": "image", **asdict(r), "images": 1} for r in self.entries]
        rows += [
            {
                "row": "total",
                "image": "",
                "model": t.model,
                "images": t.images,
                "objects": t.objects,
                "time_ms": t.median_ms,
                "fp": t.fp,
                "fn": t.fn,
            }
            for t in self.totals()
        ]
        return [{k: row[k] for k in COLUMNS} for row in rows]

    def to_csv(self) -> str:
        """:meth:`rows` as CSV (header :data:`COLUMNS`; no labels: empty FP/FN)."""
        return rows_csv(self.rows(), COLUMNS)

    def to_json(self, **extra: Any) -> str:
        """:meth:`rows` as JSON (``{**extra, "rows": [...]}``)."""
        return json_text({**extra, "rows": self.rows()})


EVALUATION_COLUMNS = (
    "model",
    "class",
    "images",
    "objects",
    "tp",
    "fp",
    "fn",
    "precision",
    "recall",
    "ap50",
    "ap50_95",
)


@dataclass(frozen=True)
class EvaluationTable:
    """The evaluation of several models as one table: per model an ``"all"`` row (as Ultralytics
    prints it), then its classes; undefined values are ``None``.

    Example:
        >>> e = Evaluation(1, 2, 0.25, 1, 0, 1, 1.0, 0.5, 0.5, 0.3, ())
        >>> row = EvaluationTable.from_evaluations({"m": e}).rows()[0]
        >>> row["class"], row["recall"], row["ap50"]
        ('all', 0.5, 0.5)
    """

    evaluations: tuple[tuple[str, Evaluation], ...]

    @classmethod
    def from_evaluations(cls, evaluations: Mapping[str, Evaluation]) -> EvaluationTable:
        """From ``{model: Evaluation}``, in that order."""
        return cls(tuple(evaluations.items()))

    def rows(self) -> list[dict[str, Any]]:
        """One row per model (``class="all"``) followed by one per class; the :data:`EVALUATION_COLUMNS`."""
        rows = []
        for model, e in self.evaluations:
            overall = (e.n_true, e.tp, e.fp, e.fn, e.precision, e.recall, e.map50, e.map50_95)
            lines = [("all", *overall)] + [
                (c.name, c.n_true, c.tp, c.fp, c.fn, c.precision, c.recall, c.ap50, c.ap50_95) for c in e.per_class
            ]
            for name, n_true, tp, fp, fn, *ratios in lines:
                rows.append(
                    {
                        "model": model,
                        "class": name,
                        "images": e.images,
                        "objects": n_true,
                        "tp": tp,
                        "fp": fp,
                        "fn": fn,
                        **{k: _num(v) for k, v in zip(("precision", "recall", "ap50", "ap50_95"), ratios, strict=True)},
                    }
                )
        return rows

    def to_csv(self) -> str:
        """:meth:`rows` as CSV (header :data:`EVALUATION_COLUMNS`; undefined values empty)."""
        return rows_csv(self.rows(), EVALUATION_COLUMNS)

    def to_json(self, **extra: Any) -> str:
        """:meth:`rows` as JSON (``{**extra, "rows": [...]}``)."""
        return json_text({**extra, "rows": self.rows()})


def _num(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
