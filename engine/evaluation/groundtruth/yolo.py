"""YOLO txt labels: one object a line, ``class x_center y_center width height`` normalised to 0..1
(a polygon ``class x1 y1 x2 y2 ...`` is read as its bounding box, like Ultralytics does), and the
class-name files beside them (``data.yaml``, ``classes.txt``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from engine.evaluation.groundtruth.base import TOLERANCE, bad
from engine.tasks.detection import COCO_NAMES


def _float(token: str, source: str, line_no: int, line: str) -> float:
    try:
        value = float(token)
    except ValueError:
        raise bad(
            f"{source}, line {line_no}: expected numbers 'class x_center y_center width height' (YOLO format); "
            f"got {line!r}.",
            "gt_bad_yolo_line",
            source=source,
            line=line_no,
            got=line[:80],
        ) from None
    if not np.isfinite(value):
        raise bad(
            f"{source}, line {line_no}: expected finite numbers; got {token!r}.",
            "gt_bad_yolo_line",
            source=source,
            line=line_no,
            got=line[:80],
        )
    return value


def parse_yolo_txt(
    text: str | bytes,
    image_size: tuple[int, int],
    *,
    names: Sequence[str] = COCO_NAMES,
    source: str = "labels.txt",
) -> tuple[list[list[float]], list[str]]:
    """The ``xyxy`` pixel boxes and class names of YOLO txt labels, for :meth:`GroundTruth.from_yolo_txt`.

    Example:
        >>> parse_yolo_txt("0 0.5 0.5 0.5 0.5", (200, 100))
        ([[50.0, 25.0, 150.0, 75.0]], ['person'])
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise bad(
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
            raise bad(
                f"{source}, line {line_no}: expected 5 values 'class x_center y_center width height' "
                f"(or a polygon 'class x1 y1 x2 y2 ...'); got {len(values)}: {line!r}.",
                "gt_bad_yolo_line",
                source=source,
                line=line_no,
                got=line[:80],
            )
        cls = values[0]
        if cls != int(cls) or not 0 <= cls < len(names):
            raise bad(
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
            outside = coords[(coords < -TOLERANCE) | (coords > 1 + TOLERANCE)][0]
            raise bad(
                f"{source}, line {line_no}: expected coordinates normalised to the image (0 to 1); got {outside:g}. "
                "Pixel coordinates, or labels of another format?",
                "gt_not_normalised",
                source=source,
                line=line_no,
                got=f"{outside:g}",
            )
        if len(values) == 5:
            cx, cy, w, h = coords
            if w <= 0 or h <= 0:
                raise bad(
                    f"{source}, line {line_no}: expected a positive width and height; got {w:g} x {h:g}.",
                    "gt_empty_box",
                    source=source,
                    line=line_no,
                )
            x1, y1, x2, y2 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
            if min(x1, y1) < -TOLERANCE or max(x2, y2) > 1 + TOLERANCE:
                raise bad(
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
    return boxes, labels


# --- class names ---


def parse_names(text: str | bytes, filename: str) -> tuple[str, ...]:
    """Class names from a ``data.yaml`` (``names:`` list or ``{id: name}``) or a one-per-line file.

    Example:
        >>> parse_names("names: [cat, dog]", "data.yaml"), parse_names(b"cat\\ndog\\n", "classes.txt")
        (('cat', 'dog'), ('cat', 'dog'))
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    if filename.endswith((".yaml", ".yml")):
        import yaml

        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise bad(
                f"{filename}: expected YAML; it does not parse ({exc}).", "gt_bad_names", source=filename
            ) from None
        names = doc.get("names") if isinstance(doc, Mapping) else None
        if isinstance(names, Mapping):
            ids = sorted(int(k) for k in names)
            if ids != list(range(len(ids))):
                raise bad(
                    f"{filename}: expected names with ids 0..N-1; got ids {ids[:10]}.", "gt_bad_names", source=filename
                )
            return tuple(str(names[k]) for k in sorted(names, key=int))
        if isinstance(names, list):
            return tuple(str(n) for n in names)
        raise bad(
            f"{filename}: expected a 'names' list or mapping; got {type(names).__name__}.",
            "gt_bad_names",
            source=filename,
        )
    return tuple(line.strip() for line in text.splitlines() if line.strip())
