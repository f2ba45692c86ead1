"""Full garbage collections at a bounded rate, for a server whose post-script collection is off.

Streamlit's ``runner.postScriptGC`` (a full ``gc.collect()`` after every script run) is off in
``.streamlit/config.toml``: with torch, transformers and Ultralytics imported and the pages' models
loaded, each one walked ~580,000 objects (0.25 s on one AMD EPYC core) while holding the GIL, on every
rerun of every student. Without it, the reference cycles a rerun leaves waited for Python's rare
generation-2 collection, minutes apart under a class's load: the 15-minute soak's RSS climbed ~0.5 MB/s
and fell by 200-300 MB every ~150 s. What those cycles are (counted with ``gc.DEBUG_SAVEALL`` in a
soak's server): by number, Streamlit's own per-run objects (cursors, delta generators, form data,
locks, script runners: a few thousand per collection); by bytes, each page run's module namespace
(Streamlit runs a page with ``exec`` in a fresh module dict, which the page's own functions keep in a
cycle), holding that run's top-level variables: its photos (the CLIP workshop's sample list, 3.8 MB a
run; the segmentation page's ``image``; the inputs' decoded ``InputImage``).

Here one daemon thread per process runs a full collection at most every ``VISION_GC_PERIOD_S``
seconds (default 20), and only when a script ran since the last one (an idle server collects
nothing). :func:`freeze_imports`, called once after the heavy imports and before the first model
loads, moves the libraries' long-lived objects to the collector's permanent generation, so each
collection walks the sessions' and the models' objects only. A model loaded later is never frozen:
the model cache releasing it still frees it.

Example:
    >>> now = [0.0]
    >>> pacer = Pacer(period_s=20, clock=lambda: now[0], collect=lambda: 7)
    >>> pacer.note_run(); pacer.maybe_collect()  # a run, but the period has not passed
    >>> now[0] = 20.0; pacer.maybe_collect()
    7
    >>> pacer.maybe_collect() is None  # no run since the last collection: nothing to do
    True
"""

from __future__ import annotations

import gc
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from engine import settings
from engine.serving import gpu_libraries

_LOG = logging.getLogger(__name__)
TICK_S = 1.0  # how often the thread looks at the clock (a collection is due at most this late)


@dataclass
class PacerStats:
    """What the pacer did since the process started (the soak reads them from the server)."""

    collections: int = 0
    collected: int = 0  # unreachable objects found, over all collections
    seconds: float = 0.0  # wall time spent collecting, over all collections (a loaded machine stretches it)
    cpu_s: float = 0.0  # the collecting thread's CPU time, over all collections (what a collection costs)
    max_s: float = 0.0  # the longest collection, wall time (the longest stall of every session)
    last_collected: int = 0
    frozen: int = 0  # objects in the permanent generation (gc.freeze)


class Pacer:
    """A full collection at most every ``period_s`` seconds, when a script ran since the last one.

    ``clock`` and ``collect`` are injectable (tests); ``note_run`` is called at the end of every
    script run (Home.py), ``maybe_collect`` by the thread :func:`start` runs.
    """

    def __init__(
        self,
        period_s: float,
        clock: Callable[[], float] = time.monotonic,
        collect: Callable[[], int] = gc.collect,
    ) -> None:
        self.period_s = period_s
        self._clock, self._collect = clock, collect
        self._runs = 0  # script runs since the last collection (a lost increment only delays one)
        self._last = clock()
        self._lock = threading.Lock()
        self.stats = PacerStats()

    def note_run(self) -> None:
        """A script run ended: its garbage is worth a collection once the period has passed."""
        self._runs += 1

    def due(self) -> bool:
        """Whether a collection should run now."""
        return self._runs > 0 and self._clock() - self._last >= self.period_s

    def maybe_collect(self) -> int | None:
        """Run a full collection when :meth:`due`; the objects it found, else None."""
        with self._lock:
            if not self.due():
                return None
            self._runs = 0
            start, cpu = time.perf_counter(), time.thread_time()
            found = self._collect()
            took = time.perf_counter() - start
            s = self.stats
            s.cpu_s += time.thread_time() - cpu
            self._last = self._clock()  # the period counts from the end: a slow collection is not rerun at once
            s.collections += 1
            s.collected += found
            s.last_collected = found
            s.seconds += took
            s.max_s = max(s.max_s, took)
            s.frozen = gc.get_freeze_count()
            self._write_stats()
            return found

    def _write_stats(self) -> None:
        """The counters into ``VISION_GC_STATS`` when set (the soak reads them from outside the server)."""
        path = settings.gc_stats_file()
        if path is None:
            return
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({**self.as_dict(), "period_s": self.period_s, "pid": os.getpid()}))
            tmp.replace(path)  # atomic: a reader never sees half a file
        except OSError:  # counters are for the bench: never fail over them
            pass

    def run(self, stop: threading.Event, tick_s: float = TICK_S) -> None:
        """Collect when due until ``stop`` is set (the thread's body)."""
        while not stop.wait(tick_s):
            try:
                self.maybe_collect()
            except Exception:  # noqa: BLE001 - a failed collection (a finalizer's error) must not end the thread
                _LOG.exception("garbage collection failed")

    def as_dict(self) -> dict[str, float | int]:
        """The stats, rounded, for a JSON file."""
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self.stats).items()}


_PACER: list[Pacer] = []  # the process's one pacer, once started
_START = threading.Lock()
_STOP = threading.Event()  # set only by tests (the thread is a daemon: it ends with the server)


def start(period_s: float | None = None) -> Pacer | None:
    """The process's pacer, its thread started on the first call; None when ``VISION_GC_PERIOD_S`` is 0.

    Example:
        >>> start(0) is None  # off
        True
    """
    period = settings.gc_period_s() if period_s is None else period_s
    if period <= 0:
        return None
    with _START:
        if not _PACER:
            pacer = Pacer(period, collect=_collect)
            threading.Thread(target=pacer.run, args=(_STOP,), name="vision-gc", daemon=True).start()
            _PACER.append(pacer)
        return _PACER[0]


def _collect() -> int:
    """A full collection, then the GPU libraries' pages a first model call read given back (a few ms)."""
    found = gc.collect()
    gpu_libraries.give_back()
    return found


def note_run() -> None:
    """End of a script run (Home.py's last line): the pacer counts it (and starts, the first time).

    Example:
        >>> note_run()  # never raises; nothing to see until the period has passed
    """
    pacer = start()
    if pacer is not None:
        pacer.note_run()


def stats() -> dict[str, float | int]:
    """The running pacer's stats (empty when none runs)."""
    return _PACER[0].as_dict() if _PACER else {}


def freeze_imports(enabled: bool | None = None) -> int:
    """Collect once, then move every object alive now to the permanent generation (``gc.freeze``).

    Call it once, after the heavy imports and before the first model loads (:func:`ui.models.warm_imports`):
    the ~500,000 objects of torch, transformers and Streamlit are never walked again (a full collection
    with the pages' models loaded took 0.25 s before; ~50 ms of CPU after, in the quick soak's server,
    walking mostly the models' ~75,000 objects). A frozen object is still freed when its last
    reference goes; only a reference cycle among frozen objects is never collected, which is why no
    model (released by the cache later) may be frozen. Returns the number frozen (0 when ``enabled``
    is False; unset, ``VISION_GC_FREEZE`` decides, :func:`engine.settings.gc_freeze`).

    Example:
        >>> freeze_imports(enabled=False)
        0
    """
    if not (settings.gc_freeze() if enabled is None else enabled):
        return 0
    gc.collect()  # what is garbage already must not be frozen
    gc.freeze()
    return gc.get_freeze_count()
