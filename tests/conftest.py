"""Test-wide set-up: offline, a private cache, and a models directory of tiny models plus the
real weights in ../shared/models (when present).

Environment (set before any app code is imported, so AppTest and the browser's server see it):
- ``VISION_OFFLINE=1``: the app downloads nothing; and ``HF_ENDPOINT`` is a loopback port where
  nothing listens, so no request can leave this machine. (``HF_HUB_OFFLINE`` stays unset: it is
  read once, when huggingface_hub is imported, and would keep the download tests from reaching
  their local Hub, ``tests/hub/``, which they switch on with ``VISION_OFFLINE=0``.)
- ``HF_HOME``: a Hugging Face cache under .pytest_cache, never the user's.
- ``VISION_MODELS_DIR=<tiny models>:<../shared/models>``.
- ``VISION_CACHE_DIR``: a cache under .pytest_cache (the embedded model converts once).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("VISION_SHARED_DIR", ROOT.parent / "shared")).resolve()
SHARED_MODELS = SHARED / "models"
COCO8 = SHARED / "data" / "coco8"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
WORK = ROOT / ".pytest_cache" / "vision"
TINY_DIR = WORK / "tiny-models"

sys.path.insert(0, str(ROOT))
os.environ.pop("HF_HUB_OFFLINE", None)
os.environ.pop("TRANSFORMERS_OFFLINE", None)
os.environ["VISION_OFFLINE"] = "1"
os.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"  # the discard port: nothing answers
os.environ["HF_HOME"] = str(WORK / "hf-home")
os.environ.pop("HF_HUB_CACHE", None)
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("VISION_CACHE_DIR", str(WORK / "cache"))
os.environ["VISION_MODELS_DIR"] = os.pathsep.join(
    str(p) for p in (TINY_DIR, SHARED_MODELS) if p == TINY_DIR or p.is_dir()
)
os.environ.setdefault("YOLO_OFFLINE", "1")
os.environ.setdefault("YOLO_CONFIG_DIR", str(WORK / "ultralytics-config"))
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# oneDNN packing on its equality check alone: timed at load (the default), a busy machine could
# turn it off in one test and on in the next (tests/test_fastcpu.py tests the timed choice).
os.environ.setdefault("VISION_ONEDNN_PACK", "force")


def pytest_sessionstart(session: pytest.Session) -> None:
    from tests.tiny import build_models_dir

    build_models_dir(TINY_DIR)


def require_shared(path: Path) -> Path:
    """``path`` inside ../shared, or skip (fail under CI, where ../shared must exist)."""
    if path.exists():
        return path
    if IN_CI:
        pytest.fail(f"{path} is missing: CI must have ../shared")
    pytest.skip(f"{path} is not here (real weights/data live in ../shared)")


@pytest.fixture(scope="session")
def shared_models() -> Path:
    return require_shared(SHARED_MODELS)


@pytest.fixture(scope="session")
def coco8() -> Path:
    return require_shared(COCO8)


@pytest.fixture
def local_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A Hub on 127.0.0.1 (:class:`tests.hub.LocalHub`), the app pointed at it through
    ``HF_ENDPOINT`` with downloads on, empty Hugging Face and app caches and no models directory."""
    from engine.models import resolve
    from tests.hub import LocalHub

    empty = tmp_path / "no-models"
    empty.mkdir()
    with LocalHub() as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("VISION_OFFLINE", "0")
        monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
        monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
        monkeypatch.setenv("VISION_MODELS_DIR", str(empty))
        # The app's own cache too (Spaces' files land there): a download from this Hub must not
        # outlive the test and make a later one find a model that should be missing.
        monkeypatch.setenv("VISION_CACHE_DIR", str(tmp_path / "app-cache"))
        monkeypatch.setenv("VISION_DOWNLOAD_TIMEOUT_S", "5")
        monkeypatch.setattr(resolve, "_REACH", {})
        yield hub


class FakeCanvas:
    """Stands in for ``st_canvas``: returns ``json`` and records the keys it was called with."""

    def __init__(self) -> None:
        self.json: dict[str, Any] | None = None
        self.keys: list[str] = []

    def __call__(self, *args: Any, key: str | None = None, **kwargs: Any) -> SimpleNamespace:
        self.keys.append(key or "")
        return SimpleNamespace(json_data=self.json, image_data=None)

    def draw(self, shape: str, *, x: float = 40, y: float = 60, size: float = 150, seed: int = 0) -> None:
        from tests.sketch_shapes import SHAPES, fabric_json, place  # here: conftest imports nothing heavy

        self.json = fabric_json(place(SHAPES[shape], x=x, y=y, size=size, seed=seed, wobble=0.01))


@pytest.fixture
def canvas(monkeypatch, shared_models) -> FakeCanvas:
    # A stand-in module: the real one registers a v2 component, which only `streamlit run` can
    # serve. The Pictionary page tests and the deliverable's use it.
    fake = FakeCanvas()
    monkeypatch.setitem(sys.modules, "streamlit_drawable_canvas", SimpleNamespace(st_canvas=fake))
    return fake
