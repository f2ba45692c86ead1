"""``python -m bench load`` (``make bench-load``): what a class gets from one server.

Starts the real app (``streamlit run Home.py`` on 127.0.0.1), then for each N drives N concurrent
sessions, each uploading its own photo several times to a page and waiting for its result. A session
speaks Streamlit's own websocket protocol (``--client ws``, the default: bench/wsclient.py), or is a
real browser (``--client browser``: Chromium through Playwright, one context per student; on two
cores 32 tabs compete with the server they measure, so use it for small N):

- ``classification``: the embedded EfficientNet-Lite0 (the page's default);
- ``detection``: Ultralytics YOLOv8n (the page's default; real weights from ``VISION_MODELS_DIR``).

Per N and page it writes p50/p95 of the time from upload to result, throughput (results per
second over the wall time of the round), errors, the server's peak RSS, the model cache's loads
and reloads (read from the file the server's cache writes, ``VISION_CACHE_STATS``) and the load
average at the start and end of the level (the machine may be shared), into ``bench/load.json``,
and a plot of latency, throughput and RSS against N (``bench/load.png``). At small N a level has
more rounds (``--min-results``) so its p50 is not one upload.
The goals (issue "A whole class on one server"): no errors; throughput at N=16 not below N=1;
p95 at N=16 within 1.3x of 16 x the single-session p50 (a fair queue, no collapse); RSS at N=32
under the 2.5 GB budget. ``--quick`` runs N = 1, 2 with one upload each (CI).

Example:
    $ python -m bench load --sessions 1 2 4 8 16 32 --rounds 3
    $ python -m bench load --quick --out /tmp/load.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.machine import cpu_info
from bench.wsclient import PHOTO_UPLOADER, ws_student

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "load.json"
BUDGET_MB = 2500.0
PAGES = {
    # page path: the sample photos its sessions upload (each its own variant, so no cache answers)
    "classification": ("cat", "coffee", "rocket", "motorcycle", "astronaut", "horse"),
    "detection": ("motorcycle", "astronaut", "coffee", "cat", "rocket", "horse"),
}
CLIENTS = {
    "ws": "Streamlit's websocket protocol (bench/wsclient.py): no browser rendering",
    "browser": "Chromium (Playwright), one browser context per session",
}
STEP_TIMEOUT_S = 180  # opening the page, a click (32 pages opening at once on two cores)
RESULT_TIMEOUT_S = 300  # one upload to its result: 32 sessions queued on two busy cores
LEVEL_TIMEOUT_S = 1800  # a whole level; what has not finished by then counts as errors
# A result is done when the run is over (no running icon in the status widget: its text is only
# "Stop", so matching "Running" never saw a run) and the page shows, in elements that are not left
# over from the previous run (Streamlit marks those data-stale until replaced), this photo's name
# in the input's caption (classification) or the comparison table (detection) and the result. The
# old wait matched the uploader's own file name and any stale table, and on /detection it never
# ended when the model was missing (an error box instead of a table): errors now end it too.
DONE_JS = """(name) => {
    if (document.querySelector('[data-testid^="stStatusWidgetRunning"]')) return false;
    const fresh = (sel) => [...document.querySelectorAll(sel)].filter((el) => !el.closest('[data-stale="true"]'));
    if (fresh('[data-testid="stException"], [data-testid="stAlertContentError"]').length) return 'error';
    const named = fresh('[data-testid="stImageCaption"], [data-testid="stTable"]').some((el) => el.innerText.includes(name));
    const result = fresh('[data-testid="stMetricValue"], [data-testid="stTable"]').length > 0;
    return named && result ? 'ok' : false;
}"""


def image_uploader(page: Any) -> Any:
    """The photo uploader's file input (never another uploader of the page); Playwright waits for it."""
    return (
        page.locator('[data-testid="stFileUploader"]')
        .filter(has_text=PHOTO_UPLOADER)
        .locator('[data-testid="stFileUploaderDropzoneInput"]')
        .first
    )


def _photos(tmp: Path, page: str, n: int) -> list[Path]:
    from engine.inputs.samples import load_sample

    keys = PAGES[page]
    out = []
    for i in range(n):
        img = load_sample(keys[i % len(keys)])
        if (i // len(keys)) % 2:
            img = img.transpose(0)  # mirrored: another image, so no cache answers for it
        img = img.rotate(i // (2 * len(keys)) * 2, expand=False)  # and beyond, slightly rotated
        path = tmp / f"s{i:02d}-{keys[i % len(keys)]}.png"
        img.save(path)
        out.append(path)
    return out


async def _student(
    browser: Any, base: str, page_path: str, photos: list[Path], rounds: int, out: list[dict[str, Any]]
) -> None:
    """One session: open the page, choose upload, then upload ``rounds`` photos one after another.

    Rows go into ``out`` as they finish, so a level cut short by its time-out keeps them.
    """
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_S * 1000)
    closes: list[float] = []  # websocket drops: a reconnected session may lose the run it was waiting for
    page.on("websocket", lambda ws: ws.on("close", lambda _: closes.append(time.monotonic())))
    try:
        try:
            await page.goto(f"{base}/{page_path}")
            await page.locator('[data-testid="stMain"] h1').wait_for()
            await page.get_by_text("Subir archivo").first.click()
        except Exception as exc:  # noqa: BLE001 - a page that never opened: every upload is an error row
            now = time.monotonic()
            out.extend({"s": 0.0, "error": True, "detail": str(exc)[:200], "start": now, "end": now} for _ in photos)
            return
        for r in range(rounds):
            photo = photos[r % len(photos)]
            start = time.monotonic()
            try:
                await image_uploader(page).set_input_files(str(photo))
                done = await page.wait_for_function(DONE_JS, arg=photo.name, timeout=RESULT_TIMEOUT_S * 1000)
                end = time.monotonic()
                state = await done.json_value()
                row = {"s": end - start, "error": state != "ok", "start": start, "end": end}
                if state != "ok":
                    row["detail"] = (await page.locator('[data-testid="stMain"]').inner_text())[-300:]
                out.append(row)
            except Exception as exc:  # noqa: BLE001 - a time-out or a closed page is an error row
                end = time.monotonic()
                detail = f"{str(exc)[:160]} (websocket drops so far: {len(closes)})"
                out.append({"s": end - start, "error": True, "detail": detail, "start": start, "end": end})
    finally:
        await context.close()


def _loadavg() -> list[float]:
    """The 1, 5 and 15-minute load averages (the machine is shared: say how busy it was)."""
    import os

    return [round(x, 2) for x in os.getloadavg()]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_level(
    chromium: str, base: str, page_path: str, n: int, rounds: int, tmp: Path, client: str = "ws"
) -> dict[str, Any]:
    """N sessions at once on one page (``client``: "ws", Streamlit's protocol, or "browser"); their timings."""
    from playwright.async_api import async_playwright

    from bench.browser import CHROMIUM_ARGS

    photos = _photos(tmp, page_path, n * rounds)

    rows: list[dict[str, Any]] = []

    async def over_ws() -> None:
        jobs = [
            asyncio.ensure_future(
                ws_student(base, page_path, photos[i * rounds : (i + 1) * rounds], rounds, rows, RESULT_TIMEOUT_S)
            )
            for i in range(n)
        ]
        _, late = await asyncio.wait(jobs, timeout=LEVEL_TIMEOUT_S)
        for job in late:
            job.cancel()
        await asyncio.gather(*late, return_exceptions=True)

    async def main() -> None:
        if client == "ws":
            await over_ws()
            return
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                jobs = [
                    asyncio.ensure_future(
                        _student(browser, base, page_path, photos[i * rounds : (i + 1) * rounds], rounds, rows)
                    )
                    for i in range(n)
                ]
                _, late = await asyncio.wait(jobs, timeout=LEVEL_TIMEOUT_S)
                for job in late:
                    job.cancel()
                await asyncio.gather(*late, return_exceptions=True)
            finally:
                await browser.close()

    import resource

    def cpu_s() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    start, cpu_start = time.monotonic(), cpu_s()
    asyncio.run(main())
    wall = time.monotonic() - start
    client_cpu = cpu_s() - cpu_start  # the clients share the server's cores: say how much they took
    missing = n * rounds - len(rows)  # uploads a level's time-out cut off
    ok = [r["s"] for r in rows if not r["error"]]
    # Results per second from the first upload to the last result (browser start-up left out).
    span = (max(r["end"] for r in rows) - min(r["start"] for r in rows)) if rows else 0.0
    return {
        "page": page_path,
        "sessions": n,
        "rounds": rounds,
        "results": len(ok),
        "errors": len(rows) - len(ok) + missing,
        "error_details": sorted({r["detail"] for r in rows if r.get("detail")})[:3],
        "p50_s": round(_percentile(ok, 0.5), 3) if ok else None,  # None, not NaN: strict JSON
        "p95_s": round(_percentile(ok, 0.95), 3) if ok else None,
        "mean_s": round(statistics.fmean(ok), 3) if ok else None,
        "wall_s": round(wall, 2),
        "throughput_per_s": round(len(ok) / span, 3) if span > 0 else 0.0,
        "client_cpu_s": round(client_cpu, 2),  # this process (ws clients; browsers run in their own)
    }


class _Server:
    """``streamlit run`` on a free port, with its RSS (process and children) sampled."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        import psutil

        from bench.browser import free_port, start_server

        self.port = free_port()
        # The model cache's counters (loads, reloads, evictions): the app rewrites this file after
        # each load or eviction (engine.settings.cache_stats_file), so no endpoint is needed.
        self._stats_dir = tempfile.TemporaryDirectory(prefix="load-cache-stats-")
        self.stats_path = Path(self._stats_dir.name) / "model-cache.json"
        self.proc = start_server(self.port, {"VISION_CACHE_STATS": str(self.stats_path), **(env or {})})
        self.ps = psutil.Process(self.proc.pid)
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self) -> float:
        import psutil

        try:
            procs = [self.ps, *self.ps.children(recursive=True)]
            return sum(p.memory_info().rss for p in procs) / 2**20
        except psutil.Error:
            return 0.0

    def anon_mb(self) -> float:
        """The server process's anonymous RSS (heap, tensors), MB; 0 where /proc is not there."""
        from bench.app_probe import anon_mb

        return anon_mb(self.proc.pid)

    def streamlit_caches_mb(self) -> dict[str, float]:
        """What Streamlit's own stores hold, MB per kind (media files, uploaded files, session state,
        ``st.cache_*``), from its ``/_stcore/metrics`` endpoint's ``cache_memory_bytes`` family."""
        import urllib.request

        totals: dict[str, float] = {}
        try:
            address = f"{self.url}/_stcore/metrics?families=cache_memory_bytes"  # http://127.0.0.1 only
            with urllib.request.urlopen(address, timeout=10) as r:  # noqa: S310
                text = r.read().decode()
        except OSError:
            return totals
        for line in text.splitlines():
            if not line.startswith("cache_memory_bytes{"):
                continue
            labels, _, value = line.rpartition(" ")
            kind = labels.split('cache_type="', 1)[1].split('"', 1)[0] if 'cache_type="' in labels else "other"
            totals[kind] = round(totals.get(kind, 0.0) + float(value) / 2**20, 2)
        return totals

    def memory_snapshot(self) -> dict[str, Any]:
        """RSS, anonymous RSS and Streamlit's stores, now (the soak takes one after its first minute
        and one at the end, to say which grew)."""
        return {
            "rss_mb": round(self.rss_mb(), 1),
            "anon_mb": round(self.anon_mb(), 1),
            "streamlit_caches_mb": self.streamlit_caches_mb(),
        }

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.rss_mb())
            time.sleep(0.2)

    def reset_peak(self) -> None:
        self.peak_mb = self.rss_mb()

    def cache_stats(self) -> dict[str, Any]:
        """The server's model-cache counters so far (zeros before its first load)."""
        try:
            return json.loads(self.stats_path.read_text())
        except (OSError, ValueError):
            return {"loads": 0, "reloads": 0, "evictions": 0}

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._stats_dir.cleanup()


def goals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's goals, checked per page where the run has the N they need."""
    out: dict[str, Any] = {
        "errors": sum(r["errors"] for r in rows) == 0,
        "model_reloads": sum(r.get("model_reloads", 0) for r in rows),
    }
    for page in {r["page"] for r in rows}:
        by_n = {r["sessions"]: r for r in rows if r["page"] == page}
        if 1 in by_n and 16 in by_n:
            one, sixteen = by_n[1], by_n[16]
            out[f"{page}.throughput_16_vs_1"] = round(sixteen["throughput_per_s"] / one["throughput_per_s"], 2)
            if sixteen["p95_s"] is not None and one["p50_s"]:  # a level with no result has no p95
                out[f"{page}.p95_16_vs_fair_queue"] = round(sixteen["p95_s"] / (16 * one["p50_s"]), 2)
        if 32 in by_n:
            out[f"{page}.rss_32_mb"] = by_n[32]["server_peak_rss_mb"]
    return out


def plot(rows: list[dict[str, Any]], path: Path, title: str = "") -> None:
    """Latency (p50, p95, and the fair queue's N x single-session p50), throughput and server RSS
    against N, one colour a page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(15, 4.6))
    colours = dict(zip(sorted({r["page"] for r in rows}), ("tab:blue", "tab:orange", "tab:green"), strict=False))
    for page, colour in colours.items():
        mine = sorted((r for r in rows if r["page"] == page), key=lambda r: r["sessions"])
        ns = [r["sessions"] for r in mine]
        p50 = [math.nan if r["p50_s"] is None else r["p50_s"] for r in mine]  # a level with no result: a gap
        p95 = [math.nan if r["p95_s"] is None else r["p95_s"] for r in mine]
        ax1.plot(ns, p50, marker="o", color=colour, label=f"{page} p50")
        ax1.plot(ns, p95, marker="x", linestyle="--", color=colour, label=f"{page} p95")
        one = next((r for r in mine if r["sessions"] == 1), None)
        if (
            one is not None and one["p50_s"]
        ):  # what a fair queue of one-at-a-time jobs gives: N x the single-session p50
            ax1.plot(
                ns, [n * one["p50_s"] for n in ns], linestyle=":", color=colour, alpha=0.6, label=f"{page} N x p50(1)"
            )
        ax2.plot(ns, [r["throughput_per_s"] for r in mine], marker="o", color=colour, label=page)
        ax3.plot(ns, [r["server_peak_rss_mb"] for r in mine], marker="o", color=colour, label=page)
        top = max((v for v in p95 if not math.isnan(v)), default=1.0)
        for n, r, y in zip(ns, mine, p95, strict=True):
            if r.get("errors"):
                at = top if math.isnan(y) else y  # no result at all: marked at the page's top
                ax1.annotate(
                    f"{page[:3]}: {r['errors']}/{r['errors'] + r['results']} err", (n, at), color=colour, fontsize=7
                )
    ax3.axhline(BUDGET_MB, color="red", linestyle="--", linewidth=1, label=f"budget {BUDGET_MB:.0f} MB")
    panels = (
        (ax1, "Upload to result", "seconds"),
        (ax2, "Throughput", "results / s"),
        (ax3, "Server peak RSS", "MB"),
    )
    for ax, name, unit in panels:
        ax.set_xscale("log", base=2)
        ax.set_xticks(sorted({r["sessions"] for r in rows}))
        ax.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
        ax.set_xlabel("concurrent sessions (N)")
        ax.set_ylabel(unit)
        ax.set_title(name)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    ax1.set_yscale("log")
    ax2.set_ylim(bottom=0)
    ax3.set_ylim(0, BUDGET_MB * 1.1)
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 2, 4, 8, 16, 32])
    parser.add_argument("--rounds", type=int, default=2, help="uploads per session at each N")
    parser.add_argument(
        "--min-results",
        type=int,
        default=6,
        help="at small N, more rounds until a level has this many results (a p50 of one upload is noise)",
    )
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--quick", action="store_true", help="N = 1, 2 with one upload each (CI)")
    parser.add_argument(
        "--client",
        choices=["ws", "browser"],
        default="ws",
        help="ws: Streamlit's websocket protocol (bench/wsclient.py; 32 sessions cost the server's cores "
        "nothing but their messages); browser: one Chromium context per session (renders the page too, "
        "and on 2 cores the tabs compete with the server they measure)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--inference", help="the app server sends its inferences to this Ray Serve app (VISION_INFERENCE=URL)"
    )
    parser.add_argument(
        "--serve-replicas",
        type=int,
        default=0,
        help="start a local Ray Serve app with this many replicas per model and point the app server at it",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sessions, args.rounds, args.min_results = [1, 2], 1, 1
    # `timeout` (CI) sends SIGTERM: leave through the finally blocks, so the server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from bench.browser import chromium_path

    chromium = chromium_path() or ""
    if not chromium and args.client == "browser":
        print("Chromium is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    load_at_start = _loadavg()
    serve_app = None
    if args.serve_replicas:  # the same curve against Serve: its replicas share the machine's cores
        from engine.models import registry
        from engine.serving.serve_app import LocalServe

        task_of = {t.page: t.id for t in registry.TASKS.values()}
        models = [registry.default_for(task_of[page]).id for page in args.pages]
        cpus = max(0.5, (cpu_info()["cores"] or 2) / (args.serve_replicas * len(models)))
        serve_app = LocalServe(models, replicas=args.serve_replicas, num_cpus=cpus)
        args.inference = serve_app.start()
    # Remote inference uses no local core: as many calls at once as the Serve app has replicas.
    remote = {"VISION_INFERENCE": args.inference, "VISION_QUEUE_SLOTS": str(max(2, args.serve_replicas))}
    server = _Server(remote if args.inference else None)
    rows: list[dict[str, Any]] = []
    final_stats: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for page in args.pages:
                run_level(chromium, server.url, page, 1, 1, Path(tmp), args.client)  # warm: the page's model loads once
                for n in args.sessions:
                    server.reset_peak()
                    before, load_start = server.cache_stats(), _loadavg()
                    rounds = max(args.rounds, math.ceil(args.min_results / n))
                    row = run_level(chromium, server.url, page, n, rounds, Path(tmp), args.client)
                    after = server.cache_stats()
                    row["server_peak_rss_mb"] = round(server.peak_mb)
                    # Loads of a model loaded before (evicted meanwhile): the budget's cost to this level.
                    row["model_reloads"] = after.get("reloads", 0) - before.get("reloads", 0)
                    row["model_loads"] = after.get("loads", 0) - before.get("loads", 0)
                    row["loadavg_start"], row["loadavg_end"] = load_start, _loadavg()
                    rows.append(row)
                    print(json.dumps(row), flush=True)
                    # After every level: a long curve stopped early still leaves what it measured.
                    write_result(args, rows, load_at_start, server.cache_stats(), partial=True)
            final_stats = server.cache_stats()
    finally:
        server.stop()
        if serve_app is not None:
            serve_app.stop()
    result = write_result(args, rows, load_at_start, final_stats)
    print(f"wrote {args.out} and {args.out.with_suffix('.png')}")
    return 0 if result["goals"]["errors"] else 1


def write_result(
    args: argparse.Namespace,
    rows: list[dict[str, Any]],
    load_at_start: list[float],
    final_stats: dict[str, Any],
    partial: bool = False,
) -> dict[str, Any]:
    """``args.out`` (JSON) and its plot (PNG) from the levels measured so far."""
    from engine import settings

    result = {
        "schema": 1,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "client": CLIENTS[args.client],
        "cpu": cpu_info(),
        # Other work shares this machine (the 1-minute load average is recorded at the start and end
        # of every level): figures from a busy machine are slower than from an idle one.
        "loadavg_at_start": load_at_start,
        "budget_mb": BUDGET_MB,
        "model_budget_mb": settings.model_budget_mb(),
        "model_cache": final_stats,
        "inference": {"url": args.inference, "serve_replicas": args.serve_replicas} if args.inference else "local",
        "partial": partial,
        "rows": rows,
        "goals": goals(rows),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    load = [round(r[k][0], 1) for r in rows for k in ("loadavg_start", "loadavg_end")]
    plot(
        rows,
        args.out.with_suffix(".png"),
        f"{result['cpu']['model']}, {result['cpu']['cores']} cores; clients: {args.client}, same machine; 1-min load average "
        f"{min(load, default=0)}-{max(load, default=0)} during the levels; {result['when']}",
    )
    return result
