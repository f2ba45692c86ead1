"""The ground truth types: :class:`GroundTruth` (one image's boxes), :class:`Dataset` (labelled
images) and the pairing of images with their labels by file name (``a.jpg`` ↔ ``a.txt`` or COCO
``file_name``).

Example:
    >>> gt = GroundTruth.from_boxes("a.jpg", (100, 80), [[10, 10, 50, 50]], ["cat"])
    >>> Dataset.from_image("a.jpg", Image.new("RGB", (100, 80)), gt).names
    ('cat',)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
from PIL import Image

from engine.errors import InvalidInput
from engine.evaluation.groundtruth.base import bad
from engine.evaluation.groundtruth.coco import parse_coco_json
from engine.evaluation.groundtruth.files import Files, read_dir, read_zip, upright_size
from engine.evaluation.groundtruth.yolo import parse_names, parse_yolo_txt
from engine.inputs.images import load_image
from engine.results import json_text, rows_csv
from engine.tasks.detection import COCO_NAMES, Detections


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
            raise bad(f"GroundTruth.xyxy: expected an array of shape (N, 4); got shape {boxes.shape}.", "gt_bad_truth")
        crowd = np.zeros(len(boxes), dtype=bool) if self.iscrowd is None else np.asarray(self.iscrowd, dtype=bool)
        if len(self.class_name) != len(boxes) or len(crowd) != len(boxes):
            raise bad(
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
        boxes, labels = parse_yolo_txt(text, image_size, names=names, source=source)
        return cls.from_boxes(image_name, image_size, boxes, labels)

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
        must be the image's (:meth:`from_coco_json_all` gives every image's)."""
        return truth_for_image(cls.from_coco_json_all(data, source=source), image_name, image_size)

    @classmethod
    def from_coco_json_all(
        cls, data: str | bytes | Mapping[str, Any], *, source: str = "labels.json"
    ) -> dict[str, GroundTruth]:
        """Every image's boxes from a COCO JSON, by ``file_name``.

        Example:
            >>> doc = {"images": [{"id": 1, "file_name": "a.jpg", "width": 100, "height": 80}],
            ...        "annotations": [{"image_id": 1, "category_id": 3, "bbox": [10, 10, 20, 30]}],
            ...        "categories": [{"id": 3, "name": "car"}]}
            >>> GroundTruth.from_coco_json_all(doc)["a.jpg"].xyxy.tolist()
            [[10.0, 10.0, 30.0, 40.0]]
        """
        return {
            name: cls.from_boxes(name, im.size, im.boxes, im.names, im.crowd)
            for name, im in parse_coco_json(data, source=source).items()
        }

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

    def resized(self, size: tuple[int, int]) -> GroundTruth:
        """The same objects on the image resized to ``size`` (width, height): the labels of a full
        photo on the copy the page works on (:func:`engine.inputs.images.fit_working`).

        Example:
            >>> gt = GroundTruth.from_boxes("a.jpg", (6000, 4000), [[600, 400, 3000, 2000]], ["cat"])
            >>> [round(float(v), 1) for v in gt.resized((2048, 1365)).xyxy[0]]
            [204.8, 136.5, 1024.0, 682.5]
        """
        if tuple(size) == self.size:
            return self
        scale = np.array([size[0] / self.width, size[1] / self.height] * 2, dtype=np.float32)
        return GroundTruth(
            self.image_name, int(size[0]), int(size[1]), self.xyxy * scale, self.class_name, self.iscrowd
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

    @classmethod
    def from_zip(cls, data: bytes, *, names: Sequence[str] | None = None) -> Dataset:
        """A dataset from a zip of images and labels (YOLO txt files, or one COCO JSON), read in memory
        with limits (:func:`~engine.evaluation.groundtruth.files.read_zip`); ``names`` overrides the
        zip's class-name file.

        Example:
            >>> Dataset.from_zip(b"not a zip")
            Traceback (most recent call last):
            engine.errors.InvalidInput: Expected a zip file of images and labels; this is not a valid zip.
        """
        return cls._from_files(read_zip(data), names)

    @classmethod
    def from_dir(cls, root: str | Path, *, split: str = "val") -> Dataset:
        """A dataset from a folder: Ultralytics layout (``images/<split>/``, ``labels/<split>/``), a COCO
        JSON (``annotations/*.json`` or ``*.json``) with its images, or images with txt files beside them.

        Example:
            >>> len(Dataset.from_dir("datasets/coco8", split="val"))  # doctest: +SKIP
            4
        """
        return cls._from_files(read_dir(root, split=split), None)

    @classmethod
    def _from_files(cls, files: Files, names: Sequence[str] | None) -> Dataset:
        if names is None:
            names = parse_names(files.names_file[1], files.names_file[0]) if files.names_file else COCO_NAMES
        coco = None
        if files.jsons and not files.labels:
            coco = {}
            for filename, raw in files.jsons:
                coco.update(GroundTruth.from_coco_json_all(raw, source=filename))
        return _pair(files.images, files.labels, coco, names)

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


def truth_for_image(truths: Mapping[str, GroundTruth], image_name: str, image_size: tuple[int, int]) -> GroundTruth:
    """The COCO entry of this image: by file name, or the only one; its size must be the image's."""
    stem = PurePosixPath(image_name).stem
    found = [t for name, t in truths.items() if name == image_name or PurePosixPath(name).stem == stem]
    if not found and len(truths) == 1:
        found = list(truths.values())
    if not found:
        listed = ", ".join(sorted(truths)[:5]) + (" …" if len(truths) > 5 else "")
        raise bad(
            f"The labels describe {len(truths)} images ({listed}); none is {image_name!r}.",
            "gt_image_not_found",
            image=image_name,
            n=len(truths),
            names=listed,
        )
    truth = found[0]
    if truth.size != tuple(image_size):
        raise bad(
            f"The labels are for an image of {truth.width}x{truth.height} pixels; this image is "
            f"{image_size[0]}x{image_size[1]}. They do not match.",
            "gt_size_mismatch",
            label_width=truth.width,
            label_height=truth.height,
            width=image_size[0],
            height=image_size[1],
        )
    return GroundTruth(image_name, truth.width, truth.height, truth.xyxy, truth.class_name, truth.iscrowd)


def _pair(
    images: Mapping[str, Path | bytes],
    labels: Mapping[str, Path | bytes],
    coco: Mapping[str, GroundTruth] | None,
    names: Sequence[str],
) -> Dataset:
    """Images paired with their labels by name (``a.jpg`` ↔ ``a.txt`` or COCO ``file_name``)."""
    if not images:
        raise bad("Expected images (JPEG, PNG...) with their labels; found no images.", "gt_no_images")
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
    return bad(
        f"None of the {n_labels} label entries matches one of the {n_images} images by name "
        f"(labels: {', '.join(labels[:3])}…; images: {', '.join(images[:3])}…). Labels pair with images by file "
        "name: photo.jpg ↔ photo.txt.",
        "gt_no_match",
        n_labels=n_labels,
        n_images=n_images,
        labels=", ".join(labels[:3]),
        images=", ".join(images[:3]),
    )


# --- one upload ---


def label_file_matches(label_file: str, image_file: str) -> bool:
    """Whether a YOLO label file is named after its image, as YOLO datasets name them
    (``bus.txt`` for ``bus.jpg``): labels of another photo give P = R = 0 without any other sign.

    Example:
        >>> label_file_matches("bus.txt", "bus.jpg"), label_file_matches("zidane.txt", "bus.jpg")
        (True, False)
    """
    return PurePosixPath(label_file).stem.lower() == PurePosixPath(image_file).stem.lower()


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
        raise bad(f"{filename} is empty.", "gt_empty_file", source=filename)
    if suffix == ".txt":
        return GroundTruth.from_yolo_txt(data, image_size, names=names, image_name=image_name, source=filename)
    if suffix == ".json":
        return GroundTruth.from_coco_json(data, image_name, image_size, source=filename)
    if suffix == ".zip":
        return Dataset.from_zip(data)
    raise bad(
        f"Expected labels as .txt (YOLO), .json (COCO) or .zip (images with labels); got {filename}.",
        "gt_bad_kind",
        source=filename,
    )
