"""Run the code a page shows, as a student would: a fresh ``python snippet.py`` in a folder that
holds the files it opens, with none of the app on its path and none of the app's settings.

Hub ids in a snippet resolve against the local Hub (:mod:`tests.hub`) the test serves the tiny
model on under that id: ``HF_ENDPOINT`` points at it (the ``local_hub`` fixture sets it), the
Hugging Face cache is the test's own and ``HF_HUB_OFFLINE`` is unset, so ``pipeline(...,
model="org/name")`` downloads exactly as it would from huggingface.co. Ultralytics snippets find
their ``.pt`` in the folder (``YOLO_OFFLINE=1``: no release check).

Example:
    >>> out = run_snippet('print("hola")', tmp_path)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TINY_DIR
from tests.hub import real_repo

TIMEOUT_S = 300  # a first import of torch + transformers on a busy 2-core machine


def serve(local_hub, model_id: str) -> None:
    """The tiny stand-in of ``model_id`` on the local Hub, with the real repo's file layout."""
    local_hub.add_repo(real_repo(model_id, TINY_DIR / model_id))


def run_snippet(code: str, cwd: Path, *, timeout: float = TIMEOUT_S) -> str:
    """Run ``code`` as ``cwd/snippet.py`` in a new Python; its stdout (fails with its stderr).

    The app is not on the path: a snippet that imports ``engine`` (which a student does not have)
    fails like any other broken snippet.
    """
    proc = run_python(code, cwd, timeout=timeout)
    if proc.returncode != 0:
        pytest.fail(f"the snippet failed (exit {proc.returncode}):\n{code}\n--- stderr ---\n{proc.stderr[-4000:]}")
    return proc.stdout


def run_python(code: str, cwd: Path, *, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """``python snippet.py`` in ``cwd`` with a student's environment (see the module's docstring)."""
    (cwd / "snippet.py").write_text(code)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VISION_") and k != "PYTHONPATH"}
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(name, None)
    env.setdefault("HF_HUB_CACHE", str(cwd / "hf-cache"))
    env.update(YOLO_OFFLINE="1", YOLO_VERBOSE="False", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "snippet.py"], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def yolo_that_finds(source: Path, target: Path, class_id: int = 0, logit: float = 1.0) -> Path:
    """A copy of the random-weight YOLO ``source`` (detect or segment) that finds ``class_id``.

    Random weights score every class about 0 after the sigmoid, so nothing passes a threshold and
    a snippet's "found it" branch never runs. Here the last layer of each class branch of the head
    says ``class_id`` with confidence sigmoid(``logit``) at every anchor (every other class
    sigmoid(-10)); NMS keeps the boxes and masks the random box and mask branches make.
    """
    import torch
    from ultralytics import YOLO

    model = YOLO(str(source))
    head = model.model.model[-1]
    with torch.no_grad():
        for branch in head.cv3:
            branch[-1].bias.fill_(-10.0)
            branch[-1].bias[class_id] = logit
    target.parent.mkdir(parents=True, exist_ok=True)
    model.save(target)
    return target


def percent_lines(out: str) -> dict[str, float]:
    """``label: 12.3%`` lines as {label: 0.123}, in printed order."""
    found: dict[str, float] = {}
    for line in out.splitlines():
        label, sep, value = line.rpartition(": ")
        if sep and value.endswith("%"):
            found[label] = float(value[:-1]) / 100
    return found
