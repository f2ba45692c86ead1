"""Reusable widgets built on the registry: model pickers that show availability."""

from __future__ import annotations

import streamlit as st

from engine.models import registry
from engine.models.registry import ModelSpec
from engine.models.resolve import availability, reachable, source_address
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


def model_picker(task: str, key: str, *, compare: bool, max_models: int = 3) -> list[str]:
    """One model (a select box) or 2..``max_models`` (a multiselect) of ``task``; returns ids."""
    specs = registry.models_for(task)
    ids = [s.id for s in specs]
    tags = {s.id: model_tag(s) for s in specs}

    def fmt(model_id: str) -> str:
        return f"{model_id} · {tags[model_id]}"

    if compare:
        ready = [i for i in ids if tags[i] != t("common.tag_missing")]
        default = (ready + [i for i in ids if i not in ready])[:2]
        chosen = st.multiselect(
            t("common.compare_pick"),
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
