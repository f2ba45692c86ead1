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

Constructors: ``GroundTruth.from_yolo_txt`` / ``from_coco_json`` (one image) / ``from_coco_json_all``
(every image of the JSON) / ``from_boxes``; ``Dataset.from_zip`` / ``from_dir`` / ``from_image``.
Modules: ``yolo`` (txt labels, class-name files), ``coco`` (COCO JSON), ``files`` (what a zip or a
folder holds), ``truth`` (the types and the pairing), ``base`` (the shared error and limits).

Example:
    >>> gt = GroundTruth.from_yolo_txt("0 0.5 0.5 0.5 0.5", (200, 100))
    >>> (gt.class_name, gt.xyxy.tolist())
    (('person',), [[50.0, 25.0, 150.0, 75.0]])
    >>> gt.rows()
    [{'label': 'person', 'x1': 50.0, 'y1': 25.0, 'x2': 150.0, 'y2': 75.0, 'crowd': False}]
"""

from __future__ import annotations

from engine.evaluation.groundtruth.files import upright_size
from engine.evaluation.groundtruth.truth import (
    Dataset,
    GroundTruth,
    LabelledImage,
    label_file_matches,
    parse_upload,
    truth_for_image,
)

__all__ = [
    "Dataset",
    "GroundTruth",
    "LabelledImage",
    "label_file_matches",
    "parse_upload",
    "truth_for_image",
    "upright_size",
]
