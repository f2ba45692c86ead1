"""A zip of photos in one folder per class (the ImageFolder layout: ``gato/1.jpg``, ``perro/2.jpg``),
read in memory with the detection zip's limits (:func:`engine.evaluation.groundtruth.files.zip_members`),
and the sample set built from the app's photos.

Refused, each with its code: not a zip, too many files or bytes, a nested archive, a file that is
not an image, no class folders, photos outside them or in sub-folders, one class only, too many
classes or photos, two folders with the same name.

Example:
    >>> labelled = LabelledSet.from_zip(sample_zip("en"))
    >>> labelled.classes, len(labelled)
    (('astronaut', 'cat', 'cup', 'motorcycle', 'rocket'), 15)
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image, ImageOps

from engine.evaluation.groundtruth.base import IMAGE_SUFFIXES, bad
from engine.evaluation.groundtruth.files import check_image_size, upright_size, zip_members
from engine.evaluation.labelled.mapping import normalise
from engine.inputs.images import digest, load_image
from engine.tasks.clip.labels import MAX_LABEL_CHARS, MAX_LABELS

MIN_CLASSES = 2  # an accuracy over one class measures nothing
MAX_CLASSES = MAX_LABELS  # CLIP's labels are the folder names: the same 30
MAX_PHOTOS = 120  # every photo runs through up to three models on a shared CPU
ARCHIVE_SUFFIXES = frozenset({".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar"})
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini"})  # what Windows leaves in every photo folder

# The sample set: five classes of three photos each, the photo, its mirror image and a crop of it.
SAMPLE_CLASSES = {
    "cat": ("gato", "cat"),
    "coffee": ("taza", "cup"),
    "rocket": ("cohete", "rocket"),
    "motorcycle": ("moto", "motorcycle"),
    "astronaut": ("astronauta", "astronaut"),  # ImageNet has no astronaut: a supervised model cannot say it
}


@dataclass(frozen=True, eq=False)
class LabelledPhoto:
    """One photo of the set: its path in the zip (``gato/1.jpg``), its class (the folder) and its bytes."""

    name: str
    label: str
    data: bytes

    def load(self) -> Image.Image:
        """The decoded RGB photo (:func:`engine.inputs.images.load_image`: limits, EXIF rotation)."""
        return load_image(self.data)


@dataclass(frozen=True, eq=False)
class LabelledSet:
    """Photos with their class, the classes sorted by name; ``digest`` identifies the zip."""

    classes: tuple[str, ...]
    photos: tuple[LabelledPhoto, ...]
    digest: str

    def __len__(self) -> int:
        return len(self.photos)

    def counts(self) -> dict[str, int]:
        """Photos per class, in class order."""
        counted = Counter(p.label for p in self.photos)
        return {c: counted[c] for c in self.classes}

    @classmethod
    def from_zip(cls, data: bytes) -> LabelledSet:
        """Read an ImageFolder zip (one folder per class; the whole may sit in one top folder).

        Example:
            >>> LabelledSet.from_zip(b"not a zip")
            Traceback (most recent call last):
            ...
            engine.errors.InvalidInput: Expected a zip file of images and labels; this is not a valid zip.
        """
        found: list[tuple[PurePosixPath, bytes]] = []
        with zip_members(data) as (archive, infos):
            for info in infos:
                path = PurePosixPath(info.filename)
                suffix = path.suffix.lower()
                if path.name.lower() in IGNORED_NAMES:
                    continue
                if suffix in ARCHIVE_SUFFIXES:
                    raise bad(
                        f"{path.name} is an archive inside the zip; expected photos in class folders, not archives.",
                        "labelled_nested_archive",
                        name=path.name,
                    )
                if suffix not in IMAGE_SUFFIXES:
                    raise bad(
                        f"{info.filename} is not a photo (JPEG, PNG...); the class folders may only hold photos.",
                        "labelled_not_image",
                        name=info.filename,
                    )
                check_image_size(info, len(infos))
                found.append((path, archive.read(info)))
        photos = [_photo(path, content) for path, content in _strip_top_folder(found)]
        return cls._checked(photos, digest(data))

    @classmethod
    def _checked(cls, photos: list[LabelledPhoto], zip_digest: str) -> LabelledSet:
        if not photos:
            raise bad(
                "The zip has no photos in class folders (expected gato/1.jpg, perro/2.jpg...).", "labelled_no_classes"
            )
        if len(photos) > MAX_PHOTOS:
            raise bad(
                f"The zip has {len(photos)} photos; at most {MAX_PHOTOS} are measured at once.",
                "labelled_too_many_photos",
                n=len(photos),
                max=MAX_PHOTOS,
            )
        classes = sorted({p.label for p in photos}, key=lambda c: (normalise(c), c))  # Pájaro before perro
        seen: dict[str, str] = {}
        for name in classes:
            key = prompt_name(name).casefold()
            if key in seen:
                raise bad(
                    f"The folders {seen[key]} and {name} are the same class name; rename one.",
                    "labelled_duplicate_class",
                    first=seen[key],
                    second=name,
                )
            seen[key] = name
            if len(name) > MAX_LABEL_CHARS:
                raise bad(
                    f"A class folder's name can have at most {MAX_LABEL_CHARS} characters; one has {len(name)}.",
                    "labelled_class_name_too_long",
                    max=MAX_LABEL_CHARS,
                    got=len(name),
                )
        if len(classes) < MIN_CLASSES:
            raise bad(
                f"The zip has one class folder ({classes[0]}); at least {MIN_CLASSES} are needed to measure accuracy.",
                "labelled_one_class",
                name=classes[0],
                min=MIN_CLASSES,
            )
        if len(classes) > MAX_CLASSES:
            raise bad(
                f"The zip has {len(classes)} class folders; at most {MAX_CLASSES}.",
                "labelled_too_many_classes",
                n=len(classes),
                max=MAX_CLASSES,
            )
        ordered = sorted(photos, key=lambda p: (classes.index(p.label), p.name))
        return cls(tuple(classes), tuple(ordered), zip_digest)


def _strip_top_folder(found: list[tuple[PurePosixPath, bytes]]) -> list[tuple[PurePosixPath, bytes]]:
    """The paths without the one folder that holds everything (zipping the folder ``fotos/`` itself)."""
    while found and all(len(p.parts) > 2 for p, _ in found) and len({p.parts[0] for p, _ in found}) == 1:
        found = [(PurePosixPath(*p.parts[1:]), content) for p, content in found]
    return found


def _photo(path: PurePosixPath, content: bytes) -> LabelledPhoto:
    if len(path.parts) == 1:
        raise bad(
            f"{path.name} is not in a class folder; expected every photo in the folder of its class.",
            "labelled_loose_photo",
            name=path.name,
        )
    if len(path.parts) > 2:
        raise bad(
            f"{path} is in a folder inside a class folder; expected one level of class folders.",
            "labelled_too_deep",
            name=str(path),
        )
    upright_size(content)  # a header that cannot be read is refused now, not halfway through a run
    label = " ".join(unicodedata.normalize("NFC", path.parts[0]).split())
    return LabelledPhoto(str(path), label, content)


def prompt_name(folder: str) -> str:
    """A folder name as CLIP reads it in the template: ``golden_retriever`` -> ``golden retriever``.

    Example:
        >>> prompt_name("golden_retriever")
        'golden retriever'
    """
    return " ".join(folder.replace("_", " ").split())


def sample_zip(lang: str = "es") -> bytes:
    """The sample set as a zip (folder names in ``lang``), built from the app's photos (scikit-image's).

    Each class has its photo, the photo mirrored and its centre crop (75 %): three views a model sees
    differently, though no new photos.
    """
    from engine.inputs.samples import load_sample

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        for key, (es, en) in SAMPLE_CLASSES.items():
            folder = es if lang == "es" else en
            photo = load_sample(key)
            w, h = photo.size
            crop = photo.crop((w // 8, h // 8, w - w // 8, h - h // 8))
            for name, view in (("1", photo), ("2", ImageOps.mirror(photo)), ("3", crop)):
                out = io.BytesIO()
                view.save(out, format="JPEG", quality=92)
                # A fixed date: the same photos make the same zip, byte for byte (and the same digest).
                info = zipfile.ZipInfo(f"{folder}/{key}_{name}.jpg", date_time=(2024, 1, 1, 0, 0, 0))
                archive.writestr(info, out.getvalue())
    return buf.getvalue()
