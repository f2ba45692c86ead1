"""Depth estimation, engine side: the DepthMap result (protocol, downloads, near/far meaning), the
three registry models through their tiny stand-ins, the code snippet, and the pictures."""

from __future__ import annotations

import ast
import io
import json

import numpy as np
import pytest
from PIL import Image

from engine.errors import InvalidImage, InvalidInput
from engine.inputs.samples import load_sample
from engine.models import registry
from engine.render.depth import CMAPS, MAX_3D_SIDE, blend, colorize, grid_size, surface_figure, with_colorbar
from engine.tasks.depth import (
    TASK,
    DepthMap,
    code_snippet,
    estimate_depth,
    fit_for_depth,
    kind_of,
    load_depth_estimator,
    model_side,
)
from tests.snippets import run_snippet, serve

DEPTH_ANYTHING = "depth-anything/Depth-Anything-V2-Small-hf"
DPT = "Intel/dpt-hybrid-midas"
GLPN = "vinvino02/glpn-nyu"
KINDS = {DEPTH_ANYTHING: "relative", DPT: "relative", GLPN: "metric"}


# --- the result ---


def test_relative_and_metric_maps_agree_on_what_is_near() -> None:
    # Relative depth is inverse depth (larger = nearer); metric depth is metres (larger = farther).
    disparity = DepthMap.from_array(np.array([[0.0, 5.0, 10.0]]), "relative")
    metres = DepthMap.from_array(np.array([[10.0, 5.0, 1.0]]), "metric")
    for depth in (disparity, metres):
        near = depth.nearness()
        assert near[0, 2] == pytest.approx(1.0) and near[0, 0] == pytest.approx(0.0)  # the right pixel is nearest
        assert near[0, 1] > near[0, 0]
        assert (depth.distance()[0, 0] > depth.distance()[0, 2]).all()  # the left pixel is farthest
    assert (disparity.unit, metres.unit) == ("", "m")
    assert (disparity.near_is_high, metres.near_is_high) == (True, False)
    np.testing.assert_array_equal(metres.distance(), metres.values)  # metric distance is the metres


def test_colour_bar_ticks_run_from_far_to_near() -> None:
    metres = DepthMap.from_array(np.array([[1.0, 3.0]]), "metric")
    assert metres.ticks(3) == [(0.0, 3.0), (0.5, 2.0), (1.0, 1.0)]  # the bottom of the bar is the farthest
    relative = DepthMap.from_array(np.array([[1.0, 3.0]]), "relative")
    assert relative.ticks(2) == [(0.0, 1.0), (1.0, 3.0)]


def test_a_flat_map_is_all_far_and_still_downloads() -> None:
    flat = DepthMap.from_array(np.full((3, 4), 2.5), "relative")
    assert not flat.nearness().any()
    assert np.asarray(Image.open(io.BytesIO(flat.to_png16()))).max() == 0


def test_depth_map_follows_the_result_protocol() -> None:
    values = np.arange(12, dtype=np.float32).reshape(3, 4) / 4.0  # 0 .. 2.75 m
    depth = DepthMap.from_array(values, "metric")
    assert depth.size == (4, 3)
    rows = depth.rows()
    assert [r["statistic"] for r in rows] == ["min", "p5", "median", "p95", "max", "mean"]
    by_name = {r["statistic"]: r["value"] for r in rows}
    assert by_name["min"] == 0.0 and by_name["max"] == 2.75
    assert by_name["median"] == pytest.approx(float(np.median(values)))
    assert all(r["unit"] == "m" for r in rows)
    assert depth.to_csv().splitlines()[:2] == ["statistic,value,unit", "min,0.0,m"]
    doc = json.loads(depth.to_json(model=GLPN))
    assert doc["model"] == GLPN and doc["kind"] == "metric" and doc["unit"] == "m"
    assert (doc["width"], doc["height"], doc["near_is_high"]) == (4, 3, False)
    assert doc["stats"]["max"] == 2.75


def test_npy_download_is_the_exact_values() -> None:
    values = np.random.default_rng(0).random((5, 7)).astype(np.float32)
    depth = DepthMap.from_array(values, "relative")
    back = np.load(io.BytesIO(depth.to_npy()), allow_pickle=False)
    assert back.dtype == np.float32
    np.testing.assert_array_equal(back, values)


def test_png16_holds_millimetres_for_metric_depth() -> None:
    depth = DepthMap.from_array(np.array([[0.5, 1.25], [3.0, 70.0]]), "metric")
    png = Image.open(io.BytesIO(depth.to_png16()))
    assert png.mode.startswith("I") and png.size == (2, 2)
    assert np.asarray(png).tolist() == [[500, 1250], [3000, 65535]]  # 70 m is beyond 16 bits of mm: clipped


def test_png16_spans_the_16_bits_for_relative_depth() -> None:
    depth = DepthMap.from_array(np.array([[2.0, 3.0, 4.0]]), "relative")
    png = Image.open(io.BytesIO(depth.to_png16()))
    assert np.asarray(png).tolist() == [[0, 32768, 65535]]


def test_from_pipeline_reads_predicted_depth() -> None:
    import torch

    depth = DepthMap.from_pipeline({"predicted_depth": torch.ones(1, 2, 3), "depth": None}, "relative")
    assert depth.size == (3, 2) and depth.values.dtype == np.float32
    with pytest.raises(InvalidInput) as info:
        DepthMap.from_pipeline({"depth": None}, "relative")
    assert info.value.code == "bad_depth"


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (np.zeros((0, 3)), "relative"),
        (np.zeros((2, 2, 2)), "relative"),
        (np.array([[1.0, np.nan]]), "metric"),
        (np.array([[1.0, np.inf]]), "relative"),
        (np.ones((2, 2)), "absolute"),
    ],
)
def test_bad_maps_are_refused_with_a_code(values: np.ndarray, kind: str) -> None:
    with pytest.raises(InvalidInput) as info:
        DepthMap.from_array(values, kind)  # type: ignore[arg-type]
    assert info.value.code == "bad_depth"


def test_kind_comes_from_the_config() -> None:
    from types import SimpleNamespace as Config

    assert kind_of(Config(model_type="glpn")) == "metric"
    assert kind_of(Config(model_type="zoedepth")) == "metric"
    assert kind_of(Config(model_type="dpt")) == "relative"
    assert kind_of(Config(model_type="depth_anything", depth_estimation_type="relative")) == "relative"
    assert kind_of(Config(model_type="depth_anything", depth_estimation_type="metric")) == "metric"


# --- the models (tiny random stand-ins in the Hugging Face layout) ---


def test_the_depth_models_are_registered_with_the_default_first() -> None:
    models = registry.models_for(TASK)
    assert [m.id for m in models] == [DEPTH_ANYTHING, DPT, GLPN]
    assert models[0].default and registry.TASKS[TASK].page == "depth"
    assert registry.TASKS[TASK].hf_task == "depth-estimation"
    assert "metric" in registry.get(GLPN).family.lower()
    assert all("relative" in registry.get(m).family.lower() for m in (DEPTH_ANYTHING, DPT))


@pytest.mark.parametrize("model_id", [DEPTH_ANYTHING, DPT, GLPN])
def test_each_model_gives_a_map_at_the_photos_size(model_id: str) -> None:
    estimator = load_depth_estimator(model_id)
    assert (estimator.model_id, estimator.kind, estimator.where) == (model_id, KINDS[model_id], "local")
    assert estimator.metric == (KINDS[model_id] == "metric")
    assert estimator.stand_in  # the tiny random model says it is not the published weights
    photo = load_sample("coffee")
    depth = estimate_depth(estimator, photo)
    assert depth.kind == KINDS[model_id] and depth.size == photo.size
    assert np.isfinite(depth.values).all() and depth.values.std() > 0  # a map, not a constant
    gray = estimate_depth(estimator, photo.convert("L"))  # any mode: converted to RGB first
    assert gray.size == photo.size


def test_glpn_gives_metres_within_its_range() -> None:
    depth = estimate_depth(load_depth_estimator(GLPN), load_sample("coffee"))
    assert depth.values.min() >= 0.0 and depth.values.max() <= 10.0  # GLPN's head: sigmoid × max_depth


def test_a_model_of_another_task_is_refused() -> None:
    with pytest.raises(InvalidInput) as info:
        load_depth_estimator("microsoft/resnet-50")
    assert info.value.code == "wrong_task"


def test_not_an_image_is_refused() -> None:
    estimator = load_depth_estimator(DEPTH_ANYTHING)
    with pytest.raises(InvalidImage) as info:
        estimate_depth(estimator, np.zeros((4, 4, 3)))  # type: ignore[arg-type]
    assert info.value.code == "bad_type"


@pytest.mark.parametrize("size", [(1, 1), (3, 40), (40, 2)])
def test_tiny_photos_get_a_map_of_their_size(size: tuple[int, int]) -> None:
    depth = estimate_depth(load_depth_estimator(GLPN), Image.new("RGB", size, (90, 120, 30)))
    assert depth.size == size and np.isfinite(depth.values).all()


def test_large_photos_are_shrunk_first() -> None:
    assert fit_for_depth(Image.new("RGB", (3000, 1500))).size == (1024, 512)
    small = Image.new("RGB", (640, 480))
    assert fit_for_depth(small) is small


def test_glpn_is_given_its_training_photos_size() -> None:
    assert (model_side(DEPTH_ANYTHING), model_side(DPT), model_side(GLPN)) == (1024, 1024, 640)
    assert fit_for_depth(Image.new("RGB", (3000, 1500)), model_side(GLPN)).size == (640, 320)


@pytest.mark.slow
def test_glpn_snippet_shrinks_the_photo_as_the_page_and_prints_its_statistics(local_hub, tmp_path) -> None:
    """GLPN's code, run as a student runs it (the model from the local Hub by its id) on a photo
    larger than 640 px, shrinks it as the page does and prints the page's table (5 digits)."""
    serve(local_hub, GLPN)
    load_sample("coffee").resize((900, 600)).save(tmp_path / "salón.png")
    out = run_snippet(code_snippet(GLPN, "salón.png", "es"), tmp_path)
    printed = dict(line.rsplit(": ", 1) for line in out.splitlines() if ": " in line)
    photo = Image.open(tmp_path / "salón.png").convert("RGB")
    rows = estimate_depth(load_depth_estimator(GLPN), fit_for_depth(photo, 640)).rows()
    names = {"min": "mínimo", "median": "mediana", "max": "máximo", "mean": "media"}
    for row in rows:
        if row["statistic"] in names:
            assert float(printed[names[row["statistic"]]].removesuffix(" m")) == pytest.approx(row["value"], rel=1e-4)
    assert "(1, 427, 640)" in out or "(427, 640)" in out  # the map of the 640 px copy


@pytest.mark.parametrize("model_id", [DEPTH_ANYTHING, DPT, GLPN])
def test_code_snippet_is_the_pipeline_call_and_compiles(model_id: str) -> None:
    code = code_snippet(model_id, "salón.jpg")
    assert f'pipeline("depth-estimation", model="{model_id}")' in code
    assert "Image.open('salón.jpg')" in code and 'resultado["predicted_depth"]' in code
    compile(code, "<snippet>", "exec")
    assert ("metros" in code) == (model_id == GLPN)
    english = code_snippet(model_id, "room.jpg", lang="en")
    assert "one value per pixel" in english and "un valor por píxel" not in english
    quoted = code_snippet(model_id, "x'); import os #.jpg")  # a file name is data, never code
    tree = ast.parse(quoted)
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported == {"numpy", "PIL", "transformers"}


# --- the pictures ---


def test_colours_are_bright_for_near_and_dark_for_far() -> None:
    near = np.array([[0.0, 0.5, 1.0]])
    for cmap in CMAPS:
        picture = np.asarray(colorize(near, cmap)).astype(int)
        brightness = picture.sum(axis=2)[0]
        assert brightness[0] < brightness[1] < brightness[2], cmap
    assert colorize(near, "gray").getpixel((0, 0)) == (0, 0, 0)
    with pytest.raises(InvalidInput) as info:
        colorize(near, "rainbow")
    assert info.value.code == "depth_bad_cmap"


def test_the_colour_bar_sits_right_of_the_map_near_on_top() -> None:
    colored = colorize(np.linspace(0, 1, 300 * 200).reshape(200, 300), "gray")
    out = with_colorbar(colored, [(0.0, "lejos"), (1.0, "cerca")], cmap="gray", title="relativa")
    assert out.height == colored.height and out.width > colored.width + 20
    np.testing.assert_array_equal(np.asarray(out)[:, :300], np.asarray(colored))  # the map is untouched
    bar = np.asarray(out.convert("L"))[:, 300:].astype(int)
    gradient = bar[:, max(range(bar.shape[1]), key=lambda x: len(np.unique(bar[:, x])))]  # the bar's column
    outline = np.flatnonzero(gradient == 60)  # the bar's grey frame, above and below it
    inside = gradient[outline[0] + 1 : outline[-1]]
    assert len(inside) > 150  # the bar spans most of the height
    assert (np.diff(inside) <= 0).all() and inside[0] > 200 and inside[-1] < 55  # white (near) on top, black below


def test_blend_goes_from_the_photo_to_the_map() -> None:
    photo = Image.new("RGB", (40, 20), (200, 10, 10))
    colored = Image.new("RGB", (20, 10), (0, 100, 250))  # a map from a shrunk copy: resized to the photo
    assert np.asarray(blend(photo, colored, 0.0)).tolist() == np.asarray(photo).tolist()
    assert blend(photo, colored, 1.0).getpixel((5, 5)) == (0, 100, 250)
    assert blend(photo, colored, 0.5).getpixel((5, 5)) == (100, 55, 130)
    assert blend(photo, colored, 0.3).size == photo.size
    with pytest.raises(InvalidInput):
        blend(photo, colored, 1.5)


def test_3d_surface_is_downsampled_and_coloured_by_the_photo() -> None:
    photo = load_sample("coffee")  # 600×400
    distance = np.tile(np.linspace(0.0, 1.0, photo.width, dtype=np.float32), (photo.height, 1))
    fig = surface_figure(photo, distance)
    mesh = fig.data[0]
    gw, gh = grid_size(photo.size)
    assert max(gw, gh) == MAX_3D_SIDE and len(mesh.x) == gw * gh  # at most 96 vertices a side
    assert len(mesh.i) == 2 * (gw - 1) * (gh - 1)  # two triangles a grid cell
    assert len(mesh.vertexcolor) == gw * gh and mesh.vertexcolor[0].startswith("rgb(")
    depth_axis = np.asarray(mesh.y).reshape(gh, gw)
    assert depth_axis[0, 0] < depth_axis[0, -1]  # the far right is pushed back
    assert fig.to_json()  # a plain figure that serialises on its own
    with pytest.raises(InvalidInput):
        surface_figure(photo, np.zeros(5))
