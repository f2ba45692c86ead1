"""Drawing on photos: detections (:func:`annotate`: boxes and "label score" tags, one colour per
class name across all models) and a caption band (:func:`caption_image`, CLIP's guess on its photo).

Separate from the models on purpose: DETR, YOLOS and YOLO results look the same, and nothing here
calls Ultralytics' ``plot()`` (it may download a font). The font is Pillow's built-in one
(``ImageFont.load_default(size=...)``), so nothing is downloaded either.

Example:
    >>> from engine.tasks.detection import Detections
    >>> img = Image.new("RGB", (64, 64), "white")
    >>> d = Detections([[8, 20, 40, 50]], [0.9], [0], ["person"])
    >>> annotate(img, d).getpixel((8, 35)) == color_for("person")
    True
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PIL import Image, ImageDraw, ImageFont

from engine.tasks.detection import COCO_NAMES, Detections

if TYPE_CHECKING:
    import plotly.graph_objects as go

RGB = tuple[int, int, int]

# Kelly's colours of maximum contrast (1965; public domain), without white and black: distinct
# hues for neighbouring class ids, bright enough to stand out on photos.
PALETTE: tuple[RGB, ...] = (
    (255, 179, 0),
    (128, 62, 117),
    (255, 104, 0),
    (166, 189, 215),
    (193, 0, 32),
    (206, 162, 98),
    (129, 112, 102),
    (0, 125, 52),
    (246, 118, 142),
    (0, 83, 138),
    (255, 122, 92),
    (83, 55, 122),
    (255, 142, 0),
    (179, 40, 81),
    (244, 200, 0),
    (127, 24, 13),
    (147, 170, 0),
    (89, 51, 21),
    (241, 58, 19),
    (35, 44, 22),
)
BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)
_COCO_INDEX = {name: i for i, name in enumerate(COCO_NAMES)}


def color_for(class_name: str) -> RGB:
    """The colour of a class: by its COCO index when it has one, else by a hash of the name.

    Keyed by *name*, so "person" has the same colour whichever model found it.

    Example:
        >>> color_for("person") == PALETTE[0]
        True
    """
    index = _COCO_INDEX.get(class_name)
    if index is None:
        index = int.from_bytes(hashlib.blake2b(class_name.encode(), digest_size=4).digest(), "big")
    return PALETTE[index % len(PALETTE)]


def _luminance(color: RGB) -> float:
    """WCAG relative luminance (0 black .. 1 white)."""

    def channel(c: int) -> float:
        v = c / 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio between two colours (1 .. 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_color(background: RGB) -> RGB:
    """Black or white, whichever reads better on ``background``.

    Example:
        >>> text_color((255, 255, 0)), text_color((0, 0, 128))
        ((0, 0, 0), (255, 255, 255))
    """
    return BLACK if contrast_ratio(background, BLACK) >= contrast_ratio(background, WHITE) else WHITE


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font at ``size`` pixels (no file, no download)."""
    return ImageFont.load_default(size=size)


# Pages show photos shrunk to a column (a 640 px photo is often drawn 250-400 px wide), so lines
# and labels are sized on the longer side, large enough to survive that.


def line_width_for(size: tuple[int, int]) -> int:
    """Box line width: 0.5 % of the longer side, at least 2 px (3 px at 640x480)."""
    return max(2, round(0.005 * max(size)))


def font_size_for(size: tuple[int, int]) -> int:
    """Label text height: 3 % of the longer side, at least 12 px (19 px at 640x480)."""
    return max(12, round(0.03 * max(size)))


def label_text(class_name: str, confidence: float) -> str:
    """ "person 0.91" """
    return f"{class_name} {confidence:.2f}"


def annotate(
    image: Image.Image,
    detections: Detections,
    *,
    line_width: int | None = None,
    font_size: int | None = None,
    colors: Mapping[str, RGB] | None = None,
    show_scores: bool = True,
    display: Callable[[str], str] | None = None,
) -> Image.Image:
    """A copy of ``image`` with each box outlined in its class colour and a "label score" tag.

    ``display`` turns a class name into the text written (the page passes its language's name,
    e.g. "persona (person)"); colours stay those of the model's own names.

    The tag is a solid rectangle in the class colour with black or white text (whichever
    contrasts more), so it reads on any photo. It sits above the box, or just inside it when the
    box touches the top edge, and never leaves the image. Lower-confidence boxes are drawn first,
    so the best ones end up on top. ``show_scores=False`` writes the label alone (ground truth).
    """
    out = image.convert("RGB") if image.mode != "RGB" else image.copy()
    if not len(detections):
        return out
    width, height = out.size
    lw = line_width or line_width_for(out.size)
    fnt = font(font_size or font_size_for(out.size))
    draw = ImageDraw.Draw(out)
    pad = max(1, lw // 2 + 1)
    order = sorted(range(len(detections)), key=lambda i: float(detections.confidence[i]))
    for i in order:
        name = detections.class_name[i]
        color = (colors or {}).get(name) or color_for(name)
        x1, y1, x2, y2 = (float(v) for v in detections.xyxy[i])
        # Clamp to the image: a box may spill over the border by a pixel or two.
        x1, x2 = max(0.0, min(x1, width - 1)), max(0.0, min(x2, width - 1))
        y1, y2 = max(0.0, min(y1, height - 1)), max(0.0, min(y2, height - 1))
        draw.rectangle((round(x1), round(y1), round(x2), round(y2)), outline=color, width=lw)
        shown = display(name) if display else name
        text = label_text(shown, float(detections.confidence[i])) if show_scores else shown
        left, top, right, bottom = draw.textbbox((0, 0), text, font=fnt)
        tag_w, tag_h = right - left + 2 * pad, bottom - top + 2 * pad
        tx = min(max(0, round(x1)), max(0, width - tag_w))
        ty = round(y1) - tag_h
        if ty < 0:  # no room above: put the tag inside the box, under its top edge
            ty = min(round(y1), max(0, height - tag_h))
        draw.rectangle((tx, ty, tx + tag_w - 1, ty + tag_h - 1), fill=color)
        draw.text((tx + pad - left, ty + pad - top), text, fill=text_color(color), font=fnt)
    return out


def _fit(draw: ImageDraw.ImageDraw, text: str, fnt: Any, width: float) -> str:
    """``text``, cut with an ellipsis where it would be wider than ``width`` pixels."""
    if draw.textlength(text, font=fnt) <= width:
        return text
    while text and draw.textlength(text + "…", font=fnt) > width:
        text = text[:-1]
    return text + "…"


def caption_image(image: Image.Image, title: str, *, text_frac: float = 1 / 18) -> Image.Image:
    """A copy of ``image`` with ``title`` written in a dark band across its top.

    ``text_frac`` is the text height as a fraction of the width (larger for small thumbnails).

    Example:
        >>> caption_image(Image.new("RGB", (200, 100)), "cat · 87%").size
        (200, 100)
    """
    out = image.convert("RGB").copy()
    w, h = out.size
    size = max(12, min(48, int(w * text_frac)))
    fnt = font(size)
    band = int(size * 1.6)
    layer = Image.new("RGBA", out.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rectangle([0, 0, w, min(band, h)], fill=(0, 0, 0, 170))
    text = _fit(draw, " ".join(title.split()), fnt, w - size)
    draw.text((size // 2, (band - size) // 2), text, font=fnt, fill=(255, 255, 255, 255))
    return Image.alpha_composite(out.convert("RGBA"), layer).convert("RGB")


def counts_figure(counts: Mapping[str, int], *, title: str = "", x_title: str = "") -> go.Figure:
    """A Plotly bar chart of objects per class, each bar in its class's box colour.

    Example:
        >>> fig = counts_figure({"person": 3, "dog": 1})
        >>> list(fig.data[0].y)
        ['dog', 'person']
    """
    import plotly.graph_objects as go

    pairs = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]))  # Plotly draws the first bar at the bottom
    names = [p[0] for p in pairs]
    values = [p[1] for p in pairs]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=names,
            orientation="h",
            text=values,
            textposition="auto",
            marker_color=["rgb({},{},{})".format(*color_for(n)) for n in names],
        )
    )
    fig.update_layout(
        title=title or None,
        height=max(160, 70 + 30 * len(names)),
        margin=dict(l=10, r=10, t=40 if title else 10, b=30),
        xaxis=dict(title=x_title or None, rangemode="tozero", dtick=1 if max(values, default=0) <= 10 else None),
        yaxis=dict(type="category", automargin=True),
    )
    return fig
