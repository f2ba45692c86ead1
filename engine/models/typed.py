"""Any Hub model id a student types: checked against the Hub before anything large is downloaded,
then registered so it takes exactly the path of the presets (resolution, cache, loaders, results).

Checks, each refusal a reason code the catalogs translate (``errors.reason_<code>``):

- ``bad_id``: not ``<org>/<name>`` in the Hub's characters;
- ``hub_not_found`` (404), ``hub_gated`` (401/403 or a gated repo);
- ``wrong_task``: its ``pipeline_tag`` or architecture belongs to another page (named), or to no page;
- ``remote_code``: its config has ``auto_map`` or names an architecture transformers does not know
  (the app never sets ``trust_remote_code``);
- ``no_weights``: no safetensors or PyTorch weights (see :mod:`engine.models.hub`);
- ``too_large`` / ``too_much_memory``: the download exceeds ``VISION_MAX_MODEL_MB``, or the model
  would not fit in the model cache even after freeing every other model.

Example:
    >>> well_formed("facebook/convnext-tiny-224"), well_formed("../etc/passwd"), well_formed("a/b c")
    (True, False, False)
"""

from __future__ import annotations

import json
import re
from typing import Any

from engine import settings
from engine.errors import UnknownModel, model_unavailable
from engine.models import hub, registry
from engine.models.registry import ModelSpec

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")
# The transformers model classes each page can load (by config model_type), and the page's task.
_MAPPINGS = {
    "image-classification": "MODEL_FOR_IMAGE_CLASSIFICATION_MAPPING_NAMES",
    "object-detection": "MODEL_FOR_OBJECT_DETECTION_MAPPING_NAMES",
    "image-segmentation": "MODEL_FOR_SEMANTIC_SEGMENTATION_MAPPING_NAMES",
    "zero-shot-image-classification": "MODEL_FOR_ZERO_SHOT_IMAGE_CLASSIFICATION_MAPPING_NAMES",
    "depth-estimation": "MODEL_FOR_DEPTH_ESTIMATION_MAPPING_NAMES",
}
# The zero-shot pages run CLIP's own classes (image and text towers): other families are refused.
_ZERO_SHOT_TYPES = {"clip"}


def well_formed(repo_id: str) -> bool:
    """Whether ``repo_id`` is ``<org>/<name>`` in the characters the Hub allows (no paths, spaces)."""
    return bool(_ID.match(repo_id)) and ".." not in repo_id


def _page_of(hf_task: str | None) -> str:
    """The URL path of the page that shows ``hf_task`` ("" when no page does)."""
    return next((t.page for t in registry.TASKS.values() if hf_task and t.hf_task == hf_task), "")


def _task_of(config: dict[str, Any]) -> str | None:
    """The page task whose transformers classes include the config's architecture (None: no page's)."""
    from transformers.models.auto import modeling_auto

    archs = set(config.get("architectures") or [])
    for task, name in _MAPPINGS.items():
        if archs & set(getattr(modeling_auto, name).values()):
            return task
    return None


def _known_to_transformers(config: dict[str, Any]) -> bool:
    """Whether transformers has the config's model type and every architecture it names."""
    import transformers
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    archs = list(config.get("architectures") or [])
    return str(config.get("model_type") or "") in CONFIG_MAPPING_NAMES and all(hasattr(transformers, a) for a in archs)


def check(repo_id: str, task: str, revision: str = "main") -> ModelSpec:
    """Check ``repo_id`` for ``task``'s page and register it; its :class:`ModelSpec` (pinned to the
    commit checked). A registry id returns its preset. Raises
    :class:`~engine.errors.ModelUnavailable` with the refusal's reason."""
    repo_id = repo_id.strip()
    if not well_formed(repo_id):
        raise model_unavailable(repo_id[:120] or "?", "bad_id")
    try:
        preset = registry.get(repo_id)
    except UnknownModel:
        preset = None
    if preset is not None:
        if preset.task != task:
            page = registry.TASKS[preset.task].page
            raise model_unavailable(repo_id, "wrong_task", page=page, found=preset.task, wanted=task)
        return preset
    if task not in _MAPPINGS:
        raise model_unavailable(repo_id, "wrong_task", page="", found=task, wanted=task)
    plan = hub.plan(repo_id, revision)  # 404, gated, no weights: refused here, before any weights
    config = _config(plan)
    if config.get("auto_map") or not _known_to_transformers(config):
        names = ", ".join(config.get("architectures") or [str(config.get("model_type") or "?")])
        raise model_unavailable(repo_id, "remote_code", detail="auto_map" if config.get("auto_map") else names)
    found = _task_of(config)
    if task == "zero-shot-image-classification" and config.get("model_type") not in _ZERO_SHOT_TYPES:
        found = None if found == task else found
    if found != task:
        shown = found or plan.pipeline_tag or "?"
        raise model_unavailable(repo_id, "wrong_task", page=_page_of(shown), found=shown, wanted=task)
    size_mb = plan.total_bytes / 1e6
    if size_mb > settings.max_model_mb():
        raise model_unavailable(repo_id, "too_large", size_mb=round(size_mb), limit_mb=round(settings.max_model_mb()))
    if size_mb > settings.model_budget_mb():
        raise model_unavailable(
            repo_id, "too_much_memory", size_mb=round(size_mb), budget_mb=round(settings.model_budget_mb())
        )
    spec = ModelSpec(
        repo_id,
        task,
        "hf",
        size_mb=round(size_mb, 1),
        params_m=round(sum(f.size for f in plan.files if f.name in plan.weights) / 4e6, 1),  # fp32: 4 bytes each
        license="see the model card",
        card_url=f"{settings.hub_endpoint()}/{repo_id}",
        revision=plan.checked,
        weights_revision=plan.revision if plan.origin == "conversion" else "",
        family=str(config.get("model_type") or ""),
        notes=("typed",),
    )
    return registry.add_typed(spec)


def _config(plan: hub.DownloadPlan) -> dict[str, Any]:
    """The repo's ``config.json`` (a few kB, fetched alone before the weights)."""
    from huggingface_hub import hf_hub_download

    try:
        path = hf_hub_download(
            plan.repo_id,
            "config.json",
            revision=plan.revision,
            cache_dir=settings.hf_cache_dir(),
            endpoint=settings.hub_endpoint(),
            etag_timeout=settings.download_timeout_s(),
        )
        with open(path, encoding="utf-8") as f:
            config = json.load(f)
    except Exception as exc:
        raise model_unavailable(plan.repo_id, "remote_code", detail=f"config.json: {type(exc).__name__}") from exc
    if not isinstance(config, dict):
        raise model_unavailable(plan.repo_id, "remote_code", detail="config.json is not an object")
    return config
