"""The course's deliverable of a page (and of the whole course): a zip with a Markdown report, the
images as shown, the results as CSV and a script that reproduces them (no Streamlit here).

Example:
    >>> from engine.deliverable import Deliverable, Entry, Machine, join
"""

from __future__ import annotations

from engine.deliverable.entry import Entry, Machine
from engine.deliverable.markdown import md_cell, md_table, slug
from engine.deliverable.model import MAX_ZIP_BYTES, SCRIPT, WORDS, Deliverable, join
from engine.deliverable.scripts import SNIPPETS, join_snippets, run_snippet

__all__ = [
    "MAX_ZIP_BYTES",
    "SCRIPT",
    "SNIPPETS",
    "WORDS",
    "Deliverable",
    "Entry",
    "Machine",
    "join",
    "join_snippets",
    "md_cell",
    "md_table",
    "run_snippet",
    "slug",
]
