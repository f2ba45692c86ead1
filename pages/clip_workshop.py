"""The CLIP workshop: several images × several descriptions → a probability table, heatmap and CSV.

Descriptions and file names are user text: they go only into dataframes, st.text, st.code,
Plotly (escaped) and the pictures, never into Markdown.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st
from PIL import Image

from engine.errors import EngineError, InvalidImage
from engine.inputs.images import UPLOAD_TYPES, load_image
from engine.inputs.samples import SAMPLES, load_sample
from engine.render.charts import heatmap
from engine.tasks.clip import (
    MAX_IMAGES,
    MAX_INPUT_CHARS,
    MAX_LABEL_CHARS,
    MAX_LABELS,
    TASK,
    ClipModel,
    annotate,
    load_clip,
    parse_labels,
    plotly_text,
    workshop_snippet,
    workshop_table,
)
from engine.timing import timed
from ui.errors import show_error
from ui.i18n import t
from ui.inputs import sample_label
from ui.layout import code_expander, how_it_works, page_header
from ui.models import get_model
from ui.widgets import model_picker, source_text, unreachable_models

DEFAULT_SAMPLES = ["cat", "coffee", "astronaut", "rocket", "motorcycle"]
THUMB = 360  # gallery pictures: enough for a column, cheap to draw on
GALLERY_COLUMNS = 4


def get_clip(model_id: str) -> ClipModel:
    """The CLIP model, loaded once per server (shared with the zero-shot page)."""
    return get_model(model_id, "clip", lambda: load_clip(model_id))


def decoded_uploads(uploads: list) -> list[tuple[str, Image.Image]]:
    """The uploads as RGB images, decoded once per file (kept in the session); bad files are reported."""
    cache: dict[str, tuple[str, Image.Image] | None] = st.session_state.setdefault("cw_decoded", {})
    out, keep = [], set()
    for n, upload in enumerate(uploads, start=1):
        data = upload.getvalue()
        key = getattr(upload, "file_id", None) or hashlib.blake2b(data, digest_size=12).hexdigest()
        keep.add(key)
        if key not in cache:
            try:
                cache[key] = (upload.name, load_image(data))
            except InvalidImage as exc:
                cache[key] = None
                st.text(t("clip_workshop.bad_file", n=n) + " " + upload.name)
                show_error(exc)
        if cache[key] is not None:
            out.append(cache[key])
    for stale in set(cache) - keep:  # files removed from the uploader free their pixels
        del cache[stale]
    return out


def _percent_columns(names) -> dict:
    return {n: st.column_config.NumberColumn(n, format="percent") for n in names}


st.session_state.setdefault("cw_texts", t("clip_workshop.default_descriptions"))

page_header("clip_workshop")
how_it_works("clip_workshop")

left, right = st.columns([1, 2], gap="large")
with left:
    model_ids = model_picker(TASK, "cw", compare=False)
    missing = unreachable_models(TASK)
    if missing:
        st.info(t("zero_shot.hub_unreachable", models=", ".join(s.id for s in missing)))
    texts_input = st.text_area(
        t("clip_workshop.descriptions"),
        key="cw_texts",
        max_chars=MAX_INPUT_CHARS,
        height=110,
        help=t("clip_workshop.descriptions_help", max=MAX_LABELS, chars=MAX_LABEL_CHARS),
    )
    chosen = st.multiselect(
        t("clip_workshop.samples"), list(SAMPLES), default=DEFAULT_SAMPLES, format_func=sample_label, key="cw_samples"
    )
    uploads = st.file_uploader(
        t("clip_workshop.uploads"),
        type=list(UPLOAD_TYPES),
        accept_multiple_files=True,
        key="cw_uploads",
        help=t("clip_workshop.uploads_help"),
    )
    images = [(sample_label(k), load_sample(k)) for k in chosen] + decoded_uploads(list(uploads or []))

descriptions: list[str] = []
with right:
    try:
        descriptions = parse_labels(texts_input)
    except EngineError as exc:
        show_error(exc)
    if len(images) > MAX_IMAGES:
        st.warning(t("clip_workshop.too_many", got=len(images), max=MAX_IMAGES))
        images = images[:MAX_IMAGES]
    if not images:
        st.info(t("clip_workshop.need_images"))
    if descriptions and images and model_ids:
        try:
            model = get_clip(model_ids[0])
            before = model.stats()
            table, ms = timed(workshop_table, model, images, descriptions)
            done = model.stats() - before
        except EngineError as exc:
            show_error(exc)
        else:
            st.subheader(t("clip_workshop.table"))
            frame = pd.DataFrame(table.probs, index=list(table.rows), columns=list(table.cols))
            st.dataframe(frame, width="stretch", key="cw_table", column_config=_percent_columns(table.cols))
            st.caption(
                t(
                    "clip_workshop.stats",
                    ms=ms,
                    img_new=done.images_encoded,
                    img_passes=done.image_passes,
                    img_hits=done.image_hits,
                    txt_new=done.texts_encoded,
                    txt_passes=done.text_passes,
                    txt_hits=done.text_hits,
                )
                + " · "
                + source_text(model.where, model.origin)
            )
            st.download_button(
                t("common.download_csv"),
                table.csv(),
                file_name="taller_clip.csv",
                mime="text/csv",
                key="cw_csv",
                on_click="ignore",
            )
            st.plotly_chart(
                heatmap(
                    table.probs,
                    [plotly_text(r) for r in table.rows],
                    [plotly_text(c) for c in table.cols],
                    title=t("clip_workshop.heatmap"),
                ),
                width="stretch",
                key="cw_heatmap",
            )
            st.subheader(t("clip_workshop.predictions"))
            predictions = table.predictions()
            st.dataframe(
                [
                    {
                        t("clip_workshop.col_image"): name,
                        t("clip_workshop.col_prediction"): pred,
                        t("clip_workshop.col_probability"): p,
                    }
                    for name, pred, p in predictions
                ],
                hide_index=True,
                width="stretch",
                key="cw_predictions",
                column_config={
                    t("clip_workshop.col_probability"): st.column_config.ProgressColumn(
                        format="percent", min_value=0.0, max_value=1.0
                    )
                },
            )
            st.subheader(t("clip_workshop.gallery"))
            columns = st.columns(GALLERY_COLUMNS)
            for i, ((name, pred, p), (_, image)) in enumerate(zip(predictions, images, strict=True)):
                with columns[i % GALLERY_COLUMNS]:
                    thumb = image.copy()
                    thumb.thumbnail((THUMB, THUMB))
                    st.text(f"{name}\n→ {pred} ({p:.1%})")  # the title, as plain text
                    st.image(annotate(thumb, f"{pred} · {p:.0%}", text_frac=0.1), width="stretch")

code_expander(
    workshop_snippet(
        model_ids[0] if model_ids else "openai/clip-vit-base-patch32",
        descriptions or parse_labels(t("clip_workshop.default_descriptions")),
        n_images=max(1, len(images)),
    )
)
