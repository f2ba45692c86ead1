"""Charts as pure functions returning Plotly figures (no Streamlit here).

Example:
    >>> fig = score_bars(["cat", "dog"], [0.8, 0.2], title="Top-2")
    >>> list(fig.data[0].y)
    ['dog', 'cat']
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

_HEIGHT_PER_BAR = 34


def plotly_text(text: str) -> str:
    """User text made literal for Plotly, which reads ``<b>``, ``<a>``, ``&...;`` and ``$TeX$``.

    Example:
        >>> plotly_text("<b>$5</b> & co")
        '&lt;b&gt;&#36;5&lt;/b&gt; &amp; co'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("$", "&#36;")


def score_bars(
    labels: Sequence[str],
    scores: Sequence[float],
    *,
    title: str = "",
    x_title: str = "score",
    percent: bool = True,
    color: str = "#4C78A8",
) -> go.Figure:
    """A horizontal bar chart, best on top (Plotly draws the first category at the bottom)."""
    pairs = sorted(zip(labels, scores, strict=True), key=lambda p: p[1])
    ys = [p[0] for p in pairs]
    xs = [p[1] for p in pairs]
    text = [f"{x:.1%}" if percent else f"{x:.3f}" for x in xs]
    fig = go.Figure(go.Bar(x=xs, y=ys, orientation="h", text=text, textposition="auto", marker_color=color))
    fig.update_layout(
        title=title or None,
        height=max(180, 80 + _HEIGHT_PER_BAR * len(ys)),
        margin=dict(l=10, r=10, t=40 if title else 10, b=30),
        xaxis=dict(title=x_title, tickformat=".0%" if percent else None, rangemode="tozero"),
        yaxis=dict(type="category", automargin=True),
    )
    return fig


def heatmap(
    matrix: Sequence[Sequence[float]],
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    title: str = "",
) -> go.Figure:
    """A heatmap with the value written in each cell (rows top to bottom as given)."""
    fig = go.Figure(
        go.Heatmap(
            z=[list(r) for r in matrix],
            x=list(cols),
            y=list(rows),
            colorscale="Blues",
            zmin=0,
            zmax=1,
            text=[[f"{v:.2f}" for v in r] for r in matrix],
            texttemplate="%{text}",
        )
    )
    fig.update_layout(
        title=title or None,
        yaxis=dict(autorange="reversed", type="category"),
        xaxis=dict(type="category"),
        height=max(240, 120 + 40 * len(rows)),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
    )
    return fig
