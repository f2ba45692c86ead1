"""A page's settings in the address bar, so a teacher can share a link that opens the page set up
for an exercise: ``/detection?model=facebook/detr-resnet-50&conf=0.3`` or
``/zero_shot?labels=gato,+perro&template=una+foto+de+{}``.

A page reads the URL's values as its widgets' *defaults* (:func:`models`, :func:`number`,
:func:`flag`, :func:`text`, :func:`names`), so a value the student then picks wins, and writes its
current settings back with :func:`share`, so the address bar always holds the link of what is on
screen. Everything read is checked: unknown model ids and names are ignored, numbers clamped to the
widget's range, text cut to the widget's length and stripped of control characters.

Streamlit's own ``bind="query-params"`` is not used: it stores a select box's *shown* text
("facebook/detr-resnet-50 · listo", "persona (person)"), which changes with the language and with
what is downloaded, so a link made in Spanish would not open in English.

Example:
    >>> clean_text("una foto de {}\\x00" * 3, 20)
    'una foto de {}una fo'
    >>> clamp("7.5", 0.5, 0.01, 0.99), clamp("nan", 0.5, 0.01, 0.99), clamp("12", 5, 1, 10, integer=True)
    (0.99, 0.5, 10)
    >>> clamp("0.33", 0.7, 0.1, 0.95, step=0.05)
    0.35
    >>> model_ids = models("object-detection")  # doctest: +SKIP
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from engine.models import registry
from ui.i18n import DEFAULT_LANG, lang, t

MAX_VALUES = 100  # repeated or comma-separated values read from one parameter (COCO has 80 classes)
MAX_RAW_CHARS = 4000  # a parameter longer than this is cut before it is parsed
TRUE = {"1", "true", "yes", "on", "si", "sí"}
FALSE = {"0", "false", "no", "off"}


def clean_text(raw: str, max_chars: int) -> str:
    """``raw`` without control characters (newlines and tabs kept), at most ``max_chars`` long."""
    kept = (ch for ch in raw[: max_chars * 2] if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return "".join(kept)[:max_chars]


def clamp(raw: str, default: float, lo: float, hi: float, *, integer: bool = False, step: float = 0.0) -> float:
    """``raw`` as a number in ``[lo, hi]`` (an integer with ``integer``, on the slider's ``step``
    from ``lo`` when given), ``default`` if it is none."""
    try:
        value = float(raw.strip()[:40])
    except ValueError:
        return default
    if not math.isfinite(value):
        return default
    value = min(hi, max(lo, value))
    if step:
        value = min(hi, round(lo + round((value - lo) / step) * step, 6))
    return round(value) if integer else value


def _values(param: str) -> list[str]:
    """Every value of ``param``: repeated (``?model=a&model=b``) or comma-separated (``?model=a,b``)."""
    out: list[str] = []
    for raw in st.query_params.get_all(param)[:MAX_VALUES]:
        out += [part.strip() for part in raw[:MAX_RAW_CHARS].split(",") if part.strip()]
    return out[:MAX_VALUES]


def _last(param: str) -> str | None:
    values = st.query_params.get_all(param)
    return values[-1][:MAX_RAW_CHARS] if values else None


def text(param: str, default: str, *, max_chars: int) -> str:
    """The URL's text for ``param`` (cleaned, cut to ``max_chars``), else ``default``."""
    raw = _last(param)
    return default if raw is None else clean_text(raw, max_chars)


def number(param: str, default: float, lo: float, hi: float, *, integer: bool = False, step: float = 0.0) -> Any:
    """The URL's number for ``param`` clamped to ``[lo, hi]`` (on ``step``), else ``default``."""
    raw = _last(param)
    return default if raw is None else clamp(raw, default, lo, hi, integer=integer, step=step)


def flag(param: str, default: bool = False) -> bool:
    """The URL's yes/no for ``param`` (``1``/``0``, ``true``/``false``, ``sí``/``no``), else ``default``."""
    raw = (_last(param) or "").strip().lower()
    return True if raw in TRUE else False if raw in FALSE else default


def names(param: str, allowed: Sequence[str], *, most: int = MAX_VALUES) -> list[str]:
    """The URL's values of ``param`` that are in ``allowed``, each once, at most ``most``."""
    known = set(allowed)
    return list(dict.fromkeys(v for v in _values(param) if v in known))[:most]


def models(task: str, *, most: int = 3) -> list[str]:
    """The URL's ``model`` values that are models of ``task`` in the registry (others ignored)."""
    return names("model", [spec.id for spec in registry.models_for(task)], most=most)


def default_model(task: str) -> list[str]:
    """The model a page opens with (``[id]``): left out of the address, so a plain visit keeps a plain URL."""
    return [registry.default_for(task).id]


def _encoded(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["1" if value else "0"]
    if isinstance(value, float):
        return [f"{value:g}"]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def share(current: Mapping[str, Any], defaults: Mapping[str, Any], *, hint: bool = True) -> None:
    """Put ``current`` in the address bar: each setting that differs from its default (the others
    are removed, so a link says only what was changed), and the language when it is not Spanish;
    then the "copy this address" hint in the sidebar (``hint``: a page that shares in two places
    shows it once).

    Only parameters whose value changed are written: the URL is not rewritten on every rerun.
    """
    wanted = {**current, "lang": lang()}
    fallback = {**defaults, "lang": DEFAULT_LANG}
    for param, value in wanted.items():
        empty = value is None or value == "" or (isinstance(value, (list, tuple)) and not value)
        if empty or (param in fallback and value == fallback[param]):
            if param in st.query_params:
                del st.query_params[param]
            continue
        encoded = _encoded(value)
        if st.query_params.get_all(param) != encoded:
            st.query_params[param] = encoded if len(encoded) > 1 else encoded[0]
    if hint:
        st.sidebar.caption(t("link.hint"))
