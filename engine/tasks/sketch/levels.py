"""The game's difficulty levels: which classes a round may ask for.

``easy`` and ``normal`` come from a measurement, not from taste: ``bench/sketch_levels.py`` drew
each class that has a canonical synthetic sketch (``tests/sketch_shapes.py``: 21 simple classes,
circle, star, tent...) 24 times with a different unsteady hand (seeded rotation, stretch and
wobble) and counted how often the real Quick-Draw CNN's first guess was that class. It measures
how reliably the model recognises a *simple, canonical* drawing of a class, not how well it does
on students' drawings (there is no Quick, Draw! data here); the other 79 classes were not measured,
so they are only in ``all``. The result is ``levels.json``, committed with the method and the rates.

Example:
    >>> labels = ("star", "sun", "circle", "ceiling_fan")
    >>> level_classes("all", labels)
    ('star', 'sun', 'circle', 'ceiling_fan')
    >>> "ceiling_fan" in level_classes("easy", tuple(RATES) + ("ceiling_fan",))
    False
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

Level = Literal["easy", "normal", "all"]
LEVELS: tuple[Level, ...] = ("easy", "normal", "all")
MEASURED = Path(__file__).with_name("levels.json")
EASY_RATE = 0.9  # first guess right in at least 90 % of the measured drawings
NORMAL_RATE = 0.5  # ... in at least half of them


def _rates() -> dict[str, float]:
    return {str(k): float(v) for k, v in json.loads(MEASURED.read_text(encoding="utf-8"))["rates"].items()}


RATES: dict[str, float] = _rates()  # class -> share of its measured drawings the model got right
EASY: tuple[str, ...] = tuple(name for name, rate in RATES.items() if rate >= EASY_RATE)


def level_classes(level: Level, labels: tuple[str, ...], *, at_least: int = 6) -> tuple[str, ...]:
    """The classes of ``labels`` a game of ``level`` draws its words from (the model's order).

    ``easy``: measured rate ≥ :data:`EASY_RATE`; ``normal``: ≥ :data:`NORMAL_RATE`; ``all``: every
    class. A model whose classes the measurement does not cover (fewer than ``at_least`` of them
    qualify, e.g. another model) gets all of its classes rather than a game it cannot set up.
    """
    if level == "all":
        return labels
    floor = EASY_RATE if level == "easy" else NORMAL_RATE
    chosen = tuple(name for name in labels if RATES.get(name, 0.0) >= floor)
    return chosen if len(chosen) >= at_least else labels
