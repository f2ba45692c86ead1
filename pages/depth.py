"""Depth estimation: the depth map of one photo with its colour bar, blended with it, and in 3-D."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from PIL import Image

from engine.errors import EngineError
from engine.models import registry
from engine.models.provenance import Footprint
from engine.render.depth import CMAPS, blend, colorize, grid_size, surface_figure, with_colorbar
from engine.tasks.depth import MAX_SIDE, TASK, DepthMap, code_snippet, estimate_depth, fit_for_depth, model_side
from engine.tasks.fast import depth_compared
from engine.timing import timed
from ui import deliverable, query
from ui.errors import show_error
from ui.fastmode import fast_compared, fast_shown, fast_toggle, show_comparison
from ui.i18n import Caption, lang, t
from ui.inputs import InputImage, image_input_ui
from ui.layout import code_expander, how_it_works, page_header
from ui.models import get_model
from ui.queue import queued
from ui.session import SessionCache
from ui.steps import model_steps
from ui.widgets import download_row, model_picker, stand_in_text, unreachable_notice, weights_caption

RUNS = SessionCache("depth_runs", size=3)  # a float32 map per model and photo (≤ 1024 px: ≤ 3 MB each)
VIEWS = SessionCache("depth_views", size=3)  # each map's colour picture and colour bar, per palette
FAST = SessionCache("depth_fast_runs", size=3)  # the fast mode's map of the page's photo, per model


@dataclass(frozen=True)
class Run:
    """One depth estimation of the page's photo, with what the page says about it (the model itself
    stays in the shared model cache only)."""

    result: DepthMap
    ms: float
    image: Image.Image  # the image estimated: the photo, shrunk when large
    where: str
    origin: str
    footprint: Footprint  # what was loaded; a stand-in says so (engine.models.provenance)


@dataclass(frozen=True)
class Views:
    """The pictures of one map in one palette."""

    colored: Image.Image  # the map alone, at the image's size
    with_bar: Image.Image  # the map with its colour bar (shown, and the PNG download)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "modelo"


def estimate_once(model_id: str, picture: InputImage) -> Run:
    """Estimate once per (model, image): sliders and palettes rerun the page, not the model."""

    def run() -> Run:
        estimator = get_model(model_id)
        image = fit_for_depth(picture.image, model_side(model_id))  # GLPN: its training photos' size
        result, ms = queued("depth", model_id, lambda: timed(estimate_depth, estimator, image))
        return Run(result, ms, image, estimator.where, estimator.origin, estimator.footprint)

    return RUNS.get((model_id, picture.digest), run)


def _ticks(result: DepthMap) -> list[tuple[float, str]]:
    """The colour bar's labels: metres for a metric map, near/far for a relative one."""
    if result.kind == "metric":
        return [(near, f"{value:.2f} m") for near, value in result.ticks(5)]
    return [(0.0, t("depth.bar_far")), (0.25, ""), (0.5, ""), (0.75, ""), (1.0, t("depth.bar_near"))]


def views_of(model_id: str, digest: str, cmap: str, result: DepthMap) -> Views:
    """The colour map and its colour bar (built once per model, photo, palette and language)."""

    def build() -> Views:
        colored = colorize(result.nearness(), cmap)
        title = t(f"depth.bar_title_{result.kind}")
        return Views(colored, with_colorbar(colored, _ticks(result), cmap=cmap, title=title))

    return VIEWS.get((model_id, digest, cmap, lang()), build)


def show_run(
    model_id: str, picture: InputImage, run: Run, *, compare: bool, cmap: str, amount: float, show_3d: bool
) -> None:
    """One model's depth map: side by side with the photo, blended, its values, 3-D and downloads."""
    result, image = run.result, run.image
    key = _slug(model_id)
    if run.footprint.stand_in:
        st.warning(stand_in_text(model_id, run.footprint), icon="⚠️")
    if image.size != picture.label_size:  # the photo as taken, before any shrinking up front
        w, h = picture.label_size
        st.caption(t("depth.resized", width=w, height=h, w=image.width, h=image.height))
    if max(image.size) < min(MAX_SIDE, max(picture.image.size)):  # this model is given a smaller copy
        st.caption(t("depth.model_side", side=model_side(model_id)))
    st.caption(f"{t(f'depth.kind_{result.kind}')} · {t('common.inference_ms', ms=run.ms)} · {weights_caption(run)}")
    views = views_of(model_id, picture.digest, cmap, result)
    if compare:  # the photo is on the left already; each column shows its map
        st.image(views.with_bar, caption=t("depth.map_caption"), width="stretch")
    else:
        # Widths in proportion to the pictures: the photo and the map (with its bar) at the same height.
        photo_col, map_col = st.columns([image.width, views.with_bar.width])
        photo_col.image(image, caption=t("depth.photo_caption"), width="stretch")
        map_col.image(views.with_bar, caption=t("depth.map_caption"), width="stretch")
    st.image(blend(image, views.colored, amount), caption=t("depth.blend_caption", amount=amount), width="stretch")

    st.markdown(f"**{t('depth.stats')}**")
    rows = result.rows()
    unit = f" {result.unit}" if result.unit else ""
    st.dataframe(
        pd.DataFrame(
            {
                t("depth.col_statistic"): [t(f"depth.stat_{r['statistic']}") for r in rows],
                t("depth.col_value"): [f"{r['value']:.4g}{unit}" for r in rows],
            }
        ),
        hide_index=True,
        key=f"depth_stats_{key}",
    )
    if show_3d:
        st.markdown(f"**{t('depth.view3d')}**")
        w, h = grid_size(result.size)
        st.caption(t("depth.view3d_caption", w=w, h=h))
        fig = surface_figure(image, result.distance(), z_title=t(f"depth.axis_{result.kind}"))
        st.plotly_chart(fig, width="stretch", key=f"depth_3d_{key}")

    stem = f"profundidad_{key}"
    download_row(
        f"depth_dl_{key}",
        stem,
        png=views.with_bar,
        csv=result.to_csv,  # made on the click: each computes the statistics again (10-30 ms a model a rerun)
        json=lambda: result.to_json(model=model_id, image=picture.name),
    )
    with st.container(horizontal=True):
        st.download_button(
            t("depth.download_png16"),
            lambda: result.to_png16(),
            file_name=f"{stem}_16bit.png",
            mime="image/png",
            key=f"depth_dl_{key}_png16",
            on_click="ignore",
        )
        st.download_button(
            t("depth.download_npy"),
            lambda: result.to_npy(),
            file_name=f"{stem}.npy",
            mime="application/octet-stream",
            key=f"depth_dl_{key}_npy",
            on_click="ignore",
        )
    st.caption(t(f"depth.downloads_{result.kind}"))


def fast_section(model_id: str, picture: InputImage, run: Run, cmap: str) -> None:
    """ "Modo rápido": the fast copy's map, its time next to fp32's and how closely the maps agree."""

    def compute() -> Any:
        estimator = get_model(model_id)
        return fast_compared(
            model_id,
            estimator,
            page="depth",
            cache=FAST,
            key=(model_id, picture.digest),
            compare=lambda fast: depth_compared(estimator, fast, run.image),
        )

    compared = fast_shown(compute)
    if compared is None:
        return
    result, comparison = compared
    st.image(
        colorize(result.nearness(), cmap), caption=t("fastmode.depth_caption", mode=comparison.mode), width="stretch"
    )
    show_comparison(comparison)


page_header("depth")
how_it_works("depth")

left, right = st.columns([1, 3] if st.session_state.get("depth_compare") else [1, 2], gap="large")
with left:
    linked = query.models(TASK)  # a shared link's settings start the widgets (ui/query.py)
    compare = st.toggle(
        t("common.compare"),
        value=query.flag("compare", len(linked) > 1),
        key="depth_compare",
        help=t("common.compare_help"),
    )
    model_ids = model_picker(TASK, "depth", compare=compare, hub=True, initial=linked)
    query.share(
        {"model": model_ids, "compare": compare},
        {"model": query.default_model(TASK), "compare": False},
    )
    unreachable_notice(TASK)
    cmap = st.selectbox(
        t("depth.cmap"),
        list(CMAPS),
        format_func=Caption("depth.cmap_"),
        key="depth_cmap",
        help=t("depth.cmap_help"),
    )
    amount = st.slider(t("depth.blend"), 0.0, 1.0, 0.5, 0.05, key="depth_blend", help=t("depth.blend_help"))
    show_3d = st.toggle(t("depth.show_3d"), value=True, key="depth_3d", help=t("depth.show_3d_help"))
    fast_on = fast_toggle("depth")  # "Modo rápido": off by default (fp32, the pipeline's map)
    picture = image_input_ui("depth", default_sample="coffee")
    if picture is not None:
        st.image(picture.image, caption=t("input.your_image", name=picture.name), width="stretch")

with right:
    for column, model_id in model_steps(model_ids, compare=compare, show=picture is not None):
        with column:
            try:
                run = estimate_once(model_id, picture)
                show_run(model_id, picture, run, compare=compare, cmap=cmap, amount=amount, show_3d=show_3d)
                if fast_on:  # the fp32 map above stays the page's (its table, downloads, deliverable)
                    fast_section(model_id, picture, run, cmap)
                deliverable.record(
                    "depth",
                    cmap,
                    lambda m=model_id, r=run: deliverable.entry(
                        picture.name,
                        r.image,
                        r.result.rows(),
                        r.ms,
                        m,
                        {"colormap": cmap},
                        {"depth": views_of(m, picture.digest, cmap, r.result).with_bar},
                    ),
                    slot=(model_id, picture.digest),  # another colour map replaces the run's picture
                )
            except EngineError as exc:
                show_error(exc)

deliverable.deliverable_button("depth")
# Every model on screen has its snippet (compare mode); the default model's while none is picked.
snippet_models = model_ids or [registry.default_for(TASK).id]
code_expander([(m, code_snippet(m, picture.file_name if picture else "", lang())) for m in snippet_models])
