"""What the ground-truth readers share: the error they raise and the limits they keep.

Example:
    >>> bad("x.txt is empty.", "gt_empty_file", source="x.txt").code
    'gt_empty_file'
"""

from __future__ import annotations

from typing import Any

from engine.errors import InvalidInput
from engine.inputs.images import UPLOAD_TYPES

IMAGE_SUFFIXES = frozenset(f".{s}" for s in UPLOAD_TYPES)
TOLERANCE = 0.01  # 1 % of the image: labels rounded or drawn a hair past the border still count
MAX_ZIP_FILES = 5000
MAX_ZIP_BYTES = 1024 * 1024 * 1024  # uncompressed: refuse zip bombs before reading anything
NAMES_FILES = ("data.yaml", "dataset.yaml", "classes.txt", "obj.names")


def bad(message: str, code: str, **params: Any) -> InvalidInput:
    """The error every reader raises: ``message`` for logs, ``code`` and ``params`` for the catalogs."""
    return InvalidInput(message, code=code, detail=message, **params)
