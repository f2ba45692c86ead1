"""The deliverable of each page: every run a page showed is recorded in the session, and one button
downloads them as the course's deliverable (engine/deliverable); Home joins every page's.

The runs live in the session's caches (ui/session.py), under its byte budget with everything else
the session keeps: the least recently used go first, and the report says how many are gone.

Example:
    >>> record("classification", ("cls", model_id, digest), lambda: Entry(...))  # doctest: +SKIP
    >>> deliverable_button("classification")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from datetime import UTC, datetime
from typing import Any

import streamlit as st
from PIL import Image

from engine.deliverable import Deliverable, Entry, Machine, join
from ui.i18n import catalogs, lang, t, translate
from ui.session import SessionCache

# The pages with a deliverable, in the menu's order (Home's zip has a folder for each).
PAGES = ("classification", "pictionary", "detection", "video", "segmentation", "zero_shot", "clip_workshop", "depth")
MAX_RUNS = 64  # per page; the byte budget usually bounds them first
_COUNTS = "_deliverable_counts"  # page -> runs recorded (kept or not), to say how many were dropped
_SEQ = "_deliverable_seq"  # the next run's number: the report keeps the order they ran in


def _cache(page: str) -> SessionCache:
    return SessionCache(f"deliverable_{page}", size=MAX_RUNS)


class PngMemo:
    """PNG bytes of the images encoded lately, by their pixels' hash, under ``max_bytes`` in all.

    A page records a new run whenever its result changes, yet its photos often do not: a label edit
    on /zero_shot or a description edit on /clip_workshop encoded the same photos again on every
    edit, most of the server's share of those waits (py-spy: 86 % and 66 % of the script's samples).
    Hashing the pixels (blake2b) costs a few ms a megapixel; encoding them, tens. Shared by the
    server's sessions (a sample photo is the same bytes for everyone); the least recently used go
    first.

    Example:
        >>> memo = PngMemo(max_bytes=10_000)
        >>> a = memo.get(Image.new("RGB", (8, 8), "red"))
        >>> memo.get(Image.new("RGB", (8, 8), "red")) is a  # the same pixels: the same bytes, not encoded again
        True
        >>> memo.get(Image.new("RGB", (8, 8), "blue")) is a
        False
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[bytes, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, image: Image.Image) -> bytes:
        """``image`` as PNG (zlib level 1), encoded only if these pixels were not lately."""
        digest = hashlib.blake2b(image.tobytes(), digest_size=16)
        digest.update(f"{image.mode}{image.size}".encode())
        key = digest.digest()
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
                return data
        data = _encode_png(image)
        with self._lock:
            if key not in self._items and len(data) <= self.max_bytes:
                self._items[key] = data
                self._bytes += len(data)
                while self._bytes > self.max_bytes:
                    _, dropped = self._items.popitem(last=False)
                    self._bytes -= len(dropped)
        return data


def _encode_png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


_PNGS = PngMemo(max_bytes=32 * 2**20)


def png(image: Image.Image) -> bytes:
    """An image as PNG bytes (lossless: the script sees the pixels the model saw).

    zlib's fastest level: every new result of every page encodes its photos here before the page
    is drawn; at the default level (6) it was most of the server's share of /clip_workshop's wait
    after a description edit (bench answer: p50 0.81-0.91 s, 0.59-0.65 s at level 1). Level 1 is
    3-4x faster for ~7 % more bytes, the same pixels. Pixels encoded lately are not encoded again
    (:class:`PngMemo`)."""
    return _PNGS.get(image)


def entry(
    image_name: str,
    sources: list[tuple[str, Image.Image]] | Image.Image,
    rows: list[Mapping[str, Any]],
    ms: float | None,
    models: list[str] | str,
    settings: Mapping[str, Any] | None = None,
    shown: Mapping[str, Image.Image] | None = None,
    facts: Mapping[str, Any] | None = None,
) -> Entry:
    """An :class:`Entry` from what a page has on screen (PIL images become PNG bytes; now is its time)."""
    pairs = [(image_name, sources)] if isinstance(sources, Image.Image) else sources
    return Entry(
        image_name=image_name,
        sources=tuple((name, png(img)) for name, img in pairs),
        rows=tuple(dict(r) for r in rows),
        ms=None if ms is None else float(ms),
        models=(models,) if isinstance(models, str) else tuple(models),
        settings=dict(settings or {}),
        shown=tuple((kind, png(img)) for kind, img in (shown or {}).items()),
        facts=dict(facts or {}),
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    )


def record(page: str, key: Hashable, build: Callable[[], Entry], *, slot: Hashable = None) -> None:
    """Keep the run ``key`` of ``page`` for its deliverable; ``build()`` only the first time (a rerun
    of the same result is the same run). Runs of one ``slot`` replace each other (a drawing's
    guesses, stroke after stroke, are one run: its latest)."""
    cache = _cache(page)
    full = (slot, key)
    if slot is not None:
        store = st.session_state.get(cache.name, {})
        stale = [k for k in store if k[0] == slot and k != full]
        if stale:
            cache.keep_only([k for k in store if k not in stale])
            counts = st.session_state.setdefault(_COUNTS, {})
            counts[page] = counts.get(page, 0) - len(stale)  # replaced, not dropped

    def first_time() -> tuple[int, Entry]:
        made = build()
        seq = st.session_state.get(_SEQ, 0)
        st.session_state[_SEQ] = seq + 1
        counts = st.session_state.setdefault(_COUNTS, {})
        counts[page] = counts.get(page, 0) + 1
        return seq, made

    cache.get(full, first_time)


def grid(images: list[Image.Image], columns: int = 3, gap: int = 8) -> Image.Image:
    """Pictures side by side, ``columns`` a row, on white (the game's summary as one image)."""
    if not images:
        return Image.new("RGB", (1, 1), "white")
    w = max(i.width for i in images)
    h = max(i.height for i in images)
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * (w + gap) + gap, rows * (h + gap) + gap), "white")
    for n, image in enumerate(images):
        sheet.paste(image.convert("RGB"), (gap + (n % columns) * (w + gap), gap + (n // columns) * (h + gap)))
    return sheet


def _entries(page: str) -> list[tuple[int, Entry]]:
    return sorted(st.session_state.get(f"deliverable_{page}", {}).values(), key=lambda pair: pair[0])


def words(page: str, language: str) -> dict[str, str]:
    """Every ``deliverable.*`` word of the catalog in ``language``, and the page's title."""
    keys = [k for k in catalogs()["es"] if k.startswith("deliverable.")]
    out = {k.removeprefix("deliverable."): translate(k, language) for k in keys}
    out["page"] = translate(f"{page}.title", language)
    return out


def deliverable(page: str) -> Deliverable | None:
    """This session's deliverable of ``page`` (``None`` before its first run)."""
    kept = _entries(page)
    if not kept:
        return None
    recorded = st.session_state.get(_COUNTS, {}).get(page, len(kept))
    return Deliverable(
        page,
        lang(),
        tuple(e for _, e in kept),
        machine=Machine.here(),
        words=words(page, lang()),
        dropped=max(0, recorded - len(kept)),
    )


def file_name(page: str) -> str:
    """The zip's name: ``entregable_<page>.zip`` (``deliverable_<page>.zip`` in English)."""
    return f"{'deliverable' if lang() == 'en' else 'entregable'}_{page}.zip"


def deliverable_button(page: str) -> None:
    """The page's one deliverable button (disabled, with a hint, until something has run)."""
    made = deliverable(page)
    if made is None:
        st.download_button(
            t("deliverable.button"), b"", file_name(page), "application/zip", key=f"{page}_deliverable", disabled=True
        )
        st.caption(t("deliverable.nothing_yet"))
        return
    # The zip is built when the student clicks (Streamlit's deferred download), from the runs as they
    # are now: no rerun builds it, and no session keeps a zip of megabytes outside its byte budget.
    st.download_button(
        t("deliverable.button"),
        made.to_zip,
        file_name(page),
        "application/zip",
        key=f"{page}_deliverable",
        help=t("deliverable.help"),
        on_click="ignore",  # the download needs no rerun (and a rerun would not change the zip)
        icon="📦",
    )
    st.caption(t("deliverable.in_session", n=len(made.entries)))


def course_button() -> None:
    """Home's "todo el curso" button: every page's deliverable of this session in one zip."""
    made = [d for d in (deliverable(p) for p in PAGES) if d is not None]
    name = "course.zip" if lang() == "en" else "curso.zip"
    if not made:
        st.download_button(
            t("deliverable.course_button"), b"", name, "application/zip", key="home_deliverable", disabled=True
        )
        st.caption(t("deliverable.course_nothing"))
        return
    home_words = words("home", lang())
    st.download_button(
        t("deliverable.course_button"),
        lambda: join(made, home_words),  # built on the click, like a page's (deliverable_button)
        name,
        "application/zip",
        key="home_deliverable",
        help=t("deliverable.course_help"),
        on_click="ignore",
        icon="📦",
    )
