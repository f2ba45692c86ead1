"""The /video page (AppTest): the sample clip, an upload (the annotated video, the chart, the CSV per
frame against the engine's own run), compare mode, tracking off, every bad clip's message with the
page working after it, a stand-in's notice, a shared link's settings, English."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from engine.errors import EngineError
from engine.tasks.detection import DetectionSettings, detect, load_detector
from engine.tasks.video import (
    VideoLimits,
    check_stride,
    code_snippet,
    detect_video,
    min_stride,
    probe_video,
    sampled_count,
)
from tests import videos
from tests.apptest import assert_no_exception, code_shown, downloaded, open_page, record_media, texts, upload
from tests.catalog import en, es, says_stand_in
from ui.errors import error_text
from ui.layout import md_escape
from ui.strings.labels import label

PAGE = "pages/video.py"
YOLO = "ultralytics/yolov8n"
DETR = "facebook/detr-resnet-50"  # a tiny stand-in in tests/tiny


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch):
    return record_media(monkeypatch)


def _videos(media) -> list[tuple[bytes, str]]:
    """The videos the page handed to the browser (st.video), as (bytes, mime type)."""
    return [(data, mime) for data, mime, _ in media.values() if str(mime).startswith("video/")]


def _info_caption(say: Callable[..., str], name: str, info, *, stride: int, sampled: int) -> str:
    """The clip's caption (``video.info``) the page writes for ``info`` at ``stride``."""
    return say(
        "video.info",
        name=md_escape(name),
        seconds=info.seconds,
        fps=info.fps,
        width=info.width,
        height=info.height,
        codec=info.codec,
        frames=info.frames,
        sampled=sampled,
        stride=stride,
    )


def _shown_videos(at) -> int:
    return len(at.get("video"))


def _table(at, column: str):
    tables = [tb.value for tb in at.table if column in tb.value.columns]
    assert len(tables) == 1, [list(tb.value.columns) for tb in at.table]
    return tables[0]


def _on_upload(**state) -> object:
    """The page with its source on upload (nothing run yet)."""
    at = open_page(PAGE, vid_source="upload", **state)
    assert not _shown_videos(at)
    assert es("video.upload_prompt") in texts(at)
    return at


def _engine_csv(data: bytes, model_id: str, *, stride: int, track: bool, threshold: float = 0.5) -> str:
    """What the engine itself gives for the clip: the page's CSV must be this."""
    detector = load_detector(model_id)
    settings = DetectionSettings(threshold=threshold).kwargs()
    result = detect_video(
        data, lambda image: detect(detector, image, **settings), model_id=model_id, stride=stride, track=track
    )
    return result.to_csv()


def _rows(text: str | bytes) -> list[dict[str, str]]:
    """A CSV's rows (a download's data is bytes, the engine's text)."""
    return list(csv.DictReader(io.StringIO(text.decode() if isinstance(text, bytes) else text)))


def test_the_sample_clip_runs_real_yolov8n(shared_models, media) -> None:
    at = open_page(PAGE)
    assert at.title[0].value == es("video.title")
    assert_no_exception(at)
    assert not at.error, [e.value for e in at.error]
    assert _shown_videos(at) == 1
    [(data, mime)] = _videos(media)
    assert mime in {"video/mp4", "video/webm"} and len(data) > 1000
    assert len(at.get("plotly_chart")) == 1
    # The chart's legend names the classes as the video and the tables do, in the page's language.
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert sorted(trace["name"] for trace in figure["data"]) == sorted([label("cat", "es"), label("person", "es")])
    body = texts(at)
    assert es("video.distinct_title") in body and es("video.col_distinct") in body
    table = _table(at, es("video.col_ms"))
    assert list(table[es("video.col_model")]) == [YOLO]
    # the sample: the cat and the astronaut sliding together, one object each over its 6 sampled frames
    assert int(table[es("video.col_total_distinct")].iloc[0]) == 2
    distinct = _table(at, es("video.col_class"))
    assert dict(zip(distinct[es("video.col_class")], distinct[es("video.col_distinct")], strict=True)) == {
        label("cat", "es"): 1,
        label("person", "es"): 1,
    }
    assert [int(n) for n in distinct[es("video.col_detections")]] == [6, 6]  # 30 frames, one in five
    _, blocks = code_shown(at)
    assert blocks == [code_snippet(YOLO, "video.mp4", stride=5, threshold=0.5, track=True, lang="es").strip()], blocks
    assert "track(" in blocks[0] and "vid_stride=5" in blocks[0]


def test_an_upload_gives_the_video_chart_and_the_engines_csv(shared_models, coco8: Path, media) -> None:
    clip = videos.coco8_clip()
    at = _on_upload()
    at.slider(key="vid_stride").set_value(2).run()
    upload(at, "vid_upload", clip, "coco8.mp4", "video/mp4")
    assert_no_exception(at)
    assert not at.error, [e.value for e in at.error]
    assert _shown_videos(at) == 1 and len(_videos(media)) == 1
    assert len(at.get("plotly_chart")) == 1
    info = probe_video(clip)
    assert _info_caption(es, "coco8.mp4", info, stride=2, sampled=sampled_count(info, 2)) in [
        c.value for c in at.caption
    ]
    data, mime, name = downloaded(at, media, f"vid_{YOLO}_csv")
    assert (mime, name) == ("text/csv", "yolov8n_coco8.csv")
    expected = _engine_csv(clip, YOLO, stride=2, track=True)
    assert _rows(data) == _rows(expected)
    shown = _rows(data)
    assert all(int(row["frame"]) % 2 == 0 for row in shown)  # one frame in two
    # distinct objects are the distinct track ids: what YOLOv8n sees scene by scene, not the boxes summed
    distinct = _table(at, es("video.col_class"))
    by_class = dict(zip(distinct[es("video.col_class")], distinct[es("video.col_distinct")], strict=True))
    assert {k: int(v) for k, v in by_class.items()} == {
        label(name, "es"): n for name, n in videos.COCO8_CLIP_OBJECTS.items()
    }
    detections = dict(zip(distinct[es("video.col_class")], distinct[es("video.col_detections")], strict=True))
    assert all(int(detections[k]) > int(v) for k, v in by_class.items())  # each object in several frames
    persons = {row["track_id"] for row in shown if row["class"] == "person"} - {""}  # "": not (yet) tracked
    assert len(persons) == videos.COCO8_CLIP_OBJECTS["person"]


def test_without_tracking_there_are_only_detections(shared_models, media) -> None:
    at = open_page(PAGE, vid_track=False)
    assert_no_exception(at)
    body = texts(at)
    assert es("video.untracked") in body and es("video.per_class_title") in body
    per_class = _table(at, es("video.col_class"))
    assert list(per_class.columns) == [es("video.col_class"), es("video.col_detections"), es("video.col_most")]
    table = _table(at, es("video.col_ms"))
    assert list(table[es("video.col_total_distinct")]) == ["—"]
    data, _, _ = downloaded(at, media, f"vid_{YOLO}_csv")
    assert {row["track_id"] for row in _rows(data)} <= {""}  # no ids without a tracker


def test_compare_mode_runs_two_detectors_into_one_chart(shared_models, media) -> None:
    at = open_page(PAGE)
    at.toggle(key="vid_compare").set_value(True).run()
    at.multiselect(key="vid_models").set_value([YOLO, DETR]).run()
    assert_no_exception(at)
    assert _shown_videos(at) == 2 and len(_videos(media)) >= 2
    assert len(at.get("plotly_chart")) == 1  # both models' lines in one chart
    table = _table(at, es("video.col_ms"))
    assert list(table[es("video.col_model")]) == [YOLO, f"{DETR} · {es('common.tag_stand_in')}"]
    assert all(float(ms) >= 0 for ms in table[es("video.col_ms")])
    body = texts(at)
    assert says_stand_in(body, DETR) and not says_stand_in(body, YOLO)
    _, blocks = code_shown(at)
    assert len(blocks) == 2 and "YOLO(" in blocks[0] and DETR in blocks[1]


def test_a_stand_in_model_says_so() -> None:
    at = _on_upload()
    at.selectbox(key="vid_model").set_value(DETR).run()
    upload(at, "vid_upload", videos.moving_scene(frames=10), "scene.mp4", "video/mp4")
    assert_no_exception(at)
    assert not at.error, [e.value for e in at.error]
    assert _shown_videos(at) == 1
    assert says_stand_in(texts(at), DETR)


BAD_CLIPS: list[tuple[str, Callable[[], bytes], str]] = [
    ("corrupt.mp4", videos.corrupt_video, "video_corrupt"),
    ("garbage.mp4", videos.garbage_bytes, "video_corrupt"),
    ("empty.mp4", lambda: b"", "video_empty"),
    ("sound.mov", videos.audio_only, "video_no_video"),
    ("nothing.mp4", videos.zero_frames, "video_no_frames"),
    ("long.mp4", videos.long_video, "video_too_long"),
    ("wide.mp4", videos.huge_frame, "video_too_big_frame"),
    ("odd.mp4", videos.odd_codec, "video_codec"),
]


def _refusal(data: bytes, limits: VideoLimits | None = None) -> EngineError:
    try:
        probe_video(data, limits)
    except EngineError as exc:
        return exc
    raise AssertionError("the engine accepted a bad clip")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_bad_clip_gets_its_message_and_the_page_recovers(lang: str) -> None:
    at = open_page(PAGE, lang=lang, vid_source="upload", vid_model=DETR)  # the tiny DETR: no real weights needed
    good = videos.moving_scene(frames=10)
    upload(at, "vid_upload", good, "good.mp4", "video/mp4")
    assert not at.error and _shown_videos(at) == 1
    for name, make, code in BAD_CLIPS:
        data = make()
        refusal = _refusal(data)
        assert refusal.code == code, (name, refusal.code)
        upload(at, "vid_upload", data, name, "video/mp4")
        assert_no_exception(at)
        assert [e.value for e in at.error] == [error_text(refusal, lang)], name
        assert _shown_videos(at) == 0, f"{name}: a stale result is still shown"
        upload(at, "vid_upload", good, "good.mp4", "video/mp4")  # the next good clip works again
        assert_no_exception(at)
        assert not at.error, f"after {name}: {[e.value for e in at.error]}"
        assert _shown_videos(at) == 1


def test_a_clip_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_VIDEO_MAX_MB", "0.001")  # about 1 kB
    clip = videos.moving_scene(frames=40, size=(320, 240))
    assert len(clip) > 0.001 * 2**20
    at = _on_upload(vid_model=DETR)
    upload(at, "vid_upload", clip, "big.mp4", "video/mp4")
    assert_no_exception(at)
    refusal = _refusal(clip, VideoLimits.current())
    assert refusal.code == "video_too_large"
    assert [e.value for e in at.error] == [error_text(refusal, "es")]
    assert _shown_videos(at) == 0


def _say(lang: str) -> Callable[..., str]:
    return es if lang == "es" else en


def _infos(at) -> list[str]:
    return [i.value for i in at.info]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_long_new_clip_raises_the_stride_to_what_fits(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """The slider goes up to the smallest stride that fits and the page says so; a student who then
    lowers it gets the refusal (the clip is not new any more), and a stride that fits works."""
    monkeypatch.setenv("VISION_VIDEO_MAX_SAMPLED", "4")
    at = open_page(PAGE, lang=lang, vid_source="upload", vid_model=DETR)
    at.slider(key="vid_stride").set_value(1).run()
    clip = videos.moving_scene(frames=10)
    info = probe_video(clip)
    assert min_stride(info, VideoLimits.current()) == 3  # 10 frames, at most 4 analysed
    upload(at, "vid_upload", clip, "scene.mp4", "video/mp4")
    assert_no_exception(at)
    assert at.slider(key="vid_stride").value == 3
    said = _say(lang)("video.stride_raised", stride=3, limit=4)
    assert said in _infos(at)
    assert not at.error and _shown_videos(at) == 1
    assert _info_caption(_say(lang), "scene.mp4", info, stride=3, sampled=4) in [c.value for c in at.caption]

    at.slider(key="vid_stride").set_value(1).run()  # below what fits: refused, and left where the student put it
    assert_no_exception(at)
    with pytest.raises(EngineError) as refusal:
        check_stride(info, 1, VideoLimits.current())
    assert refusal.value.code == "video_too_many_samples" and refusal.value.params["suggested"] == 3
    assert at.slider(key="vid_stride").value == 1
    assert [e.value for e in at.error] == [error_text(refusal.value, lang)] and _shown_videos(at) == 0
    assert said not in _infos(at)
    at.slider(key="vid_stride").set_value(5).run()  # 10 frames, one in five: 2 to analyse
    assert_no_exception(at)
    assert not at.error and _shown_videos(at) == 1 and at.slider(key="vid_stride").value == 5

    upload(at, "vid_upload", videos.moving_scene(frames=12), "other.mp4", "video/mp4")  # new, and 5 fits: kept
    assert at.slider(key="vid_stride").value == 5 and not at.error and said not in _infos(at)


def test_the_sample_clip_raises_the_stride_when_it_is_too_long_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_VIDEO_MAX_SAMPLED", "4")  # the sample's 30 frames: 6 at the default stride of 5
    at = open_page(PAGE, lang="en", vid_model=DETR)
    assert_no_exception(at)
    assert at.slider(key="vid_stride").value == 8
    assert en("video.stride_raised", stride=8, limit=4) in _infos(at)
    assert not at.error and _shown_videos(at) == 1


@pytest.mark.parametrize(("linked", "shown"), [("3", 3), ("2", 3)])
def test_a_shared_links_stride_stays_for_its_clip_only_if_it_fits(
    monkeypatch: pytest.MonkeyPatch, linked: str, shown: int
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.apptest import ROOT, TIMEOUT

    monkeypatch.setenv("VISION_VIDEO_MAX_SAMPLED", "4")
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "es"
    at.session_state["vid_source"] = "upload"
    at.query_params["model"] = DETR
    at.query_params["stride"] = linked
    at.run()
    at.switch_page(PAGE).run()
    assert at.slider(key="vid_stride").value == int(linked)
    upload(at, "vid_upload", videos.moving_scene(frames=10), "scene.mp4", "video/mp4")  # stride 3 fits: 4 frames
    assert_no_exception(at)
    assert at.slider(key="vid_stride").value == shown
    assert (es("video.stride_raised", stride=3, limit=4) in _infos(at)) == (shown != int(linked))
    assert not at.error and _shown_videos(at) == 1


def test_the_limits_are_said_next_to_the_uploader() -> None:
    at = _on_upload()
    limits = VideoLimits.current()
    expected = es(
        "video.limits",
        mb=f"{limits.max_bytes / 2**20:g}",
        seconds=f"{limits.max_seconds:g}",
        side=limits.max_side,
        sampled=limits.max_sampled,
    )
    assert expected in [c.value for c in at.caption]
    assert es("video.webcam") in [c.value for c in at.caption]


def test_a_shared_link_sets_the_page_up() -> None:
    from streamlit.testing.v1 import AppTest

    from tests.apptest import ROOT, TIMEOUT

    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = "es"
    at.session_state["vid_source"] = "upload"  # nothing to run: only the widgets
    for key, value in {"model": DETR, "conf": "0.3", "stride": "99", "track": "0"}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    assert at.selectbox(key="vid_model").value == DETR
    assert at.slider(key="vid_conf").value == pytest.approx(0.3)
    assert at.slider(key="vid_stride").value == 30  # clamped to the slider's range
    assert at.checkbox(key="vid_track").value is False


def test_the_page_in_english(shared_models, media) -> None:
    at = open_page(PAGE, lang="en")
    assert_no_exception(at)
    assert at.title[0].value == en("video.title")
    assert _shown_videos(at) == 1
    body = texts(at)
    assert en("video.distinct_title") in body and es("video.distinct_title") not in body
    _, blocks = code_shown(at, "en")
    assert blocks == [code_snippet(YOLO, "video.mp4", stride=5, threshold=0.5, track=True, lang="en").strip()]
