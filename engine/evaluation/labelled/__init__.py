"""Accuracy on the student's own labelled photos: a zip of one folder per class, a supervised
ImageNet classifier (through a folder -> ImageNet labels mapping) against CLIP (the folder names as
its labels), per class, with a confusion matrix, and one table for both kinds.

Modules: ``folders`` (reading the zip, the sample set), ``mapping`` (folder names -> ImageNet labels),
``accuracy`` (the result types and the two runs).

Example:
    >>> labelled = LabelledSet.from_zip(sample_zip("es"))
    >>> labelled.counts()
    {'astronauta': 3, 'cohete': 3, 'gato': 3, 'moto': 3, 'taza': 3}
    >>> evaluate_classifier(load_classifier("efficientnet-lite0"), labelled, mapping).top1  # doctest: +SKIP
    0.6
"""

from __future__ import annotations

from engine.evaluation.labelled.accuracy import (
    OTHER,
    JointTable,
    LabelledAccuracy,
    RankedLabels,
    apply_mapping,
    evaluate_classifier,
    evaluate_zero_shot,
    rank_photos,
    zero_shot_labels,
)
from engine.evaluation.labelled.folders import (
    MAX_CLASSES,
    MAX_PHOTOS,
    LabelledPhoto,
    LabelledSet,
    prompt_name,
    sample_zip,
)
from engine.evaluation.labelled.mapping import WORDS, check_mapping, suggest, suggest_mapping

__all__ = [
    "MAX_CLASSES",
    "MAX_PHOTOS",
    "OTHER",
    "WORDS",
    "JointTable",
    "LabelledAccuracy",
    "LabelledPhoto",
    "LabelledSet",
    "RankedLabels",
    "apply_mapping",
    "check_mapping",
    "evaluate_classifier",
    "evaluate_zero_shot",
    "prompt_name",
    "rank_photos",
    "sample_zip",
    "suggest",
    "suggest_mapping",
    "zero_shot_labels",
]
