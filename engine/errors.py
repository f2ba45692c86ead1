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


class InvalidVideo(EngineError):
    """The upload is not a video the app can use (empty, corrupt, no video stream, too long or big,
    a codec nothing decodes): ``video_*`` codes, see :mod:`engine.tasks.video`."""

    default_code = "invalid_video"


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


class ServeError(EngineError):
    """Remote inference (a Ray Serve app, ``VISION_INFERENCE``) failed: ``serve_unreachable`` (nothing
    answers at the address), ``serve_failed`` (it answered with an error, or a replica died twice),
    ``serve_no_model`` (the app does not serve that model), ``serve_bad_address`` (not ``http(s)://``)."""

    default_code = "serve_failed"


# Why a model cannot be had: a code (the UI's catalogs translate ``errors.reason_<code>``), its
# English text, and the parameters it names.
UNAVAILABLE_REASONS = {
    "offline": "offline mode is on (VISION_OFFLINE / HF_HUB_OFFLINE) and it is not cached",
    "not_local": "it is not in a models directory or the cache",
    "unreachable": "{host} cannot be reached (no internet?)",
    "download_failed": "the download failed ({detail})",
    "package_missing": "the package {package} is not installed",
    "hub_not_found": "the Hub has no model repo {model_id} (or it is private)",
    "hub_gated": "it is gated: accept its licence on its Hub page and log in with a token",
    "hub_revision_missing": "the Hub has no commit {revision} of it",
    "hub_error": "the Hub at {endpoint} answered with an error ({detail})",
    "no_weights": "it has no safetensors or PyTorch weights at {revision} (only: {found})",
    "bad_id": "a Hub model id is <organisation>/<name>, in letters, digits, '-', '_' and '.'",
    "wrong_task": "it is a {found} model, not {wanted} (its page: /{page})",
    "remote_code": "it needs code from its repo ({detail}); the app never runs a model's own code",
    "too_large": "its download is {size_mb} MB, over the {limit_mb} MB limit (VISION_MAX_MODEL_MB)",
    "too_much_memory": "it needs about {size_mb} MB, more than the {budget_mb} MB all models share here",
}
HOW_TO_GET = (
    "Run `make models` once while online (it fills the cache), or put the files in a models "
    "directory as {where} and set VISION_MODELS_DIR=<dir>."
)


def model_unavailable(model_id: str, reason: str, *, where: str = "", **params: Any) -> ModelUnavailable:
    """The error for a model that cannot be had: ``reason`` is a key of :data:`UNAVAILABLE_REASONS`,
    ``where`` the models-directory path that would hold it (the how-to-get hint).

    Example:
        >>> err = model_unavailable("org/m", "unreachable", where="<dir>/org/m/", host="huggingface.co")
        >>> (err.code, err.params["reason"], str(err).split(". ")[0])
        ('model_unavailable', 'unreachable', 'org/m is not available: huggingface.co cannot be reached (no internet?)')
    """
    where = where or f"<dir>/{model_id}/"
    text = UNAVAILABLE_REASONS[reason].format(model_id=model_id, **params)
    return ModelUnavailable(
        f"{model_id} is not available: {text}. {HOW_TO_GET.format(where=where)}",
        model_id=model_id,
        reason=reason,
        where=where,
        **params,
    )


# Why a zip of labelled photos (one folder per class) is refused, beyond the detection zip's own
# ``gt_bad_zip`` / ``gt_zip_too_large`` / ``gt_bad_image`` (engine.evaluation.labelled reads it).
LABELLED_REFUSALS = frozenset(
    {
        "labelled_nested_archive",
        "labelled_not_image",
        "labelled_no_classes",
        "labelled_loose_photo",
        "labelled_too_deep",
        "labelled_one_class",
        "labelled_too_many_classes",
        "labelled_too_many_photos",
        "labelled_duplicate_class",
        "labelled_class_name_too_long",
    }
)
