"""Object detection: DETR, YOLOS and YOLO on one photo (or two-three side by side), the course's
comparison table, and precision/recall/mAP against uploaded ground-truth labels."""

from __future__ import annotations

import math
from functools import partial
from pathlib import PurePosixPath
from typing import Any

import streamlit as st

from engine.errors import EngineError
from engine.evaluation.comparison import ComparisonTable, EvaluationTable
from engine.evaluation.groundtruth import Dataset, GroundTruth, label_file_matches, parse_upload
from engine.evaluation.metrics import Evaluation, ap_rule, detect_dataset, evaluate_dataset
from engine.inputs.images import digest
from engine.models import registry
from engine.render.annotate import annotate, counts_figure
from engine.results import rows_csv
from engine.tasks.detection import (
    COCO_NAMES,
    TASK,
    VALIDATOR_BATCH,
    Detections,
    DetectionSettings,
    Detector,
    code_snippet,
    detect_timed,
    lines_of_code,
)
from engine.tasks.fast import detect_compared
from ui import deliverable, query
from ui.errors import show_error
from ui.fastmode import fast_compared, fast_shown, fast_toggle, show_comparison
from ui.i18n import Caption, lang, t
from ui.inputs import InputImage, image_input_ui
from ui.layout import code_expander, how_it_works, page_header
from ui.models import get_model
from ui.queue import queued
from ui.session import SessionCache
from ui.steps import model_steps
from ui.strings.labels import label
from ui.tables import fit_table
from ui.widgets import download_row, model_label, model_picker, stand_in_notice, unreachable_notice, weights_caption

RUNS = 1  # timed warm runs behind each inference time: the result's own call (a class shares the server)
MAX_ZIP_IMAGES = 50  # a zip is evaluated by up to three models on a shared CPU
# Reruns caused by any widget must not re-measure the median time, re-read the labels or re-run
# the evaluation's detections.
RESULTS = SessionCache("det_cache", size=48)
PER_CLASS_ROWS, PER_CLASS_PX = 12, 480  # a longer table (boxes, per class) scrolls under its headers


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
    # Labels are for the photo as taken (COCO's pixel boxes, its width and height): read at that size,
    # then scaled to the copy the page works on when it was shrunk up front (ui.inputs).
    name, size, image_key = (picture.name, picture.label_size, picture.digest) if picture else ("", (0, 0), "")
    key = ("truth", digest(data), upload.name, "" if is_zip else image_key)

    def parse() -> GroundTruth | Dataset:
        parsed = parse_upload(data, upload.name, image_name=name, image_size=size)
        return parsed.resized(picture.image.size) if isinstance(parsed, GroundTruth) and picture else parsed

    try:
        parsed = RESULTS.get(key, parse)
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
        boxes = [
            {
                t("detection.col_label"): label(row["label"], lang()),
                t("detection.col_score"): f"{row['score']:.3f}",
                t("detection.col_box"): f"{row['x1']:.0f}, {row['y1']:.0f}, {row['x2']:.0f}, {row['y2']:.0f}",
            }
            for row in found.rows()
        ]
        fit_table(boxes, height=PER_CLASS_PX if len(boxes) > PER_CLASS_ROWS else None)  # a compare column is narrow
    download_row(
        f"det_{model_id}",
        f"{spec.short}_{PurePosixPath(picture.name).stem or 'imagen'}",
        png=annotated,
        csv=found.to_csv(),
        json=found.to_json(model=model_id, image=picture.name),
    )


def fast_section(model_id: str, detector: Detector, picture: InputImage, settings: DetectionSettings) -> None:
    """ "Modo rápido": the fast copy's boxes, its time per image next to fp32's and how the boxes agree."""
    compared = fast_shown(
        lambda: fast_compared(
            model_id,
            detector,
            page="detection",
            cache=RESULTS,
            key=("fast", model_id, picture.digest, settings),
            compare=lambda fast: detect_compared(detector, fast, picture.image, **settings.kwargs()),
        ),
        heading="##### {}",
    )
    if compared is None:
        return
    quick, comparison = compared
    annotated = annotate(picture.image, quick, display=lambda name: label(name, lang()))
    caption = t("detection.annotated", model=registry.get(model_id).short, n=len(quick))
    st.image(annotated, caption=caption, width="stretch")
    show_comparison(comparison)


def notes(model_id: str, code: dict[str, str], detector: Detector) -> str:
    """The table's notes on a model: lines of code, family, parameters (those really loaded), licence."""
    spec = registry.get(model_id)
    params = detector.footprint.params_m if detector.footprint.params_m is not None else spec.params_m
    return t(
        "detection.notes",
        lines=lines_of_code(code[model_id]),
        family=spec.family,
        params=f"{params:.3g}",
        license=spec.license,
    )


def zip_runs(
    dataset: Dataset,
    zip_digest: str,
    runs: dict[str, tuple[Detector, Detections, float]],
    picture: InputImage,
    settings: DetectionSettings,
) -> dict[str, list[tuple[str, Detections, float]]]:
    """Every model's boxes and time on every zip image (the one shown is already run), once per
    (model, zip, settings); a progress bar while they run."""
    out: dict[str, list[tuple[str, Detections, float]]] = {}
    for model_id, (detector, found, ms) in runs.items():

        def run(d: Detector = detector, shown: tuple[Detections, float] = (found, ms)) -> tuple[Any, ...]:
            progress = st.progress(0.0, text=t("detection.table_running", model=d.model_id, n=len(dataset)))
            try:
                rows = []
                for i, item in enumerate(dataset.items):
                    if item.name == picture.name:
                        rows.append((item.name, *shown))
                    else:
                        image = item.load()
                        timed_run = partial(detect_timed, d, image, runs=RUNS, **settings.kwargs())
                        got = queued("detection", d.model_id, timed_run)
                        rows.append((item.name, *got))
                    progress.progress((i + 1) / len(dataset))
                return tuple(rows)
            finally:
                progress.empty()

        try:
            out[model_id] = list(RESULTS.get(("table", model_id, zip_digest, settings), run))
        except EngineError as exc:
            show_error(exc)
    return out


def comparison_rows(
    table: ComparisonTable, code: dict[str, str], detectors: dict[str, Detector], *, totals: bool
) -> list[dict[str, Any]]:
    """The course's comparison table: image, model, objects, time, FP/FN, notes; with ``totals``
    (several images), a total per model (its median time) and the notes there only. A stand-in's
    model cell says so (engine.models.provenance)."""
    rows = []
    for row in table.rows():
        if row["row"] == "total" and not totals:
            continue
        total = row["row"] == "total"
        rows.append(
            {
                t("detection.col_image"): t("detection.total_row", n=row["images"]) if total else row["image"],
                t("detection.col_model"): model_label(detectors[row["model"]]),
                t("detection.col_objects"): row["objects"],
                t("detection.col_time"): round(row["time_ms"]),
                t("detection.col_fp"): "—" if row["fp"] is None else str(row["fp"]),
                t("detection.col_fn"): "—" if row["fn"] is None else str(row["fn"]),
                t("detection.col_notes"): notes(row["model"], code, detectors[row["model"]])
                if total or not totals
                else "",
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
    validator: bool = False,
) -> list[Detections]:
    """Every box down to the evaluation's confidence on the labelled images, once per (model,
    images, NMS IoU, classes, preprocessing); a progress bar while a zip is being run. ``validator``:
    YOLO sees them as Ultralytics' validator does (its batches of 16)."""
    # The validator's batch decides its letterbox shapes; the app's own batch changes nothing.
    how: dict[str, Any] = {"validator": True, "batch_size": VALIDATOR_BATCH} if validator else {}

    def run() -> list[Detections]:
        if progress_text is None:
            return detect_dataset(detector, labelled, iou=iou, classes=classes, **how)
        progress = st.progress(0.0, text=progress_text)
        try:
            return detect_dataset(
                detector, labelled, iou=iou, classes=classes, progress=lambda i, n: progress.progress(i / n), **how
            )
        finally:
            progress.empty()

    return RESULTS.get(("eval", model_id, key, iou, tuple(classes or ()), validator), run)


def evaluation_tables(evaluations: dict[str, Evaluation]) -> None:
    """Overall metrics per model, then per model and class (short headers, a legend under it:
    ten long headers pushed P, R and AP50 off a narrow page)."""
    fit_table(
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
                t("detection.col_fp_short"): e.fp,
                t("detection.col_fn_short"): e.fn,
            }
            for model_id, e in evaluations.items()
        ]
    )
    st.markdown("###### " + t("detection.per_class"))
    per_class = [
        {
            t("detection.col_model"): registry.get(model_id).short,
            t("detection.col_class"): label(c.name, lang()),
            t("detection.col_true_short"): c.n_true,
            t("detection.col_tp"): c.tp,
            t("detection.col_fp_short"): c.fp,
            t("detection.col_fn_short"): c.fn,
            t("detection.col_p_short"): fmt(c.precision),
            t("detection.col_r_short"): fmt(c.recall),
            t("detection.col_ap50"): fmt(c.ap50),
            t("detection.col_ap"): fmt(c.ap50_95),
        }
        for model_id, e in evaluations.items()
        for c in e.per_class
    ]
    fit_table(per_class, height=PER_CLASS_PX if len(per_class) > PER_CLASS_ROWS else None)
    st.caption(t("detection.per_class_legend"))


page_header("detection")
how_it_works("detection")

# One split in both modes: compare mode's [1, 3] left the settings ~120 px at 1024 px (model chips
# hidden); the model columns wrap instead (ui.widgets.model_columns) and the tables run below both.
left, right = st.columns([1, 2], gap="large")
with left:
    linked = query.models(TASK)  # a shared link's settings start the widgets (ui/query.py)
    compare = st.toggle(
        t("common.compare"),
        value=query.flag("compare", len(linked) > 1),
        key="det_compare",
        help=t("common.compare_help"),
    )
    model_ids = model_picker(TASK, "det", compare=compare, hub=True, initial=linked)
    threshold = st.slider(
        t("detection.threshold"),
        0.01,
        0.99,
        query.number("conf", 0.5, 0.01, 0.99, step=0.01),
        0.01,
        key="det_conf",
        help=t("detection.threshold_help"),
    )
    iou = st.slider(
        t("detection.iou"),
        0.1,
        0.95,
        query.number("iou", 0.7, 0.1, 0.95, step=0.05),
        0.05,
        key="det_iou",
        help=t("detection.iou_help"),
    )
    chosen = st.multiselect(
        t("detection.classes"),
        COCO_NAMES,
        default=query.names("classes", COCO_NAMES),
        format_func=Caption(via=label),  # the value stays the model's name
        key="det_classes",
        placeholder=t("detection.classes_all"),
        help=t("detection.classes_help"),
    )
    classes = list(chosen) or None
    max_det = st.slider(
        t("detection.max_det"),
        1,
        300,
        query.number("max_det", 100, 1, 300, integer=True),
        key="det_max",
        help=t("detection.max_det_help"),
    )
    query.share(
        {"model": model_ids, "compare": compare, "conf": threshold, "iou": iou, "classes": chosen, "max_det": max_det},
        {"model": query.default_model(TASK), "compare": False, "conf": 0.5, "iou": 0.7, "max_det": 100},
    )
    fast_on = fast_toggle("det")  # "Modo rápido": off by default (fp32, the pipeline's boxes)
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
    for column, model_id in model_steps(model_ids, compare=compare, show=picture is not None):
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
            stand_in_notice(detector)
            show_result(model_id, picture, found, ms, weights_caption(detector), threshold)
            if fast_on:  # the fp32 result above stays the page's (its tables, its deliverable)
                fast_section(model_id, detector, picture, settings)

# The tables below both columns, at the page's width (at 1024 px the right column is ~370 px).
if runs and picture is not None:
    st.markdown("#### " + t("detection.table_title"))
    st.caption(t("detection.table_caption", runs=RUNS))
    if dataset is not None and len(dataset) > 1:  # the zip's every image, and a total per model
        truths = {item.name: item.truth.filter(classes) for item in dataset.items}
        table = ComparisonTable.from_runs(zip_runs(dataset, zip_digest, runs, picture, settings), truths)
        st.caption(t("detection.table_totals"))
    else:
        shown = {m: [(picture.name, found, ms)] for m, (_, found, ms) in runs.items()}
        table = ComparisonTable.from_runs(shown, {picture.name: truth} if truth is not None else None)
    detectors = {m: detector for m, (detector, _, _) in runs.items()}
    rows = comparison_rows(table, code, detectors, totals=dataset is not None and len(dataset) > 1)
    fit_table(rows)
    # The deliverable's course table: one run per image shown and model (its FP/FN with labels).
    for model_id, (_, found, ms) in runs.items():
        counted = next((r for r in table.entries if r.model == model_id and r.image == picture.name), None)
        deliverable.record(
            "detection",
            (model_id, picture.digest, settings, None if truth is None else len(truth)),
            lambda m=model_id, f=found, ms=ms, c=counted: deliverable.entry(
                picture.name,
                picture.image,
                f.rows(),
                ms,
                m,
                {"threshold": threshold, "iou": iou, "classes": classes or [], "max_detections": max_det},
                {"annotated": annotate(picture.image, f, display=lambda name: label(name, lang()))},
                {"fp": c.fp, "fn": c.fn} if c is not None and c.fp is not None else {},
            ),
        )
    st.download_button(
        t("detection.download_table"), rows_csv(rows), "tabla_comparativa.csv", "text/csv", key="det_table_csv"
    )

if runs and picture is not None and (truth is not None or dataset is not None):
    st.markdown("#### " + t("detection.eval_title"))
    validator = st.checkbox(
        t("detection.eval_validator"), key="det_eval_validator", help=t("detection.eval_validator_help")
    )
    # One image with its labels is evaluated the way a zip is: a dataset of one.
    labelled = dataset if dataset is not None else Dataset.from_image(picture.name, picture.image, truth)
    labelled_key = zip_digest if dataset is not None else picture.digest
    evaluations: dict[str, Evaluation] = {}
    for model_id, (detector, _, _) in runs.items():
        progress_text = t("detection.evaluating", model=model_id, n=len(labelled)) if dataset is not None else None
        try:
            boxes = evaluation_boxes(model_id, detector, labelled, labelled_key, classes, iou, progress_text, validator)
            evaluations[model_id] = evaluate_dataset(
                boxes,
                labelled,
                threshold=threshold,
                classes=classes,
                max_detections=max_det,
                ap=ap_rule(detector, validator),  # DETR and YOLOS have no validator
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
        st.download_button(
            t("detection.download_eval"),
            EvaluationTable.from_evaluations(evaluations).to_csv(),
            "evaluacion.csv",
            "text/csv",
            key="det_eval_csv",
        )
        if validator:
            st.caption(t("detection.eval_caption_validator", threshold=threshold, batch=VALIDATOR_BATCH))
        else:
            st.caption(t("detection.eval_caption", threshold=threshold))
        st.caption(t("detection.eval_why"))

deliverable.deliverable_button("detection")
# Every model on screen has its snippet (compare mode: YOLOv8n beside DETR); the default's while none is picked.
code_expander(
    [(m, code[m]) for m in model_ids]
    or code_snippet(registry.default_for(TASK).id, **settings.kwargs(), **snippet_file)
)
