"""Reading a zip or a folder of images with their labels: which file is an image, a label, a COCO
JSON, a class-name file, and the images' upright sizes. Nothing here parses a label.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError

from engine import settings
from engine.evaluation.groundtruth.base import IMAGE_SUFFIXES, MAX_ZIP_BYTES, MAX_ZIP_FILES, NAMES_FILES, bad


@dataclass(frozen=True, eq=False)
class Files:
    """The files of a dataset by kind: images and txt labels by name (``a.jpg``, ``a``: a path or the
    bytes from a zip), the COCO JSONs ``(file name, bytes)``, the class-name file ``(file name, text)``."""

    images: Mapping[str, Path | bytes]
    labels: Mapping[str, Path | bytes]
    jsons: tuple[tuple[str, bytes], ...]
    names_file: tuple[str, str | bytes] | None


def upright_size(source: Path | bytes) -> tuple[int, int]:
    """``(width, height)`` as :func:`engine.inputs.images.load_image` will see it (EXIF rotation applied),
    read from the header only."""
    try:
        with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as img:
            width, height = img.size
            orientation = img.getexif().get(0x0112, 1)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        name = source.name if isinstance(source, Path) else "an image in the zip"
        raise bad(f"{name}: expected an image; it cannot be read ({exc}).", "gt_bad_image", name=name) from None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


@contextmanager
def zip_members(data: bytes) -> Iterator[tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]]:
    """The open zip and its files (no folders, macOS metadata or hidden files), refused before anything
    is read when it is not a zip or holds more than :data:`MAX_ZIP_FILES` files or :data:`MAX_ZIP_BYTES`
    uncompressed. Shared by every reader of a zip (detection's labels, a classification's class folders).

    Example:
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("cat/a.jpg", b"x")
        ...     z.writestr(".DS_Store", b"x")
        >>> with zip_members(buf.getvalue()) as (archive, infos):
        ...     [i.filename for i in infos]
        ['cat/a.jpg']
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise bad("Expected a zip file of images and labels; this is not a valid zip.", "gt_bad_zip") from None
    with archive:
        infos = [
            i
            for i in archive.infolist()
            if not i.is_dir()
            and not i.filename.startswith("__MACOSX/")
            and not PurePosixPath(i.filename).name.startswith(".")
        ]
        total = sum(i.file_size for i in infos)
        if len(infos) > MAX_ZIP_FILES or total > MAX_ZIP_BYTES:
            raise bad(
                f"The zip holds {len(infos)} files, {total / 2**20:.0f} MB uncompressed; the limit is "
                f"{MAX_ZIP_FILES} files and {MAX_ZIP_BYTES / 2**20:.0f} MB.",
                "gt_zip_too_large",
                files=len(infos),
                size_mb=round(total / 2**20),
            )
        yield archive, infos


def check_image_size(info: zipfile.ZipInfo, files: int) -> None:
    """Refuse an image of the zip larger than an upload may be (``VISION_MAX_UPLOAD_MB``), before reading it."""
    if info.file_size > settings.max_upload_bytes():
        name = PurePosixPath(info.filename).name
        raise bad(
            f"{name} is {info.file_size / 2**20:.0f} MB; the limit per image is "
            f"{settings.max_upload_bytes() / 2**20:.0f} MB.",
            "gt_zip_too_large",
            files=files,
            size_mb=round(info.file_size / 2**20),
        )


def read_zip(data: bytes) -> Files:
    """The files of a zip of images and labels, by kind (for :meth:`Dataset.from_zip`).

    Read in memory (nothing is extracted), with limits on the number and size of its files.

    Example:
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w") as z:
        ...     z.writestr("a.txt", "0 0.5 0.5 0.5 0.5")
        >>> read_zip(buf.getvalue()).labels
        {'a': b'0 0.5 0.5 0.5 0.5'}
    """
    with zip_members(data) as (archive, infos):
        images: dict[str, bytes] = {}
        labels: dict[str, bytes] = {}
        jsons: list[tuple[str, bytes]] = []
        names_file: tuple[str, bytes] | None = None
        for info in infos:
            path = PurePosixPath(info.filename)
            suffix = path.suffix.lower()
            if path.name.lower() in NAMES_FILES:
                names_file = (path.name.lower(), archive.read(info))
            elif suffix in IMAGE_SUFFIXES:
                check_image_size(info, len(infos))
                if path.name in images:
                    raise bad(
                        f"The zip has two images named {path.name}; expected unique file names.",
                        "gt_duplicate_name",
                        name=path.name,
                    )
                images[path.name] = archive.read(info)
            elif suffix == ".txt":
                labels[path.stem] = archive.read(info)
            elif suffix == ".json":
                jsons.append((path.name, archive.read(info)))
    return Files(images, labels, tuple(jsons), names_file)


def read_dir(root: str | Path, *, split: str = "val") -> Files:
    """The files of a folder, by kind (for :meth:`Dataset.from_dir`): Ultralytics layout
    (``images/<split>/``, ``labels/<split>/``), a COCO JSON (``annotations/*.json`` or ``*.json``) with
    its images, or images with txt files beside them. The JSONs are read only when no txt labels are.
    """
    root = Path(root)
    if not root.is_dir():
        raise bad(f"Expected a folder of images and labels; {root} is not a folder.", "gt_no_dir", path=str(root))
    candidates = [root / "images" / split, root / "images", root / split, root]
    image_dir = next((d for d in candidates if d.is_dir() and _images_in(d)), None)
    if image_dir is None:
        raise bad(
            f"Expected images in {root}/images/{split}/ (Ultralytics layout), {root}/images/ or {root}/; found none.",
            "gt_no_images",
            path=str(root),
        )
    images: dict[str, Path | bytes] = {p.name: p for p in _images_in(image_dir)}
    names_file: tuple[str, str | bytes] | None = None
    for filename in NAMES_FILES:
        if (root / filename).is_file():
            names_file = (filename, (root / filename).read_text(encoding="utf-8-sig"))
            break
    jsons = sorted((root / "annotations").glob("*.json")) + sorted(root.glob("*.json"))
    split_jsons = [j for j in jsons if split in j.stem] or jsons
    label_dir = _label_dir(root, image_dir, split)
    if label_dir is None and split_jsons:
        return Files(images, {}, tuple((path.name, path.read_bytes()) for path in split_jsons), names_file)
    labels: dict[str, Path | bytes] = {}
    if label_dir is not None:
        labels = {p.stem: p for p in label_dir.glob("*.txt") if p.name not in NAMES_FILES}
    return Files(images, labels, (), names_file)


def _images_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def _label_dir(root: Path, image_dir: Path, split: str) -> Path | None:
    """Where the txt labels of ``image_dir`` are (Ultralytics: ``images`` → ``labels``)."""
    parts = list(image_dir.relative_to(root).parts)
    if "images" in parts:
        parts[parts.index("images")] = "labels"
        candidate = root.joinpath(*parts)
        if candidate.is_dir():
            return candidate
    if any(p.suffix == ".txt" and p.name not in NAMES_FILES for p in image_dir.iterdir()):
        return image_dir
    return None
