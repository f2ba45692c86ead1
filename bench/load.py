"""``python -m bench load`` (``make bench-load``): what a class gets from one server.

Starts the real app (``streamlit run Home.py`` on 127.0.0.1), then for each N drives N concurrent
sessions with real browsers (Chromium through Playwright: one browser, one context per student),
each uploading its own photo several times to a page and waiting for its result to be drawn:

- ``classification``: the embedded EfficientNet-Lite0 (the page's default);
- ``detection``: Ultralytics YOLOv8n (the page's default; real weights from ``VISION_MODELS_DIR``).

Per N and page it writes p50/p95 of the time from upload to result, throughput (results per
second over the wall time of the round), errors, and the server's peak RSS, into
``bench/load.json``, and a plot of latency and throughput against N (``bench/load.png``).
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
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "load.json"
BUDGET_MB = 2500.0
PAGES = {
    # page path: (sample photos, the text a finished result shows)
    "classification": ("cat", "coffee", "rocket", "motorcycle", "astronaut", "horse"),
    "detection": ("motorcycle", "astronaut", "coffee", "cat", "rocket", "horse"),
}
TIMEOUT_S = 600


def cpu_info() -> dict[str, Any]:
    """The CPU model, its vector/matrix flags and the cores: recorded next to every figure."""
    import os

    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    model = fields.get("model name\t", fields.get("model name", platform.processor())).strip()
    flags = set(fields.get("flags\t\t", fields.get("flags", "")).split())
    wanted = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_int8")
    return {"model": model, "flags": [f for f in wanted if f in flags], "cores": os.cpu_count()}


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


async def _student(browser: Any, base: str, page_path: str, photos: list[Path], rounds: int) -> list[dict[str, Any]]:
    """One session: open the page, choose upload, then upload ``rounds`` photos one after another."""
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_S * 1000)
    out: list[dict[str, Any]] = []
    try:
        await page.goto(f"{base}/{page_path}")
        await page.locator('[data-testid="stMain"] h1').wait_for()
        await page.get_by_text("Subir archivo").first.click()
        for r in range(rounds):
            photo = photos[r % len(photos)]
            start = time.monotonic()
            try:
                await page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(photo))
                await page.wait_for_function(
                    """(name) => document.body.innerText.includes(name)
                        && (document.querySelector('[data-testid="stMetricValue"]')
                            || document.querySelector('[data-testid="stTable"]'))
                        && !/Running|Ejecut/i.test(
                            (document.querySelector('[data-testid="stStatusWidget"]') || {}).innerText || '')""",
                    arg=photo.name,
                )
                errors = await page.locator('[data-testid="stException"]').count()
                end = time.monotonic()
                out.append({"s": end - start, "error": errors > 0, "start": start, "end": end})
            except Exception as exc:  # noqa: BLE001 - a time-out or a closed page is an error row
                end = time.monotonic()
                out.append({"s": end - start, "error": True, "detail": str(exc)[:200], "start": start, "end": end})
    finally:
        await context.close()
    return out


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_level(chromium: str, base: str, page_path: str, n: int, rounds: int, tmp: Path) -> dict[str, Any]:
    """N sessions at once on one page; their timings."""
    from playwright.async_api import async_playwright

    from bench.browser import CHROMIUM_ARGS

    photos = _photos(tmp, page_path, n * rounds)

    async def main() -> list[list[dict[str, Any]]]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                jobs = [
                    _student(browser, base, page_path, photos[i * rounds : (i + 1) * rounds], rounds) for i in range(n)
                ]
                return await asyncio.wait_for(asyncio.gather(*jobs), timeout=TIMEOUT_S)
            finally:
                await browser.close()

    start = time.monotonic()
    per_session = asyncio.run(main())
    wall = time.monotonic() - start
    rows = [r for session in per_session for r in session]
    ok = [r["s"] for r in rows if not r["error"]]
    # Results per second from the first upload to the last result (browser start-up left out).
    span = (max(r["end"] for r in rows) - min(r["start"] for r in rows)) if rows else 0.0
    return {
        "page": page_path,
        "sessions": n,
        "rounds": rounds,
        "results": len(ok),
        "errors": len(rows) - len(ok),
        "p50_s": round(_percentile(ok, 0.5), 3),
        "p95_s": round(_percentile(ok, 0.95), 3),
        "mean_s": round(statistics.fmean(ok), 3) if ok else None,
        "wall_s": round(wall, 2),
        "throughput_per_s": round(len(ok) / span, 3) if span > 0 else 0.0,
    }


class _Server:
    """``streamlit run`` on a free port, with its RSS (process and children) sampled."""

    def __init__(self, env: dict[str, str] | None = None) -> None:
        import psutil

        from bench.browser import free_port, start_server

        self.port = free_port()
        self.proc = start_server(self.port, env)
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

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self.rss_mb())
            time.sleep(0.2)

    def reset_peak(self) -> None:
        self.peak_mb = self.rss_mb()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def goals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's goals, checked per page where the run has the N they need."""
    out: dict[str, Any] = {"errors": sum(r["errors"] for r in rows) == 0}
    for page in {r["page"] for r in rows}:
        by_n = {r["sessions"]: r for r in rows if r["page"] == page}
        if 1 in by_n and 16 in by_n:
            one, sixteen = by_n[1], by_n[16]
            out[f"{page}.throughput_16_vs_1"] = round(sixteen["throughput_per_s"] / one["throughput_per_s"], 2)
            out[f"{page}.p95_16_vs_fair_queue"] = round(sixteen["p95_s"] / (16 * one["p50_s"]), 2)
        if 32 in by_n:
            out[f"{page}.rss_32_mb"] = by_n[32]["server_peak_rss_mb"]
    return out


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    """Latency (p50, p95) and throughput against N, one line a page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for page in sorted({r["page"] for r in rows}):
        mine = sorted((r for r in rows if r["page"] == page), key=lambda r: r["sessions"])
        ns = [r["sessions"] for r in mine]
        ax1.plot(ns, [r["p50_s"] for r in mine], marker="o", label=f"{page} p50")
        ax1.plot(ns, [r["p95_s"] for r in mine], marker="x", linestyle="--", label=f"{page} p95")
        ax2.plot(ns, [r["throughput_per_s"] for r in mine], marker="o", label=page)
    for ax, title, unit in ((ax1, "Upload to result", "s"), (ax2, "Throughput", "results / s")):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("concurrent sessions (N)")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 2, 4, 8, 16, 32])
    parser.add_argument("--rounds", type=int, default=3, help="uploads per session at each N")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--quick", action="store_true", help="N = 1, 2 with one upload each (CI)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.quick:
        args.sessions, args.rounds = [1, 2], 1
    from bench.browser import chromium_path

    chromium = chromium_path()
    if chromium is None:
        print("Chromium is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    server = _Server()
    rows: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for page in args.pages:
                run_level(chromium, server.url, page, 1, 1, Path(tmp))  # warm: the page's model loads once
                for n in args.sessions:
                    server.reset_peak()
                    row = run_level(chromium, server.url, page, n, args.rounds, Path(tmp))
                    row["server_peak_rss_mb"] = round(server.peak_mb)
                    rows.append(row)
                    print(json.dumps(row), flush=True)
    finally:
        server.stop()
    result = {
        "schema": 1,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "client": "Chromium (Playwright), one browser context per session",
        "cpu": cpu_info(),
        "budget_mb": BUDGET_MB,
        "rows": rows,
        "goals": goals(rows),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    plot(rows, args.out.with_suffix(".png"))
    print(f"wrote {args.out} and {args.out.with_suffix('.png')}")
    return 0 if result["goals"]["errors"] else 1
