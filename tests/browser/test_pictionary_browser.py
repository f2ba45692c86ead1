"""/pictionary in a real Chromium: mouse strokes on the real canvas get a guess; a game runs to its summary."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.browser.conftest import assert_no_exception, goto, tall_screenshot, wait_idle
from tests.sketch_shapes import SHAPES, place

pytestmark = pytest.mark.browser


def _canvas_box(page) -> dict:
    """The drawing surface (Fabric's upper canvas takes the mouse events)."""
    surface = page.locator("canvas.upper-canvas").first
    surface.wait_for()
    box = surface.bounding_box()
    assert box is not None and box["width"] >= 300
    return box


def _draw(page, strokes: list[np.ndarray]) -> None:
    """Draw ``strokes`` (canvas pixels) with the mouse, one press-move-release each."""
    box = _canvas_box(page)
    for stroke in strokes:
        x0, y0 = stroke[0]
        page.mouse.move(box["x"] + x0, box["y"] + y0)
        page.mouse.down()
        for x, y in stroke[1 :: max(1, len(stroke) // 40)]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=2)
        x1, y1 = stroke[-1]
        page.mouse.move(box["x"] + x1, box["y"] + y1)
        page.mouse.up()
        page.wait_for_timeout(150)
    page.wait_for_timeout(800)
    wait_idle(page)


def _guess(page) -> str:
    heading = page.locator('[data-testid="stMarkdownContainer"] h3').filter(has_text="Creo que es:").first
    heading.wait_for()
    return heading.inner_text()


def test_mouse_drawings_anywhere_on_the_canvas_are_guessed(page) -> None:
    goto(page, "pictionary")
    assert_no_exception(page)
    page.get_by_text("Dibuja algo en el lienzo").first.wait_for()

    # A small triangle in the bottom-right corner.
    _draw(page, place(SHAPES["triangle"], x=230, y=220, size=100, seed=3, wobble=0.01))
    assert_no_exception(page)
    assert re.search(r"Creo que es: triangle · triángulo", _guess(page)), _guess(page)
    table = page.locator('[data-testid="stTable"]').first.inner_text()
    assert "triangle" in table and "Probabilidad" in table
    assert page.get_by_text("Lo que ve la red").first.is_visible()
    # Each stroke went to the server at pen-up through the canvas's own "send" button, not 200 ms
    # later through its debounce: the page's pen-up sender found the button.
    assert page.evaluate("() => window.__penUpSends || 0") >= 1
    tall_screenshot(page, "pictionary", 1500)

    # Cleared, then a large circle in the top-left: a new guess for the new drawing.
    page.get_by_role("button", name="Borrar el dibujo").click()
    wait_idle(page)
    page.get_by_text("Dibuja algo en el lienzo").first.wait_for()
    _draw(page, place(SHAPES["circle"], x=15, y=15, size=300, seed=1, wobble=0.01))
    assert "circle" in _guess(page)
    assert_no_exception(page)


def test_a_dot_asks_for_more_instead_of_a_guess(page) -> None:
    goto(page, "pictionary")
    page.get_by_text("Dibuja algo en el lienzo").first.wait_for()
    _draw(page, [np.array([[180.0, 180.0], [182.0, 181.0], [183.0, 183.0]])])  # a dot, as a mouse makes one
    page.get_by_text("Dibuja algo más").first.wait_for()
    assert page.locator('[data-testid="stMarkdownContainer"] h3').filter(has_text="Creo que es:").count() == 0
    tall_screenshot(page, "pictionary_dot", 1200)
    _draw(page, place(SHAPES["triangle"], x=60, y=60, size=200, seed=3, wobble=0.01))  # then a real drawing
    assert "triangle" in _guess(page)
    assert page.get_by_text("Dibuja algo más").count() == 0
    assert_no_exception(page)


def test_a_game_counts_down_and_plays_to_its_summary(page) -> None:
    goto(page, "pictionary")
    page.get_by_text("Juego (6 rondas)").click()
    wait_idle(page)
    easy = page.get_by_role("radio", name="Fácil")
    assert easy.is_checked()  # the default level: the classes the model recognises best
    page.get_by_role("button", name="Empezar partida").click()
    wait_idle(page)
    page.get_by_text("Ronda 1 de 6").first.wait_for()
    countdown = page.get_by_text(re.compile(r"Quedan \d+ s")).first
    countdown.wait_for()
    first = int(re.search(r"Quedan (\d+)", countdown.inner_text()).group(1))
    page.wait_for_timeout(2500)
    later = int(re.search(r"Quedan (\d+)", page.get_by_text(re.compile(r"Quedan \d+ s")).first.inner_text()).group(1))
    assert later < first  # the clock runs in the page, without any input

    # Round 1 runs out of time on its own (20 s): the page moves to round 2 by itself, and says so
    # in the page, beside the canvas, not in a toast over the controls.
    page.get_by_text("Ronda 2 de 6").first.wait_for(timeout=40_000)
    page.get_by_text(re.compile(r"Ronda 1: se acabó el tiempo")).first.wait_for()
    assert page.locator('[data-testid="stToast"]').count() == 0
    assert page.get_by_role("radio", name="Fácil").is_disabled()  # the level holds for the whole game
    tall_screenshot(page, "pictionary_round2", 1200)
    assert_no_exception(page)
    # A stroke in round 2 once the page has settled (the canvas loads its empty drawing as it
    # mounts, and a stroke finished before that is cleared, as a student drawing within a split
    # second of the round's start would see), then the remaining rounds are skipped. The stroke
    # gets the network's guess, or wins the round when the target happens to be a line.
    wait_idle(page)
    _draw(page, place(SHAPES["line"], x=60, y=150, size=200, seed=0, wobble=0.01))
    page.get_by_text("La red ve…").or_(page.get_by_text("Ronda 3 de 6")).first.wait_for()
    # Skip the rest. A round can also end on its own (its 20 s run out on a slow machine, or the
    # stroke wins it) between two clicks, so skip whatever round is on screen until the summary.
    summary = page.get_by_text(re.compile(r"Resultado: \d de 6")).first
    for _ in range(12):  # at most 5 rounds are left: bounded
        if summary.is_visible():
            break
        skip = page.get_by_role("button", name="Pasar")
        if skip.count():
            skip.first.click()
        wait_idle(page)
    summary.wait_for()
    marks = sum(page.locator(f"text={m}").count() for m in ("❌", "✅", "⏭️"))
    assert marks >= 6
    assert page.get_by_text("(saltada)").count() >= 1  # skipped rounds are skipped, not lost
    assert page.get_by_text(re.compile(r"\d saltadas?")).count() == 1  # the counts under the score
    assert page.locator('[data-testid="stToast"]').count() == 0
    assert page.get_by_text("La red vio:").count() == 6
    tall_screenshot(page, "pictionary_game", 1500)
    page.get_by_role("button", name="Jugar otra vez").click()
    wait_idle(page)
    page.get_by_text("Ronda 1 de 6").first.wait_for()
    assert_no_exception(page)
