"""The engine's own errors: the only exceptions pages catch and show.

Each error has a stable ``code`` (the UI translates it through its catalogs) and ``params``
(values for the message). ``str(error)`` is a complete English message, so logs and the
command line need no catalog.

Example:
    >>> err = InvalidImage("The file is empty.", code="empty")
    >>> (err.code, str(err))
    ('empty', 'The file is empty.')
"""

from __future__ import annotations

from typing import Any


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""

    default_code = "engine_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code: str = code or self.default_code
        self.params: dict[str, Any] = params


class InvalidImage(EngineError):
    """The input is not an image the app can use (empty, corrupt, too big, unsupported)."""

    default_code = "invalid_image"


class InvalidInput(EngineError):
    """A non-image input (labels, thresholds, ground-truth files...) is not usable."""

    default_code = "invalid_input"


class ModelUnavailable(EngineError):
    """The model's weights cannot be had here (offline, Hub unreachable, not in any models directory)."""

    default_code = "model_unavailable"


class ModelLoadError(EngineError):
    """The weights were found but could not be loaded (corrupt or mismatched file)."""

    default_code = "model_load_error"


class UnknownModel(EngineError):
    """The model id is not in the registry (or not allowed for this task)."""

    default_code = "unknown_model"
