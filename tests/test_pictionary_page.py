"""/pictionary through AppTest, with ``st_canvas`` replaced by a stub that returns a drawing.

The real Quick-Draw CNN from ../shared/models makes the guesses, so the assertions are about
what it really answers for synthesised drawings.
"""

from __future__ import annotations

import dataclasses
import io
import time

import numpy as np
import pytest
from PIL import Image

from engine.tasks.game import new_game
from engine.tasks.sketch import EASY
from tests.apptest import assert_no_exception, open_page, texts
from tests.catalog import ANY, en, es, parts, piece
from tests.sketch_shapes import fabric_json

PAGE = "pages/pictionary.py"


def test_empty_canvas_asks_to_draw_and_calls_no_model(canvas, monkeypatch) -> None:
    import engine.tasks.sketch.model

    calls: list[int] = []
    real = engine.tasks.sketch.model.predict_batch
    monkeypatch.setattr(engine.tasks.sketch.model, "predict_batch", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = open_page(PAGE)
    assert es("pictionary.draw_prompt") in texts(at)
    assert piece("pictionary.guess") not in texts(at)
    assert calls == []
    assert canvas.keys and canvas.keys[-1].startswith("pic_canvas_")
    assert "nn.Sequential" in at.code[0].value and 'repo_type="space"' in at.code[0].value


@pytest.mark.parametrize(("shape", "spanish"), [("circle", "círculo"), ("triangle", "triángulo"), ("star", "estrella")])
def test_a_drawing_is_guessed_with_top5_chart_table_and_model_input(canvas, shape, spanish) -> None:
    canvas.draw(shape, x=250, y=230, size=90)  # small, in a corner: still recognised
    at = open_page(PAGE)
    text = texts(at)
    assert parts("pictionary.guess", label=f"{shape} · {spanish}", score=ANY)[0] in text.replace("\\", "")
    table = at.table[0].value
    columns = [es(f"pictionary.col_{c}") for c in ("rank", "label", "es", "score")]
    assert list(table.columns) == columns  # "#", "Clase", "En español", "Probabilidad"
    assert len(table) == 5 and table.iloc[0][es("pictionary.col_label")] == shape
    assert at.get("plotly_chart")  # the top-5 bar chart
    assert any(es("pictionary.model_sees") in img.proto.imgs[0].caption for img in at.get("image"))


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_drawing_downloads_as_the_png_the_code_opens(canvas, monkeypatch, language) -> None:
    from streamlit.runtime.media_file_manager import MediaFileManager

    deferred: dict[str, tuple[object, str | None]] = {}
    original = MediaFileManager.add_deferred

    def recording(self, data, mimetype, coordinates, file_name=None, **kw):
        file_id = original(self, data, mimetype, coordinates, file_name=file_name, **kw)
        deferred[file_id] = (data, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    import engine.inputs.images

    made: list[int] = []  # the page imports to_png on each run: it gets this one
    real = engine.inputs.images.to_png
    monkeypatch.setattr(engine.inputs.images, "to_png", lambda img, *a, **k: made.append(1) or real(img, *a, **k))
    canvas.draw("triangle", x=250, y=230, size=90)
    at = open_page(PAGE, lang=language)
    button = next(b for b in at.get("download_button") if b.proto.id.endswith("pic_dl_drawing"))
    # Made on the click, not on every stroke: a stroke's run encodes no PNG of the drawing.
    assert button.proto.deferred_file_id and not button.proto.url
    assert made == []
    make, filename = deferred[button.proto.deferred_file_id]
    data = make()
    assert made == [1]
    expected_name = "drawing.png" if language == "en" else "dibujo.png"
    assert filename == expected_name and f"Image.open({expected_name!r})" in at.code[0].value
    image = Image.open(io.BytesIO(data))
    ink = np.asarray(image.convert("L")) < 128
    rows, cols = np.nonzero(ink)
    # the strokes where they were drawn (a 90-px triangle at 250, 230 of the 360-px canvas), black on white
    assert image.size == (360, 360) and not ink[0, 0]
    assert cols.min() >= 240 and cols.max() <= 350 and rows.min() >= 220 and rows.max() <= 330


def test_clear_button_gives_a_new_empty_canvas(canvas) -> None:
    canvas.draw("square")
    at = open_page(PAGE)
    first_key = canvas.keys[-1]
    at.button(key="pic_clear").click().run()
    assert_no_exception(at)
    assert canvas.keys[-1] != first_key


def test_english_switch_shows_english_only(canvas) -> None:
    canvas.draw("circle")
    at = open_page(PAGE, lang="en")
    assert parts("pictionary.guess", "en", label="circle", score=ANY)[0] in texts(at)  # "I think it is: **circle**"
    assert list(at.table[0].value.columns) == [en(f"pictionary.col_{c}") for c in ("rank", "label", "score")]


def test_game_rounds_advance_on_a_right_guess_and_on_time_out_to_the_summary(canvas) -> None:
    at = open_page(PAGE)
    at.radio(key="pic_mode").set_value("game").run()
    assert es("game.intro") in texts(at)  # "6 rondas de 20 segundos..."
    at.button(key="pic_start").click().run()
    assert_no_exception(at)
    game = at.session_state["pic_game"]
    assert len(game.rounds) == 6 and len({r.target for r in game.rounds}) == 6
    assert es("game.round", n=1, total=6) in texts(at)

    # A known game: six shapes the model recognises; play them in order.
    targets = ["circle", "triangle", "star", "envelope", "ladder", "sun"]
    at.session_state["pic_game"] = new_game(targets, now=time.monotonic(), seed=None)
    at.session_state["pic_game"] = dataclasses.replace(
        at.session_state["pic_game"],
        rounds=tuple(
            dataclasses.replace(r, target=t) for r, t in zip(at.session_state["pic_game"].rounds, targets, strict=False)
        ),
    )
    for i, target in enumerate(targets[:4]):
        canvas.json = None
        at.run()
        assert es("game.round", n=i + 1, total=6) in texts(at)
        assert canvas.keys[-1].endswith(f"_{i}")  # a new canvas each round
        canvas.draw(target, seed=i)
        at.run()
        assert_no_exception(at)
        assert at.session_state["pic_game"].rounds[i].outcome == "won", target
    # Round 5: draw something else, then let the time run out.
    canvas.draw("circle")
    at.run()
    game = at.session_state["pic_game"]
    assert game.index == 4 and game.current.guess == "circle"
    started = time.monotonic() - 25
    at.session_state["pic_game"] = dataclasses.replace(
        game, rounds=tuple(dataclasses.replace(r, started=started) if j == 4 else r for j, r in enumerate(game.rounds))
    )
    at.run()
    game = at.session_state["pic_game"]
    assert game.rounds[4].outcome == "lost" and game.rounds[4].guess == "circle"
    assert game.index == 5
    # Round 6: skipped.
    canvas.json = None
    at.run()
    at.button(key="pic_skip").click().run()
    assert_no_exception(at)
    assert at.session_state["pic_game"].rounds[5].outcome == "skipped"  # given up, not out of time
    text = texts(at)
    assert es("game.summary", score=4, total=6) in text
    assert es("game.summary_counts", won=4, lost=1, skipped=1) in text
    assert text.count("✅") == 4 and text.count("❌") == 1 and text.count("⏭️") == 1
    assert es("game.summary_skipped", label="sun · sol") in text.replace("\\", "")
    assert es("game.summary_guess", guess="circle") in text.replace("\\", "")
    at.button(key="pic_again").click().run()
    assert es("game.round", n=1, total=6) in texts(at)
    assert at.session_state["pic_game"].score == 0


def _known_game(at, targets: list[str]) -> None:
    """Replace the session's game by one asking for ``targets`` in order, its round 1 starting now."""
    game = new_game(targets, now=time.monotonic(), rounds=len(targets))
    at.session_state["pic_game"] = dataclasses.replace(
        game, rounds=tuple(dataclasses.replace(r, target=t) for r, t in zip(game.rounds, targets, strict=True))
    )


def _headings(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.lstrip().startswith("#")]


def test_a_game_round_has_one_heading_with_the_guess(canvas) -> None:
    at = open_page(PAGE, pic_mode="game")
    at.button(key="pic_start").click().run()
    _known_game(at, ["circle", "triangle", "star", "envelope", "ladder", "sun"])
    canvas.draw("square")  # not the word asked: the round goes on with the model's guess shown
    at.run()
    assert_no_exception(at)
    guess = at.session_state["pic_game"].current.guess
    assert guess and guess != "circle"
    with_guess = [h for h in _headings(at) if guess in h]
    assert len(with_guess) == 1, with_guess  # "La red ve… X", not also "Creo que es: X"
    assert piece("game.thinking") in with_guess[0] and piece("pictionary.guess") not in texts(at)


def test_how_a_round_ended_is_said_in_the_page_not_in_a_toast(canvas) -> None:
    at = open_page(PAGE, pic_mode="game")
    at.button(key="pic_start").click().run()
    _known_game(at, ["circle", "triangle", "star", "envelope", "ladder", "sun"])
    canvas.json = None
    at.run()
    at.button(key="pic_skip").click().run()  # round 1 skipped
    assert_no_exception(at)
    assert not at.toast  # a toast lingered over the slider into the next round
    assert [i.value for i in at.info if es("game.ended_skipped", n=1, label="circle · círculo") in i.value]
    game = at.session_state["pic_game"]  # round 2 runs out of time
    at.session_state["pic_game"] = dataclasses.replace(
        game,
        rounds=tuple(
            dataclasses.replace(r, started=time.monotonic() - 25) if j == 1 else r for j, r in enumerate(game.rounds)
        ),
    )
    at.run()
    assert not at.toast
    assert any(es("game.ended_lost", n=2, label="triangle · triángulo") in w.value for w in at.warning)
    canvas.draw("star")  # round 3 won
    at.run()
    assert not at.toast and at.session_state["pic_game"].rounds[2].outcome == "won"
    canvas.json = None
    at.run()
    assert any(es("game.ended_won", n=3, label="star · estrella") in s.value for s in at.success)
    assert [r.outcome for r in at.session_state["pic_game"].rounds[:3]] == ["skipped", "lost", "won"]


@pytest.mark.parametrize("mode", ["free", "game"])
def test_a_dot_or_a_dash_asks_for_more_instead_of_a_guess(canvas, monkeypatch, mode) -> None:
    import engine.tasks.sketch.model

    calls: list[int] = []
    real = engine.tasks.sketch.model.predict_batch
    monkeypatch.setattr(engine.tasks.sketch.model, "predict_batch", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = open_page(PAGE, pic_mode=mode)
    if mode == "game":
        at.button(key="pic_start").click().run()
    for strokes in ([np.array([[180.0, 180.0], [181.0, 180.0]])], [np.array([[100.0, 150.0], [140.0, 152.0]])]):
        canvas.json = fabric_json(strokes)
        at.run()
        assert_no_exception(at)
        assert es("pictionary.draw_more") in texts(at)
        assert not [h for h in _headings(at) if "%" in h]  # no confident guess of a blob
    assert calls == []
    canvas.draw("circle")  # a real drawing is guessed again
    at.run()
    assert es("pictionary.draw_more") not in texts(at) and calls


@pytest.mark.parametrize(("level", "allowed"), [("easy", set(EASY)), ("all", None)])
def test_the_level_chooses_where_the_words_come_from(canvas, level, allowed) -> None:
    at = open_page(PAGE, pic_mode="game")
    assert at.radio(key="pic_level").value == "easy"  # the default: words the model recognises best
    at.radio(key="pic_level").set_value(level).run()
    targets: set[str] = set()
    for _ in range(6):  # six games: 36 words drawn
        at.button(key="pic_start" if not targets else "pic_quit").click().run()
        if targets:
            at.button(key="pic_start").click().run()
        assert at.radio(key="pic_level").disabled  # a level holds for a whole game
        targets |= {r.target for r in at.session_state["pic_game"].rounds}
    if allowed is None:
        assert not targets <= set(EASY)  # 36 words of 100 classes: not all from the 12 easy ones
    else:
        assert targets <= allowed and len(targets) >= 6
