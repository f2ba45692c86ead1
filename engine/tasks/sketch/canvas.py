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

POINT, QUAD, CUBIC = 0, 1, 2  # what a path command draws (M, L and Z end at a point)
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
    """Points along Fabric path commands (absolute coordinates), curves sampled finely.

    Example:
        >>> _path_points([["M", 0, 0], ["Q", 2, 0, 4, 0], ["L", 4, 3], ["Z"]]).tolist()
        [[0.0, 0.0], [2.0, 0.0], [4.0, 0.0], [4.0, 3.0], [0.0, 0.0]]
    """
    # Every command becomes one row of up to four control points (a point command repeats its
    # point), and all rows are sampled in one numpy pass: a free-drawing stroke is hundreds of
    # tiny "Q" curves, and the page reads every stroke on each pen-up, so sampling them one curve
    # at a time cost tens of milliseconds of the student's wait.
    rows: list[tuple[tuple[float, float], ...]] = []
    kinds: list[int] = []  # POINT, QUAD or CUBIC
    cur = start = (0.0, 0.0)
    for cmd in commands:
        if not isinstance(cmd, Sequence) or not cmd:
            continue
        op, args = str(cmd[0]).upper(), [float(v) for v in cmd[1:]]
        if op in ("M", "L") and len(args) >= 2:
            cur = (args[0], args[1])
            if op == "M":
                start = cur
            rows.append((cur, cur, cur, cur))
            kinds.append(POINT)
        elif op == "Q" and len(args) >= 4:
            end = (args[2], args[3])
            rows.append((cur, (args[0], args[1]), end, end))
            kinds.append(QUAD)
            cur = end
        elif op == "C" and len(args) >= 6:
            end = (args[4], args[5])
            rows.append((cur, (args[0], args[1]), (args[2], args[3]), end))
            kinds.append(CUBIC)
            cur = end
        elif op == "Z":
            cur = start
            rows.append((cur, cur, cur, cur))
            kinds.append(POINT)
    if not rows:
        return np.zeros((0, 2), dtype=np.float64)
    return _sample(np.asarray(rows, dtype=np.float64), np.asarray(kinds))


def _sample(ctrl: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """The points of every row of control points ``ctrl`` (K×4×2) after its start, by its kind:
    a POINT row gives its point; a curve about one point every 2 px of its control polygon, 2 to
    64 points (a QUAD row uses ``ctrl[:, :3]``).

    Example:
        >>> _sample(np.array([[[0, 0], [2, 0], [4, 0], [4, 0]]], dtype=float), np.array([QUAD])).tolist()
        [[2.0, 0.0], [4.0, 0.0]]
    """
    cubic = kinds == CUBIC
    legs = np.linalg.norm(np.diff(ctrl, axis=1), axis=2)  # K×3
    length = np.where(cubic, legs.sum(axis=1), legs[:, :2].sum(axis=1))
    n = np.where(kinds == POINT, 1, np.clip(np.ceil(length / 2), 2, 64)).astype(np.int64)
    row = np.repeat(np.arange(len(ctrl)), n)
    step = np.arange(len(row)) - np.repeat(np.cumsum(n) - n, n) + 1
    t = (step / n[row])[:, None]
    c = ctrl[row]
    quad = (1 - t) ** 2 * c[:, 0] + 2 * (1 - t) * t * c[:, 1] + t**2 * c[:, 2]
    cub = (1 - t) ** 3 * c[:, 0] + 3 * (1 - t) ** 2 * t * c[:, 1] + 3 * (1 - t) * t**2 * c[:, 2] + t**3 * c[:, 3]
    return np.where(cubic[row][:, None], cub, quad)


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
