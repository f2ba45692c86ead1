"""Image classification: one model or two-three side by side, on a sample, upload or camera photo."""

from __future__ import annotations

import streamlit as st

from engine.errors import EngineError
from engine.render.charts import score_bars
from engine.tasks.classification import TASK, classify, code_snippet
from engine.tasks.fast import classify_compared
from engine.timing import timed
from ui import deliverable, query
from ui.errors import show_error
from ui.fastmode import fast_model_for, fast_toggle, show_comparison
from ui.i18n import lang, t
from ui.inputs import image_input_ui
from ui.labelled import classification_section
from ui.layout import code_expander, how_it_works, md_escape, page_header
from ui.models import get_model
from ui.queue import queued
from ui.steps import model_steps
from ui.tables import fit_table
from ui.widgets import model_picker, stand_in_notice, unreachable_notice, weights_caption

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
        st.image(picture.image, caption=t("input.your_image", name=md_escape(picture.name)), width="stretch")

with right:
    for column, model_id in model_steps(model_ids, compare=compare, show=picture is not None):
        with column:
            try:
                classifier = get_model(model_id)
                fast = fast_model_for(model_id, classifier, page="classification") if fast_on else None
                comparison = None
                if fast is None:
                    result, ms = queued(
                        "classification", model_id, lambda c=classifier: timed(classify, c, picture.image, top_k)
                    )
                else:
                    result, comparison = queued(
                        "classification",
                        model_id,
                        lambda c=classifier, f=fast: classify_compared(c, f, picture.image, top_k),
                    )
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
                score_bars(
                    result.labels,
                    result.scores,
                    title=t("classification.chart_title", k=top_k),
                    x_title=t("common.probability"),
                ),
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
