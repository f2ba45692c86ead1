"""Ground-truth boxes: YOLO txt, COCO JSON, a zip of images with labels, or a folder.

Everything becomes :class:`GroundTruth` (one image's boxes in pixels, ``xyxy``, with class
*names*, which is what detections are compared by). Labels that cannot belong to the image
(coordinates outside it, a COCO entry for an image of another size, a class id the names do
not have, label files no image matches) raise :class:`~engine.errors.InvalidInput` saying what
was expected and what came.

Formats:

- YOLO txt: one object a line, ``class x_center y_center width height``, normalised to 0..1
  (a polygon ``class x1 y1 x2 y2 ...`` is also read, as its bounding box, like Ultralytics does).
  Class ids index ``names``: a ``data.yaml`` or ``classes.txt`` beside the labels, else COCO's 80.
- COCO JSON: ``images`` (``id``, ``file_name``, ``width``, ``height``), ``annotations``
  (``image_id``, ``category_id``, ``bbox`` = ``[x, y, width, height]`` in pixels, ``iscrowd``),
  ``categories`` (``id``, ``name``).
- A folder in the Ultralytics layout (``images/<split>/``, ``labels/<split>/``) or with a COCO
  JSON; a zip of images with either kind of labels (matched by file name: ``a.jpg`` ↔ ``a.txt``).

Example:
    >>> gt = GroundTruth.from_yolo_txt("0 0.5 0.5 0.5 0.5", (200, 100))
    >>> (gt.class_name, gt.xyxy.tolist())
    (('person',), [[50.0, 25.0, 150.0, 75.0]])
    >>> gt.rows()
    [{'label': 'person', 'x1': 50.0, 'y1': 25.0, 'x2': 150.0, 'y2': 75.0, 'crowd': False}]
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from engine import settings
from engine.errors import InvalidInput
from engine.inputs.images import UPLOAD_TYPES, load_image
from engine.results import json_text, rows_csv
from engine.tasks.detection import COCO_NAMES, Detections

IMAGE_SUFFIXES = frozenset(f".{s}" for s in UPLOAD_TYPES)
TOLERANCE = 0.01  # 1 % of the image: labels rounded or drawn a hair past the border still count
MAX_ZIP_FILES = 5000
MAX_ZIP_BYTES = 1024 * 1024 * 1024  # uncompressed: refuse zip bombs before reading anything
NAMES_FILES = ("data.yaml", "dataset.yaml", "classes.txt", "obj.names")


def _bad(message: str, code: str, **params: Any) -> InvalidInput:
    return InvalidInput(message, code=code, detail=message, **params)


@dataclass(frozen=True, eq=False)
class GroundTruth:
    """The labelled objects of one image: ``xyxy`` pixels, class names, COCO's crowd flags."""

    image_name: str
    width: int
    height: int
    xyxy: np.ndarray
    class_name: tuple[str, ...]
    iscrowd: np.ndarray

    def __post_init__(self) -> None:
        boxes = np.asarray(self.xyxy, dtype=np.float32)
        if boxes.size == 0:
            boxes = boxes.reshape(0, 4)
        if boxes.ndim != 2 or boxes.shape[1] != 4:
            raise _bad(f"GroundTruth.xyxy: expected an array of shape (N, 4); got shape {boxes.shape}.", "gt_bad_truth")
        crowd = np.zeros(len(boxes), dtype=bool) if self.iscrowd is None else np.asarray(self.iscrowd, dtype=bool)
        if len(self.class_name) != len(boxes) or len(crowd) != len(boxes):
            raise _bad(
                f"GroundTruth: expected one class name and crowd flag per box ({len(boxes)}); "
                f"got {len(self.class_name)} names and {len(crowd)} flags.",
                "gt_bad_truth",
            )
        boxes.flags.writeable = False
        crowd.flags.writeable = False
        object.__setattr__(self, "xyxy", boxes)
        object.__setattr__(self, "iscrowd", crowd)
        object.__setattr__(self, "class_name", tuple(self.class_name))

    @classmethod
    def from_boxes(
        cls,
        image_name: str,
        size: tuple[int, int],
        boxes: Sequence[Sequence[float]],
        names: Sequence[str],
        crowd: Any = None,
    ) -> GroundTruth:
        """From ``xyxy`` pixel boxes and their class names, for an image of ``size`` (width, height).

        Example:
            >>> len(GroundTruth.from_boxes("a.jpg", (100, 80), [[10, 10, 50, 50]], ["cat"]))
            1
        """
        return cls(image_name, int(size[0]), int(size[1]), np.asarray(boxes, dtype=np.float32), tuple(names), crowd)

    @classmethod
    def from_yolo_txt(
        cls,
        text: str | bytes,
        image_size: tuple[int, int],
        *,
        names: Sequence[str] = COCO_NAMES,
        image_name: str = "",
        source: str = "labels.txt",
    ) -> GroundTruth:
        """One image's boxes from YOLO txt labels (normalised to 0..1) and the image's ``(width, height)``.

        An empty file means an image with no objects; class ids index ``names``.
        """
        return _parse_yolo_txt(text, image_size, names=names, image_name=image_name, source=source)

    @classmethod
    def from_coco_json(
        cls,
        data: str | bytes | Mapping[str, Any],
        image_name: str,
        image_size: tuple[int, int],
        *,
        source: str = "labels.json",
    ) -> GroundTruth:
        """One image's boxes from a COCO JSON: its entry by file name (or the only one), whose size
        must be the image's (:func:`parse_coco_json` gives every image's)."""
        return truth_for_image(parse_coco_json(data, source=source), image_name, image_size)

    def __len__(self) -> int:
        return int(self.xyxy.shape[0])

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    def filter(self, classes: Iterable[str] | None) -> GroundTruth:
        """Only the objects of ``classes`` (all when ``None``)."""
        if classes is None:
            return self
        wanted = set(classes)
        keep = np.array([n in wanted for n in self.class_name], dtype=bool)
        idx = np.flatnonzero(keep)
        return GroundTruth(
            self.image_name,
            self.width,
            self.height,
            self.xyxy[idx],
            tuple(self.class_name[i] for i in idx),
            self.iscrowd[idx],
        )

    def counts(self) -> dict[str, int]:
        """Objects per class (crowd regions not counted)."""
        out: dict[str, int] = {}
        for name, crowd in zip(self.class_name, self.iscrowd, strict=True):
            if not crowd:
                out[name] = out.get(name, 0) + 1
        return out

    def to_detections(self) -> Detections:
        """The labelled objects as :class:`~engine.tasks.detection.Detections` (confidence 1, class id -1),
        to draw them with the same annotator and colours as a model's boxes."""
        return Detections(self.xyxy, np.ones(len(self)), np.full(len(self), -1), self.class_name)

    def rows(self) -> list[dict[str, Any]]:
        """One row per object: label, x1, y1, x2, y2 (pixels, 1 decimal), crowd."""
        return [
            {
                "label": name,
                **{k: round(float(v), 1) for k, v in zip(("x1", "y1", "x2", "y2"), box, strict=True)},
                "crowd": bool(crowd),
            }
            for name, box, crowd in zip(self.class_name, self.xyxy, self.iscrowd, strict=True)
        ]

    def to_csv(self) -> str:
        """The rows as CSV (header ``label,x1,y1,x2,y2,crowd``)."""
        return rows_csv(self.rows(), ["label", "x1", "y1", "x2", "y2", "crowd"])

    def to_json(self, **extra: Any) -> str:
        """The rows as JSON (``{**extra, "image": ..., "width": ..., "height": ..., "objects": [...]}``)."""
        return json_text(
            {**extra, "image": self.image_name, "width": self.width, "height": self.height, "objects": self.rows()}
        )


@dataclass(frozen=True, eq=False)
class LabelledImage:
    """One image of a dataset (a path, the bytes from a zip, or an image already decoded) with its ground truth."""

    name: str
    truth: GroundTruth
    source: Path | bytes | Image.Image

    def load(self) -> Image.Image:
        """The upright RGB image (see :func:`engine.inputs.images.load_image`; a decoded image as it is)."""
        return self.source if isinstance(self.source, Image.Image) else load_image(self.source)


@dataclass(frozen=True, eq=False)
class Dataset:
    """Labelled images, with the class names and what did not pair up."""

    items: tuple[LabelledImage, ...]
    names: tuple[str, ...]
    format: str  # "yolo" or "coco"
    backgrounds: tuple[str, ...] = ()  # images without a label file (no objects, as Ultralytics counts them)
    orphans: tuple[str, ...] = ()  # label files whose image is missing

    @classmethod
    def from_image(cls, name: str, image: Image.Image, truth: GroundTruth) -> Dataset:
        """One decoded image and its labels as a dataset: evaluated the way a zip is.

        Example:
            >>> gt = GroundTruth.from_boxes("a.jpg", (4, 4), [[0, 0, 2, 2]], ["cat"])
            >>> ds = Dataset.from_image("a.jpg", Image.new("RGB", (4, 4)), gt)
            >>> len(ds), ds.names, ds.format
            (1, ('cat',), 'image')
        """
        names = tuple(dict.fromkeys(truth.class_name))
        return cls((LabelledImage(name, truth, image),), names, "image")

    def __len__(self) -> int:
        return len(self.items)

    def head(self, n: int) -> Dataset:
        """The first ``n`` images (their background list cut to match); the same dataset when it has no more."""
        if len(self.items) <= n:
            return self
        items = self.items[:n]
        kept = {item.name for item in items}
        backgrounds = tuple(b for b in self.backgrounds if b in kept)
        return Dataset(items, self.names, self.format, backgrounds, self.orphans)

    def find(self, image_name: str) -> LabelledImage | None:
        """The item whose file name (or name without extension) is ``image_name``'s."""
        stem = PurePosixPath(image_name).stem
        for item in self.items:
            if item.name == image_name or PurePosixPath(item.name).stem == stem:
                return item
        return None


# --- YOLO txt ---


def _float(token: str, source: str, line_no: int, line: str) -> float:
    try:
        value = float(token)
    except ValueError:
        raise _bad(
            f"{source}, line {line_no}: expected numbers 'class x_center y_center width height' (YOLO format); "
            f"got {line!r}.",
            "gt_bad_yolo_line",
            source=source,
            line=line_no,
            got=line[:80],
        ) from None
    if not np.isfinite(value):
        raise _bad(
            f"{source}, line {line_no}: expected finite numbers; got {token!r}.",
            "gt_bad_yolo_line",
            source=source,
            line=line_no,
            got=line[:80],
        )
    return value


def _parse_yolo_txt(
    text: str | bytes,
    image_size: tuple[int, int],
    *,
    names: Sequence[str] = COCO_NAMES,
    image_name: str = "",
    source: str = "labels.txt",
) -> GroundTruth:
    """:meth:`GroundTruth.from_yolo_txt`."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _bad(
                f"{source}: expected a text file of YOLO labels; got binary data.", "gt_not_text", source=source
            ) from None
    width, height = image_size
    boxes: list[list[float]] = []
    labels: list[str] = []
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tokens = line.split()
        values = [_float(tok, source, line_no, line) for tok in tokens]
        if len(values) < 5 or (len(values) > 5 and len(values) % 2 == 0):
            raise _bad(
                f"{source}, line {line_no}: expected 5 values 'class x_center y_center width height' "
                f"(or a polygon 'class x1 y1 x2 y2 ...'); got {len(values)}: {line!r}.",
                "gt_bad_yolo_line",
                source=source,
                line=line_no,
                got=line[:80],
            )
        cls = values[0]
        if cls != int(cls) or not 0 <= cls < len(names):
            raise _bad(
                f"{source}, line {line_no}: expected a class id from 0 to {len(names) - 1} "
                f"({len(names)} classes); got {tokens[0]}.",
                "gt_bad_class",
                source=source,
                line=line_no,
                got=tokens[0],
                n=len(names),
                last=len(names) - 1,
            )
        coords = np.array(values[1:], dtype=np.float64)
        if coords.min() < -TOLERANCE or coords.max() > 1 + TOLERANCE:
            bad = coords[(coords < -TOLERANCE) | (coords > 1 + TOLERANCE)][0]
            raise _bad(
                f"{source}, line {line_no}: expected coordinates normalised to the image (0 to 1); got {bad:g}. "
                "Pixel coordinates, or labels of another format?",
                "gt_not_normalised",
                source=source,
                line=line_no,
                got=f"{bad:g}",
            )
        if len(values) == 5:
            cx, cy, w, h = coords
            if w <= 0 or h <= 0:
                raise _bad(
                    f"{source}, line {line_no}: expected a positive width and height; got {w:g} x {h:g}.",
                    "gt_empty_box",
                    source=source,
                    line=line_no,
                )
            x1, y1, x2, y2 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
            if min(x1, y1) < -TOLERANCE or max(x2, y2) > 1 + TOLERANCE:
                raise _bad(
                    f"{source}, line {line_no}: the box reaches past the image ({x1:.3f}, {y1:.3f}, {x2:.3f}, "
                    f"{y2:.3f} in 0..1 units); these labels do not fit this image.",
                    "gt_box_outside",
                    source=source,
                    line=line_no,
                )
        else:  # a segment: its bounding box
            xs, ys = coords[0::2], coords[1::2]
            x1, y1, x2, y2 = xs.min(), ys.min(), xs.max(), ys.max()
        box = np.clip([x1, y1, x2, y2], 0.0, 1.0) * [width, height, width, height]
        boxes.append(box.tolist())
        labels.append(names[int(cls)])
    return GroundTruth.from_boxes(image_name, image_size, boxes, labels)


# --- COCO JSON ---


def _coco_dict(data: str | bytes | Mapping[str, Any], source: str) -> Mapping[str, Any]:
    if isinstance(data, Mapping):
        doc = data
    else:
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _bad(
                f"{source}: expected a JSON file; it does not parse ({exc}).", "gt_bad_json", source=source
            ) from None
    if not isinstance(doc, Mapping) or not all(isinstance(doc.get(k), list) for k in ("images", "annotations")):
        got = sorted(doc) if isinstance(doc, Mapping) else type(doc).__name__
        raise _bad(
            f"{source}: expected COCO JSON with lists 'images', 'annotations' and 'categories'; got {got}.",
            "gt_bad_coco",
            source=source,
            got=str(got)[:120],
        )
    return doc


def parse_coco_json(data: str | bytes | Mapping[str, Any], *, source: str = "labels.json") -> dict[str, GroundTruth]:
    """Every image's boxes from a COCO JSON, by ``file_name``.

    Example:
        >>> doc = {"images": [{"id": 1, "file_name": "a.jpg", "width": 100, "height": 80}],
        ...        "annotations": [{"image_id": 1, "category_id": 3, "bbox": [10, 10, 20, 30]}],
        ...        "categories": [{"id": 3, "name": "car"}]}
        >>> parse_coco_json(doc)["a.jpg"].xyxy.tolist()
        [[10.0, 10.0, 30.0, 40.0]]
    """
    doc = _coco_dict(data, source)
    try:
        categories = {int(c["id"]): str(c["name"]) for c in doc.get("categories") or []}
        images = {int(im["id"]): (str(im["file_name"]), int(im["width"]), int(im["height"])) for im in doc["images"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(
            f"{source}: expected every image to have id, file_name, width and height, and every category id "
            f"and name; one lacks {exc}.",
            "gt_bad_coco",
            source=source,
            got=str(exc)[:120],
        ) from None
    per_image: dict[int, tuple[list[list[float]], list[str], list[bool]]] = {i: ([], [], []) for i in images}
    for n, ann in enumerate(doc["annotations"]):
        try:
            image_id, cat = int(ann["image_id"]), int(ann["category_id"])
            x, y, w, h = (float(v) for v in ann["bbox"])
        except (KeyError, TypeError, ValueError):
            raise _bad(
                f"{source}: annotation {n}: expected image_id, category_id and bbox [x, y, width, height]; "
                f"got {json.dumps(ann)[:120]}.",
                "gt_bad_coco",
                source=source,
                got=json.dumps(ann)[:120],
            ) from None
        if image_id not in images:
            raise _bad(
                f"{source}: annotation {n} is for image_id {image_id}, which is not in 'images'.",
                "gt_bad_coco",
                source=source,
                got=f"image_id {image_id}",
            )
        if categories and cat not in categories:
            raise _bad(
                f"{source}: annotation {n} has category_id {cat}, which is not in 'categories'.",
                "gt_bad_coco",
                source=source,
                got=f"category_id {cat}",
            )
        name, width, height = images[image_id]
        if w <= 0 or h <= 0:
            continue  # COCO has a few degenerate boxes; its own evaluation ignores them too
        tol_x, tol_y = TOLERANCE * width + 1, TOLERANCE * height + 1
        if x < -tol_x or y < -tol_y or x + w > width + tol_x or y + h > height + tol_y:
            raise _bad(
                f"{source}: annotation {n} box [{x:g}, {y:g}, {w:g}, {h:g}] reaches past its image {name} "
                f"({width}x{height} pixels).",
                "gt_box_outside_coco",
                source=source,
                image=name,
                width=width,
                height=height,
            )
        boxes, names, crowd = per_image[image_id]
        boxes.append([max(0.0, x), max(0.0, y), min(float(width), x + w), min(float(height), y + h)])
        names.append(categories.get(cat, str(cat)))
        crowd.append(bool(ann.get("iscrowd", 0)))
    return {
        images[i][0]: GroundTruth.from_boxes(images[i][0], images[i][1:], b, n, np.array(c, dtype=bool))
        for i, (b, n, c) in per_image.items()
    }


def truth_for_image(truths: Mapping[str, GroundTruth], image_name: str, image_size: tuple[int, int]) -> GroundTruth:
    """The COCO entry of this image: by file name, or the only one; its size must be the image's."""
    stem = PurePosixPath(image_name).stem
    found = [t for name, t in truths.items() if name == image_name or PurePosixPath(name).stem == stem]
    if not found and len(truths) == 1:
        found = list(truths.values())
    if not found:
        listed = ", ".join(sorted(truths)[:5]) + (" …" if len(truths) > 5 else "")
        raise _bad(
            f"The labels describe {len(truths)} images ({listed}); none is {image_name!r}.",
            "gt_image_not_found",
            image=image_name,
            n=len(truths),
            names=listed,
        )
    truth = found[0]
    if truth.size != tuple(image_size):
        raise _bad(
            f"The labels are for an image of {truth.width}x{truth.height} pixels; this image is "
            f"{image_size[0]}x{image_size[1]}. They do not match.",
            "gt_size_mismatch",
            label_width=truth.width,
            label_height=truth.height,
            width=image_size[0],
            height=image_size[1],
        )
    return GroundTruth(image_name, truth.width, truth.height, truth.xyxy, truth.class_name, truth.iscrowd)


# --- class names ---


def parse_names(text: str | bytes, filename: str) -> tuple[str, ...]:
    """Class names from a ``data.yaml`` (``names:`` list or ``{id: name}``) or a one-per-line file."""
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    if filename.endswith((".yaml", ".yml")):
        import yaml

        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise _bad(
                f"{filename}: expected YAML; it does not parse ({exc}).", "gt_bad_names", source=filename
            ) from None
        names = doc.get("names") if isinstance(doc, Mapping) else None
        if isinstance(names, Mapping):
            ids = sorted(int(k) for k in names)
            if ids != list(range(len(ids))):
                raise _bad(
                    f"{filename}: expected names with ids 0..N-1; got ids {ids[:10]}.", "gt_bad_names", source=filename
                )
            return tuple(str(names[k]) for k in sorted(names, key=int))
        if isinstance(names, list):
            return tuple(str(n) for n in names)
        raise _bad(
            f"{filename}: expected a 'names' list or mapping; got {type(names).__name__}.",
            "gt_bad_names",
            source=filename,
        )
    return tuple(line.strip() for line in text.splitlines() if line.strip())


# --- images ---


def upright_size(source: Path | bytes) -> tuple[int, int]:
    """``(width, height)`` as :func:`engine.inputs.images.load_image` will see it (EXIF rotation applied),
    read from the header only."""
    try:
        with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as img:
            width, height = img.size
            orientation = img.getexif().get(0x0112, 1)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        name = source.name if isinstance(source, Path) else "an image in the zip"
        raise _bad(f"{name}: expected an image; it cannot be read ({exc}).", "gt_bad_image", name=name) from None
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _pair(
    images: Mapping[str, Path | bytes],
    labels: Mapping[str, Path | bytes],
    coco: Mapping[str, GroundTruth] | None,
    names: Sequence[str],
) -> Dataset:
    """Images paired with their labels by name (``a.jpg`` ↔ ``a.txt`` or COCO ``file_name``)."""
    if not images:
        raise _bad("Expected images (JPEG, PNG...) with their labels; found no images.", "gt_no_images")
    items: list[LabelledImage] = []
    backgrounds: list[str] = []
    if coco is not None:
        by_name = {PurePosixPath(n).name: t for n, t in coco.items()}
        matched = 0
        for name, src in sorted(images.items()):
            truth = by_name.get(name)
            size = upright_size(src)
            if truth is None:
                backgrounds.append(name)
                truth = GroundTruth.from_boxes(name, size, [], [])
            else:
                matched += 1
                truth = truth_for_image({name: truth}, name, size)
            items.append(LabelledImage(name, truth, src))
        orphans = sorted(set(by_name) - set(images))
        if not matched:
            raise _no_match(len(by_name), len(images), sorted(by_name), sorted(images))
        names = tuple(dict.fromkeys(n for t in coco.values() for n in t.class_name))
        return Dataset(tuple(items), tuple(names), "coco", tuple(backgrounds), tuple(orphans))
    stems = {PurePosixPath(n).stem: n for n in images}
    orphans = sorted(s for s in labels if s not in stems)
    if labels and len(orphans) == len(labels):
        raise _no_match(len(labels), len(images), sorted(labels), sorted(images))
    for stem, name in sorted(stems.items()):
        src = images[name]
        size = upright_size(src)
        label = labels.get(stem)
        if label is None:
            backgrounds.append(name)
            truth = GroundTruth.from_boxes(name, size, [], [])
        else:
            text = label.read_bytes() if isinstance(label, Path) else label
            truth = GroundTruth.from_yolo_txt(text, size, names=names, image_name=name, source=f"{stem}.txt")
        items.append(LabelledImage(name, truth, src))
    return Dataset(tuple(items), tuple(names), "yolo", tuple(backgrounds), tuple(f"{s}.txt" for s in orphans))


def _no_match(n_labels: int, n_images: int, labels: list[str], images: list[str]) -> InvalidInput:
    return _bad(
        f"None of the {n_labels} label entries matches one of the {n_images} images by name "
        f"(labels: {', '.join(labels[:3])}…; images: {', '.join(images[:3])}…). Labels pair with images by file "
        "name: photo.jpg ↔ photo.txt.",
        "gt_no_match",
        n_labels=n_labels,
        n_images=n_images,
        labels=", ".join(labels[:3]),
        images=", ".join(images[:3]),
    )


# --- a zip, a folder ---


def load_zip(data: bytes, *, names: Sequence[str] | None = None) -> Dataset:
    """A dataset from a zip of images and labels (YOLO txt files, or one COCO JSON).

    Read in memory (nothing is extracted), with limits on the number and size of its files.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise _bad("Expected a zip file of images and labels; this is not a valid zip.", "gt_bad_zip") from None
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
            raise _bad(
                f"The zip holds {len(infos)} files, {total / 2**20:.0f} MB uncompressed; the limit is "
                f"{MAX_ZIP_FILES} files and {MAX_ZIP_BYTES / 2**20:.0f} MB.",
                "gt_zip_too_large",
                files=len(infos),
                size_mb=round(total / 2**20),
            )
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
                if info.file_size > settings.max_upload_bytes():
                    raise _bad(
                        f"{path.name} is {info.file_size / 2**20:.0f} MB; the limit per image is "
                        f"{settings.max_upload_bytes() / 2**20:.0f} MB.",
                        "gt_zip_too_large",
                        files=len(infos),
                        size_mb=round(info.file_size / 2**20),
                    )
                if path.name in images:
                    raise _bad(
                        f"The zip has two images named {path.name}; expected unique file names.",
                        "gt_duplicate_name",
                        name=path.name,
                    )
                images[path.name] = archive.read(info)
            elif suffix == ".txt":
                labels[path.stem] = archive.read(info)
            elif suffix == ".json":
                jsons.append((path.name, archive.read(info)))
    if names is None:
        names = parse_names(names_file[1], names_file[0]) if names_file else COCO_NAMES
    coco = None
    if jsons and not labels:
        coco = {}
        for filename, raw in jsons:
            coco.update(parse_coco_json(raw, source=filename))
    return _pair(images, labels, coco, names)


def load_dir(root: str | Path, *, split: str = "val") -> Dataset:
    """A dataset from a folder: Ultralytics layout (``images/<split>/``, ``labels/<split>/``), a COCO
    JSON (``annotations/*.json`` or ``*.json``) with its images, or images with txt files beside them.
    """
    root = Path(root)
    if not root.is_dir():
        raise _bad(f"Expected a folder of images and labels; {root} is not a folder.", "gt_no_dir", path=str(root))
    candidates = [root / "images" / split, root / "images", root / split, root]
    image_dir = next((d for d in candidates if d.is_dir() and _images_in(d)), None)
    if image_dir is None:
        raise _bad(
            f"Expected images in {root}/images/{split}/ (Ultralytics layout), {root}/images/ or {root}/; found none.",
            "gt_no_images",
            path=str(root),
        )
    images: dict[str, Path | bytes] = {p.name: p for p in _images_in(image_dir)}
    names: Sequence[str] = COCO_NAMES
    for filename in NAMES_FILES:
        if (root / filename).is_file():
            names = parse_names((root / filename).read_text(encoding="utf-8-sig"), filename)
            break
    jsons = sorted((root / "annotations").glob("*.json")) + sorted(root.glob("*.json"))
    split_jsons = [j for j in jsons if split in j.stem] or jsons
    label_dir = _label_dir(root, image_dir, split)
    if label_dir is None and split_jsons:
        coco: dict[str, GroundTruth] = {}
        for path in split_jsons:
            coco.update(parse_coco_json(path.read_bytes(), source=path.name))
        return _pair(images, {}, coco, names)
    labels: dict[str, Path | bytes] = {}
    if label_dir is not None:
        labels = {p.stem: p for p in label_dir.glob("*.txt") if p.name not in NAMES_FILES}
    return _pair(images, labels, None, names)


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


# --- one upload ---


def parse_upload(
    data: bytes,
    filename: str,
    *,
    image_name: str,
    image_size: tuple[int, int],
    names: Sequence[str] = COCO_NAMES,
) -> GroundTruth | Dataset:
    """The ground truth a student uploaded: YOLO ``.txt`` or COCO ``.json`` for the current image
    (a :class:`GroundTruth`), or a ``.zip`` of images with labels (a :class:`Dataset`)."""
    suffix = PurePosixPath(filename).suffix.lower()
    if not data:
        raise _bad(f"{filename} is empty.", "gt_empty_file", source=filename)
    if suffix == ".txt":
        return GroundTruth.from_yolo_txt(data, image_size, names=names, image_name=image_name, source=filename)
    if suffix == ".json":
        return GroundTruth.from_coco_json(data, image_name, image_size, source=filename)
    if suffix == ".zip":
        return load_zip(data)
    raise _bad(
        f"Expected labels as .txt (YOLO), .json (COCO) or .zip (images with labels); got {filename}.",
        "gt_bad_kind",
        source=filename,
    )
