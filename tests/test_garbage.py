"""Issue 14, a soak without a saw-tooth: full garbage collections at a bounded rate
(engine.serving.garbage), with an injected clock: no test waits for real time."""

from __future__ import annotations

import gc
import itertools
import json
import threading
import weakref
from pathlib import Path

import pytest

from engine.serving import garbage


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("steps", "want"),
    [
        # (seconds passed, script runs, whether a collection runs)
        ([(5, 1, False), (10, 1, False), (5, 0, True)], 1),  # due once 20 s have passed since the start
        ([(25, 0, False), (25, 0, False)], 0),  # an idle server: nothing to collect, however long
        ([(25, 3, True), (1, 5, False), (18, 1, False), (1, 0, True)], 2),  # at most one per 20 s
        ([(25, 1, True), (100, 0, False), (0, 1, True)], 2),  # a run after a quiet spell: collected at once
    ],
    ids=["first-period", "idle", "rate-limited", "after-idle"],
)
def test_collections_are_rate_limited_and_need_a_run(steps: list[tuple[float, int, bool]], want: int) -> None:
    clock, calls = _Clock(), []
    pacer = garbage.Pacer(20, clock=clock, collect=lambda: calls.append(clock.now) or 3)
    for passed, runs, collects in steps:
        clock.now += passed
        for _ in range(runs):
            pacer.note_run()
        assert (pacer.maybe_collect() is not None) is collects, (passed, runs)
    assert len(calls) == want == pacer.stats.collections
    assert pacer.stats.collected == 3 * want
    assert all(b - a >= 20 for a, b in itertools.pairwise(calls))


def test_the_period_counts_from_the_end_of_a_slow_collection() -> None:
    clock = _Clock()

    def slow() -> int:
        clock.now += 30  # a collection longer than the period (a loaded machine)
        return 0

    pacer = garbage.Pacer(20, clock=clock, collect=slow)
    clock.now += 20
    pacer.note_run()
    assert pacer.maybe_collect() == 0
    pacer.note_run()
    assert pacer.maybe_collect() is None  # not back to back


def test_the_thread_collects_real_cycles() -> None:
    """The pacer's thread, with gc.collect: a reference cycle left by a "run" is freed without
    Python's own collector (switched off here)."""

    class Node:
        pass

    clock = _Clock()
    pacer = garbage.Pacer(20, clock=clock)
    a, b = Node(), Node()
    a.other, b.other = b, a
    alive = weakref.ref(a)
    del a, b
    stop = threading.Event()
    was_enabled = gc.isenabled()
    gc.disable()
    thread = threading.Thread(target=pacer.run, args=(stop, 0.01), daemon=True)
    try:
        pacer.note_run()
        clock.now += 20
        thread.start()
        for _ in range(500):  # bounded: 5 s at most
            if pacer.stats.collections:
                break
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join(5)
        if was_enabled:
            gc.enable()
    assert pacer.stats.collections == 1 and pacer.stats.collected >= 2
    assert alive() is None


def test_a_collection_that_raises_does_not_end_the_thread() -> None:
    clock, calls = _Clock(), []

    def flaky() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return 1

    pacer = garbage.Pacer(0, clock=clock, collect=flaky)
    stop = threading.Event()
    pacer.note_run()
    thread = threading.Thread(target=pacer.run, args=(stop, 0.01), daemon=True)
    thread.start()
    for _ in range(500):
        if pacer.stats.collections:
            break
        pacer.note_run()
        stop.wait(0.01)
    stop.set()
    thread.join(5)
    assert len(calls) >= 2 and pacer.stats.collections >= 1


def test_counters_are_written_where_the_soak_reads_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "gc.json"
    monkeypatch.setenv("VISION_GC_STATS", str(path))
    clock = _Clock()
    pacer = garbage.Pacer(20, clock=clock, collect=lambda: 42)
    pacer.note_run()
    clock.now += 20
    pacer.maybe_collect()
    doc = json.loads(path.read_text())
    assert (doc["collections"], doc["collected"], doc["period_s"]) == (1, 42, 20)


def test_off_means_no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_GC_PERIOD_S", "0")
    assert garbage.start() is None
    garbage.note_run()  # nothing to count, and no error


def test_freeze_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_GC_FREEZE", "0")
    before = gc.get_freeze_count()
    assert garbage.freeze_imports() == 0 and gc.get_freeze_count() == before


def test_a_frozen_object_is_still_freed_by_its_last_reference() -> None:
    """What freeze_imports risks and what it does not: frozen objects without a cycle are freed as
    usual (the cache's models are loaded after the freeze anyway)."""
    script = (
        "import gc, weakref\n"
        "class Big: pass\n"
        "held = [Big()]\n"
        "alive = weakref.ref(held[0])\n"
        "gc.collect(); gc.freeze()\n"
        "held.clear()\n"
        "print(alive() is None)\n"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "True"
