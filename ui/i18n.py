"""UI strings in catalogs (Spanish by default, English on the switch).

Each module in :mod:`ui.strings` defines ``ES`` and ``EN`` dicts (one module a page, so pages
add strings without touching each other). Keys are ``"<area>.<name>"``; values are
``str.format`` templates.

Example:
    >>> translate("common.language", "en")
    'Language'
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

import streamlit as st

LANGS = ("es", "en")
DEFAULT_LANG = "es"


@lru_cache(maxsize=1)
def catalogs() -> dict[str, dict[str, str]]:
    """All catalogs merged: ``{"es": {...}, "en": {...}}`` (a duplicate key is an error)."""
    import ui.strings as pkg

    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"ui.strings.{info.name}")
        for lang in LANGS:
            table = getattr(module, lang.upper(), {})
            clash = set(table) & set(merged[lang])
            if clash:
                raise KeyError(f"ui.strings.{info.name} redefines {sorted(clash)}")
            merged[lang].update(table)
    return merged


def translate(key: str, lang: str, **params: object) -> str:
    """The string ``key`` in ``lang`` (falling back to Spanish, then to the key itself)."""
    table = catalogs()
    text = table.get(lang, {}).get(key) or table[DEFAULT_LANG].get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def lang() -> str:
    """The session's language: the sidebar switch, else ``?lang=`` in the URL, else Spanish."""
    value = st.session_state.get("lang")
    if value not in LANGS:
        value = st.query_params.get("lang", DEFAULT_LANG)
        value = value if value in LANGS else DEFAULT_LANG
    return value


def t(key: str, **params: object) -> str:
    """Translate ``key`` into the session's language."""
    return translate(key, lang(), **params)
