"""The image input every page uses: a bundled sample, an upload or the camera.

``image_input_ui`` returns plain values (the decoded RGB image and a name) or ``None``; decoding
errors are shown in the page and nothing else in the session is touched.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from PIL import Image

from engine.errors import InvalidImage
from engine.inputs.images import UPLOAD_TYPES, digest, load_image
from engine.inputs.samples import SAMPLES, load_sample
from ui.errors import show_error
from ui.i18n import lang, t


@dataclass(frozen=True)
class InputImage:
    """A decoded input image, its display name and a key to cache results under: ``sample:<name>``
    for a sample, the digest of its pixels (:func:`engine.inputs.images.digest`) for an upload; and
    the file name the page's code snippet opens (the upload's own, ``<sample>.jpg`` for a sample)."""

    image: Image.Image
    name: str
    digest: str
    file_name: str = ""


def sample_label(key: str) -> str:
    sample = SAMPLES[key]
    return sample.what_es if lang() == "es" else sample.what_en


def image_input_ui(key: str, *, default_sample: str = "cat") -> InputImage | None:
    """Source selector + the chosen input; ``None`` while there is no usable image."""
    sources = ["sample", "upload", "camera"]
    source = st.radio(
        t("input.source"),
        sources,
        format_func=lambda s: t(f"input.source_{s}"),
        horizontal=True,
        key=f"{key}_source",
    )
    if source == "sample":
        keys = list(SAMPLES)
        name = st.selectbox(
            t("input.sample"),
            keys,
            index=keys.index(default_sample) if default_sample in keys else 0,
            format_func=sample_label,
            key=f"{key}_sample",
        )
        image = load_sample(name)
        return InputImage(image, sample_label(name), f"sample:{name}", f"{name}.jpg")
    if source == "upload":
        upload = st.file_uploader(
            t("input.upload"),
            type=list(UPLOAD_TYPES),
            key=f"{key}_upload",
            help=t("input.upload_help"),
        )
        if upload is None:
            st.info(t("input.upload_prompt"))
            return None
        return _decode(upload.getvalue(), upload.name, upload.name)
    shot = st.camera_input(t("input.camera"), key=f"{key}_camera")
    if shot is None:
        st.info(t("input.camera_prompt"))
        return None
    return _decode(shot.getvalue(), t("input.camera_name"))


def _decode(data: bytes, name: str, file_name: str = "") -> InputImage | None:
    try:
        image = load_image(data)
    except InvalidImage as exc:
        show_error(exc)
        return None
    return InputImage(image, name, digest(image), file_name)
