"""``python -m bench answer`` (``make bench-answer``): what a student waits for, in a real browser.

Two figures of issue "Speed where a student feels it", measured in Chromium (Playwright) against
``streamlit run Home.py`` on 127.0.0.1:

- **pen up to guess** (/pictionary, free mode): a stroke is drawn with the mouse; the time runs
  from the mouse button's release to the end of the run it starts (Streamlit's own script state,
  the ``data-test-script-state`` attribute, goes to ``running`` and back) plus one animation frame,
  so the new guess is on screen. Next to it, the model's own time, as the page prints it, so the
  rest is the page's share (the canvas's message, the rerun, the chart, the browser's drawing).
- **cold start**: for each page, a fresh server and a fresh browser; the time from opening the
  page to its first result with weights on disk (the page's default photo; the Pictionary's first
  stroke), i.e. imports + model load + first call + drawing. "Done" is the first moment after a run
  began that no run, spinner or status is on the page for a whole ``SETTLE_S``, minus that wait.

It writes p50/p95 (pen) and seconds (cold) with the CPU model, flags and load averages into
``bench/answer.json``. No test asserts a time; ``--quick`` (CI) draws 3 strokes and cold-starts
one page, into an ignored file.

Example:
    $ python -m bench answer --strokes 20
    $ python -m bench answer --quick --out .cache/answer-quick.json
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.browser import CHROMIUM_ARGS, chromium_path, free_port, start_server, stop_server
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


def cold_start(browser_path: str, page_path: str) -> dict[str, Any]:
    """A fresh server and browser: opening ``page_path`` to its first result (seconds)."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_server(port)
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
            error = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count() > 0
            browser.close()
        seconds = (settled_at or time.monotonic()) - start
        return {"page": page_path, "s": round(seconds, 2), "error": error}
    finally:
        stop_server(proc)


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench answer", description=__doc__.splitlines()[0])
    parser.add_argument("--strokes", type=int, default=20)
    parser.add_argument("--pages", nargs="+", default=list(COLD_PAGES), choices=list(COLD_PAGES))
    parser.add_argument("--quick", action="store_true", help="3 strokes and one cold page (CI)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.quick:
        args.strokes, args.pages = 3, ["classification"]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    chromium = chromium_path()
    if chromium is None:
        print("Chromium is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    load_start = _loadavg()
    cold = [cold_start(chromium, p) for p in args.pages]
    for row in cold:
        print(json.dumps(row), flush=True)
    port = free_port()
    proc = start_server(port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            pen = pen_up(browser, f"http://127.0.0.1:{port}", args.strokes)
            browser.close()
    finally:
        stop_server(proc)
    print(json.dumps(pen), flush=True)
    doc = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu": cpu_info(),
        "loadavg_start": load_start,
        "loadavg_end": _loadavg(),
        "pen_up": pen,
        "cold_start": cold,
        "note": "Chromium (Playwright) against streamlit run on 127.0.0.1; times include the browser's drawing.",
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"wrote {args.out}")
    ok = pen["n"] == args.strokes and not any(r["error"] for r in cold)
    return 0 if ok else 1
