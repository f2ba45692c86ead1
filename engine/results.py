"""The result protocol every task follows, and the classification result.

Every result type (:class:`Classifications` here; ``Detections``, ``Segmentation``, the CLIP
``ProbabilityTable`` beside their tasks; ``GroundTruth`` and the metrics' ``Evaluation`` in
``engine.evaluation``) keeps the same conventions:

- constructors are ``from_*`` classmethods named after what they read (``from_scores``,
  ``from_transformers``, ``from_ultralytics``...);
- ``rows()`` gives one plain dict per line of a table, ``to_csv()`` and ``to_json(**extra)`` the
  same rows as text for a download (:func:`csv_text`, :func:`json_text`);
- a bad value raises :class:`~engine.errors.InvalidInput` saying what was expected and what came.

Example:
    >>> c = Classifications.from_scores(["cat", "dog", "car"], [0.1, 0.7, 0.2])
    >>> c.top_k(2).labels
    ('dog', 'car')
    >>> print(c.top_k(1).to_csv(), end="")
    rank,label,score
    1,dog,0.7
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from engine.errors import InvalidInput

# A cell starting with one of these runs as a formula in a spreadsheet (a file name "=HYPERLINK(...)").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Result(Protocol):
    """What every result type offers (see the module's docstring)."""

    def rows(self) -> list[dict[str, Any]]: ...

    def to_csv(self) -> str: ...

    def to_json(self, **extra: Any) -> str: ...


def safe_cell(value: object) -> object:
    """``value`` for a CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``.

    Numbers are left alone (``-0.5`` is a number, not a formula).

    Example:
        >>> safe_cell("=1+1"), safe_cell("cat"), safe_cell(-0.5)
        ("'=1+1", 'cat', -0.5)
    """
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_text(header: Sequence[str], records: Iterable[Sequence[object]]) -> str:
    """The one CSV writer of the app: a header and records, every text cell made safe (:func:`safe_cell`).

    Example:
        >>> print(csv_text(["image", "label"], [["a.png", "+cat"]]), end="")
        image,label
        a.png,'+cat
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in record] for record in records)
    return buf.getvalue()


def rows_csv(rows: Sequence[Mapping[str, object]], header: Sequence[str] | None = None) -> str:
    """``rows()`` as CSV, with the keys of the first row as the header (or ``header`` when given).

    Example:
        >>> print(rows_csv([{"a": 1, "b": "x"}]), end="")
        a,b
        1,x
    """
    keys = list(header if header is not None else (rows[0] if rows else []))
    return csv_text(keys, ([row.get(k, "") for k in keys] for row in rows))


def json_text(doc: Mapping[str, Any]) -> str:
    """The one JSON writer of the app: UTF-8 text kept as is, indented for a person to read.

    Example:
        >>> json_text({"label": "pájaro"}).splitlines()[1]
        '  "label": "pájaro"'
    """
    return json.dumps(doc, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class Classifications:
    """Labels with scores, sorted by score (highest first)."""

    labels: tuple[str, ...]
    scores: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.scores):
            raise InvalidInput(
                f"Classifications: expected as many scores as labels; got {len(self.labels)} labels and "
                f"{len(self.scores)} scores.",
                code="length_mismatch",
            )

    @classmethod
    def from_scores(cls, labels: Sequence[str], scores: Iterable[float]) -> Classifications:
        """Build from parallel sequences, sorting by score (stable for ties)."""
        pairs = sorted(zip(labels, (float(s) for s in scores), strict=True), key=lambda p: -p[1])
        return cls(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))

    @classmethod
    def from_transformers(cls, output: Sequence[Mapping[str, Any]]) -> Classifications:
        """Build from a transformers pipeline's ``[{"label": ..., "score": ...}, ...]``.

        Example:
            >>> Classifications.from_transformers([{"label": "a", "score": 0.2}, {"label": "b", "score": 0.8}]).top
            ('b', 0.8)
        """
        for i, item in enumerate(output):
            if not isinstance(item, Mapping) or not {"label", "score"} <= set(item):
                got = sorted(map(str, item)) if isinstance(item, Mapping) else type(item).__name__
                raise InvalidInput(
                    f"Classifications.from_transformers: expected dicts with keys 'label' and 'score'; item {i} is {got}.",
                    code="bad_classifications",
                )
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

    def rows(self) -> list[dict[str, Any]]:
        """Rows for a table: rank, label, score."""
        return [
            {"rank": i + 1, "label": label, "score": round(score, 4)}
            for i, (label, score) in enumerate(zip(self.labels, self.scores, strict=True))
        ]

    def to_csv(self) -> str:
        """The rows as CSV (header ``rank,label,score``)."""
        return rows_csv(self.rows(), ["rank", "label", "score"])

    def to_json(self, **extra: Any) -> str:
        """The rows as JSON (``{**extra, "classifications": [...]}``)."""
        return json_text({**extra, "classifications": self.rows()})

    def to_wire(self) -> dict[str, Any]:
        """Every label and its exact score, for remote inference (``to_json`` is the download: rounded rows).

        Example:
            >>> c = Classifications.from_scores(["a", "b"], [0.25, 0.123456789])
            >>> Classifications.from_wire(c.to_wire()) == c
            True
        """
        return {"labels": list(self.labels), "scores": list(self.scores)}

    @classmethod
    def from_wire(cls, doc: Mapping[str, Any]) -> Classifications:
        """What :meth:`to_wire` wrote, in its order."""
        return cls(tuple(str(x) for x in doc["labels"]), tuple(float(x) for x in doc["scores"]))
