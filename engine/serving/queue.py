"""One fair queue per server process for every inference, so a class shares the cores evenly.

Each inference is a job: first come, first served, at most ``slots`` running at once (sized to the
cores, with torch's threads set to match, so eight students never oversubscribe two cores). A
session has at most one job waiting per page: a new click from the same session and page takes
the place of its earlier waiting job (which ends with :class:`Superseded`), so one student
clicking many times cannot push the others back. A waiting job hears its place and an estimated
wait (from the recent durations of each kind of job) through ``on_wait``.

Example:
    >>> q = FairQueue(slots=1)
    >>> q.submit(("session-1", "classification"), "efficientnet-lite0", lambda: 2 + 2)
    4
    >>> q.stats().done
    1
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from engine.errors import EngineError

T = TypeVar("T")
DEFAULT_JOB_S = 1.0  # the estimate for a kind of job never seen yet
STALE_S = 5.0  # a waiting job whose owner has not polled for this long is gone (its session ended)
STUCK_S = 60.0  # a job running this long no longer holds its slot against the next in line
SMOOTHING = 0.3  # weight of the newest duration in each kind's running average


class Superseded(EngineError):
    """A newer request of the same session and page took this waiting job's place."""

    default_code = "queue_superseded"


@dataclass(frozen=True)
class Waiting:
    """What a waiting job is told: jobs ahead of it (running ones included) and the estimated wait."""

    ahead: int
    eta_s: float


@dataclass(frozen=True)
class QueueStats:
    slots: int
    running: int
    waiting: int
    done: int
    superseded: int


@dataclass(eq=False)
class _Ticket:
    key: Hashable
    kind: str
    seq: int
    superseded: bool = False
    started: float = 0.0
    seen: float = field(default_factory=time.monotonic)  # the owner's last poll


@dataclass
class FairQueue:
    """The queue; ``slots`` jobs run at once (see :func:`plan_slots`)."""

    slots: int = 1
    # Called on a thread of its own (never in a job's way) after each job, failed ones included:
    # the server gives back the memory the job's activations left behind (ui/queue.py).
    after_job: Callable[[], None] | None = None
    _cond: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _waiting: list[_Ticket] = field(default_factory=list, repr=False)
    _running: list[_Ticket] = field(default_factory=list, repr=False)
    _durations: dict[str, float] = field(default_factory=dict, repr=False)
    _seq: itertools.count = field(default_factory=itertools.count, repr=False)
    _done: int = 0
    _superseded: int = 0

    def submit(
        self,
        key: Hashable,
        kind: str,
        fn: Callable[[], T],
        *,
        on_wait: Callable[[Waiting], None] | None = None,
        poll_s: float = 0.25,
    ) -> T:
        """Run ``fn()`` when its turn comes and return its result.

        ``key`` names who asks (e.g. ``(session id, page)``), ``kind`` what runs (e.g. the model
        id: its durations make the estimate). ``on_wait`` is called about every ``poll_s`` seconds
        while the job waits; an exception it raises (Streamlit stopping a rerun) withdraws the job.
        """
        ticket = _Ticket(key, kind, next(self._seq))
        with self._cond:
            for other in self._waiting:
                if other.key == key:
                    other.superseded = True
            self._waiting = [t for t in self._waiting if not t.superseded]
            self._waiting.append(ticket)
            self._cond.notify_all()
        try:
            self._wait_turn(ticket, on_wait, poll_s)
        except BaseException:
            with self._cond:
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                    self._cond.notify_all()
            raise
        try:
            return fn()
        finally:
            elapsed = time.monotonic() - ticket.started
            with self._cond:
                self._running.remove(ticket)
                previous = self._durations.get(kind)
                self._durations[kind] = (
                    elapsed if previous is None else (1 - SMOOTHING) * previous + SMOOTHING * elapsed
                )
                self._done += 1
                self._cond.notify_all()
            if self.after_job is not None:
                threading.Thread(target=self.after_job, name="queue-after-job", daemon=True).start()

    def _free_slot(self) -> bool:
        """Whether a job may start: a slot is free, or every slot is held by a job running for
        longer than ``STUCK_S`` (a job that never ends must not freeze the whole class)."""
        now = time.monotonic()
        busy = [t for t in self._running if now - t.started < STUCK_S]
        return len(busy) < self.slots

    def _drop_stale(self, ticket: _Ticket) -> None:
        """Forget waiting jobs whose owner stopped polling (a session that ended mid-wait)."""
        now = time.monotonic()
        ticket.seen = now
        stale = [t for t in self._waiting if t is not ticket and now - t.seen > STALE_S]
        if stale:
            self._waiting = [t for t in self._waiting if t not in stale]
            self._cond.notify_all()

    def _wait_turn(self, ticket: _Ticket, on_wait: Callable[[Waiting], None] | None, poll_s: float) -> None:
        while True:
            with self._cond:
                if ticket.superseded:
                    self._superseded += 1
                    raise Superseded("A newer request from the same page replaced this one.")
                self._drop_stale(ticket)
                if ticket not in self._waiting:  # dropped as stale after a long pause of ours: in line again
                    self._waiting.append(ticket)
                if self._free_slot() and self._waiting and self._waiting[0] is ticket:
                    self._waiting.pop(0)
                    ticket.started = time.monotonic()
                    self._running.append(ticket)
                    self._cond.notify_all()
                    return
                state = self._state(ticket)
                if on_wait is None:
                    self._cond.wait(poll_s)
                    continue
            on_wait(state)  # outside the lock: it may draw on the page
            with self._cond:
                ticket.seen = time.monotonic()
                head = self._waiting[0] if self._waiting else None
                if not ticket.superseded and not (self._free_slot() and head is ticket):
                    self._cond.wait(poll_s)

    def _estimate(self, kind: str) -> float:
        return self._durations.get(kind, DEFAULT_JOB_S)

    def _state(self, ticket: _Ticket) -> Waiting:
        """Jobs ahead of ``ticket`` and the wait: what the running jobs have left, plus every
        waiting job ahead, spread over the slots."""
        now = time.monotonic()
        left = sum(max(0.0, self._estimate(t.kind) - (now - t.started)) for t in self._running)
        ahead = list(itertools.takewhile(lambda t: t is not ticket, self._waiting))
        work = left + sum(self._estimate(t.kind) for t in ahead)
        return Waiting(ahead=len(self._running) + len(ahead), eta_s=work / max(1, self.slots))

    def stats(self) -> QueueStats:
        with self._cond:
            return QueueStats(self.slots, len(self._running), len(self._waiting), self._done, self._superseded)


def usable_cores() -> int:
    """The cores this process may use: its CPU affinity, capped by a cgroup CPU quota (containers
    such as Streamlit Community Cloud's) where there is one.

    Example:
        >>> usable_cores() >= 1
        True
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota, period = open("/sys/fs/cgroup/cpu.max").read().split()  # noqa: SIM115 - one read
        if quota != "max":
            cores = min(cores, max(1, round(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def plan_slots(cores: int, slots: int = 0) -> tuple[int, int]:
    """``(slots, torch threads per job)`` for ``cores``: by default one job at a time using every
    core (a single photo gets its answer soonest and the class is served in arrival order);
    ``slots`` > 0 runs that many at once with the cores split between them.

    Example:
        >>> plan_slots(2), plan_slots(8, slots=2), plan_slots(2, slots=4)
        ((1, 2), (2, 4), (2, 1))
    """
    slots = max(1, min(slots or 1, cores))
    return slots, max(1, cores // slots)
