"""Slow steps shown in the page: one status line over a comparison of models ("Modelo 2 de 3:
facebook/detr-resnet-50") or a batch of images ("Imagen 4 de 8: playa.jpg"), left as a closed
"3 modelos listos" once done, so a student sees what the page is doing instead of only
Streamlit's corner widget.

A single step shows nothing: one model or one image has its own spinner (the model load's, in
:func:`ui.models.get_model`) and needs no counter.

Example:
    >>> for column, model_id in model_steps(model_ids, compare=compare, show=picture is not None):  # doctest: +SKIP
    ...     with column:
    ...         run(model_id)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import streamlit as st

from ui.i18n import t
from ui.layout import md_escape
from ui.widgets import model_columns

T = TypeVar("T")


def each_step(
    items: Sequence[T],
    label: Callable[[int, int, T], str],
    done: Callable[[int], str],
    *,
    where: Any = None,
) -> Iterator[T]:
    """``items`` one by one, with a status whose label says which of how many is under way
    (``label(i, n, item)``, ``i`` from 1), closed with ``done(n)``; nothing shown for fewer than two.
    ``where`` is the container the status goes in (default: the current one)."""
    if len(items) < 2:
        yield from items
        return
    status = (where or st).status(label(1, len(items), items[0]), state="running", expanded=False)
    for i, item in enumerate(items, start=1):
        status.update(label=label(i, len(items), item), state="running")
        yield item
    status.update(label=done(len(items)), state="complete")


def model_steps(model_ids: Sequence[str], *, compare: bool, show: bool = True) -> Iterator[tuple[Any, str]]:
    """:func:`ui.widgets.model_columns` with "Modelo i de n: <id>" above the columns while each runs."""
    above = st.container()  # made first, so the status sits above the columns
    columns = model_columns(model_ids, compare=compare, show=show)
    yield from each_step(
        columns,
        lambda i, n, pair: t("steps.model", i=i, n=n, model=pair[1]),
        lambda n: t("steps.models_done", n=n),
        where=above,
    )


def image_steps(names: Sequence[str]) -> Iterator[tuple[int, str]]:
    """``(index, name)`` of each image, with "Imagen i de n: <name>" while it is read."""
    yield from each_step(
        list(enumerate(names)),
        lambda i, n, pair: t("steps.image", i=i, n=n, name=md_escape(pair[1])),  # user text
        lambda n: t("steps.images_done", n=n),
    )
