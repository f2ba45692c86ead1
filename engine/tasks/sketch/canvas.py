"""Strokes from a ``streamlit-drawable-canvas`` drawing: its Fabric.js JSON (paths of quadratic
Bézier commands, each with its own position, scale and rotation) as point arrays in canvas pixels.

Example:
    >>> is_empty(strokes_from_canvas({"objects": []}))
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from engine.tasks.sketch.raster import Stroke

_ORIGIN = {"left": 0.0, "top": 0.0, "center": 0.5, "right": 1.0, "bottom": 1.0}


def strokes_from_canvas(json_data: Mapping[str, Any] | None) -> list[Stroke]:
    """The strokes of a ``streamlit-drawable-canvas`` drawing, in canvas pixels.

    Reads the Fabric.js ``path`` objects that free drawing makes (``M``/``L``/``Q``/``C``/``Z``
    commands; curves are sampled) and applies each object's own move/scale/rotation, so a stroke
    moved with the toolbar's edit tool lands where it is shown. Other shapes are skipped.

    Example:
        >>> obj = {"type": "Path", "path": [["M", 0, 0], ["L", 10, 0]], "left": 5, "top": 0,
        ...        "width": 10, "height": 0, "strokeWidth": 0}
        >>> strokes_from_canvas({"objects": [obj]})[0].tolist()
        [[0.0, 0.0], [10.0, 0.0]]
    """
    if not json_data:
        return []
    strokes: list[Stroke] = []
    for obj in json_data.get("objects") or []:
        if not isinstance(obj, Mapping) or str(obj.get("type", "")).lower() != "path":
            continue
        points = _path_points(obj.get("path") or [])
        if len(points) == 0:
            continue
        strokes.append(_to_canvas(obj, points))
    return strokes


def _path_points(commands: Iterable[Any]) -> np.ndarray:
    """Points along Fabric path commands (absolute coordinates), curves sampled finely."""
    pts: list[tuple[float, float]] = []
    cur = start = (0.0, 0.0)
    for cmd in commands:
        if not isinstance(cmd, Sequence) or not cmd:
            continue
        op, args = str(cmd[0]).upper(), [float(v) for v in cmd[1:]]
        if op == "M" and len(args) >= 2:
            cur = start = (args[0], args[1])
            pts.append(cur)
        elif op == "L" and len(args) >= 2:
            cur = (args[0], args[1])
            pts.append(cur)
        elif op == "Q" and len(args) >= 4:
            pts += _bezier([cur, (args[0], args[1]), (args[2], args[3])])
            cur = (args[2], args[3])
        elif op == "C" and len(args) >= 6:
            pts += _bezier([cur, (args[0], args[1]), (args[2], args[3]), (args[4], args[5])])
            cur = (args[4], args[5])
        elif op == "Z":
            cur = start
            pts.append(cur)
    return np.asarray(pts, dtype=np.float64).reshape(-1, 2)


def _bezier(ctrl: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Points of a Bézier curve after its start point: about one every 2 px, at least 2."""
    c = np.asarray(ctrl, dtype=np.float64)
    length = float(np.linalg.norm(np.diff(c, axis=0), axis=1).sum())
    n = int(min(64, max(2, math.ceil(length / 2))))
    t = np.linspace(0.0, 1.0, n + 1)[1:, None]
    if len(c) == 3:
        out = (1 - t) ** 2 * c[0] + 2 * (1 - t) * t * c[1] + t**2 * c[2]
    else:
        out = (1 - t) ** 3 * c[0] + 3 * (1 - t) ** 2 * t * c[1] + 3 * (1 - t) * t**2 * c[2] + t**3 * c[3]
    return [(float(x), float(y)) for x, y in out]


def _origin(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    return _ORIGIN.get(str(value), 0.5)


def _to_canvas(obj: Mapping[str, Any], points: np.ndarray) -> Stroke:
    """Path points → canvas pixels, the way Fabric.js places a path object.

    Fabric draws the path's points relative to the centre of their bounding box (``pathOffset``),
    scaled, flipped and rotated about the object's centre, which ``left``/``top`` give through
    ``originX``/``originY``. An untouched free-drawing stroke comes back unchanged.
    """
    sx = float(obj.get("scaleX", 1) or 1) * (-1 if obj.get("flipX") else 1)
    sy = float(obj.get("scaleY", 1) or 1) * (-1 if obj.get("flipY") else 1)
    angle = math.radians(float(obj.get("angle", 0) or 0))
    cos, sin = math.cos(angle), math.sin(angle)
    rot = np.array([[cos, -sin], [sin, cos]])
    lo, hi = points.min(axis=0), points.max(axis=0)
    offset = obj.get("pathOffset")
    if isinstance(offset, Mapping) and "x" in offset and "y" in offset:
        path_offset = np.array([float(offset["x"]), float(offset["y"])])
    else:
        path_offset = (lo + hi) / 2
    width = float(obj.get("width", hi[0] - lo[0]) or 0)
    height = float(obj.get("height", hi[1] - lo[1]) or 0)
    stroke = float(obj.get("strokeWidth", 0) or 0)
    if obj.get("strokeUniform"):
        dims = np.array([width * abs(sx) + stroke, height * abs(sy) + stroke])
    else:
        dims = np.array([(width + stroke) * abs(sx), (height + stroke) * abs(sy)])
    to_centre = (0.5 - np.array([_origin(obj.get("originX", "center")), _origin(obj.get("originY", "center"))])) * dims
    centre = np.array([float(obj.get("left", path_offset[0])), float(obj.get("top", path_offset[1]))])
    centre = centre + rot @ to_centre
    local = (points - path_offset) * np.array([sx, sy])
    return local @ rot.T + centre


def is_empty(strokes: Sequence[Stroke]) -> bool:
    """True when there is nothing to recognise (no stroke has a point)."""
    return not any(len(s) for s in strokes)
