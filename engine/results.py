"""Result types that every page shares. Detection and segmentation results live beside their tasks.

Example:
    >>> c = Classifications.from_scores(["cat", "dog", "car"], [0.1, 0.7, 0.2])
    >>> c.top_k(2).labels
    ('dog', 'car')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engine.errors import InvalidInput


@dataclass(frozen=True)
class Classifications:
    """Labels with scores, sorted by score (highest first)."""

    labels: tuple[str, ...]
    scores: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.scores):
            raise InvalidInput(
                f"Expected as many scores as labels; got {len(self.labels)} labels and {len(self.scores)} scores.",
                code="length_mismatch",
            )

    @classmethod
    def from_scores(cls, labels: Sequence[str], scores: Iterable[float]) -> Classifications:
        """Build from parallel sequences, sorting by score (stable for ties)."""
        pairs = sorted(zip(labels, (float(s) for s in scores), strict=True), key=lambda p: -p[1])
        return cls(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))

    @classmethod
    def from_pipeline(cls, output: Sequence[dict]) -> Classifications:
        """Build from a transformers pipeline's ``[{"label": ..., "score": ...}, ...]``."""
        return cls.from_scores([o["label"] for o in output], [o["score"] for o in output])

    def top_k(self, k: int) -> Classifications:
        """The ``k`` best (all when ``k`` exceeds the count)."""
        if k < 1:
            raise InvalidInput(f"top_k must be at least 1; got {k}.", code="bad_top_k", k=k)
        return Classifications(self.labels[:k], self.scores[:k])

    @property
    def top(self) -> tuple[str, float]:
        """The best label and its score."""
        if not self.labels:
            raise InvalidInput("There are no classifications.", code="empty_result")
        return self.labels[0], self.scores[0]

    def __len__(self) -> int:
        return len(self.labels)

    def rows(self) -> list[dict[str, object]]:
        """Rows for a table: rank, label, score."""
        return [
            {"rank": i + 1, "label": label, "score": round(score, 4)}
            for i, (label, score) in enumerate(zip(self.labels, self.scores, strict=True))
        ]
