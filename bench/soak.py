"""``python -m bench soak`` (``make bench-soak``): a class left running on one server.

Starts the real app (``streamlit run Home.py`` on 127.0.0.1) and drives S concurrent Chromium
sessions (Playwright, one browser context each) for D minutes. Each session stays one Streamlit
session (it moves between pages through the sidebar, as a student does) and does random actions
on every page, checking each result:

- ``classification``: upload a sample photo; the top label and score are the ones the engine
  gives for that photo (computed here first, with the same embedded EfficientNet-Lite0);
- ``pictionary``: clear the canvas, draw a triangle or a circle with the mouse; the guess names it
  (the real Quick, Draw! weights from ``VISION_MODELS_DIR``);
- ``detection``: upload a sample photo; YOLOv8n's object count is the engine's for that photo;
- ``video``: the sample clip at the page's defaults: YOLOv8n's detections, frames and most at once are the
  engine's for that clip, and the annotated video loads in the page;
- ``depth``: a new photo or the page opened again: the depth map and its table of values are drawn;
- ``segmentation``, ``zero_shot``, ``clip_workshop``: a new photo, new labels, or the page
  opened again; the result is drawn and consistent (CLIP scores sum to 1, one bar per label).
  These (and depth) run tiny random stand-ins of SegFormer, CLIP and Depth Anything (``tests/tiny``, as the test suite does:
  the real weights are not in ``../shared/models``), so their labels mean nothing.

After every action no exception box may be on the page. The server's RSS (process and children)
is sampled every few seconds. Before the clock starts, one session visits every page once (each
page's model loads then); the soak passes when no action failed and the RSS after the first minute
grew by less than 5 %. It writes
``bench/soak.json`` (``--quick``: 1 minute, 2 sessions, into an ignored file, which CI runs).

The server is sized as for the class on Community Cloud, not from this machine's RAM (on 24 GB every
session would get 64 MB, a budget the cloud's 2.7 GB cannot give 30 students): ``VISION_SESSION_MB`` and
``VISION_MODEL_BUDGET_MB`` are what :mod:`engine.settings` gives a 2.7 GB limit and a class of 30 (8 MB
and 1090 MiB), as :func:`bench.run.memory_report` does for the model budget; ``--session-mb`` overrides
the first. The garbage pacer's counters (:mod:`engine.serving.garbage`: collections, their time, the
objects found) are read from the server into the results.

Example:
    $ python -m bench soak --minutes 15 --sessions 8
    $ python -m bench soak --quick --out .cache/soak-quick.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load import DONE_JS, _loadavg, _Server, image_uploader
from bench.machine import cpu_info
from bench.run import CLOUD_LIMIT_MB
from engine import settings

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "soak.json"
PAGES = ("classification", "pictionary", "detection", "video", "segmentation", "zero_shot", "clip_workshop", "depth")
PHOTOS = ("cat", "coffee", "rocket", "motorcycle", "astronaut", "horse")
SHAPES = ("triangle", "circle")  # the browser test's strokes, which the real weights recognise
LABELS = ("cat", "dog", "car", "tree", "person", "horse", "rocket", "cup", "bird", "boat")
STEP_TIMEOUT_S = 240  # one action's wait (8 sessions on two busy cores, a model loading)
SAMPLE_S = 3.0  # RSS sampling period
GROWTH_GOAL = 0.05

# The run is over (no running icon) and nothing left over from the previous run is on the page.
SETTLED_JS = """() => !document.querySelector('[data-testid^="stStatusWidgetRunning"]')
    && !document.querySelector('[data-stale="true"]')"""
EXCEPTIONS_JS = """() => [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]')]
    .filter((el) => !el.closest('[data-stale="true"]')).map((el) => el.innerText.slice(0, 300))"""
# Fresh (not stale) elements matching a selector whose text contains a string: the action's own result.
FRESH_TEXT_JS = """([sel, text]) => !document.querySelector('[data-testid^="stStatusWidgetRunning"]')
    && [...document.querySelectorAll(sel)].some((el) => !el.closest('[data-stale="true"]') && el.innerText.includes(text))"""


def expected_results(tmp: Path) -> dict[str, dict[str, Any]]:
    """Every sample photo saved as PNG, with what the engine says about it (the soak's answers)."""
    from engine.inputs.samples import load_sample
    from engine.tasks.classification import classify, load_classifier
    from engine.tasks.detection import DetectionSettings, detect, load_detector

    classifier = load_classifier("efficientnet-lite0")
    detector = load_detector("ultralytics/yolov8n")
    out = {}
    for key in PHOTOS:
        image = load_sample(key)
        path = tmp / f"soak-{key}.png"
        image.save(path)
        label, score = classify(classifier, image, top_k=5).top
        found = detect(detector, image, **DetectionSettings().kwargs())  # the page's defaults
        out[key] = {"path": str(path), "label": label, "score": f"{score:.1%}", "objects": len(found)}
    out["video"] = expected_video(detector)
    return out


def expected_video(detector: Any) -> dict[str, Any]:
    """What /video shows for its sample clip at the page's defaults (YOLOv8n, stride 5, threshold
    0.5, tracking): the line "N detecciones en F fotogramas · máximo M a la vez"."""
    from engine.tasks.detection import DetectionSettings, detect
    from engine.tasks.video import detect_video, sample_clip
    from ui.i18n import translate

    result = detect_video(
        sample_clip(), lambda im: detect(detector, im, **DetectionSettings().kwargs()), model_id=detector.model_id
    )
    found = sum(len(frame.detections) for frame in result.frames)
    most = max((len(frame.detections) for frame in result.frames), default=0)
    return {"summary": translate("video.summary", "es", detections=found, n=len(result.frames), most=most)}


def models_dir(tmp: Path) -> str:
    """Real weights (../shared/models) first, then tiny stand-ins for the models not there."""
    import os

    from engine import settings
    from tests.tiny import build_models_dir

    tiny = build_models_dir(ROOT / ".cache" / "soak-tiny-models")
    return os.pathsep.join([*(str(p) for p in settings.models_dirs()), str(tiny)])


class _Student:
    """One browser session doing random actions; every action's outcome is a row."""

    def __init__(self, browser: Any, base: str, answers: dict[str, dict[str, Any]], seed: int) -> None:
        self.browser, self.base, self.answers = browser, base, answers
        self.rng = random.Random(seed)
        self.rows: list[dict[str, Any]] = []
        self.page: Any = None
        self.where = ""

    async def _settle(self) -> None:
        await self.page.wait_for_timeout(300)  # a click's rerun has started (or there is none)
        await self.page.wait_for_function(SETTLED_JS, timeout=STEP_TIMEOUT_S * 1000)

    async def _fresh(self, selector: str, text: str) -> None:
        await self.page.wait_for_function(FRESH_TEXT_JS, arg=[selector, text], timeout=STEP_TIMEOUT_S * 1000)

    async def _table(self, missing: str) -> None:
        """A fresh data frame on the page. Waited for, not counted: Streamlit loads the data frame's
        code on its first use in a page, so the element can come a moment after the run ends
        (a count read then failed one depth action in CI)."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        try:
            await self.page.wait_for_function(
                """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                    .some((el) => !el.closest('[data-stale="true"]'))""",
                timeout=30_000,
            )
        except PlaywrightTimeout as exc:  # say what was missing
            raise AssertionError(missing) from exc

    async def _go(self, path: str) -> None:
        """To ``path`` through the sidebar (the same Streamlit session), waiting for its title."""
        from ui.i18n import translate

        if self.where != path:
            link = self.page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]').first
            await link.click()
            await self._fresh('[data-testid="stMain"] h1', translate(f"{path}.title", "es"))
            await self._settle()
            self.where = path

    async def _upload(self, key: str, prefix: str) -> str:
        """A sample photo through the page's image uploader, under a name of its own."""
        # The source radio: it may be back on its sample (a page's widgets reset when left).
        # No photo uploader on the page: choose "Subir archivo" (a locator on the radio's own input never
        # matched, and waited out its whole time-out on every upload).
        if not await image_uploader(self.page).count():
            await self.page.get_by_text("Subir archivo").first.click()
            await self._settle()
        src = Path(self.answers[key]["path"])
        name = f"{prefix}-{self.rng.randrange(10**6):06d}-{key}.png"
        dst = src.with_name(name)
        dst.write_bytes(src.read_bytes())
        await image_uploader(self.page).set_input_files(str(dst))
        return name

    async def classification(self) -> str:
        key = self.rng.choice(PHOTOS)
        name = await self._upload(key, "cls")
        await self.page.wait_for_function(DONE_JS, arg=name, timeout=STEP_TIMEOUT_S * 1000)
        await self._settle()
        label = (await self.page.locator('[data-testid="stMetricValue"]').first.inner_text()).strip()
        score = (await self.page.locator('[data-testid="stMetricDelta"]').first.inner_text()).strip()
        want = self.answers[key]
        if label != want["label"] or want["score"] not in score:
            raise AssertionError(f"{key}: got {label} {score}, expected {want['label']} {want['score']}")
        return f"{key}: {label}"

    async def detection(self) -> str:
        key = self.rng.choice(PHOTOS)
        name = await self._upload(key, "det")
        await self.page.wait_for_function(DONE_JS, arg=name, timeout=STEP_TIMEOUT_S * 1000)
        await self._settle()
        n = self.answers[key]["objects"]
        caption = f"yolov8n: {n} objeto" if n else "yolov8n: 0 objetos"
        await self._fresh('[data-testid="stImageCaption"]', caption)
        return f"{key}: {n} objects"

    async def pictionary(self) -> str:
        from playwright.async_api import Error as PlaywrightError

        from tests.sketch_shapes import SHAPES as STROKES
        from tests.sketch_shapes import place

        surface = self.page.locator("canvas.upper-canvas").first
        clear = self.page.get_by_role("button", name="Borrar el dibujo")
        if await clear.count():
            old = await surface.element_handle() if await surface.count() else None
            await clear.first.click()
            await self._settle()
            if old is not None:
                # "Borrar" gives a new, empty canvas (a new key): strokes drawn on the old one while
                # the new one mounts are lost with it, as a student's would be (4 in the committed
                # soak). Draw once the old one is gone, as a student who sees the canvas blink does.
                await self.page.wait_for_function("(el) => !el.isConnected", arg=old, timeout=STEP_TIMEOUT_S * 1000)
        await self._fresh('[data-testid="stMarkdownContainer"]', "Dibuja algo en el lienzo")
        shape = self.rng.choice(SHAPES)
        where = {"triangle": {"x": 230, "y": 220, "size": 100, "seed": 3}, "circle": {"x": 15, "y": 15, "size": 300}}
        box = None
        for _ in range(10):  # bounded: the canvas may be re-mounted by a rerun between two calls
            try:
                await surface.wait_for(state="visible")
                await surface.scroll_into_view_if_needed()
                box = await surface.bounding_box()
            except PlaywrightError:  # detached between two calls: the next try finds the new one
                box = None
            if box is not None and box["width"] >= 300:
                break
            await self.page.wait_for_timeout(1000)
        if box is None:
            raise AssertionError("the canvas never showed")
        for stroke in place(STROKES[shape], wobble=0.01, **where[shape]):
            await self.page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
            await self.page.mouse.down()
            for x, y in stroke[1 :: max(1, len(stroke) // 40)]:
                await self.page.mouse.move(box["x"] + x, box["y"] + y, steps=2)
            await self.page.mouse.move(box["x"] + stroke[-1][0], box["y"] + stroke[-1][1])
            await self.page.mouse.up()
        await self._fresh('[data-testid="stMarkdownContainer"] h3', f"Creo que es: {shape}")
        await self._settle()
        return shape

    async def video(self) -> str:
        # The sample clip at the page's defaults: what the engine found in it, and a video that plays.
        await self._settle()
        want = self.answers["video"]["summary"]
        await self._fresh('[data-testid="stCaptionContainer"]', want)
        await self.page.wait_for_function(
            "() => [...document.querySelectorAll('video')].some((v) => v.readyState >= 1)",
            timeout=STEP_TIMEOUT_S * 1000,
        )
        return want

    async def depth(self) -> str:
        if self.rng.random() < 0.5:
            name = await self._upload(self.rng.choice(PHOTOS), "dep")
            await self._fresh('[data-testid="stImageCaption"]', name)
        await self._settle()
        await self._fresh('[data-testid="stMarkdownContainer"]', "Valores del mapa")
        await self._table("no table of the map's values")
        return "depth map"

    async def segmentation(self) -> str:
        if self.rng.random() < 0.5:
            name = await self._upload(self.rng.choice(PHOTOS), "seg")
            await self._fresh('[data-testid="stImageCaption"]', name)
        await self._settle()
        await self._fresh('[data-testid="stImageCaption"]', "Segmentos sobre la foto")
        await self._table("no table of segments")
        return "segmented"

    async def zero_shot(self) -> str:
        labels = self.rng.sample(LABELS, self.rng.randint(2, 6))
        box = self.page.locator('[data-testid="stTextArea"] textarea').first
        await box.fill(", ".join(labels))
        await box.press("Control+Enter")
        await self._settle()
        await self.page.wait_for_function(
            """(n) => { const p = document.querySelector('.js-plotly-plot');
                return p && p.data && p.data[0].y.length === n; }""",
            arg=len(labels),
            timeout=STEP_TIMEOUT_S * 1000,
        )
        scores = await self.page.evaluate("() => document.querySelector('.js-plotly-plot').data[0].x")
        if abs(sum(scores) - 1.0) > 1e-3:
            raise AssertionError(f"scores sum to {sum(scores)}")
        return f"{len(labels)} labels"

    async def clip_workshop(self) -> str:
        await self._settle()
        await self.page.locator(".js-plotly-plot").first.wait_for(timeout=STEP_TIMEOUT_S * 1000)
        cells = await self.page.evaluate("() => document.querySelector('.js-plotly-plot').data[0].z")
        if not cells or any(abs(sum(row) - 1.0) > 1e-4 for row in cells):
            raise AssertionError("the similarity rows do not sum to 1")
        return f"{len(cells)}x{len(cells[0])} heatmap"

    async def _act(self, path: str) -> None:
        """One action on ``path``: a row, failed when the result is wrong or an exception shows."""
        start = time.monotonic()
        row: dict[str, Any] = {"page": path, "start": round(start, 2)}
        try:
            await self._go(path)
            row["what"] = await getattr(self, path)()
            row["ok"] = True
        except Exception as exc:  # noqa: BLE001 - a wrong result or a time-out is a failed row
            row["ok"], row["detail"] = False, f"{type(exc).__name__}: {str(exc)[:300]}"
            self.where = ""  # the page may be anywhere now: navigate again
        try:
            row["exceptions"] = await self.page.evaluate(EXCEPTIONS_JS)
        except Exception as exc:  # noqa: BLE001 - a closed page
            row["exceptions"] = [f"page gone: {exc}"[:300]]
        row["s"] = round(time.monotonic() - start, 2)
        self.rows.append(row)

    async def warm(self) -> None:
        """Every page once, in order: each page's model is loaded before the soak's clock starts, so
        the RSS growth it measures is a leak's, not a first load's (a page first visited after the
        first minute made the growth look like 100 %)."""
        context = await self.browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = await context.new_page()
        self.page.set_default_timeout(STEP_TIMEOUT_S * 1000)
        try:
            await self.page.goto(self.base)
            await self._settle()
            for path in PAGES:
                await self._act(path)
        finally:
            await context.close()

    async def run(self, deadline: float) -> None:
        context = await self.browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = await context.new_page()
        self.page.set_default_timeout(STEP_TIMEOUT_S * 1000)
        try:
            await self.page.goto(self.base)  # Home first: a deep link on a fresh server skips the router
            await self._settle()
            while time.monotonic() < deadline:
                await self._act(self.rng.choice(PAGES))
        finally:
            await context.close()


def cloud_memory(session_mb: float | None = None) -> dict[str, str]:
    """The server's memory settings as on Community Cloud: the class's session budget and the model
    budget that :mod:`engine.settings` gives its 2.7 GB (``session_mb`` overrides the first).

    Example:
        >>> cloud_memory()  # a class of 30 (VISION_CLASS_SIZE)
        {'VISION_SESSION_MB': '8', 'VISION_MODEL_BUDGET_MB': '1090'}
        >>> cloud_memory(64)["VISION_SESSION_MB"]
        '64'
    """
    session = settings.default_session_mb(CLOUD_LIMIT_MB) if session_mb is None else session_mb
    return {
        "VISION_SESSION_MB": f"{session:g}",
        "VISION_MODEL_BUDGET_MB": f"{settings.default_model_budget_mb(CLOUD_LIMIT_MB):g}",
    }


def _growth(samples: list[tuple[float, float]], warmup_s: float) -> dict[str, Any]:
    """RSS after the warm-up: its median over the first 30 s after it, against the last 30 s and the peak."""
    after = [(t, mb) for t, mb in samples if t >= warmup_s]
    if len(after) < 4:
        return {"ref_mb": None, "end_mb": None, "peak_after_warmup_mb": None, "growth": None}
    t_end = after[-1][0]
    ref = statistics.median(mb for t, mb in after if t < warmup_s + 30)
    end = statistics.median(mb for t, mb in after if t > t_end - 30)
    peak = max(mb for _, mb in after)
    return {
        "ref_mb": round(ref),
        "end_mb": round(end),
        "peak_after_warmup_mb": round(peak),
        "growth": round(end / ref - 1, 4),
    }


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench soak", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15.0)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--warmup-s", type=float, default=60.0, help="RSS growth is measured after this")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--quick", action="store_true", help="1 minute, 2 sessions (CI): no RSS-growth or every-page goal"
    )
    parser.add_argument(
        "--session-mb",
        type=float,
        default=None,
        help="the server's VISION_SESSION_MB (default: the class's share on Community Cloud, "
        "engine.settings.default_session_mb of 2.7 GB and VISION_CLASS_SIZE)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.quick:
        args.minutes, args.sessions, args.warmup_s = 1.0, 2, 20.0
    # `timeout` (CI) sends SIGTERM: leave through the finally blocks, so the server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from bench.browser import CHROMIUM_ARGS, chromium_path

    chromium = chromium_path()
    if chromium is None:
        print("Chromium is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        answers = expected_results(Path(tmp))
        load_at_start = _loadavg()
        gc_stats = Path(tmp) / "gc.json"
        env = {
            "VISION_MODELS_DIR": models_dir(Path(tmp)),
            "VISION_OFFLINE": "1",
            **cloud_memory(args.session_mb),
            "VISION_GC_STATS": str(gc_stats),
        }
        server = _Server(env)
        samples: list[tuple[float, float]] = []
        stop = threading.Event()
        t0 = [time.monotonic()]  # reset when the warm-up visit is done: its samples have negative times

        snapshots: dict[str, Any] = {}

        def sample() -> None:
            while not stop.wait(SAMPLE_S):
                now = round(time.monotonic() - t0[0], 1)
                samples.append((now, round(server.rss_mb(), 1)))
                if now >= args.warmup_s and "after_warmup" not in snapshots and students:
                    snapshots["after_warmup"] = {"t_s": now, **server.memory_snapshot()}

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        students: list[_Student] = []
        warm = _Student(None, server.url, answers, args.seed - 1)
        try:
            from playwright.async_api import async_playwright

            async def main() -> None:
                async with async_playwright() as pw:
                    browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                    try:
                        warm.browser = browser
                        await warm.warm()
                        t0[0] = time.monotonic()
                        deadline = time.monotonic() + args.minutes * 60
                        students.extend(
                            _Student(browser, server.url, answers, args.seed + i) for i in range(args.sessions)
                        )
                        jobs = [asyncio.ensure_future(s.run(deadline)) for s in students]
                        # The last action of each may start just before the deadline: one step more.
                        _, late = await asyncio.wait(jobs, timeout=args.minutes * 60 + STEP_TIMEOUT_S + 60)
                        for job in late:
                            job.cancel()
                        await asyncio.gather(*late, return_exceptions=True)
                    finally:
                        await browser.close()

            asyncio.run(main())
        finally:
            stop.set()
            sampler.join(SAMPLE_S + 2)
            snapshots["end"] = {"t_s": round(time.monotonic() - t0[0], 1), **server.memory_snapshot()}
            stats = server.cache_stats()
            server.stop()
            pacer = json.loads(gc_stats.read_text()) if gc_stats.is_file() else {}
    rows = [dict(r, session=i) for i, s in enumerate(students) for r in s.rows]
    warm_rows = [dict(r, session="warm") for r in warm.rows]
    failed = [r for r in warm_rows + rows if not r["ok"] or r["exceptions"]]
    growth = _growth(samples, args.warmup_s)
    per_page = {
        p: {
            "actions": sum(r["page"] == p for r in rows),
            "failed": sum(r["page"] == p for r in failed),
            "median_s": round(statistics.median([r["s"] for r in rows if r["page"] == p] or [0]), 2),
        }
        for p in PAGES
    }
    goals = {
        "no_exception": not any(r["exceptions"] for r in warm_rows + rows),
        "every_result_right": all(r["ok"] for r in warm_rows + rows),
        # A minute of two sessions need not reach all six pages: --quick checks what it did.
        "every_page_visited": None if args.quick else all(v["actions"] for v in per_page.values()),
        "rss_growth_under_5pct": None
        if args.quick
        else (growth["growth"] is not None and growth["growth"] < GROWTH_GOAL),
    }
    result = {
        "schema": 1,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "client": "Chromium (Playwright), one browser context (one Streamlit session) per student",
        "cpu": cpu_info(),
        "loadavg_at_start": load_at_start,
        "loadavg_at_end": _loadavg(),
        "minutes": args.minutes,
        "sessions": args.sessions,
        "warmup_s": args.warmup_s,
        "session_mb": float(env["VISION_SESSION_MB"]),
        "memory": {
            "limit_mb": round(CLOUD_LIMIT_MB),
            "class_size": settings.class_size(),
            "model_budget_mb": float(env["VISION_MODEL_BUDGET_MB"]),
            "why": "sized as on Community Cloud (2.7 GB) for a class, not from this machine's RAM"
            if args.session_mb is None
            else "--session-mb",
        },
        "gc_pacer": pacer,
        "warm_up_visit": [{k: r.get(k) for k in ("page", "ok", "s", "what")} for r in warm_rows],
        "actions": len(rows),
        "failed": len(failed),
        "per_page": per_page,
        "rss": growth,
        # Which part grew: the anonymous memory against the files mapped, and Streamlit's own stores.
        "memory_snapshots": snapshots,
        "model_cache": stats,
        "goals": goals,
        "failures": failed[:20],
        "rss_samples": samples,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    keys = ("actions", "failed", "per_page", "rss", "memory_snapshots", "gc_pacer", "goals")
    print(json.dumps({k: result[k] for k in keys}, indent=1))
    for r in failed[:10]:  # in CI's log, not only in the results file (an ignored file there)
        print(f"FAILED {r['page']} (session {r['session']}, {r['s']} s): {r.get('detail')} {r['exceptions']}")
    print(f"wrote {args.out}")
    return 0 if all(v is not False for v in goals.values()) else 1
