"""``python -m bench.sketch_levels``: measure which Quick-Draw classes the real CNN recognises best,
for the game's difficulty levels (``engine/tasks/sketch/levels.py``), and write ``levels.json``.

Method: every class with a canonical synthetic sketch (``tests/sketch_shapes.py``) is drawn
:data:`TRIALS` times by a seeded unsteady hand (``place``: a few degrees of rotation, a few per
cent of stretch, a slow wobble of :data:`WOBBLE` of the size), rasterised like Quick, Draw! and
given to the model; a class's rate is the share of its drawings whose first guess is that class.
Deterministic (seeded), so the test re-measures it and compares with the committed file.

Example:
    >>> rates = measure(load_sketch_model())  # doctest: +SKIP
    >>> rates["tent"]  # doctest: +SKIP
    1.0
"""

from __future__ import annotations

import argparse
import json
import sys

from engine.tasks.sketch import MODEL_ID, SketchModel, load_sketch_model, predict_batch, rasterize
from engine.tasks.sketch.levels import MEASURED
from tests.sketch_shapes import SHAPES, place

TRIALS = 24
WOBBLE = 0.03  # place()'s default hand: steadier hands make every class look easy


def measure(model: SketchModel, trials: int = TRIALS, wobble: float = WOBBLE) -> dict[str, float]:
    """Each synthetic class's share of ``trials`` drawings the model's first guess gets right."""
    rates: dict[str, float] = {}
    for name, shape in SHAPES.items():
        if name not in model.labels:
            continue
        drawings = [rasterize(place(shape, x=20, y=30, size=200, seed=seed, wobble=wobble)) for seed in range(trials)]
        hits = sum(r.labels[0] == name for r in predict_batch(model, drawings, top_k=1))
        rates[name] = round(hits / trials, 4)
    return dict(sorted(rates.items(), key=lambda p: (-p[1], p[0])))


def document(rates: dict[str, float], trials: int = TRIALS, wobble: float = WOBBLE) -> dict:
    """What ``levels.json`` holds: the method in words, its parameters and the rates."""
    return {
        "model": MODEL_ID,
        "method": (
            "Each class with a canonical synthetic sketch (tests/sketch_shapes.py) drawn `trials` times "
            "by a seeded unsteady hand (tests.sketch_shapes.place, wobble `wobble`), rasterised like "
            "Quick, Draw!; rate = share of drawings whose top-1 guess is the class. Written by "
            "`python -m bench.sketch_levels`."
        ),
        "trials": trials,
        "wobble": wobble,
        "rates": rates,
    }


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sketch_levels", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(MEASURED), help="where to write the JSON (default: the engine's)")
    args = parser.parse_args(argv)
    rates = measure(load_sketch_model())
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(document(rates), fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    for name, rate in rates.items():
        print(f"{name:14s} {rate:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
