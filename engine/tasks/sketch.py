"""Sketch recognition (Quick, Draw!): canvas strokes → a 28×28 Quick Draw-style bitmap → a small CNN.

The model is the CNN of the Hugging Face Space ``nateraw/quickdraw`` (100 classes), trained on
Quick Draw's 28×28 bitmaps. Those bitmaps were made from the *vector* strokes: the drawing is
cropped to its bounding box, scaled so its longer side fills a 256-unit square, centred, drawn
white on black with a line 16 units wide and a 16-unit margin, then shrunk to 28×28. Resizing the
whole canvas instead (black on white, wherever the drawing happens to be) gives the network an
input it never saw, so :func:`rasterize` rebuilds Quick Draw's pipeline from the strokes, and
:func:`image_to_input` does the same from pixels when there are no strokes.

Example:
    >>> strokes = [np.array([[10.0, 10.0], [110.0, 10.0], [110.0, 110.0], [10.0, 110.0], [10.0, 10.0]])]
    >>> x = rasterize(strokes)
    >>> x.shape, x.dtype, float(x[0, 0]), round(float(x.max()), 2)
    ((28, 28), dtype('float32'), 0.0, 1.0)
    >>> model = load_sketch_model()  # doctest: +SKIP
    >>> predict(model, x).top[0]  # doctest: +SKIP
    'square'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from engine.errors import EngineError, InvalidImage, InvalidInput, ModelLoadError
from engine.models import registry
from engine.models.lazy import import_torch
from engine.models.resolve import resolve
from engine.results import Classifications

TASK = "sketch-recognition"
MODEL_ID = "nateraw/quickdraw"
CLASS_NAMES_FILE = "class_names.txt"
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


# --- the model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SketchModel:
    """The loaded CNN (``torch.nn.Sequential``, eval mode) and its class names, in output order.

    Example:
        >>> m = load_sketch_model()  # doctest: +SKIP
        >>> len(m.labels), m.labels[:2]  # doctest: +SKIP
        (100, ('airplane', 'alarm_clock'))
    """

    model_id: str
    module: Any
    labels: tuple[str, ...]
    where: str  # local / cache / hub: shown in the page
    weights_file: str


def build_network(num_classes: int = 100) -> Any:
    """The Space's architecture: three conv(3×3, same)-ReLU-maxpool(2) blocks, then 1152→256→classes.

    Layer indices match the keys of ``pytorch_model.bin`` (``0.weight``, ``3.weight``... ``12.bias``).
    """
    nn = import_torch().nn
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding="same"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding="same"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3, padding="same"),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(1152, 256),
        nn.ReLU(),
        nn.Linear(256, num_classes),
    )


def load_sketch_model(model_id: str = MODEL_ID) -> SketchModel:
    """Load the Quick Draw CNN from a models directory, the cache or the Space (see :func:`resolve`).

    ``weights_only=True`` (no pickled code runs) and ``strict=True`` (a key or shape mismatch is an
    error, not a silently half-random network). Raises :class:`ModelUnavailable` when the files
    cannot be had and :class:`ModelLoadError`, naming the file, when they do not load.
    """
    spec = registry.get(model_id)
    if spec.task != TASK:
        raise InvalidInput(f"{model_id} is a {spec.task} model, not {TASK}.", code="wrong_task")
    resolved = resolve(spec)
    folder = resolved.path
    weights = folder / (spec.file or "pytorch_model.bin")
    names = folder / CLASS_NAMES_FILE
    current = names
    try:
        labels = tuple(line.strip() for line in names.read_text(encoding="utf-8").splitlines() if line.strip())
        if not labels:
            raise ValueError("the file has no class names")
        current = weights
        torch = import_torch()
        state = torch.load(weights, map_location="cpu", weights_only=True)
        module = build_network(len(labels))
        module.load_state_dict(state, strict=True)
    except EngineError:
        raise
    except Exception as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        raise ModelLoadError(
            f"{spec.id} could not be loaded from {current}: {detail}",
            model_id=spec.id,
            file=str(current),
            detail=detail,
        ) from exc
    module.eval()
    from engine.accel.fastcpu import pack_checked

    # Packed for oneDNN: about 0.85x the forward time of this small CNN (checked on a noise input).
    noise = torch.rand(1, 1, SIDE, SIDE, generator=torch.Generator().manual_seed(0))
    pack_checked(module, lambda m: m(noise), lambda out: out)
    return SketchModel(spec.id, module, labels, resolved.where, str(weights))


def predict(model: SketchModel, x28: np.ndarray, top_k: int = 5) -> Classifications:
    """The ``top_k`` classes for one 28×28 input (white strokes on black, values in [0, 1]).

    Example:
        >>> predict(model, rasterize(strokes), top_k=3).labels  # doctest: +SKIP
        ('circle', 'donut', 'wheel')
    """
    return predict_batch(model, [x28], top_k)[0]


def predict_batch(model: SketchModel, inputs: Sequence[np.ndarray], top_k: int = 5) -> list[Classifications]:
    """:func:`predict` for several inputs in one forward pass (the game summary, evaluations)."""
    if not 1 <= top_k <= len(model.labels):
        raise InvalidInput(f"top_k must be between 1 and {len(model.labels)}; got {top_k}.", code="bad_top_k", k=top_k)
    if len(inputs) == 0:
        return []
    checked = [_check_input(x) for x in inputs]
    # One drawing (every stroke on the page) needs no stacking copy: a view with the batch axis.
    batch = checked[0][None, None] if len(checked) == 1 else np.stack(checked)[:, None]
    torch = import_torch()
    with torch.inference_mode():
        probs = torch.softmax(model.module(torch.from_numpy(batch)), dim=1)
        scores, indices = torch.topk(probs, top_k, dim=1)
    return [
        Classifications(tuple(model.labels[i] for i in row_idx), tuple(float(s) for s in row_scores))
        for row_idx, row_scores in zip(indices.tolist(), scores.tolist(), strict=True)
    ]


def _check_input(x: Any) -> np.ndarray:
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


# --- strokes from the canvas ----------------------------------------------------------------------

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


# --- rasterising like Quick Draw ------------------------------------------------------------------


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
        _polyline(draw, (q + centre_shift + total_pad / 2) * to_px, width)
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


def _polyline(draw: ImageDraw.ImageDraw, q: np.ndarray, width: float) -> None:
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


# --- the same from pixels -----------------------------------------------------------------------

INK_THRESHOLD = 0.3  # a pixel is ink when it differs from the background by 30% of the strongest ink
SKELETON_MAX_SIDE = 160  # drawings are thinned at most this big: enough detail, a few ms


def ink_map(image: Image.Image | np.ndarray) -> np.ndarray:
    """How much each pixel differs from the background (0..1), for any stroke and background colour.

    The background is the median colour of the image's border (transparent for the canvas's
    own PNG, white when it has a background colour); alpha counts as a channel.

    Example:
        >>> img = Image.new("RGBA", (5, 5), (0, 0, 0, 0)); img.putpixel((2, 2), (0, 0, 0, 255))
        >>> ink_map(img)[2].tolist()
        [0.0, 0.0, 1.0, 0.0, 0.0]
    """
    if isinstance(image, np.ndarray):
        arr = image
    elif isinstance(image, Image.Image):
        rgba = image.convert("RGBA") if image.mode not in {"RGBA", "RGB", "L", "LA"} else image
        arr = np.asarray(rgba)
    else:
        raise InvalidImage(
            f"Expected a PIL image or an array; got {type(image).__name__}.", code="bad_type", got=type(image).__name__
        )
    arr = np.asarray(arr, dtype=np.float32)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.ndim != 3 or arr.shape[0] < 1 or arr.shape[1] < 1 or arr.shape[2] not in {1, 2, 3, 4}:
        raise InvalidImage(
            f"Expected an image (H×W×channels); got shape {arr.shape}.", code="empty", got=str(arr.shape)
        )
    border = np.concatenate([arr[0], arr[-1], arr[:, 0], arr[:, -1]])
    background = np.median(border, axis=0)
    diff = np.abs(arr - background).max(axis=2)
    peak = float(diff.max())
    return diff / peak if peak > 0 else np.zeros(diff.shape, dtype=np.float32)


def image_to_input(image: Image.Image | np.ndarray, side: int = SIDE) -> np.ndarray:
    """A Quick Draw-style bitmap from canvas pixels: the strokes' centre lines, redrawn by :func:`rasterize`.

    The canvas brush can be thin or thick, but Quick Draw's line is always 1/16 of the box; so the
    ink is thinned to its one-pixel skeleton and each pair of neighbouring skeleton pixels becomes
    a tiny stroke, which :func:`rasterize` crops, centres and draws at the right width.

    Example:
        >>> img = Image.new("RGB", (200, 100), "white")
        >>> ImageDraw.Draw(img).line([(20, 50), (180, 50)], fill="black", width=9)
        >>> x = image_to_input(img)
        >>> np.flatnonzero(x.max(axis=1)).tolist(), bool((x[13:15].max(axis=0)[2:26] > 0.6).all())  # centred
        ([13, 14], True)
    """
    return rasterize(skeleton_strokes(image), side)


def _neighbour_count(mask: np.ndarray) -> np.ndarray:
    """How many of its 8 neighbours each pixel of ``mask`` has set."""
    h, w = mask.shape
    padded = np.pad(mask, 1).astype(np.int8)
    return sum(padded[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)


def prune_spurs(skeleton: np.ndarray, max_length: float) -> np.ndarray:
    """``skeleton`` without the branches that run from an end to a junction in under ``max_length`` px.

    Example:
        >>> sk = np.zeros((7, 9), dtype=bool); sk[3, :] = True; sk[1:3, 4] = True  # a line, a 2-px spur
        >>> pruned = prune_spurs(sk, 3)  # the spur's end goes; its foot, 8-connected to 3 line pixels, is a junction
        >>> int(pruned.sum()), bool(pruned[1, 4]), bool(pruned[2, 4]), int(prune_spurs(sk, 1).sum())
        (10, False, True, 11)
    """
    out = skeleton.copy()
    count = _neighbour_count(out)
    h, w = out.shape
    ends = list(zip(*np.nonzero(out & (count == 1)), strict=True))
    for end in ends:
        path = [end]
        prev, cur = None, end
        while True:
            y, x = cur
            nxt = [
                (y + dy, x + dx)
                for dy in (-1, 0, 1)
                for dx in (-1, 0, 1)
                if (dy or dx)
                and 0 <= y + dy < h
                and 0 <= x + dx < w
                and out[y + dy, x + dx]
                and (y + dy, x + dx) != prev
            ]
            if len(nxt) != 1 or count[nxt[0]] >= 3 or len(path) > max_length:
                break
            prev, cur = cur, nxt[0]
            path.append(cur)
        reached_junction = len(nxt) >= 1 and (len(nxt) > 1 or count[nxt[0]] >= 3)
        if reached_junction and len(path) < max_length:
            for p in path:
                out[p] = False
    return out


def trace(skeleton: np.ndarray) -> list[Stroke]:
    """A one-pixel skeleton as polylines (x, y): from every end or junction to the next, then loops.

    Every pair of touching pixels is walked once, so nothing is drawn twice or left out; a lone
    pixel is a one-point stroke (a dot).

    Example:
        >>> sk = np.zeros((5, 5), dtype=bool); sk[2, 1:4] = True
        >>> [s.tolist() for s in trace(sk)]
        [[[1.0, 2.0], [2.0, 2.0], [3.0, 2.0]]]
    """

    on = {(int(y), int(x)) for y, x in zip(*np.nonzero(skeleton), strict=True)}

    def neighbours(p: tuple[int, int]) -> list[tuple[int, int]]:
        y, x = p
        return [(y + dy, x + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy or dx) and (y + dy, x + dx) in on]

    degree = {p: len(neighbours(p)) for p in on}
    walked: set[frozenset[tuple[int, int]]] = set()
    strokes: list[Stroke] = []

    def walk(start: tuple[int, int], step: tuple[int, int]) -> None:
        path = [start, step]
        walked.add(frozenset((start, step)))
        cur = step
        while degree[cur] == 2:
            nxt = [q for q in neighbours(cur) if frozenset((cur, q)) not in walked]
            if not nxt:
                break
            walked.add(frozenset((cur, nxt[0])))
            path.append(nxt[0])
            cur = nxt[0]
        strokes.append(np.array([(x, y) for y, x in path], dtype=np.float64))

    for p in sorted(on):  # ends and junctions first
        if degree[p] != 2:
            for q in neighbours(p):
                if frozenset((p, q)) not in walked:
                    walk(p, q)
    for p in sorted(on):  # what is left is closed loops
        for q in neighbours(p):
            if frozenset((p, q)) not in walked:
                walk(p, q)
    strokes += [np.array([[x, y]], dtype=np.float64) for y, x in sorted(on) if degree[(y, x)] == 0]
    return strokes


def skeleton_strokes(image: Image.Image | np.ndarray) -> list[Stroke]:
    """The drawing's centre lines as strokes in image pixels (see :func:`trace`)."""
    from skimage.morphology import remove_small_holes, skeletonize

    ink = ink_map(image)
    mask = ink > INK_THRESHOLD
    if not mask.any():
        raise InvalidInput("Expected a drawing with some ink; got a blank image.", code="empty_drawing")
    rows, cols = np.nonzero(mask)
    top, left = int(rows.min()), int(cols.min())
    crop = ink[top : int(rows.max()) + 1, left : int(cols.max()) + 1]
    factor = min(1.0, SKELETON_MAX_SIDE / max(crop.shape))
    if factor < 1.0:
        # Shrink by area averaging first: thinning a 160-px drawing keeps its shape, in less time.
        size = (max(1, round(crop.shape[1] * factor)), max(1, round(crop.shape[0] * factor)))
        crop = np.asarray(Image.fromarray(crop, mode="F").resize(size, Image.Resampling.BOX))
    thick = crop > INK_THRESHOLD * (0.5 if factor < 1.0 else 1.0)
    skeleton = skeletonize(thick)
    if not skeleton.any():
        raise InvalidInput("Expected a drawing with some ink; got a blank image.", code="empty_drawing")
    brush = float(thick.sum()) / float(skeleton.sum())  # ink area / centre-line length = line width
    # Pin-holes inside thick ink (where a stroke crosses itself) would thin into little loops.
    thick = remove_small_holes(thick, max_size=max(2, int(brush * brush / 2)))
    skeleton = skeletonize(thick)
    # Where strokes cross or turn sharply a thick brush leaves blobs, whose skeletons grow short
    # side branches; a branch shorter than the brush's width is such a spur, not a stroke.
    skeleton = prune_spurs(skeleton, max_length=brush)
    strokes = trace(skeleton)
    return [s / factor + np.array([left, top]) for s in strokes]


# --- what the page needs ------------------------------------------------------------------------


@dataclass(frozen=True)
class SketchInput:
    """The model's 28×28 input for a drawing, and whether it came from the strokes or the pixels."""

    x28: np.ndarray
    source: str  # "strokes" (the vectors, as Quick Draw) or "pixels" (thinned from the image)


def drawing_input(
    json_data: Mapping[str, Any] | None, image: Image.Image | np.ndarray | None = None
) -> SketchInput | None:
    """The model input for a canvas drawing, or ``None`` when there is nothing drawn.

    The strokes are used when the canvas gives them (the input the model was trained on); the
    pixels only when it gives an image and no strokes.

    Example:
        >>> drawing_input({"objects": []}) is None
        True
    """
    strokes = strokes_from_canvas(json_data)
    if not is_empty(strokes):
        return SketchInput(rasterize(strokes), "strokes")
    if image is None:
        return None
    try:
        return SketchInput(image_to_input(image), "pixels")
    except InvalidInput as exc:
        if exc.code == "empty_drawing":
            return None
        raise


def to_image(x28: np.ndarray, scale: int = 8) -> Image.Image:
    """The model input as a picture, ``scale`` times larger with square pixels (what the model sees).

    Example:
        >>> to_image(np.zeros((28, 28), dtype=np.float32), 4).size
        (112, 112)
    """
    arr = (_check_input(x28) * 255).round().astype(np.uint8)  # checked and clipped to [0, 1]
    return Image.fromarray(arr, mode="L").resize((SIDE * scale, SIDE * scale), Image.Resampling.NEAREST)


def code_snippet(top_k: int = 5) -> str:
    """The Python a student would write to get the same guess (the Space's files, our rasteriser)."""
    return (
        "import torch\n"
        "from huggingface_hub import hf_hub_download\n"
        "from torch import nn\n\n"
        "# Los pesos y las clases están en el Space nateraw/quickdraw (no es un repositorio de modelo).\n"
        f'pesos = hf_hub_download("{MODEL_ID}", "pytorch_model.bin", repo_type="space")\n'
        f'clases = hf_hub_download("{MODEL_ID}", "class_names.txt", repo_type="space")\n'
        "etiquetas = open(clases).read().splitlines()\n\n"
        "modelo = nn.Sequential(\n"
        '    nn.Conv2d(1, 32, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),\n'
        '    nn.Conv2d(32, 64, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),\n'
        '    nn.Conv2d(64, 128, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),\n'
        "    nn.Flatten(), nn.Linear(1152, 256), nn.ReLU(), nn.Linear(256, len(etiquetas)),\n"
        ")\n"
        "# weights_only=True: el archivo no puede ejecutar código; strict=True: ninguna capa se queda sin pesos.\n"
        'modelo.load_state_dict(torch.load(pesos, map_location="cpu", weights_only=True), strict=True)\n'
        "modelo.eval()\n\n"
        "# La entrada, como los dibujos de Quick, Draw!: recortada a su caja, centrada, blanco sobre\n"
        "# negro, 28x28, valores 0..1 (engine/sketch.py de esta app hace esa conversión desde los trazos).\n"
        "from engine.tasks.sketch import rasterize, strokes_from_canvas\n"
        "x = rasterize(strokes_from_canvas(lienzo.json_data))  # lienzo = st_canvas(...)\n\n"
        "with torch.inference_mode():\n"
        "    probs = torch.softmax(modelo(torch.tensor(x)[None, None]), dim=1)[0]\n"
        f"for p, i in zip(*probs.topk({top_k})):\n"
        '    print(f"{etiquetas[i]}: {p:.1%}")\n'
    )
