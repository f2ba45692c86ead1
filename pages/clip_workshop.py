"""The CLIP workshop: several images × several descriptions → a probability table, heatmap and CSV.

Descriptions and file names are user text: they go only into dataframes, st.text, st.code,
Plotly (escaped) and the pictures, never into Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from PIL import Image

from engine.errors import EngineError, InvalidImage
from engine.inputs.images import UPLOAD_TYPES, digest
from engine.inputs.samples import SAMPLES, load_sample
from engine.render.annotate import caption_image
from engine.render.charts import heatmap, plotly_text
from engine.tasks.clip import (
    MAX_IMAGES,
    MAX_INPUT_CHARS,
    MAX_LABEL_CHARS,
    MAX_LABELS,
    TASK,
    ClipModel,
    parse_labels,
    workshop_snippet,
    workshop_table,
)
from engine.timing import timed
from ui import deliverable
from ui.errors import show_error
from ui.i18n import lang, t
from ui.inputs import InputImage, decode_input, downscaled_caption, sample_label, uploader_note
from ui.layout import code_expander, how_it_works, page_header
from ui.models import get_model
from ui.queue import queued
from ui.session import SessionCache
from ui.steps import image_steps
from ui.widgets import download_row, model_picker, stand_in_notice, unreachable_notice, weights_caption

DEFAULT_SAMPLES = ["cat", "coffee", "astronaut", "rocket", "motorcycle"]
THUMB = 360  # gallery pictures: enough for a column, cheap to draw on
GALLERY_COLUMNS = 4
# Each upload decoded once; files removed from the uploader are dropped (their pixels freed).
DECODED = SessionCache("cw_decoded", size=4 * MAX_IMAGES)


def decoded_uploads(uploads: list) -> list[tuple[str, Image.Image]]:
    """The uploads as RGB images, decoded once per file (kept in the session). A bad file's error
    is kept too and shown on every run while the file is in the uploader: shown once, it vanished
    on the next rerun and the file dropped out of the table without a word."""

    def decode(name: str, data: bytes) -> InputImage | InvalidImage:
        return decode_input(data, name, name)  # shrunk to the working size once, as every page's photo

    out, keys = [], []
    # "Imagen 3 de 8: playa.jpg" while the files are decoded (a big photo takes a second or two).
    for i, _ in image_steps([upload.name for upload in uploads]):
        upload, n = uploads[i], i + 1
        data = upload.getvalue()
        key = getattr(upload, "file_id", None) or digest(data)
        keys.append(key)
        decoded = DECODED.get(key, lambda name=upload.name, data=data: decode(name, data))
        if isinstance(decoded, InvalidImage):
            st.text(t("clip_workshop.bad_file", n=n) + " " + upload.name)
            show_error(decoded)
        else:
            if decoded.original_size is not None:
                st.text(upload.name)  # user text, never Markdown
                downscaled_caption(decoded)
            out.append((decoded.name, decoded.image))
    DECODED.keep_only(keys)
    return out


def _percent_columns(names) -> dict:
    return {n: st.column_config.NumberColumn(n, format="percent") for n in names}


st.session_state.setdefault("cw_texts", t("clip_workshop.default_descriptions"))

page_header("clip_workshop")
how_it_works("clip_workshop")

# The settings in a row above, the results below at the page's whole width: an images × descriptions
# matrix needs every column it can get (in a right-hand column it lost its last ones at 1024 px).
model_col, texts_col, photos_col = st.columns(3, gap="large")
with model_col:
    model_ids = model_picker(TASK, "cw", compare=False, hub=True)
    unreachable_notice(TASK)
with texts_col:
    texts_input = st.text_area(
        t("clip_workshop.descriptions"),
        key="cw_texts",
        max_chars=MAX_INPUT_CHARS,
        height=110,
        help=t("clip_workshop.descriptions_help", max=MAX_LABELS, chars=MAX_LABEL_CHARS),
    )
with photos_col:
    chosen = st.multiselect(
        t("clip_workshop.samples"),
        list(SAMPLES),
        default=DEFAULT_SAMPLES,
        format_func=sample_label,
        key="cw_samples",
        placeholder=t("common.pick_placeholder"),
        wrap=True,  # in a column the chips default to one scrolling row: all but the first were hidden
    )
    uploads = st.file_uploader(
        t("clip_workshop.uploads"),
        type=list(UPLOAD_TYPES),
        accept_multiple_files=True,
        key="cw_uploads",
        help=t("clip_workshop.uploads_help"),
    )
    uploader_note()
    images = [(sample_label(k), load_sample(k)) for k in chosen] + decoded_uploads(list(uploads or []))

descriptions: list[str] = []
with st.container():
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
            model: ClipModel = get_model(model_ids[0])
            before = model.stats()
            table, ms = queued(
                "clip_workshop", model.model_id, lambda: timed(workshop_table, model, images, descriptions)
            )
            done = model.stats() - before
        except EngineError as exc:
            show_error(exc)
        else:
            st.subheader(t("clip_workshop.table"))
            frame = pd.DataFrame(table.probs, index=list(table.image_names), columns=list(table.descriptions))
            st.dataframe(frame, width="stretch", key="cw_table", column_config=_percent_columns(table.descriptions))
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
                + weights_caption(model)
            )
            stand_in_notice(model)
            download_row("cw", "taller_clip", csv=table.to_csv())
            st.plotly_chart(
                heatmap(
                    table.probs,
                    [plotly_text(r) for r in table.image_names],
                    [plotly_text(c) for c in table.descriptions],
                    title=t("clip_workshop.heatmap"),
                ),
                width="stretch",
                key="cw_heatmap",
            )
            st.subheader(t("clip_workshop.predictions"))
            st.dataframe(
                [
                    {
                        t("clip_workshop.col_image"): row["image"],
                        t("clip_workshop.col_prediction"): row["prediction"],
                        t("clip_workshop.col_probability"): row["probability"],
                    }
                    for row in table.rows()
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
            for i, ((name, pred, p), (_, image)) in enumerate(zip(table.predictions(), images, strict=True)):
                with columns[i % GALLERY_COLUMNS]:
                    thumb = image.copy()
                    thumb.thumbnail((THUMB, THUMB))
                    st.text(f"{name}\n→ {pred} ({p:.1%})")  # the title, as plain text
                    st.image(caption_image(thumb, f"{pred} · {p:.0%}", text_frac=0.1), width="stretch")

            def workshop_entry() -> deliverable.Entry:
                """The images × descriptions table with the predicted label, the gallery as shown."""
                gallery = {}
                for (name, pred, p), (_, image) in zip(table.predictions(), images, strict=True):
                    thumb = image.copy()
                    thumb.thumbnail((THUMB, THUMB))
                    gallery[f"{name} → {pred}"] = caption_image(thumb, f"{pred} · {p:.0%}", text_frac=0.1)
                rows = [
                    {"image": name, **dict(zip(table.descriptions, map(float, probs), strict=True)), "prediction": pred}
                    for (name, pred, _), probs in zip(table.predictions(), table.probs, strict=True)
                ]
                names = list(zip(table.image_names, (image for _, image in images), strict=True))
                settings = {"descriptions": descriptions}
                return deliverable.entry(
                    ", ".join(table.image_names), names, rows, ms, model.model_id, settings, gallery
                )

            deliverable.record(
                "clip_workshop",
                (model.model_id, tuple(digest(image) for _, image in images), tuple(descriptions)),
                workshop_entry,
            )

deliverable.deliverable_button("clip_workshop")

code_expander(
    workshop_snippet(
        model_ids[0] if model_ids else "openai/clip-vit-base-patch32",
        descriptions or parse_labels(t("clip_workshop.default_descriptions")),
        n_images=max(1, len(images)),
        # the students' files: a sample as <key>.jpg, an upload by its own name
        file_names=([f"{k}.jpg" for k in chosen] + [name for name, _ in images[len(chosen) :]])[: len(images)],
        lang=lang(),
    )
)
