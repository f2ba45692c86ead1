"""The fair queue: arrival order, bounded concurrency, one waiting job per session and page,
the place and wait a student is told, and clean withdrawal."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from engine.serving.queue import FairQueue, Superseded, Waiting, plan_slots


def _gate() -> tuple[threading.Event, threading.Event]:
    started, release = threading.Event(), threading.Event()
    return started, release


def _hold(q: FairQueue, key="holder") -> tuple[threading.Thread, threading.Event]:
    """A job that occupies a slot until released."""
    started, release = _gate()

    def job() -> None:
        started.set()
        release.wait(10)

    th = threading.Thread(target=q.submit, args=(key, "hold", job))
    th.start()
    assert started.wait(5)
    return th, release


def _wait_until(cond, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_jobs_run_in_arrival_order_one_at_a_time() -> None:
    q = FairQueue(slots=1)
    holder, release = _hold(q)
    order: list[int] = []
    threads = []
    for i in range(6):
        th = threading.Thread(
            target=q.submit, args=((f"s{i}", "p"), "m", lambda i=i: order.append(i)), kwargs={"poll_s": 0.01}
        )
        th.start()
        threads.append(th)
        _wait_until(lambda n=i + 1: q.stats().waiting == n)
    release.set()
    for th in [holder, *threads]:
        th.join(10)
    assert order == list(range(6))
    assert q.stats().done == 7 and q.stats().waiting == 0


@pytest.mark.parametrize("slots", [1, 2, 3])
def test_never_more_than_slots_jobs_at_once(slots: int) -> None:
    q = FairQueue(slots=slots)
    lock, now, peak = threading.Lock(), [0], [0]

    def job() -> None:
        with lock:
            now[0] += 1
            peak[0] = max(peak[0], now[0])
        time.sleep(0.02)
        with lock:
            now[0] -= 1

    threads = [
        threading.Thread(target=q.submit, args=((f"s{i}", "p"), "m", job), kwargs={"poll_s": 0.005}) for i in range(12)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert peak[0] == slots and q.stats().done == 12


def test_a_new_click_replaces_the_same_pages_waiting_job() -> None:
    q = FairQueue(slots=1)
    holder, release = _hold(q)
    results: dict[str, object] = {}

    def ask(name: str, key) -> None:
        try:
            results[name] = q.submit(key, "m", lambda: name, poll_s=0.01)
        except Superseded as exc:
            results[name] = exc

    first = threading.Thread(target=ask, args=("first", ("alice", "classification")))
    first.start()
    _wait_until(lambda: q.stats().waiting == 1)
    other_page = threading.Thread(target=ask, args=("other-page", ("alice", "detection")))
    other_page.start()
    _wait_until(lambda: q.stats().waiting == 2)
    second = threading.Thread(target=ask, args=("second", ("alice", "classification")))
    second.start()
    first.join(5)
    assert isinstance(results["first"], Superseded) and results["first"].code == "queue_superseded"
    release.set()
    for th in (holder, other_page, second):
        th.join(10)
    assert results["second"] == "second" and results["other-page"] == "other-page"
    assert q.stats().superseded == 1


def test_many_clicks_from_one_student_do_not_push_another_back() -> None:
    q = FairQueue(slots=1)
    holder, release = _hold(q)
    order: list[str] = []

    def ask(name: str, key) -> None:
        with contextlib.suppress(Superseded):
            q.submit(key, "m", lambda: order.append(name), poll_s=0.01)

    clicks = [threading.Thread(target=ask, args=("bob-1", ("bob", "p")))]
    clicks[0].start()
    _wait_until(lambda: q.stats().waiting == 1)
    carol = threading.Thread(target=ask, args=("carol", ("carol", "p")))
    carol.start()
    _wait_until(lambda: q.stats().waiting == 2)
    for i in range(2, 8):  # bob keeps clicking: each click replaces his waiting one, behind carol
        th = threading.Thread(target=ask, args=(f"bob-{i}", ("bob", "p")))
        th.start()
        clicks.append(th)
        time.sleep(0.03)
    _wait_until(lambda: q.stats().waiting == 2)
    release.set()
    for th in [holder, carol, *clicks]:
        th.join(10)
    assert order == ["carol", "bob-7"]


def test_a_waiting_job_hears_its_place_and_wait_and_can_withdraw() -> None:
    q = FairQueue(slots=1)
    q.submit("warm", "slow-model", lambda: time.sleep(0.2))  # teaches the estimate: ~0.2 s a job
    holder, release = _hold(q)
    heard: list[Waiting] = []

    class Stop(Exception):
        pass

    def listen(state: Waiting) -> None:
        heard.append(state)
        if len(heard) == 3:
            raise Stop  # as Streamlit stops a script when the student changes a widget

    with pytest.raises(Stop):
        q.submit(("dave", "p"), "slow-model", lambda: None, on_wait=listen, poll_s=0.01)
    assert all(s.ahead == 1 for s in heard)
    assert q.stats().waiting == 0  # withdrawn: it will not run later
    release.set()
    holder.join(10)

    holder, release = _hold(q)
    heard.clear()
    seen = threading.Event()

    def note(state: Waiting) -> None:
        heard.append(state)
        seen.set()

    waiter = threading.Thread(
        target=q.submit, args=(("erin", "p"), "slow-model", lambda: None), kwargs={"on_wait": note, "poll_s": 0.01}
    )
    blocked = threading.Thread(
        target=q.submit,
        args=(("fred", "p"), "slow-model", lambda: None),
        kwargs={"on_wait": heard.append, "poll_s": 0.01},
    )
    waiter.start()
    _wait_until(lambda: q.stats().waiting == 1)
    blocked.start()
    _wait_until(lambda: any(s.ahead == 2 for s in heard))
    release.set()
    for th in (holder, waiter, blocked):
        th.join(10)
    twos = [s for s in heard if s.ahead == 2]
    assert twos and 0.15 < twos[-1].eta_s < 2.5  # the holder's remaining time (estimated) + erin's ~0.2 s


def test_a_failing_job_raises_and_the_queue_goes_on() -> None:
    q = FairQueue(slots=1)

    def boom() -> None:
        raise ValueError("bad image")

    with pytest.raises(ValueError, match="bad image"):
        q.submit("a", "m", boom)
    assert q.submit("b", "m", lambda: 7) == 7
    assert q.stats().running == 0 and q.stats().done == 2


def test_slots_and_threads_fit_the_cores() -> None:
    assert plan_slots(1) == (1, 1)
    assert plan_slots(16, slots=4) == (4, 4)
    assert plan_slots(3, slots=2) == (2, 1)


# --- what a session keeps ---


def test_remote_inference_keeps_several_calls_in_flight(monkeypatch) -> None:
    from engine import settings

    monkeypatch.delenv("VISION_QUEUE_SLOTS", raising=False)
    # Local: one job at a time on every core; with a Ray Serve app, enough in flight for its replicas.
    assert (settings.queue_slots(), settings.queue_slots(remote=True)) == (1, 8)
    monkeypatch.setenv("VISION_QUEUE_SLOTS", "3")
    assert (settings.queue_slots(), settings.queue_slots(remote=True)) == (3, 3)


def test_store_keeps_the_newest_under_its_budget_and_counts_real_buffers() -> None:
    import numpy as np
    from PIL import Image

    from engine.serving.session import BoundedStore, nbytes

    mask = np.zeros((500, 400), dtype=np.int32)  # a label map: 800 000 bytes
    photo = Image.new("RGB", (1000, 500))  # 1 500 000 bytes decoded
    assert nbytes(mask) == 800_000 and nbytes(photo) == 1_500_000
    assert 2_300_000 <= nbytes({"result": (mask, photo), "again": mask}) < 2_310_000  # each buffer once

    store = BoundedStore(budget_bytes=5_000_000)
    for i in range(10):
        store.put(i, (mask.copy(), photo.copy()))
        assert store.used_bytes <= 5_000_000
    assert list(store) == [8, 9] and store.dropped == 8
    store.get(8)  # used again: now the newest
    store.put(10, mask.copy())
    assert list(store) == [8, 10]


def test_an_entry_larger_than_the_budget_is_kept_alone() -> None:
    from engine.serving.session import BoundedStore

    store = BoundedStore(budget_bytes=100)
    store.put("small", b"x" * 10)
    store.put("huge", b"y" * 1000)
    assert list(store) == ["huge"] and store.used_bytes == 1000


def test_a_waiter_whose_session_ended_does_not_block_the_line(monkeypatch) -> None:
    from engine.serving import queue as q_module
    from engine.serving.queue import _Ticket

    monkeypatch.setattr(q_module, "STALE_S", 0.2)
    q = FairQueue(slots=1)
    ghost = _Ticket(("gone", "p"), "m", -1)  # at the head of the line, its thread no longer polls
    ghost.seen -= 10
    q._waiting.append(ghost)
    assert q.submit(("alive", "p"), "m", lambda: "ran", poll_s=0.01) == "ran"
    assert q.stats().waiting == 0


def test_a_job_that_never_ends_does_not_freeze_the_class(monkeypatch) -> None:
    from engine.serving import queue as q_module

    monkeypatch.setattr(q_module, "STUCK_S", 0.3)
    q = FairQueue(slots=1)
    holder, release = _hold(q)  # runs "forever"
    start = time.monotonic()
    assert q.submit(("next", "p"), "m", lambda: "ran", poll_s=0.01) == "ran"
    assert 0.25 < time.monotonic() - start < 5
    release.set()
    holder.join(5)


def test_the_after_job_hook_runs_after_every_job_off_the_jobs_thread() -> None:
    seen: list[str] = []
    done = threading.Semaphore(0)

    def hook() -> None:
        seen.append(threading.current_thread().name)
        done.release()

    q = FairQueue(slots=1, after_job=hook)
    assert q.submit("s1", "m", lambda: 1) == 1
    with pytest.raises(ZeroDivisionError):  # a failing job too
        q.submit("s2", "m", lambda: 1 / 0)
    assert done.acquire(timeout=5) and done.acquire(timeout=5)
    assert seen == ["queue-after-job"] * 2


def test_a_heap_trim_is_skipped_while_a_recent_one_stands(monkeypatch) -> None:
    from engine.models import cache

    monkeypatch.setattr(cache, "_last_trim", 0.0)
    assert cache.trim_heap(every_s=60) is True  # glibc here: the first one trims
    assert cache.trim_heap(every_s=60) is False  # under a minute later: skipped
    assert cache.trim_heap() is True  # no interval asked: always
