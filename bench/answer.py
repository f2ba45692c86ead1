"""``python -m bench answer`` (``make bench-answer``): what a student waits for, in a real browser.

Two figures of issue "Speed where a student feels it", measured in Chromium (Playwright) against
``streamlit run app.py`` on 127.0.0.1:

- **pen up to guess** (/pictionary, free mode): a stroke is drawn with the mouse; the time runs
  from the mouse button's release to the end of the run it starts (Streamlit's own script state,
  the ``data-test-script-state`` attribute, goes to ``running`` and back) plus one animation frame,
  so the new guess is on screen. Next to it, the model's own time, as the page prints it, so the
  rest is the page's share (the canvas's message, the rerun, the chart, the browser's drawing).
- **cold start**: for each page, a fresh server and a fresh browser; the time from opening the
  page to its first result with weights on disk (the page's default photo; the Pictionary's first
  stroke), i.e. imports + model load + first call + drawing. Twice: the page opened as soon as the
  server answers (the imports still running in app.py's warm start), and once the warm start is done
  (a class arriving at a server the teacher started: model load + first call + drawing). "Done" is the first moment after a run
  began that no run, spinner or status is on the page for a whole ``SETTLE_S``, minus that wait.

- **action to result** (every page): the page's main action (an upload, a slider step, a label
  edit, a palette, the compare toggle) repeated ``--repeats`` times, each a new one (another photo,
  another threshold, other labels), so no session cache turns it into a no-op; rows that measure a
  rerun of unchanged work on purpose (depth's palette, classification's compare toggle) say so. The time runs from the browser's own
  input event to the end of the last run it starts (no new run for ``QUIET_MS``) plus one animation
  frame. Next to it the model's own time as the page prints it (``Inferencia: 12 ms``; per frame ×
  frames on /video), and the overhead (wait − model): encoding images and charts, the rerun of the
  rest of the page, the websocket and the browser's drawing.

The server runs with ``VISION_MODELS_DIR`` = real weights (``../shared/models``) then tiny stand-ins
(``tests/tiny``, as bench/soak.py), ``VISION_OFFLINE=1``, so every page's default loads offline; the
stand-ins' times are those of tiny random models, not of the real ones (each row says which).

It writes p50/p95 with the CPU model, flags and load averages into ``bench/answer.json``. No test
asserts a time; ``--quick`` (CI) draws 3 strokes, cold-starts one page and does each action once,
into an ignored file.

Example:
    $ python -m bench answer --strokes 20 --repeats 5
    $ python -m bench answer --quick --out .cache/answer-quick.json
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.browser import CHROMIUM_ARGS, chromium_path, free_port, start_server, stop_server, wait_warm
from bench.load import _loadavg, _percentile
from bench.machine import cpu_info

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "answer.json"
SETTLE_S = 1.5
STEP_TIMEOUT_MS = 240_000  # a cold page on a busy 2-core machine
COLD_PAGES = (
    "classification",
    "pictionary",
    "detection",
    "video",
    "segmentation",
    "zero_shot",
    "clip_workshop",
    "depth",
)

# Resolves with performance.now() once a run has started and ended after it was armed (one more
# animation frame: the result is painted), or -1 when no run started within 5 s.
RUN_DONE_JS = """() => new Promise((resolve) => {
  const t0 = performance.now();
  const state = () => {
    const el = document.querySelector('[data-test-script-state]');
    return el ? el.getAttribute('data-test-script-state') : '';
  };
  let seen = false;
  const tick = () => {
    const s = state();
    if (s === 'running') seen = true;
    else if (seen) { requestAnimationFrame(() => resolve(performance.now())); return; }
    if (performance.now() - t0 > (seen ? 120000 : 5000)) { resolve(-1); return; }
    requestAnimationFrame(tick);
  };
  tick();
})"""

# True while anything says the page is still working: a run, a spinner, a progress status.
BUSY_JS = """() => {
  const el = document.querySelector('[data-test-script-state]');
  if (!el || el.getAttribute('data-test-script-state') === 'running') return true;
  return !!document.querySelector('[data-testid="stSpinner"], [data-testid^="stStatusWidgetRunning"]');
}"""

MODEL_MS = re.compile(r"·\s*([\d.,]+)\s*ms")
QUIET_MS = 400  # a run's end counts once no other run starts within this (an st.rerun, a fragment)

# Arms the timing of one action: the first input event after it (a key, a mouse press, a file
# input's change) is the action's start; window.__done resolves to {t0, end, runs}, ``end`` being
# one animation frame after the last run the action started ended (-1 when no run started in 8 s).
ARM_JS = """(quietMs) => {
  window.__t0 = null;
  const mark = () => { if (window.__t0 === null) window.__t0 = performance.now(); };
  for (const ev of ['keydown', 'mousedown', 'change', 'input']) document.addEventListener(ev, mark, {capture: true, once: true});
  const armed = performance.now();
  window.__done = new Promise((resolve) => {
    let runs = 0, running = false, lastEnd = 0, painted = -1;
    const check = () => {
      const el = document.querySelector('[data-test-script-state]');
      const s = el ? el.getAttribute('data-test-script-state') : '';
      if (s === 'running' && !running) { running = true; runs += 1; painted = -1; }
      else if (s !== 'running' && running) {
        running = false; lastEnd = performance.now();
        requestAnimationFrame(() => { if (!running) painted = performance.now(); });
      }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
    const poll = () => {
      check();
      const now = performance.now();
      if (runs && !running && painted > 0 && now - lastEnd >= quietMs) {
        obs.disconnect(); resolve({t0: window.__t0 === null ? armed : window.__t0, end: painted, runs}); return;
      }
      if (now - armed > (runs ? 300000 : 8000)) { obs.disconnect(); resolve({t0: armed, end: -1, runs}); return; }
      setTimeout(poll, 10);
    };
    poll();
  });
  return armed;
}"""

# The model's time as each page prints it, in fresh (not stale) captions; several models add up.
INFERENCE_MS = re.compile(r"(?:Inferencia|Inference):\s*([\d.,]+)\s*ms")
VIDEO_MS = re.compile(r"([\d.,]+)\s*ms (?:por fotograma|per frame)\s*\((\d+)")
WORKSHOP_MS = re.compile(r"^([\d.,]+)\s*ms · (?:imágenes|images)")
FRESH_CAPTIONS_JS = """() => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
  .filter((el) => !el.closest('[data-stale="true"]')).map((el) => el.innerText)"""
ERROR_JS = """() => [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]')]
  .filter((el) => !el.closest('[data-stale="true"]')).map((el) => el.innerText).join(' | ')"""


def _stroke(page: Any, i: int) -> None:
    """Press, move and hold the mouse for the ``i``-th stroke (a diagonal, a different place each time)."""
    box = page.locator("canvas.upper-canvas").first.bounding_box()
    x0, y0 = 40 + 20 * (i % 10), 40 + 16 * (i % 12)
    page.mouse.move(box["x"] + x0, box["y"] + y0)
    page.mouse.down()
    for k in range(1, 21):
        page.mouse.move(box["x"] + x0 + 7 * k, box["y"] + y0 + 5 * k)


def _model_ms(page: Any) -> float | None:
    """The model's time the Pictionary prints under its guess ("Pesos: … · 3 ms")."""
    for text in page.locator('[data-testid="stCaptionContainer"]').all_inner_texts():
        if (m := MODEL_MS.search(text)) and ("Pesos" in text or "Weights" in text):
            return float(m.group(1).replace(",", "."))
    return None


def pen_up(browser: Any, base: str, strokes: int, warm: int = 2) -> dict[str, Any]:
    """Pen up to new guess over ``strokes`` strokes (after ``warm`` untimed ones)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        page.goto(f"{base}/pictionary")
        page.locator("canvas.upper-canvas").first.wait_for()
        page.wait_for_function(f"() => !({BUSY_JS})()")
        times, model = [], []
        for i in range(warm + strokes):
            _stroke(page, i)
            armed = page.evaluate(f"() => {{ window.__done = ({RUN_DONE_JS})(); return performance.now(); }}")
            page.mouse.up()
            done = page.evaluate("() => window.__done")
            page.wait_for_timeout(300)
            if i >= warm and done > 0:
                times.append((done - armed) / 1000)
                if (ms := _model_ms(page)) is not None:
                    model.append(ms / 1000)
        return {
            "action": "pen up to new guess (/pictionary, free mode)",
            "n": len(times),
            "p50_s": round(statistics.median(times), 3) if times else None,
            "p95_s": round(_percentile(times, 0.95), 3) if times else None,
            "model_p50_s": round(statistics.median(model), 4) if model else None,
            "times_s": [round(x, 3) for x in times],
        }
    finally:
        context.close()


def cold_start(
    browser_path: str, page_path: str, env: dict[str, str] | None = None, *, after_warm: bool = False
) -> dict[str, Any]:
    """A fresh server (``env`` added to its environment) and browser: opening ``page_path`` to its
    first result (seconds); an error on the page is kept (its first 200 characters). The page opens
    as soon as the server answers, or with ``after_warm`` once its warm start (app.py) is done: a
    class arriving at a server the teacher started (``warm_s``: what the warm start took)."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_server(port, env)
    warm_s = wait_warm(port) if after_warm else None
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(STEP_TIMEOUT_MS)
            start = time.monotonic()
            page.goto(f"http://127.0.0.1:{port}/{page_path}")
            if page_path == "pictionary":  # its first result is the first stroke's guess
                page.locator("canvas.upper-canvas").first.wait_for()
                _stroke(page, 0)
                page.mouse.up()
            page.wait_for_function("() => document.querySelector('[data-test-script-state]') !== null")
            settled_at = None
            deadline = start + STEP_TIMEOUT_MS / 1000
            while time.monotonic() < deadline:
                busy = page.evaluate(BUSY_JS)
                now = time.monotonic()
                if busy:
                    settled_at = None
                elif settled_at is None:
                    settled_at = now
                elif now - settled_at >= SETTLE_S:
                    break
                page.wait_for_timeout(50)
            error = page.evaluate(ERROR_JS)[:200]
            browser.close()
        seconds = (settled_at or time.monotonic()) - start
        row = {"page": page_path, "s": round(seconds, 2), "error": bool(error), **({"detail": error} if error else {})}
        return {**row, "after_warm": after_warm, **({"warm_s": warm_s} if after_warm else {})}
    finally:
        stop_server(proc)


def printed_model_s(captions: list[str], kind: str) -> float | None:
    """The model's own time (seconds) in a page's captions: ``kind`` "inference" ("Inferencia: 12
    ms", summed over the models shown), "video" (ms per frame × frames) or "workshop" ("12 ms ·
    imágenes…"); ``None`` when the page printed none.

    Example:
        >>> printed_model_s(["Inferencia: 12 ms · Pesos", "Inference: 8 ms"], "inference")
        0.02
        >>> printed_model_s(["40 ms por fotograma (10 fotogramas analizados) · x"], "video")
        0.4
    """
    total, seen = 0.0, False
    for text in captions:
        if kind == "video":
            for ms, n in VIDEO_MS.findall(text):
                total, seen = total + float(ms.replace(",", "")) * int(n), True
        else:
            pattern = WORKSHOP_MS if kind == "workshop" else INFERENCE_MS
            for ms in pattern.findall(text.strip()):
                total, seen = total + float(ms.replace(",", "")), True
    return round(total / 1000, 4) if seen else None


def overhead(waits: list[float], models: list[float | None]) -> dict[str, float | None]:
    """p50/p95 of the waits, p50 of the model's time and of the rest (wait − model, per action)
    and that rest's share of the p50 wait. Actions whose model time is unknown count in the waits only.

    Example:
        >>> overhead([1.0, 2.0, 3.0], [0.5, 0.5, None])
        {'p50_s': 2.0, 'p95_s': 2.9, 'model_p50_s': 0.5, 'overhead_p50_s': 1.0, 'overhead_share': 0.5}
    """
    if not waits:
        return {"p50_s": None, "p95_s": None, "model_p50_s": None, "overhead_p50_s": None, "overhead_share": None}
    p50 = statistics.median(waits)
    known = [(w, m) for w, m in zip(waits, models, strict=True) if m is not None]
    model_p50 = statistics.median(m for _, m in known) if known else None
    rest = statistics.median(w - m for w, m in known) if known else None
    return {
        "p50_s": round(p50, 3),
        "p95_s": round(_percentile(waits, 0.95), 3),
        "model_p50_s": None if model_p50 is None else round(model_p50, 4),
        "overhead_p50_s": None if rest is None else round(rest, 3),
        "overhead_share": None if rest is None or p50 <= 0 else round(rest / p50, 2),
    }


def _key(page: Any, key: str) -> Any:
    """A widget by its Streamlit key (1.67 gives its container the class ``st-key-<key>``)."""
    return page.locator(f".st-key-{key}").first


def _idle(page: Any) -> None:
    page.wait_for_function(f"() => !({BUSY_JS})()")
    page.wait_for_timeout(300)


def _choose_upload(source_key: str) -> Callable[[Any], None]:
    def setup(page: Any) -> None:
        _key(page, source_key).get_by_text("Subir archivo").click()
        _idle(page)

    return setup


def _upload(uploader_key: str, photos: list[Path]) -> Callable[[Any, int], None]:
    def fire(page: Any, i: int) -> None:
        _key(page, uploader_key).locator('input[type="file"]').set_input_files(str(photos[i % len(photos)]))

    return fire


def _slider_step(key: str) -> tuple[Callable[[Any, int], None], Callable[[Any, int], None]]:
    """Focus the slider's thumb (untimed), then one step to the right: a new value every time."""
    return (
        lambda page, i: _key(page, key).locator('input[type="range"]').focus(),
        lambda page, i: page.keyboard.press("ArrowRight"),
    )


def _text_edit(key: str, texts: Callable[[int], str]) -> tuple[Callable[[Any, int], None], Callable[[Any, int], None]]:
    """Type the i-th text into a text area (untimed: no run until it is committed), then Ctrl+Enter."""
    return (
        lambda page, i: _key(page, key).locator("textarea").fill(texts(i)),
        lambda page, i: page.keyboard.press("Control+Enter"),
    )


def _toggle(key: str) -> Callable[[Any, int], None]:
    return lambda page, i: _key(page, key).locator('input[type="checkbox"]').click(force=True)


def _select_option(key: str) -> tuple[Callable[[Any, int], None], Callable[[Any, int], None]]:
    """Open the select box (untimed), then pick the next option than the one shown."""

    def prepare(page: Any, i: int) -> None:
        _key(page, key).locator('button[aria-haspopup="listbox"]').click()
        page.locator('[role="option"]').first.wait_for()

    def fire(page: Any, i: int) -> None:
        options = page.locator('[role="option"]')
        n = options.count()
        current = next((k for k in range(n) if options.nth(k).get_attribute("aria-selected") == "true"), 0)
        options.nth((current + 1) % n).click()

    return prepare, fire


@dataclass
class Action:
    """One page's action: ``setup`` once (untimed), then per repetition ``prepare`` (untimed) and
    ``fire`` (timed from its input event); ``model`` says how the page prints its model time,
    ``None`` for a rerun of unchanged work (the model does not run: its time is 0)."""

    page: str
    name: str
    fire: Callable[[Any, int], None]
    model: str | None = "inference"
    prepare: Callable[[Any, int], None] | None = None
    setup: Callable[[Any], None] | None = None
    warm: int = 1
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _photos(tmp: Path, n: int) -> list[Path]:
    """``n`` different JPEG photos (samples, then mirrored samples): no cache answers for any."""
    from engine.inputs.samples import load_sample

    keys = ("cat", "coffee", "rocket", "motorcycle", "astronaut", "horse")
    out = []
    for i in range(n):
        img = load_sample(keys[i % len(keys)]).convert("RGB")
        if (i // len(keys)) % 2:
            img = img.transpose(0)
        if i >= 2 * len(keys):
            img = img.rotate(i // (2 * len(keys)) * 2)
        path = tmp / f"a{i:02d}-{keys[i % len(keys)]}.jpg"
        img.save(path, quality=90)
        out.append(path)
    return out


def _labels(i: int) -> str:
    base = ["gato", "perro", "coche", "taza de café", "cohete", "caballo", "moto", "astronauta"]
    k = i % len(base)
    return ", ".join([*(base[k:] + base[:k])[:5], f"cosa {i}"])


def _descriptions(i: int) -> str:
    return "\n".join([f"una foto de un gato ({i})", "una taza de café", f"un cohete despegando {i}", "un caballo"])


def actions(photos: list[Path]) -> list[Action]:
    """Every page's measured actions (in the order they run)."""
    det_prepare, det_fire = _slider_step("det_conf")
    vid_prepare, vid_fire = _slider_step("vid_conf")
    zs_prepare, zs_fire = _text_edit("zs_labels", _labels)
    cw_prepare, cw_fire = _text_edit("cw_texts", _descriptions)
    cmap_prepare, cmap_fire = _select_option("depth_cmap")
    return [
        Action("classification", "upload a photo", _upload("cls_upload", photos), setup=_choose_upload("cls_source")),
        Action(
            "classification",
            "compare toggle (on, off, alternately; rerun of unchanged work)",
            _toggle("cls_compare"),
            warm=2,
            model=None,
            note="each model's result is the session's cached one after the warm-up toggles: no model call",
        ),
        Action("detection", "confidence slider, one step", det_fire, prepare=det_prepare),
        Action("detection", "upload a photo", _upload("det_upload", photos), setup=_choose_upload("det_source")),
        Action("segmentation", "upload a photo", _upload("seg_upload", photos), setup=_choose_upload("seg_source")),
        Action("zero_shot", "edit the labels (Ctrl+Enter)", zs_fire, prepare=zs_prepare),
        Action("clip_workshop", "edit the descriptions (Ctrl+Enter)", cw_fire, prepare=cw_prepare, model="workshop"),
        Action(
            "depth",
            "palette (rerun of unchanged work)",
            cmap_fire,
            prepare=cmap_prepare,
            model=None,
            note="the depth map is the session's cached one: no model call, only the recolouring and the page",
        ),
        Action("depth", "upload a photo", _upload("depth_upload", photos), setup=_choose_upload("depth_source")),
        Action("video", "confidence slider, one step", vid_fire, prepare=vid_prepare, model="video"),
    ]


def measure(browser: Any, base: str, action: Action, repeats: int, warm: int | None = None) -> dict[str, Any]:
    """``action`` on a fresh page, ``warm`` (default ``action.warm``) untimed times then ``repeats`` timed ones."""
    warm = action.warm if warm is None else warm
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    waits: list[float] = []
    models: list[float | None] = []
    runs: list[int] = []
    error = ""
    try:
        page.goto(f"{base}/{action.page}")
        page.locator('[data-testid="stMain"] h1').first.wait_for()
        _idle(page)
        if action.setup:
            action.setup(page)
        for i in range(warm + repeats):
            if action.prepare:
                action.prepare(page, i)
            page.evaluate(ARM_JS, QUIET_MS)
            action.fire(page, i)
            done = page.evaluate("() => window.__done")
            _idle(page)
            if error := page.evaluate(ERROR_JS)[:200]:
                break
            if i < warm or done["end"] < 0:
                continue
            waits.append((done["end"] - done["t0"]) / 1000)
            runs.append(done["runs"])
            shown = printed_model_s(page.evaluate(FRESH_CAPTIONS_JS), action.model) if action.model else 0.0
            models.append(shown)
    except Exception as exc:  # noqa: BLE001 - a step that failed is the row's error, the others still run
        error = f"{type(exc).__name__}: {exc}"[:200]
    finally:
        context.close()
    return {
        "page": action.page,
        "action": action.name,
        "n": len(waits),
        **overhead(waits, models),
        "runs_per_action": sorted(set(runs)),
        "times_s": [round(x, 3) for x in waits],
        "model_s": models,
        **({"note": action.note} if action.note else {}),
        **({"error": error} if error else {}),
    }


def server_env(tmp: Path) -> dict[str, str]:
    """Real weights then tiny stand-ins, offline (as bench/soak.py): every page's default loads.
    Run outside make (which exports it), ``../shared/models`` is still the real weights' place."""
    import os

    from bench.soak import models_dir

    shared = ROOT.parent / "shared" / "models"
    dirs = models_dir(tmp)
    if not os.environ.get("VISION_MODELS_DIR") and shared.is_dir():
        dirs = os.pathsep.join([str(shared), dirs])
    return {"VISION_MODELS_DIR": dirs, "VISION_OFFLINE": "1"}


def merge_into_results(doc: dict[str, Any], results: Path | None = None) -> bool:
    """``doc`` as the ``answer`` section of ``bench/results.json`` (the other sections kept); False
    when there is no results file yet (``python -m bench`` writes it)."""
    from bench.run import RESULTS, _saved

    path = results or RESULTS
    if not path.is_file():
        return False
    payload = json.loads(path.read_text())
    payload["answer"] = {"source": "bench/answer.json (python -m bench answer)", **doc}
    return _saved(payload, path)


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench answer", description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5, help="timed repetitions of each page's action")
    parser.add_argument("--pages", nargs="+", default=list(COLD_PAGES), choices=list(COLD_PAGES))
    parser.add_argument("--no-cold", action="store_true", help="skip the cold starts")
    parser.add_argument("--quick", action="store_true", help="3 strokes, one cold page, each action once (CI)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.quick:
        args.strokes, args.pages, args.repeats = 3, ["classification"], 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chromium = chromium_path()
    if chromium is None:
        print("Chromium is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    load_start = _loadavg()
    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(Path(tmp))
        cold = [] if args.no_cold else [cold_start(chromium, p, env) for p in args.pages]
        cold += [] if args.no_cold else [cold_start(chromium, p, env, after_warm=True) for p in args.pages]
        for row in cold:
            print(json.dumps(row), flush=True)
        photos = _photos(Path(tmp), 8)
        port = free_port()
        proc = start_server(port, env)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                base = f"http://127.0.0.1:{port}"
                pen = pen_up(browser, base, args.strokes)
                print(json.dumps(pen), flush=True)
                rows = []
                for action in actions(photos):
                    if action.page not in args.pages and not args.quick:
                        continue
                    rows.append(measure(browser, base, action, args.repeats, 0 if args.quick else None))
                    print(
                        json.dumps({k: v for k, v in rows[-1].items() if k not in ("times_s", "model_s")}), flush=True
                    )
                browser.close()
        finally:
            stop_server(proc)
    doc = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu_info(),
        "loadavg_start": load_start,
        "loadavg_end": _loadavg(),
        "pen_up": pen,
        "actions": rows,
        "cold_start": cold,
        "models": "VISION_MODELS_DIR: real weights from ../shared/models (EfficientNet-Lite0 is embedded, YOLOv8n, "
        "Quick, Draw!), tiny random stand-ins (tests/tiny) for SegFormer, CLIP, Depth Anything and the rest",
        "note": "Chromium (Playwright) against streamlit run on 127.0.0.1; times include the browser's drawing.",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"wrote {args.out}")
    if args.out.resolve() == OUT.resolve():  # the committed run: its figures beside the others, too
        merge_into_results(doc)
    ok = pen["n"] == args.strokes and not any(r["error"] for r in cold)
    ok = ok and all(r["n"] == args.repeats and "error" not in r for r in rows)
    return 0 if ok else 1
