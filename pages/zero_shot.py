"""Zero-shot classification with CLIP: the student's labels, an editable template, OpenAI vs LAION.

Labels are user text: they go only into dataframes, st.text, st.code, Plotly (escaped) and the
picture, never into Markdown.
"""

from __future__ import annotations

import streamlit as st

from engine.errors import EngineError
from engine.models.cache import model_size_mb
from engine.render.annotate import caption_image
from engine.render.charts import plotly_text, score_bars
from engine.results import Classifications
from engine.tasks.clip import (
    DEFAULT_TEMPLATE,
    MAX_INPUT_CHARS,
    MAX_LABEL_CHARS,
    MAX_LABELS,
    MAX_TEMPLATE_CHARS,
    TASK,
    ClipModel,
    code_snippet,
    parse_labels,
    prompts,
    similarities,
    truncated,
    validate_template,
    zero_shot,
)
from engine.timing import timed
from ui.errors import show_error
from ui.i18n import lang, t
from ui.inputs import image_input_ui
from ui.layout import code_expander, how_it_works, page_header
from ui.models import get_model
from ui.queue import queued
from ui.widgets import download_row, model_columns, model_picker, source_text, unreachable_notice

# Label sets the buttons fill in: English against Spanish shows that CLIP learnt in English.
EXAMPLES = {
    "en": "cat, dog, fox, horse, bird, car",
    "es": "gato, perro, zorro, caballo, pájaro, coche",
    "mix": "fox, zorro, cat, gato",
}

_PERCENT = st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)


def _set_labels(example: str) -> None:
    st.session_state["zs_labels"] = EXAMPLES[example]


st.session_state.setdefault("zs_labels", t("zero_shot.default_labels"))
st.session_state.setdefault("zs_template", DEFAULT_TEMPLATE)

page_header("zero_shot")
how_it_works("zero_shot")

labels: list[str] = []
template = DEFAULT_TEMPLATE
left, right = st.columns([1, 2], gap="large")
with left:
    compare = st.toggle(t("zero_shot.compare"), key="zs_compare", help=t("zero_shot.compare_help"))
    model_ids = model_picker(TASK, "zs", compare=compare, max_models=2, hub=True)
    unreachable_notice(TASK)
    labels_text = st.text_area(
        t("zero_shot.labels"),
        key="zs_labels",
        max_chars=MAX_INPUT_CHARS,
        height=110,
        help=t("zero_shot.labels_help", max=MAX_LABELS, chars=MAX_LABEL_CHARS),
    )
    st.caption(t("zero_shot.examples"))
    for example in EXAMPLES:
        st.button(
            t(f"zero_shot.example_{example}"),
            key=f"zs_example_{example}",
            on_click=_set_labels,
            args=(example,),
            width="stretch",
        )
    template_text = st.text_input(
        t("zero_shot.template"), key="zs_template", max_chars=MAX_TEMPLATE_CHARS, help=t("zero_shot.template_help")
    )
    try:
        labels = parse_labels(labels_text)
        template = validate_template(template_text)
    except EngineError as exc:
        show_error(exc)
        labels = []
    sentences = prompts(labels, template) if labels else []
    if sentences:
        st.caption(t("zero_shot.template_caption", n=len(sentences)))
        st.code("\n".join(sentences), language=None)
    show_cosine = st.toggle(t("zero_shot.cosine"), key="zs_cosine", help=t("zero_shot.cosine_help"))
    picture = image_input_ui("zs")
    if picture is not None:
        st.image(picture.image, width="stretch")
        st.text(t("input.your_image", name=picture.name))


def show_result(i: int, model_id: str) -> Classifications | None:
    """One model's scores: top label, bar chart, table, the labelled photo. None on an engine error."""
    try:
        model: ClipModel = get_model(model_id)
        result, ms = queued(
            f"zero_shot:{i}", model_id, lambda: timed(zero_shot, model, picture.image, labels, template)
        )
        cosines = similarities(model, picture.image, labels, template) if show_cosine else None
        cut = truncated(model, sentences)
    except EngineError as exc:
        show_error(exc)
        return None
    label, score = result.top
    st.caption(t("zero_shot.top"))
    st.text(label)  # user text: never Markdown
    st.metric(t("zero_shot.top_score"), f"{score:.1%}")
    st.caption(t("common.inference_ms", ms=ms) + " · " + source_text(model.where, model.origin))
    if cut:
        st.warning(t("zero_shot.truncated", n=len(cut)))
    chart = score_bars(
        [plotly_text(x) for x in result.labels],
        result.scores,
        title=t("zero_shot.chart_title", n=len(labels)),
        x_title=t("zero_shot.col_score"),
    )
    st.plotly_chart(chart, width="stretch", key=f"zs_chart_{i}")
    if cosines is not None:
        cos_chart = score_bars(
            [plotly_text(x) for x in cosines.labels],
            cosines.scores,
            title=t("zero_shot.cosine_title"),
            x_title=t("zero_shot.col_cosine"),
            percent=False,
            color="#F58518",
        )
        st.plotly_chart(cos_chart, width="stretch", key=f"zs_cosine_chart_{i}")
    cosine_of = dict(zip(cosines.labels, cosines.scores, strict=True)) if cosines else {}
    rows = [
        {
            t("zero_shot.col_rank"): rank,
            t("zero_shot.col_label"): lab,
            t("zero_shot.col_score"): sc,
            **({t("zero_shot.col_cosine"): round(cosine_of[lab], 4)} if cosines else {}),
        }
        for rank, (lab, sc) in enumerate(zip(result.labels, result.scores, strict=True), start=1)
    ]
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        key=f"zs_table_{i}",
        column_config={t("zero_shot.col_score"): _PERCENT},
    )
    st.caption(t("zero_shot.annotated"))
    labelled = caption_image(picture.image, f"{label} · {score:.1%}")
    st.image(labelled, width="stretch")
    download_row(f"zs_download_{i}", f"zero_shot_{i + 1}", png=labelled)
    return result


with right:
    results: dict[str, Classifications] = {}
    columns = model_columns(model_ids, compare=compare, show=bool(labels) and picture is not None)
    for i, (column, model_id) in enumerate(columns):
        with column:
            result = show_result(i, model_id)
        if result is not None:
            results[model_id] = result
    if len(results) > 1:
        st.subheader(t("zero_shot.compare_table"))
        size = sum(model_size_mb(get_model(m).model) for m in results)
        st.caption(t("zero_shot.memory", mb=size))
        scores_of = {m: dict(zip(r.labels, r.scores, strict=True)) for m, r in results.items()}
        first = next(iter(results.values()))
        st.dataframe(
            [{t("zero_shot.col_label"): lab, **{m: scores_of[m][lab] for m in results}} for lab in first.labels],
            hide_index=True,
            width="stretch",
            key="zs_compare_table",
            column_config=dict.fromkeys(results, _PERCENT),
        )

# Every CLIP on screen has its snippet (compare mode: OpenAI beside LAION); the default's while none is picked.
snippet_labels = labels or parse_labels(t("zero_shot.default_labels"))
snippet_args = {"cosine": show_cosine, "file_name": picture.file_name if picture else "", "lang": lang()}
code_expander(
    [
        (m, code_snippet(m, snippet_labels, template, **snippet_args))
        for m in model_ids or ["openai/clip-vit-base-patch32"]
    ]
)
