"""Rasterising strokes like Quick Draw: the drawing cropped to its bounding box, its longer side
scaled to fill a 256-unit square, centred, drawn white on black with Quick Draw's line width and
margin, then shrunk to the model's 28×28 input (:func:`rasterize`); the input checked
(:func:`check_input`) and shown as a picture (:func:`to_image`).

Example:
    >>> strokes = [np.array([[10.0, 10.0], [110.0, 10.0], [110.0, 110.0], [10.0, 110.0], [10.0, 10.0]])]
    >>> x = rasterize(strokes)
    >>> x.shape, x.dtype, float(x[0, 0]), round(float(x.max()), 2)
    ((28, 28), dtype('float32'), 0.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from engine.errors import InvalidInput

SIDE = 28  # the model's input is SIDE×SIDE, one channel, values in [0, 1]

# Quick Draw's vector → raster conversion (the one published with the dataset, in 256-unit
# drawing space): the drawing's longer side is scaled to 255 and centred in a 256 square, the
# line is 16 units wide (round caps and joins), and 16 units of padding go around it, plus half a
# line so strokes on the border are not cut.
QD_BOX = 256.0
QD_LINE = 16.0
QD_PADDING = 16.0
QD_EPSILON = 2.0
SUPERSAMPLE = 8  # draw 8× larger, then average 8×8 blocks: the anti-aliasing Quick Draw had

Stroke = np.ndarray  # (N, 2) float array of (x, y) canvas pixels, y down


def rasterize(strokes: Sequence[Stroke], side: int = SIDE) -> np.ndarray:
    """A Quick Draw-style ``side``×``side`` float32 bitmap of ``strokes`` (white on black, 0..1).

    Only the shape matters: the same drawing anywhere on the canvas, at any size and with any
    brush width gives the same bitmap, because the drawing is cropped to its bounding box, its
    longer side scaled to fill the box and the line redrawn at Quick Draw's width.

    Example:
        >>> x = rasterize([np.array([[0.0, 50.0], [100.0, 50.0]])])  # a horizontal line
        >>> np.flatnonzero(x.max(axis=1)).tolist(), bool((x[13:15].max(axis=0)[2:26] > 0.6).all())  # centred
        ([13, 14], True)
    """
    points = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
    points = [p for p in points if len(p)]
    if not points:
        raise InvalidInput("Expected a drawing with at least one stroke; got an empty one.", code="empty_drawing")
    allp = np.concatenate(points)
    if not np.isfinite(allp).all():
        raise InvalidInput("Expected finite stroke coordinates; got NaN or infinity.", code="bad_strokes")
    lo = allp.min(axis=0)
    extent = allp.max(axis=0) - lo
    longest = float(extent.max())
    # Quick Draw: shift to the origin, scale the longer side to 255, centre in the 256 box.
    scale = (QD_BOX - 1) / longest if longest > 0 else 1.0
    centre_shift = (QD_BOX - extent * scale) / 2
    # ... then the 256 box plus padding and half a line on each side maps onto the output.
    total_pad = 2 * QD_PADDING + QD_LINE
    big = side * SUPERSAMPLE
    to_px = big / (QD_BOX + total_pad)
    img = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(img)
    width = QD_LINE * to_px
    for p in points:
        # Quick Draw simplified every stroke (Ramer-Douglas-Peucker, 2 units of 255) before drawing.
        q = simplify((p - lo) * scale, QD_EPSILON)
        polyline(draw, (q + centre_shift + total_pad / 2) * to_px, width)
    return _shrink(img, side)


def simplify(points: np.ndarray, epsilon: float) -> np.ndarray:
    """Ramer-Douglas-Peucker: the fewest points that stay within ``epsilon`` of the polyline.

    Example:
        >>> simplify(np.array([[0.0, 0.0], [1.0, 0.1], [2.0, 0.0]]), 0.5).tolist()
        [[0.0, 0.0], [2.0, 0.0]]
    """
    pts = np.asarray(points, dtype=np.float64)
    if len(pts) < 3:
        return pts
    keep = np.zeros(len(pts), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:  # iterative: a long stroke would overflow recursion
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = pts[first], pts[last]
        seg = b - a
        rel = pts[first + 1 : last] - a
        # Distance to the segment, not to its infinite line: a closed loop (start = end) keeps its far side.
        t = np.clip(rel @ seg / max(float(seg @ seg), 1e-12), 0.0, 1.0)
        gap = rel - t[:, None] * seg
        dist = np.hypot(gap[:, 0], gap[:, 1])
        i = int(np.argmax(dist))
        if dist[i] > epsilon:
            mid = first + 1 + i
            keep[mid] = True
            stack += [(first, mid), (mid, last)]
    return pts[keep]


def polyline(draw: ImageDraw.ImageDraw, q: np.ndarray, width: float) -> None:
    """A round-capped, round-joined line through ``q`` (PIL's joints alone leave notches)."""
    r = width / 2
    xy = [(float(x), float(y)) for x, y in q]
    if len(xy) > 1:
        draw.line(xy, fill=255, width=max(1, round(width)), joint="curve")
    for x, y in xy if len(xy) <= 2 else [xy[0], xy[-1]]:
        draw.ellipse((x - r, y - r, x + r, y + r), fill=255)


def _shrink(img: Image.Image, side: int) -> np.ndarray:
    small = img.reduce(img.width // side) if img.width != side else img
    return np.asarray(small, dtype=np.float32) / 255.0


def check_input(x: Any) -> np.ndarray:
    """``x`` as the model's input: a contiguous float32 SIDE×SIDE array in [0, 1] (rounding clipped).

    Example:
        >>> check_input(np.ones((28, 28)) * (1 + 1e-4)).max()
        np.float32(1.0)
    """
    arr = np.asarray(x, dtype=np.float32)
    if arr.shape != (SIDE, SIDE):
        raise InvalidInput(
            f"Expected a {SIDE}x{SIDE} array; got shape {arr.shape}.", code="bad_sketch_input", got=str(arr.shape)
        )
    lo, hi = arr.min(), arr.max()
    # NaN makes min/max NaN and fails the test as well: no separate isfinite pass.
    if not -1e-3 <= lo <= hi <= 1 + 1e-3:
        raise InvalidInput(
            f"Expected values between 0 and 1; got {float(np.nanmin(arr)):.3g} to {float(np.nanmax(arr)):.3g}.",
            code="bad_sketch_input",
            got="out of range",
        )
    if lo < 0.0 or hi > 1.0:  # within the tolerance above: clip the rounding away
        arr = np.clip(arr, 0.0, 1.0)
    return np.ascontiguousarray(arr)


def to_image(x28: np.ndarray, scale: int = 8) -> Image.Image:
    """The model input as a picture, ``scale`` times larger with square pixels (what the model sees).

    Example:
        >>> to_image(np.zeros((28, 28), dtype=np.float32), 4).size
        (112, 112)
    """
    arr = (check_input(x28) * 255).round().astype(np.uint8)  # checked and clipped to [0, 1]
    return Image.fromarray(arr, mode="L").resize((SIDE * scale, SIDE * scale), Image.Resampling.NEAREST)


def input_image(x28: np.ndarray, scale: int = 8) -> Image.Image:
    """The model's input as a deliverable keeps it: black on white (as drawn), ``scale`` times larger.

    Its script (:func:`~engine.tasks.sketch.snippet.code_snippet` with ``model_input=True``) shrinks
    it back block by block to exactly ``x28`` (its values are whole 255ths), so it prints the page's
    numbers; a drawing's PNG would be rasterised again by the snippet: close, not the same pixels.

    Example:
        >>> x = np.zeros((28, 28), dtype=np.float32)
        >>> img = input_image(x)
        >>> img.size, img.getpixel((0, 0))
        ((224, 224), 255)
    """
    return ImageOps.invert(to_image(x28, scale))
