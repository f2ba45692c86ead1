"""A least-recently-used model cache under a memory budget, shared by all sessions.

The UI keeps one :class:`ModelCache` in ``st.cache_resource``; each model is loaded once,
read-only, and released (least recently used first) when loading another would exceed the
budget. Loading is serialised per key so two sessions never load the same model twice.

Example:
    >>> cache = ModelCache(budget_mb=100)
    >>> cache.get("a", lambda: "model A", size_mb=60)
    'model A'
    >>> _ = cache.get("b", lambda: "model B", size_mb=60)  # "a" is released
    >>> cache.keys()
    ['b']
    >>> _ = cache.get("a", lambda: "model A", size_mb=60)  # loaded before: a reload
    >>> cache.stats().reloads, cache.stats().evictions
    (1, 2)
"""

from __future__ import annotations

import gc
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine import settings
from engine.models.mapped import is_file_backed


def release_memory() -> None:
    """Collect garbage and hand freed heap back to the OS (:func:`trim_heap`)."""
    gc.collect()
    trim_heap()


_TRIM_LOCK = threading.Lock()
_last_trim = 0.0
TRIM_EVERY_S = 2.0  # after inferences, at most one trim this often (one takes ~40 ms on a 1 GB heap)


def trim_heap(every_s: float = 0.0) -> bool:
    """Hand the heap's free pages back to the OS; True when it did.

    glibc keeps freed memory in its arenas (one per thread that allocated: Streamlit runs each
    session on its own), so a released model, a loader's temporary copy of its weights or a
    forward pass's activations (DETR's at 1333 px are hundreds of MB) still count in the
    process's RSS, which is what the host's memory limit sees; ``malloc_trim(0)`` returns them.
    Not glibc: nothing to do. One trim at a time (a second caller skips it), and none when the
    last one is under ``every_s`` seconds old.

    Example:
        >>> trim_heap() in (True, False)  # never raises
        True
    """
    global _last_trim
    if not _TRIM_LOCK.acquire(blocking=False):
        return False
    try:
        now = time.monotonic()
        if every_s and now - _last_trim < every_s:
            return False
        _last_trim = now
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
        return True
    except (OSError, AttributeError):  # not glibc
        return False
    finally:
        _TRIM_LOCK.release()


M_ARENA_MAX = -8  # mallopt's parameter number (glibc's malloc.h)
_arenas_limited: list[int] = []


def limit_heap_arenas(arenas: int) -> bool:
    """Cap glibc's malloc arenas at ``arenas`` (``mallopt(M_ARENA_MAX)``); True when it did.

    glibc gives each thread that allocates under contention an arena of its own, up to 8 per core,
    and memory freed in one arena is never reused by another thread's: with a session per thread,
    a model loaded on one session's thread and activations on another's leave freed blocks spread
    over many arenas, so the heap stays large after a model is released. Two arenas (the setting
    of ``MALLOC_ARENA_MAX=2``, which a host like Streamlit Community Cloud cannot put in the
    server's environment) measured a lower peak in the all-pages run (bench/README.md). glibc only
    reads the cap while it has fewer than 8 arenas: call this early (:func:`ui.models.model_cache`,
    before any model loads). Once per process; 0 or not glibc: nothing.

    Example:
        >>> limit_heap_arenas(0)  # 0: leave glibc's own limit
        False
    """
    if arenas <= 0 or _arenas_limited:
        return False
    try:
        import ctypes

        done = bool(ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc
        return False
    if done:
        _arenas_limited.append(arenas)
    return done


def trim_after_inference() -> None:
    """:func:`trim_heap` at most every :data:`TRIM_EVERY_S`: the inference queue's hook."""
    trim_heap(TRIM_EVERY_S)


# Streamlit Community Cloud gives 2.7 GB. Python + Streamlit + torch (PyPI's CUDA build maps ~0.7 GB
# on import) + transformers measure ~1.1 GB before any model, so models get what
# engine.settings.default_model_budget_mb leaves (1090 MiB there): both CLIPs (481 MiB each, their
# token tables left in the file: engine.models.mapped) fit together for zero-shot's compare mode.


@dataclass(frozen=True)
class CacheStats:
    """What the cache did since the server started: reloads are loads of a key loaded before (the
    budget was too small for what the class uses), the figure the load bench records per level."""

    loads: int
    reloads: int
    evictions: int
    used_mb: float
    budget_mb: float
    keys: tuple[str, ...]


@dataclass
class _Entry:
    value: Any
    size_mb: float


def model_size_mb(model: Any) -> float:
    """Bytes held by a torch module's parameters and buffers, in MB (0 if not a module)."""
    module = getattr(model, "model", model)  # pipelines and Ultralytics wrappers hold `.model`
    module = getattr(module, "model", module) if not hasattr(module, "parameters") else module
    if not hasattr(module, "parameters"):
        return 0.0
    # A table read from the file's own pages (engine.models.mapped.map_parameter) is not heap.
    total = sum(p.numel() * p.element_size() for p in module.parameters() if not is_file_backed(p))
    total += sum(b.numel() * b.element_size() for b in module.buffers())
    return total / 2**20


def held_mb(wrapper: Any) -> float:
    """What a loaded model wrapper holds in memory, in MB; for a model served by Ray Serve (its
    ``model`` is None here), what its replica reported loading (the footprint's weights).

    Example:
        >>> held_mb(get_model("openai/clip-vit-base-patch32"))  # doctest: +SKIP
        577.4
    """
    module = getattr(wrapper, "model", None)
    if module is not None:
        return model_size_mb(module)
    footprint = getattr(wrapper, "footprint", None)
    return float(getattr(footprint, "size_mb", None) or 0.0) * 1e6 / 2**20


class ModelCache:
    """LRU cache of loaded models with a size budget in MB."""

    def __init__(self, budget_mb: float | None = None) -> None:
        self.budget_mb = float(budget_mb if budget_mb is not None else settings.model_budget_mb())
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[str, threading.Lock] = {}
        self.loads = 0
        self.reloads = 0
        self.evictions: list[str] = []
        self._loaded_once: set[str] = set()

    def _key_lock(self, key: str) -> threading.Lock:
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())

    def get(self, key: str, loader: Callable[[], Any], size_mb: float | None = None) -> Any:
        """The cached value of ``key``, loading it with ``loader()`` on a miss.

        ``size_mb`` (an estimate, e.g. the registry's download size) frees room *before* loading;
        the size kept for the budget is measured from the loaded model when it is a torch module.
        """
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key].value
        with self._key_lock(key):
            with self._lock:  # another thread may have loaded it while we waited
                if key in self._entries:
                    self._entries.move_to_end(key)
                    return self._entries[key].value
            if size_mb is not None:
                self._make_room(size_mb, release=False)  # free memory *before* loading the new one
            # A model released earlier can still be garbage in reference cycles (the last page's
            # widgets held it; Streamlit's collection after each run is off, .streamlit/config.toml):
            # collected here, before the new weights arrive, not after. In the all-pages run /depth's
            # first model loaded beside ~500 MB of the CLIPs /zero_shot had let go of.
            release_memory()
            value = loader()
            release_memory()  # the loader's temporary buffers (state dicts, file reads)
            size = model_size_mb(value) or (size_mb or 0.0)
            with self._lock:
                self._entries[key] = _Entry(value, size)
                self.loads += 1
                self.reloads += key in self._loaded_once
                self._loaded_once.add(key)
            self._make_room(0.0, keep=key)
            self._write_stats()
            return value

    def stats(self) -> CacheStats:
        """The counters and what is held now."""
        with self._lock:
            return CacheStats(
                self.loads,
                self.reloads,
                len(self.evictions),
                round(self.used_mb(), 1),
                self.budget_mb,
                tuple(self._entries),
            )

    def _write_stats(self) -> None:
        """The counters into ``VISION_CACHE_STATS`` when set (the load bench reads them from outside)."""
        path = settings.cache_stats_file()
        if path is None:
            return
        stats = self.stats()
        doc = {**stats.__dict__, "keys": list(stats.keys), "pid": os.getpid()}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(doc))
            tmp.replace(path)  # atomic: a reader never sees half a file
        except OSError:  # counters are for the bench: never fail a load over them
            pass

    def reserve(
        self, needed_mb: float, keep: Callable[[str], bool], pin: Callable[[str], bool] | None = None
    ) -> list[str]:
        """Release least recently used models until ``needed_mb`` (a call's working memory) fits
        under the budget beside the models held; the released keys.

        A model's activations are memory too: the budget holds the models *and* the call running
        now, so a page running a heavy model (DETR, GLPN) first lets go of other pages' idle ones,
        instead of holding both. What ``keep`` protects (the page's own models, which its compare
        mode uses in turn) goes only when that is not enough: /depth comparing its three models
        held 834 MB, and with GLPN's call 1.19 GB against Community Cloud's 1.09 GB budget. Their
        results stay in each session's cache, and a model read from safetensors reloads in under a
        second. What ``pin`` protects (the model about to run, its fast copy) is never released.

        Example:
            >>> cache = ModelCache(budget_mb=100)
            >>> for key in ("seg:a", "det:b", "det:c"):
            ...     _ = cache.get(key, lambda: key, size_mb=30)
            >>> det = lambda key: key.startswith("det:")
            >>> cache.reserve(30, keep=det)  # another page's model first
            ['seg:a']
            >>> cache.reserve(60, keep=det, pin=lambda key: key == "det:c")  # then the page's idle ones
            ['det:b']
            >>> cache.reserve(90, keep=det, pin=lambda key: key == "det:c")  # never the one about to run
            []
        """
        pinned = pin or (lambda key: False)
        released: list[str] = []
        with self._lock:
            for protected in (False, True):  # other pages' models, then the page's own
                for key in list(self._entries):  # least recently used first
                    if self.used_mb() + needed_mb <= self.budget_mb:
                        break
                    if pinned(key) or keep(key) != protected:
                        continue
                    del self._entries[key]
                    self.evictions.append(key)
                    released.append(key)
        if released:
            release_memory()
            self._write_stats()
        return released

    def _make_room(self, needed_mb: float, keep: str | None = None, *, release: bool = True) -> None:
        released = False
        with self._lock:
            while self._entries and self.used_mb() + needed_mb > self.budget_mb:
                oldest = next(iter(self._entries))
                if oldest == keep:
                    if len(self._entries) == 1:
                        break
                    self._entries.move_to_end(oldest)
                    oldest = next(iter(self._entries))
                del self._entries[oldest]
                self.evictions.append(oldest)
                released = True
        if released and release:
            release_memory()

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries

    def used_mb(self) -> float:
        return sum(e.size_mb for e in self._entries.values())

    def keys(self) -> list[str]:
        """Cached keys, least recently used first."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
        release_memory()
