"""Issue 8: every page that takes an image shows a clear message for bad input, never a traceback,
and keeps working for the next good input; a corrupt model file is named, and other models work."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from engine.inputs.samples import load_sample
from tests.apptest import assert_no_exception, open_page, upload
from tests.catalog import ANY, parts
from tests.conftest import ROOT
from tests.hostile import BAD_CASES, GOOD_CASES, Case


@dataclass(frozen=True)
class ImagePage:
    file: str
    prefix: str  # the key prefix given to ui.inputs.image_input_ui

    def result_count(self, at) -> int:
        """How many results the page shows (metrics, tables, images beyond the input)."""
        return len(at.metric) + len(at.table) + len(at.dataframe)


IMAGE_PAGES = [
    p
    for p in (
        ImagePage("pages/classification.py", "cls"),
        ImagePage("pages/detection.py", "det"),
        ImagePage("pages/segmentation.py", "seg"),
        ImagePage("pages/zero_shot.py", "zs"),
        ImagePage("pages/depth.py", "depth"),
    )
    if (ROOT / p.file).is_file()
]


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(params=IMAGE_PAGES, ids=lambda p: p.prefix)
def image_page(request: pytest.FixtureRequest):
    page: ImagePage = request.param
    at = open_page(page.file)
    at.radio(key=f"{page.prefix}_source").set_value("upload").run()
    assert_no_exception(at)
    return page, at


def test_bad_uploads_give_messages_and_the_page_recovers(image_page) -> None:
    page, at = image_page
    good = _png(load_sample("cat"))
    upload(at, f"{page.prefix}_upload", good, "cat.png")
    assert_no_exception(at)
    baseline = page.result_count(at)
    assert baseline > 0
    for case in BAD_CASES:
        upload(at, f"{page.prefix}_upload", case.data, f"{case.name}.png")
        assert_no_exception(at)
        assert at.error, f"{case.name}: no message"
        assert page.result_count(at) < baseline, f"{case.name}: a stale result is still shown"
        # the next good input works again
        upload(at, f"{page.prefix}_upload", good, "cat.png")
        assert_no_exception(at)
        assert not at.error, f"after {case.name}: {[e.value for e in at.error]}"
        assert page.result_count(at) == baseline


@pytest.mark.parametrize("case", GOOD_CASES, ids=lambda c: c.name)
def test_odd_valid_uploads_get_a_result(case: Case) -> None:
    for page in IMAGE_PAGES:
        at = open_page(page.file)
        at.radio(key=f"{page.prefix}_source").set_value("upload").run()
        upload(at, f"{page.prefix}_upload", case.data, f"{case.name}.png")
        assert_no_exception(at)
        assert not at.error, [e.value for e in at.error]
        assert page.result_count(at) > 0


def test_oversized_upload_is_refused_with_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISION_MAX_UPLOAD_MB", str(50_000 / 2**20))
    for page in IMAGE_PAGES:
        at = open_page(page.file)
        at.radio(key=f"{page.prefix}_source").set_value("upload").run()
        upload(at, f"{page.prefix}_upload", b"\xff\xd8" + b"0" * 60_000, "huge.jpg")
        assert_no_exception(at)
        limit = parts("errors.file_too_large", size_mb=ANY, limit_mb=ANY)  # "El archivo pesa … MB; el límite es … MB."
        assert any(all(p in e.value for p in limit) for e in at.error)


def _corrupt_models_dir(tmp_path: Path) -> Path:
    from tests.conftest import TINY_DIR

    target = tmp_path / "microsoft" / "resnet-50"
    target.mkdir(parents=True)
    for f in (TINY_DIR / "microsoft" / "resnet-50").iterdir():
        (target / f.name).write_bytes(f.read_bytes())
    (target / "model.safetensors").write_bytes(b"\x00\x01garbage, not safetensors")
    return target


def test_corrupt_model_file_is_named_and_other_models_keep_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.errors import ModelLoadError
    from engine.tasks.classification import load_classifier
    from ui.models import model_cache

    target = _corrupt_models_dir(tmp_path)
    monkeypatch.setenv("VISION_MODELS_DIR", str(tmp_path))
    model_cache.clear()  # earlier tests in this process cached the good tiny ResNet
    with pytest.raises(ModelLoadError) as info:
        load_classifier("microsoft/resnet-50")
    assert "microsoft/resnet-50" in str(info.value)
    assert str(target / "model.safetensors") in str(info.value)

    at = open_page("pages/classification.py")
    at.toggle(key="cls_compare").set_value(True).run()
    at.multiselect(key="cls_models").set_value(["efficientnet-lite0", "microsoft/resnet-50"]).run()
    assert_no_exception(at)
    assert any("microsoft/resnet-50" in e.value and "model.safetensors" in e.value for e in at.error)
    assert at.metric[0].value == "tabby, tabby cat"  # the embedded model still answers
