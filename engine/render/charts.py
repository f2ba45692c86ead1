"""Charts as pure functions returning Plotly figures (no Streamlit here).

Example:
    >>> fig = score_bars(["cat", "dog"], [0.8, 0.2], title="Top-2")
    >>> list(fig.data[0].y)
    ['dog', 'cat']
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Protocol

import plotly.graph_objects as go

_HEIGHT_PER_BAR = 34
MAX_TICK_CHARS = 20  # an axis label longer than this is shortened (hover shows it whole)
_SHOWN_CHAR = re.compile(r"&#?\w+;|.", re.DOTALL)  # one character on screen: an escape or a plain one
MAX_TITLE_CHARS = 32  # a title's line: what a 280 px compare column shows


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
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=ys,
            orientation="h",
            text=text,
            textposition="auto",
            marker_color=color,
            customdata=ys,
            hovertemplate="%{customdata}: %{text}<extra></extra>",  # the whole label, however long
        )
    )
    # Probabilities on their whole 0-100 % scale, four ticks: a narrow chart auto-ranged to
    # 0-0.4 % drew rotated ticks that all read "0%". Long labels are shortened on the axis (a
    # "jersey, T-shirt, tee shirt" took the plot's width); hover and the table have them whole.
    xaxis = dict(title=x_title, tickangle=0, nticks=5, rangemode="tozero")
    if percent:
        xaxis.update(tickformat=".0%", range=[0, 1.04], tickvals=[0, 0.25, 0.5, 0.75, 1.0])  # room for "100%"
    # A title does not wrap in Plotly: in a compare column "Probabilidad (softmax sobre 5 etiquetas)" was cut.
    lines = textwrap.wrap(title, MAX_TITLE_CHARS) if title else []
    fig.update_layout(
        title="<br>".join(lines) or None,
        height=max(180, 80 + _HEIGHT_PER_BAR * len(ys) + 20 * max(0, len(lines) - 1)),
        margin=dict(l=10, r=10, t=20 + 20 * len(lines) if lines else 10, b=30),
        xaxis=xaxis,
        yaxis=dict(type="category", automargin=True, tickvals=ys, ticktext=[short_label(y) for y in ys]),
    )
    return fig


def short_label(text: str, most: int = MAX_TICK_CHARS) -> str:
    """``text`` cut to ``most`` characters with "…" for an axis, counting an ``&...;`` escape
    (:func:`plotly_text`) as the one character it shows and never cutting inside it.

    Example:
        >>> short_label("jersey, T-shirt, tee shirt", 14)
        'jersey, T-shi…'
        >>> short_label("&lt;b&gt;bold&lt;/b&gt;", 11), short_label("a &amp; b", 3)
        ('&lt;b&gt;bold&lt;/b&gt;', 'a …')
    """
    shown = _SHOWN_CHAR.findall(text)
    if len(shown) <= most:
        return text
    return "".join(shown[: most - 1]) + "…"


def heatmap(
    matrix: Sequence[Sequence[float]],
    rows: Sequence[str],
    cols: Sequence[str],
    *,
    title: str = "",
    text: Sequence[Sequence[str]] | None = None,
) -> go.Figure:
    """A heatmap with the value written in each cell (rows top to bottom as given), or ``text``'s
    cell instead (a confusion matrix: its counts, coloured by their share of the row).

    Example:
        >>> heatmap([[0.5, 0.5]], ["cat"], ["cat", "dog"], text=[["1", "1"]]).data[0].text
        (['1', '1'],)
    """
    fig = go.Figure(
        go.Heatmap(
            z=[list(r) for r in matrix],
            x=list(cols),
            y=list(rows),
            colorscale="Blues",
            zmin=0,
            zmax=1,
            text=[list(r) for r in text] if text is not None else [[f"{v:.2f}" for v in r] for r in matrix],
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


class OverTime(Protocol):
    """What :func:`objects_over_time` reads of a result (``engine.tasks.video.VideoDetections``;
    a protocol, since render knows no task module beyond detection's boxes)."""

    model_id: str

    def counts_over_time(self) -> tuple[list[float], dict[str, list[int]]]: ...


_DASHES = ("solid", "dash", "dot", "dashdot")  # one line style per model, the colour stays the class's


def objects_over_time(
    results: Sequence[OverTime],
    *,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    display: Callable[[str], str] | None = None,
) -> go.Figure:
    """Objects per class in each sampled frame: a line per class, in its box colour, and per model
    when several results are given ("cat · yolov8n", one dash style per model). ``display`` names a
    class in the page's language (as the annotated video does); the colour stays the class's.

    Example:
        >>> from types import SimpleNamespace as R
        >>> a = R(model_id="ultralytics/yolov8n", counts_over_time=lambda: ([0.0, 0.5], {"cat": [1, 2]}))
        >>> b = R(model_id="facebook/detr-resnet-50", counts_over_time=lambda: ([0.0, 0.5], {"cat": [1, 1]}))
        >>> [t.name for t in objects_over_time([a]).data], [t.name for t in objects_over_time([a, b]).data]
        (['cat'], ['cat · yolov8n', 'cat · detr-resnet-50'])
        >>> objects_over_time([a], display={"cat": "gato (cat)"}.get).data[0].name
        'gato (cat)'
    """
    from engine.render.annotate import color_for

    fig = go.Figure()
    most = 0
    for k, result in enumerate(results):
        times, series = result.counts_over_time()
        short = result.model_id.rsplit("/", 1)[-1]
        for name, counts in series.items():
            most = max(most, max(counts, default=0))
            shown = display(name) if display else name
            label = plotly_text(shown if len(results) == 1 else f"{shown} · {short}")
            fig.add_trace(
                go.Scatter(
                    x=list(times),
                    y=list(counts),
                    name=label,
                    mode="lines+markers",
                    line=dict(color="rgb({},{},{})".format(*color_for(name)), dash=_DASHES[k % len(_DASHES)]),
                    line_shape="hv",  # a count holds until the next sampled frame
                    hovertemplate=f"{label}: %{{y}} · %{{x:.2f}} s<extra></extra>",
                )
            )
    fig.update_layout(
        title=title or None,
        height=320,
        margin=dict(l=10, r=10, t=40 if title else 10, b=30),
        xaxis=dict(title=x_title or None, rangemode="tozero"),
        yaxis=dict(title=y_title or None, rangemode="tozero", dtick=1 if most <= 10 else None),
        legend=dict(orientation="h", y=-0.25),
    )
    return fig
