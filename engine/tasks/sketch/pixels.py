"""The same input from pixels, when the canvas gives an image and no strokes: the ink found against
the background (:func:`ink_map`), thinned to its skeleton, traced into strokes
(:func:`skeleton_strokes`) and rasterised like Quick Draw (:func:`image_to_input`).

Example:
    >>> img = Image.new("RGBA", (5, 5), (0, 0, 0, 0)); img.putpixel((2, 2), (0, 0, 0, 255))
    >>> ink_map(img)[2].tolist()
    [0.0, 0.0, 1.0, 0.0, 0.0]
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from engine.errors import InvalidImage, InvalidInput
from engine.tasks.sketch.raster import SIDE, Stroke, rasterize

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
        >>> from PIL import ImageDraw
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
