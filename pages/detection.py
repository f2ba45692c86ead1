"""Object detection: DETR, YOLOS and YOLO on one photo (or two-three side by side), the course's
comparison table, and precision/recall/mAP against uploaded ground-truth labels."""

from __future__ import annotations

import math
from pathlib import PurePosixPath
from typing import Any

import streamlit as st

from engine.errors import EngineError
from engine.evaluation.groundtruth import Dataset, GroundTruth, label_file_matches, parse_upload
from engine.evaluation.metrics import Evaluation, detect_dataset, evaluate_dataset, match_totals
from engine.inputs.images import digest
from engine.models import registry
from engine.render.annotate import annotate, counts_figure
from engine.results import rows_csv
from engine.tasks.detection import (
    COCO_NAMES,
    TASK,
    Detections,
    DetectionSettings,
    Detector,
    code_snippet,
    detect_timed,
    lines_of_code,
)
from ui.errors import show_error
from ui.i18n import lang, t
from ui.inputs import InputImage, image_input_ui
from ui.layout import code_expander, how_it_works, page_header
from ui.models import get_model
from ui.queue import queued
from ui.session import SessionCache
from ui.strings.labels import label
from ui.widgets import download_row, model_columns, model_picker, source_text, unreachable_notice

RUNS = 1  # timed warm runs behind each inference time: the result's own call (a class shares the server)
MAX_ZIP_IMAGES = 50  # a zip is evaluated by up to three models on a shared CPU
# Reruns caused by any widget must not re-measure the median time, re-read the labels or re-run
# the evaluation's detections.
RESULTS = SessionCache("det_cache", size=48)


def fmt(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.3f}"


def truth_ui(picture: InputImage | None) -> tuple[GroundTruth | None, Dataset | None, str]:
    """The ground-truth uploader: labels of the current image, or a zip dataset (and its digest)."""
    st.markdown("##### " + t("detection.truth_title"))
    upload = st.file_uploader(
        t("detection.truth_upload"), type=["txt", "json", "zip"], key="det_truth", help=t("detection.truth_help")
    )
    if upload is None:
        return None, None, ""
    data = upload.getvalue()
    is_zip = PurePosixPath(upload.name).suffix.lower() == ".zip"
    if picture is None and not is_zip:
        return None, None, ""
    name, size, image_key = (picture.name, picture.image.size, picture.digest) if picture else ("", (0, 0), "")
    key = ("truth", digest(data), upload.name, "" if is_zip else image_key)
    try:
        parsed = RESULTS.get(key, lambda: parse_upload(data, upload.name, image_name=name, image_size=size))
    except EngineError as exc:
        show_error(exc)
        return None, None, ""
    if isinstance(parsed, GroundTruth):
        st.caption(t("detection.truth_loaded", n=len(parsed)))
        txt = PurePosixPath(upload.name).suffix.lower() == ".txt"
        if txt and picture is not None and picture.file_name and not label_file_matches(upload.name, picture.file_name):
            stem = PurePosixPath(picture.file_name).stem
            st.warning(
                t("detection.truth_other_image", labels=upload.name, image=picture.file_name, expected=f"{stem}.txt")
            )
        return parsed, None, ""
    dataset = parsed
    if len(dataset) > MAX_ZIP_IMAGES:
        st.caption(t("detection.truth_zip_cut", total=len(dataset), n=MAX_ZIP_IMAGES))
        dataset = dataset.head(MAX_ZIP_IMAGES)
    objects = sum(len(item.truth) for item in dataset.items)
    st.caption(t("detection.truth_zip_loaded", n=len(dataset), objects=objects))
    if dataset.backgrounds:
        st.caption(t("detection.truth_backgrounds", n=len(dataset.backgrounds)))
    if dataset.orphans:
        st.warning(t("detection.truth_orphans", n=len(dataset.orphans), names=", ".join(dataset.orphans[:5])))
    return None, dataset, key[1]


def zip_picture(dataset: Dataset, zip_digest: str) -> tuple[InputImage | None, GroundTruth | None]:
    """The zip image to show, picked by name, with its labels."""
    names = [item.name for item in dataset.items]
    name = st.selectbox(t("detection.zip_pick"), names, key="det_zip_image", help=t("detection.zip_pick_help"))
    item = dataset.items[names.index(name)]
    try:
        image = item.load()
    except EngineError as exc:
        show_error(exc)
        return None, None
    return InputImage(image, item.name, f"zip:{zip_digest}:{item.name}", item.name), item.truth


def show_result(
    model_id: str, picture: InputImage, found: Detections, ms: float, source: str, threshold: float
) -> None:
    """Annotated image, time, counts chart, table and downloads of one model."""
    spec = registry.get(model_id)
    annotated = annotate(picture.image, found, display=lambda name: label(name, lang()))
    st.image(annotated, caption=t("detection.annotated", model=spec.short, n=len(found)), width="stretch")
    st.caption(t("detection.time", ms=ms, runs=RUNS) + " · " + source)
    if not len(found):
        st.info(t("detection.none_found", threshold=threshold))
    else:
        st.plotly_chart(
            counts_figure(
                {label(name, lang()): n for name, n in found.counts().items()},  # "persona (person)" in Spanish
                title=t("detection.chart_title"),
                x_title=t("detection.chart_x"),
            ),
            width="stretch",
            key=f"det_chart_{model_id}",
        )
        st.dataframe(
            [
                {
                    t("detection.col_label"): label(row["label"], lang()),
                    t("detection.col_score"): round(row["score"], 3),
                    t("detection.col_box"): f"{row['x1']:.0f}, {row['y1']:.0f}, {row['x2']:.0f}, {row['y2']:.0f}",
                }
                for row in found.rows()
            ],
            hide_index=True,
            width="stretch",
        )
    download_row(
        f"det_{model_id}",
        f"{spec.short}_{PurePosixPath(picture.name).stem or 'imagen'}",
        png=annotated,
        csv=found.to_csv(),
        json=found.to_json(model=model_id, image=picture.name),
    )


def comparison_rows(
    picture: InputImage,
    runs: dict[str, tuple[Detector, Detections, float]],
    truth: GroundTruth | None,
    code: dict[str, str],
) -> list[dict[str, Any]]:
    """The course's comparison table: image, model, objects, time, FP/FN, notes."""
    rows = []
    for model_id, (_, found, ms) in runs.items():
        spec = registry.get(model_id)
        fp = fn = "—"
        if truth is not None:
            _, false_positives, false_negatives = match_totals(found, truth)
            fp, fn = str(false_positives), str(false_negatives)
        rows.append(
            {
                t("detection.col_image"): picture.name,
                t("detection.col_model"): model_id,
                t("detection.col_objects"): len(found),
                t("detection.col_time"): round(ms),
                t("detection.col_fp"): fp,
                t("detection.col_fn"): fn,
                t("detection.col_notes"): t(
                    "detection.notes",
                    lines=lines_of_code(code[model_id]),
                    family=spec.family,
                    params=f"{spec.params_m:g}",
                    license=spec.license,
                ),
            }
        )
    return rows


def evaluation_boxes(
    model_id: str,
    detector: Detector,
    labelled: Dataset,
    key: str,
    classes: list[str] | None,
    iou: float,
    progress_text: str | None,
) -> list[Detections]:
    """Every box down to the evaluation's confidence on the labelled images, once per (model,
    images, NMS IoU, classes); a progress bar while a zip is being run."""

    def run() -> list[Detections]:
        if progress_text is None:
            return detect_dataset(detector, labelled, iou=iou, classes=classes)
        progress = st.progress(0.0, text=progress_text)
        try:
            return detect_dataset(
                detector, labelled, iou=iou, classes=classes, progress=lambda i, n: progress.progress(i / n)
            )
        finally:
            progress.empty()

    return RESULTS.get(("eval", model_id, key, iou, tuple(classes or ())), run)


def evaluation_tables(evaluations: dict[str, Evaluation]) -> None:
    """Overall metrics per model, then per model and class."""
    st.table(
        [
            {
                t("detection.col_model"): model_id,
                t("detection.col_images"): e.images,
                t("detection.col_true"): e.n_true,
                t("detection.col_precision"): fmt(e.precision),
                t("detection.col_recall"): fmt(e.recall),
                t("detection.col_map50"): fmt(e.map50),
                t("detection.col_map"): fmt(e.map50_95),
                t("detection.col_tp"): e.tp,
                t("detection.col_fp"): e.fp,
                t("detection.col_fn"): e.fn,
            }
            for model_id, e in evaluations.items()
        ]
    )
    st.markdown("###### " + t("detection.per_class"))
    st.dataframe(
        [
            {
                t("detection.col_model"): model_id,
                t("detection.col_class"): label(c.name, lang()),
                t("detection.col_true"): c.n_true,
                t("detection.col_tp"): c.tp,
                t("detection.col_fp"): c.fp,
                t("detection.col_fn"): c.fn,
                t("detection.col_precision"): fmt(c.precision),
                t("detection.col_recall"): fmt(c.recall),
                t("detection.col_ap50"): fmt(c.ap50),
                t("detection.col_map"): fmt(c.ap50_95),
            }
            for model_id, e in evaluations.items()
            for c in e.per_class
        ],
        hide_index=True,
        width="stretch",
    )


page_header("detection")
how_it_works("detection")

# Compare mode gives the results more room: two or three photos side by side.
left, right = st.columns([1, 3] if st.session_state.get("det_compare") else [1, 2], gap="large")
with left:
    compare = st.toggle(t("common.compare"), key="det_compare", help=t("common.compare_help"))
    model_ids = model_picker(TASK, "det", compare=compare, hub=True)
    threshold = st.slider(
        t("detection.threshold"), 0.01, 0.99, 0.5, 0.01, key="det_conf", help=t("detection.threshold_help")
    )
    iou = st.slider(t("detection.iou"), 0.1, 0.95, 0.7, 0.05, key="det_iou", help=t("detection.iou_help"))
    chosen = st.multiselect(
        t("detection.classes"),
        COCO_NAMES,
        format_func=lambda name: label(name, lang()),  # the value stays the model's name
        key="det_classes",
        placeholder=t("detection.classes_all"),
        help=t("detection.classes_help"),
    )
    classes = list(chosen) or None
    max_det = st.slider(t("detection.max_det"), 1, 300, 100, key="det_max", help=t("detection.max_det_help"))
    unreachable_notice(TASK)
    picture = image_input_ui("det", default_sample="coffee")
    truth, dataset, zip_digest = truth_ui(picture)
    if dataset is not None:
        picture, truth = zip_picture(dataset, zip_digest)
    if picture is not None:
        st.image(picture.image, caption=t("input.your_image", name=picture.name), width="stretch")
    if truth is not None and picture is not None:
        truth = truth.filter(classes)
        with st.expander(t("detection.show_truth")):
            st.image(
                annotate(
                    picture.image, truth.to_detections(), show_scores=False, display=lambda name: label(name, lang())
                ),
                caption=t("detection.truth_caption", n=len(truth)),
                width="stretch",
            )

settings = DetectionSettings(threshold, iou, classes, max_det)
snippet_file = {"file_name": picture.file_name if picture else "", "lang": lang()}
code = {m: code_snippet(m, **settings.kwargs(), **snippet_file) for m in model_ids}

with right:
    runs: dict[str, tuple[Detector, Detections, float]] = {}
    for column, model_id in model_columns(model_ids, compare=compare, show=picture is not None):
        with column:
            try:
                detector = get_model(model_id)
                found, ms = RESULTS.get(
                    ("run", model_id, picture.digest, settings),
                    lambda d=detector: queued(
                        "detection", d.model_id, lambda: detect_timed(d, picture.image, runs=RUNS, **settings.kwargs())
                    ),
                )
            except EngineError as exc:
                show_error(exc)
                continue
            runs[model_id] = (detector, found, ms)
            show_result(model_id, picture, found, ms, source_text(detector.where, detector.origin), threshold)

    if runs and picture is not None:
        st.markdown("#### " + t("detection.table_title"))
        st.caption(t("detection.table_caption", runs=RUNS))
        rows = comparison_rows(picture, runs, truth, code)
        st.table(rows)
        st.download_button(
            t("detection.download_table"), rows_csv(rows), "tabla_comparativa.csv", "text/csv", key="det_table_csv"
        )

    if runs and picture is not None and (truth is not None or dataset is not None):
        st.markdown("#### " + t("detection.eval_title"))
        # One image with its labels is evaluated the way a zip is: a dataset of one.
        labelled = dataset if dataset is not None else Dataset.from_image(picture.name, picture.image, truth)
        labelled_key = zip_digest if dataset is not None else picture.digest
        evaluations: dict[str, Evaluation] = {}
        for model_id, (detector, _, _) in runs.items():
            progress_text = t("detection.evaluating", model=model_id, n=len(labelled)) if dataset is not None else None
            try:
                boxes = evaluation_boxes(model_id, detector, labelled, labelled_key, classes, iou, progress_text)
                evaluations[model_id] = evaluate_dataset(
                    boxes, labelled, threshold=threshold, classes=classes, max_detections=max_det
                )
            except EngineError as exc:
                show_error(exc)
        if evaluations:
            first = next(iter(evaluations.values()))
            if dataset is not None:
                st.caption(t("detection.eval_zip", n=first.images, objects=first.n_true))
            else:
                st.caption(t("detection.eval_image", objects=first.n_true))
            evaluation_tables(evaluations)
            st.caption(t("detection.eval_caption", threshold=threshold))

# Every model on screen has its snippet (compare mode: YOLOv8n beside DETR); the default's while none is picked.
code_expander(
    [(m, code[m]) for m in model_ids]
    or code_snippet(registry.default_for(TASK).id, **settings.kwargs(), **snippet_file)
)
