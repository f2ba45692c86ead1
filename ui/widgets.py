"""Reusable widgets: model pickers that show availability, the "cannot be had" notice, the
compare-mode columns and the row of download buttons every page uses the same way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st
from PIL import Image

from engine import settings
from engine.errors import EngineError, ModelUnavailable
from engine.inputs.images import to_png
from engine.models import registry, typed
from engine.models.provenance import Footprint
from engine.models.registry import ModelSpec
from engine.models.resolve import availability, present, reachable, source_address
from engine.serving import remote
from ui.errors import show_error
from ui.i18n import t


def source_text(where: str, origin: str = "") -> str:
    """ "Weights from: <where>", plus how they are stored when that is not plain safetensors
    (the Hub's conversion branch, or a pickled ``pytorch_model.bin`` read with ``weights_only``)."""
    text = t("common.source", where=t(f"common.where_{where}"))
    if origin in {"conversion", "pickle"}:
        text += f" ({t(f'common.origin_{origin}')})"
    return text


def weights_caption(model: Any) -> str:
    """Where a loaded model's weights come from and what was really loaded: "Origen de los pesos:
    carpeta local de modelos · cargado: 0.024 M · 0.1 MB" (the parameters counted at load time)."""
    text = source_text(model.where, getattr(model, "origin", ""))
    footprint = getattr(model, "footprint", None)
    if isinstance(footprint, Footprint) and footprint.params_m is not None:
        text += " · " + t("common.loaded", facts=footprint.text())
    return text


def stand_in_text(model_id: str, footprint: Footprint) -> str:
    """The one wording of "this is not the published model" (pages, tables, Home)."""
    spec = registry.get(model_id)
    return t(
        "common.stand_in",
        model=model_id,
        published=f"{spec.params_m:g}",
        what=t(f"common.stand_in_{footprint.reason or 'too_small'}"),
        facts=footprint.text(),
    )


def stand_in_notice(model: Any) -> None:
    """A warning above a stand-in's results (:mod:`engine.models.provenance` decides); nothing otherwise."""
    footprint = getattr(model, "footprint", None)
    if isinstance(footprint, Footprint) and footprint.stand_in:
        st.warning(stand_in_text(model.model_id, footprint), icon="⚠️")


def model_label(model: Any) -> str:
    """A model's id for a comparison table, with "· modelo de prueba" when it is a stand-in."""
    footprint = getattr(model, "footprint", None)
    if isinstance(footprint, Footprint) and footprint.stand_in:
        return f"{model.model_id} · {t('common.tag_stand_in')}"
    return model.model_id


def weights_kind(footprint: Footprint) -> str:
    """ "publicados" / "modelo de prueba" for a table's column."""
    return t("common.weights_stand_in") if footprint.stand_in else t("common.weights_published")


def model_tag(spec: ModelSpec) -> str:
    """ "ready", "ready · test model", "download N MB" or "not available offline" for a model; in
    Serve mode (``VISION_INFERENCE``), whether the Serve app serves it (this machine's files do not matter)."""
    if settings.inference_url() and spec.task in remote.TASKS:
        answer = remote.served(spec.id, spec.task)
        if answer == "stand_in":
            return f"{t('common.tag_serve_served')} · {t('common.tag_stand_in')}"
        return t(f"common.tag_serve_{answer}")
    where = availability(spec)
    if where in {"local", "embedded", "cache"}:
        if present(spec).stand_in:
            return f"{t('common.tag_ready')} · {t('common.tag_stand_in')}"
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


# A compare column's width: two fit side by side in a page's right-hand column at 1400 px
# (~580 px), one a row at 1024 px; never narrower, so labels, charts and tables stay readable.
MODEL_COLUMN_PX = 280


def model_columns(model_ids: Sequence[str], *, compare: bool, show: bool = True) -> list[tuple[Any, str]]:
    """One column per model (the page's whole width for one), each headed by its id; ``[]`` when
    ``show`` is false (nothing to run on yet). In compare mode, first asks for two models if fewer
    are picked. Several are :data:`MODEL_COLUMN_PX` wide and wrap onto the next line when the
    page is narrow (a third model goes under the first two at 1400 px; all stack at 1024 px).

    Example:
        >>> for column, model_id in model_columns(model_ids, compare=compare, show=picture is not None):  # doctest: +SKIP
        ...     with column:
        ...         st.metric(...)
    """
    if compare and len(model_ids) < 2:
        st.warning(t("common.compare_need_two"))
    if not show or not model_ids:
        return []
    if len(model_ids) > 1:
        # Not st.columns: three of them in a page's right-hand column were ~120 px wide at 1024 px
        # (cut labels and charts). Fixed-width boxes in a wrapping row stay readable: side by side
        # where they fit, stacked where they do not.
        row = st.container(horizontal=True, gap="small")
        columns = [row.container(width=MODEL_COLUMN_PX) for _ in model_ids]
    else:
        columns = [st.container()]
    for column, model_id in zip(columns, model_ids, strict=True):
        column.markdown(f"##### `{model_id}`")  # a registry id, never user text
    return list(zip(columns, model_ids, strict=True))


def download_row(
    key: str,
    stem: str,
    *,
    png: Image.Image | None = None,
    csv: str | Callable[[], str] | None = None,
    json: str | Callable[[], str] | None = None,
) -> None:
    """The PNG, CSV and JSON download buttons (those given) on one line, wrapping when narrow.

    Files are ``<stem>.png``, ``<stem>.csv``, ``<stem>.json``; widget keys ``<key>_png``,
    ``<key>_csv``, ``<key>_json``. The PNG is encoded only when its button is clicked, and so is a
    CSV or JSON given as a function (a large result's text is not made on every rerun); a click
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


def model_picker(
    task: str, key: str, *, compare: bool, max_models: int = 3, hub: bool = False, initial: Sequence[str] = ()
) -> list[str]:
    """One model (a select box) or 2..``max_models`` (a multiselect) of ``task``; returns ids.

    With ``hub``, a "Hub model" input below them (:func:`hub_model_input`): a checked id replaces
    the preset in single mode and joins the comparison as one more model (``max_models`` in all).
    ``initial``: the models to start with (a shared link's, :func:`ui.query.models`), where they are the task's.
    """
    presets = _preset_picker(task, key, compare=compare, max_models=max_models, initial=initial)
    typed_id = hub_model_input(task, key) if hub else None
    if typed_id is None:
        return presets
    if not compare:
        return [typed_id]
    chosen = [m for m in presets if m != typed_id]
    if len(chosen) >= max_models:
        st.caption(t("hub.compare_full", max=max_models, model=typed_id, dropped=", ".join(chosen[max_models - 1 :])))
    return [*chosen[: max_models - 1], typed_id]


def _preset_picker(task: str, key: str, *, compare: bool, max_models: int, initial: Sequence[str] = ()) -> list[str]:
    """The registry's models of ``task``: a select box, or a multiselect in compare mode."""
    specs = registry.models_for(task)
    ids = [s.id for s in specs]
    initial = [m for m in initial if m in ids][:max_models]
    tags = {s.id: model_tag(s) for s in specs}

    def fmt(model_id: str) -> str:
        return f"{model_id} · {tags[model_id]}"

    if compare:
        unusable = {t("common.tag_missing"), t("common.tag_serve_not_served"), t("common.tag_serve_down")}
        ready = [i for i in ids if tags[i] not in unusable]
        default = initial if len(initial) >= 2 else (ready + [i for i in ids if i not in ready])[:2]
        most = min(max_models, len(ids))  # zero-shot has two CLIPs: "from 2 to 3" would promise a third
        chosen = st.multiselect(
            t("common.compare_pick", most=most) if most > 2 else t("common.compare_pick_two"),
            ids,
            default=default,
            max_selections=max_models,
            format_func=fmt,
            key=f"{key}_models",
            placeholder=t("common.pick_placeholder"),
            wrap=True,  # in a column the chips default to one scrolling row: the second model was hidden
        )
        return list(chosen)
    chosen_one = st.selectbox(
        t("common.model"),
        ids,
        index=ids.index(initial[0]) if initial else 0,
        format_func=fmt,
        key=f"{key}_model",
        placeholder=t("common.model_placeholder"),
        help=t("classification.model_help"),
    )
    return [chosen_one]
