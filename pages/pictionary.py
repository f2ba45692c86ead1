"""Pictionary: draw on a canvas and the Quick-Draw CNN guesses on every stroke; or play 6 rounds."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import streamlit as st

# Imported on every run (pages are re-executed), so tests can replace it with a stub.
from streamlit_drawable_canvas import st_canvas

from engine.errors import EngineError
from engine.inputs.images import to_png
from engine.render.annotate import caption_image
from engine.render.charts import score_bars
from engine.results import Classifications
from engine.tasks.fast import predict_compared
from engine.tasks.game import Game, new_game
from engine.tasks.sketch import (
    EASY,
    LEVELS,
    MEASURED_RATES,
    MODEL_ID,
    SIDE,
    SketchInput,
    SketchModel,
    Stroke,
    code_snippet,
    drawing_file,
    drawing_image,
    drawing_input,
    input_image,
    level_classes,
    predict,
    to_image,
    too_little,
)
from engine.timing import timed
from ui import deliverable
from ui.errors import show_error
from ui.fastmode import fast_model_for, fast_toggle, show_comparison
from ui.i18n import Caption, lang, t
from ui.layout import code_expander, how_it_works, md_escape, page_header
from ui.models import get_model
from ui.strings.pictionary import CLASS_ES
from ui.widgets import stand_in_notice

CANVAS_SIDE = 360
TOP_K = 5


# streamlit-drawable-canvas sends a stroke 200 ms after the pen is lifted (a debounce in its
# frontend, no parameter), which was 40 % of a pen-up's wait in Chromium. Its toolbar's "Update the
# app with this drawing" button sends at once and cancels the pending send, so this script presses
# it right after Fabric has added the stroke. If the button is not found (another version of the
# component), nothing changes: the component's own send still comes 200 ms later.
PEN_UP_JS = """
const SEND = 'button[aria-label="Update the app with this drawing"]';
export default function () {
  const w = window;
  if (!w.__penUpSender) {
    let root = null, moved = false;
    const down = (e) => {
      const el = e.composedPath()[0];
      root = el instanceof HTMLCanvasElement && el.classList.contains('upper-canvas') ? el : null;
      moved = false;
    };
    const move = () => { moved = root !== null; };
    const up = () => {
      let node = root;
      const drew = moved;
      root = null;
      if (!node || !drew) return;  // a click without a stroke: nothing new to send
      while (node && !(node.querySelector && node.querySelector(SEND))) node = node.parentNode;
      if (!node) return;
      const button = node.querySelector(SEND);
      // A task after this one: Fabric's own pointer-up handler has added the stroke by then.
      setTimeout(() => { button.click(); w.__penUpSends = (w.__penUpSends || 0) + 1; }, 0);
    };
    const cancel = () => { root = null; };
    const on = [['pointerdown', down], ['pointermove', move], ['pointerup', up], ['pointercancel', cancel]];
    on.forEach(([name, f]) => w.addEventListener(name, f, true));
    w.__penUpSender = { count: 0, off: () => on.forEach(([name, f]) => w.removeEventListener(name, f, true)) };
  }
  const sender = w.__penUpSender;
  sender.count += 1;
  return () => {
    sender.count -= 1;
    if (sender.count === 0 && w.__penUpSender === sender) { sender.off(); delete w.__penUpSender; }
  };
}
"""


@st.cache_resource(show_spinner=False)
def _pen_up_component() -> Callable[..., object]:
    """The pen-up sender, registered once per server (a component is registered by name)."""
    return st.components.v2.component("vision_pictionary_pen_up", js=PEN_UP_JS)


def pen_up_sender() -> None:
    """Mount the pen-up sender (no visible element): the canvas's stroke goes to the server at once."""
    _pen_up_component()(key="pic_pen_up", width="content", height="content")


def clock() -> float:
    """The game's clock (monotonic seconds; the game state keeps times from it)."""
    return time.monotonic()


def shown(label: str) -> str:
    """A class name as the model gives it, with its Spanish name beside it in Spanish."""
    spanish = CLASS_ES.get(label)
    return f"{label} · {spanish}" if lang() == "es" and spanish else label


def canvas_ui(key: str, stroke_width: int) -> dict | None:
    """The drawing canvas; returns its Fabric.js JSON (the strokes), ``None`` before any drawing."""
    result = st_canvas(
        stroke_width=stroke_width,
        stroke_color="#000000",
        background_color="#FFFFFF",
        height=CANVAS_SIDE,
        width=CANVAS_SIDE,
        drawing_mode="freedraw",
        update_streamlit=True,  # a rerun on every stroke: the guess follows the drawing
        key=key,
    )
    return result.json_data


def read_drawing(json_data: dict | None) -> SketchInput | None:
    """The model input of the drawing; ``None`` when empty, too little to guess or unusable (the
    page says which)."""
    try:
        drawing = drawing_input(json_data)
    except EngineError as exc:
        show_error(exc)
        return None
    if drawing is None:
        st.info(t("pictionary.draw_prompt"))  # nothing drawn: the model is not called
        return None
    if drawing.source == "strokes" and too_little(drawing.strokes, CANVAS_SIDE):
        # A dot or a dash fills the 28×28 input once scaled up: any guess would be a blob's.
        st.info(t("pictionary.draw_more"))
        return None
    return drawing


def guess(model: SketchModel, json_data: dict | None) -> tuple[SketchInput, Classifications, float] | None:
    """The drawing's input, the model's top-5 and its time in ms; ``None`` when there is nothing
    to guess or the call failed (the page has said why)."""
    drawing = read_drawing(json_data)
    if drawing is None:
        return None
    try:
        result, ms = timed(predict, model, drawing.x28, TOP_K)
    except EngineError as exc:  # remote inference (VISION_INFERENCE) can fail
        show_error(exc)
        return None
    return drawing, result, ms


def show_guesses(result: Classifications, drawing: SketchInput, ms: float, where: str, heading: str) -> None:
    """The one heading with the top guess (``heading``: a catalog key), the top-5 chart and table,
    and the 28×28 image the model saw."""
    label, score = result.top
    st.markdown("### " + t(heading, label=md_escape(shown(label)), score=f"{score:.0%}"))
    names = [shown(x) for x in result.labels]
    st.plotly_chart(
        score_bars(names, result.scores, title=t("pictionary.top_title"), x_title=t("common.probability")),
        width="stretch",
        key="pic_chart",
    )
    st.table(
        [
            {
                t("pictionary.col_rank"): i + 1,
                t("pictionary.col_label"): name,
                **({t("pictionary.col_es"): CLASS_ES.get(name, "")} if lang() == "es" else {}),
                t("pictionary.col_score"): f"{p:.1%}",
            }
            for i, (name, p) in enumerate(zip(result.labels, result.scores, strict=True))
        ]
    )
    st.image(to_image(drawing.x28, 6), caption=t("pictionary.model_sees"), width=168)
    st.caption(t("pictionary.model_sees_caption"))
    if drawing.source == "pixels":
        st.caption(t("pictionary.from_pixels"))
    st.caption(t("pictionary.source", where=t(f"common.where_{where}"), ms=ms))


def drawing_png(strokes: tuple[Stroke, ...]) -> bytes:
    """The drawing as the PNG the code snippet opens (what the download button gives)."""
    return to_png(drawing_image(strokes, (CANVAS_SIDE, CANVAS_SIDE)))


def _clear_canvas(counter: str) -> None:
    # A new key gives a new, empty canvas (the component keeps its drawing per key).
    st.session_state[counter] = st.session_state.get(counter, 0) + 1


@st.fragment
def free_mode(model: SketchModel, stroke_width: int) -> None:
    """The canvas and its guesses. A fragment: a stroke reruns only this, not the whole page (its
    explanations, settings, the list of classes, the code), so the guess follows the pen sooner."""
    left, right = st.columns([1, 1], gap="large")
    with left:
        json_data = canvas_ui(f"pic_canvas_{st.session_state.get('pic_canvas_n', 0)}", stroke_width)
        st.caption(t("pictionary.canvas_help"))
        st.button(t("pictionary.clear"), key="pic_clear", on_click=_clear_canvas, args=("pic_canvas_n",))
        fast_on = fast_toggle("pic")  # "Modo rápido": off by default (fp32)
    with right:
        free_guess(model, json_data, fast_on)
    # In the fragment, after the guess is recorded: a stroke's rerun updates the button too.
    deliverable.deliverable_button("pictionary")


def fast_guess(model: SketchModel, drawing: SketchInput) -> None:
    """ "Modo rápido": the fast copy's guess for the same input, its time next to fp32's and how they agree."""
    try:
        fast = fast_model_for(MODEL_ID, model, page="pictionary")
        if fast is None:
            return
        result, comparison = predict_compared(model, fast, drawing.x28, TOP_K)
    except EngineError as exc:
        show_error(exc)
        return
    label, score = result.top
    st.markdown(f"**{t('fastmode.result', mode=comparison.mode)}:** {md_escape(shown(label))} ({score:.0%})")
    show_comparison(comparison)


def free_guess(model: SketchModel, json_data: dict | None, fast_on: bool = False) -> None:
    """The guess for the drawing, recorded for the deliverable, and the drawing's PNG to download;
    with fast mode on, the fast copy's guess and its figures after it."""
    guessed = guess(model, json_data)
    if guessed is None:
        return
    drawing, result, ms = guessed
    show_guesses(result, drawing, ms, model.where, "pictionary.guess")
    if fast_on:
        fast_guess(model, drawing)
    # One run per canvas, its latest guess: the model's input (what the deliverable's script runs
    # on), the drawing as drawn and its 28×28 view.
    canvas = st.session_state.get("pic_canvas_n", 0)

    def free_entry() -> deliverable.Entry:
        shown = {"drawing": drawing_image(drawing.strokes, (CANVAS_SIDE, CANVAS_SIDE))} if drawing.strokes else {}
        shown["sketch28"] = to_image(drawing.x28, 6)
        name = drawing_file(lang())
        return deliverable.entry(
            name, input_image(drawing.x28), result.rows(), ms, model.model_id, {"top_k": TOP_K}, shown
        )

    deliverable.record(
        "pictionary",
        drawing.x28.tobytes(),
        free_entry,
        slot=("free", canvas),
    )
    if drawing.source == "strokes":  # the drawing as the PNG the code snippet opens
        strokes = drawing.strokes
        st.download_button(
            t("pictionary.download_drawing"),
            # Made on the click (Streamlit's deferred download), not on every stroke: drawing and
            # encoding it was a fifth of a pen-up's run on the server.
            lambda: drawing_png(strokes),
            file_name=drawing_file(lang()),
            mime="image/png",
            key="pic_dl_drawing",
            help=t("pictionary.download_drawing_help"),
            on_click="ignore",  # the download needs no rerun
        )


# --- the game -------------------------------------------------------------------------------


def _start_game(labels: tuple[str, ...]) -> None:
    # The level is read here, in the click's callback: the radio's value at the moment of the click.
    level = st.session_state.get("pic_level", LEVELS[0])
    st.session_state["pic_game"] = new_game(level_classes(level, labels), now=clock())
    st.session_state["pic_game_id"] = st.session_state.get("pic_game_id", 0) + 1


def _set_game(game: Game) -> None:
    """Store the new state (how the last round ended is read from it: :func:`last_round`)."""
    st.session_state["pic_game"] = game


# How a round ended, said in the page (a toast lingered over the controls into the next round).
ENDED_BOX = {"won": st.success, "lost": st.warning, "skipped": st.info}


def last_round(game: Game) -> None:
    """How the previous round ended, while the next one is played (nothing in round 1)."""
    ended = game.last_ended
    if ended is not None and ended.outcome in ENDED_BOX:
        ENDED_BOX[ended.outcome](t(f"game.ended_{ended.outcome}", n=game.index, label=md_escape(shown(ended.target))))


def _skip() -> None:
    _set_game(st.session_state["pic_game"].skip(clock()))


def _quit() -> None:
    st.session_state.pop("pic_game", None)


@st.fragment(run_every=1.0)
def countdown(game_id: int, index: int) -> None:
    """The seconds left, redrawn every second; when they run out, the whole page moves on."""
    game: Game | None = st.session_state.get("pic_game")
    if game is None or game.finished or st.session_state.get("pic_game_id") != game_id or game.index != index:
        return  # a stale timer of a round that has already ended
    now = clock()
    ticked = game.tick(now)
    if ticked is not game:
        _set_game(ticked)
        st.rerun()  # the next round needs a new canvas: rerun the whole page
    left = game.time_left(now)
    st.progress(left / game.seconds_per_round, text=t("game.time_left", s=math.ceil(left)))


def game_summary(game: Game, labels: tuple[str, ...]) -> None:
    st.subheader(t("game.summary", score=game.score, total=len(game.rounds)))
    st.caption(t("game.summary_counts", **game.counts()))
    for start in range(0, len(game.rounds), 3):
        for column, rnd in zip(st.columns(3), game.rounds[start : start + 3], strict=False):
            with column:
                st.markdown(f"**{md_escape(t(f'game.summary_{rnd.outcome}', label=shown(rnd.target)))}**")
                # An empty black square where nothing was drawn keeps the grid in line.
                drawing = rnd.drawing if rnd.drawing is not None else np.zeros((SIDE, SIDE), dtype=np.float32)
                st.image(to_image(drawing, 5), width=140)
                guess = shown(rnd.guess) + f" ({rnd.guess_score:.0%})" if rnd.guess else t("game.summary_nothing")
                st.caption(
                    t("game.summary_guess", guess=md_escape(guess)) + " · " + t("game.summary_time", s=rnd.seconds)
                )
    st.button(t("game.play_again"), key="pic_again", type="primary", on_click=_start_game, args=(labels,))


def game_entry(game: Game, model: SketchModel) -> deliverable.Entry:
    """A finished game for the deliverable: a row per round, each drawing, the summary as one picture."""
    rows = game.rows()
    drawn = [(f"{i}_{r.target}", r.drawing) for i, r in enumerate(game.rounds, 1) if r.drawing is not None]
    empty = np.zeros((SIDE, SIDE), dtype=np.float32)
    tiles = [
        caption_image(
            to_image(r.drawing if r.drawing is not None else empty, 5),
            f"{r.target}: {t(f'deliverable.outcome_{r.outcome}')}",  # the report's word for it
        )
        for r in game.rounds
    ]
    return deliverable.entry(
        t("game.summary", score=game.score, total=len(game.rounds)),
        [(name, input_image(x28)) for name, x28 in drawn],
        rows,
        None,
        model.model_id,
        {"top_k": TOP_K, "level": st.session_state.get("pic_level", LEVELS[0]), "score": game.score},
        {"summary": deliverable.grid(tiles)},
    )


def game_mode(model: SketchModel, stroke_width: int) -> None:
    game: Game | None = st.session_state.get("pic_game")
    if game is not None and (ticked := game.tick(clock())) is not game:
        _set_game(ticked)  # the time ran out while nothing reran the page
        game = ticked
    if game is None:
        st.markdown(t("game.intro"))
        st.button(t("game.start"), key="pic_start", type="primary", on_click=_start_game, args=(model.labels,))
        return
    if game.finished:
        game_summary(game, model.labels)
        deliverable.record(
            "pictionary", ("game", st.session_state.get("pic_game_id", 0)), lambda: game_entry(game, model)
        )
        return
    rnd = game.current
    game_id = st.session_state.get("pic_game_id", 0)
    # The round's heading, full width above the canvas, is written after the canvas, so the new,
    # empty canvas usually reaches the browser before "Ronda N" does: a stroke drawn the moment the
    # round shows then lands on this round's canvas, not on the last one, which is about to go
    # (measured: drawn at once, the stroke of round 2 was lost in 2 runs of 2 with the heading
    # first, and in 1 round of 9 with it after). A container, not st.empty, keeps the last heading
    # in place meanwhile, so the canvas does not jump under the pen.
    heading = st.container()
    left, right = st.columns([1, 1], gap="large")
    with left:
        countdown(game_id, game.index)
        json_data = canvas_ui(f"pic_game_canvas_{game_id}_{game.index}", stroke_width)
        asked = f"{CLASS_ES.get(rnd.target, rnd.target)} ({rnd.target})" if lang() == "es" else rnd.target
        with heading:
            st.markdown(
                f"**{t('game.round', n=game.index + 1, total=len(game.rounds))}** · "
                + t("game.score_so_far", score=game.score)
            )
            st.markdown("## " + t("game.draw_this", label=md_escape(asked)))
        skip_col, quit_col = st.columns(2)
        skip_col.button(t("game.skip"), key="pic_skip", on_click=_skip)
        quit_col.button(t("game.quit"), key="pic_quit", on_click=_quit)
    with right:
        last_round(game)  # beside the canvas, not above it: the canvas does not move when a round starts
        guessed = guess(model, json_data)
        if guessed is None:
            return
        drawing, result, ms = guessed
        label, score = result.top
        after = game.observe(label, score, clock(), drawing.x28)
        if after.index != game.index:
            _set_game(after)
            st.rerun()  # won (or out of time): straight on to the next round, with a new canvas
        st.session_state["pic_game"] = after
        show_guesses(result, drawing, ms, model.where, "game.thinking")  # one heading with the guess


page_header("pictionary")
how_it_works("pictionary")

controls = st.columns([2, 2, 1])
mode = controls[0].radio(
    t("pictionary.mode"),
    ["free", "game"],
    format_func=Caption("pictionary.mode_"),
    horizontal=True,
    key="pic_mode",
)
if mode == "game":
    playing: Game | None = st.session_state.get("pic_game")
    controls[1].radio(
        t("game.level"),
        LEVELS,
        format_func=Caption("game.level_"),
        horizontal=True,
        key="pic_level",
        help=t("game.level_help", easy=len(EASY), measured=len(MEASURED_RATES)),
        disabled=playing is not None and not playing.finished,  # a level is chosen for a whole game
    )
width = controls[2].slider(t("pictionary.stroke_width"), 3, 30, 10, key="pic_stroke", help=t("pictionary.stroke_help"))

try:
    sketch_model: SketchModel = get_model(MODEL_ID)
except EngineError as exc:
    show_error(exc)
else:
    stand_in_notice(sketch_model)  # a stand-in's guesses are random: say so before the game
    if mode == "free":
        free_mode(sketch_model, width)
    else:
        game_mode(sketch_model, width)
    with st.expander(t("pictionary.classes", n=len(sketch_model.labels))):
        st.markdown(md_escape(", ".join(shown(x) for x in sketch_model.labels)))

if mode == "game":  # free mode's button is in its fragment, so each stroke updates it
    deliverable.deliverable_button("pictionary")
code_expander(code_snippet(TOP_K, drawing_file(lang()), lang()))
pen_up_sender()  # last: its empty element adds no gap between the page's parts
