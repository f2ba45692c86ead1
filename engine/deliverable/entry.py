"""One run a page showed, and the machine it ran on: the plain values a deliverable is built from.

Example:
    >>> Entry("a.png", (("a.png", b"..."),), (), 1.0, ("m",)).nbytes
    3
"""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Entry:
    """One run a page showed: the image(s) the model saw (``sources``: name and PNG bytes, what the
    script runs on), the images as shown (``shown``: kind, e.g. "annotated", and PNG bytes), the
    result's ``rows()``, its time, the model ids, its settings and facts (e.g. ``fp``, ``fn``)."""

    image_name: str
    sources: tuple[tuple[str, bytes], ...]
    rows: tuple[Mapping[str, Any], ...]
    ms: float | None  # None: no one inference time (a game of several rounds)
    models: tuple[str, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)
    shown: tuple[tuple[str, bytes], ...] = ()
    facts: Mapping[str, Any] = field(default_factory=dict)
    when: str = ""

    @property
    def nbytes(self) -> int:
        """The bytes of its images (what a zip of it holds, about)."""
        return sum(len(b) for _, b in self.sources) + sum(len(b) for _, b in self.shown)


@dataclass(frozen=True)
class Machine:
    """Where the runs ran: CPU model, cores, torch and Python versions, the date (UTC)."""

    cpu: str
    cores: int
    torch: str
    python: str
    date: str

    @classmethod
    def here(cls, now: datetime | None = None) -> Machine:
        """This machine, now (torch's version from its metadata: nothing is imported)."""
        cpu = platform.processor() or platform.machine()
        try:
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        try:
            torch = metadata.version("torch")
        except metadata.PackageNotFoundError:
            torch = "—"
        when = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
        return cls(cpu, os.cpu_count() or 1, torch, platform.python_version(), when)
