"""Detection on a video (engine/tasks/video.py): every refusal on its bad clip, sampling, the result
type and its exports, ByteTrack on a synthetic scene and on coco8 through the real YOLOv8n, the
annotated video re-opened with PyAV, the chart, and the code snippet run as a student runs it.

The clips are made here with PyAV (tests/videos.py); nothing is downloaded.
"""

from __future__ import annotations

import csv
import io
import json
import re

import av
import numpy as np
import pytest
from PIL import Image

from engine.errors import InvalidVideo
from engine.render.annotate import color_for
from engine.render.charts import objects_over_time
from engine.tasks import video as V
from engine.tasks.detection import Detections, detect, load_detector
from engine.tasks.video import (
    CSV_HEADER,
    NO_TRACK,
    FrameResult,
    VideoDetections,
    VideoInfo,
    annotate_video,
    check_stride,
    code_snippet,
    detect_video,
    probe_video,
    sample_frames,
    sampled_count,
)
from tests import videos
from tests.snippets import run_snippet, serve

RED, BLUE = (220, 30, 30), (30, 30, 220)


def squares(image: Image.Image) -> Detections:
    """A real detector of :func:`tests.videos.moving_scene`: the box around its red pixels ("red")
    and around its blue ones ("blue"), from the pixels of the decoded frame."""
    pixels = np.asarray(image).astype(int)
    boxes, names = [], []
    for name, color in (("red", RED), ("blue", BLUE)):
        ys, xs = np.nonzero(np.abs(pixels - color).sum(axis=2) < 90)
        if len(xs) > 20:
            boxes.append([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1])
            names.append(name)
    return Detections(np.array(boxes, dtype=float).reshape(-1, 4), [0.9] * len(names), [0] * len(names), names)


# --- refusals ---


@pytest.mark.parametrize(
    ("make", "env", "code", "params"),
    [
        (lambda: b"", {}, "video_empty", {}),
        (lambda: videos.moving_scene(), {"VISION_VIDEO_MAX_MB": "0.001"}, "video_too_large", {"limit_mb": 0.0}),
        (videos.corrupt_video, {}, "video_corrupt", {}),
        (videos.garbage_bytes, {}, "video_corrupt", {}),
        (videos.audio_only, {}, "video_no_video", {"found": "audio aac"}),
        (videos.zero_frames, {}, "video_no_frames", {}),
        (videos.long_video, {}, "video_too_long", {"seconds": 61.0, "limit_s": 60.0}),
        (lambda: videos.moving_scene(), {"VISION_VIDEO_MAX_SECONDS": "2"}, "video_too_long", {"seconds": 3.0}),
        (videos.huge_frame, {}, "video_too_big_frame", {"width": 2000, "height": 64, "limit": 1920}),
        (lambda: videos.moving_scene(), {"VISION_VIDEO_MAX_SIDE": "300"}, "video_too_big_frame", {"width": 320}),
        (videos.odd_codec, {}, "video_codec", {}),
        (lambda: None, {}, "invalid_video", {}),
    ],
    ids=[
        "empty",
        "too_large",
        "cut_in_half",
        "garbage",
        "audio_only",
        "zero_frames",
        "too_long",
        "too_long_lowered",
        "huge_frame",
        "side_lowered",
        "odd_codec",
        "not_bytes",
    ],
)
def test_each_bad_video_gets_its_code(make, env: dict, code: str, params: dict, monkeypatch) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    data = make()
    calls = []
    for attempt in (
        lambda: probe_video(data),
        lambda: next(iter(sample_frames(data, 1))),
        lambda: detect_video(data, lambda im: calls.append(im) or Detections.empty(), model_id="m", track=False),
    ):
        with pytest.raises(InvalidVideo) as err:
            attempt()
        assert err.value.code == code
        assert {k: err.value.params.get(k) for k in params} == params
    assert calls == []  # refused before any detection


def test_a_good_clip_is_described_before_decoding() -> None:
    mp4 = probe_video(videos.moving_scene(frames=24, fps=8))
    assert (mp4.width, mp4.height, mp4.fps, mp4.frames, mp4.seconds, mp4.codec, mp4.has_audio) == (
        320,
        240,
        8.0,
        24,
        3.0,
        "h264",
        False,
    )
    webm = probe_video(videos.moving_scene(frames=24, fps=8, container="webm"))  # no frame count in the header
    assert (webm.frames, webm.codec, webm.seconds) == (24, "vp9", 3.0)


@pytest.mark.parametrize(
    ("container", "codec", "pix_fmt", "name"),
    [
        ("mov", "libx264", "yuv420p", "h264"),
        ("matroska", "libx264", "yuv420p", "h264"),
        ("mp4", "libx264", "yuv444p", "h264"),  # full-resolution colour, which phones do not write but editors can
        ("avi", "mpeg4", "yuv420p", "mpeg4"),
        ("webm", "libvpx", "yuv420p", "vp8"),
    ],
)
def test_other_containers_and_codecs_are_read(container: str, codec: str, pix_fmt: str, name: str) -> None:
    frames = [f.image for f in sample_frames(videos.moving_scene(frames=6, fps=6), 1)]
    data = videos.encode(frames, fps=6, codec=codec, container=container, pix_fmt=pix_fmt)
    info = probe_video(data)
    assert (info.codec, info.frames, info.width, info.height) == (name, 6, 320, 240)
    result = detect_video(data, squares, model_id="squares", stride=2)
    assert result.distinct_objects() == {"blue": 1, "red": 1}


# --- sampling ---


@pytest.mark.parametrize("stride", [1, 3, 5, 24, 100])
def test_sampled_frames_are_every_strideth_from_frame_zero(stride: int) -> None:
    data = videos.moving_scene(frames=24, fps=8)
    frames = list(sample_frames(data, stride))
    assert [f.index for f in frames] == list(range(0, 24, stride))
    assert [f.time_s for f in frames] == [i / 8 for i in range(0, 24, stride)]
    assert sampled_count(probe_video(data), stride) == len(frames)
    assert {(f.image.mode, f.image.size) for f in frames} == {("RGB", (320, 240))}
    # the picture is the frame's: the red square has moved 4 px a frame
    reds = [int(np.nonzero(np.abs(np.asarray(f.image).astype(int) - RED).sum(axis=2) < 90)[1].min()) for f in frames]
    assert reds == pytest.approx([(4 * f.index) % (320 - 48) for f in frames], abs=2)


def test_frames_larger_than_the_working_side_are_shrunk(monkeypatch) -> None:
    monkeypatch.setenv("VISION_WORKING_SIDE", "160")
    assert {f.image.size for f in sample_frames(videos.moving_scene(frames=4), 2)} == {(160, 120)}


@pytest.mark.parametrize("stride", [0, -2, 1.5, True, "3"])
def test_a_bad_stride_is_refused(stride) -> None:
    info = probe_video(videos.moving_scene())
    with pytest.raises(InvalidVideo) as err:
        check_stride(info, stride)
    assert err.value.code == "video_bad_stride"


def test_too_many_samples_is_refused_with_the_stride_that_fits(monkeypatch) -> None:
    monkeypatch.setenv("VISION_VIDEO_MAX_SAMPLED", "5")
    data = videos.moving_scene(frames=24)
    with pytest.raises(InvalidVideo) as err:
        detect_video(data, squares, model_id="m", stride=4)  # 6 frames
    assert err.value.code == "video_too_many_samples"
    assert err.value.params == {"stride": 4, "sampled": 6, "limit": 5, "suggested": 5}
    assert len(detect_video(data, squares, model_id="m", stride=5).frames) == 5


# --- the result ---


def test_detect_video_runs_the_call_on_each_sampled_frame_with_progress() -> None:
    data = videos.moving_scene(frames=24, fps=8)
    seen, progress = [], []
    result = detect_video(
        data,
        lambda im: seen.append(im.size) or squares(im),
        model_id="squares",
        stride=5,
        track=False,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert seen == [(320, 240)] * 5
    assert progress == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert [(f.index, f.time_s) for f in result.frames] == [(0, 0.0), (5, 0.625), (10, 1.25), (15, 1.875), (20, 2.5)]
    assert result.tracked is False and result.distinct_objects() is None
    assert all(f.track_ids is None for f in result.frames)
    assert result.ms_per_frame == pytest.approx(np.mean([f.ms for f in result.frames]))
    times, series = result.counts_over_time()
    assert times == [0.0, 0.625, 1.25, 1.875, 2.5]
    assert series == {"blue": [1] * 5, "red": [1] * 5}
    assert result.most_at_once() == {"blue": 1, "red": 1}


def test_the_result_keeps_no_frame_picture() -> None:
    """Memory stays bounded: each sampled picture is let go once detected (the result holds boxes only)."""
    import gc
    import weakref

    pictures = []

    def detect_fn(image: Image.Image) -> Detections:
        pictures.append(weakref.ref(image))
        return squares(image)

    result = detect_video(videos.moving_scene(frames=24), detect_fn, model_id="squares", stride=2)
    gc.collect()
    assert len(pictures) == len(result.frames) == 12
    assert [p() for p in pictures] == [None] * 12


def test_a_detect_fn_may_give_its_own_time() -> None:
    """The page times the model inside its queue: a ``(detections, ms)`` answer is kept as it is."""
    data = videos.moving_scene(frames=8)
    result = detect_video(data, lambda im: (squares(im), 12.5), model_id="squares", stride=4, track=False)
    assert [f.ms for f in result.frames] == [12.5, 12.5] and result.ms_per_frame == 12.5
    assert [f.detections.class_name for f in result.frames] == [("red", "blue")] * 2


def test_the_page_names_are_drawn_with_the_track_suffix_kept() -> None:
    data = videos.moving_scene(frames=4)
    asked = []
    result = detect_video(data, squares, model_id="squares", stride=2)
    annotate_video(data, result, display=lambda name: asked.append(name) or name.upper())
    assert set(asked) == {"red", "blue"}  # the class name, never "red #1"


def _two_frames() -> VideoDetections:
    info = VideoInfo(64, 48, 4.0, 8, 2.0, "h264", False, 1000)
    cats = Detections([[1, 2, 30, 40], [32, 2, 60, 40]], [0.9, 0.8], [15, 15], ["cat", "=cat"])
    dog = Detections([[5.25, 6, 20, 21.5]], [0.7], [16], ["dog"])
    frames = (FrameResult(0, 0.0, cats, 10.0, (1, NO_TRACK)), FrameResult(4, 1.0, dog, 30.0, (1,)))
    return VideoDetections("ultralytics/yolov8n", info, 4, frames, tracked=True)


def test_rows_csv_and_json_carry_every_detection() -> None:
    result = _two_frames()
    rows = result.rows()
    assert [tuple(r) for r in rows] == [CSV_HEADER] * 3
    assert rows[0] == {
        "frame": 0,
        "time_s": 0.0,
        "class": "cat",
        "confidence": 0.9,
        "x0": 1.0,
        "y0": 2.0,
        "x1": 30.0,
        "y1": 40.0,
        "track_id": 1,
    }
    assert rows[1]["track_id"] is None and rows[2]["x0"] == 5.2 and rows[2]["frame"] == 4
    table = list(csv.reader(io.StringIO(result.to_csv())))
    assert table[0] == list(CSV_HEADER) and len(table) == 4
    assert table[2][2] == "'=cat" and table[2][8] == ""  # a formula-looking name is made safe; no track: empty
    doc = json.loads(result.to_json(source="clip.mp4"))
    assert doc["source"] == "clip.mp4" and doc["model_id"] == "ultralytics/yolov8n"
    assert doc["video"]["frames"] == 8 and doc["stride"] == 4 and doc["sampled_frames"] == 2
    assert doc["ms_per_frame"] == 20.0 and doc["detections"] == rows
    # the same track seen as "cat" then "dog" counts in both; a detection without a track in none
    assert doc["distinct_objects"] == {"cat": 1, "dog": 1}
    assert result.counts_over_time() == ([0.0, 1.0], {"=cat": [1, 0], "cat": [1, 0], "dog": [0, 1]})


# --- tracking ---


def test_bytetrack_follows_the_moving_squares() -> None:
    """The red and blue squares move 3-4 px a frame: two tracks for the whole clip, whatever the stride."""
    data = videos.moving_scene(frames=40, fps=8)
    for stride in (1, 3):
        result = detect_video(data, squares, model_id="squares", stride=stride)
        assert result.tracked
        ids = {name: set() for name in ("red", "blue")}
        for fr in result.frames:
            assert NO_TRACK not in fr.track_ids  # the first frame starts the tracks; each match keeps them
            for name, track in zip(fr.detections.class_name, fr.track_ids, strict=True):
                ids[name].add(track)
        assert {k: len(v) for k, v in ids.items()} == {"red": 1, "blue": 1}
        assert ids["red"] != ids["blue"]
        assert result.distinct_objects() == {"blue": 1, "red": 1}
        assert sum(len(fr.detections) for fr in result.frames) == 2 * len(result.frames)  # not what is counted


def test_a_track_lost_for_a_long_cut_gets_a_new_id() -> None:
    """A square that vanishes for longer than ByteTrack's buffer (30 updates) and comes back is a new object."""
    frames = [f.image for f in sample_frames(videos.moving_scene(frames=4, fps=8), 1)]
    data = videos.encode(frames + [Image.new("RGB", (320, 240))] * 35 + frames, fps=8)  # 35 black frames between
    result = detect_video(data, squares, model_id="squares", stride=1)
    assert [len(f.detections) for f in result.frames] == [2] * 4 + [0] * 35 + [2] * 4
    assert result.distinct_objects() == {"blue": 2, "red": 2}


# --- the annotated video ---


def test_annotated_video_plays_back_with_the_sampled_frames(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VISION_WORKING_SIDE", "161")  # 161x121: cropped to even sides for H.264
    data = videos.moving_scene(frames=24, fps=8)
    result = detect_video(data, squares, model_id="squares", stride=3)
    video, mime = annotate_video(data, result)
    assert list(tmp_path.iterdir()) == []  # in memory: no file anywhere near a shared name
    assert mime == "video/mp4" and video[4:8] == b"ftyp"
    with av.open(io.BytesIO(video)) as back:
        stream = back.streams.video[0]
        assert stream.codec_context.name == "h264"
        pictures = [f.to_image() for f in back.decode(stream)]
    assert len(pictures) == len(result.frames) == 8
    assert {p.size for p in pictures} == {(160, 120)}
    assert probe_video(video).fps == pytest.approx(8 / 3, abs=0.01)
    # each red box's outline is drawn in the red class's colour, where the detector put it
    first = result.frames[0]
    x0, y0, _, y1 = (int(v) for v in first.detections.xyxy[list(first.detections.class_name).index("red")])
    outline = np.asarray(pictures[0]).astype(int)[(y0 + y1) // 2, x0]
    assert np.abs(outline - color_for("red")).max() < 40  # lossy H.264, same colour


def test_track_ids_are_written_in_the_labels() -> None:
    shown, colors = V.track_labels(
        Detections([[0, 0, 5, 5], [6, 6, 9, 9]], [0.9, 0.8], [0, 0], ["cat", "cat"]), (3, -1)
    )
    assert shown.class_name == ("cat #3", "cat") and colors["cat #3"] == color_for("cat")


# --- the chart ---


def test_objects_over_time_has_a_line_per_class_and_model() -> None:
    data = videos.moving_scene(frames=16, fps=8)
    a = detect_video(data, squares, model_id="org/squares", stride=4, track=False)
    b = detect_video(data, lambda im: squares(im)[:1], model_id="other/reds", stride=4, track=False)
    one = objects_over_time([a], title="t", x_title="s", y_title="n")
    assert sorted(t.name for t in one.data) == ["blue", "red"]
    assert one.layout.xaxis.title.text == "s" and one.layout.yaxis.title.text == "n"
    two = objects_over_time([a, b])
    assert sorted(t.name for t in two.data) == ["blue · squares", "red · reds", "red · squares"]
    red = next(t for t in two.data if t.name == "red · squares")
    assert list(red.x) == [0.0, 0.5, 1.0, 1.5] and list(red.y) == [1, 1, 1, 1]
    assert red.line.color == "rgb({},{},{})".format(*color_for("red"))
    assert {t.line.dash for t in two.data if t.name.endswith("reds")} == {"dash"}


# --- the code snippet ---


@pytest.mark.parametrize("model_id", ["ultralytics/yolov8n", "facebook/detr-resnet-50", "hustvl/yolos-small"])
@pytest.mark.parametrize("track", [True, False])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_code_snippet_is_python_with_the_settings(model_id: str, track: bool, lang: str) -> None:
    name = 'mi "vídeo" d\'ella.mp4'
    code = code_snippet(model_id, name, stride=7, threshold=0.35, track=track, lang=lang)
    compile(code, "snippet.py", "exec")
    assert repr(name) in code and "0.35" in code and "7" in code and "engine" not in code
    if model_id.startswith("ultralytics/"):
        assert ("model.track(" if lang == "en" else "modelo.track(") in code if track else ".predict(" in code
        assert ('tracker="bytetrack.yaml"' in code) == track and "vid_stride=7" in code
    else:
        assert 'pipeline("object-detection"' in code and "import av" in code
    assert ("se descarga" in code or "uno de cada" in code) == (lang == "es")


# --- real models ---


def _printed_counts(out: str) -> dict[str, int]:
    found = {}
    for line in out.splitlines():
        m = re.fullmatch(r"(.+) (\d+)", line.strip())
        if m and not line.strip().endswith(" s") and "{" not in line:
            found[m.group(1)] = int(m.group(2))
    return found


@pytest.fixture(scope="module")
def yolov8n(shared_models):
    return load_detector("ultralytics/yolov8n")


@pytest.mark.slow
def test_real_yolov8n_counts_distinct_objects_not_detections(coco8, yolov8n) -> None:
    """On coco8 scenes held 6 frames each: the same objects keep their ids through a scene, and the
    distinct count per class is what one frame of each scene shows, not the sum over frames."""
    data = videos.coco8_clip()
    result = detect_video(data, lambda im: detect(yolov8n, im, threshold=0.5), model_id="ultralytics/yolov8n", stride=2)
    assert [f.index for f in result.frames] == [0, 2, 4, 6, 8, 10]
    # what YOLOv8n finds in one frame of each scene, alone: the scenes share no class
    per_scene = [detect(yolov8n, f.image, threshold=0.5) for f in sample_frames(data, 6)]  # frames 0 and 6
    expected: dict[str, int] = {}
    for found in per_scene:
        for name, n in found.counts().items():
            expected[name] = expected.get(name, 0) + n
    assert expected == videos.COCO8_CLIP_OBJECTS
    assert result.distinct_objects() == expected
    assert sum(len(f.detections) for f in result.frames) == 3 * sum(expected.values())  # 3 frames a scene
    for scene in (result.frames[:3], result.frames[3:]):
        # from the scene's second sampled frame on, the same ids (a new track is confirmed on its second frame)
        ids = [sorted(zip(f.detections.class_name, f.track_ids, strict=True)) for f in scene[1:]]
        assert all(i == ids[0] for i in ids) and all(t != NO_TRACK for _, t in ids[0])
    video, _ = annotate_video(data, result)
    with av.open(io.BytesIO(video)) as back:
        assert sum(1 for _ in back.decode(video=0)) == 6


def test_the_sample_clip_shows_a_cat_and_a_person_to_real_yolov8n(yolov8n) -> None:
    """The page opens on the sample clip: YOLOv8n finds the cat and the astronaut in every sampled
    frame and ByteTrack keeps one id for each."""
    data = V.sample_clip()
    assert V.sample_clip() is data  # made once
    info = probe_video(data)
    assert (info.width, info.height, info.frames, info.fps, info.codec) == (960, 320, 30, 10.0, "h264")
    result = detect_video(data, lambda im: detect(yolov8n, im, threshold=0.5), model_id="ultralytics/yolov8n", stride=3)
    assert [f.detections.counts() for f in result.frames] == [{"cat": 1, "person": 1}] * 10
    assert result.distinct_objects() == {"cat": 1, "person": 1}
    assert len({f.track_ids for f in result.frames}) == 1


@pytest.mark.slow
@pytest.mark.parametrize("track", [True, False])
def test_the_yolo_snippet_prints_the_engines_counts(coco8, shared_models, yolov8n, track: bool, tmp_path) -> None:
    """The page's code, run as a student runs it (``python snippet.py`` next to their clip and the
    .pt), prints the engine's distinct objects (or most at once) for the same settings."""
    student = tmp_path / "student"
    student.mkdir()
    (student / "yolov8n.pt").write_bytes((shared_models / "ultralytics" / "yolov8n.pt").read_bytes())
    data = videos.coco8_clip()
    (student / "mi vídeo.mp4").write_bytes(data)
    code = code_snippet("ultralytics/yolov8n", "mi vídeo.mp4", stride=2, threshold=0.5, track=track, lang="es")
    printed = _printed_counts(run_snippet(code, student))
    result = detect_video(
        data, lambda im: detect(yolov8n, im, threshold=0.5), model_id="ultralytics/yolov8n", stride=2, track=track
    )
    expected = result.distinct_objects() if track else result.most_at_once()
    assert printed == expected == videos.COCO8_CLIP_OBJECTS


@pytest.fixture(scope="module")
def tiny_detr():
    return load_detector("facebook/detr-resnet-50")


@pytest.mark.parametrize("model_id", ["facebook/detr-resnet-50", "hustvl/yolos-small"])
def test_tiny_hf_detectors_flow_through_detection_tracking_and_annotation(model_id: str, tiny_detr) -> None:
    """Any detector is tracked, not only YOLO: the tiny DETR and YOLOS (random weights favouring "cat")."""
    detector = tiny_detr if model_id == tiny_detr.model_id else load_detector(model_id)
    data = videos.moving_scene(frames=12, fps=8)
    result = detect_video(data, lambda im: detect(detector, im, threshold=0.5), model_id=model_id, stride=4)
    alone = [detect(detector, f.image, threshold=0.5) for f in sample_frames(data, 4)]
    assert [f.detections.class_name for f in result.frames] == [d.class_name for d in alone]
    assert all(np.allclose(f.detections.xyxy, d.xyxy) for f, d in zip(result.frames, alone, strict=True))
    assert sum(len(d) for d in alone) > 0
    assert all(len(f.track_ids) == len(f.detections) for f in result.frames)
    distinct = result.distinct_objects()
    assert distinct is not None and set(distinct) <= {"cat"}
    tracked = {t for f in result.frames for t in f.track_ids if t != NO_TRACK}
    assert sum(distinct.values()) == len(tracked) > 0  # the first frame's boxes start tracks
    video, mime = annotate_video(data, result)
    assert mime == "video/mp4" and probe_video(video).frames == 3


@pytest.mark.slow
def test_the_transformers_snippet_prints_the_engines_counts(tiny_detr, local_hub, tmp_path) -> None:
    """The Hugging Face snippet (PyAV frames through ``pipeline``), the model downloaded by its id from
    the local Hub, prints the engine's most objects of each class in one frame."""
    serve(local_hub, "facebook/detr-resnet-50")
    student = tmp_path / "student"
    student.mkdir()
    data = videos.moving_scene(frames=12, fps=8)
    (student / "clip.mp4").write_bytes(data)
    code = code_snippet("facebook/detr-resnet-50", "clip.mp4", stride=4, threshold=0.5, track=False, lang="en")
    printed = _printed_counts(run_snippet(code, student))
    result = detect_video(
        data, lambda im: detect(tiny_detr, im, threshold=0.5), model_id=tiny_detr.model_id, stride=4, track=False
    )
    assert printed == result.most_at_once() and printed
