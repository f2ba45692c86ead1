"""Image segmentation: every segment over the photo with a legend and its share; one label cut out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from PIL import Image

from engine.errors import EngineError
from engine.inputs.images import to_png
from engine.models import registry
from engine.models.provenance import Footprint
from engine.render.masks import cutout, inverted_view, mask_image, overlay, shares_chart, top_shares
from engine.tasks.fast import segment_compared
from engine.tasks.segmentation import TASK, LabelLookup, Segmentation, code_snippet, fit_for_segmentation, segment
from engine.timing import timed
from ui import deliverable, query
from ui.errors import show_error
from ui.fastmode import fast_compared, fast_shown, fast_toggle, show_comparison
from ui.i18n import Caption, lang, t
from ui.inputs import InputImage, image_input_ui
from ui.layout import code_expander, how_it_works, md_escape, page_header
from ui.models import get_model
from ui.queue import queued
from ui.session import SessionCache
from ui.strings.labels import label as shown_label
from ui.widgets import model_picker, stand_in_text, unreachable_notice, weights_caption

RUNS = SessionCache("seg_runs", size=2)  # segmentations kept in the session (masks of ~2 MP photos: a few MB each)
VIEWS = SessionCache("seg_outputs", size=1)
FAST = SessionCache("seg_fast_runs", size=1)  # the fast mode's segmentation of the page's photo
MAX_TYPED_LABEL = 100  # a label typed (or in a shared link): ADE20K's longest names are ~60 characters  # the chosen label's pictures and their PNG bytes


@dataclass(frozen=True)
class Run:
    """One segmentation of the page's photo, with what the page says about it (the model itself
    stays in the shared model cache only)."""

    result: Segmentation
    ms: float
    image: Image.Image  # the image segmented: the photo, shrunk when large
    where: str
    origin: str
    footprint: Footprint  # what was loaded; a stand-in says so (engine.models.provenance)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_") or "segmento"


def segment_once(model_id: str, picture: InputImage) -> Run:
    """Segment once per (model, image): sliders and label choices rerun the page, not the model."""

    def run() -> Run:
        segmenter = get_model(model_id)
        image = fit_for_segmentation(picture.image)
        result, ms = queued("segmentation", model_id, lambda: timed(segment, segmenter, image))
        return Run(result, ms, image, segmenter.where, segmenter.origin, segmenter.footprint)

    return RUNS.get((model_id, picture.digest), run)


def fast_section(model_id: str, picture: InputImage, run: Run, opacity: float) -> None:
    """ "Modo rápido": the fast copy's segments over the photo, its time next to fp32's and the pixels' agreement."""

    def compute() -> Any:
        segmenter = get_model(model_id)
        return fast_compared(
            model_id,
            segmenter,
            page="segmentation",
            cache=FAST,
            key=(model_id, picture.digest),
            compare=lambda fast: segment_compared(segmenter, fast, run.image),
        )

    compared = fast_shown(compute)
    if compared is None:
        return
    found, comparison = compared
    caption = t("segmentation.overlay_caption", opacity=opacity)
    st.image(overlay(run.image, found, opacity), caption=caption, width="stretch")
    show_comparison(comparison)


def label_views(
    model_id: str, digest: str, label: str, image: Image.Image, result: Segmentation
) -> dict[str, tuple[Image.Image, bytes]]:
    """Mask, inverted view and cut-out of ``label`` with their PNG bytes (built once per choice)."""

    def build() -> dict[str, tuple[Image.Image, bytes]]:
        mask = result.mask(label)
        views = {"mask": mask_image(mask), "inverted": inverted_view(image, mask), "cutout": cutout(image, mask)}
        # Fast compression: these are rebuilt while the student explores labels.
        return {name: (view, to_png(view, compress_level=3)) for name, view in views.items()}

    return VIEWS.get((model_id, digest, label), build)


def _show_label(
    lookup: LabelLookup, result: Segmentation, model_id: str, picture: InputImage, image: Image.Image
) -> None:
    """The chosen label: its mask, inverted view and cut-out with downloads, or why there is none."""
    shares = result.shares()
    if lookup.status == "found":
        label = lookup.label
        st.success(t("segmentation.found", label=md_escape(label), share=f"{shares[label]:.1%}", n=result.count(label)))
        outputs = label_views(model_id, picture.digest, label, image, result)
        slug = _slug(label)
        names = ("mask", "inverted", "cutout")
        for column, name in zip(st.columns(3), names, strict=True):
            with column:
                st.markdown(f"**{t(f'segmentation.{name}')}**")
                # The PNG bytes made once with the view: the PIL view was encoded again on every rerun.
                st.image(outputs[name][1], caption=t(f"segmentation.{name}_caption", label=label), width="stretch")
        # The downloads in a row of their own: lined up whatever the captions' lengths.
        for column, name in zip(st.columns(3), names, strict=True):
            with column:
                st.download_button(
                    t(f"segmentation.download_{name}"),
                    outputs[name][1],
                    file_name=f"{slug}_{name}.png",
                    mime="image/png",
                    key=f"seg_dl_{name}",
                    help=f"{slug}_{name}.png",
                    width="stretch",
                    wrap=True,  # in a narrow column a label wraps rather than being cut ("Descargar la vista inverti…")
                )
        return
    if lookup.status == "not_in_image":
        st.warning(t("segmentation.not_in_image", label=md_escape(lookup.label)))
    else:
        spec = registry.get(model_id)
        st.error(t("segmentation.unknown", model=spec.id, label=md_escape(lookup.query.strip()), n=len(lookup.known)))
        with st.expander(t("segmentation.known_classes", n=len(lookup.known))):
            st.dataframe(
                pd.DataFrame(
                    {t("segmentation.col_id"): range(len(lookup.known)), t("segmentation.col_label"): lookup.known}
                ),
                hide_index=True,
                key="seg_known",
            )
    if lookup.present:
        st.info(t("segmentation.present", labels=md_escape(", ".join(lookup.present))))
    else:
        st.info(t("segmentation.present_none"))


def _legend(rows: list[dict], kind: str) -> Any:
    """The legend's rows as a table, each colour cell painted in its colour (the "others" row has none)."""
    columns = {
        t("segmentation.col_color"): [r["color"] for r in rows],
        t("segmentation.col_label"): [shown_label(r["label"], lang()) for r in rows],
        t("segmentation.col_share"): [f"{r['share']:.1%}" for r in rows],
    }
    if kind == "instance":  # semantic segmentation has one segment per label
        columns[t("segmentation.col_segments")] = [r["segments"] for r in rows]
    return pd.DataFrame(columns).style.map(
        lambda c: f"background-color: {c}; color: {c}" if c else "", subset=[t("segmentation.col_color")]
    )


page_header("segmentation")
how_it_works("segmentation")

chosen_label = "person"
left, right = st.columns([1, 2], gap="large")
with left:
    model_id = model_picker(TASK, "seg", compare=False, hub=True, initial=query.models(TASK, most=1))[0]
    fast_on = fast_toggle("seg")  # "Modo rápido": off by default (fp32)
    unreachable_notice(TASK)
    opacity = st.slider(
        t("segmentation.opacity"),
        0.0,
        1.0,
        query.number("opacity", 0.5, 0.0, 1.0, step=0.05),
        0.05,
        key="seg_opacity",
        help=t("segmentation.opacity_help"),
    )
    query.share({"model": [model_id], "opacity": opacity}, {"model": query.default_model(TASK), "opacity": 0.5})
    picture = image_input_ui("seg", default_sample="astronaut")
    if picture is not None:
        st.image(picture.image, caption=t("input.your_image", name=picture.name), width="stretch")

with right:
    if picture is not None:
        try:
            run = segment_once(model_id, picture)
        except EngineError as exc:
            show_error(exc)
        else:
            result, image = run.result, run.image
            st.subheader(t("segmentation.all_segments"))
            if run.footprint.stand_in:
                st.warning(stand_in_text(model_id, run.footprint), icon="⚠️")
            if image.size != picture.label_size:  # the photo as taken, before any shrinking up front
                w, h = picture.label_size
                st.caption(t("segmentation.resized", width=w, height=h, w=image.width, h=image.height))
            st.image(
                overlay(image, result, opacity),
                caption=t("segmentation.overlay_caption", opacity=opacity),
                width="stretch",
            )
            kind_caption = (
                t("segmentation.kind_semantic")
                if result.kind == "semantic"
                else t("segmentation.kind_instance", uncovered=f"{1 - result.covered():.1%}")
            )
            st.caption(f"{kind_caption} · {t('common.inference_ms', ms=run.ms)} · {weights_caption(run)}")
            if fast_on:  # the fp32 segmentation above stays the page's (legend, label, deliverable)
                fast_section(model_id, picture, run, opacity)
            if not result.segments:
                st.info(t("segmentation.nothing_found"))
            else:
                rows = result.rows()
                st.markdown(f"**{t('segmentation.found_n', n=len(rows))}**")
                # The largest labels, then one row for the rest (dozens of labels at "0.0 %" made the
                # legend thousands of pixels long); every label is in the folded list below.
                top, rest = top_shares(result.shares())
                others = t("segmentation.others", n=len(rest))
                shown_rows = [r for r in rows if r["label"] in top]
                if rest:
                    segments = sum(r["segments"] for r in rows if r["label"] in rest)
                    shown_rows.append({"color": "", "label": others, "share": sum(rest.values()), "segments": segments})
                st.dataframe(_legend(shown_rows, result.kind), hide_index=True, key="seg_legend")
                if rest:
                    with st.expander(t("segmentation.all_labels", n=len(rows))):
                        st.dataframe(_legend(rows, result.kind), hide_index=True, key="seg_legend_all")
                chart = shares_chart(
                    result, title=t("segmentation.chart_title"), x_title=t("segmentation.chart_x"), others=others
                )
                chart.update_traces(y=[shown_label(name, lang()) for name in chart.data[0].y])  # as in the legend
                st.plotly_chart(chart, width="stretch", key="seg_chart")

            st.subheader(t("segmentation.choose"))
            pick_col, type_col = st.columns(2)
            with pick_col:
                picked = st.selectbox(
                    t("segmentation.pick"),
                    result.labels,
                    format_func=Caption(via=shown_label),  # the value stays the model's name
                    key="seg_label",
                )
            with type_col:
                typed = st.text_input(
                    t("segmentation.type"),
                    value=query.text("label", "", max_chars=MAX_TYPED_LABEL),
                    max_chars=MAX_TYPED_LABEL,
                    key="seg_typed",
                    placeholder=t("segmentation.type_placeholder"),
                    help=t("segmentation.type_help"),
                )
            query.share({"label": typed.strip()}, {}, hint=False)
            wanted = typed if typed.strip() else (picked or "")
            lookup = result.lookup(wanted)
            if lookup.status != "empty":
                _show_label(lookup, result, model_id, picture, image)
                chosen_label = lookup.label or lookup.query.strip() or chosen_label
            # The activity's views of the chosen label (the inverted mask) when it is in the photo.
            found = lookup.label if lookup.status == "found" else ""
            views = label_views(model_id, picture.digest, found, image, result) if found else {}
            deliverable.record(
                "segmentation",
                opacity,
                lambda: deliverable.entry(
                    picture.name,
                    image,
                    result.rows(),
                    run.ms,
                    model_id,
                    {"label": found or chosen_label},
                    {"overlay": overlay(image, result, opacity), **{k: v for k, (v, _) in views.items()}},
                ),
                slot=(model_id, picture.digest, found),  # a new opacity replaces the run's overlay
            )

deliverable.deliverable_button("segmentation")
code_expander(code_snippet(model_id, chosen_label, picture.file_name if picture else "", lang()))
