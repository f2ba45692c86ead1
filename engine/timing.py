"""Timing helpers: one call, or the median of several warm runs.

Example:
    >>> result, ms = timed(sum, [1, 2, 3])
    >>> result
    6
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def timed(fn: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float]:
    """Call ``fn`` and return its result with the elapsed milliseconds."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, (time.perf_counter() - start) * 1000.0


def median_ms(fn: Callable[[], Any], runs: int = 3, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` over ``runs`` calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    times = [timed(fn)[1] for _ in range(max(1, runs))]
    return statistics.median(times)
