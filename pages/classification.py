"""Image classification: one model or two-three side by side, on a sample, upload or camera photo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import streamlit as st

from engine.errors import EngineError
from engine.render.charts import score_bars
from engine.tasks.classification import MAX_TOP_K, TASK, classify, code_snippet
from engine.tasks.fast import classify_compared
from engine.timing import timed
from ui import deliverable, query
from ui.errors import show_error
from ui.fastmode import fast_compared, fast_toggle, show_comparison
from ui.i18n import lang, t
from ui.inputs import image_input_ui
from ui.labelled import classification_section
from ui.layout import code_expander, how_it_works, md_escape, page_header
from ui.models import get_model
from ui.queue import queued
from ui.session import SessionCache, shown_image
from ui.steps import model_steps
from ui.tables import fit_table
from ui.widgets import model_picker, stand_in_notice, unreachable_notice, weights_caption

if TYPE_CHECKING:
    import plotly.graph_objects as go

# Each model's result on a photo, kept in the session (under its byte budget, least recently used
# dropped first): a rerun with the same photo, model and mode (the compare toggle, another top-k, a
# language switch) shows it again, its inference time as measured, instead of running the model again.
# fp32 results are kept at the most labels the engine gives (MAX_TOP_K), so moving the top-k slider
# only cuts them (the same prefix of the same sort); a fast mode's comparison depends on top-k.
RESULTS = SessionCache("cls_results", size=48)


@st.cache_resource(show_spinner=False, max_entries=64)
def bars(labels: Sequence[str], scores: Sequence[float], title: str, x_title: str) -> go.Figure:
    """The score chart of a result, built once per server (Plotly validates every property it is
    given: ~4 ms a chart and rerun); st.plotly_chart only reads the figure (a copy, to JSON)."""
    return score_bars(labels, scores, title=title, x_title=x_title)


page_header("classification")
how_it_works("classification")

left, right = st.columns([1, 2], gap="large")
with left:
    linked = query.models(TASK)  # a shared link's settings start the widgets (ui/query.py)
    compare = st.toggle(
        t("common.compare"),
        value=query.flag("compare", len(linked) > 1),
        key="cls_compare",
        help=t("common.compare_help"),
    )
    model_ids = model_picker(TASK, "cls", compare=compare, hub=True, initial=linked)
    top_k = st.slider(t("classification.top_k"), 1, 10, query.number("top_k", 5, 1, 10, integer=True), key="cls_top_k")
    query.share(
        {"model": model_ids, "compare": compare, "top_k": top_k},
        {"model": query.default_model(TASK), "compare": False, "top_k": 5},
    )
    fast_on = fast_toggle("cls")  # "Modo rápido": off by default (fp32, the pipeline's numbers)
    unreachable_notice(TASK)
    picture = image_input_ui("cls")
    if picture is not None:
        caption = t("input.your_image", name=md_escape(picture.name))
        st.image(shown_image(picture.image, picture.digest), caption=caption, width="stretch")

with right:
    for column, model_id in model_steps(model_ids, compare=compare, show=picture is not None):
        with column:
            try:
                classifier = get_model(model_id)
                compared = None
                if fast_on:  # None where no fast copy is faster here (fast_model_for says so): fp32 below
                    compared = fast_compared(
                        model_id,
                        classifier,
                        page="classification",
                        cache=RESULTS,
                        key=("fast", model_id, picture.digest, top_k),
                        compare=lambda f, c=classifier: classify_compared(c, f, picture.image, top_k),
                    )
                if compared is None:
                    ranked, ms = RESULTS.get(
                        ("run", model_id, picture.digest),
                        lambda c=classifier, m=model_id: queued(
                            "classification", m, lambda: timed(classify, c, picture.image, MAX_TOP_K)
                        ),
                    )
                    result, comparison = ranked.top_k(top_k), None
                else:
                    result, comparison = compared
                    ms = comparison.fast_ms
            except EngineError as exc:
                show_error(exc)
                continue
            stand_in_notice(classifier)
            label, score = result.top
            title = t("classification.top") if comparison is None else t("fastmode.result", mode=comparison.mode)
            st.metric(title, label, f"{score:.1%}", delta_color="off")
            if comparison is not None:
                show_comparison(comparison)
            st.caption(t("common.inference_ms", ms=ms) + " · " + weights_caption(classifier))
            st.plotly_chart(
                bars(result.labels, result.scores, t("classification.chart_title", k=top_k), t("common.probability")),
                width="stretch",
                key=f"cls_chart_{model_id}",
            )
            fit_table(
                [
                    {
                        t("classification.col_rank"): row["rank"],
                        t("classification.col_label"): row["label"],
                        t("classification.col_score"): f"{row['score']:.2%}",
                    }
                    for row in result.rows()
                ]
            )
            mode = {} if comparison is None else {"mode": comparison.mode}
            deliverable.record(
                "classification",
                (model_id, picture.digest, top_k, *mode.values()),
                # The photo's PNG is encoded once for all its runs (ui.deliverable.PngMemo).
                lambda r=result, m=model_id, ms=ms, mode=mode: deliverable.entry(
                    picture.name, picture.image, r.rows(), ms, m, {"top_k": top_k, **mode}
                ),
            )

deliverable.deliverable_button("classification")
# Every model on screen has its snippet (compare mode); the default model's while none is picked.
snippet_file = picture.file_name if picture else ""
code_expander([(m, code_snippet(m, top_k, snippet_file, lang())) for m in model_ids or ["efficientnet-lite0"]])

# Accuracy on the student's own labelled photos (a zip of class folders), for the models picked above.
classification_section(model_ids)
