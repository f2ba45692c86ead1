"""Zero-shot classification with CLIP: the student's labels, an editable template, OpenAI vs LAION.

Labels are user text: they go only into dataframes, st.text, st.code, Plotly (escaped) and the
picture, never into Markdown.
"""

from __future__ import annotations

import streamlit as st

from engine.errors import EngineError
from engine.models import registry
from engine.models.cache import held_mb
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
    zero_shot_compared,
)
from engine.timing import timed
from ui import deliverable, query
from ui.errors import show_error
from ui.fastmode import fast_compared, fast_shown, fast_toggle, show_comparison
from ui.i18n import lang, t
from ui.inputs import image_input_ui
from ui.labelled import zero_shot_section
from ui.layout import code_expander, how_it_works, page_header
from ui.models import get_model
from ui.queue import queued
from ui.session import SessionCache
from ui.steps import model_steps
from ui.widgets import download_row, model_label, model_picker, stand_in_notice, unreachable_notice, weights_caption

# Label sets the buttons fill in: English against Spanish shows that CLIP learnt in English.
EXAMPLES = {
    "en": "cat, dog, fox, horse, bird, car",
    "es": "gato, perro, zorro, caballo, pájaro, coche",
    "mix": "fox, zorro, cat, gato",
}

FAST = SessionCache("zs_fast_runs", size=2)  # the fast mode's scores of the page's photo and labels, per model


def _narrow_columns() -> dict:
    """A model's table in pixels that add up to a compare column (ui.widgets.MODEL_COLUMN_PX):
    sized to their text, "Coseno" was pushed out of sight."""
    return {
        t("zero_shot.col_rank"): st.column_config.NumberColumn(width=32),
        t("zero_shot.col_label"): st.column_config.TextColumn(width=96),
        t("zero_shot.col_score"): st.column_config.ProgressColumn(
            format="percent", min_value=0.0, max_value=1.0, width=86
        ),
        t("zero_shot.col_cosine"): st.column_config.NumberColumn(format="%.3f", width=60),
    }


def _set_labels(example: str) -> None:
    st.session_state["zs_labels"] = EXAMPLES[example]


# A shared link's labels and template (ui/query.py) start the text boxes; the student's edits then win.
st.session_state.setdefault("zs_labels", query.text("labels", t("zero_shot.default_labels"), max_chars=MAX_INPUT_CHARS))
st.session_state.setdefault("zs_template", query.text("template", DEFAULT_TEMPLATE, max_chars=MAX_TEMPLATE_CHARS))

page_header("zero_shot")
how_it_works("zero_shot")

labels: list[str] = []
template = DEFAULT_TEMPLATE
left, right = st.columns([1, 2], gap="large")
with left:
    linked = query.models(TASK, most=2)
    compare = st.toggle(
        t("zero_shot.compare"),
        value=query.flag("compare", len(linked) > 1),
        key="zs_compare",
        help=t("zero_shot.compare_help"),
    )
    model_ids = model_picker(TASK, "zs", compare=compare, max_models=2, hub=True, initial=linked)
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
    query.share(
        {"model": model_ids, "compare": compare, "labels": labels_text, "template": template_text},
        {
            "model": query.default_model(TASK),
            "compare": False,
            "labels": t("zero_shot.default_labels"),
            "template": DEFAULT_TEMPLATE,
        },
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
    fast_on = fast_toggle("zero_shot")  # "Modo rápido": off by default (fp32, the pipeline's numbers)
    picture = image_input_ui("zs")
    if picture is not None:
        st.image(picture.image, width="stretch")
        st.text(t("input.your_image", name=picture.name))


def fast_section(i: int, model_id: str, model: ClipModel, result: Classifications) -> None:
    """ "Modo rápido": the fast copy's scores beside fp32's (``result``, the page's), its time next to
    fp32's and how well they agree. Labels are user text: a table and st.text only."""
    compared = fast_shown(
        lambda: fast_compared(
            model_id,
            model,
            page=f"zero_shot:{i}",
            cache=FAST,
            key=(model_id, picture.digest, tuple(labels), template),
            compare=lambda fast: zero_shot_compared(model, fast, picture.image, labels, template),
        )
    )
    if compared is None:
        return
    found, comparison = compared
    label, score = found.top
    st.text(f"{label} · {score:.1%}")  # user text: never Markdown
    fp32_of = dict(zip(result.labels, result.scores, strict=True))
    st.dataframe(
        [
            {t("zero_shot.col_label"): lab, "fp32": fp32_of[lab], comparison.mode: sc}
            for lab, sc in zip(found.labels, found.scores, strict=True)
        ],
        hide_index=True,
        width="stretch",
        key=f"zs_fast_table_{i}",
        column_config={
            t("zero_shot.col_label"): st.column_config.TextColumn(width=96),
            **{
                c: st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0, width=86)
                for c in ("fp32", comparison.mode)
            },
        },
    )
    show_comparison(comparison)
    st.caption(t("fastmode.clip_time"))


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
    stand_in_notice(model)
    label, score = result.top
    st.caption(t("zero_shot.top"))
    st.text(label)  # user text: never Markdown
    st.metric(t("zero_shot.top_score"), f"{score:.1%}")
    st.caption(t("common.inference_ms", ms=ms) + " · " + weights_caption(model))
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
        column_config=_narrow_columns(),
    )
    st.caption(t("zero_shot.annotated"))
    labelled = caption_image(picture.image, f"{label} · {score:.1%}")
    st.image(labelled, width="stretch")
    download_row(f"zs_download_{i}", f"zero_shot_{i + 1}", png=labelled)
    if fast_on:  # the fp32 scores above stay the page's (its table, downloads, deliverable)
        fast_section(i, model_id, model, result)
    # Sorted scores, the top label over the image; in compare mode a run per model (OpenAI vs LAION).
    scored = [{**row, **({"cosine": round(cosine_of[row["label"]], 4)} if cosines else {})} for row in result.rows()]
    deliverable.record(
        "zero_shot",
        (model_id, picture.digest, tuple(labels), template, show_cosine),
        lambda: deliverable.entry(
            picture.name,
            picture.image,
            scored,
            ms,
            model_id,
            {"labels": labels, "template": template, "cosine": show_cosine},
            {"labelled": labelled},
        ),
    )
    return result


with right:
    results: dict[str, Classifications] = {}
    columns = model_steps(model_ids, compare=compare, show=bool(labels) and picture is not None)
    for i, (column, model_id) in enumerate(columns):
        with column:
            result = show_result(i, model_id)
        if result is not None:
            results[model_id] = result
    if len(results) > 1:
        st.subheader(t("zero_shot.compare_table"))
        size = sum(held_mb(get_model(m)) for m in results)  # on the Serve replicas in Serve mode
        st.caption(t("zero_shot.memory", mb=size))
        scores_of = {m: dict(zip(r.labels, r.scores, strict=True)) for m, r in results.items()}
        first = next(iter(results.values()))
        heading = {m: model_label(get_model(m)) for m in results}  # a stand-in says so in its column
        st.dataframe(
            [
                {t("zero_shot.col_label"): lab, **{heading[m]: scores_of[m][lab] for m in results}}
                for lab in first.labels
            ],
            hide_index=True,
            width="stretch",
            key="zs_compare_table",
            # Widths that add up to the right-hand column at 1024 px (~340 px); a long id is whole on hover.
            column_config={
                t("zero_shot.col_label"): st.column_config.TextColumn(width=110),
                **{
                    h: st.column_config.ProgressColumn(
                        format="percent", min_value=0.0, max_value=1.0, width=110, help=h
                    )
                    for h in heading.values()
                },
            },
        )

deliverable.deliverable_button("zero_shot")
# Every CLIP on screen has its snippet (compare mode: OpenAI beside LAION); the default's while none is picked.
snippet_labels = labels or parse_labels(t("zero_shot.default_labels"))
snippet_args = {"cosine": show_cosine, "file_name": picture.file_name if picture else "", "lang": lang()}
code_expander(
    [
        (m, code_snippet(m, snippet_labels, template, **snippet_args))
        for m in model_ids or ["openai/clip-vit-base-patch32"]
    ]
)

# The same labelled zip with the folder names as CLIP's labels: OpenAI vs LAION.
zero_shot_section(model_ids, [s.id for s in registry.models_for(TASK)], template)
