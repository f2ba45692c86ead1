"""The "accuracy on your labelled photos" section of the classification and zero-shot pages: the zip
(or the sample set), the folder -> ImageNet mapping, each model's accuracy, per-class table and
confusion heatmap, and the joint table of what this session measured on both pages.

Results live in the session (:mod:`ui.session`, under its byte budget): a supervised model's five
best labels per photo are kept by (model, zip), so editing the mapping reruns no model; the joint
table reads what either page measured on the same zip.

Example:
    >>> chosen = labelled_input("cls")  # doctest: +SKIP
    >>> if chosen: show_results([classifier_accuracy(m, chosen, mapping) for m in model_ids], "cls")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from engine.errors import EngineError
from engine.evaluation.labelled import (
    MAX_CLASSES,
    MAX_PHOTOS,
    OTHER,
    JointTable,
    LabelledAccuracy,
    LabelledSet,
    apply_mapping,
    evaluate_zero_shot,
    rank_photos,
    sample_zip,
    suggest_mapping,
    zero_shot_labels,
)
from engine.evaluation.labelled.folders import MIN_CLASSES
from engine.inputs.images import digest
from engine.render.charts import heatmap, plotly_text
from engine.tasks.clip import prompts
from ui.errors import show_error
from ui.i18n import lang, t
from ui.layout import md_escape
from ui.models import get_model
from ui.queue import queued
from ui.session import SessionCache
from ui.widgets import download_row, model_label

SETS = SessionCache("labelled_sets", size=3)  # the sample zip, and the read sets (their photos' bytes) by digest
RANKED = SessionCache("labelled_ranked", size=12)  # a supervised model's top-5 labels, by (model, zip)
ZERO_SHOT = SessionCache("labelled_zero_shot", size=8)  # CLIP's result, by (model, zip, template)
MEASURED = SessionCache("labelled_measured", size=16)  # the joint table: the latest result per (page, model, zip)


@dataclass(frozen=True)
class Chosen:
    """The labelled set the student gave: the set and the name shown for it (the zip's, or "sample set")."""

    labelled: LabelledSet
    name: str


def labelled_input(prefix: str) -> Chosen | None:
    """The zip uploader and the sample-set toggle; the set read (None, with the refusal shown, when bad)."""
    st.markdown(t("labelled.intro"))
    upload = st.file_uploader(
        t("labelled.upload"),
        type=["zip"],
        key=f"{prefix}_lab_zip",
        help=t("labelled.upload_help", min=MIN_CLASSES, max_classes=MAX_CLASSES, max_photos=MAX_PHOTOS),
    )
    sample = st.toggle(t("labelled.sample"), key=f"{prefix}_lab_sample", help=t("labelled.sample_help"))
    if upload is not None:
        data, name = upload.getvalue(), upload.name
    elif sample:
        data = SETS.get(("sample_zip", lang()), lambda: sample_zip(lang()))
        name = t("labelled.sample_name")
    else:
        return None
    try:
        labelled = SETS.get(("set", digest(data)), lambda: LabelledSet.from_zip(data))
    except EngineError as exc:
        show_error(exc)
        return None
    st.caption(t("labelled.loaded", name=md_escape(name), n=len(labelled), k=len(labelled.classes)))  # user text
    return Chosen(labelled, name)


def mapping_ui(prefix: str, labelled: LabelledSet, labels: Sequence[str]) -> dict[str, list[str]]:
    """One multiselect per folder of the model's labels, starting from the suggestion (a new zip starts anew)."""
    suggested = suggest_mapping(labelled.classes, labels)
    mapping: dict[str, list[str]] = {}
    with st.expander(t("labelled.mapping"), expanded=False):
        st.caption(t("labelled.mapping_help"))
        for i, folder in enumerate(labelled.classes):
            mapping[folder] = st.multiselect(
                md_escape(folder),  # a widget label reads Markdown: the folder name is user text
                list(labels),
                default=suggested[folder],
                key=f"{prefix}_lab_map_{labelled.digest[:12]}_{i}",
                placeholder=t("labelled.mapping_none"),
            )
    return mapping


def _progress_run(model_id: str, n: int, page: str, fn: Callable[..., Any]) -> Any:
    """``fn(progress=..., run=...)`` with a progress bar, each inference through the page's fair queue."""
    bar = st.progress(0.0, text=t("labelled.running", model=model_id, i=0, n=n))
    try:
        return fn(
            progress=lambda i, total: bar.progress(i / total, text=t("labelled.running", model=model_id, i=i, n=total)),
            run=lambda call: queued(page, model_id, call),
        )
    finally:
        bar.empty()


def _record(page: str, chosen: Chosen, result: LabelledAccuracy, model: Any) -> LabelledAccuracy:
    """Keep ``result`` for the joint table, with the model's table label (a stand-in says so)."""
    MEASURED.put((page, result.model_id, chosen.labelled.digest), (chosen.labelled.digest, result, model_label(model)))
    return result


def classifier_accuracy(model_id: str, chosen: Chosen, mapping: dict[str, list[str]]) -> LabelledAccuracy | None:
    """A supervised model's accuracy on the set through ``mapping`` (None, with the error shown)."""
    labelled = chosen.labelled
    try:
        classifier = get_model(model_id)
        labels = getattr(classifier, "labels", ())
        ranked = RANKED.get(
            ("ranked", model_id, labelled.digest),
            lambda: _progress_run(
                model_id,
                len(labelled),
                "classification",
                lambda **kw: rank_photos(classifier, labelled, **kw),
            ),
        )
        result = apply_mapping(ranked, labelled, mapping, labels)
    except EngineError as exc:
        show_error(exc)
        return None
    return _record("classification", chosen, result, classifier)


def zero_shot_accuracy(model_id: str, chosen: Chosen, template: str) -> LabelledAccuracy | None:
    """CLIP's accuracy with the folder names as labels through ``template`` (None, with the error shown)."""
    labelled = chosen.labelled
    try:
        model = get_model(model_id)
        result = ZERO_SHOT.get(
            ("zero_shot", model_id, labelled.digest, template),
            lambda: _progress_run(
                model_id,
                len(labelled),
                "zero_shot",
                lambda **kw: evaluate_zero_shot(model, labelled, template, **kw),
            ),
        )
    except EngineError as exc:
        show_error(exc)
        return None
    return _record("zero_shot", chosen, result, model)


def _percent(value: float | None) -> str:
    return t("labelled.no_top5") if value is None else f"{value:.1%}"


def measured() -> list[tuple[LabelledAccuracy, str]]:
    """Every result this session keeps for the joint table, with its model's table label."""
    return [(result, label) for _, result, label in MEASURED.values()]


def summary_rows(results: Sequence[LabelledAccuracy]) -> list[dict[str, Any]]:
    """The accuracy table's rows, translated: model, kind, photos, top-1, top-5, seconds per photo."""
    labels = {r.model_id: label for r, label in measured()}
    return [
        {
            t("labelled.col_model"): labels.get(r.model_id, r.model_id),
            t("labelled.col_kind"): t(f"labelled.kind_{r.kind}"),
            t("labelled.col_images"): len(r),
            t("labelled.col_top1"): _percent(r.top1),
            t("labelled.col_top5"): _percent(r.top5),
            t("labelled.col_s_image"): f"{r.seconds_per_image:.3f}",
        }
        for r in results
    ]


def _class_rows(result: LabelledAccuracy) -> list[dict[str, Any]]:
    return [
        {
            t("labelled.col_class"): row["class"],
            t("labelled.col_images"): row["images"],
            t("labelled.col_correct"): row["correct"],
            t("labelled.col_top1"): _percent(row["top1"]),
            t("labelled.col_top5"): _percent(row["top5"]),
        }
        for row in result.rows()
    ]


def confusion_chart(result: LabelledAccuracy) -> Any:
    """The confusion heatmap: counts in the cells, coloured by their share of the row; folder names escaped."""
    rows = [plotly_text(c) for c in result.classes]
    cols = [t("labelled.other") if c == OTHER else plotly_text(c) for c in result.columns]
    counts = result.confusion()
    return heatmap(result.confusion_shares(), rows, cols, text=[[str(v) for v in r] for r in counts])


def show_results(results: Sequence[LabelledAccuracy], prefix: str) -> None:
    """The accuracy table of every model, then each model's per-class table, heatmap and downloads."""
    if not results:
        return
    st.markdown(f"**{t('labelled.accuracy')}**")
    st.dataframe(summary_rows(results), hide_index=True, width="stretch", key=f"{prefix}_lab_summary")
    if any(r.top5 is None for r in results):
        st.caption(t("labelled.top5_note"))
    for i, result in enumerate(results):
        st.markdown(f"**{t('labelled.per_class', model=f'`{result.model_id}`')}**")  # a registry or checked Hub id
        st.dataframe(_class_rows(result), hide_index=True, width="stretch", key=f"{prefix}_lab_classes_{i}")
        st.markdown(f"**{t('labelled.confusion', model=f'`{result.model_id}`')}**")
        st.plotly_chart(confusion_chart(result), width="stretch", key=f"{prefix}_lab_confusion_{i}")
        st.caption(t("labelled.confusion_caption"))
        stem = "accuracy_" + result.model_id.replace("/", "_")
        download_row(f"{prefix}_lab_download_{i}", stem, csv=result.to_csv(), json=result.to_json())


def joint_results(labelled: LabelledSet) -> list[LabelledAccuracy]:
    """What this session measured on ``labelled`` on either page: supervised first, then zero-shot."""
    found = [r for zip_digest, r, _ in MEASURED.values() if zip_digest == labelled.digest]
    return sorted(found, key=lambda r: r.kind != "supervised")  # stable: each page's models in its order


def show_joint(chosen: Chosen, prefix: str) -> None:
    """The joint table: every model measured on these photos in this session, on either page."""
    st.markdown(f"**{t('labelled.joint')}**")
    results = joint_results(chosen.labelled)
    if not {r.kind for r in results} >= {"supervised", "zero-shot"}:
        st.caption(t("labelled.joint_empty"))
    if not results:
        return
    st.caption(t("labelled.joint_caption", name=md_escape(chosen.name)))
    st.dataframe(summary_rows(results), hide_index=True, width="stretch", key=f"{prefix}_lab_joint")
    table = JointTable.from_results(results)
    download_row(f"{prefix}_lab_joint_download", "supervised_vs_zero_shot", csv=table.to_csv(), json=table.to_json())


def _section(prefix: str) -> Chosen | None:
    st.divider()
    st.subheader(t("labelled.section"))
    return labelled_input(prefix)


def classification_section(model_ids: Sequence[str]) -> None:
    """The classification page's section: the set, the mapping (from the first model's labels), every
    picked model's accuracy, the joint table."""
    chosen = _section("cls")
    if chosen is None:
        return
    if not model_ids:
        st.info(t("labelled.need_models"))
        return
    try:
        labels = getattr(get_model(model_ids[0]), "labels", ())
    except EngineError as exc:
        show_error(exc)
        labels = ()
    mapping = mapping_ui("cls", chosen.labelled, labels)
    results = [r for m in model_ids if (r := classifier_accuracy(m, chosen, mapping)) is not None]
    show_results(results, "cls")
    show_joint(chosen, "cls")


def zero_shot_section(model_ids: Sequence[str], presets: Sequence[str], template: str) -> None:
    """The zero-shot page's section: the set, two CLIPs side by side (the picked ones, else OpenAI and
    LAION), the folder names through ``template``, the joint table."""
    chosen = _section("zs")
    if chosen is None:
        return
    try:
        sentences = prompts(zero_shot_labels(chosen.labelled), template)
    except EngineError as exc:
        show_error(exc)
        return
    st.caption(t("labelled.zero_shot_labels"))
    st.code("\n".join(sentences), language=None)  # folder names are user text: shown as code, never Markdown
    models = list(dict.fromkeys([*model_ids, *presets]))[:2]
    results = [r for m in models if (r := zero_shot_accuracy(m, chosen, template)) is not None]
    show_results(results, "zs")
    show_joint(chosen, "zs")
