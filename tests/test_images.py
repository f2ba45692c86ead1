"""The one image loader: every odd or hostile input is decoded right or refused with a clear code."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from engine.errors import InvalidImage
from engine.inputs.images import load_image
from tests.hostile import BAD_CASES, GOOD_CASES, Case, exif_rotated_jpeg, palette_png_with_transparency


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda c: c.name)
def test_bad_inputs_are_refused_with_a_code(case: Case) -> None:
    with pytest.raises(InvalidImage) as info:
        load_image(case.data)
    assert info.value.code == case.error
    assert str(info.value)  # a complete English sentence


@pytest.mark.parametrize("case", GOOD_CASES, ids=lambda c: c.name)
def test_odd_but_valid_inputs_decode_to_rgb(case: Case) -> None:
    img = load_image(case.data)
    assert img.mode == "RGB"
    assert img.size == case.size


def test_bomb_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.hostile import png_bomb

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", boom)
    with pytest.raises(InvalidImage) as info:
        load_image(png_bomb())
    assert info.value.code == "too_many_pixels"
    assert info.value.params["width"] == 30_000


def test_exif_orientation_is_applied() -> None:
    img = load_image(exif_rotated_jpeg())
    assert img.size == (20, 60)
    # the gradient ran left→right in red before rotation: now it runs top→bottom
    arr = np.asarray(img).astype(int)
    assert arr[-1, 10, 0] - arr[0, 10, 0] > 150


def test_transparency_is_flattened_on_white() -> None:
    arr = np.asarray(load_image(palette_png_with_transparency()))
    assert tuple(arr[0, 9]) == (255, 255, 255)  # transparent index 0 (right half) → white
    assert tuple(arr[0, 0]) == (0, 255, 0)  # opaque index 1 (left half) stays green


def test_16bit_keeps_its_contrast() -> None:
    from tests.hostile import png16

    arr = np.asarray(load_image(png16()))
    assert arr.min() == 0 and arr.max() == 255


@pytest.mark.parametrize(
    ("src", "size"),
    [
        (np.zeros((5, 7), np.uint8), (7, 5)),
        (np.zeros((5, 7, 3), np.uint8), (7, 5)),
        (np.zeros((5, 7, 4), np.uint8), (7, 5)),
        (np.ones((5, 7, 3), np.float32), (7, 5)),
        (Image.new("LA", (3, 2)), (3, 2)),
    ],
)
def test_arrays_and_pil_images(src: object, size: tuple[int, int]) -> None:
    img = load_image(src)
    assert (img.mode, img.size) == ("RGB", size)


@pytest.mark.parametrize("src", [np.zeros((2, 2, 5)), np.zeros((0, 3)), 42, None])
def test_unusable_objects_are_refused(src: object) -> None:
    with pytest.raises(InvalidImage):
        load_image(src)


def test_file_objects_paths_and_size_limit(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = GOOD_CASES[0].data
    assert load_image(io.BytesIO(data)).size == (1, 1)
    path = tmp_path / "x.png"
    path.write_bytes(data)
    assert load_image(path).size == (1, 1)
    assert load_image(str(path)).size == (1, 1)
    monkeypatch.setenv("VISION_MAX_UPLOAD_MB", str(10 / 2**20))
    with pytest.raises(InvalidImage) as info:
        load_image(data)
    assert info.value.code == "file_too_large"
    with pytest.raises(InvalidImage) as info:
        load_image(io.BytesIO(data))
    assert info.value.code == "file_too_large"
    with pytest.raises(InvalidImage) as info:
        load_image(path)
    assert info.value.code == "file_too_large"
    with pytest.raises(InvalidImage) as info:
        load_image(tmp_path / "missing.png")
    assert info.value.code == "not_found"


def test_ultralytics_pil_patch_never_installs_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ultralytics patches PIL.Image.open to pip-install pi-heif on unknown files; we undo/avoid it."""
    import ultralytics.utils.patches as patches  # patches PIL.Image.open on its first import

    from engine.models.lazy import import_ultralytics

    # An earlier test may have imported ultralytics through the app (which undoes the patch):
    # put the patch back as a first import leaves it.
    monkeypatch.setattr(Image, "open", patches.image_open)
    assert Image.open is patches.image_open
    with pytest.raises(InvalidImage) as info:  # the loader still uses PIL's own opener
        load_image(b"definitely not an image")
    assert info.value.code == "not_an_image"
    import_ultralytics()
    assert Image.open is patches._image_open  # the app's import path restores PIL's own
