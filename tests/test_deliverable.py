"""The deliverable (engine/deliverable, issue 15): the report's tables and sections for each page,
the zip's layout, the session budget, hostile names and labels, both languages; and the zip's
script run as a student runs it (offline, the test suite's models), printing the report's numbers."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.deliverable import Deliverable, Entry, Machine, join, md_cell, slug
from engine.inputs.samples import load_sample
from tests.snippets import percent_lines, run_snippet, serve
from ui.deliverable import words


def render(markdown: str) -> str:
    """The report as HTML, CommonMark with GitHub's tables (markdown-it-py: what the browser test shows)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


MACHINE = Machine("Test CPU 3000", 2, "2.14.1", "3.11.7", "2026-12-01 10:00 UTC")


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


PIXEL = _png(Image.new("RGB", (4, 3), "red"))


def _entry(name: str = "gato.png", **changes) -> Entry:
    base = {
        "image_name": name,
        "sources": ((name, PIXEL),),
        "rows": ({"rank": 1, "label": "tabby", "score": 0.4567}, {"rank": 2, "label": "tiger cat", "score": 0.2}),
        "ms": 12.4,
        "models": ("efficientnet-lite0",),
        "settings": {"top_k": 2},
    }
    return Entry(**{**base, **changes})


def _deliverable(page: str, entries: list[Entry], lang: str = "es", **changes) -> Deliverable:
    return Deliverable(page, lang, tuple(entries), machine=MACHINE, words=words(page, lang), **changes)


def _zip(d: Deliverable) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(d.to_zip()))


def _table(markdown: str, heading: str) -> list[list[str]]:
    """The rows (header first) of the first Markdown table after the line ``heading``."""
    lines = markdown.splitlines()
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1 :]:
        if line.startswith("#"):  # the next section: this one has no table
            break
        if line.startswith("|"):
            if not line.startswith("| ---"):
                rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
        elif rows:
            break
    return rows


# --- the report of each page ---


@pytest.mark.parametrize("lang", ["es", "en"])
def test_classification_report_has_its_sections_in_the_ui_language(lang: str) -> None:
    d = _deliverable("classification", [_entry(), _entry("perro.jpg")], lang)
    md = d.report_markdown()
    w = words("classification", lang)
    assert md.startswith("# " + w["title"].format(page=w["page"]))
    for key in ("summary", "runs", "settings", "machine", "reproduce"):
        assert f"## {w[key]}" in md, key
    summary = _table(md, f"## {w['summary']}")
    assert summary[0] == [w[k] for k in ("col_number", "col_image", "col_model", "col_time", "col_result")]
    assert summary[1] == ["1", "gato.png", "efficientnet-lite0", "12", "tabby (45.7%)"]
    assert summary[2][1] == "perro.jpg" and len(summary) == 3
    run = _table(md, "### 2. perro.jpg · efficientnet-lite0")
    assert run == [
        [w["col_rank"], w["col_label"], w["col_score"]],
        ["1", "tabby", "45.7%"],
        ["2", "tiger cat", "20.0%"],
    ]
    assert "![" + w["source_image"] + "](images/02_perro.png)" in md
    assert f"**{w['set_top_k']}**: 2" in md
    machine = _table(md, f"## {w['machine']}")
    assert machine[1] == ["Test CPU 3000", "2", "2.14.1", "3.11.7", "2026-12-01 10:00 UTC"]
    other = words("classification", "en" if lang == "es" else "es")
    assert f"## {other['machine']}" not in md


def test_detection_report_is_the_course_table_with_fp_fn_totals_and_lines_of_code() -> None:
    from engine.tasks.detection import code_snippet, lines_of_code

    boxes = ({"label": "cup", "score": 0.91, "x1": 1.0, "y1": 2.0, "x2": 30.0, "y2": 40.0},)
    settings = {"threshold": 0.5, "iou": 0.7, "classes": [], "max_detections": 100}
    entries = [
        _entry(
            "a.jpg", rows=boxes, ms=30.0, models=("ultralytics/yolov8n",), settings=settings, facts={"fp": 1, "fn": 0}
        ),
        _entry("a.jpg", rows=boxes * 2, ms=90.0, models=("facebook/detr-resnet-50",), settings=settings),
        _entry("b.jpg", rows=(), ms=10.0, models=("ultralytics/yolov8n",), settings=settings, facts={"fp": 0, "fn": 2}),
        _entry("b.jpg", rows=boxes, ms=70.0, models=("facebook/detr-resnet-50",), settings=settings),
    ]
    entries[0] = Entry(**{**entries[0].__dict__, "shown": (("annotated", PIXEL),)})
    d = _deliverable("detection", entries)
    md = d.report_markdown()
    w = words("detection", "es")
    table = _table(md, f"## {w['course_table']}")
    cols = ("col_image", "col_model", "col_objects", "col_time", "col_fp", "col_fn", "col_lines", "col_notes")
    assert table[0] == [w[c] for c in cols]
    yolo = lines_of_code(code_snippet("ultralytics/yolov8n", file_name="images/01_a.png"))
    detr = lines_of_code(code_snippet("facebook/detr-resnet-50", file_name="images/02_a.png"))
    assert table[1] == ["a.jpg", "ultralytics/yolov8n", "1", "30", "1", "0", str(yolo), ""]
    assert table[2] == ["a.jpg", "facebook/detr-resnet-50", "2", "90", "—", "—", str(detr), ""]
    assert table[3][:6] == ["b.jpg", "ultralytics/yolov8n", "0", "10", "0", "2"]
    # Two images: a total per model, its median time; FP/FN summed only where every image has labels.
    total = w["total_row"].format(n=2)
    assert table[5] == [total, "ultralytics/yolov8n", "1", "20", "1", "2", str(yolo), ""]
    assert table[6][:6] == [total, "facebook/detr-resnet-50", "3", "80", "—", "—"]
    assert f"![{w['img_annotated']}](images/01_a_annotated.png)" in md
    assert ["cup", "0.91", "1.0", "2.0", "30.0", "40.0"] in _table(md, "### 1. a.jpg · ultralytics/yolov8n")
    assert _table(md, "### 3. b.jpg · ultralytics/yolov8n") == [] and w["no_rows"] in md
    assert "table.csv" in _zip(d).namelist()


def test_segmentation_zero_shot_workshop_depth_and_game_reports() -> None:
    seg = _entry(
        rows=({"color": "#ff0000", "label": "person", "share": 0.25, "segments": 1},),
        models=("nvidia/segformer-b0-finetuned-ade-512-512",),
        settings={"label": "person"},
        shown=(("overlay", PIXEL), ("inverted", PIXEL)),
    )
    md = _deliverable("segmentation", [seg]).report_markdown()
    w = words("segmentation", "es")
    assert f"![{w['img_inverted']}](images/01_gato_inverted.png)" in md and "person 25.0%" in md

    zs = [
        _entry(models=(m,), settings={"labels": ["tabby", "tiger cat"], "template": "a photo of a {}", "cosine": False})
        for m in ("openai/clip-vit-base-patch32", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K")
    ]
    md = _deliverable("zero_shot", zs).report_markdown()
    summary = _table(md, f"## {words('zero_shot', 'es')['summary']}")
    assert [r[2] for r in summary[1:]] == ["openai/clip-vit-base-patch32", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"]
    assert "**Similitud coseno**: ✗" in md and "a photo of a {}" in md
    # OpenAI vs LAION on the same photo and labels: one table, a column per model.
    heading = "### " + words("zero_shot", "es")["compare"].format(image="gato.png")
    assert _table(md, heading) == [
        [
            words("zero_shot", "es")["col_label"],
            "openai/clip-vit-base-patch32",
            "laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
        ],
        ["tabby", "45.7%", "45.7%"],
        ["tiger cat", "20.0%", "20.0%"],
    ]

    matrix = (
        {"image": "gato", "a cat": 0.9, "a dog": 0.1, "prediction": "a cat"},
        {"image": "taza", "a cat": 0.3, "a dog": 0.7, "prediction": "a dog"},
    )
    workshop = _entry(
        "gato, taza",
        sources=(("gato", PIXEL), ("taza", PIXEL)),
        rows=matrix,
        models=("openai/clip-vit-base-patch32",),
        settings={"descriptions": ["a cat", "a dog"]},
    )
    d = _deliverable("clip_workshop", [workshop])
    md = d.report_markdown()
    wk = words("clip_workshop", "es")
    assert _table(md, "### 1. gato, taza · openai/clip-vit-base-patch32") == [
        [wk["col_image"], "a cat", "a dog", wk["col_prediction"]],
        ["gato", "0.900", "0.100", "a cat"],
        ["taza", "0.300", "0.700", "a dog"],
    ]
    assert {"images/01_1_gato.png", "images/01_2_taza.png"} <= set(_zip(d).namelist())
    assert "['images/01_1_gato.png', 'images/01_2_taza.png']" in d.script()

    depth = _entry(rows=({"statistic": "min", "value": 0.5, "unit": "m"},), models=("depth-anything/x",))
    assert "mínimo 0.5 m" in _deliverable("depth", [depth]).report_markdown()  # the statistic's name in Spanish

    rounds = ({"round": 1, "target": "cat", "outcome": "won", "guess": "cat", "score": 0.8},)
    game = _entry(
        "Partida",
        sources=(("1_cat", PIXEL),),
        rows=rounds,
        ms=None,
        models=("nateraw/quickdraw",),
        shown=(("summary", PIXEL),),
    )
    md = _deliverable("pictionary", [game]).report_markdown()
    wp = words("pictionary", "es")
    assert _table(md, f"## {wp['summary']}")[1][3:] == ["—", "cat: acertada"]  # no one inference time; each round
    assert f"![{wp['img_summary']}](images/01_Partida_summary.png)" in md
    assert wp["time"].format(ms="—", when="—") in md


# --- the zip ---


def test_zip_layout_is_complete_deterministic_and_in_memory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may be written to the working directory
    d = _deliverable("classification", [_entry(shown=(("labelled", PIXEL),)), _entry("perro.jpg")])
    first, again = d.to_zip(), d.to_zip()
    assert first == again and list(tmp_path.iterdir()) == []
    zf = zipfile.ZipFile(io.BytesIO(first))
    assert zf.namelist() == [
        "README.md",
        "reproduce.py",
        "table.csv",
        "images/01_gato.png",
        "images/01_gato_labelled.png",
        "results/01_gato_efficientnet-lite0.csv",
        "images/02_perro.png",
        "results/02_perro_efficientnet-lite0.csv",
    ]
    assert zf.read("images/01_gato.png") == PIXEL
    assert zf.read("results/02_perro_efficientnet-lite0.csv").decode().splitlines()[0] == "rank,label,score"
    assert zf.read("table.csv").decode().splitlines()[1].startswith("1,gato.png,efficientnet-lite0,12,")


def test_the_budget_drops_the_oldest_runs_and_the_report_says_how_many() -> None:
    big = _png(Image.effect_noise((300, 300), 64).convert("RGB"))
    entries = [_entry(f"foto{i}.png", sources=((f"foto{i}.png", big),)) for i in range(5)]
    d = _deliverable("classification", entries, dropped=1)  # one already dropped by the session
    zf = zipfile.ZipFile(io.BytesIO(d.to_zip(max_bytes=len(big) * 2 + 10)))
    md = zf.read("README.md").decode()
    assert [n for n in zf.namelist() if n.startswith("images/")] == ["images/01_foto3.png", "images/02_foto4.png"]
    assert words("classification", "es")["dropped"].format(n=4) in md
    assert words("classification", "es")["intro"].format(n=2) in md
    assert "### 1. foto3.png" in md  # the newest kept, oldest first
    one = _deliverable("classification", entries[:1]).to_zip(max_bytes=10)
    assert "images/01_foto0.png" in zipfile.ZipFile(io.BytesIO(one)).namelist()  # the newest always stays


def test_hostile_names_and_labels_stay_text_and_inside_the_zip() -> None:
    hostile = "../../x|**y**|<img src=x onerror=alert(1)>[a](javascript:1)\n# h.png"
    label = "| evil | ![x](http://e/x.png) `code` _i_"
    e = _entry(hostile, rows=({"rank": 1, "label": label, "score": 0.5},), shown=(("../../kind", PIXEL),))
    twin = _entry("a b.png", sources=(("a b.png", PIXEL),), shown=(("x", PIXEL), ("x", PIXEL)))
    d = _deliverable("classification", [e, twin])
    md = d.report_markdown()
    for path in _zip(d).namelist():
        assert ".." not in path and not path.startswith("/") and re.fullmatch(r"[A-Za-z0-9_./-]+", path), path
    assert len(set(_zip(d).namelist())) == len(_zip(d).namelist())
    assert {"images/02_a_b_x.png", "images/02_a_b_x_2.png"} <= set(_zip(d).namelist())
    # Rendered as GitHub or a Markdown viewer would: every name and label is text.
    html = render(md)
    sources = re.findall(r'<img src="([^"]*)"', html)
    assert sources[1:] == ["images/02_a_b_x.png", "images/02_a_b_x_2.png"] and len(sources) == 3
    assert re.fullmatch(r"images/01_x_[A-Za-z0-9_]+_kind\.png", sources[0]), sources[0]
    assert "<a " not in html and "<strong>y</strong>" not in html and "<code>code</code>" not in html
    assert "<em>i</em>" not in html and "**y**" in html and "`code` _i_" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "| evil |" in html
    assert html.count("<h1>") == 1  # the name's line break does not start a heading
    cells = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    assert all(c.count("<td") in (0, 3, 5) for c in cells), cells  # the label's "|" did not add columns
    assert slug("../x.png") == "x"
    assert "../" not in d.script().split("os.chdir")[1]  # the script opens only its own images


def test_join_gives_one_folder_per_page_and_a_readme_linking_them() -> None:
    pages = [
        _deliverable("classification", [_entry()]),
        _deliverable("detection", [_entry(rows=(), models=("ultralytics/yolov8n",))]),
    ]
    course = words("home", "es")
    zf = zipfile.ZipFile(io.BytesIO(join(pages, course)))
    names = zf.namelist()
    assert names[0] == "README.md"
    assert {"classification/README.md", "classification/reproduce.py", "detection/README.md"} <= set(names)
    assert "classification/images/01_gato.png" in names
    readme = zf.read("README.md").decode()
    assert readme.startswith("# " + course["course_title"])
    assert f"]({'detection'}/README.md): {course['course_runs'].format(n=1)}" in readme
    assert words("detection", "es")["page"] in readme


def test_every_word_of_the_report_is_in_both_catalogs() -> None:
    from engine.deliverable import WORDS
    from engine.deliverable.model import VALUE_KEYS
    from engine.tasks.depth import STAT_NAMES, DepthMap
    from engine.tasks.game import ENDED
    from engine.tasks.sketch.levels import LEVELS
    from ui.i18n import catalogs

    for lang in ("es", "en"):
        assert {f"deliverable.{k}" for k in WORDS if k != "page"} <= set(catalogs()[lang]), lang
    # The engine's values that are words: every one has its word in the report's catalogs.
    stats = [r["statistic"] for r in DepthMap.from_array(np.ones((2, 2)), "relative").rows()]
    values = {"outcome": ENDED, "level": LEVELS, "statistic": stats}
    assert set(values) == VALUE_KEYS
    assert {f"{key}_{v}" for key, vs in values.items() for v in vs} <= set(WORDS)
    for lang in ("es", "en"):
        # The depth script prints the statistics by the names the report gives them.
        assert {s: words("depth", lang)[f"statistic_{s}"] for s in stats} == STAT_NAMES[lang], lang


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_games_report_gives_its_outcomes_and_level_in_the_ui_language(lang: str) -> None:
    from engine.tasks.game import ENDED

    rounds = (
        {"round": 1, "target": "cat", "outcome": "won", "guess": "cat", "score": 0.8},
        {"round": 2, "target": "sun", "outcome": "lost", "guess": "circle", "score": 0.4},
        {"round": 3, "target": "key", "outcome": "skipped", "guess": "", "score": None},
    )
    game = _entry(
        "Partida",
        sources=(("1_cat", PIXEL), ("2_sun", PIXEL)),
        rows=rounds,
        ms=None,
        models=("nateraw/quickdraw",),
        settings={"top_k": 5, "level": "easy", "score": 1},
    )
    md = _deliverable("pictionary", [game], lang).report_markdown()
    w = words("pictionary", lang)
    said = {o: w[f"outcome_{o}"] for o in ENDED}
    assert _table(md, "### 1. Partida · nateraw/quickdraw") == [
        [w[k] for k in ("col_round", "col_target", "col_outcome", "col_guess", "col_score")],
        ["1", "cat", md_cell(said["won"]), "cat", "80.0%"],
        ["2", "sun", md_cell(said["lost"]), "circle", "40.0%"],
        ["3", "key", md_cell(said["skipped"]), "—", "—"],  # nothing drawn: no guess, no score
    ]
    assert _table(md, f"## {w['summary']}")[1][4] == md_cell(
        f"cat: {said['won']}, sun: {said['lost']}, key: {said['skipped']}"
    )
    assert f"**{w['set_level']}**: {md_cell(w['level_easy'])}" in md
    if lang == "es":  # none of the engine's English words is left in a Spanish report
        assert not re.search(r"\b(won|lost|skipped|easy|round|outcome)\b", md), md


# --- the script runs offline and prints the report's numbers ---


def _run_zip(d: Deliverable, folder: Path) -> tuple[str, dict[int, str]]:
    """Unzip ``d`` into ``folder``, run its script from elsewhere; the README and each run's output."""
    zipfile.ZipFile(io.BytesIO(d.to_zip())).extractall(folder)
    code = (folder / "reproduce.py").read_text()
    elsewhere = folder.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    # run_snippet writes the code as snippet.py in its folder: the script's own chdir finds images/.
    out = run_snippet(code.replace("os.path.abspath(__file__)", repr(str(folder / "x.py"))), elsewhere)
    sections: dict[int, list[str]] = {}
    current = 0
    for line in out.splitlines():
        m = re.match(r"=== (\d+) · ", line)
        if m:
            current = int(m[1])
            sections[current] = []
        elif current:
            sections[current].append(line)
    return (folder / "README.md").read_text(), {k: "\n".join(v) for k, v in sections.items()}


def _percent(cell: str) -> float:
    return float(cell.rstrip("%")) / 100


@pytest.mark.slow
def test_the_classification_script_prints_the_reports_numbers(tmp_path: Path) -> None:
    from engine.tasks.classification import classify, load_classifier

    model = load_classifier("efficientnet-lite0")  # the embedded model: its PyPI package, offline
    entries = []
    for name in ("cat", "coffee"):
        image = load_sample(name)
        result = classify(model, image, top_k=3)
        entries.append(
            _entry(
                f"{name}.jpg", sources=((f"{name}.jpg", _png(image)),), rows=tuple(result.rows()), settings={"top_k": 3}
            )
        )
    md, printed = _run_zip(_deliverable("classification", entries), tmp_path / "zip")
    assert sorted(printed) == [1, 2]
    for i, name in enumerate(("cat", "coffee"), 1):
        table = _table(md, f"### {i}. {name}.jpg · efficientnet-lite0")[1:]
        got = percent_lines(printed[i])
        assert list(got) == [row[1] for row in table]
        assert list(got.values()) == pytest.approx([_percent(row[2]) for row in table], abs=0.0011)


@pytest.mark.slow
def test_the_detection_script_prints_the_reports_boxes(tmp_path: Path, shared_models: Path) -> None:
    from engine.tasks.detection import detect, load_detector

    detector = load_detector("ultralytics/yolov8n")  # the real YOLOv8n, as in tests/test_detection.py
    settings = {"threshold": 0.4, "iou": 0.7, "classes": [], "max_detections": 100}
    image = load_sample("coffee")
    found = detect(detector, image, threshold=0.4, iou=0.7, max_detections=100)
    assert len(found) > 0
    e = _entry(
        "taza.jpg",
        sources=(("taza.jpg", _png(image)),),
        rows=tuple(found.rows()),
        ms=50.0,
        models=("ultralytics/yolov8n",),
        settings=settings,
    )
    folder = tmp_path / "zip"
    folder.mkdir()
    (folder / "yolov8n.pt").write_bytes((shared_models / "ultralytics" / "yolov8n.pt").read_bytes())
    md, printed = _run_zip(_deliverable("detection", [e]), folder)
    report = sorted((row[0], float(row[1])) for row in _table(md, "### 1. taza.jpg · ultralytics/yolov8n")[1:])
    lines = [line.split(" [")[0].rsplit(" ", 1) for line in printed[1].splitlines()]
    script = sorted((name, float(score)) for name, score in lines)
    assert [n for n, _ in script] == [n for n, _ in report]
    assert [s for _, s in script] == pytest.approx([s for _, s in report], abs=0.011)
    assert _table(md, f"## {words('detection', 'es')['course_table']}")[1][2] == str(len(found))


@pytest.mark.slow
def test_the_zero_shot_script_prints_the_reports_sorted_scores(tmp_path: Path, local_hub) -> None:
    from engine.tasks.clip import load_clip, zero_shot

    model_id = "openai/clip-vit-base-patch32"
    labels = ["a cat", "a cup | of *coffee*", "a rocket"]
    serve(local_hub, model_id)  # the tiny CLIP: the engine and the script both download it from there
    model = load_clip(model_id)
    image = load_sample("cat")
    result = zero_shot(model, image, labels, "a photo of {}")
    e = _entry(
        "gato.jpg",
        sources=(("gato.jpg", _png(image)),),
        rows=tuple(result.rows()),
        models=(model_id,),
        settings={"labels": labels, "template": "a photo of {}", "cosine": False},
    )
    md, printed = _run_zip(_deliverable("zero_shot", [e], "en"), tmp_path / "zip")
    table = _table(md, f"### 1. gato.jpg · {model_id}")[1:]
    got = percent_lines(printed[1])
    assert [md_cell(label) for label in got] == [row[1] for row in table]
    assert list(got.values()) == pytest.approx([_percent(row[2]) for row in table], abs=0.0011)
    assert list(got.values()) == sorted(got.values(), reverse=True)


def _sample_entries(names: dict[str, str], rows_of, model_id: str, **changes) -> list[Entry]:
    """One entry per sample photo (``{file name: sample}``), its rows from the engine (``rows_of(image)``)."""
    entries = []
    for name, sample in names.items():
        image = load_sample(sample)
        entries.append(
            _entry(name, sources=((name, _png(image)),), rows=tuple(rows_of(image)), models=(model_id,), **changes)
        )
    return entries


@pytest.mark.slow
def test_the_segmentation_script_prints_the_reports_shares(tmp_path: Path, local_hub) -> None:
    from engine.tasks.segmentation import load_segmenter, segment

    model_id = "nvidia/segformer-b0-finetuned-ade-512-512"
    serve(local_hub, model_id)  # the tiny SegFormer: the engine and the script both download it from there
    model = load_segmenter(model_id)
    photos = {"astronauta.jpg": "astronaut", "taza.jpg": "coffee"}
    entries = _sample_entries(
        photos, lambda image: segment(model, image).rows(), model_id, settings={"label": "person"}
    )
    md, printed = _run_zip(_deliverable("segmentation", entries), tmp_path / "zip")
    assert sorted(printed) == [1, 2]
    for i, name in enumerate(photos, 1):
        table = _table(md, f"### {i}. {name} · {model_id}")[1:]  # colour, label, share, segments
        got = percent_lines(printed[i])  # every label's share, largest first
        assert [md_cell(label.strip()) for label in got] == [row[1] for row in table]
        assert list(got.values()) == pytest.approx([_percent(row[2]) for row in table], abs=0.0011)


@pytest.mark.slow
def test_the_depth_script_prints_the_reports_statistics(tmp_path: Path, local_hub) -> None:
    from engine.tasks.depth import estimate_depth, load_depth_estimator

    entries = []
    for model_id in ("depth-anything/Depth-Anything-V2-Small-hf", "vinvino02/glpn-nyu"):  # relative, metres
        serve(local_hub, model_id)
        model = load_depth_estimator(model_id)
        entries += _sample_entries(
            {"salon.jpg": "coffee"}, lambda image, m=model: estimate_depth(m, image).rows(), model_id
        )
    md, printed = _run_zip(_deliverable("depth", entries), tmp_path / "zip")
    assert sorted(printed) == [1, 2]
    for i, e in enumerate(entries, 1):
        table = _table(md, f"### {i}. salon.jpg · {e.models[0]}")[1:]  # statistic, value, unit
        lines = [line.rsplit(": ", 1) for line in printed[i].splitlines() if ": " in line]
        assert [name for name, _ in lines] == [row[0] for row in table]  # the same words, in the same order
        got = [float(value.split()[0]) for _, value in lines]
        assert got == pytest.approx([float(row[1]) for row in table], rel=1.1e-4, abs=1e-12)  # 5 significant digits
        assert all(value.endswith(" m") == (row[2] == "m") for (_, value), row in zip(lines, table, strict=True))


@pytest.mark.slow
def test_the_workshop_script_prints_the_reports_table(tmp_path: Path, local_hub) -> None:
    from engine.tasks.clip import load_clip, workshop_table

    model_id = "openai/clip-vit-base-patch32"
    descriptions = ["a cat", "a cup | of *coffee*", "a rocket"]
    serve(local_hub, model_id)
    model = load_clip(model_id)
    images = [(name, load_sample(name)) for name in ("cat", "coffee", "rocket")]
    table = workshop_table(model, images, descriptions)
    # The page's rows (pages/clip_workshop.py): the image, each description's probability, the prediction.
    rows = [
        {"image": name, **dict(zip(table.descriptions, map(float, probs), strict=True)), "prediction": pred}
        for (name, pred, _), probs in zip(table.predictions(), table.probs, strict=True)
    ]
    e = _entry(
        ", ".join(table.image_names),
        sources=tuple((name, _png(image)) for name, image in images),
        rows=tuple(rows),
        models=(model_id,),
        settings={"descriptions": descriptions},
    )
    md, printed = _run_zip(_deliverable("clip_workshop", [e], "en"), tmp_path / "zip")
    report = _table(md, f"### 1. cat, coffee, rocket · {model_id}")
    assert report[0][1:-1] == [md_cell(d) for d in descriptions]
    # The script: "file → prediction", then "  description: 0.123" for each description.
    blocks: list[tuple[str, str, dict[str, float]]] = []
    for line in printed[1].splitlines():
        if line.startswith("  "):
            label, _, value = line.strip().rpartition(": ")
            blocks[-1][2][label] = float(value)
        elif " → " in line:
            path, _, pred = line.partition(" → ")
            blocks.append((path, pred, {}))
    assert [path for path, _, _ in blocks] == _deliverable("clip_workshop", [e]).source_paths(1, e)
    for (_, pred, probs), row in zip(blocks, report[1:], strict=True):
        assert list(probs) == descriptions
        assert list(probs.values()) == pytest.approx([float(c) for c in row[1:-1]], abs=0.0011)
        assert md_cell(pred) == row[-1]


@pytest.mark.slow
def test_the_pictionary_script_prints_every_rounds_guess(tmp_path: Path, shared_models: Path, local_hub) -> None:
    from engine.tasks import sketch
    from engine.tasks.game import new_game
    from tests.hub import real_repo
    from tests.sketch_shapes import SHAPES, fabric_json, place

    # The real Quick Draw CNN, from the Space as the script downloads it.
    local_hub.add_repo(real_repo(sketch.MODEL_ID, shared_models / "nateraw" / "quickdraw"))
    model = sketch.load_sketch_model()

    def drawn(shape: str, seed: int) -> np.ndarray:
        canvas = fabric_json(place(SHAPES[shape], x=60, y=50, size=200, seed=seed, wobble=0.02))
        return sketch.drawing_input(canvas).x28

    # A game played through its rules: round 1 drawn as asked, round 2 something else until the
    # time runs out, round 3 skipped with nothing drawn, round 4 drawn as asked.
    game = new_game(["star", "triangle", "sun", "circle"], now=0.0, rounds=4, seed=3)
    now = 0.0
    for i in range(4):
        target = game.current.target
        if i == 2:
            game = game.skip(now + 4)
        else:
            x28 = drawn("square" if i == 1 else target, seed=i)  # no target is a square
            result = sketch.predict(model, x28, top_k=5)
            label, score = result.top
            game = game.observe(label, score, now + 5, x28)
            if game.index == i:  # not won: the clock ends it
                game = game.tick(now + game.seconds_per_round)
        now = game.rounds[i].ended or now
    assert game.finished and game.rounds[2].outcome == "skipped"
    # The page's entry (pages/pictionary.game_entry): a row per round, each drawing as the model's input.
    rows = game.rows()
    drawings = [(i, r) for i, r in enumerate(game.rounds, 1) if r.drawing is not None]
    e = _entry(
        f"{game.score} / 4",
        sources=tuple((f"{i}_{r.target}", _png(sketch.input_image(r.drawing))) for i, r in drawings),
        rows=tuple(rows),
        ms=None,
        models=(sketch.MODEL_ID,),
        settings={"top_k": 5, "level": "easy", "score": game.score},
    )
    d = _deliverable("pictionary", [e])
    md, printed = _run_zip(d, tmp_path / "zip")
    table = {row[0]: row for row in _table(md, f"### 1. {game.score} / 4 · {sketch.MODEL_ID}")[1:]}
    assert sorted(table) == ["1", "2", "3", "4"]
    assert [table[str(i)][2] for i in range(1, 5)] == [
        md_cell(words("pictionary", "es")[f"outcome_{r.outcome}"]) for r in game.rounds
    ]
    # The script: each drawing's file, then its top-5 ("  label: 12.3%"), best first.
    blocks: dict[str, list[str]] = {}
    for line in printed[1].splitlines():
        if line.startswith("images/"):
            blocks[line] = []
        else:
            blocks[list(blocks)[-1]].append(line)
    assert list(blocks) == d.source_paths(1, e) and len(blocks) == 3
    for path, (i, _) in zip(blocks, drawings, strict=True):
        guesses = percent_lines("\n".join(blocks[path]))
        top, score = next(iter(guesses.items()))
        _, _, _, guess, shown = table[str(i)]
        assert (top.strip(), score) == (guess, pytest.approx(_percent(shown), abs=0.0011)), path
        assert len(guesses) == 5 and list(guesses.values()) == sorted(guesses.values(), reverse=True)
    assert table["3"][3:] == ["—", "—"]  # skipped with nothing drawn: no guess to reproduce
