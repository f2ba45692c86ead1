"""One image loader for every page: anything in, an upright RGB ``PIL.Image`` out.

Accepts bytes, a path, a file-like object (an upload), a ``PIL.Image`` or a NumPy array.
Applies EXIF orientation, takes the first frame of animations, flattens transparency onto
white, brings 16-bit and CMYK to 8-bit RGB, and refuses decompression bombs *before* decoding.

Example:
    >>> from PIL import Image
    >>> load_image(Image.new("L", (4, 3))).mode
    'RGB'
"""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path
from typing import IO, Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from engine import settings
from engine.errors import InvalidImage

# The limits (about a 40-megapixel photo, 20 MB) come from engine.settings, read at each call:
# VISION_MAX_PIXELS and VISION_MAX_UPLOAD_MB change them for a deployment.
UPLOAD_TYPES = ("jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff")

# PIL's own bomb guard raises (or warns) at its limit; ours runs first with a clear message.
Image.MAX_IMAGE_PIXELS = None


def _read_bytes(src: Any) -> bytes:
    max_bytes = settings.max_upload_bytes()
    if isinstance(src, (bytes, bytearray, memoryview)):
        if len(src) > max_bytes:
            raise _too_big_file(len(src))
        return bytes(src)
    if isinstance(src, (str, Path)):
        path = Path(src)
        if not path.is_file():
            raise InvalidImage(f"No such file: {path}.", code="not_found", name=str(path))
        if path.stat().st_size > max_bytes:
            raise _too_big_file(path.stat().st_size)
        return path.read_bytes()
    if hasattr(src, "read"):
        stream: IO[bytes] = src
        if hasattr(stream, "seek"):
            stream.seek(0)
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_big_file(len(data))
        return data
    raise InvalidImage(
        f"Expected image bytes, a path, a file, a PIL image or an array; got {type(src).__name__}.",
        code="bad_type",
        got=type(src).__name__,
    )


def _too_big_file(size: int) -> InvalidImage:
    limit = settings.max_upload_bytes()
    return InvalidImage(
        f"The file is {size / 2**20:.1f} MB; the limit is {limit / 2**20:.0f} MB.",
        code="file_too_large",
        size_mb=round(size / 2**20, 1),
        limit_mb=round(limit / 2**20),
    )


def _pil_open(stream: IO[bytes]) -> Image.Image:
    """PIL's own ``Image.open``, even after Ultralytics has monkey-patched it.

    Ultralytics replaces ``PIL.Image.open`` on import with a wrapper that, on any unidentified
    file, tries to pip-install ``pi-heif`` at run time (and fails offline with ImportError). A web
    app must neither install packages on a bad upload nor crash: we call the original opener.
    """
    patches = sys.modules.get("ultralytics.utils.patches")
    opener = getattr(patches, "_image_open", None) or Image.open
    return opener(stream)


def _sniff_unsupported(data: bytes) -> str | None:
    head = data[:512].lstrip()
    if head[:5].lower() in (b"<?xml", b"<svg ") or b"<svg" in head[:256].lower():
        return "SVG"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"avif"):
        return "HEIC/AVIF"
    if head[:5] == b"%PDF-":
        return "PDF"
    return None


def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert any PIL mode to RGB, flattening transparency onto white."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        lo, hi = float(arr.min()), float(arr.max())
        # Stretch to 0..255: a 16-bit photo keeps its contrast instead of clipping to white.
        arr = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(arr)
        img = Image.fromarray(arr.astype(np.uint8), "L")
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if img.mode != "RGB":
        img = img.convert("RGB")
    return img


def _from_array(arr: np.ndarray) -> Image.Image:
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 3, 4)):
        raise InvalidImage(
            f"Expected an array of shape (H, W), (H, W, 3) or (H, W, 4); got {arr.shape}.",
            code="bad_array",
            shape=str(arr.shape),
        )
    if arr.size == 0:
        raise InvalidImage("The image has no pixels.", code="empty")
    if arr.dtype != np.uint8:
        a = arr.astype(np.float64)
        a = a * 255.0 if a.max() <= 1.0 else a
        arr = np.clip(a, 0, 255).astype(np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    return Image.fromarray(arr)


def check_size(width: int, height: int, max_pixels: int | None = None) -> None:
    """Refuse images whose pixel count exceeds ``max_pixels`` (read from the header; default:
    :func:`engine.settings.max_pixels`)."""
    max_pixels = max_pixels or settings.max_pixels()
    if width <= 0 or height <= 0:
        raise InvalidImage("The image has no pixels.", code="empty")
    if width * height > max_pixels:
        raise InvalidImage(
            f"The image is {width}x{height} ({width * height / 1e6:.0f} megapixels); the limit is "
            f"{max_pixels / 1e6:.0f} megapixels.",
            code="too_many_pixels",
            width=width,
            height=height,
            limit_mp=round(max_pixels / 1e6),
        )


def load_image(src: Any, *, max_pixels: int | None = None) -> Image.Image:
    """Decode ``src`` into an upright RGB image, or raise :class:`InvalidImage` saying why.

    Example:
        >>> load_image(b"")
        Traceback (most recent call last):
        ...
        engine.errors.InvalidImage: The file is empty.
    """
    if isinstance(src, Image.Image):
        check_size(*src.size, max_pixels=max_pixels)
        return _to_rgb(ImageOps.exif_transpose(src) or src)
    if isinstance(src, np.ndarray):
        img = _from_array(src)
        check_size(*img.size, max_pixels=max_pixels)
        return _to_rgb(img)
    data = _read_bytes(src)
    if not data:
        raise InvalidImage("The file is empty.", code="empty")
    kind = _sniff_unsupported(data)
    if kind:
        raise InvalidImage(
            f"{kind} files are not supported; use JPEG, PNG, WebP, BMP, GIF or TIFF.",
            code="unsupported_format",
            format=kind,
        )
    try:
        img = _pil_open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise InvalidImage(
            "This file is not an image the app can read (JPEG, PNG, WebP, BMP, GIF or TIFF).",
            code="not_an_image",
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise InvalidImage(f"The image is damaged ({exc}).", code="corrupt", detail=str(exc)) from None
    # The header is read, the pixels are not: refuse bombs before decoding them.
    check_size(*img.size, max_pixels=max_pixels)
    try:
        if getattr(img, "n_frames", 1) > 1:
            img.seek(0)  # animated GIF/WebP/TIFF: the first frame
        img.load()
        img = ImageOps.exif_transpose(img) or img
        return _to_rgb(img)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise InvalidImage(f"The image is damaged or truncated ({exc}).", code="corrupt", detail=str(exc)) from None


def shrink_to(image: Image.Image, max_side: int) -> Image.Image:
    """``image`` shrunk so that its long side is at most ``max_side`` (the same image if it fits).

    Example:
        >>> shrink_to(Image.new("RGB", (4000, 3000)), 1000).size
        (1000, 750)
    """
    if max(image.size) <= max_side:
        return image
    scale = max_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def fit_working(image: Image.Image, max_side: int | None = None) -> tuple[Image.Image, tuple[int, int] | None]:
    """``image`` shrunk once to the working size (long side :func:`engine.settings.working_side`,
    aspect kept), and its original ``(width, height)`` when it was shrunk (``None`` when it fits).

    Pages call it once, right after decoding, so every later step (inference, boxes, hashing, the
    picture sent to the browser) works on the smaller image; the original size is kept to scale
    labels made for the full photo (COCO's pixel boxes) and to tell the student.

    Example:
        >>> small, original = fit_working(Image.new("RGB", (6000, 4000)), 2048)
        >>> small.size, original
        ((2048, 1365), (6000, 4000))
        >>> fit_working(Image.new("RGB", (640, 480)), 2048)[1] is None
        True
    """
    side = settings.working_side() if max_side is None else max_side
    if side <= 0 or max(image.size) <= side:
        return image, None
    return shrink_to(image, side), image.size


def to_png(image: Image.Image, *, compress_level: int = 6) -> bytes:
    """The one PNG encoder of the app: ``image`` as PNG bytes (for a download).

    ``compress_level`` is zlib's (6, Pillow's default; 3 is faster for pictures rebuilt while the
    student explores): the pixels are the same at every level.

    Example:
        >>> to_png(Image.new("RGB", (2, 2)))[:8]
        b'\\x89PNG\\r\\n\\x1a\\n'
    """
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=compress_level)
    return buf.getvalue()


def digest(content: bytes | Image.Image) -> str:
    """The one content hash of the app (BLAKE2b, 32 hex digits): of bytes (an uploaded file), or of
    an image's size, mode and pixels. Results and embeddings are cached under it.

    Example:
        >>> digest(Image.new("RGB", (2, 2))) == digest(Image.new("RGB", (2, 2))) != digest(b"")
        True
    """
    h = hashlib.blake2b(digest_size=16)
    if isinstance(content, Image.Image):
        h.update(f"{content.size}{content.mode}".encode())
        content = content.tobytes()
    h.update(content)
    return h.hexdigest()
