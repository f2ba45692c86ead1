"""Tables and charts that fit a narrow column (issue 18, items 4 and 5); the browser checks what
Chromium draws at 1400 and 1024 px (tests/browser/test_layout_widths.py)."""

from __future__ import annotations

from engine.render.charts import MAX_TICK_CHARS, score_bars, short_label
from ui.tables import cell_text


def test_small_probabilities_get_a_whole_scale_and_flat_ticks() -> None:
    # Auto-ranged to 0-0.4 %, a narrow chart drew rotated ticks that all read "0%".
    fig = score_bars(["a", "b", "c"], [0.004, 0.002, 0.001])
    axis = fig.layout.xaxis
    assert axis.range[0] == 0 and axis.range[1] >= 1.0
    assert axis.tickangle == 0
    assert len(set(axis.tickvals)) == len(axis.tickvals) >= 3


def test_long_labels_are_short_on_the_axis_and_whole_on_hover() -> None:
    long = "jersey, T-shirt, tee shirt"
    fig = score_bars([long, "cat"], [0.6, 0.4])
    bar = fig.data[0]
    assert list(bar.y) == ["cat", long] and list(bar.customdata) == ["cat", long]
    ticks = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext, strict=True))
    assert ticks["cat"] == "cat"
    assert ticks[long].endswith("…") and len(ticks[long]) == MAX_TICK_CHARS
    assert "%{customdata}" in bar.hovertemplate


def test_a_long_title_wraps() -> None:
    fig = score_bars(["a"], [1.0], title="Probabilidad (softmax sobre 5 etiquetas)")
    assert "<br>" in fig.layout.title.text


def test_short_label_counts_an_escape_as_what_it_shows() -> None:
    assert short_label("&lt;b&gt;bold&lt;/b&gt;", 11) == "&lt;b&gt;bold&lt;/b&gt;"  # "<b>bold</b>": 11 shown
    assert short_label("&lt;b&gt; bold text here", 4) == "&lt;b&gt;…"  # never "&lt" (garbage on screen)


def test_table_cells_are_shown_literally() -> None:
    # "#" as a header was an empty Markdown heading; "**x**" would be bold.
    assert cell_text("#") == "\\#"
    assert cell_text("**x**.jpg") == "\\*\\*x\\*\\*.jpg"
    assert cell_text("- item") == "\\- item" and cell_text("1. item") == "1\\. item"
    # ids, numbers and em dashes stay as they are (the page's tests and CSVs compare them)
    assert [cell_text(v) for v in ("facebook/detr-resnet-50", "0.950", "—", 3)] == [
        "facebook/detr-resnet-50",
        "0.950",
        "—",
        3,
    ]
