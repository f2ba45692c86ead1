"""Each page's deliverable through AppTest: run something, download the zip the button gives, open it
and read its README and images; Home's "todo el curso" zip joins them (issue 15)."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from engine.deliverable import slug
from tests.apptest import assert_no_exception, downloaded, open_page, record_media
from tests.catalog import en, es
from tests.sketch_shapes import SHAPES, fabric_json, place


@pytest.fixture
def media(monkeypatch) -> dict:
    return record_media(monkeypatch)


def _zip_of(at, media, key: str) -> zipfile.ZipFile:
    data, mime, name = downloaded(at, media, key)
    assert mime == "application/zip" and name.endswith(".zip")
    return zipfile.ZipFile(io.BytesIO(data))


def _button(at, key: str):
    return next(b for b in at.get("download_button") if b.proto.id.endswith(key))


def _check(zf: zipfile.ZipFile, lang: str = "es") -> str:
    """Every image the README links is in the zip and opens; the script compiles. The README's text."""
    names = set(zf.namelist())
    readme = zf.read("README.md").decode()
    compile(zf.read("reproduce.py").decode(), "reproduce.py", "exec")
    linked = [line.split("](", 1)[1].rstrip(")") for line in readme.splitlines() if line.startswith("![")]
    assert linked, readme
    for path in linked:
        assert path in names, path
        Image.open(io.BytesIO(zf.read(path))).verify()
    tr = es if lang == "es" else en
    assert tr("deliverable.machine") in readme and tr("deliverable.reproduce") in readme
    return readme


def test_nothing_run_yet_the_button_is_disabled_with_a_hint(canvas) -> None:
    at = open_page("pages/pictionary.py")  # nothing drawn: nothing run
    assert _button(at, "pictionary_deliverable").proto.disabled
    assert es("deliverable.nothing_yet") in [c.value for c in at.caption]


def test_classification_collects_every_image_of_the_session(media) -> None:
    at = open_page("pages/classification.py")
    readme = _check(_zip_of(at, media, "classification_deliverable"))
    assert "tabby, tabby cat" in readme and es("deliverable.summary") in readme
    at.selectbox(key="cls_sample").set_value("coffee").run()  # a second photo: both runs are in the report
    assert_no_exception(at)
    zf = _zip_of(at, media, "classification_deliverable")
    readme = _check(zf)
    assert "### 1." in readme and "### 2." in readme
    assert len([n for n in zf.namelist() if n.startswith("images/")]) == 2
    assert es("deliverable.intro", n=2) in readme


def test_detection_deliverable_is_the_course_table_with_the_annotated_image(media) -> None:
    at = open_page("pages/detection.py")
    zf = _zip_of(at, media, "detection_deliverable")
    readme = _check(zf)
    assert es("deliverable.course_table") in readme
    header = next(line for line in readme.splitlines() if line.startswith(f"| {es('deliverable.col_image')}"))
    for col in ("col_model", "col_objects", "col_time", "col_fp", "col_fn", "col_lines", "col_notes"):
        assert es(f"deliverable.{col}") in header
    assert any(n.endswith("_annotated.png") for n in zf.namelist())
    assert (
        "from ultralytics import YOLO" in zf.read("reproduce.py").decode()
        or "pipeline(" in zf.read("reproduce.py").decode()
    )


def test_segmentation_deliverable_has_the_inverted_mask(media) -> None:
    at = open_page("pages/segmentation.py")
    at.slider(key="seg_opacity").set_value(0.8).run()  # the same run, its overlay redrawn: not a second run
    zf = _zip_of(at, media, "segmentation_deliverable")
    readme = _check(zf)
    assert "### 1." in readme and "### 2." not in readme
    assert es("deliverable.img_overlay") in readme
    if es("deliverable.img_inverted") in readme:  # the chosen label is in the photo
        assert any(n.endswith("_inverted.png") for n in zf.namelist())


def test_zero_shot_deliverable_has_sorted_scores_and_the_labelled_image(media) -> None:
    at = open_page("pages/zero_shot.py")
    zf = _zip_of(at, media, "zero_shot_deliverable")
    readme = _check(zf)
    assert es("deliverable.img_labelled") in readme
    scores = [float(c.strip().rstrip("%")) for c in _column(readme, es("deliverable.col_score"))]
    assert scores == sorted(scores, reverse=True) and len(scores) >= 2


def _column(readme: str, name: str) -> list[str]:
    """The cells of column ``name`` of the first Markdown table that has it."""
    lines = readme.splitlines()
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and name in cells:
            j = cells.index(name)
            out = []
            for row in lines[i + 2 :]:
                if not row.startswith("|"):
                    break
                out.append([c.strip() for c in row.strip("|").split("|")][j])
            return out
    raise AssertionError(f"no column {name!r}")


def test_clip_workshop_deliverable_is_images_by_descriptions_with_the_prediction(media) -> None:
    at = open_page("pages/clip_workshop.py")
    at.multiselect(key="cw_samples").set_value(["cat", "coffee"]).run()
    zf = _zip_of(at, media, "clip_workshop_deliverable")
    readme = _check(zf)
    assert es("deliverable.col_prediction") in readme
    sources = [n for n in zf.namelist() if n.startswith("images/01_1_") or n.startswith("images/01_2_")]
    assert len(sources) == 2


def test_depth_deliverable_in_english(media) -> None:
    at = open_page("pages/depth.py", lang="en")
    data, _, name = downloaded(at, media, "depth_deliverable")
    assert name == "deliverable_depth.zip"
    readme = _check(zipfile.ZipFile(io.BytesIO(data)), "en")
    assert en("deliverable.img_depth") in readme and en("depth.title") in readme


def test_pictionary_deliverable_keeps_the_drawing_and_its_28x28_view(canvas, media) -> None:
    canvas.json = fabric_json(place(SHAPES["circle"], x=40, y=60, size=150, seed=0, wobble=0.01))
    at = open_page("pages/pictionary.py")
    canvas.json = fabric_json(place(SHAPES["circle"], x=40, y=60, size=160, seed=1, wobble=0.01))
    at.run()  # another stroke on the same canvas: the same run, its latest guess
    zf = _zip_of(at, media, "pictionary_deliverable")
    readme = _check(zf)
    assert es("deliverable.img_sketch28") in readme and "circle" in readme
    assert "### 2." not in readme


def test_home_joins_every_pages_deliverable(media) -> None:
    at = open_page("pages/classification.py")
    at.switch_page("pages/depth.py").run()
    at.switch_page("pages/home.py").run()
    assert_no_exception(at)
    zf = _zip_of(at, media, "home_deliverable")
    names = zf.namelist()
    readme = zf.read("README.md").decode()
    assert "classification/README.md" in names and "depth/README.md" in names
    assert "(classification/README.md)" in readme and "(depth/README.md)" in readme
    assert not any(n.startswith("detection/") for n in names)
    _check(zipfile.ZipFile(io.BytesIO(_subzip(zf, "depth"))))


def _subzip(zf: zipfile.ZipFile, folder: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for name in zf.namelist():
            if name.startswith(folder + "/"):
                out.writestr(name.removeprefix(folder + "/"), zf.read(name))
    return buf.getvalue()


def test_a_finished_game_is_one_run_with_its_rounds_and_its_summary(canvas, media) -> None:
    import dataclasses
    import time

    import numpy as np

    from engine.tasks.game import new_game

    at = open_page("pages/pictionary.py")
    at.radio(key="pic_mode").set_value("game").run()
    now = time.monotonic()
    game = new_game(["circle", "star"], now=now, rounds=2)
    x28 = np.zeros((28, 28), dtype=np.float32)
    x28[8:20, 8:20] = 1.0
    ended = (
        dataclasses.replace(
            game.rounds[0],
            target="circle",
            outcome="won",
            started=now,
            ended=now + 3,
            guess="circle",
            guess_score=0.9,
            drawing=x28,
        ),
        dataclasses.replace(game.rounds[1], target="star", outcome="skipped", started=now, ended=now + 5),
    )
    at.session_state["pic_game"] = dataclasses.replace(game, rounds=ended, index=2)
    at.run()
    assert_no_exception(at)
    zf = _zip_of(at, media, "pictionary_deliverable")
    readme = _check(zf)
    assert es("deliverable.img_summary") in readme
    # Each round's outcome in the page's language; a round with nothing drawn has no guess and no score.
    won, skipped = es("deliverable.outcome_won"), es("deliverable.outcome_skipped")
    assert f"| 1 | circle | {won} | circle | 90.0% |" in readme and f"| 2 | star | {skipped} | — | — |" in readme
    assert [n for n in zf.namelist() if n.startswith("images/01_")] == [
        "images/01_1_circle.png",  # the one round drawn, black on white as the snippet reads it
        f"images/01_{slug(es('game.summary', score=1, total=2))}_summary.png",
    ]
    assert "'images/01_1_circle.png'" in zf.read("reproduce.py").decode()


def test_runs_the_session_budget_drops_are_counted_in_the_report(monkeypatch, media) -> None:
    monkeypatch.setenv("VISION_SESSION_MB", "0.05")  # about one photo's PNG: an older run has to go
    at = open_page("pages/classification.py")
    at.selectbox(key="cls_sample").set_value("coffee").run()
    at.selectbox(key="cls_sample").set_value("astronaut").run()
    assert_no_exception(at)
    readme = _check(_zip_of(at, media, "classification_deliverable"))
    kept = readme.count("\n### ")
    assert 1 <= kept < 3
    assert es("deliverable.dropped", n=3 - kept) in readme
    assert "astronauta" in readme.split("\n### ")[-1].lower()  # the newest stays


@pytest.mark.slow
def test_video_deliverable_has_the_clip_its_busiest_frame_and_a_script_that_counts_alike(
    media, shared_models, tmp_path
) -> None:
    from engine.tasks.video import sample_clip
    from tests.snippets import run_snippet

    at = open_page("pages/video.py")  # the sample clip through the real YOLOv8n
    assert_no_exception(at)
    zf = _zip_of(at, media, "video_deliverable")
    readme = _check(zf)  # the busiest frame is the picture it links
    [clip] = [n for n in zf.namelist() if n.endswith(".mp4")]
    assert zf.read(clip) == sample_clip()  # the clip as it came: what the script runs on
    assert es("deliverable.img_busiest") in readme and es("deliverable.col_distinct") in readme
    rows = {
        cells[0]: cells[1:]
        for line in readme.splitlines()
        if line.startswith("| ") and (cells := [c.strip() for c in line.strip("|").split("|")])[0] in {"cat", "person"}
    }
    assert rows == {"cat": ["1", "6", "1"], "person": ["1", "6", "1"]}  # distinct, detections, most at once
    folder = tmp_path / "zip"
    zf.extractall(folder)
    (folder / "yolov8n.pt").write_bytes((shared_models / "ultralytics" / "yolov8n.pt").read_bytes())
    code = (folder / "reproduce.py").read_text().replace("os.path.abspath(__file__)", repr(str(folder / "x.py")))
    printed = run_snippet(code, tmp_path)
    counts = dict(line.rsplit(" ", 1) for line in printed.splitlines() if not line.startswith("==="))
    assert counts == {"cat": "1", "person": "1"}  # the distinct objects the report gives
