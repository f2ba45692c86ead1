"""Drawing segmentations: label colours, the coloured overlay, the inverted view, the cut-out, the
shares chart. Pure functions on PIL images and numpy masks; they know no model.

The colours are stable per label (keyed on the model's class id), so the table's legend, the
overlay and the chart agree on every image. The inverted view is the course's ``ImageOps.invert``
on the mask: the segment shown, the rest white.

Example:
    >>> mask = np.array([[True, False]])
    >>> cutout(Image.new("RGB", (2, 1), "red"), mask).getpixel((1, 0))
    (255, 0, 0, 0)
    >>> hex_color(palette_color(0)) == hex_color(palette_color(0))
    True
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
from PIL import Image, ImageOps

from engine.errors import InvalidImage, InvalidInput

RGB = tuple[int, int, int]

# The legend lists at most TOP_LABELS labels, each with at least MIN_SHARE of the image; the rest
# are one "others" row. SegFormer's 150 classes leave dozens of labels of a few stray pixels on a
# photo, which read "0.0 %" and made a legend (and a chart) thousands of pixels long.
TOP_LABELS = 8
MIN_SHARE = 0.005
OTHERS_COLOR: RGB = (191, 191, 191)  # the "others" bar: grey, a colour no single label has


class _Segment(Protocol):
    label: str
    mask: np.ndarray

    @property
    def area(self) -> int: ...


class Segments(Protocol):
    """What drawing needs of a :class:`~engine.tasks.segmentation.Segmentation` (named here, not
    imported: the task module imports this one)."""

    segments: Sequence[_Segment]
    size: tuple[int, int]
    kind: str
    model_labels: Sequence[str]

    @property
    def labels(self) -> Sequence[str]: ...

    def shares(self) -> dict[str, float]: ...


def palette_color(index: int) -> RGB:
    """A distinct, stable colour for class ``index`` (golden-ratio hues, alternating shades).

    Example:
        >>> palette_color(0) == palette_color(0) != palette_color(1)
        True
    """
    hue = (index * 0.618033988749895) % 1.0
    saturation = (0.85, 0.6)[(index // 3) % 2]
    value = (0.95, 0.75)[(index // 2) % 2]
    r, g, b = colorsys.hsv_to_rgb(hue, saturation, value)
    return round(r * 255), round(g * 255), round(b * 255)


def label_colors(seg: Segments) -> dict[str, RGB]:
    """The colour of each label found: keyed on the model's class id, so the same on every image."""
    index = {label: i for i, label in enumerate(seg.model_labels)}
    return {label: palette_color(index.get(label, len(index) + n)) for n, label in enumerate(seg.labels)}


def hex_color(rgb: RGB) -> str:
    """``(255, 0, 16)`` → ``"#ff0010"``."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def check_image(image: Image.Image, mask: np.ndarray | None = None) -> None:
    """Refuse what is not a PIL image, or a mask of another size than the image.

    Example:
        >>> check_image(Image.new("RGB", (3, 2)), np.zeros((2, 3), dtype=bool))
    """
    if not isinstance(image, Image.Image):
        raise InvalidImage(f"Expected a PIL image; got {type(image).__name__}.", code="bad_type")
    if mask is not None and mask.shape != (image.height, image.width):
        raise InvalidInput(
            f"Expected a mask of {image.height}x{image.width} pixels (the image); got {'x'.join(map(str, mask.shape))}.",
            code="bad_mask",
        )


def _boundary(mask: np.ndarray, width: int = 2) -> np.ndarray:
    """The pixels of ``mask`` within ``width`` pixels of its edge (4-neighbour erosion)."""
    inner = mask.copy()
    for _ in range(width):
        shrunk = inner.copy()
        shrunk[1:] &= inner[:-1]
        shrunk[:-1] &= inner[1:]
        shrunk[:, 1:] &= inner[:, :-1]
        shrunk[:, :-1] &= inner[:, 1:]
        inner = shrunk
    return mask & ~inner


def overlay(image: Image.Image, seg: Segments, opacity: float = 0.5) -> Image.Image:
    """Every segment painted over ``image`` in its label's colour with ``opacity`` (0..1).

    Larger segments are painted first so small ones stay visible; instances get a white outline
    so two objects of the same label remain two objects.
    """
    if not 0.0 <= opacity <= 1.0:
        raise InvalidInput(f"Opacity must be between 0 and 1; got {opacity}.", code="bad_opacity")
    check_image(image)
    if seg.size != image.size:
        raise InvalidInput(f"Expected an image of {seg.size}; got {image.size}.", code="bad_mask")
    base = np.asarray(image.convert("RGB"))
    colors = label_colors(seg)
    layer = np.zeros_like(base)
    covered = np.zeros(base.shape[:2], dtype=bool)
    for s in sorted(seg.segments, key=lambda s: -s.area):
        layer[s.mask] = colors[s.label]
        covered |= s.mask
    out = base.copy()
    blend = base[covered].astype(np.float32) * (1.0 - opacity) + layer[covered].astype(np.float32) * opacity
    out[covered] = np.clip(np.rint(blend), 0, 255).astype(np.uint8)
    if seg.kind == "instance":
        for s in seg.segments:
            out[_boundary(s.mask)] = 255
    return Image.fromarray(out, "RGB")


def mask_image(mask: np.ndarray) -> Image.Image:
    """The mask as the pipeline gives it: a grey-scale ("L") image, 255 = segment, 0 = the rest."""
    return Image.fromarray(np.where(mask, 255, 0).astype(np.uint8), "L")


def inverted_view(image: Image.Image, mask: np.ndarray) -> Image.Image:
    """The course's view: the segment as in the photo, everything else white.

    ``ImageOps.invert`` turns the mask around (255 = everything *but* the segment); pasting that
    white-where-255 image through itself paints the rest of the photo white.
    """
    check_image(image, mask)
    inverted = ImageOps.invert(mask_image(mask))
    out = image.convert("RGB")  # a copy: the caller's photo is left alone
    out.paste(inverted, (0, 0), inverted)
    return out


def cutout(image: Image.Image, mask: np.ndarray) -> Image.Image:
    """The segment alone on a transparent background (RGBA, alpha 255 inside, 0 outside)."""
    check_image(image, mask)
    out = image.convert("RGBA")
    out.putalpha(mask_image(mask))
    return out


def top_shares(
    shares: Mapping[str, float], *, limit: int = TOP_LABELS, min_share: float = MIN_SHARE
) -> tuple[dict[str, float], dict[str, float]]:
    """The labels worth a row of their own (the largest ``limit``, each at least ``min_share``) and
    the rest, both largest first; the largest label is always listed.

    Example:
        >>> top, rest = top_shares({"wall": 0.6, "sky": 0.39, "lamp": 0.008, "cup": 0.002}, limit=2)
        >>> top, rest
        ({'wall': 0.6, 'sky': 0.39}, {'lamp': 0.008, 'cup': 0.002})
        >>> top_shares({"wall": 0.999, "cup": 0.001})[1]
        {'cup': 0.001}
    """
    if limit < 1:
        raise InvalidInput(f"The legend needs at least one row; got {limit}.", code="bad_legend")
    ordered = sorted(shares.items(), key=lambda p: -p[1])
    top = {label: share for i, (label, share) in enumerate(ordered) if i < limit and (i == 0 or share >= min_share)}
    return top, {label: share for label, share in ordered if label not in top}


def shares_chart(
    seg: Segments,
    *,
    title: str = "",
    x_title: str = "share of the image",
    others: str = "others",
    limit: int = TOP_LABELS,
) -> Any:
    """A horizontal Plotly bar per label (largest on top), each bar in its legend colour: the
    labels of :func:`top_shares`, then one grey bar named ``others`` summing the rest."""
    import plotly.graph_objects as go

    colors = {label: hex_color(rgb) for label, rgb in label_colors(seg).items()}
    top, rest = top_shares(seg.shares(), limit=limit)
    pairs = list(top.items())
    if rest:
        pairs.append((others, sum(rest.values())))
        colors = {**colors, others: hex_color(OTHERS_COLOR)}
    pairs.reverse()  # Plotly draws the first bar at the bottom: legend order
    fig = go.Figure(
        go.Bar(
            x=[p[1] for p in pairs],
            y=[p[0] for p in pairs],
            orientation="h",
            text=[f"{p[1]:.1%}" for p in pairs],
            textposition="auto",
            marker_color=[colors[p[0]] for p in pairs],
        )
    )
    fig.update_layout(
        title=title or None,
        height=max(180, 80 + 30 * len(pairs)),
        margin=dict(l=10, r=10, t=40 if title else 10, b=30),
        xaxis=dict(title=x_title, tickformat=".0%", rangemode="tozero"),
        yaxis=dict(type="category", automargin=True),
    )
    return fig
