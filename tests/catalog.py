"""What the page tests expect a page to say, read from the catalogs rather than copied: a test
stays right when a sentence is reworded, and fails when the page shows another entry.

Example:
    >>> es("detection.found", n=1)
    '1 objeto'
    >>> piece("zero_shot.memory")
    'Los dos CLIP ocupan unos '
    >>> parts("segmentation.found", label="sky", share=ANY, n=1)
    ['«sky» ocupa el ', ' de la imagen (1 segmento).']
"""

from __future__ import annotations

import string

from ui.i18n import catalogs, translate

ANY = "\x00"  # a parameter a test cannot know (a time, a share): parts() cuts the text there


def es(key: str, **params: object) -> str:
    """The Spanish text of ``key`` with ``params``, as a Spanish page shows it."""
    return translate(key, "es", **params)


def en(key: str, **params: object) -> str:
    """The English text of ``key`` with ``params``."""
    return translate(key, "en", **params)


def parts(key: str, lang: str = "es", **params: object) -> list[str]:
    """The text of ``key`` cut where a parameter is :data:`ANY`: every part must be on the page.
    (A count that picks a plural form must be given: ``ANY`` would pick the plural.)"""
    return [part for part in translate(key, lang, **params).split(ANY) if part]


def piece(key: str, lang: str = "es") -> str:
    """The longest fixed part of ``key``'s text (between its ``{placeholders}``): for a message
    whose parameters a test cannot know at all."""
    fixed = [literal for literal, _, _, _ in string.Formatter().parse(catalogs()[lang][key])]
    return max(fixed, key=len)


def stand_in(model: str, lang: str = "es") -> list[str]:
    """The parts of the one stand-in warning (ui.widgets.stand_in_text) for ``model``: all must show."""
    return parts("common.stand_in", lang, model=model, published=ANY, what=ANY, facts=ANY)


def says_stand_in(body: str, model: str, lang: str = "es") -> bool:
    """Whether ``body`` holds the stand-in warning for ``model``, in ``lang``."""
    return all(part in body for part in stand_in(model, lang))
