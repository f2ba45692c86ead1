"""The app's own server and a headless Chromium, shared by the browser tests and the load bench.

Example:
    >>> CHROMIUM_ARGS[0]
    '--headless'
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict[str, str] | None = None, log_dir: Path | None = None) -> subprocess.Popen:
    """`streamlit run app.py` (the app's real entry: Home.py with its warm start) on 127.0.0.1:port,
    waiting until its health check answers."""
    log_dir = log_dir or Path(tempfile.gettempdir())
    log = open(log_dir / f"streamlit-{port}.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start within 60 s")


def wait_warm(port: int, timeout_s: float = 120) -> float | None:
    """Wait until the server's warm start (app.py: the heavy imports) is done; the seconds it said it
    took, or None when it failed or did not finish within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/vision/warm", timeout=2) as r:
                state = json.load(r)
        except (OSError, ValueError):
            state = {}
        if "error" in state:
            return None
        if state.get("warm"):
            return float(state["s"])
        time.sleep(0.2)
    return None


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server :func:`start_server` started: SIGTERM, then SIGKILL after 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
