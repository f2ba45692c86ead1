"""Sketch recognition (Quick, Draw!): canvas strokes → a 28×28 Quick Draw-style bitmap → a small CNN.

The model is the CNN of the Hugging Face Space ``nateraw/quickdraw`` (100 classes), trained on
Quick Draw's 28×28 bitmaps. Those bitmaps were made from the *vector* strokes: the drawing is
cropped to its bounding box, scaled so its longer side fills a 256-unit square, centred, drawn
white on black with a line 16 units wide and a 16-unit margin, then shrunk to 28×28. Resizing the
whole canvas instead (black on white, wherever the drawing happens to be) gives the network an
input it never saw, so :func:`rasterize` rebuilds Quick Draw's pipeline from the strokes, and
:func:`image_to_input` does the same from pixels when there are no strokes.

Modules: ``model`` (the CNN: building, loading, running), ``canvas`` (strokes from the canvas's
JSON), ``raster`` (Quick Draw's rasteriser, the input check), ``pixels`` (the same from an image),
``drawing`` (the page's input for a drawing, and whether it is too little to guess), ``levels``
(the game's difficulty levels, measured), ``snippet`` (the code a student would write).

Example:
    >>> import numpy as np
    >>> strokes = [np.array([[10.0, 10.0], [110.0, 10.0], [110.0, 110.0], [10.0, 110.0], [10.0, 10.0]])]
    >>> x = rasterize(strokes)
    >>> x.shape, x.dtype, float(x[0, 0]), round(float(x.max()), 2)
    ((28, 28), dtype('float32'), 0.0, 1.0)
    >>> model = load_sketch_model()  # doctest: +SKIP
    >>> predict(model, x).top[0]  # doctest: +SKIP
    'square'
"""

from __future__ import annotations

from engine.tasks.sketch.canvas import is_empty, strokes_from_canvas
from engine.tasks.sketch.drawing import MIN_INK, SketchInput, drawing_image, drawing_input, ink_length, too_little
from engine.tasks.sketch.levels import EASY, LEVELS, Level, level_classes
from engine.tasks.sketch.levels import RATES as MEASURED_RATES
from engine.tasks.sketch.model import (
    CLASS_NAMES_FILE,
    MODEL_ID,
    TASK,
    SketchModel,
    build_network,
    load_sketch_model,
    predict,
    predict_batch,
)
from engine.tasks.sketch.pixels import image_to_input, ink_map, skeleton_strokes
from engine.tasks.sketch.raster import SIDE, Stroke, check_input, input_image, rasterize, simplify, to_image
from engine.tasks.sketch.snippet import code_snippet, drawing_file

__all__ = [
    "CLASS_NAMES_FILE",
    "EASY",
    "LEVELS",
    "MEASURED_RATES",
    "MIN_INK",
    "MODEL_ID",
    "SIDE",
    "TASK",
    "Level",
    "SketchInput",
    "SketchModel",
    "Stroke",
    "build_network",
    "check_input",
    "code_snippet",
    "drawing_file",
    "drawing_image",
    "drawing_input",
    "image_to_input",
    "ink_length",
    "ink_map",
    "input_image",
    "is_empty",
    "level_classes",
    "load_sketch_model",
    "predict",
    "predict_batch",
    "rasterize",
    "simplify",
    "skeleton_strokes",
    "strokes_from_canvas",
    "to_image",
    "too_little",
]
