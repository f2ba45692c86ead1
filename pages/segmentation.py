"""Image segmentation: every segment over the photo with a legend and its share; one label cut out."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from PIL import Image

from engine.errors import EngineError
from engine.models import registry
from engine.tasks.segmentation import (
    TASK,
    LabelLookup,
    Segmentation,
    code_snippet,
    cutout,
    fit_for_segmentation,
    inverted_view,
    legend_rows,
    load_segmenter,
    mask_image,
    overlay,
    segment,
    shares_chart,
    to_png,
)
from engine.timing import timed
from ui.errors import show_error
from ui.i18n import t
from ui.inputs import InputImage, image_input_ui
from ui.layout import code_expander, how_it_works, page_header
from ui.models import get_model
from ui.widgets import model_picker, source_text, unreachable_models

_KEEP_RUNS = 2  # segmentations kept in the session (masks of ~2 MP photos: a few MB each)


def _md(text: str) -> str:
    """Text that Markdown shows as typed (its active characters escaped)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_") or "segmento"


def _run(model_id: str, picture: InputImage) -> tuple[Segmentation, float, Image.Image, tuple[str, str], bool]:
    """Segment once per (model, image): sliders and label choices rerun the page, not the model.

    Returns the result, its milliseconds, the image segmented, where the weights came from and
    whether they are a test stand-in (the model itself stays in the shared LRU cache only).
    """
    runs: dict = st.session_state.setdefault("seg_runs", {})
    key = (model_id, picture.digest)
    if key not in runs:
        segmenter = get_model(model_id, "segmenter", lambda: load_segmenter(model_id))
        image = fit_for_segmentation(picture.image)
        result, ms = timed(segment, segmenter, image)
        runs[key] = (result, ms, image, (segmenter.where, segmenter.origin), segmenter.stand_in)
        while len(runs) > _KEEP_RUNS:
            runs.pop(next(iter(runs)))
    return runs[key]


def _downloads(
    model_id: str, digest: str, label: str, image: Image.Image, result: Segmentation
) -> dict[str, tuple[Image.Image, bytes]]:
    """Mask, inverted view and cut-out of ``label`` with their PNG bytes (built once per choice)."""
    cache = st.session_state.get("seg_outputs")
    key = (model_id, digest, label)
    if not cache or cache[0] != key:
        mask = result.mask(label)
        views = {"mask": mask_image(mask), "inverted": inverted_view(image, mask), "cutout": cutout(image, mask)}
        cache = (key, {name: (view, to_png(view)) for name, view in views.items()})
        st.session_state["seg_outputs"] = cache
    return cache[1]


def _show_label(
    lookup: LabelLookup, result: Segmentation, model_id: str, picture: InputImage, image: Image.Image
) -> None:
    """The chosen label: its mask, inverted view and cut-out with downloads, or why there is none."""
    shares = result.shares()
    if lookup.status == "found":
        label = lookup.label
        st.success(t("segmentation.found", label=_md(label), share=f"{shares[label]:.1%}", n=result.count(label)))
        outputs = _downloads(model_id, picture.digest, label, image, result)
        slug = _slug(label)
        for column, name in zip(st.columns(3), ("mask", "inverted", "cutout"), strict=True):
            view, data = outputs[name]
            with column:
                st.markdown(f"**{t(f'segmentation.{name}')}**")
                st.image(view, caption=t(f"segmentation.{name}_caption", label=label), width="stretch")
                st.download_button(
                    t(f"segmentation.download_{name}"),
                    data,
                    file_name=f"{slug}_{name}.png",
                    mime="image/png",
                    key=f"seg_dl_{name}",
                )
        return
    if lookup.status == "not_in_image":
        st.warning(t("segmentation.not_in_image", label=_md(lookup.label)))
    else:
        spec = registry.get(model_id)
        st.error(t("segmentation.unknown", model=spec.id, label=_md(lookup.query.strip()), n=len(lookup.known)))
        with st.expander(t("segmentation.known_classes", n=len(lookup.known))):
            st.dataframe(
                pd.DataFrame(
                    {t("segmentation.col_id"): range(len(lookup.known)), t("segmentation.col_label"): lookup.known}
                ),
                hide_index=True,
                key="seg_known",
            )
    if lookup.present:
        st.info(t("segmentation.present", labels=_md(", ".join(lookup.present))))
    else:
        st.info(t("segmentation.present_none"))


page_header("segmentation")
how_it_works("segmentation")

chosen_label = "person"
left, right = st.columns([1, 2], gap="large")
with left:
    model_id = model_picker(TASK, "seg", compare=False)[0]
    missing = unreachable_models(TASK)
    if missing:
        st.info(t("segmentation.hub_unreachable", models=", ".join(s.id for s in missing)))
    opacity = st.slider(
        t("segmentation.opacity"), 0.0, 1.0, 0.5, 0.05, key="seg_opacity", help=t("segmentation.opacity_help")
    )
    picture = image_input_ui("seg", default_sample="astronaut")
    if picture is not None:
        st.image(picture.image, caption=t("input.your_image", name=picture.name), width="stretch")

with right:
    if picture is not None:
        try:
            result, ms, image, where, stand_in = _run(model_id, picture)
        except EngineError as exc:
            show_error(exc)
        else:
            st.subheader(t("segmentation.all_segments"))
            if stand_in:
                st.warning(t("segmentation.stand_in", model=model_id))
            if image.size != picture.image.size:
                w, h = picture.image.size
                st.caption(t("segmentation.resized", width=w, height=h, w=image.width, h=image.height))
            st.image(
                overlay(image, result, opacity),
                caption=t("segmentation.overlay_caption", opacity=opacity),
                width="stretch",
            )
            kind = (
                t("segmentation.kind_semantic")
                if result.kind == "semantic"
                else t("segmentation.kind_instance", uncovered=f"{1 - result.covered():.1%}")
            )
            st.caption(f"{kind} · {t('common.inference_ms', ms=ms)} · {source_text(*where)}")
            if not result.segments:
                st.info(t("segmentation.nothing_found"))
            else:
                rows = legend_rows(result)
                st.markdown(f"**{t('segmentation.found_n', n=len(rows))}**")
                columns = {
                    t("segmentation.col_color"): [r["color"] for r in rows],
                    t("segmentation.col_label"): [r["label"] for r in rows],
                    t("segmentation.col_share"): [f"{r['share']:.1%}" for r in rows],
                }
                if result.kind == "instance":  # semantic segmentation has one segment per label
                    columns[t("segmentation.col_segments")] = [r["segments"] for r in rows]
                legend = pd.DataFrame(columns)
                color_col = t("segmentation.col_color")
                st.dataframe(
                    legend.style.map(lambda c: f"background-color: {c}; color: {c}", subset=[color_col]),
                    hide_index=True,
                    key="seg_legend",
                )
                st.plotly_chart(
                    shares_chart(result, title=t("segmentation.chart_title"), x_title=t("segmentation.chart_x")),
                    width="stretch",
                    key="seg_chart",
                )

            st.subheader(t("segmentation.choose"))
            pick_col, type_col = st.columns(2)
            with pick_col:
                picked = st.selectbox(t("segmentation.pick"), result.labels, key="seg_label")
            with type_col:
                typed = st.text_input(
                    t("segmentation.type"),
                    key="seg_typed",
                    placeholder=t("segmentation.type_placeholder"),
                    help=t("segmentation.type_help"),
                )
            query = typed if typed.strip() else (picked or "")
            lookup = result.lookup(query)
            if lookup.status != "empty":
                _show_label(lookup, result, model_id, picture, image)
                chosen_label = lookup.label or lookup.query.strip() or chosen_label

code_expander(code_snippet(model_id, chosen_label))
