"""Detection on a video: a sample clip or an upload, one frame in ``stride`` through the chosen
detector (or two side by side), tracking with ByteTrack, the annotated video, objects over time
and a CSV per frame."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import PurePosixPath

import streamlit as st
from PIL import Image

from engine.errors import EngineError
from engine.inputs.images import digest
from engine.models import registry
from engine.render.charts import objects_over_time
from engine.tasks.detection import TASK, Detections, DetectionSettings, Detector, detect_timed
from engine.tasks.video import (
    UPLOAD_TYPES,
    VideoDetections,
    VideoInfo,
    VideoLimits,
    annotate_video,
    check_stride,
    code_snippet,
    detect_video,
    key_frame,
    min_stride,
    probe_video,
    sample_clip,
    sampled_count,
)
from ui import deliverable, query
from ui.errors import show_error
from ui.i18n import lang, t
from ui.layout import code_expander, how_it_works, md_escape, page_header
from ui.models import get_model
from ui.queue import queued
from ui.session import SessionCache
from ui.steps import model_steps
from ui.strings.labels import label
from ui.tables import fit_table
from ui.widgets import download_row, model_label, model_picker, stand_in_notice, unreachable_notice, weights_caption

SAMPLE_FILE = "video.mp4"  # the sample's name in the code snippet (the student's own file otherwise)
MAX_STRIDE = 30
DEFAULT_STRIDE = 5
# A new clip the stride would oversample raises the slider (fit_stride). The clip is known only
# after the slider is drawn, and Streamlit refuses a widget's value written after it: the raised
# stride waits here for the next run, which puts it in before drawing the slider.
PENDING_STRIDE = "vid_stride_pending"
STRIDE_CLIP = "vid_stride_clip"  # the clip on the page in the last run (None: none)
STRIDE_RAISED = "vid_stride_raised"  # (clip key, stride) the page raised the slider to, said while it stands
# Reruns caused by any widget must not decode, detect and encode a clip again: each run is kept
# (its result, the annotated video) under the session's byte budget.
RESULTS = SessionCache("video_cache", size=8)


@dataclass(frozen=True)
class Clip:
    """The video on the page: its bytes, the name shown, the file name of the code snippet, the
    digest results are cached under and what :func:`probe_video` read from it."""

    data: bytes
    name: str
    file_name: str
    key: str
    info: VideoInfo


def clip_input_ui(limits: VideoLimits) -> Clip | None:
    """The sample clip or an upload, probed (a bad video's message is shown); ``None`` while there is none."""
    shown = {s: t(f"video.source_{s}") for s in ("sample", "upload")}  # not t() in the lambda: read outside a run
    source = st.radio(
        t("video.source"),
        list(shown),
        format_func=shown.__getitem__,
        horizontal=True,
        key="vid_source",
    )
    if source == "sample":
        data, name, file_name = sample_clip(), t("video.sample_name"), SAMPLE_FILE
    else:
        upload = st.file_uploader(
            t("video.upload"),
            type=list(UPLOAD_TYPES),
            key="vid_upload",
            help=t("video.upload_help"),
            # The browser refuses a larger file before sending it; the engine checks the same limit.
            max_upload_size=max(1, math.ceil(limits.max_bytes / 2**20)),
        )
        limits_caption(limits)
        if upload is None:
            st.info(t("video.upload_prompt"))
            return None
        data, name, file_name = upload.getvalue(), upload.name, upload.name
    key = digest(data)
    try:
        info = RESULTS.get(("probe", key, limits), lambda: probe_video(data, limits))
    except EngineError as exc:
        show_error(exc)
        return None
    return Clip(data, name, file_name, key, info)


def limits_caption(limits: VideoLimits) -> None:
    st.caption(
        t(
            "video.limits",
            mb=f"{limits.max_bytes / 2**20:g}",
            seconds=f"{limits.max_seconds:g}",
            side=limits.max_side,
            sampled=limits.max_sampled,
        )
    )


def stride_slider() -> int:
    """The stride slider: a shared link's value to start with, or the one :func:`fit_stride` left pending."""
    if "vid_stride" not in st.session_state:  # the page was just opened: no clip on it yet
        st.session_state.pop(STRIDE_CLIP, None)
        st.session_state["vid_stride"] = query.number("stride", DEFAULT_STRIDE, 1, MAX_STRIDE, integer=True)
    if PENDING_STRIDE in st.session_state:
        st.session_state["vid_stride"] = st.session_state.pop(PENDING_STRIDE)
    return st.slider(t("video.stride"), 1, MAX_STRIDE, key="vid_stride", help=t("video.stride_help"))


def fit_stride(clip: Clip, stride: int, limits: VideoLimits) -> None:
    """A clip that just arrived (an upload, the sample) which ``stride`` would sample past the
    limit raises the slider to the smallest stride that fits, and reruns; the page says so while
    that stride stands. Once per clip: a student who then lowers it gets :func:`check_stride`'s
    refusal, and a shared link's stride stays when it fits."""
    if st.session_state.get(STRIDE_CLIP) != clip.key:
        st.session_state[STRIDE_CLIP] = clip.key
        st.session_state.pop(STRIDE_RAISED, None)
        needed = min_stride(clip.info, limits)
        if stride < needed <= MAX_STRIDE:  # past the slider's end, check_stride's refusal says what to do
            st.session_state[PENDING_STRIDE] = needed
            st.session_state[STRIDE_RAISED] = (clip.key, needed)
            st.rerun()
    if st.session_state.get(STRIDE_RAISED) == (clip.key, stride):
        st.info(t("video.stride_raised", stride=stride, limit=limits.max_sampled))


def info_caption(clip: Clip, stride: int) -> None:
    info = clip.info
    st.caption(
        t(
            "video.info",
            name=md_escape(clip.name),  # user text
            seconds=info.seconds,
            fps=info.fps,
            width=info.width,
            height=info.height,
            codec=md_escape(info.codec),
            frames=info.frames,
            sampled=sampled_count(info, stride),
            stride=stride,
        )
    )


def run_model(
    detector: Detector, clip: Clip, settings: DetectionSettings, stride: int, track: bool
) -> tuple[VideoDetections, bytes, str]:
    """The clip through ``detector`` (every frame in the fair queue) and its annotated video, once
    per (model, clip, settings; and language for the video's labels); a progress bar meanwhile."""
    bar = st.empty()

    def detect_all() -> VideoDetections:
        total = sampled_count(clip.info, stride)
        bar.progress(0.0, text=t("video.running", model=detector.model_id, n=total))

        def detect_fn(image: Image.Image) -> tuple[Detections, float]:
            # Timed inside the queue (a wait behind other students is not the model's time), the
            # detector's first call in this process untimed (detect_timed's warm-up).
            return queued(
                "video", detector.model_id, lambda: detect_timed(detector, image, runs=1, **settings.kwargs())
            )

        def progress(i: int, n: int) -> None:
            bar.progress(min(1.0, i / max(1, n)), text=t("video.progress", model=detector.model_id, i=i, n=n))

        return detect_video(
            clip.data, detect_fn, model_id=detector.model_id, stride=stride, track=track, progress=progress
        )

    def encode(result: VideoDetections) -> tuple[bytes, str]:
        bar.progress(1.0, text=t("video.encoding"))
        return annotate_video(clip.data, result, display=lambda name: label(name, lang()))

    key = ("run", detector.model_id, clip.key, settings, stride, track)
    try:
        result = RESULTS.get(key, detect_all)
        video, mime = RESULTS.get(("video", *key, lang()), lambda: encode(result))
    finally:
        bar.empty()
    return result, video, mime


def class_rows(result: VideoDetections) -> list[dict[str, object]]:
    """Per class: distinct objects (tracked), detections summed over the frames, most in one frame."""
    _, counts = result.counts_over_time()
    distinct = result.distinct_objects()
    rows = []
    for name, series in counts.items():
        if not sum(series):
            continue
        row: dict[str, object] = {t("video.col_class"): label(name, lang())}
        if distinct is not None:
            row[t("video.col_distinct")] = distinct.get(name, 0)
        row[t("video.col_detections")] = sum(series)
        row[t("video.col_most")] = max(series)
        rows.append(row)
    first = t("video.col_distinct") if distinct is not None else t("video.col_detections")
    return sorted(rows, key=lambda r: -int(r[first]))  # type: ignore[call-overload]


def show_result(
    detector: Detector, clip: Clip, result: VideoDetections, video: bytes, mime: str, threshold: float
) -> None:
    """One model's annotated video, time, objects per class and downloads."""
    spec = registry.get(detector.model_id)
    n = len(result.frames)
    st.video(video, format=mime)
    st.caption(t("video.annotated", model=spec.short, n=n, fps=clip.info.fps / result.stride))
    st.caption(t("video.time", ms=result.ms_per_frame, n=n) + " · " + weights_caption(detector))
    detections = sum(len(f.detections) for f in result.frames)
    if not detections:
        st.info(t("video.none_found", threshold=threshold))
    else:
        most = max(len(f.detections) for f in result.frames)
        st.caption(t("video.summary", detections=detections, n=n, most=most))
        st.markdown("###### " + t("video.distinct_title" if result.tracked else "video.per_class_title"))
        fit_table(class_rows(result))
        if result.tracked:
            st.caption(t("video.distinct_caption"))
        else:
            st.caption(t("video.untracked"))
    download_row(
        f"vid_{detector.model_id}",
        f"{spec.short}_{PurePosixPath(clip.file_name).stem or 'video'}",
        csv=result.to_csv(),
        json=result.to_json(model=detector.model_id, video=clip.name),
    )


def video_entry(
    detector: Detector, clip: Clip, result: VideoDetections, threshold: float, track: bool
) -> deliverable.Entry:
    """One model's run for the deliverable: the clip itself (what its reproduce.py runs on), the
    frame with the most objects as annotated, and the objects per class."""
    busiest = key_frame(clip.data, result, display=lambda name: label(name, lang()))
    distinct = result.distinct_objects()
    _, counts = result.counts_over_time()
    rows = [
        {
            "class": name,
            **({"distinct": distinct.get(name, 0)} if distinct is not None else {}),
            "detections": sum(series),
            "most_at_once": max(series),
        }
        for name, series in counts.items()
        if sum(series)
    ]
    made = deliverable.entry(
        clip.name,
        [],
        rows,
        result.ms_per_frame,
        detector.model_id,
        {"threshold": threshold, "stride": result.stride, "track": track},
        {"busiest": busiest[0]} if busiest else None,
    )
    # The clip as it came (no re-encoding): the same bytes object the page holds, so no second copy.
    return dataclasses.replace(made, sources=((clip.file_name, clip.data),))


def comparison_rows(runs: dict[str, tuple[Detector, VideoDetections]]) -> list[dict[str, object]]:
    rows = []
    for detector, result in runs.values():
        distinct = result.distinct_objects()
        rows.append(
            {
                t("video.col_model"): model_label(detector),
                t("video.col_frames"): len(result.frames),
                t("video.col_ms"): round(result.ms_per_frame),
                t("video.col_detections"): sum(len(f.detections) for f in result.frames),
                t("video.col_total_distinct"): "—" if distinct is None else sum(distinct.values()),
            }
        )
    return rows


page_header("video")
how_it_works("video")

limits = VideoLimits.current()
left, right = st.columns([1, 2], gap="large")
with left:
    linked = query.models(TASK, most=2)  # a shared link's settings start the widgets (ui/query.py)
    compare = st.toggle(
        t("common.compare"),
        value=query.flag("compare", len(linked) > 1),
        key="vid_compare",
        help=t("common.compare_help"),
    )
    model_ids = model_picker(TASK, "vid", compare=compare, max_models=2, hub=True, initial=linked)
    threshold = st.slider(
        t("video.threshold"),
        0.01,
        0.99,
        query.number("conf", 0.5, 0.01, 0.99, step=0.01),
        0.01,
        key="vid_conf",
        help=t("video.threshold_help"),
    )
    stride = stride_slider()
    track = st.checkbox(t("video.track"), value=query.flag("track", True), key="vid_track", help=t("video.track_help"))
    query.share(
        {"model": model_ids, "compare": compare, "conf": threshold, "stride": stride, "track": track},
        {"model": query.default_model(TASK), "compare": False, "conf": 0.5, "stride": DEFAULT_STRIDE, "track": True},
    )
    unreachable_notice(TASK)
    clip = clip_input_ui(limits)
    if clip is None:
        st.session_state[STRIDE_CLIP] = None  # the next clip, the same file again included, is a new one
    else:
        fit_stride(clip, stride, limits)
        info_caption(clip, stride)
        try:
            check_stride(clip.info, stride, limits)
        except EngineError as exc:  # too many frames to analyse at this stride: say which stride would do
            show_error(exc)
            clip = None
    st.caption(t("video.webcam"))

settings = DetectionSettings(threshold=threshold)
file_name = clip.file_name if clip is not None else SAMPLE_FILE
code = {m: code_snippet(m, file_name, stride=stride, threshold=threshold, track=track, lang=lang()) for m in model_ids}

with right:
    runs: dict[str, tuple[Detector, VideoDetections]] = {}
    for column, model_id in model_steps(model_ids, compare=compare, show=clip is not None):
        with column:
            try:
                detector = get_model(model_id)
                result, video, mime = run_model(detector, clip, settings, stride, track)
            except EngineError as exc:
                show_error(exc)
                continue
            runs[model_id] = (detector, result)
            stand_in_notice(detector)
            show_result(detector, clip, result, video, mime, threshold)
            deliverable.record(
                "video",
                (model_id, clip.key, settings, stride, track),
                lambda d=detector, r=result: video_entry(d, clip, r, threshold, track),
            )

# The chart and the table below the columns, at the page's width: both models in one chart.
if runs:
    st.plotly_chart(
        objects_over_time(
            [result for _, result in runs.values()],
            title=t("video.chart_title"),
            x_title=t("video.chart_x"),
            y_title=t("video.chart_y"),
            display=lambda name: label(name, lang()),  # the classes as the video and the tables name them
        ),
        width="stretch",
        key="vid_chart",
    )
    st.markdown("#### " + t("video.table_title"))
    fit_table(comparison_rows(runs))
    st.caption(t("video.table_caption"))

deliverable.deliverable_button("video")
code_expander(
    [(m, code[m]) for m in model_ids]
    or code_snippet(
        registry.default_for(TASK).id, file_name, stride=stride, threshold=threshold, track=track, lang=lang()
    )
)
