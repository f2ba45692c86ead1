"""Small upload files made in memory for the tests: a plain JPEG and a zip of named files.

Example:
    >>> import zipfile, io
    >>> zipfile.ZipFile(io.BytesIO(zip_bytes({"gato/a.jpg": jpeg()}))).namelist()
    ['gato/a.jpg']
"""

from __future__ import annotations

import io
import zipfile

from PIL import Image


def jpeg(
    size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (90, 120, 150), *, exif_rotate: bool = False
) -> bytes:
    """A one-colour JPEG; ``exif_rotate``: tagged "rotate 90°", so its upright size is ``size`` swapped."""
    buf = io.BytesIO()
    img = Image.new("RGB", size, color)
    if exif_rotate:
        exif = Image.Exif()
        exif[0x0112] = 6
        img.save(buf, format="JPEG", exif=exif)
    else:
        img.save(buf, format="JPEG")
    return buf.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip holding ``files`` (name -> bytes), in that order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
