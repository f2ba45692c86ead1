"""The workshop: many images × many descriptions, as one probability table.

Example:
    >>> unique_names(["a.png", "a.png"])
    ['a.png', 'a.png (2)']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from engine.errors import InvalidInput
from engine.results import csv_text, json_text
from engine.tasks.clip.labels import validate_labels
from engine.tasks.clip.model import ClipModel, probability_matrix


def unique_names(names: Sequence[str]) -> list[str]:
    """Row names made unique (two uploads may share a file name): ``a.png``, ``a.png (2)``.

    Example:
        >>> unique_names(["a.png", "b.png", "a.png"])
        ['a.png', 'b.png', 'a.png (2)']
    """
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


@dataclass(frozen=True, eq=False)
class ProbabilityTable:
    """The workshop's result: probabilities with rows = images and columns = descriptions (rows sum to 1).

    Example:
        >>> table = ProbabilityTable.from_matrix(["a.png"], ["a cat", "a dog"], [[0.9, 0.1]])
        >>> table.rows()
        [{'image': 'a.png', 'prediction': 'a cat', 'probability': 0.9}]
    """

    image_names: tuple[str, ...]
    descriptions: tuple[str, ...]
    probs: np.ndarray

    @classmethod
    def from_matrix(cls, image_names: Sequence[str], descriptions: Sequence[str], probs: Any) -> ProbabilityTable:
        """From a (images, descriptions) matrix, e.g. :func:`probability_matrix`'s, with the names of both."""
        matrix = np.array(probs, dtype=np.float64)
        expected = (len(image_names), len(descriptions))
        if matrix.shape != expected:
            raise InvalidInput(
                f"ProbabilityTable: expected a {expected[0]}x{expected[1]} matrix (images x descriptions); "
                f"got shape {matrix.shape}.",
                code="clip_bad_table",
            )
        matrix.flags.writeable = False
        return cls(tuple(image_names), tuple(descriptions), matrix)

    def predictions(self) -> list[tuple[str, str, float]]:
        """(image, most likely description, its probability) for each image."""
        best = self.probs.argmax(axis=1)
        return [
            (name, self.descriptions[j], float(self.probs[i, j]))
            for i, (name, j) in enumerate(zip(self.image_names, best, strict=True))
        ]

    def rows(self) -> list[dict[str, Any]]:
        """One row per image: its name, the most likely description and its probability."""
        return [{"image": n, "prediction": d, "probability": p} for n, d, p in self.predictions()]

    def to_csv(self) -> str:
        """The whole table as CSV (safe to open in a spreadsheet), with the prediction per image."""
        return csv_text(
            ["image", *self.descriptions, "prediction"],
            (
                [name, *(f"{p:.6f}" for p in row), pred]
                for (name, pred, _), row in zip(self.predictions(), self.probs, strict=True)
            ),
        )

    def to_json(self, **extra: Any) -> str:
        """``{**extra, "images": [...], "descriptions": [...], "probabilities": [[...]], "predictions": rows()}``."""
        return json_text(
            {
                **extra,
                "images": list(self.image_names),
                "descriptions": list(self.descriptions),
                "probabilities": self.probs.round(6).tolist(),
                "predictions": self.rows(),
            }
        )


def workshop_table(
    model: ClipModel, images: Sequence[tuple[str, Image.Image]], descriptions: Sequence[str]
) -> ProbabilityTable:
    """Every (name, image) × every description: :func:`probability_matrix` with names attached."""
    descriptions = validate_labels(descriptions)
    names = unique_names([n for n, _ in images])
    probs = probability_matrix(model, [img for _, img in images], descriptions)
    return ProbabilityTable.from_matrix(names, descriptions, probs)
