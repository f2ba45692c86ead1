"""Reusable widgets: model pickers that show availability, the "cannot be had" notice, the
compare-mode columns and the row of download buttons every page uses the same way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st
from PIL import Image

from engine import settings
from engine.errors import EngineError, ModelUnavailable
from engine.inputs.images import to_png
from engine.models import registry, typed
from engine.models.registry import ModelSpec
from engine.models.resolve import availability, reachable, source_address
from ui.errors import show_error
from ui.i18n import t


def source_text(where: str, origin: str = "") -> str:
    """ "Weights from: <where>", plus how they are stored when that is not plain safetensors
    (the Hub's conversion branch, or a pickled ``pytorch_model.bin`` read with ``weights_only``)."""
    text = t("common.source", where=t(f"common.where_{where}"))
    if origin in {"conversion", "pickle"}:
        text += f" ({t(f'common.origin_{origin}')})"
    return text


def model_tag(spec: ModelSpec) -> str:
    """ "ready", "download N MB" or "not available offline" for a model."""
    where = availability(spec)
    if where in {"local", "embedded", "cache"}:
        return t("common.tag_ready")
    if where == "hub" and reachable(source_address(spec)):
        return t("common.tag_download", size=f"{spec.size_mb:.0f}")
    return t("common.tag_missing")


def unreachable_models(task: str) -> list[ModelSpec]:
    """The task's models that cannot be had right now (not local/cached and no network)."""
    out = []
    for spec in registry.models_for(task):
        where = availability(spec)
        if where == "missing" or (where == "hub" and not reachable(source_address(spec))):
            out.append(spec)
    return out


def unreachable_notice(task: str) -> None:
    """Say which of the task's models cannot be had now (one wording for every page); nothing if all can."""
    missing = unreachable_models(task)
    if missing:
        st.info(t("common.hub_unreachable", models=", ".join(s.id for s in missing)))


def model_columns(model_ids: Sequence[str], *, compare: bool, show: bool = True) -> list[tuple[Any, str]]:
    """One column per model (the page's whole width for one), each headed by its id; ``[]`` when
    ``show`` is false (nothing to run on yet). In compare mode, first asks for two models if fewer
    are picked.

    Example:
        >>> for column, model_id in model_columns(model_ids, compare=compare, show=picture is not None):  # doctest: +SKIP
        ...     with column:
        ...         st.metric(...)
    """
    if compare and len(model_ids) < 2:
        st.warning(t("common.compare_need_two"))
    if not show or not model_ids:
        return []
    columns = st.columns(len(model_ids)) if len(model_ids) > 1 else [st.container()]
    for column, model_id in zip(columns, model_ids, strict=True):
        column.markdown(f"##### `{model_id}`")  # a registry id, never user text
    return list(zip(columns, model_ids, strict=True))


def download_row(
    key: str,
    stem: str,
    *,
    png: Image.Image | None = None,
    csv: str | None = None,
    json: str | None = None,
) -> None:
    """The PNG, CSV and JSON download buttons (those given) on one line, wrapping when narrow.

    Files are ``<stem>.png``, ``<stem>.csv``, ``<stem>.json``; widget keys ``<key>_png``,
    ``<key>_csv``, ``<key>_json``. The PNG is encoded only when its button is clicked, and a click
    does not rerun the page.
    """
    with st.container(horizontal=True):
        if png is not None:
            st.download_button(
                t("common.download_png"),
                lambda: to_png(png),
                file_name=f"{stem}.png",
                mime="image/png",
                key=f"{key}_png",
                on_click="ignore",
            )
        if csv is not None:
            st.download_button(
                t("common.download_csv"),
                csv,
                file_name=f"{stem}.csv",
                mime="text/csv",
                key=f"{key}_csv",
                on_click="ignore",
            )
        if json is not None:
            st.download_button(
                t("common.download_json"),
                json,
                file_name=f"{stem}.json",
                mime="application/json",
                key=f"{key}_json",
                on_click="ignore",
            )


# The placeholder of each page's Hub input: a real model of that task a student can try.
HUB_EXAMPLES = {
    "image-classification": "facebook/convnext-tiny-224",
    "object-detection": "hustvl/yolos-tiny",
    "image-segmentation": "nvidia/segformer-b1-finetuned-ade-512-512",
    "zero-shot-image-classification": "openai/clip-vit-base-patch16",
    "depth-estimation": "Intel/dpt-large",
}


def hub_model_input(task: str, key: str) -> str | None:
    """The "Hub model" text input: the id typed, checked for ``task`` (``engine.models.typed``), or
    None (nothing typed, or refused: the refusal is shown and the page goes on with its presets).

    A checked id is registered in this process, so a rerun's check answers without a request.

    Example:
        >>> hub_model_input("image-classification", "cls")  # doctest: +SKIP
        'facebook/convnext-tiny-224'
    """
    offline = settings.offline()
    typed_text = st.text_input(
        t("hub.model_input"),
        key=f"{key}_hub_model",
        max_chars=200,
        placeholder=t("hub.model_placeholder", example=HUB_EXAMPLES.get(task, "org/name")),
        help=t("hub.offline") if offline else t("hub.model_help"),
        disabled=offline,
    )
    repo_id = (typed_text or "").strip()
    if not repo_id or offline:
        return None
    try:
        spec = typed.check(repo_id, task)
    except ModelUnavailable as exc:
        # A refusal is about the id typed: the presets' "run make models" hint does not apply.
        show_error(ModelUnavailable(str(exc), code=exc.code, **{**exc.params, "where": ""}))
        return None
    except EngineError as exc:
        show_error(exc)
        return None
    if "typed" in spec.notes:
        st.caption(t("hub.checked", model=spec.id, size=f"{spec.size_mb:.0f}", params=f"{spec.params_m:g}"))
    return spec.id


def model_picker(task: str, key: str, *, compare: bool, max_models: int = 3, hub: bool = False) -> list[str]:
    """One model (a select box) or 2..``max_models`` (a multiselect) of ``task``; returns ids.

    With ``hub``, a "Hub model" input below them (:func:`hub_model_input`): a checked id replaces
    the preset in single mode and joins the comparison as one more model (``max_models`` in all).
    """
    presets = _preset_picker(task, key, compare=compare, max_models=max_models)
    typed_id = hub_model_input(task, key) if hub else None
    if typed_id is None:
        return presets
    if not compare:
        return [typed_id]
    chosen = [m for m in presets if m != typed_id]
    if len(chosen) >= max_models:
        st.caption(t("hub.compare_full", max=max_models, model=typed_id, dropped=", ".join(chosen[max_models - 1 :])))
    return [*chosen[: max_models - 1], typed_id]


def _preset_picker(task: str, key: str, *, compare: bool, max_models: int) -> list[str]:
    """The registry's models of ``task``: a select box, or a multiselect in compare mode."""
    specs = registry.models_for(task)
    ids = [s.id for s in specs]
    tags = {s.id: model_tag(s) for s in specs}

    def fmt(model_id: str) -> str:
        return f"{model_id} · {tags[model_id]}"

    if compare:
        ready = [i for i in ids if tags[i] != t("common.tag_missing")]
        default = (ready + [i for i in ids if i not in ready])[:2]
        most = min(max_models, len(ids))  # zero-shot has two CLIPs: "from 2 to 3" would promise a third
        chosen = st.multiselect(
            t("common.compare_pick", most=most) if most > 2 else t("common.compare_pick_two"),
            ids,
            default=default,
            max_selections=max_models,
            format_func=fmt,
            key=f"{key}_models",
        )
        return list(chosen)
    chosen_one = st.selectbox(
        t("common.model"),
        ids,
        index=0,
        format_func=fmt,
        key=f"{key}_model",
        help=t("classification.model_help"),
    )
    return [chosen_one]
