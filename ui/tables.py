"""Short tables that fit their column: ``st.table`` whose cells wrap (never a cut on the right),
with cell text shown literally.

``st.table`` renders every cell and header as Markdown, and lays out at its widest unbreakable
word: a rank header ``#`` became an empty heading, and a file name or a model id wider than a
narrow column pushed the table past it, cut with no sign. :func:`fit_table` escapes what Markdown
would read and lets a long word break, so the table always fits (tests/browser/test_layout_widths.py
checks it at 1400 and 1024 px).

Example:
    >>> fit_table([{"#": 1, "Modelo": "ultralytics/yolov8n"}])  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

# A word longer than its column breaks (overflow-wrap: anywhere also lowers the table's smallest
# width, which is what keeps it inside the column). On what is in each cell (its paragraphs reset it);
# style-only HTML takes no room in the page.
# A metric's value (a top label, "jersey, T-shirt, tee shirt") wraps too: cut with "…" it hid the answer.
FIT_CSS = (
    "<style>"
    '[data-testid="stTable"] [data-testid="stTableStyledTable"] :is(th, td) * { overflow-wrap: anywhere; }'
    '[data-testid="stMetric"] [data-testid="stMetricValue"] :is(div, p) {'
    " white-space: normal; overflow-wrap: anywhere; text-overflow: clip; }"
    "</style>"
)
# What Markdown reads anywhere in a cell (emphasis, code, links, HTML, tables, maths, emoji
# shortcodes); "-", "." and "/" are left alone so ids and numbers stay as they are.
_INLINE = re.compile(r"([\\`*_\[\]<>|~$:])")
# What it reads at the start of a cell: a heading, a list item, a quote; and "1." a numbered list.
_LEADING = re.compile(r"^(\s*)([#>+\-=])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


def cell_text(value: Any) -> Any:
    """``value`` as ``st.table`` should show it: strings with their Markdown escaped, anything else as is.

    Example:
        >>> cell_text("#")
        '\\\\#'
        >>> cell_text("**x**_1.jpg"), cell_text("facebook/detr-resnet-50"), cell_text(0.5)
        ('\\\\*\\\\*x\\\\*\\\\*\\\\_1.jpg', 'facebook/detr-resnet-50', 0.5)
    """
    if not isinstance(value, str):
        return value
    text = _INLINE.sub(r"\\\1", value.replace("\n", " "))
    text = _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return _NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def fit_table(rows: Sequence[Mapping[str, Any]], *, height: int | None = None) -> None:
    """``rows`` (one dict a row, the same keys) as a table that wraps instead of overflowing its
    column; ``height`` in pixels scrolls a long one (headers stay on top).

    Example:
        >>> fit_table([{"Modelo": "ultralytics/yolov8n", "Objetos": 2}])  # doctest: +SKIP
    """
    st.html(FIT_CSS)
    shown = [{cell_text(k): cell_text(v) for k, v in row.items()} for row in rows]
    st.table(shown, width="stretch", height="content" if height is None else height)
