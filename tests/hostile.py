"""Hostile and odd image files, built in code: the same table feeds engine and page tests.

Each case is ``(name, bytes, expected)``: ``expected`` is an error code of
:class:`engine.errors.InvalidImage`, or ``"ok"`` with the size the decoded image must have.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    error: str | None  # the InvalidImage code, or None when the file must decode
    size: tuple[int, int] | None = None  # (width, height) after decoding (EXIF applied)


def _save(img: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _photo(w: int = 64, h: int = 40) -> Image.Image:
    y, x = np.mgrid[0:h, 0:w]
    arr = np.stack([x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), np.full_like(x, 128)], -1)
    return Image.fromarray(arr.astype(np.uint8), "RGB")


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid PNG header claiming huge dimensions, with a tiny (truncated) body."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def exif_rotated_jpeg() -> bytes:
    """A 60x20 JPEG whose EXIF says 'rotate 90°': shown upright it is 20x60."""
    img = _photo(60, 20)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW
    return _save(img, "JPEG", exif=exif.tobytes())


def animated_gif() -> bytes:
    frames = [Image.new("P", (16, 12), i) for i in (10, 200, 90)]
    return _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0)


def palette_png_with_transparency() -> bytes:
    img = Image.new("P", (10, 8), 0)
    img.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    img.paste(1, (0, 0, 5, 8))
    return _save(img, "PNG", transparency=0)


def png16() -> bytes:
    arr = (np.arange(32 * 24, dtype=np.uint16).reshape(24, 32) * 80).astype(np.uint16)
    return _save(Image.fromarray(arr), "PNG")  # uint16 → mode I;16


CASES: tuple[Case, ...] = (
    Case("empty file", b"", "empty"),
    Case("text renamed .png", b"hello, I am not an image\n" * 4, "not_an_image"),
    Case("truncated jpeg", _save(_photo(200, 150), "JPEG")[:400], "corrupt"),
    Case("decompression bomb", png_bomb(), "too_many_pixels"),
    Case(
        "svg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        "unsupported_format",
    ),
    Case("heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "unsupported_format"),
    Case("1x1 png", _save(Image.new("RGB", (1, 1), "red"), "PNG"), None, (1, 1)),
    Case("16-bit png", png16(), None, (32, 24)),
    Case("cmyk jpeg", _save(_photo().convert("CMYK"), "JPEG"), None, (64, 40)),
    Case("palette png with transparency", palette_png_with_transparency(), None, (10, 8)),
    Case("animated gif", animated_gif(), None, (16, 12)),
    Case("exif-rotated jpeg", exif_rotated_jpeg(), None, (20, 60)),
    Case("grayscale png", _save(_photo().convert("L"), "PNG"), None, (64, 40)),
    Case("all black", _save(Image.new("RGB", (32, 32), "black"), "PNG"), None, (32, 32)),
    Case("all white", _save(Image.new("RGB", (32, 32), "white"), "PNG"), None, (32, 32)),
    Case("webp", _save(_photo(), "WEBP"), None, (64, 40)),
    Case("bmp", _save(_photo(), "BMP"), None, (64, 40)),
    Case("tiff", _save(_photo(), "TIFF"), None, (64, 40)),
)

BAD_CASES = tuple(c for c in CASES if c.error)
GOOD_CASES = tuple(c for c in CASES if not c.error)
