"""Markdown pieces of a report: a cell that cannot break its table, a table, a safe file name.

Example:
    >>> print(md_table(["a", "b"], [["x|y", "*z*"]]))
    | a | b |
    | --- | --- |
    | x\\|y | \\*z\\* |
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# Every character Markdown (and GitHub's renderer) gives a meaning to inside a line, escaped with a
# backslash ("#", ".", "-", "+" only mean something at a line's start, which a cell or heading never
# is; "(...)" only after "[...]", whose brackets are escaped):
# a label "**ganó**" or an image name "<img src=x>" is shown as typed, never rendered.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_cell(value: object) -> str:
    """``value`` as Markdown text: special characters escaped, line breaks made spaces.

    Example:
        >>> md_cell("a|b\\n[c](d)")
        'a\\\\|b \\\\[c\\\\](d)'
        >>> md_cell(0.5)
        '0.5'
    """
    text = "" if value is None else str(value)
    text = " ".join(text.splitlines())
    return _SPECIAL.sub(r"\\\1", text)


def md_table(header: Sequence[object], records: Iterable[Sequence[object]]) -> str:
    """A Markdown table, every cell through :func:`md_cell` (an empty table is its header)."""
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(md_cell(v) for v in record) + " |" for record in records]
    return "\n".join(lines)


def slug(name: str, most: int = 40) -> str:
    """A file name part from anything a student typed or uploaded: ASCII letters, digits, ``-`` and
    ``_`` only (no ``/``, no ``..``), never empty.

    Example:
        >>> slug("../../etc/pásswd.png"), slug("  "), slug("Mi gato (1).JPG")
        ('passwd', 'x', 'Mi_gato_1')
    """
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.strip(".") else stem
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_text).strip("_-")
    return cleaned[:most] or "x"
