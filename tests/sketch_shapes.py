"""Synthesised hand drawings of simple Quick Draw classes, for measuring the sketch pipeline.

Each shape is a list of strokes in a unit box (x right, y down). :func:`place` puts a drawing
on a canvas at a position and size, with a seeded hand tremor, as a mouse would draw it.

Example:
    >>> strokes = place(SHAPES["square"], x=40, y=300, size=80, seed=1)
    >>> len(strokes), strokes[0].shape[1]
    (1, 2)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np

Strokes = list[np.ndarray]


def _arc(cx: float, cy: float, r: float, a0: float, a1: float, n: int = 48, ry: float | None = None) -> np.ndarray:
    """Points on an ellipse arc from angle ``a0`` to ``a1`` (degrees, 0 = right, 90 = down)."""
    t = np.radians(np.linspace(a0, a1, n))
    return np.stack([cx + r * np.cos(t), cy + (ry if ry is not None else r) * np.sin(t)], axis=1)


def _poly(*pts: tuple[float, float]) -> np.ndarray:
    return np.asarray(pts, dtype=np.float64)


def circle() -> Strokes:
    # People start at the top and overshoot a little when closing the loop.
    return [_arc(0.5, 0.5, 0.5, -90, 280)]


def square() -> Strokes:
    return [_poly((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))]


def triangle() -> Strokes:
    return [_poly((0.5, 0), (1, 0.9), (0, 0.9), (0.5, 0))]


def star() -> Strokes:
    outer = [
        (0.5 + 0.5 * math.cos(math.radians(-90 + 72 * i)), 0.5 + 0.5 * math.sin(math.radians(-90 + 72 * i)))
        for i in range(5)
    ]
    order = [0, 2, 4, 1, 3, 0]  # the one-stroke pentagram
    return [_poly(*(outer[i] for i in order))]


def sun() -> Strokes:
    strokes = [_arc(0.5, 0.5, 0.22, 0, 365)]
    for i in range(8):
        a = math.radians(45 * i)
        strokes.append(
            _poly(
                (0.5 + 0.32 * math.cos(a), 0.5 + 0.32 * math.sin(a)), (0.5 + 0.5 * math.cos(a), 0.5 + 0.5 * math.sin(a))
            )
        )
    return strokes


def envelope() -> Strokes:
    return [_poly((0, 0), (1, 0), (1, 0.65), (0, 0.65), (0, 0)), _poly((0, 0), (0.5, 0.38), (1, 0))]


def clock() -> Strokes:
    return [_arc(0.5, 0.5, 0.5, -90, 275), _poly((0.5, 0.18), (0.5, 0.5), (0.75, 0.5))]


def ladder() -> Strokes:
    strokes = [_poly((0.2, 0), (0.2, 1)), _poly((0.8, 0), (0.8, 1))]
    strokes += [_poly((0.2, y), (0.8, y)) for y in (0.15, 0.35, 0.55, 0.75, 0.92)]
    return strokes


def line() -> Strokes:
    return [_poly((0, 0.5), (1, 0.5))]


def smiley_face() -> Strokes:
    return [
        _arc(0.5, 0.5, 0.5, -90, 275),
        _arc(0.33, 0.35, 0.05, 0, 360, 16),
        _arc(0.67, 0.35, 0.05, 0, 360, 16),
        _arc(0.5, 0.5, 0.28, 20, 160, 24),
    ]


def moon() -> Strokes:
    return [np.concatenate([_arc(0.5, 0.5, 0.5, 60, 300), _arc(0.78, 0.5, 0.42, 230, 130, 40)])]


def donut() -> Strokes:
    return [_arc(0.5, 0.5, 0.5, 0, 365), _arc(0.5, 0.5, 0.2, 0, 365, 32)]


def eyeglasses() -> Strokes:
    return [_arc(0.22, 0.5, 0.22, 0, 365, 32), _arc(0.78, 0.5, 0.22, 0, 365, 32), _arc(0.5, 0.5, 0.08, 200, 340, 10)]


def mountain() -> Strokes:
    return [_poly((0, 1), (0.35, 0.2), (0.55, 0.6), (0.75, 0.35), (1, 1))]


def lightning() -> Strokes:
    return [_poly((0.55, 0), (0.2, 0.55), (0.55, 0.5), (0.3, 1), (0.85, 0.35), (0.5, 0.42), (0.75, 0))]


def wheel() -> Strokes:
    strokes = [_arc(0.5, 0.5, 0.5, 0, 365)]
    strokes += [
        _poly((0.5 + 0.5 * math.cos(a), 0.5 + 0.5 * math.sin(a)), (0.5 - 0.5 * math.cos(a), 0.5 - 0.5 * math.sin(a)))
        for a in (0, math.pi / 3, 2 * math.pi / 3)
    ]
    return strokes


def lollipop() -> Strokes:
    return [_arc(0.5, 0.25, 0.25, 0, 365, 32), _poly((0.5, 0.5), (0.5, 1))]


def stop_sign() -> Strokes:
    # An octagon on a post: without the post (or the word STOP) it is just a circle.
    pts = [
        (0.5 + 0.3 * math.cos(math.radians(22.5 + 45 * i)), 0.3 + 0.3 * math.sin(math.radians(22.5 + 45 * i)))
        for i in range(9)
    ]
    return [_poly(*pts), _poly((0.5, 0.6), (0.5, 1))]


def rainbow() -> Strokes:
    return [_arc(0.5, 1.0, r, 180, 360, 40) for r in (0.5, 0.38, 0.26)]


def tent() -> Strokes:
    return [_poly((0, 1), (0.5, 0.1), (1, 1), (0, 1)), _poly((0.4, 1), (0.5, 0.6), (0.6, 1))]


def ice_cream() -> Strokes:
    return [_arc(0.5, 0.3, 0.3, 180, 360, 32), _poly((0.2, 0.3), (0.5, 1), (0.8, 0.3), (0.2, 0.3))]


SHAPES: dict[str, Callable[[], Strokes]] = {
    "circle": circle,
    "square": square,
    "triangle": triangle,
    "star": star,
    "sun": sun,
    "envelope": envelope,
    "clock": clock,
    "ladder": ladder,
    "line": line,
    "smiley_face": smiley_face,
    "moon": moon,
    "donut": donut,
    "eyeglasses": eyeglasses,
    "mountain": mountain,
    "lightning": lightning,
    "wheel": wheel,
    "lollipop": lollipop,
    "stop_sign": stop_sign,
    "rainbow": rainbow,
    "tent": tent,
    "ice_cream": ice_cream,
}


def _densify(stroke: np.ndarray, step: float) -> np.ndarray:
    """Points every ``step`` units along a polyline (a mouse reports many small moves)."""
    out = [stroke[0]]
    for a, b in itertools.pairwise(stroke):
        n = max(1, int(np.linalg.norm(b - a) / step))
        out += [a + (b - a) * (i / n) for i in range(1, n + 1)]
    return np.asarray(out)


def place(
    shape: Callable[[], Strokes] | Strokes, *, x: float, y: float, size: float, seed: int = 0, wobble: float = 0.03
) -> Strokes:
    """``shape`` drawn inside the box at (x, y) of ``size`` px (its longer side fills it), by a slightly unsteady hand.

    The hand: the whole drawing a little rotated and stretched (a few degrees, a few per cent),
    and each stroke bent by a slow wobble of about ``wobble`` of the size (noise smoothed over a
    third of the box, so the line drifts rather than shakes).
    """
    rng = np.random.default_rng(seed)
    strokes = shape() if callable(shape) else shape
    angle = math.radians(rng.uniform(-6, 6))
    stretch = np.diag(rng.uniform(0.92, 1.08, size=2))
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    affine = rot @ stretch
    kernel = np.hanning(33)
    kernel /= kernel.sum()
    out: Strokes = []
    for stroke in strokes:
        dense = _densify(np.asarray(stroke, dtype=np.float64), 0.01)
        pad = len(kernel)
        noise = rng.normal(0, 1, size=(len(dense) + 2 * pad, 2))
        smooth = np.stack([np.convolve(noise[:, i], kernel, mode="same") for i in range(2)], axis=1)[pad:-pad]
        smooth *= wobble / max(1e-9, float(smooth.std()) if len(smooth) > 1 else 1.0)
        out.append((dense - 0.5) @ affine.T + 0.5 + smooth)
    # Fit the result back into the requested box, so a drawing never leaves the canvas.
    allp = np.concatenate(out)
    lo, extent = allp.min(axis=0), float((allp.max(axis=0) - allp.min(axis=0)).max())
    return [(s - lo) * (size / extent) + np.array([x, y]) for s in out]


def fabric_json(strokes: Strokes, stroke_width: float = 10) -> dict:
    """A ``streamlit-drawable-canvas`` ``json_data`` with one free-drawing path per stroke.

    Like Fabric.js 7 freedraw: ``M``/``Q``/``L`` commands in canvas pixels, the object's origin at
    its centre, ``left``/``top`` at the centre of the path's bounding box.
    """
    objects = []
    for s in strokes:
        s = np.asarray(s, dtype=float)
        cmds: list[list] = [["M", *map(float, s[0])]]
        for a, b in itertools.pairwise(s):
            mid = (a + b) / 2
            cmds.append(["Q", float(a[0]), float(a[1]), float(mid[0]), float(mid[1])])
        cmds.append(["L", *map(float, s[-1])])
        lo, hi = s.min(axis=0), s.max(axis=0)
        objects.append(
            {
                "type": "Path",
                "version": "7.0.0",
                "originX": "center",
                "originY": "center",
                "left": float((lo[0] + hi[0]) / 2),
                "top": float((lo[1] + hi[1]) / 2),
                "width": float(hi[0] - lo[0]),
                "height": float(hi[1] - lo[1]),
                "fill": None,
                "stroke": "#000000",
                "strokeWidth": stroke_width,
                "strokeLineCap": "round",
                "strokeLineJoin": "round",
                "scaleX": 1,
                "scaleY": 1,
                "angle": 0,
                "path": cmds,
            }
        )
    return {"version": "7.0.0", "objects": objects, "background": "#ffffff"}


def render_canvas(
    strokes: Strokes, width: int = 400, height: int = 400, stroke_width: float = 10, background: str = ""
) -> np.ndarray:
    """The RGBA pixels the canvas returns: black, round, anti-aliased strokes on a transparent
    background (or on ``background``, a colour, as when the canvas has one)."""
    from PIL import Image, ImageDraw

    ss = 4  # drawn 4x larger and averaged down: anti-aliased like a browser canvas
    mask = Image.new("L", (width * ss, height * ss), 0)
    draw = ImageDraw.Draw(mask)
    r = stroke_width * ss / 2
    for s in strokes:
        pts = [(float(a) * ss, float(b) * ss) for a, b in s]
        if len(pts) > 1:
            draw.line(pts, fill=255, width=max(1, round(stroke_width * ss)), joint="curve")
        for a, b in pts:
            draw.ellipse((a - r, b - r, a + r, b + r), fill=255)
    alpha = mask.resize((width, height), Image.Resampling.BOX)
    ink = Image.new("RGBA", (width, height), (0, 0, 0, 255))
    ink.putalpha(alpha)
    if not background:
        return np.asarray(ink)
    out = Image.new("RGBA", (width, height), background)
    out.alpha_composite(ink)
    return np.asarray(out)
