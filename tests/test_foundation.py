"""Registry, model resolution, the LRU model cache, catalogs, results, charts and the engine/UI boundary."""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest

from engine.errors import InvalidInput, ModelUnavailable, UnknownModel
from engine.models import registry, resolve
from engine.models.cache import ModelCache
from engine.render.charts import heatmap, score_bars
from engine.results import Classifications
from tests.conftest import ROOT

# --- registry ---


def test_every_model_is_complete_and_unique() -> None:
    ids = [m.id for m in registry.MODELS]
    assert len(ids) == len(set(ids))
    for m in registry.MODELS:
        assert m.task in registry.TASKS, m.id
        assert m.size_mb > 0 and m.params_m > 0 and m.license and m.card_url.startswith("https://"), m.id
        if m.source in {"ultralytics", "embedded", "hf-space"}:
            assert m.file, m.id


@pytest.mark.parametrize("task", list(registry.TASKS))
def test_each_task_has_exactly_one_default_listed_first(task: str) -> None:
    models = registry.models_for(task)
    assert models and models[0].default
    assert sum(m.default for m in models) == 1
    assert registry.default_for(task) == models[0]


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (
            "image-classification",
            {"google/vit-base-patch16-224", "microsoft/resnet-50", "facebook/deit-base-patch16-224"},
        ),
        (
            "object-detection",
            {"facebook/detr-resnet-50", "hustvl/yolos-small", "ultralytics/yolov8n", "ultralytics/yolo11n"},
        ),
        ("image-segmentation", {"nvidia/segformer-b0-finetuned-ade-512-512"}),
        ("zero-shot-image-classification", {"openai/clip-vit-base-patch32", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K"}),
    ],
)
def test_the_course_models_are_registered(task: str, expected: set[str]) -> None:
    assert expected <= {m.id for m in registry.models_for(task)}


def test_unknown_ids_say_what_is_known() -> None:
    with pytest.raises(UnknownModel) as info:
        registry.get("nope/nope")
    assert "microsoft/resnet-50" in str(info.value)
    with pytest.raises(UnknownModel):
        registry.models_for("text-generation")


# --- resolution ---


def test_models_directory_comes_first_and_layouts_are_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "microsoft" / "resnet-50").mkdir(parents=True)
    (tmp_path / "microsoft" / "resnet-50" / "config.json").write_text("{}")
    (tmp_path / "ultralytics").mkdir()
    (tmp_path / "ultralytics" / "yolo11n.pt").write_bytes(b"x")
    monkeypatch.setenv("VISION_MODELS_DIR", os.pathsep.join([str(tmp_path / "missing"), str(tmp_path)]))
    got = resolve.resolve(registry.get("microsoft/resnet-50"))
    assert (got.where, got.path) == ("local", tmp_path / "microsoft" / "resnet-50")
    got = resolve.resolve("ultralytics/yolo11n")
    assert (got.where, got.path) == ("local", tmp_path / "ultralytics" / "yolo11n.pt")


@pytest.mark.parametrize("model_id", ["google/vit-base-patch16-224", "ultralytics/yolo11n", "nateraw/quickdraw"])
def test_missing_model_offline_fails_fast_with_how_to_get_it(
    model_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("VISION_CACHE_DIR", str(tmp_path / "app-cache"))  # nothing downloaded before counts
    start = time.monotonic()
    with pytest.raises(ModelUnavailable) as info:
        resolve.resolve(model_id)
    assert time.monotonic() - start < 30  # a guard against a hang (a network wait), not a speed figure
    assert "make models" in str(info.value) and "VISION_MODELS_DIR" in str(info.value)
    assert resolve.availability(registry.get(model_id)) == "missing"


def test_unreachable_hub_fails_fast_even_when_not_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("VISION_OFFLINE", "0")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setattr(resolve, "_REACH", {})
    start = time.monotonic()
    with pytest.raises(ModelUnavailable) as info:
        resolve.resolve("microsoft/resnet-50")
    assert time.monotonic() - start < 30  # a guard against a hang, not a speed figure
    assert "cannot be reached" in str(info.value) and info.value.params["reason"] == "unreachable"


def test_embedded_model_needs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    got = resolve.resolve("efficientnet-lite0")
    assert got.where == "embedded"
    assert {p.name for p in got.path.iterdir()} == {"config.json", "model.safetensors"}


# --- the model cache ---


def test_cache_releases_least_recently_used_under_budget() -> None:
    cache = ModelCache(budget_mb=100)
    loads: list[str] = []

    def loader(name: str):
        return lambda: loads.append(name) or name

    assert cache.get("a", loader("a"), size_mb=40) == "a"
    cache.get("b", loader("b"), size_mb=40)
    cache.get("a", loader("a"), size_mb=40)  # hit: "a" becomes most recent
    cache.get("c", loader("c"), size_mb=40)  # "b" is the least recently used
    assert cache.keys() == ["a", "c"]
    assert loads == ["a", "b", "c"]
    assert cache.evictions == ["b"]
    assert cache.used_mb() <= 100


def test_a_model_over_budget_is_still_served_alone() -> None:
    cache = ModelCache(budget_mb=10)
    cache.get("small", lambda: 1, size_mb=5)
    assert cache.get("big", lambda: 2, size_mb=50) == 2
    assert cache.keys() == ["big"]


def test_cache_measures_torch_modules() -> None:
    import torch

    cache = ModelCache(budget_mb=1000)
    cache.get("lin", lambda: torch.nn.Linear(1000, 1000), size_mb=1)
    assert 3.5 < cache.used_mb() < 4.5  # 1001000 float32 parameters


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RSS and malloc_trim: glibc")
def test_released_models_give_their_memory_back_to_the_os() -> None:
    """A model is many small heap blocks; without malloc_trim glibc keeps them, and RSS with them."""
    import psutil

    from engine.models.cache import release_memory

    proc = psutil.Process()
    release_memory()
    before = proc.memory_info().rss
    cache = ModelCache(budget_mb=300)
    # ~200 MB in 4 KB blocks (under glibc's mmap threshold, so they live in its arenas).
    cache.get("many-small", lambda: [bytearray(4096) for _ in range(50_000)], size_mb=200)
    loaded = proc.memory_info().rss
    assert loaded - before > 150 * 2**20
    cache.get("other", lambda: "x", size_mb=250)  # "many-small" is released
    after = proc.memory_info().rss
    assert cache.keys() == ["other"]
    assert after - before < 60 * 2**20, f"{(after - before) / 2**20:.0f} MB still held"


def test_concurrent_gets_load_once() -> None:
    cache = ModelCache(budget_mb=1000)
    calls = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "m"

    threads = [threading.Thread(target=cache.get, args=("k", slow, 1)) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) == 1


# --- results and charts ---


def test_classifications_sort_and_validate() -> None:
    c = Classifications.from_transformers([{"label": "a", "score": 0.1}, {"label": "b", "score": 0.9}])
    assert c.labels == ("b", "a") and c.top == ("b", 0.9)
    assert c.top_k(5) == c and len(c.top_k(1)) == 1
    assert c.rows()[0] == {"rank": 1, "label": "b", "score": 0.9}
    with pytest.raises(InvalidInput):
        Classifications(("a",), ())
    with pytest.raises(InvalidInput):
        c.top_k(0)
    with pytest.raises(InvalidInput):
        _ = Classifications((), ()).top


def test_classifications_follow_the_result_protocol() -> None:
    c = Classifications.from_scores(["=cat", "dog"], [0.25, 0.75])
    assert c.to_csv() == "rank,label,score\n1,dog,0.75\n2,'=cat,0.25\n"  # a spreadsheet never runs a label
    assert json.loads(c.to_json(model="m")) == {"model": "m", "classifications": c.rows()}
    with pytest.raises(InvalidInput, match="expected dicts with keys 'label' and 'score'; item 0 is"):
        Classifications.from_transformers([{"label": "a"}])
    with pytest.raises(InvalidInput, match="expected as many scores as labels; got 1 labels and 0 scores"):
        Classifications(("a",), ())


def test_one_csv_and_json_writer() -> None:
    from engine.results import csv_text, json_text, rows_csv, safe_cell

    assert [safe_cell(v) for v in ("+1", "@a", "-x", "\tx", "ok", -1.5, 3)] == [
        "'+1",
        "'@a",
        "'-x",
        "'\tx",
        "ok",
        -1.5,
        3,
    ]
    assert csv_text(["a", "=b"], [[1, "x,y"]]) == 'a,\'=b\n1,"x,y"\n'
    assert rows_csv([{"a": 1, "b": 2}, {"a": 3}]) == "a,b\n1,2\n3,\n"
    assert rows_csv([], ["a"]) == "a\n"
    assert json.loads(json_text({"é": [1]})) == {"é": [1]} and "é" in json_text({"é": 1})


def test_one_png_encoder_and_one_digest() -> None:
    from PIL import Image

    from engine.inputs.images import digest, to_png

    img = Image.new("RGB", (8, 4), (10, 20, 30))
    for level in (3, 6):
        back = Image.open(io.BytesIO(to_png(img, compress_level=level)))
        assert back.size == (8, 4) and back.getpixel((0, 0)) == (10, 20, 30)
    assert digest(img) == digest(img.copy()) and len(digest(img)) == 32
    assert digest(img) != digest(img.convert("L")) != digest(Image.new("RGB", (4, 8), (10, 20, 30)))
    assert digest(b"abc") == digest(b"abc") != digest(b"abd")


def test_charts_are_pure_figures() -> None:
    fig = score_bars(["<b>x</b>", "y", "z"], [0.2, 0.5, 0.3])
    assert list(fig.data[0].y) == ["<b>x</b>", "z", "y"]  # best on top (Plotly draws bottom-up)
    assert list(fig.data[0].x) == [0.2, 0.3, 0.5] and fig.data[0].orientation == "h"  # each score with its label
    assert list(fig.data[0].text) == ["20.0%", "30.0%", "50.0%"]
    hm = heatmap([[0.1, 0.9], [0.6, 0.4]], ["img1", "img2"], ["cat", "dog"])
    assert [list(row) for row in hm.data[0].z] == [[0.1, 0.9], [0.6, 0.4]]  # rows as given, not transposed
    assert list(hm.data[0].y) == ["img1", "img2"] and list(hm.data[0].x) == ["cat", "dog"]
    assert [list(row) for row in hm.data[0].text] == [["0.10", "0.90"], ["0.60", "0.40"]]
    # pure: plain figures that serialise on their own, and the inputs are left as they were
    labels, scores = ["a", "b"], [0.9, 0.1]
    for figure in (score_bars(labels, scores), heatmap([scores], ["r"], labels)):
        assert type(figure) is go.Figure and figure.to_json()
    assert (labels, scores) == (["a", "b"], [0.9, 0.1])


# --- catalogs and the engine/UI boundary ---


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    import string

    from ui.i18n import catalogs

    cat = catalogs()
    assert set(cat["es"]) == set(cat["en"]), set(cat["es"]) ^ set(cat["en"])
    fields = string.Formatter()
    for key, es in cat["es"].items():
        names_es = {f for _, f, _, _ in fields.parse(es) if f}
        names_en = {f for _, f, _, _ in fields.parse(cat["en"][key]) if f}
        assert names_es == names_en, key


def test_every_page_has_its_catalog_entries() -> None:
    from ui.i18n import catalogs
    from ui.nav import existing_pages

    es = catalogs()["es"]
    for page in existing_pages():
        assert f"{page.key}.nav" in es and f"{page.key}.title" in es, page.key
        if page.url_path:
            assert f"{page.key}.how" in es and f"home.card_{page.key}" in es, page.key


def test_every_page_in_the_menu_exists_and_every_page_file_is_in_the_menu() -> None:
    """A renamed or deleted page fails here (and the app raises), instead of leaving the menu and the tests."""
    from ui.nav import PAGES, existing_pages

    files = [p.file for p in PAGES]
    assert len(set(files)) == len(files) and len({p.url_path for p in PAGES}) == len(PAGES)
    assert [f for f in files if not (ROOT / f).is_file()] == []
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").rglob("*.py") if "__pycache__" not in p.parts}
    assert on_disk == set(files), on_disk ^ set(files)
    assert existing_pages() == list(PAGES)


def test_a_page_missing_from_disk_is_an_error(monkeypatch, tmp_path) -> None:
    from ui import nav

    monkeypatch.setattr(nav, "PAGES", (*nav.PAGES, nav.PageDef("pages/renamed_away.py", "gone", "home", "x")))
    with pytest.raises(FileNotFoundError, match=r"pages/renamed_away\.py"):
        nav.existing_pages()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


ENGINE_FILES = sorted((ROOT / "engine").rglob("*.py"))
# Every Python file of the project (never .venv or caches): the guards below must see subpackages.
PROJECT_FILES = sorted(
    p
    for d in ("engine", "ui", "pages", "bench", "tests")
    for p in (ROOT / d).rglob("*.py")
    if "__pycache__" not in p.parts
) + sorted(ROOT.glob("*.py"))


def test_the_guards_see_every_subpackage() -> None:
    folders = {p.parent.relative_to(ROOT).as_posix() for p in ENGINE_FILES}
    assert {"engine/models", "engine/tasks", "engine/evaluation", "engine/render", "engine/accel"} <= folders
    assert len(ENGINE_FILES) > 25


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_engine_never_imports_streamlit_or_the_bench(path: Path) -> None:
    assert not {"streamlit", "streamlit_drawable_canvas", "ui", "bench"} & _imports(path)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_imports(path: Path, known: set[str]) -> set[str]:
    """The project modules ``path`` imports, anywhere in the file (function-level imports too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        for name in targets:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name:
                out.add(name)
    return out


def test_no_import_cycles() -> None:
    """Walk every import of engine/, ui/, pages/ and bench/, function-level ones included."""
    files = [p for p in PROJECT_FILES if p.parts[len(ROOT.parts)] in {"engine", "ui", "pages", "bench"}]
    known = {_module_name(p) for p in files}
    graph = {_module_name(p): _project_imports(p, known) - {_module_name(p)} for p in files}
    for pkg in [m for m in graph if (ROOT / m.replace(".", "/") / "__init__.py").is_file()]:
        graph[pkg] -= {m for m in known if m.startswith(pkg + ".")}  # a package may re-export its modules
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    pytest.fail("import cycle: " + " -> ".join([*path, start]))
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))
    assert len(graph) > 40 and graph["engine.models.resolve"]  # the walk saw the project


def test_importing_the_engine_and_home_is_light() -> None:
    code = (
        "import sys, engine.models.registry, engine.models.resolve, engine.inputs.images, engine.results, engine.models.cache, "
        "engine.tasks.classification, ui.i18n, ui.nav;"
        "heavy = [m for m in ('torch', 'transformers', 'ultralytics') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_remote_code_anywhere() -> None:
    for path in PROJECT_FILES:
        if path.parts[len(ROOT.parts)] == "tests":
            continue
        text = path.read_text()
        assert not re.search(r"trust_remote_code\s*=\s*True", text), path
        for line in text.splitlines():
            if "torch.load(" in line:
                assert "weights_only=True" in line, f"{path}: {line.strip()}"


def test_every_setting_is_read_in_engine_settings() -> None:
    """One settings module: no other engine or UI file reads a VISION_* or HF_* variable itself."""
    pattern = re.compile(r"environ(?:\.get)?\s*[\[(]\s*['\"](VISION_|HF_)")
    readers = [
        p.relative_to(ROOT).as_posix()
        for p in PROJECT_FILES
        if p.parts[len(ROOT.parts)] in {"engine", "ui", "pages"} and pattern.search(p.read_text())
    ]
    assert readers == ["engine/settings.py"]
