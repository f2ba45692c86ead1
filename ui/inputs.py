"""The image input every page uses: a bundled sample, an upload or the camera.

``image_input_ui`` returns plain values (the decoded RGB image and a name) or ``None``; decoding
errors are shown in the page and nothing else in the session is touched.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from PIL import Image

from engine import settings
from engine.errors import InvalidImage
from engine.inputs.images import UPLOAD_TYPES, digest, fit_working, load_image
from engine.inputs.samples import SAMPLES, load_sample
from ui.errors import show_error
from ui.i18n import Caption, lang, t
from ui.session import SessionCache

# Each upload or photo decoded (and shrunk) once: a 24-megapixel JPEG takes about a second to
# decode and another to shrink, and every widget click reruns the page.
DECODED = SessionCache("input_decoded", size=2)


@dataclass(frozen=True)
class InputImage:
    """A decoded input image, its display name and a key to cache results under: ``sample:<name>``
    for a sample, the digest of its pixels (:func:`engine.inputs.images.digest`) for an upload; and
    the file name the page's code snippet opens (the upload's own, ``<sample>.jpg`` for a sample);
    and, when the photo was shrunk to the working size up front (:func:`fit_working`), its original
    ``(width, height)``: labels made for the full photo (COCO's pixel boxes) are scaled with it."""

    image: Image.Image
    name: str
    digest: str
    file_name: str = ""
    original_size: tuple[int, int] | None = None

    @property
    def label_size(self) -> tuple[int, int]:
        """The size labels of this photo were made for: the original's, before any shrinking."""
        return self.original_size or self.image.size


def sample_label(key: str) -> str:
    sample = SAMPLES[key]
    return sample.what_es if lang() == "es" else sample.what_en


def image_input_ui(key: str, *, default_sample: str = "cat") -> InputImage | None:
    """Source selector + the chosen input; ``None`` while there is no usable image."""
    sources = ["sample", "upload", "camera"]
    source = st.radio(
        t("input.source"),
        sources,
        format_func=Caption("input.source_"),
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
            placeholder=t("input.sample_placeholder"),
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
        uploader_note()
        if upload is None:
            st.info(t("input.upload_prompt"))
            return None
        return _decode(upload.getvalue(), upload.name, upload.name)
    shot = st.camera_input(t("input.camera"), key=f"{key}_camera")
    # Python never hears that the browser refused the camera (no HTTPS): the rule is said up front.
    st.caption(t("input.camera_https"))
    if shot is None:
        st.info(t("input.camera_prompt"))
        return None
    return _decode(shot.getvalue(), t("input.camera_name"))


def uploader_note() -> None:
    """In Spanish, a caption under an uploader glossing Streamlit's English texts ("Drag and drop
    file here", "Browse files"), which no parameter of ``st.file_uploader`` changes."""
    if lang() == "es":
        st.caption(t("input.uploader_note", mb=round(settings.max_upload_bytes() / 2**20)))


def downscaled_caption(picture: InputImage) -> None:
    """ "Foto reducida de 6000×4000 a 2048×1365…" when ``picture`` was shrunk up front."""
    if picture.original_size is not None:
        width, height = picture.original_size
        st.caption(t("input.downscaled", width=width, height=height, w=picture.image.width, h=picture.image.height))


def decode_input(data: bytes, name: str, file_name: str = "") -> InputImage | InvalidImage:
    """``data`` decoded and shrunk to the working size, once: a page's input image, or why not.

    Example:
        >>> decode_input(b"", "x").code
        'empty'
    """
    try:
        image = load_image(data)
    except InvalidImage as exc:
        return exc
    # Once, up front: every later step (the digest, inference, drawing, the browser) gets the smaller photo.
    image, original = fit_working(image)
    return InputImage(image, name, digest(image), file_name, original)


def _decode(data: bytes, name: str, file_name: str = "") -> InputImage | None:
    decoded = DECODED.get(("input", name, file_name, digest(data)), lambda: decode_input(data, name, file_name))
    if isinstance(decoded, InvalidImage):
        show_error(decoded)
        return None
    downscaled_caption(decoded)
    return decoded
