"""Depth maps as pictures: a colour map with its colour bar, a blend with the photo, a 3-D surface.

Everything here takes plain arrays (a depth map's values, or its *nearness*: 0 = farthest,
1 = nearest) and PIL images; it knows no model. Colours always mean the same thing whatever the
model says: **warm and bright = near, dark = far** (see :func:`colorize`).

Example:
    >>> near = np.array([[0.0, 1.0]])
    >>> colorize(near, "gray").getpixel((1, 0))
    (255, 255, 255)
    >>> colorize(near, "inferno").size
    (2, 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from engine.errors import InvalidImage, InvalidInput

# Colour maps as anchor colours, evenly spaced from 0 (far) to 1 (near), interpolated linearly.
# inferno and viridis: matplotlib's perceptually uniform maps, sampled at 9 points (no matplotlib
# at run time: it is not a requirement of the app).
CMAPS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "inferno": (
        (0, 0, 4),
        (31, 12, 72),
        (85, 15, 109),
        (136, 34, 106),
        (186, 54, 85),
        (227, 89, 51),
        (249, 140, 10),
        (249, 201, 50),
        (252, 255, 164),
    ),
    "viridis": (
        (68, 1, 84),
        (71, 45, 123),
        (59, 82, 139),
        (44, 114, 142),
        (33, 145, 140),
        (40, 174, 128),
        (94, 201, 98),
        (173, 220, 48),
        (253, 231, 37),
    ),
    "gray": ((0, 0, 0), (255, 255, 255)),
}
MAX_3D_SIDE = 96  # the 3-D view's grid: at most 96×96 vertices (~18k triangles), fast in any browser


def _lut(cmap: str) -> np.ndarray:
    """A (256, 3) uint8 table of ``cmap``."""
    if cmap not in CMAPS:
        raise InvalidInput(f"Unknown colour map {cmap!r}; expected one of {', '.join(CMAPS)}.", code="depth_bad_cmap")
    anchors = np.asarray(CMAPS[cmap], dtype=np.float64)
    where = np.linspace(0.0, 1.0, len(anchors))
    steps = np.linspace(0.0, 1.0, 256)
    table = np.stack([np.interp(steps, where, anchors[:, c]) for c in range(3)], axis=1)
    return np.clip(np.rint(table), 0, 255).astype(np.uint8)


def _check_nearness(nearness: np.ndarray) -> np.ndarray:
    near = np.asarray(nearness, dtype=np.float32)
    if near.ndim != 2 or near.size == 0:
        raise InvalidInput(f"Expected a 2-D depth map; got shape {near.shape}.", code="bad_depth")
    return np.clip(np.nan_to_num(near, nan=0.0), 0.0, 1.0)


def colorize(nearness: np.ndarray, cmap: str = "inferno") -> Image.Image:
    """``nearness`` (0 = far .. 1 = near, shape (height, width)) painted with ``cmap`` (RGB)."""
    near = _check_nearness(nearness)
    index = np.rint(near * 255).astype(np.uint8)
    return Image.fromarray(_lut(cmap)[index], "RGB")


def _font(size: int) -> Any:
    try:
        return ImageFont.load_default(size=size)  # a scalable font where Pillow has FreeType
    except (TypeError, OSError):
        return ImageFont.load_default()


def with_colorbar(
    picture: Image.Image,
    ticks: Sequence[tuple[float, str]],
    *,
    cmap: str = "inferno",
    title: str = "",
) -> Image.Image:
    """``picture`` (a colour map) with a vertical colour bar on its right.

    ``ticks``: ``(nearness, text)`` pairs (nearness 0 = the bar's bottom, 1 = its top), e.g. the
    depth in metres or "cerca"/"lejos". ``title`` is written above the bar.

    Example:
        >>> bar = with_colorbar(Image.new("RGB", (200, 100)), [(0.0, "far"), (1.0, "near")])
        >>> bar.width > 200, bar.height
        (True, 100)
    """
    if not isinstance(picture, Image.Image):
        raise InvalidImage(f"Expected a PIL image; got {type(picture).__name__}.", code="bad_type")
    width, height = picture.size
    size = max(11, round(height / 12))  # readable when the picture is shown a third of its size
    font = _font(size)
    bar_w = max(12, width // 24)
    labels = [text for _, text in ticks] + [title]
    text_w = max((int(font.getlength(s)) for s in labels if s), default=0)
    margin = max(8, size // 2)
    top = margin + (size + size // 2 if title else 0)  # the title, then room for the top label
    bottom = height - margin
    canvas = Image.new("RGB", (width + margin * 3 + bar_w + text_w + 6, height), (255, 255, 255))
    canvas.paste(picture.convert("RGB"), (0, 0))
    span = max(1, bottom - top)
    gradient = np.linspace(1.0, 0.0, span, dtype=np.float32)[:, None].repeat(bar_w, axis=1)  # near on top
    x0 = width + margin
    canvas.paste(colorize(gradient, cmap), (x0, top))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((x0 - 1, top - 1, x0 + bar_w, top + span), outline=(60, 60, 60))
    if title:
        draw.text((x0, margin // 2), title, fill=(20, 20, 20), font=font)
    for near, text in ticks:
        y = top + round((1.0 - min(1.0, max(0.0, near))) * (span - 1))
        draw.line((x0 + bar_w, y, x0 + bar_w + 4, y), fill=(60, 60, 60))
        ty = min(max(y - size // 2, 0), height - size - 2)
        draw.text((x0 + bar_w + 6, ty), text, fill=(20, 20, 20), font=font)
    return canvas


def blend(photo: Image.Image, colored: Image.Image, amount: float) -> Image.Image:
    """The photo and its colour map mixed: 0 = only the photo, 1 = only the map.

    Example:
        >>> blend(Image.new("RGB", (2, 2), (0, 0, 0)), Image.new("RGB", (2, 2), (200, 100, 0)), 0.5).getpixel((0, 0))
        (100, 50, 0)
    """
    if not 0.0 <= amount <= 1.0:
        raise InvalidInput(f"The blend must be between 0 and 1; got {amount}.", code="bad_opacity")
    for image in (photo, colored):
        if not isinstance(image, Image.Image):
            raise InvalidImage(f"Expected a PIL image; got {type(image).__name__}.", code="bad_type")
    base = photo.convert("RGB")
    layer = colored.convert("RGB")
    if layer.size != base.size:  # a map computed on a shrunk copy of the photo
        layer = layer.resize(base.size, Image.Resampling.BILINEAR)
    return Image.blend(base, layer, float(amount))


def grid_size(size: tuple[int, int], max_side: int = MAX_3D_SIDE) -> tuple[int, int]:
    """The (width, height) of the 3-D view's grid for a map of ``size`` (width, height).

    Example:
        >>> grid_size((640, 480))
        (96, 72)
    """
    width, height = size
    scale = min(1.0, max_side / max(height, width))
    return max(2, round(width * scale)), max(2, round(height * scale))


def _grid(image: Image.Image, depth: np.ndarray, max_side: int) -> tuple[np.ndarray, np.ndarray]:
    """The photo's colours and ``depth`` on a grid of at most ``max_side`` per side."""
    gw, gh = grid_size((depth.shape[1], depth.shape[0]), max_side)
    colors = np.asarray(image.convert("RGB").resize((gw, gh), Image.Resampling.BILINEAR))
    small = Image.fromarray(depth.astype(np.float32)).resize((gw, gh), Image.Resampling.BILINEAR)  # mode "F"
    return colors, np.asarray(small, dtype=np.float32)


def surface_figure(
    image: Image.Image,
    distance: np.ndarray,
    *,
    max_side: int = MAX_3D_SIDE,
    z_title: str = "",
    relief: float = 0.35,
) -> Any:
    """The photo as a 3-D surface (Plotly ``Mesh3d``, each vertex in the photo's colour), pushed back
    by ``distance`` (larger = farther; any unit), downsampled to ``max_side`` vertices a side.

    ``relief``: the depth axis' length relative to the photo's width (a flat photo looks flat).

    Example:
        >>> fig = surface_figure(Image.new("RGB", (40, 30)), np.ones((30, 40)), max_side=8)
        >>> len(fig.data[0].x)
        48
    """
    import plotly.graph_objects as go

    dist = np.asarray(distance, dtype=np.float32)
    if dist.ndim != 2 or dist.size == 0:
        raise InvalidInput(f"Expected a 2-D depth map; got shape {dist.shape}.", code="bad_depth")
    if not isinstance(image, Image.Image):
        raise InvalidImage(f"Expected a PIL image; got {type(image).__name__}.", code="bad_type")
    colors, grid = _grid(image, np.nan_to_num(dist), max_side)
    gh, gw = grid.shape
    ys, xs = np.mgrid[0:gh, 0:gw]
    vertex_colors = [f"rgb({r},{g},{b})" for r, g, b in colors.reshape(-1, 3)]
    idx = np.arange(gh * gw).reshape(gh, gw)
    a, b, c, d = idx[:-1, :-1].ravel(), idx[:-1, 1:].ravel(), idx[1:, :-1].ravel(), idx[1:, 1:].ravel()
    i = np.concatenate([a, b])
    j = np.concatenate([b, d])
    k = np.concatenate([c, c])
    mesh = go.Mesh3d(
        x=xs.ravel(),
        y=grid.ravel(),
        z=(gh - 1 - ys).ravel(),  # the photo's top row up
        i=i,
        j=j,
        k=k,
        vertexcolor=vertex_colors,
        flatshading=False,
        hoverinfo="skip",
        # Arrays built here, of known shapes and "rgb(r,g,b)" strings: Plotly's validation of ~7,000
        # colour strings took 90-250 ms of every rerun of /depth, for nothing.
        _validate=False,
    )
    fig = go.Figure(mesh)
    fig.update_layout(
        height=460,
        margin=dict(l=0, r=0, t=10, b=0),
        scene=dict(
            aspectmode="manual",
            aspectratio=dict(x=1.0, y=relief, z=gh / gw),
            xaxis=dict(visible=False),
            yaxis=dict(visible=False, title=z_title),
            zaxis=dict(visible=False),
            # From the front, a little to the right and above: the relief shows without hiding the photo.
            camera=dict(eye=dict(x=0.45, y=-1.05, z=0.35), up=dict(x=0, y=0, z=1)),
        ),
    )
    return fig
