"""The app probe of ``make bench``: drives the real app with Streamlit's AppTest in a fresh process.

Run by :func:`bench.run.memory_report` and :func:`bench.run.home_report` as
``python bench/app_probe.py MODE ROOT OUT [PAGES_JSON]``: opens Home (time to first render, the
heavy modules it imported), and with ``MODE=all`` visits every page with its default model, then
its compare modes (the default pair, then every model), sampling the process RSS every 50 ms.
Writes a JSON object to ``OUT``. It lives outside ``engine/`` because the engine never imports
Streamlit (tests/test_foundation.py checks every engine module's imports).

Example:
    $ python bench/app_probe.py home . /tmp/home.json
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from collections.abc import Callable
from typing import Any


def anon_mb(pid: int | str = "self") -> float:
    """The anonymous RSS in MB of this process (or ``pid``'s: heap, tensors; Linux only, else 0):
    the pages a memory limit cannot reclaim, unlike the shared libraries' file pages (torch's CUDA
    build maps ~0.4 GB of them on import)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler:
    """The process's peak RSS (MB), sampled every 50 ms on a background thread."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.peak = 0.0
        self.peak_anon = 0.0
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def rss_mb(self) -> float:
        return self.proc.memory_info().rss / 2**20

    def anon_mb(self) -> float:
        return anon_mb()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss_mb())
            self.peak_anon = max(self.peak_anon, self.anon_mb())
            self._stop.wait(0.05)

    def stop(self) -> None:
        self._stop.set()


def errors(at: Any) -> list[str]:
    """The page's exceptions and error boxes."""
    found = [e.message for e in at.exception]
    found += ["error: " + str(e.value)[:200] for e in at.error]
    return found


def visit_all(at: Any, pages: list[str], rss: RssSampler) -> list[dict[str, Any]]:
    """Every page with its default model, then its compare modes; one record per step."""
    visits: list[dict[str, Any]] = []

    def visit(label: str, action: Callable[[], Any]) -> None:
        start = time.perf_counter()
        try:
            action()
            problems = errors(at)
        except Exception as exc:  # noqa: BLE001 - a failing step is recorded, the probe goes on
            problems = [f"{type(exc).__name__}: {exc}"]
        now = rss.rss_mb()
        visits.append(
            {
                "step": label,
                "s": round(time.perf_counter() - start, 2),
                "rss_mb": round(now, 1),
                "anon_mb": round(rss.anon_mb(), 1),
                "peak_so_far_mb": round(max(rss.peak, now), 1),
                "problems": problems[:3],
            }
        )

    for page in pages:
        visit(page, lambda page=page: (at.switch_page(page), at.run()))
        for toggle in [w for w in at.toggle if str(w.key or "").endswith("_compare")]:
            visit(page + " compare", lambda toggle=toggle: toggle.set_value(True).run())
            for ms in [w for w in at.multiselect if str(w.key or "").endswith("_models")]:
                limit = getattr(ms, "max_selections", None) or len(ms.options)
                visit(page + " compare all", lambda ms=ms, limit=limit: ms.set_value(list(ms.options)[:limit]).run())
            for same in [w for w in at.toggle if w.key == toggle.key]:
                same.set_value(False)
    return visits


def cache_report() -> dict[str, Any]:
    """What the app's model cache kept and released."""
    try:
        from ui.models import model_cache

        cache = model_cache()
        return {"budget_mb": cache.budget_mb, "kept": cache.keys(), "evicted": cache.evictions, "loads": cache.loads}
    except Exception as exc:  # noqa: BLE001 - reported, not fatal
        return {"error": repr(exc)}


def main(argv: list[str]) -> None:
    t0 = time.perf_counter()
    mode, root, out = argv[0], argv[1], argv[2]
    pages = json.loads(argv[3]) if len(argv) > 3 else []
    sys.path.insert(0, root)
    os.chdir(root)
    from streamlit.testing.v1 import AppTest

    from bench.run import HEAVY

    rss = RssSampler()
    import_s = time.perf_counter() - t0
    at = AppTest.from_file(os.path.join(root, "Home.py"), default_timeout=600)
    at.session_state["lang"] = "es"
    start = time.perf_counter()
    at.run()
    result: dict[str, Any] = {
        "home_first_render_s": round(time.perf_counter() - start, 3),
        "home_import_s": round(import_s, 3),
        "home_total_s": round(time.perf_counter() - t0, 3),
        "heavy_imported_by_home": [m for m in HEAVY if m in sys.modules],
        "home_errors": errors(at),
        "home_rss_mb": round(rss.rss_mb(), 1),
    }
    visits = visit_all(at, pages, rss) if mode == "all" else []
    if mode == "all":
        result["cache"] = cache_report()
    rss.stop()
    ru = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Linux updates ru_maxrss lazily (it can trail the RSS just read): the peak is the largest seen.
    seen = max([rss.peak, ru] + [v["rss_mb"] for v in visits])
    result.update(
        {
            "visits": visits,
            "sampled_peak_rss_mb": round(rss.peak, 1),
            "sampled_peak_anon_mb": round(rss.peak_anon, 1),
            "ru_maxrss_mb": round(ru, 1),
            "all_pages_peak_rss_mb": round(seen, 1),
        }
    )
    with open(out, "w") as fh:
        json.dump(result, fh)


if __name__ == "__main__":
    main(sys.argv[1:])
