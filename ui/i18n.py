"""UI strings in catalogs (Spanish by default, English on the switch).

Each module in :mod:`ui.strings` defines ``ES`` and ``EN`` dicts (one module a page, so pages
add strings without touching each other). Keys are ``"<area>.<name>"``; values are
``str.format`` templates.

Counts agree with their words through a plural field: ``{n:# objeto|# objetos}`` is the text
before ``|`` when ``n`` is 1 and the text after it otherwise, ``#`` standing for the number.
Spanish and English both have just these two forms for whole numbers, and each count in a
sentence gets its own choice ("1 imagen con 3 objetos").

Example:
    >>> translate("common.language", "en")
    'Language'
    >>> [plural_format("{n:# objeto|# objetos}", n=k) for k in (0, 1, 2)]
    ['0 objetos', '1 objeto', '2 objetos']
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Callable
from dataclasses import dataclass
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


class _PluralFormatter(string.Formatter):
    """``str.format`` plus the plural field ``{n:one|other}`` (``#`` is the number)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" not in format_spec:
            return super().format_field(value, format_spec)
        one, other = format_spec.split("|", 1)
        number = str(value)
        # "1" only: 1.0 prints as "1.0", which both languages read as plural.
        return (one if number == "1" else other).replace("#", number)


_FORMATTER = _PluralFormatter()


def plural_format(template: str, **params: object) -> str:
    """``template.format(**params)`` with plural fields (see the module's docstring).

    Example:
        >>> plural_format("{n:# line|# lines} in {s:# second|# seconds}", n=1, s=2)
        '1 line in 2 seconds'
    """
    return _FORMATTER.vformat(template, (), params)


def translate(key: str, lang: str, **params: object) -> str:
    """The string ``key`` in ``lang`` (falling back to Spanish, then to the key itself).

    Example:
        >>> translate("detection.found", "es", n=1), translate("detection.found", "en", n=2)
        ('1 objeto', '2 objects')
    """
    table = catalogs()
    text = table.get(lang, {}).get(key) or table[DEFAULT_LANG].get(key) or key
    if params:
        try:
            return plural_format(text, **params)
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


@dataclass(frozen=True)
class Caption:
    """A widget's ``format_func`` in the session's language: the catalog's ``prefix + value``, or
    ``via(value, lang)`` (a class name's Spanish label).

    Use it instead of a lambda written in a page: a lambda keeps the page's whole namespace
    alive (its ``__globals__``), with the models the page loaded in it, for as long as Streamlit
    keeps the widget's format function; an evicted model must not be kept so.

    Example:
        >>> Caption("input.source_")("upload") in ("Subir archivo", "Upload a file")
        True
        >>> Caption(via=lambda value, lang: f"{value}/{lang}")("cat")
        'cat/es'
    """

    prefix: str = ""
    via: Callable[[str, str], str] | None = None

    def __call__(self, value: object) -> str:
        if self.via is not None:
            return self.via(str(value), lang())
        return t(f"{self.prefix}{value}")
