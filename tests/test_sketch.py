"""Sketch engine: Quick Draw-style rasterising on exact small cases, canvas strokes, the pixel
fallback, loading with strict keys, the real CNN on synthesised drawings, and the game rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.errors import InvalidInput, ModelLoadError
from engine.tasks import sketch
from engine.tasks.game import Game, new_game
from tests.sketch_shapes import SHAPES, fabric_json, place, render_canvas

SQUARE = [np.array([[0.0, 0.0], [100.0, 0.0], [100.0, 100.0], [0.0, 100.0], [0.0, 0.0]])]
# Positions and sizes on a 400×400 canvas: corners, centre, tiny, nearly the whole canvas.
PLACES = [(20, 20, 80), (280, 280, 100), (100, 100, 200), (10, 250, 60), (50, 60, 300), (250, 30, 120)]


# --- rasterising ---------------------------------------------------------------------------------


def test_rasterize_is_white_on_black_centred_and_fills_the_box() -> None:
    x = sketch.rasterize(SQUARE)
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert x[0, 0] == 0.0 and x[14, 14] == 0.0  # background and the inside are black
    assert x.max() == pytest.approx(1.0)  # the line is white
    ink = np.argwhere(x > 0.5)
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    # Centred: the same margin on every side; filled: the box spans most of the 28 px.
    assert (top, left) == (28 - 1 - bottom, 28 - 1 - right)
    assert 1 <= top <= 3 and bottom - top >= 21


@pytest.mark.parametrize(
    ("offset", "scale"), [((0, 0), 1.0), ((300, 10), 1.0), ((5, 250), 0.3), ((40, 40), 3.0)], ids=str
)
def test_rasterize_ignores_position_and_size(offset: tuple[int, int], scale: float) -> None:
    moved = [s * scale + np.array(offset) for s in SQUARE]
    np.testing.assert_allclose(sketch.rasterize(moved), sketch.rasterize(SQUARE), atol=1e-6)


def test_rasterize_keeps_the_aspect_ratio_of_a_flat_drawing() -> None:
    x = sketch.rasterize([np.array([[0.0, 50.0], [100.0, 50.0]])])  # a horizontal line
    rows = np.nonzero(x.max(axis=1) > 0.5)[0]
    assert set(rows) <= {13, 14}  # one line across the middle, not stretched to a square
    assert (x[14] > 0.5).sum() >= 22


@pytest.mark.parametrize(
    ("strokes", "code"),
    [([], "empty_drawing"), ([np.zeros((0, 2))], "empty_drawing"), ([np.array([[0.0, np.nan]])], "bad_strokes")],
    ids=["none", "no points", "nan"],
)
def test_rasterize_refuses_what_is_not_a_drawing(strokes, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        sketch.rasterize(strokes)
    assert err.value.code == code


def test_a_single_dot_is_a_centred_blob() -> None:
    x = sketch.rasterize([np.array([[200.0, 30.0]])])
    ink = np.argwhere(x > 0.1)
    assert 0 < len(ink) <= 9 and np.allclose(ink.mean(axis=0), [13.5, 13.5], atol=1.0)


def test_simplify_keeps_corners_and_drops_jitter() -> None:
    jitter = np.array([[0.0, 0.0], [1.0, 0.3], [2.0, -0.2], [3.0, 0.0], [3.0, 3.0]])
    assert sketch.simplify(jitter, 0.5).tolist() == [[0.0, 0.0], [3.0, 0.0], [3.0, 3.0]]
    loop = np.array([[0.0, 0.0], [5.0, 0.0], [5.0, 5.0], [0.0, 0.0]])
    assert len(sketch.simplify(loop, 0.5)) == 4  # a closed loop keeps its far corners


# --- the canvas's strokes ------------------------------------------------------------------------


def test_canvas_json_round_trips_to_the_strokes_drawn() -> None:
    strokes = place(SHAPES["envelope"], x=30, y=200, size=120, seed=2)
    back = sketch.strokes_from_canvas(fabric_json(strokes))
    assert len(back) == len(strokes)
    for got, want in zip(back, strokes, strict=True):
        assert np.abs(got.min(axis=0) - want.min(axis=0)).max() < 0.5
        assert np.abs(got.max(axis=0) - want.max(axis=0)).max() < 0.5


def test_a_path_moved_and_scaled_with_the_edit_tool_lands_where_it_is_shown() -> None:
    obj = fabric_json([np.array([[0.0, 0.0], [100.0, 0.0], [100.0, 50.0]])])["objects"][0]
    moved = {**obj, "left": obj["left"] + 200, "top": obj["top"] + 100, "scaleX": 2, "scaleY": 2}
    (stroke,) = sketch.strokes_from_canvas({"objects": [moved]})
    centre = (stroke.min(axis=0) + stroke.max(axis=0)) / 2
    np.testing.assert_allclose(centre, [obj["left"] + 200, obj["top"] + 100], atol=1e-6)
    np.testing.assert_allclose(stroke.max(axis=0) - stroke.min(axis=0), [200, 100], atol=1e-6)


def test_other_objects_and_junk_are_ignored() -> None:
    data = {"objects": [{"type": "rect", "left": 1}, "junk", {"type": "path", "path": []}, {"type": "Path"}]}
    assert sketch.strokes_from_canvas(data) == []
    assert sketch.strokes_from_canvas(None) == []
    assert sketch.drawing_input({"objects": []}) is None


def _reference_points(commands: list) -> np.ndarray:
    """Fabric path commands sampled one command at a time, as the page used to (the definition)."""
    pts, cur, start = [], (0.0, 0.0), (0.0, 0.0)
    for op, *a in commands:
        if op in "ML":
            cur = (a[0], a[1])
            start = cur if op == "M" else start
            pts.append(cur)
        elif op == "Z":
            cur = start
            pts.append(cur)
        else:
            c = np.array([cur, *zip(a[::2], a[1::2], strict=True)])
            n = int(min(64, max(2, np.ceil(np.linalg.norm(np.diff(c, axis=0), axis=1).sum() / 2))))
            t = np.linspace(0, 1, n + 1)[1:, None]
            w = (
                [(1 - t) ** 2, 2 * (1 - t) * t, t**2]
                if op == "Q"
                else [(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3]
            )
            pts += [tuple(p) for p in sum(wi * ci for wi, ci in zip(w, c, strict=True))]
            cur = (a[-2], a[-1])
    return np.asarray(pts, dtype=np.float64).reshape(-1, 2)


@pytest.mark.parametrize("seed", range(6))
def test_paths_are_sampled_like_one_curve_at_a_time(seed: int) -> None:
    # The page samples all of a stroke's curves in one numpy pass (a free-drawing stroke is hundreds
    # of "Q"s): the points must be those of the plain per-curve definition, degenerate curves too.
    rng = np.random.default_rng(seed)
    commands: list = [["M", *rng.uniform(0, 360, 2)]]
    for _ in range(40):
        op = str(rng.choice(["Q", "Q", "C", "L", "Z"]))
        args = [] if op == "Z" else list(rng.uniform(0, 360, {"Q": 4, "C": 6, "L": 2}[op]))
        if op == "Q" and rng.random() < 0.2:  # a zero-length curve (the pen held still)
            last = commands[-1][-2:] if len(commands[-1]) > 2 else [0.0, 0.0]
            args = [*last, *last]
        commands.append([op, *args])
    got = sketch.canvas._path_points(commands)
    want = _reference_points(commands)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, atol=1e-9)


def test_drawing_input_prefers_strokes_and_falls_back_to_pixels() -> None:
    strokes = place(SHAPES["square"], x=50, y=50, size=200, seed=0)
    from_strokes = sketch.drawing_input(fabric_json(strokes))
    assert from_strokes is not None and from_strokes.source == "strokes"
    from_pixels = sketch.drawing_input(None, render_canvas(strokes))
    assert from_pixels is not None and from_pixels.source == "pixels"
    # The same square either way: most of the ink in the same places.
    a, b = from_strokes.x28 > 0.5, from_pixels.x28 > 0.5
    assert (a & b).sum() / (a | b).sum() > 0.6
    assert sketch.drawing_input(None, np.zeros((50, 50, 4), dtype=np.uint8)) is None  # blank canvas


@pytest.mark.parametrize("background", ["", "#ffffff", "#202060"])
def test_ink_map_finds_strokes_on_any_background(background: str) -> None:
    rgba = render_canvas([np.array([[10.0, 25.0], [40.0, 25.0]])], width=50, height=50, background=background)
    ink = sketch.ink_map(rgba)
    assert ink[25, 25] > 0.9 and ink[5, 5] == 0.0


def test_thick_brush_strokes_thin_to_their_centre_lines() -> None:
    img = Image.new("RGB", (200, 200), "white")
    from PIL import ImageDraw

    ImageDraw.Draw(img).line([(30, 100), (170, 100)], fill="black", width=25)
    strokes = sketch.skeleton_strokes(img)
    pts = np.concatenate(strokes)
    assert np.abs(pts[:, 1] - 100).max() <= 2  # on the centre line, not the edges
    assert pts[:, 0].max() - pts[:, 0].min() > 100  # 140 px less about half the brush at each end


def test_to_image_shows_the_input_with_square_pixels() -> None:
    x = np.zeros((28, 28), dtype=np.float32)
    x[3, 5] = 1.0
    img = sketch.to_image(x, 4)
    assert img.size == (112, 112) and img.mode == "L"
    assert img.getpixel((5 * 4 + 2, 3 * 4 + 2)) == 255 and img.getpixel((0, 0)) == 0


# --- the model -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model(shared_models: Path) -> sketch.SketchModel:
    return sketch.load_sketch_model()  # conftest puts ../shared/models in VISION_MODELS_DIR


def test_real_weights_load_strictly_with_100_classes(model: sketch.SketchModel) -> None:
    assert len(model.labels) == 100 and model.labels[:2] == ("airplane", "alarm_clock")
    assert model.where == "local" and model.weights_file.endswith("pytorch_model.bin")
    assert not model.module.training


def test_packed_cnn_gives_the_plain_cnns_scores(model: sketch.SketchModel) -> None:
    """The engine's CNN is packed for oneDNN; a plain one loaded the Space's way scores alike."""
    import torch

    from engine.accel import fastcpu

    assert fastcpu.packed_layers(model.module) == (5 if fastcpu.available() else 0)  # 3 convs, 2 linears
    plain = sketch.build_network(100)  # the Space's app.py, layer for layer
    plain.load_state_dict(torch.load(model.weights_file, map_location="cpu", weights_only=True))
    drawings = [place(shape, x=60, y=80, size=200, seed=1, wobble=0.02) for shape in SHAPES.values()]
    batch = torch.from_numpy(np.stack([sketch.rasterize(d) for d in drawings]))[:, None]
    with torch.inference_mode():
        assert torch.allclose(model.module(batch), plain.eval()(batch), atol=1e-4)


def _accuracy(model: sketch.SketchModel, make_input) -> tuple[float, dict[str, list[str]]]:
    right, total, wrong = 0, 0, {}
    for name, shape in SHAPES.items():
        drawings = [place(shape, x=x, y=y, size=s, seed=i, wobble=0.02) for i, (x, y, s) in enumerate(PLACES)]
        for result in sketch.predict_batch(model, [make_input(d) for d in drawings], top_k=1):
            total += 1
            right += result.labels[0] == name
            if result.labels[0] != name:
                wrong.setdefault(name, []).append(result.labels[0])
    return right / total, wrong


def test_drawings_anywhere_and_any_size_are_recognised_from_the_strokes(model: sketch.SketchModel) -> None:
    """21 classes × 6 places and sizes, drawn by a slightly unsteady hand: at least 90 % top-1."""
    accuracy, wrong = _accuracy(model, lambda d: sketch.drawing_input(fabric_json(d)).x28)
    assert accuracy >= 0.9, (accuracy, wrong)


def test_the_pixel_fallback_is_close_and_the_tutorial_resize_fails(model: sketch.SketchModel) -> None:
    from_pixels, _ = _accuracy(model, lambda d: sketch.image_to_input(render_canvas(d)))
    assert from_pixels >= 0.8

    def tutorial(d):  # the seed tutorial: the whole canvas, black on white, resized to 28×28
        gray = Image.fromarray(render_canvas(d, background="#ffffff")).convert("L").resize((28, 28))
        return np.asarray(gray, dtype=np.float32) / 255.0

    naive, _ = _accuracy(model, tutorial)
    assert naive < 0.2  # why the page rebuilds Quick Draw's input instead


def test_predict_checks_its_input(model: sketch.SketchModel) -> None:
    nan, inf, below = np.zeros((28, 28)), np.zeros((28, 28)), np.zeros((28, 28))
    nan[3, 4], inf[5, 6], below[0, 0] = np.nan, np.inf, -0.5
    for bad in [np.zeros((27, 28)), np.full((28, 28), 2.0), nan, inf, -inf, below]:
        with pytest.raises(InvalidInput) as err:
            sketch.predict(model, bad)
        assert err.value.code == "bad_sketch_input"
    with pytest.raises(InvalidInput):
        sketch.predict(model, np.zeros((28, 28)), top_k=0)
    assert sketch.predict_batch(model, []) == []
    result = sketch.predict(model, sketch.rasterize(SQUARE), top_k=100)
    assert sum(result.scores) == pytest.approx(1.0, abs=1e-4) and len(set(result.labels)) == 100


@pytest.mark.parametrize(
    ("damage", "file"),
    [
        (lambda d: (d / "pytorch_model.bin").write_bytes(b"not a pickle"), "pytorch_model.bin"),
        (lambda d: (d / "class_names.txt").write_text("\n\n"), "class_names.txt"),
        (lambda d: (d / "class_names.txt").write_text("a\nb\nc\n"), "pytorch_model.bin"),  # 3 classes: shape mismatch
    ],
    ids=["corrupt weights", "no class names", "wrong class count"],
)
def test_a_broken_model_folder_names_the_file(tmp_path: Path, shared_models: Path, monkeypatch, damage, file) -> None:
    folder = tmp_path / "nateraw" / "quickdraw"
    folder.mkdir(parents=True)
    for name in ("pytorch_model.bin", "class_names.txt"):
        (folder / name).write_bytes((shared_models / "nateraw" / "quickdraw" / name).read_bytes())
    damage(folder)
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelLoadError) as err:
        sketch.load_sketch_model()
    assert err.value.params["file"].endswith(file)
    assert "nateraw/quickdraw" in str(err.value)


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "lang"), [("triangle", "es"), ("star", "en")])
def test_code_snippet_loads_safely_from_the_space(
    shared_models: Path, local_hub, tmp_path: Path, shape: str, lang: str
) -> None:
    """Run as a student runs it: the weights and class names come from the Space (the local Hub
    serving the real files under ``nateraw/quickdraw``), the drawing is the page's PNG download; it
    prints what the engine gives for the input it made, and the page's guess."""
    from tests.hub import real_repo
    from tests.snippets import percent_lines, run_snippet

    json_data = fabric_json(place(SHAPES[shape], x=250, y=230, size=90, wobble=0.01))
    sketch.drawing_image(sketch.strokes_from_canvas(json_data), (360, 360)).save(tmp_path / "mi dibujo.png")
    code = sketch.code_snippet(5, "mi dibujo.png", lang)
    assert 'repo_type="space"' in code and "weights_only=True" in code and "strict=True" in code
    assert "topk(5)" in code and "engine" not in code and "Image.open('mi dibujo.png')" in code
    assert ("etiquetas" in code) == (lang == "es") and ("labels" in code) == (lang == "en")
    local_hub.add_repo(real_repo(sketch.MODEL_ID, shared_models / "nateraw" / "quickdraw"))
    printed = percent_lines(run_snippet(code + "np.save('x.npy', x)\n", tmp_path))
    model = sketch.load_sketch_model()
    # The same network, weights and class order: the engine on the snippet's input prints the same.
    expected = sketch.predict(model, np.load(tmp_path / "x.npy"), top_k=5)
    assert list(printed) == list(expected.labels)
    assert list(printed.values()) == pytest.approx(list(expected.scores), abs=0.0006)  # printed to 0.1 %
    # Its plain preprocessing of the PNG sees what the page's rasteriser sees: the same guess.
    page = sketch.predict(model, sketch.drawing_input(json_data).x28, top_k=5)
    assert next(iter(printed)) == page.labels[0] == shape
    assert len(set(list(printed)[:3]) & set(page.labels[:3])) >= 2


def test_the_drawing_png_has_quick_draws_line_whatever_the_brush() -> None:
    strokes = sketch.strokes_from_canvas(fabric_json(place(SHAPES["square"], x=50, y=40, size=200), stroke_width=30))
    img = sketch.drawing_image(strokes, (360, 360))
    ink = np.asarray(img) < 128
    assert img.mode == "L" and img.size == (360, 360) and not ink[0, 0]  # black on white
    points = np.concatenate(strokes)
    lo, hi = points.min(axis=0), points.max(axis=0)
    line = float((hi - lo).max()) * 16 / 255  # Quick Draw's line for this drawing (~12.5 px), not the 30-px brush
    rows, cols = np.nonzero(ink)
    # where it was drawn, grown by half a line on each side
    assert np.allclose([cols.min(), rows.min()], lo - line / 2, atol=2)
    assert np.allclose([cols.max(), rows.max()], hi + line / 2, atol=2)
    with pytest.raises(InvalidInput):
        sketch.drawing_image([], (10, 10))


# --- the game ------------------------------------------------------------------------------------

LABELS = [f"class_{i}" for i in range(100)]


def test_new_game_draws_six_different_words_and_starts_the_clock() -> None:
    game = new_game(LABELS, now=100.0, seed=3)
    assert len(game.rounds) == 6 and len({r.target for r in game.rounds}) == 6
    assert [r.outcome for r in game.rounds] == ["playing"] + ["waiting"] * 5
    assert game.time_left(100.0) == 20.0 and game.time_left(112.5) == 7.5 and game.time_left(150.0) == 0.0
    assert [r.target for r in new_game(LABELS, now=0, seed=3).rounds] == [r.target for r in game.rounds]


@pytest.mark.parametrize(
    ("labels", "rounds", "seconds"), [(["a", "b", "a"], 3, 20), (LABELS, 0, 20), (LABELS, 6, 0)], ids=str
)
def test_new_game_refuses_impossible_settings(labels, rounds, seconds) -> None:
    with pytest.raises(InvalidInput):
        new_game(labels, now=0.0, rounds=rounds, seconds=seconds)


def _game(*targets: str) -> Game:
    game = new_game(list(targets), now=0.0, rounds=len(targets))
    return dataclasses.replace(
        game, rounds=tuple(dataclasses.replace(r, target=t) for r, t in zip(game.rounds, targets, strict=False))
    )


@pytest.mark.parametrize(
    ("events", "outcomes", "index"),
    [
        ([("observe", "cat", 5.0)], ["won", "playing", "waiting"], 1),
        ([("observe", "dog", 5.0)], ["playing", "waiting", "waiting"], 0),
        ([("observe", "cat", 25.0)], ["lost", "playing", "waiting"], 1),  # right, but too late
        ([("tick", None, 19.9)], ["playing", "waiting", "waiting"], 0),
        ([("tick", None, 20.0)], ["lost", "playing", "waiting"], 1),
        ([("tick", None, 65.0)], ["lost", "lost", "lost"], 3),  # slept through every round
        ([("skip", None, 3.0), ("observe", "sun", 4.0)], ["skipped", "won", "playing"], 2),
        ([("observe", "cat", 1.0), ("observe", "sun", 2.0), ("observe", "key", 3.0)], ["won", "won", "won"], 3),
    ],
    ids=["right", "wrong", "late", "before time", "on time", "slept", "skip then right", "all right"],
)
def test_game_rules(events, outcomes: list[str], index: int) -> None:
    game = _game("cat", "sun", "key")
    for kind, guess, now in events:
        game = game.observe(guess, 0.9, now) if kind == "observe" else getattr(game, kind)(now)
    assert [r.outcome for r in game.rounds] == outcomes
    assert game.index == index and game.finished == (index == 3)
    assert game.score == outcomes.count("won")
    assert game.counts() == {kind: outcomes.count(kind) for kind in ("won", "lost", "skipped")}


def test_a_lost_round_keeps_the_last_guess_and_the_next_round_starts_when_it_ended() -> None:
    game = _game("cat", "sun").observe("dog", 0.4, 3.0, drawing="d1").observe("cow", 0.6, 8.0, drawing="d2")
    game = game.tick(30.0)
    first = game.rounds[0]
    assert (first.outcome, first.guess, first.guess_score, first.drawing, first.seconds) == (
        "lost",
        "cow",
        0.6,
        "d2",
        20.0,
    )
    assert game.rounds[1].started == 20.0 and game.time_left(30.0) == 10.0
    with pytest.raises(InvalidInput):
        game.tick(100.0).current  # the game is over


# --- too little to guess, and the game's levels ----------------------------------------------------


@pytest.mark.parametrize(
    ("strokes", "little"),
    [
        ([np.array([[200.0, 200.0]])], True),  # a click
        ([np.array([[200.0, 200.0], [201.0, 201.0]])], True),  # a dot
        ([np.array([[100.0, 150.0], [140.0, 152.0]])], True),  # a 40-px dash
        ([np.array([[100.0, 150.0]]), np.array([[120.0, 150.0], [140.0, 150.0]])], True),  # a dot and a dash
        ([np.array([[20.0, 150.0], [320.0, 150.0]])], False),  # a long line: the class "line"
        (place(SHAPES["circle"], x=100, y=100, size=20), False),  # a small circle is a drawing
        (place(SHAPES["star"], x=40, y=40, size=250), False),
    ],
    ids=["click", "dot", "dash", "dot and dash", "long line", "small circle", "star"],
)
def test_a_dot_or_a_dash_is_too_little_to_guess(strokes, little: bool) -> None:
    assert sketch.too_little(strokes, 360) is little
    # the rule is about ink on the canvas: rasterised, even a click is ink the model would guess from
    assert sketch.rasterize(strokes).max() > 0.4


def test_ink_is_measured_along_the_strokes_in_canvas_pixels() -> None:
    zigzag = np.array([[0.0, 0.0], [30.0, 40.0], [60.0, 0.0]])
    assert sketch.ink_length([zigzag, np.array([[5.0, 5.0]])]) == pytest.approx(100.0)
    assert sketch.too_little([zigzag], 360) is False and sketch.too_little([zigzag], 1000) is True


def test_the_committed_levels_are_what_the_script_measures(model: sketch.SketchModel) -> None:
    """levels.json is the output of bench/sketch_levels.py on the real model, not a list by hand."""
    import json

    from bench.sketch_levels import TRIALS, WOBBLE, measure
    from engine.tasks.sketch import levels

    committed = json.loads(levels.MEASURED.read_text(encoding="utf-8"))
    assert (committed["trials"], committed["wobble"], committed["model"]) == (TRIALS, WOBBLE, sketch.MODEL_ID)
    assert measure(model) == committed["rates"] == levels.RATES
    assert set(levels.RATES) == set(SHAPES)  # every class with a synthetic sketch was measured


def test_levels_pick_the_measured_classes(model: sketch.SketchModel) -> None:
    from engine.tasks.sketch import levels

    easy = sketch.level_classes("easy", model.labels)
    normal = sketch.level_classes("normal", model.labels)
    assert set(easy) == set(sketch.EASY) and len(easy) >= 6 and set(easy) < set(normal) < set(model.labels)
    assert all(levels.RATES[c] >= levels.EASY_RATE for c in easy)
    assert all(levels.RATES[c] >= levels.NORMAL_RATE for c in normal)
    assert "ceiling_fan" not in normal and "diving_board" not in normal  # never measured: only in "all"
    assert sketch.level_classes("all", model.labels) == model.labels
    assert sketch.level_classes("easy", tuple(LABELS)) == tuple(LABELS)  # another model's classes: all of them
    games = [new_game(easy, now=0.0, seed=s) for s in range(20)]
    assert {r.target for g in games for r in g.rounds} <= set(easy)


def test_the_drawing_png_has_no_gaps_across_its_line_and_draws_a_dot() -> None:
    """A mouse stroke is hundreds of tiny segments: the line is solid across its whole width (PIL's
    wide lines left hairline gaps where they met), and a one-point stroke is a round dot."""
    strokes = sketch.strokes_from_canvas(fabric_json(place(SHAPES["circle"], x=60, y=60, size=240, seed=1)))
    img = np.asarray(sketch.drawing_image(strokes, (360, 360)))
    points = np.concatenate(strokes)
    half = float((points.max(axis=0) - points.min(axis=0)).max()) * 16 / 255 / 2
    for s in strokes:
        a, b = s[:-1], s[1:]
        keep = np.hypot(*(b - a).T) > 1e-6
        a, b = a[keep], b[keep]
        normal = (b - a)[:, ::-1] * [-1, 1] / np.hypot(*(b - a).T)[:, None]
        for t in np.linspace(0, 1, 4):
            for off in np.linspace(-(half - 1.5), half - 1.5, 9):
                x, y = (a + t * (b - a) + off * normal).T
                assert (img[y.astype(int), x.astype(int)] < 128).all()
    # a line 160 px long (a 10-px line) and a dot under it
    dot = np.asarray(
        sketch.drawing_image([np.array([[20.0, 50.0], [180.0, 50.0]]), np.array([[100.0, 150.0]])], (200, 200))
    )
    assert (dot[146:155, 100] < 128).all() and dot[150, 110] == 255 and dot[0, 0] == 255
