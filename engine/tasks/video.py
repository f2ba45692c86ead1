"""Detection on a video: probing an upload (with limits and clear refusals), sampling every
``stride``-th frame, running any detector on each (:func:`detect_video`), following objects across
frames with Ultralytics' ByteTrack, and the annotated video, in memory, for the page to play.

Decoding and encoding use PyAV (FFmpeg inside its wheel: no system ffmpeg). Memory stays bounded:
frames are decoded one at a time and only the sampled ones become pictures (shrunk to
:func:`engine.settings.working_side`); :func:`annotate_video` decodes the upload again and encodes as
it goes, rather than keeping the sampled frames between the two steps.

Example:
    >>> from tests.videos import moving_scene
    >>> data = moving_scene(frames=24, fps=8)
    >>> info = probe_video(data)
    >>> (info.width, info.height, info.frames, info.fps, info.seconds, info.codec)
    (320, 240, 24, 8.0, 3.0, 'h264')
    >>> [f.index for f in sample_frames(data, 10)], sampled_count(info, 10)
    ([0, 10, 20], 3)
    >>> result = detect_video(data, lambda image: Detections.empty(), model_id="none", stride=10)
    >>> result.counts_over_time()
    ([0.0, 1.25, 2.5], {})
"""

from __future__ import annotations

import io
import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import av
import numpy as np
from PIL import Image

from engine import settings
from engine.errors import InvalidVideo
from engine.models import registry
from engine.render.annotate import annotate, color_for
from engine.results import json_text, rows_csv
from engine.tasks.detection import Detections
from engine.timing import timed

UPLOAD_TYPES = ("mp4", "webm", "mov", "m4v", "mkv")
CSV_HEADER = ("frame", "time_s", "class", "confidence", "x0", "y0", "x1", "y1", "track_id")
NO_TRACK = -1  # a detection ByteTrack has not (yet) given an id: seen once, or too unsure to start a track
# Ultralytics' ByteTrack keeps a lost track for ``track_buffer`` (30) updates; ``model.track`` makes
# one update per frame it reads, whatever the video's rate, and so does :func:`detect_video`: the
# course's snippet then counts the same ids.
_TRACKER_CONFIG = "bytetrack.yaml"


@dataclass(frozen=True)
class VideoInfo:
    """What :func:`probe_video` read from the container (and its first frame), before decoding the rest.

    ``frames`` is the container's count, or the video packets counted when it has none (WebM);
    ``seconds`` the stream's duration.
    """

    width: int
    height: int
    fps: float
    frames: int
    seconds: float
    codec: str
    has_audio: bool
    size_bytes: int


@dataclass(frozen=True)
class VideoLimits:
    """The limits a video must meet (:mod:`engine.settings`: ``VISION_VIDEO_MAX_MB``,
    ``VISION_VIDEO_MAX_SECONDS``, ``VISION_VIDEO_MAX_SIDE``, ``VISION_VIDEO_MAX_SAMPLED``).

    Example:
        >>> VideoLimits.current().max_sampled
        240
    """

    max_bytes: int
    max_seconds: float
    max_side: int
    max_sampled: int

    @classmethod
    def current(cls) -> VideoLimits:
        """The limits the settings give now."""
        return cls(
            max_bytes=settings.video_max_bytes(),
            max_seconds=settings.video_max_seconds(),
            max_side=settings.video_max_side(),
            max_sampled=settings.video_max_sampled(),
        )


def _open(data: bytes) -> Any:
    """The container of ``data``, or :class:`InvalidVideo` ``video_corrupt``."""
    try:
        return av.open(io.BytesIO(data), mode="r")
    except (av.FFmpegError, OSError, ValueError, IndexError) as exc:
        raise InvalidVideo(
            f"This is not a video container the app can open ({exc}).", code="video_corrupt", detail=str(exc)
        ) from None


def _stream_codec(stream: Any) -> str:
    """The codec's name, or its tag when no decoder knows it."""
    context = stream.codec_context
    if context is not None and context.name:
        return str(context.name)
    return str(getattr(stream, "codec_tag", "") or "unknown")


def _fps(stream: Any) -> float:
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    return float(rate) if rate else 0.0


def _count_packets(data: bytes) -> tuple[int, float]:
    """Video packets (one a frame) and the end time they reach, read without decoding (WebM and
    Matroska write no frame count). A container of its own: not every one seeks back."""
    frames, end = 0, 0.0
    with _open(data) as container:
        try:
            for packet in container.demux(container.streams.video[0]):
                if packet.size and packet.pts is not None:
                    frames += 1
                    end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
        except av.FFmpegError:
            pass  # a damaged tail: the frames before it count, decoding will say the rest
    return frames, end


def probe_video(data: bytes, limits: VideoLimits | None = None) -> VideoInfo:
    """What ``data`` holds, checked against ``limits`` (:meth:`VideoLimits.current`) before decoding
    more than its first frame, or :class:`~engine.errors.InvalidVideo` saying why not:
    ``video_empty``, ``video_too_large`` (checked on the bytes, before opening), ``video_corrupt``,
    ``video_no_video`` (audio only), ``video_codec`` (no decoder for its stream),
    ``video_too_big_frame``, ``video_too_long``, ``video_no_frames``.

    Example:
        >>> from tests.videos import audio_only
        >>> probe_video(audio_only())
        Traceback (most recent call last):
        ...
        engine.errors.InvalidVideo: The file has no video stream (it holds: audio aac).
    """
    limits = limits or VideoLimits.current()
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InvalidVideo(f"Expected the bytes of a video file; got {type(data).__name__}.")
    data = bytes(data)
    if not data:
        raise InvalidVideo("The video file is empty.", code="video_empty")
    if len(data) > limits.max_bytes:
        raise InvalidVideo(
            f"The video is {len(data) / 2**20:.1f} MB; the limit is {limits.max_bytes / 2**20:g} MB.",
            code="video_too_large",
            size_mb=round(len(data) / 2**20, 1),
            limit_mb=round(limits.max_bytes / 2**20, 1),
        )
    with _open(data) as container:
        if not container.streams.video:
            found = ", ".join(f"{s.type} {_stream_codec(s)}" for s in container.streams) or "nothing"
            raise InvalidVideo(f"The file has no video stream (it holds: {found}).", code="video_no_video", found=found)
        stream = container.streams.video[0]
        codec = _stream_codec(stream)
        if stream.codec_context is None:
            raise InvalidVideo(f"No decoder for the video's codec {codec}.", code="video_codec", codec=codec)
        width, height = int(stream.codec_context.width), int(stream.codec_context.height)
        if max(width, height) > limits.max_side:
            raise InvalidVideo(
                f"The frames are {width}x{height}; the longer side may be at most {limits.max_side} px.",
                code="video_too_big_frame",
                width=width,
                height=height,
                limit=limits.max_side,
            )
        fps = _fps(stream)
        frames = int(stream.frames or 0)
        seconds = float(stream.duration * stream.time_base) if stream.duration and stream.time_base else 0.0
        if not frames:
            frames, end = _count_packets(data)
            seconds = seconds or end
        if not seconds and container.duration:
            seconds = container.duration / av.time_base
        if not fps and frames and seconds:
            fps = frames / seconds
        if seconds > limits.max_seconds:
            raise InvalidVideo(
                f"The video lasts {seconds:.1f} s; the limit is {limits.max_seconds:g} s.",
                code="video_too_long",
                seconds=round(seconds, 1),
                limit_s=round(limits.max_seconds, 1),
            )
        first = _first_frame(container, stream, codec)
        if first is None:
            raise InvalidVideo("The video has no frames.", code="video_no_frames")
        fps = fps or 25.0  # one frame and no rate anywhere: FFmpeg's own default
        return VideoInfo(
            width=width or first.width,
            height=height or first.height,
            fps=round(fps, 3),
            frames=max(frames, 1),
            seconds=round(seconds or frames / fps, 3),
            codec=codec,
            has_audio=bool(container.streams.audio),
            size_bytes=len(data),
        )


def _first_frame(container: Any, stream: Any, codec: str) -> Any:
    try:
        return next(iter(container.decode(stream)), None)
    except av.error.DecoderNotFoundError:
        raise InvalidVideo(f"No decoder for the video's codec {codec}.", code="video_codec", codec=codec) from None
    except av.FFmpegError as exc:
        raise InvalidVideo(
            f"The video's first frame does not decode ({exc}).", code="video_corrupt", detail=str(exc)
        ) from None


def sampled_count(info: VideoInfo, stride: int) -> int:
    """How many frames ``stride`` samples: frames 0, stride, 2 x stride... (for the progress bar).

    Example:
        >>> info = VideoInfo(320, 240, 8.0, 24, 3.0, "h264", False, 4096)
        >>> sampled_count(info, 5), sampled_count(info, 1), sampled_count(info, 100)
        (5, 24, 1)
    """
    return max(1, math.ceil(info.frames / max(1, int(stride))))


def min_stride(info: VideoInfo, limits: VideoLimits | None = None) -> int:
    """The smallest stride that samples no more than ``limits.max_sampled`` frames of ``info``
    (what :func:`check_stride` suggests; the page raises its slider to it for a long new clip).

    Example:
        >>> limits = VideoLimits(2**20, 60.0, 1920, 240)
        >>> long = VideoInfo(320, 240, 30.0, 1800, 60.0, "h264", False, 4096)
        >>> min_stride(long, limits), sampled_count(long, 8), sampled_count(long, 7)
        (8, 225, 258)
        >>> min_stride(VideoInfo(320, 240, 8.0, 24, 3.0, "h264", False, 4096), limits)
        1
    """
    limits = limits or VideoLimits.current()
    return max(1, math.ceil(info.frames / max(1, limits.max_sampled)))


def check_stride(info: VideoInfo, stride: int, limits: VideoLimits | None = None) -> None:
    """Raise :class:`~engine.errors.InvalidVideo` when ``stride`` is not a whole number >= 1
    (``video_bad_stride``) or samples more frames than the limit (``video_too_many_samples``,
    with the smallest stride that fits).

    Example:
        >>> info = VideoInfo(320, 240, 30.0, 1800, 60.0, "h264", False, 4096)
        >>> check_stride(info, 2)
        Traceback (most recent call last):
        ...
        engine.errors.InvalidVideo: A stride of 2 samples 900 frames; the limit is 240 (use a stride of 8 or more).
    """
    limits = limits or VideoLimits.current()
    if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or stride < 1:
        raise InvalidVideo(
            f"The stride must be a whole number from 1 up; got {stride!r}.", code="video_bad_stride", stride=stride
        )
    sampled = sampled_count(info, stride)
    if sampled > limits.max_sampled:
        suggested = min_stride(info, limits)
        raise InvalidVideo(
            f"A stride of {stride} samples {sampled} frames; the limit is {limits.max_sampled} "
            f"(use a stride of {suggested} or more).",
            code="video_too_many_samples",
            stride=int(stride),
            sampled=sampled,
            limit=limits.max_sampled,
            suggested=suggested,
        )


@dataclass(frozen=True, eq=False)
class Frame:
    """One sampled frame: its index in the video, its time (seconds from the first frame) and
    the picture (RGB, shrunk to :func:`engine.settings.working_side` when larger)."""

    index: int
    time_s: float
    image: Image.Image


def _picture(frame: Any) -> Image.Image:
    """``frame`` as an upright RGB picture, shrunk (by FFmpeg's scaler, one step) to the working side."""
    width, height = frame.width, frame.height
    side = settings.working_side()
    if side and max(width, height) > side:
        scale = side / max(width, height)
        width, height = max(1, round(width * scale)), max(1, round(height * scale))
    image = frame.to_image(width=width, height=height)
    # A phone stores a portrait video as landscape frames and a rotation to apply when showing them.
    rotation = int(getattr(frame, "rotation", 0) or 0) % 360
    if rotation:
        image = image.rotate(rotation, expand=True)
    return image


def _frames(data: bytes, stride: int, info: VideoInfo, limits: VideoLimits) -> Iterator[Frame]:
    """Every ``stride``-th frame of ``data`` (already probed as ``info``), decoded one at a time.

    The container's counts were checked before; here the decoded frames are too, so a file whose
    header understates its length still stops at the limits.
    """
    sampled = 0
    with _open(data) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # FFmpeg's frame threads: decoding keeps pace with detection
        start: float | None = None
        try:
            for index, frame in enumerate(container.decode(stream)):
                if frame.time is not None:
                    start = frame.time if start is None else start
                    time_s = frame.time - start
                else:
                    time_s = index / info.fps
                if time_s > limits.max_seconds + 1:
                    raise InvalidVideo(
                        f"The video lasts over {limits.max_seconds:g} s.",
                        code="video_too_long",
                        seconds=round(time_s, 1),
                        limit_s=round(limits.max_seconds, 1),
                    )
                if index % stride:
                    continue
                sampled += 1
                if sampled > limits.max_sampled:
                    raise InvalidVideo(
                        f"The stride samples over {limits.max_sampled} frames.",
                        code="video_too_many_samples",
                        stride=stride,
                        sampled=sampled,
                        limit=limits.max_sampled,
                        suggested=stride * 2,
                    )
                yield Frame(index, round(time_s, 3), _picture(frame))
        except av.FFmpegError as exc:
            raise InvalidVideo(
                f"The video is damaged after frame {sampled * stride} ({exc}).", code="video_corrupt", detail=str(exc)
            ) from None


def sample_frames(data: bytes, stride: int, *, limits: VideoLimits | None = None) -> Iterator[Frame]:
    """Every ``stride``-th frame of the video ``data``, frame 0 first, checked as :func:`probe_video`
    and :func:`check_stride` check them (the refusals come before the first frame).

    Example:
        >>> from tests.videos import moving_scene
        >>> [(f.index, f.time_s, f.image.size) for f in sample_frames(moving_scene(frames=8, fps=4), 4)]
        [(0, 0.0, (320, 240)), (4, 1.0, (320, 240))]
    """
    limits = limits or VideoLimits.current()
    info = probe_video(data, limits)
    check_stride(info, stride, limits)
    return _frames(data, int(stride), info, limits)


# --- results ---


@dataclass(frozen=True, eq=False)
class FrameResult:
    """One sampled frame's detections, the model's time on it, and each detection's track id
    (:data:`NO_TRACK` for one without a track; ``track_ids`` is None when not tracking)."""

    index: int
    time_s: float
    detections: Detections
    ms: float
    track_ids: tuple[int, ...] | None = None


def _by_count(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True, eq=False)
class VideoDetections:
    """Every sampled frame's detections of one model (:mod:`engine.results`' protocol).

    Example:
        >>> info = VideoInfo(64, 48, 4.0, 8, 2.0, "h264", False, 1000)
        >>> cat = Detections([[1, 2, 30, 40]], [0.9], [15], ["cat"])
        >>> frames = (FrameResult(0, 0.0, cat, 10.0, (1,)), FrameResult(4, 1.0, cat, 20.0, (1,)))
        >>> v = VideoDetections("ultralytics/yolov8n", info, 4, frames, tracked=True)
        >>> v.counts_over_time(), v.distinct_objects(), v.ms_per_frame
        (([0.0, 1.0], {'cat': [1, 1]}), {'cat': 1}, 15.0)
        >>> print(v.to_csv().splitlines()[1])
        0,0.0,cat,0.9,1.0,2.0,30.0,40.0,1
    """

    model_id: str
    info: VideoInfo
    stride: int
    frames: tuple[FrameResult, ...]
    tracked: bool

    def rows(self) -> list[dict[str, Any]]:
        """One row per detection: frame, time_s, class, confidence, x0, y0, x1, y1 (pixels of the
        sampled frame, 1 decimal), track_id (None: no track)."""
        out = []
        for fr in self.frames:
            ids = fr.track_ids or (NO_TRACK,) * len(fr.detections)
            det = fr.detections
            for name, conf, box, track in zip(det.class_name, det.confidence, det.xyxy, ids, strict=True):
                out.append(
                    {
                        "frame": fr.index,
                        "time_s": fr.time_s,
                        "class": name,
                        "confidence": round(float(conf), 4),
                        **{k: round(float(v), 1) for k, v in zip(("x0", "y0", "x1", "y1"), box, strict=True)},
                        "track_id": None if track == NO_TRACK else int(track),
                    }
                )
        return out

    def to_csv(self) -> str:
        """The rows as CSV (header :data:`CSV_HEADER`; an empty ``track_id`` is no track)."""
        return rows_csv(self.rows(), CSV_HEADER)

    def to_json(self, **extra: Any) -> str:
        """The video, the summary and the rows as JSON (``{**extra, "model_id", ..., "detections"}``)."""
        return json_text(
            {
                **extra,
                "model_id": self.model_id,
                "video": asdict(self.info),
                "stride": self.stride,
                "sampled_frames": len(self.frames),
                "tracked": self.tracked,
                "ms_per_frame": round(self.ms_per_frame, 1),
                "distinct_objects": self.distinct_objects(),
                "detections": self.rows(),
            }
        )

    def counts_over_time(self) -> tuple[list[float], dict[str, list[int]]]:
        """The sampled frames' times, and for each class the objects found in each of those frames
        (classes most found first).

        Example:
            >>> VideoDetections("m", VideoInfo(8, 8, 1.0, 1, 1.0, "h264", False, 1), 1, (), False).counts_over_time()
            ([], {})
        """
        per_frame = [Counter(fr.detections.class_name) for fr in self.frames]
        totals = _by_count(dict(sum(per_frame, Counter())))
        return [fr.time_s for fr in self.frames], {name: [c[name] for c in per_frame] for name in totals}

    def distinct_objects(self) -> dict[str, int] | None:
        """Distinct objects per class: the track ids seen with that class (None when not tracked).

        A track whose class changes (a "dog" seen once as a "cat") counts in both, as it would in
        Ultralytics' ``model.track`` results; a detection without a track counts in none.
        """
        if not self.tracked:
            return None
        ids: dict[str, set[int]] = {}
        for fr in self.frames:
            for name, track in zip(fr.detections.class_name, fr.track_ids or (), strict=False):
                if track != NO_TRACK:
                    ids.setdefault(name, set()).add(int(track))
        return _by_count({name: len(found) for name, found in ids.items()})

    def most_at_once(self) -> dict[str, int]:
        """The most objects of each class in one sampled frame (what an untracked video can count)."""
        _, series = self.counts_over_time()
        return {name: max(counts) for name, counts in series.items()}

    @property
    def ms_per_frame(self) -> float:
        """The mean time of the detector's call on a sampled frame, in milliseconds."""
        return statistics.fmean(fr.ms for fr in self.frames) if self.frames else 0.0


# --- tracking ---


class _Tracker:
    """Ultralytics' ByteTrack with its ``bytetrack.yaml`` defaults, fed any model's :class:`Detections`
    (so DETR and YOLOS are tracked as YOLO is)."""

    def __init__(self) -> None:
        from engine.models.lazy import import_ultralytics

        import_ultralytics()  # its quiet, offline settings before the submodules
        from ultralytics.trackers.byte_tracker import BYTETracker
        from ultralytics.utils import YAML, IterableSimpleNamespace
        from ultralytics.utils.checks import check_yaml

        config = IterableSimpleNamespace(**YAML.load(check_yaml(_TRACKER_CONFIG)))
        self._tracker = BYTETracker(args=config)
        self._class_ids: dict[str, int] = {}  # names, numbered here: DETR's ids and YOLO's differ

    def update(self, detections: Detections, size: tuple[int, int]) -> tuple[int, ...]:
        """The track id of each detection (:data:`NO_TRACK` where ByteTrack gives none)."""
        from ultralytics.engine.results import Boxes

        cls = [self._class_ids.setdefault(n, len(self._class_ids)) for n in detections.class_name]
        data = np.zeros((len(detections), 6), dtype=np.float32)
        data[:, :4] = detections.xyxy
        data[:, 4] = detections.confidence
        data[:, 5] = cls
        tracks = self._tracker.update(Boxes(data, (size[1], size[0])))
        ids = [NO_TRACK] * len(detections)
        for row in tracks:
            ids[int(row[-1])] = int(row[4])  # [x1, y1, x2, y2, track_id, score, cls, detection index]
        return tuple(ids)


def detect_video(
    data: bytes,
    detect_fn: Callable[[Image.Image], Detections | tuple[Detections, float]],
    *,
    model_id: str,
    stride: int = 5,
    track: bool = True,
    progress: Callable[[int, int], None] | None = None,
    limits: VideoLimits | None = None,
) -> VideoDetections:
    """``detect_fn`` on every ``stride``-th frame of the video ``data``, objects tracked across frames
    with ByteTrack when ``track``; ``progress(done, total)`` after each frame.

    ``detect_fn`` is the page's call (its fair queue, local or remote inference): the engine only
    times it, unless it returns ``(detections, ms)``, its own time of the model (e.g.
    :func:`engine.tasks.detection.detect_timed` inside the queue, so a wait in the queue is not counted). Refusals (:func:`probe_video`, :func:`check_stride`, against ``limits``, by default
    :meth:`VideoLimits.current`) come before any detection.

    Example:
        >>> detector = load_detector("ultralytics/yolov8n")  # doctest: +SKIP
        >>> result = detect_video(data, lambda im: detect(detector, im), model_id=detector.model_id)  # doctest: +SKIP
        >>> result.distinct_objects()  # doctest: +SKIP
        {'person': 3, 'elephant': 2, ...}
    """
    limits = limits or VideoLimits.current()
    info = probe_video(data, limits)
    check_stride(info, stride, limits)
    total = sampled_count(info, stride)
    tracker = _Tracker() if track else None
    frames: list[FrameResult] = []
    for frame in _frames(data, int(stride), info, limits):
        found, ms = timed(detect_fn, frame.image)
        if isinstance(found, tuple):  # the call timed the model itself (a queue's wait is not model time)
            found, ms = found
        detections: Detections = found
        ids = tracker.update(detections, frame.image.size) if tracker is not None else None
        frames.append(FrameResult(frame.index, frame.time_s, detections, round(ms, 2), ids))
        if progress is not None:
            progress(len(frames), max(total, len(frames)))
    return VideoDetections(model_id, info, int(stride), tuple(frames), tracked=track)


# --- the annotated video ---


def output_format() -> tuple[str, str, str]:
    """``(codec, container, mime)`` of the annotated video: H.264 in mp4 when this PyAV has an
    H.264 encoder (every browser plays it), else VP9 or VP8 in webm.

    Example:
        >>> output_format()[2] in {"video/mp4", "video/webm"}
        True
    """
    for codec, container, mime in (
        ("libx264", "mp4", "video/mp4"),
        ("libvpx-vp9", "webm", "video/webm"),
        ("libvpx", "webm", "video/webm"),
    ):
        try:
            av.codec.Codec(codec, "w")
        except av.FFmpegError:
            continue
        return codec, container, mime
    raise InvalidVideo("This PyAV has no H.264, VP9 or VP8 encoder.", code="video_codec", codec="h264/vp9/vp8")


_ENCODER_OPTIONS = {
    "libx264": {"crf": "23", "preset": "veryfast"},
    "libvpx-vp9": {"crf": "32", "b": "0", "deadline": "realtime", "cpu-used": "8"},
    "libvpx": {"crf": "10", "b": "1M", "deadline": "realtime", "cpu-used": "8"},
}
_TIME_BASE = Fraction(1, 1000)  # frames keep their own times (milliseconds), a variable rate included


def track_labels(detections: Detections, track_ids: Sequence[int] | None) -> tuple[Detections, dict[str, Any]]:
    """``detections`` named "person #3" where tracked, with the colours of their classes.

    Example:
        >>> d, colors = track_labels(Detections([[0, 0, 5, 5]], [0.9], [0], ["person"]), (3,))
        >>> d.class_name, colors["person #3"] == color_for("person")
        (('person #3',), True)
    """
    if not track_ids:
        return detections, {}
    names = [n if t == NO_TRACK else f"{n} #{t}" for n, t in zip(detections.class_name, track_ids, strict=True)]
    colors = {shown: color_for(n) for shown, n in zip(names, detections.class_name, strict=True)}
    return Detections(detections.xyxy, detections.confidence, detections.class_id, names), colors


def annotate_video(
    data: bytes, result: VideoDetections, *, display: Callable[[str], str] | None = None
) -> tuple[bytes, str]:
    """The sampled frames of ``data`` with ``result``'s boxes drawn (and "#track" where tracked),
    encoded at fps / stride for a browser (:func:`output_format`): ``(video bytes, mime type)``.

    In memory, frame by frame: nothing is written to disk. Frames are cropped to an even width and
    height (H.264's 4:2:0 needs them) by dropping the last column or row.

    Example:
        >>> from tests.videos import moving_scene
        >>> data = moving_scene(frames=8, fps=4)
        >>> video, mime = annotate_video(data, detect_video(data, lambda im: Detections.empty(), model_id="m", stride=2))
        >>> mime, av.open(io.BytesIO(video)).streams.video[0].frames
        ('video/mp4', 4)
    """
    # The result was checked against the limits when it was made: the frames it has are the ones
    # encoded, however the limits have changed since.
    unlimited = VideoLimits(len(data), math.inf, 2**31, 2**31)
    by_index = {fr.index: fr for fr in result.frames}
    last = max(by_index, default=-1)
    shown_name = _display_track(display) if display else None

    def pictures() -> Iterator[tuple[Image.Image, float]]:
        for frame in _frames(data, result.stride, result.info, unlimited):
            if frame.index > last:
                return
            found = by_index.get(frame.index)
            image = frame.image
            if found is not None:
                shown, colors = track_labels(found.detections, found.track_ids)
                image = annotate(image, shown, colors=colors, display=shown_name)
            yield image, frame.time_s

    return encode_video(pictures(), fps=result.info.fps / result.stride)


def key_frame(
    data: bytes, result: VideoDetections, *, display: Callable[[str], str] | None = None
) -> tuple[Image.Image, FrameResult] | None:
    """The sampled frame with the most detections (the first of them), drawn as in
    :func:`annotate_video`, and its result; ``None`` when nothing was detected. A picture of the
    video for a report (the deliverable), decoding only up to that frame.

    Example:
        >>> from tests.videos import moving_scene
        >>> data = moving_scene(frames=8, fps=4)
        >>> key_frame(data, detect_video(data, lambda im: Detections.empty(), model_id="m", stride=2)) is None
        True
    """
    best = max(result.frames, key=lambda fr: len(fr.detections), default=None)
    if best is None or not len(best.detections):
        return None
    unlimited = VideoLimits(len(data), math.inf, 2**31, 2**31)
    for frame in _frames(data, result.stride, result.info, unlimited):
        if frame.index == best.index:
            shown, colors = track_labels(best.detections, best.track_ids)
            named = _display_track(display) if display else None
            return annotate(frame.image, shown, colors=colors, display=named), best
    return None


def encode_video(pictures: Iterable[tuple[Image.Image, float]], *, fps: float) -> tuple[bytes, str]:
    """``(picture, time in seconds)`` pairs encoded as they come, in memory, in :func:`output_format`:
    ``(video bytes, mime type)``. The first picture sets the size (cropped to even sides); ``fps``
    is the nominal rate, each frame keeps its own time.

    Example:
        >>> video, mime = encode_video(((Image.new("RGB", (33, 20)), i / 4) for i in range(3)), fps=4)
        >>> probe = probe_video(video); (mime, probe.width, probe.height, probe.frames)
        ('video/mp4', 32, 20, 3)
    """
    codec, container_format, mime = output_format()
    buf = io.BytesIO()
    with av.open(buf, mode="w", format=container_format) as out:
        stream = out.add_stream(codec, rate=Fraction(fps).limit_denominator(1001))
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = _TIME_BASE
        stream.options = dict(_ENCODER_OPTIONS.get(codec, {}))
        size: tuple[int, int] | None = None
        for image, time_s in pictures:
            if size is None:
                size = (max(2, image.width - image.width % 2), max(2, image.height - image.height % 2))
                stream.width, stream.height = size
            if image.size != size:
                image = image.crop((0, 0, *size))
            picture = av.VideoFrame.from_image(image.convert("RGB"))
            picture.pts = round(time_s / _TIME_BASE)
            picture.time_base = _TIME_BASE
            for packet in stream.encode(picture):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue(), mime


# The page's sample: two of the bundled photos (engine.inputs.samples) sliding right together on grey.
SAMPLE_PHOTOS = ("cat", "astronaut")
SAMPLE_FPS = 10
SAMPLE_FRAMES = 30
SAMPLE_SIZE = (960, 320)


@lru_cache(maxsize=1)
def sample_clip() -> bytes:
    """The page's sample video, made here (no file): the cat and the astronaut photos side by side,
    sliding right 5 px a frame, 3 s at 10 fps, 960x320, in :func:`output_format`. YOLOv8n at 0.5
    finds the cat and the person in every frame, and ByteTrack keeps one id for each.

    Example:
        >>> info = probe_video(sample_clip())
        >>> (info.width, info.height, info.frames, info.fps)
        (960, 320, 30, 10.0)
    """
    from engine.inputs.samples import load_sample

    width, height = SAMPLE_SIZE
    photos = []
    for key in SAMPLE_PHOTOS:
        photo = load_sample(key)
        photos.append(photo.resize((round(photo.width * height / photo.height), height), Image.Resampling.LANCZOS))
    travel = width - sum(p.width for p in photos)
    step = max(1, travel // SAMPLE_FRAMES)

    def pictures() -> Iterator[tuple[Image.Image, float]]:
        for i in range(SAMPLE_FRAMES):
            frame = Image.new("RGB", SAMPLE_SIZE, (114, 114, 114))
            x = min(i * step, travel)
            for photo in photos:
                frame.paste(photo, (x, 0))
                x += photo.width
            yield frame, i / SAMPLE_FPS

    return encode_video(pictures(), fps=SAMPLE_FPS)[0]


def _display_track(display: Callable[[str], str]) -> Callable[[str], str]:
    """The page's class-name display, keeping a "#track" suffix as it is."""

    def shown(name: str) -> str:
        base, sep, track = name.rpartition(" #")
        return f"{display(base)} #{track}" if sep and track.isdigit() else display(name)

    return shown


# --- the code a student would write ---


def code_snippet(
    model_id: str,
    file_name: str = "",
    *,
    stride: int = 5,
    threshold: float = 0.5,
    track: bool = True,
    lang: str = "es",
) -> str:
    """The Python a student would write for the same video detections, on their file ``file_name``:
    Ultralytics' ``model.track`` (ByteTrack) or ``model.predict``; for a Hugging Face model, PyAV's
    frames through ``pipeline("object-detection")``. Comments and names in ``lang`` ("es", "en").

    It prints what the page's summary shows: distinct objects per class when tracking, else the
    most objects of each class seen in one frame.

    Example:
        >>> "model.track(" in code_snippet("ultralytics/yolov8n", "clip.mp4", lang="en")
        True
        >>> 'pipeline("object-detection"' in code_snippet("facebook/detr-resnet-50", "clip.mp4")
        True
    """
    spec = registry.get(model_id)
    en = lang == "en"
    name = repr(file_name or "video.mp4")  # the file name is data, never code
    if spec.source == "ultralytics":
        return _yolo_snippet(spec.file, name, stride, threshold, track, en)
    return _transformers_snippet(spec.id, name, stride, threshold, track, en)


# The snippets' names, in the page's language (Python's own words stay English).
_WORDS = {
    "en": {
        "model": "model",
        "results": "results",
        "result": "result",
        "ids": "ids",
        "most": "most",
        "name": "name",
        "found": "found",
        "counts": "counts",
        "downloaded": "downloaded the first time",
        "why_track": "ByteTrack follows each object from one frame to the next: one id per object",
        "no_id": "no object has an id yet",
        "per_class_ids": "class -> distinct track ids",
        "per_class_most": "class -> most objects in one frame",
        "every": "every {stride}th frame, from the first one",
        "no_track": "(the app follows objects across frames with Ultralytics' ByteTrack; this counts the most at once)",
    },
    "es": {
        "model": "modelo",
        "results": "resultados",
        "result": "resultado",
        "ids": "ids",
        "most": "maximo",
        "name": "clase",
        "found": "vistos",
        "counts": "cuenta",
        "downloaded": "se descarga la primera vez",
        "why_track": "ByteTrack sigue a cada objeto de un fotograma al siguiente: un id por objeto",
        "no_id": "aún ningún objeto tiene id",
        "per_class_ids": "clase -> ids distintos",
        "per_class_most": "clase -> más objetos a la vez en un fotograma",
        "every": "uno de cada {stride} fotogramas, desde el primero",
        "no_track": "(la app sigue los objetos con el ByteTrack de Ultralytics; aquí se cuentan los más a la vez)",
    },
}


def _yolo_snippet(weights: str, name: str, stride: int, threshold: float, track: bool, en: bool) -> str:
    w = _WORDS["en" if en else "es"]
    model, results, result = w["model"], w["results"], w["result"]
    head = f'from ultralytics import YOLO\n\n{model} = YOLO("{weights}")  # {w["downloaded"]}\n'
    if track:
        ids, cls, found = w["ids"], w["name"], w["found"]
        return (
            head + f"# {w['why_track']}\n"
            f"{results} = {model}.track(source={name}, vid_stride={stride}, conf={threshold:g}, "
            'tracker="bytetrack.yaml", stream=True, verbose=False)\n'
            f"{ids} = {{}}  # {w['per_class_ids']}\n"
            f"for {result} in {results}:\n"
            f"    if {result}.boxes.id is None:  # {w['no_id']}\n"
            "        continue\n"
            f"    for c, i in zip({result}.boxes.cls.tolist(), {result}.boxes.id.tolist()):\n"
            f"        {ids}.setdefault({result}.names[int(c)], set()).add(int(i))\n"
            f"for {cls}, {found} in sorted({ids}.items(), key=lambda kv: (-len(kv[1]), kv[0])):\n"
            f"    print({cls}, len({found}))\n"
        )
    most, cls, counts = w["most"], w["name"], w["counts"]
    return (
        "from collections import Counter\n\n"
        + head
        + f"{results} = {model}.predict(source={name}, vid_stride={stride}, conf={threshold:g}, "
        "stream=True, verbose=False)\n"
        f"{most} = {{}}  # {w['per_class_most']}\n"
        f"for {result} in {results}:\n"
        f"    {counts} = Counter({result}.names[int(c)] for c in {result}.boxes.cls.tolist())\n"
        f"    for {cls}, n in {counts}.items():\n"
        f"        {most}[{cls}] = max({most}.get({cls}, 0), n)\n"
        f"for {cls}, n in sorted({most}.items(), key=lambda kv: (-kv[1], kv[0])):\n"
        f"    print({cls}, n)\n"
    )


def _transformers_snippet(model_id: str, name: str, stride: int, threshold: float, track: bool, en: bool) -> str:
    w = _WORDS["en" if en else "es"]
    most, cls, counts, found = w["most"], w["name"], w["counts"], w["found"]
    note = f"# {w['no_track']}\n" if track else ""
    return (
        "from collections import Counter\n\n"
        "import av\n"
        "from transformers import pipeline\n\n"
        f'detector = pipeline("object-detection", model="{model_id}")\n'
        f"{note}"
        f"{most} = {{}}  # {w['per_class_most']}\n"
        f"with av.open({name}) as video:\n"
        "    for i, frame in enumerate(video.decode(video=0)):\n"
        f"        if i % {stride}:  # {w['every'].format(stride=stride)}\n"
        "            continue\n"
        f"        {found} = detector(frame.to_image(), threshold={threshold:g})\n"
        f"        {counts} = Counter(d['label'] for d in {found})\n"
        f"        print(f'{{frame.time:.2f}} s', dict({counts}))\n"
        f"        for {cls}, n in {counts}.items():\n"
        f"            {most}[{cls}] = max({most}.get({cls}, 0), n)\n"
        f"for {cls}, n in sorted({most}.items(), key=lambda kv: (-kv[1], kv[0])):\n"
        f"    print({cls}, n)\n"
    )


__all__ = [
    "CSV_HEADER",
    "NO_TRACK",
    "UPLOAD_TYPES",
    "Frame",
    "FrameResult",
    "VideoDetections",
    "VideoInfo",
    "VideoLimits",
    "annotate_video",
    "check_stride",
    "code_snippet",
    "detect_video",
    "encode_video",
    "min_stride",
    "output_format",
    "probe_video",
    "sample_clip",
    "sample_frames",
    "sampled_count",
    "track_labels",
]
