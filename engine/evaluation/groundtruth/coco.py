"""COCO JSON labels: ``images`` (``id``, ``file_name``, ``width``, ``height``), ``annotations``
(``image_id``, ``category_id``, ``bbox`` = ``[x, y, width, height]`` in pixels, ``iscrowd``),
``categories`` (``id``, ``name``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.evaluation.groundtruth.base import TOLERANCE, bad


@dataclass(frozen=True, eq=False)
class CocoImage:
    """One image of a COCO JSON: its ``(width, height)``, ``xyxy`` pixel boxes, class names, crowd flags."""

    size: tuple[int, int]
    boxes: list[list[float]]
    names: list[str]
    crowd: np.ndarray


def _coco_dict(data: str | bytes | Mapping[str, Any], source: str) -> Mapping[str, Any]:
    if isinstance(data, Mapping):
        doc = data
    else:
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad(
                f"{source}: expected a JSON file; it does not parse ({exc}).", "gt_bad_json", source=source
            ) from None
    if not isinstance(doc, Mapping) or not all(isinstance(doc.get(k), list) for k in ("images", "annotations")):
        got = sorted(doc) if isinstance(doc, Mapping) else type(doc).__name__
        raise bad(
            f"{source}: expected COCO JSON with lists 'images', 'annotations' and 'categories'; got {got}.",
            "gt_bad_coco",
            source=source,
            got=str(got)[:120],
        )
    return doc


def parse_coco_json(data: str | bytes | Mapping[str, Any], *, source: str = "labels.json") -> dict[str, CocoImage]:
    """Every image's size, boxes, class names and crowd flags from a COCO JSON, by ``file_name``
    (:meth:`GroundTruth.from_coco_json_all` makes them ground truth).

    Example:
        >>> doc = {"images": [{"id": 1, "file_name": "a.jpg", "width": 100, "height": 80}],
        ...        "annotations": [{"image_id": 1, "category_id": 3, "bbox": [10, 10, 20, 30]}],
        ...        "categories": [{"id": 3, "name": "car"}]}
        >>> parse_coco_json(doc)["a.jpg"].boxes
        [[10.0, 10.0, 30.0, 40.0]]
    """
    doc = _coco_dict(data, source)
    try:
        categories = {int(c["id"]): str(c["name"]) for c in doc.get("categories") or []}
        images = {int(im["id"]): (str(im["file_name"]), int(im["width"]), int(im["height"])) for im in doc["images"]}
    except (KeyError, TypeError, ValueError) as exc:
        raise bad(
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
            raise bad(
                f"{source}: annotation {n}: expected image_id, category_id and bbox [x, y, width, height]; "
                f"got {json.dumps(ann)[:120]}.",
                "gt_bad_coco",
                source=source,
                got=json.dumps(ann)[:120],
            ) from None
        if image_id not in images:
            raise bad(
                f"{source}: annotation {n} is for image_id {image_id}, which is not in 'images'.",
                "gt_bad_coco",
                source=source,
                got=f"image_id {image_id}",
            )
        if categories and cat not in categories:
            raise bad(
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
            raise bad(
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
    return {images[i][0]: CocoImage(images[i][1:], b, n, np.array(c, dtype=bool)) for i, (b, n, c) in per_image.items()}
