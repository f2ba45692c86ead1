"""Per-session result caches: what a page computed for this student, kept across reruns.

Streamlit reruns the whole page on every widget change; a result that depends only on some of
the widgets (a detection on the same photo and settings, a segmentation of the same image)
must not be recomputed, nor its inference time measured again. A :class:`SessionCache` keeps
the ``size`` most recently used results of one kind in ``st.session_state``; the models
themselves live in the server's shared cache (:mod:`ui.models`), never here.

All the caches of one session share one byte budget (``VISION_SESSION_MB``,
:func:`engine.settings.session_budget_bytes`): each value is measured when stored
(:func:`engine.serving.session.nbytes`: arrays, images, bytes by their buffers) and the least
recently used values of any cache are dropped first, so a class of sessions cannot fill the
server's memory. The newest value always stays.

Example:
    >>> RUNS = SessionCache("det_cache", size=48)
    >>> RUNS.get(("run", "ultralytics/yolov8n", "sample:cat"), lambda: detect(...))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

from engine import settings
from engine.serving.session import nbytes

_SIZES = "_session_cache_sizes"  # (cache name, key) -> bytes, least recently used first

T = TypeVar("T")


@dataclass(frozen=True)
class SessionCache:
    """Up to ``size`` values computed once per session, by key, least recently used dropped first.

    ``name`` is the ``st.session_state`` entry that holds them (one per cache).
    """

    name: str
    size: int

    def _store(self) -> dict[Hashable, Any]:
        return st.session_state.setdefault(self.name, {})

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value of ``key``, ``compute()`` once on a miss (nothing is kept when it raises)."""
        store = self._store()
        sizes = _sizes()
        if key in store:
            store[key] = store.pop(key)  # now the most recently used
            if (self.name, key) in sizes:
                sizes[(self.name, key)] = sizes.pop((self.name, key))
            return store[key]
        value = compute()
        store[key] = value
        sizes[(self.name, key)] = nbytes(value)
        while len(store) > self.size:
            oldest = next(iter(store))
            store.pop(oldest)
            sizes.pop((self.name, oldest), None)
        _enforce_budget(keep=(self.name, key))
        return value

    def put(self, key: Hashable, value: T) -> T:
        """Store ``value`` under ``key``, replacing what was there (a result recomputed from new settings)."""
        self._store().pop(key, None)
        _sizes().pop((self.name, key), None)
        return self.get(key, lambda: value)

    def values(self) -> list[Any]:
        """What the cache holds now, least recently used first (nothing is computed or reordered)."""
        return list(self._store().values())

    def keep_only(self, keys: Collection[Hashable]) -> None:
        """Drop every value whose key is not in ``keys`` (e.g. files removed from an uploader free their pixels)."""
        store = self._store()
        sizes = _sizes()
        for stale in [k for k in store if k not in keys]:
            del store[stale]
            sizes.pop((self.name, stale), None)


def _sizes() -> dict[tuple[str, Hashable], int]:
    return st.session_state.setdefault(_SIZES, {})


def session_bytes() -> int:
    """What this session's caches hold, in bytes (as measured when each value was stored)."""
    return sum(_sizes().values())


def _enforce_budget(keep: tuple[str, Hashable]) -> None:
    """Drop least recently used values, of any cache, until the session is within its budget."""
    sizes = _sizes()
    budget = settings.session_budget_bytes()
    while sum(sizes.values()) > budget and len(sizes) > 1:
        name, key = next(k for k in sizes if k != keep)
        sizes.pop((name, key))
        st.session_state.get(name, {}).pop(key, None)


# What ``st.image(image, width="stretch")`` sends for a photo, kept per session: Streamlit encodes a
# PIL image again on every rerun (JPEG at quality 100, then, wider than its 1460 px content width,
# decoded, shrunk and encoded again at 90): ~3 ms for a sample, ~110 ms for a 2048 px photo.
SHOWN = SessionCache("shown_images", size=2)
STREAMLIT_MAX_WIDTH = 2 * 730  # streamlit.elements.lib.image_utils.MAXIMUM_CONTENT_WIDTH


def shown_bytes(image: Any) -> bytes | None:
    """The bytes ``st.image(image, width="stretch")`` would send for an RGB or grey PIL ``image``
    (its own steps, byte for byte: a test compares them with Streamlit's); ``None`` for other
    modes (Streamlit picks PNG or GIF for those: pass the image itself).

    Example:
        >>> from PIL import Image
        >>> shown_bytes(Image.new("RGB", (8, 8), "red"))[:2]  # a JPEG
        b'\\xff\\xd8'
        >>> shown_bytes(Image.new("RGBA", (8, 8))) is None
        True
    """
    import io

    from PIL import Image

    if image.mode not in ("RGB", "L"):
        return None
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=100)
    data = buf.getvalue()
    if image.width <= STREAMLIT_MAX_WIDTH:
        return data
    decoded = Image.open(io.BytesIO(data))  # Streamlit shrinks the JPEG it made, not the image
    height = int(1.0 * decoded.height * STREAMLIT_MAX_WIDTH / decoded.width)
    small = decoded.resize((STREAMLIT_MAX_WIDTH, height), resample=Image.BILINEAR)
    buf = io.BytesIO()
    small.save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def shown_image(image: Any, key: Hashable) -> Any:
    """What to pass to ``st.image(..., width="stretch")`` for ``image``: its bytes made once per session
    and ``key`` (a photo's digest; :func:`shown_bytes`), under the session's byte budget; the image
    itself where Streamlit would not send a JPEG.

    Example:
        >>> st.image(shown_image(picture.image, picture.digest), width="stretch")  # doctest: +SKIP
    """
    data = SHOWN.get(("shown", key), lambda: shown_bytes(image))
    return image if data is None else data
