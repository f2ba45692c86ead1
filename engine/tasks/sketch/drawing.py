"""What the page needs: the model input for a canvas drawing, from its strokes when the canvas gives
them (the input the model was trained on), else from its pixels; and the drawing as a picture to
download (:func:`drawing_image`), the file the code snippet opens.

Example:
    >>> drawing_input({"objects": []}) is None
    True
    >>> too_little([np.array([[100.0, 100.0], [101.0, 100.0]])], 360)  # a dot: ask for more
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageOps

from engine.errors import InvalidInput
from engine.tasks.sketch.canvas import is_empty, strokes_from_canvas
from engine.tasks.sketch.pixels import image_to_input
from engine.tasks.sketch.raster import QD_BOX, QD_LINE, Stroke, rasterize


@dataclass(frozen=True)
class SketchInput:
    """The model's 28×28 input for a drawing, and whether it came from the strokes or the pixels."""

    x28: np.ndarray
    source: str  # "strokes" (the vectors, as Quick Draw) or "pixels" (thinned from the image)
    # The strokes it was drawn from, in canvas pixels (empty for pixels): the page reuses them for
    # the ink check and the PNG instead of reading the canvas JSON again on every pen-up.
    strokes: tuple[Stroke, ...] = ()


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
        return SketchInput(rasterize(strokes), "strokes", tuple(strokes))
    if image is None:
        return None
    try:
        return SketchInput(image_to_input(image), "pixels")
    except InvalidInput as exc:
        if exc.code == "empty_drawing":
            return None
        raise


# Below this much ink (all strokes' length, as a share of the canvas side) the drawing is a dot or
# a dash: rasterising scales it up to fill the 28×28 input, so the model would answer confidently
# about what is only a blob or a bar. 0.15 of a 360-px canvas is 54 px: a circle 18 px across is
# already enough, a long single stroke (the class "line") too.
MIN_INK = 0.15


def ink_length(strokes: Sequence[Stroke]) -> float:
    """The total length of ``strokes`` (canvas pixels, along each polyline).

    Example:
        >>> ink_length([np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[9.0, 9.0]])])
        5.0
    """
    total = 0.0
    for s in strokes:
        p = np.asarray(s, dtype=np.float64).reshape(-1, 2)
        if len(p) > 1:
            total += float(np.hypot(*np.diff(p, axis=0).T).sum())
    return total


def too_little(strokes: Sequence[Stroke], side: float, min_ink: float = MIN_INK) -> bool:
    """True when the drawing is too little to guess (a dot, a short dash): the page asks for more.

    Example:
        >>> too_little([np.array([[0.0, 100.0], [40.0, 100.0]])], 360), too_little([np.array([[0.0, 100.0], [300.0, 100.0]])], 360)
        (True, False)
    """
    return ink_length(strokes) < min_ink * side


PNG_SUPERSAMPLE = 4  # drawn 4× larger and averaged down: smooth edges, like the canvas's own
SUBPIXEL_BITS = 4  # OpenCV draws from fixed-point coordinates: 1/16 px, finer than a mouse reports


def drawing_image(strokes: Sequence[Stroke], size: tuple[int, int]) -> Image.Image:
    """The drawing as a picture of ``size`` (the canvas's): black strokes on white where they were
    drawn, with Quick Draw's line (16/255 of the drawing's longer side) whatever the brush was, so
    the code snippet's plain preprocessing (invert, crop, centre, 28×28) sees what the model saw.

    OpenCV draws the lines (round caps and joins), 4× larger, and PIL averages them down. PIL's
    own wide lines took 20-80 ms for a drawing of a few strokes (the deliverable keeps this
    picture on every pen-up) and left hairline gaps across the line where a stroke's hundreds of
    tiny segments met; OpenCV takes a few ms and leaves none.

    Example:
        >>> img = drawing_image([np.array([[10.0, 50.0], [90.0, 50.0]])], (100, 100))
        >>> img.mode, img.size, img.getpixel((50, 50)), img.getpixel((50, 10))
        ('L', (100, 100), 0, 255)
    """
    import cv2  # here: only a drawing needs it (ultralytics installs it; loading takes ~0.1 s)

    points = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
    points = [p for p in points if len(p)]
    if not points:
        raise InvalidInput("Expected a drawing with at least one stroke; got an empty one.", code="empty_drawing")
    allp = np.concatenate(points)
    longest = float((allp.max(axis=0) - allp.min(axis=0)).max()) or 1.0
    k = PNG_SUPERSAMPLE
    # OpenCV's line of thickness t covers about t + 1 pixels across: one less gives Quick Draw's.
    thickness = max(1, round(QD_LINE / (QD_BOX - 1) * longest * k) - 1)
    scale = k * (1 << SUBPIXEL_BITS)
    # A one-point stroke (a dot) is a zero-length line: OpenCV draws nothing for a single point.
    paths = [np.round((p if len(p) > 1 else np.repeat(p, 2, axis=0)) * scale).astype(np.int32) for p in points]
    ink = np.zeros((size[1] * k, size[0] * k), dtype=np.uint8)
    cv2.polylines(ink, paths, False, 255, thickness=thickness, lineType=cv2.LINE_8, shift=SUBPIXEL_BITS)
    return ImageOps.invert(Image.fromarray(ink, mode="L").reduce(k))
