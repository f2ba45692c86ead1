"""Image segmentation: a label for every pixel (SegFormer, semantic) or a mask per object (YOLO, instance).

The result, :class:`Segmentation`, holds one boolean mask per segment and each label's share of
the image. What the page draws from it (the coloured overlay, the course's inverted view, the
cut-out, the shares chart) is in :mod:`engine.render.masks`.

Speed: ``pipeline("image-segmentation")`` upsamples all 150 SegFormer logit maps to the photo's
size before the argmax, then builds one mask image per label. :func:`segment` runs the same
processor and model but upsamples only the classes that can win somewhere
(:func:`upsampled_argmax`, exact) and builds the masks from one label map: same masks, less work.

Example:
    >>> segmenter = load_segmenter("nvidia/segformer-b0-finetuned-ade-512-512")  # doctest: +SKIP
    >>> result = segment(segmenter, load_sample("astronaut"))  # doctest: +SKIP
    >>> round(sum(result.shares().values()), 6)  # doctest: +SKIP
    1.0
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from PIL import Image

from engine.errors import InvalidInput
from engine.inputs.images import shrink_to
from engine.models import registry
from engine.models.lazy import import_torch
from engine.models.loading import load_pipeline, load_yolo, yolo_footprint
from engine.models.provenance import UNKNOWN, Footprint
from engine.render.masks import check_image, hex_color, label_colors, mask_image
from engine.results import json_text, rows_csv
from engine.serving import remote
from engine.serving.remote import RemoteModel

TASK = "image-segmentation"
Kind = Literal["semantic", "instance"]
LookupStatus = Literal["found", "not_in_image", "unknown", "empty"]

YOLO_IMGSZ = 640  # Ultralytics' default inference size, the one its masks are trained at
MAX_SIDE = 1600  # the page segments photos shrunk to this long side (see fit_for_segmentation)
# Upsampled logits held at once (classes x pixels): ~64 MB of float32, whatever the photo's size.
_GROUP_ELEMENTS = 16_000_000


def normalize_label(text: str) -> str:
    """How labels are compared: case-insensitive, outer spaces ignored (ADE20K has ``"bed "``).

    Example:
        >>> normalize_label("  Person ")
        'person'
    """
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, eq=False)
class Segment:
    """One segment: its label, its pixels (a boolean mask) and, for instances, a confidence."""

    label: str
    mask: np.ndarray  # bool, (height, width); True = the segment
    score: float | None = None  # YOLO's confidence; semantic segmentation has none

    @property
    def area(self) -> int:
        """Pixels in the segment."""
        return int(np.count_nonzero(self.mask))


@dataclass(frozen=True)
class LabelLookup:
    """What a label typed by the student means for this image and this model.

    ``status``: ``"found"`` (``label`` is the model's spelling), ``"not_in_image"`` (the model
    knows it; ``present`` lists what the image has), ``"unknown"`` (not one of the model's
    classes, ``known``), ``"empty"`` (nothing typed).
    """

    query: str
    status: LookupStatus
    label: str
    present: tuple[str, ...]
    known: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Segmentation:
    """The segments of one image, with what the model could have found.

    Example:
        >>> wall = np.array([[True, True], [False, False]])
        >>> seg = Segmentation.from_label_map(np.array([[0, 0], [1, 2]]), ("wall", "sky", "person"))
        >>> seg.shares()
        {'wall': 0.5, 'sky': 0.25, 'person': 0.25}
    """

    segments: tuple[Segment, ...]
    size: tuple[int, int]  # (width, height) of the image
    kind: Kind
    model_labels: tuple[str, ...]  # every class the model knows, in its id order

    def __post_init__(self) -> None:
        if self.kind not in ("semantic", "instance"):
            raise InvalidInput(
                f"Segmentation.kind: expected 'semantic' or 'instance'; got {self.kind!r}.", code="bad_mask"
            )
        width, height = self.size
        for seg in self.segments:
            if seg.mask.shape != (height, width) or seg.mask.dtype != np.bool_:
                raise InvalidInput(
                    f"Expected boolean masks of {height}x{width} pixels; "
                    f"got {seg.mask.dtype} {'x'.join(map(str, seg.mask.shape))} for {seg.label!r}.",
                    code="bad_mask",
                )

    @classmethod
    def from_label_map(cls, label_map: np.ndarray, model_labels: Sequence[str]) -> Segmentation:
        """Semantic segmentation from a (height, width) map of class ids: one segment per id present."""
        if label_map.ndim != 2 or label_map.size == 0:
            raise InvalidInput(f"Expected a 2-D label map; got shape {label_map.shape}.", code="bad_mask")
        flat = label_map.ravel()
        counts = np.bincount(flat, minlength=len(model_labels))
        if len(counts) > len(model_labels):
            raise InvalidInput(
                f"Expected class ids below {len(model_labels)}; got {int(flat.max())}.", code="bad_label_id"
            )
        ids = sorted(np.flatnonzero(counts).tolist(), key=lambda i: (-counts[i], i))  # largest first
        segments = tuple(Segment(model_labels[i], label_map == i) for i in ids)
        height, width = label_map.shape
        return cls(segments, (width, height), "semantic", tuple(model_labels))

    @classmethod
    def from_instances(
        cls,
        masks: np.ndarray,
        class_ids: Sequence[int],
        scores: Sequence[float],
        names: Mapping[int, str],
        size: tuple[int, int],
    ) -> Segmentation:
        """Instance segmentation from (n, height, width) masks, each with a class id and a confidence."""
        width, height = size
        masks = np.asarray(masks, dtype=bool).reshape(-1, height, width)
        if not len(masks) == len(class_ids) == len(scores):
            raise InvalidInput(
                f"Expected one class and one score per mask; got {len(masks)} masks, "
                f"{len(class_ids)} classes and {len(scores)} scores.",
                code="length_mismatch",
            )
        order = sorted(range(len(masks)), key=lambda i: -float(scores[i]))  # most confident first
        segments = tuple(Segment(names[int(class_ids[i])], masks[i], float(scores[i])) for i in order)
        labels = tuple(names[i] for i in sorted(names))
        return cls(segments, (width, height), "instance", labels)

    @classmethod
    def from_ultralytics(cls, ultralytics_results: Any, size: tuple[int, int] | None = None) -> Segmentation:
        """Instance segmentation from one Ultralytics ``Results`` of a segmentation model
        (``YOLO("yolo11n-seg.pt")(image, retina_masks=True)[0]``); no masks = nothing found.

        ``size`` is the photo's (width, height); by default the ``Results``' own ``orig_shape``.

        Example:
            >>> Segmentation.from_ultralytics(YOLO("yolo11n-seg.pt")("foto.jpg", retina_masks=True)[0])  # doctest: +SKIP
        """
        if isinstance(ultralytics_results, (list, tuple)):
            raise InvalidInput(
                "Segmentation.from_ultralytics: expected one Results (e.g. model(image)[0]); "
                f"got a {type(ultralytics_results).__name__} of {len(ultralytics_results)}.",
                code="bad_mask",
            )
        names = getattr(ultralytics_results, "names", None)
        if names is None or not hasattr(ultralytics_results, "masks"):
            raise InvalidInput(
                "Segmentation.from_ultralytics: expected an ultralytics Results of a segmentation model (with "
                f".masks and .names); got {type(ultralytics_results).__name__}.",
                code="bad_mask",
            )
        if size is None:
            height, width = ultralytics_results.orig_shape[:2]
            size = (int(width), int(height))
        width, height = size
        names = dict(names)
        boxes = ultralytics_results.boxes
        if ultralytics_results.masks is None or boxes is None or len(boxes) == 0:
            return cls((), size, "instance", tuple(names[i] for i in sorted(names)))
        masks = ultralytics_results.masks.data.cpu().numpy() > 0.5
        if masks.shape[1:] != (height, width):  # defensive: masks not at the photo's size
            masks = np.stack([np.asarray(mask_image(m).resize(size, Image.NEAREST)) > 127 for m in masks])
        class_ids = boxes.cls.cpu().numpy().astype(int).tolist()
        scores = boxes.conf.cpu().numpy().tolist()
        return cls.from_instances(masks, class_ids, scores, names, size)

    @property
    def pixels(self) -> int:
        return self.size[0] * self.size[1]

    def mask(self, label: str) -> np.ndarray:
        """The pixels of ``label`` (every instance of it), as a boolean (height, width) array."""
        out = np.zeros((self.size[1], self.size[0]), dtype=bool)
        for seg in self.segments:
            if seg.label == label:
                out |= seg.mask
        return out

    def shares(self) -> dict[str, float]:
        """Each label's share of the image, largest first (they sum to 1 for semantic segmentation)."""
        areas: dict[str, int] = {}
        if self.kind == "semantic":  # disjoint masks: areas add up
            for seg in self.segments:
                areas[seg.label] = areas.get(seg.label, 0) + seg.area
        else:  # instances may overlap: count each pixel once per label
            for label in dict.fromkeys(s.label for s in self.segments):
                areas[label] = int(np.count_nonzero(self.mask(label)))
        pairs = sorted(areas.items(), key=lambda p: -p[1])
        return {label: area / self.pixels for label, area in pairs}

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels found, largest share first."""
        return tuple(self.shares())

    def count(self, label: str) -> int:
        """How many segments (instances) have ``label``."""
        return sum(1 for s in self.segments if s.label == label)

    def covered(self) -> float:
        """Share of the image inside some segment (1 for semantic segmentation)."""
        if not self.segments:
            return 0.0
        union = np.zeros_like(self.segments[0].mask)
        for seg in self.segments:
            union |= seg.mask
        return float(np.count_nonzero(union)) / self.pixels

    def lookup(self, text: str) -> LabelLookup:
        """Find a typed label: case-insensitive; says whether it is here, elsewhere or unknown.

        Example:
            >>> seg = Segmentation.from_label_map(np.zeros((2, 2), dtype=int), ("wall", "person"))
            >>> [seg.lookup(q).status for q in ("WALL", "person", "unicorn", " ")]
            ['found', 'not_in_image', 'unknown', 'empty']
        """
        present = self.labels
        key = normalize_label(text)
        if not key:
            return LabelLookup(text, "empty", "", present, self.model_labels)
        for label in present:
            if normalize_label(label) == key:
                return LabelLookup(text, "found", label, present, self.model_labels)
        for label in self.model_labels:
            if normalize_label(label) == key:
                return LabelLookup(text, "not_in_image", label, present, self.model_labels)
        return LabelLookup(text, "unknown", "", present, self.model_labels)

    def rows(self) -> list[dict[str, Any]]:
        """One row per label found, largest first: colour (hex, as :func:`engine.render.masks.overlay` paints it), label,
        share of the image, segments.

        Example:
            >>> seg = Segmentation.from_label_map(np.array([[0, 0, 0, 1]]), ("wall", "sky"))
            >>> [(r["label"], r["share"], r["segments"]) for r in seg.rows()]
            [('wall', 0.75, 1), ('sky', 0.25, 1)]
        """
        colors = label_colors(self)
        return [
            {"color": hex_color(colors[label]), "label": label, "share": share, "segments": self.count(label)}
            for label, share in self.shares().items()
        ]

    def to_csv(self) -> str:
        """The rows as CSV (header ``color,label,share,segments``)."""
        return rows_csv(self.rows(), ["color", "label", "share", "segments"])

    def to_json(self, **extra: Any) -> str:
        """The rows as JSON (``{**extra, "kind": ..., "width": ..., "height": ..., "segments": [...]}``)."""
        width, height = self.size
        return json_text({**extra, "kind": self.kind, "width": width, "height": height, "segments": self.rows()})

    def to_wire(self) -> dict[str, Any]:
        """Every segment with its mask (bits packed, zlib, base64), for remote inference; ``to_json``
        is the download (rows only).

        Example:
            >>> seg = Segmentation.from_label_map(np.array([[0, 0], [1, 2]]), ("wall", "sky", "person"))
            >>> back = Segmentation.from_wire(seg.to_wire())
            >>> back.shares() == seg.shares() and all((a.mask == b.mask).all() for a, b in zip(back.segments, seg.segments))
            True
        """
        import base64
        import zlib

        def pack(mask: np.ndarray) -> str:
            return base64.b64encode(zlib.compress(np.packbits(mask, axis=None).tobytes(), 1)).decode("ascii")

        return {
            "kind": self.kind,
            "size": list(self.size),
            "model_labels": list(self.model_labels),
            "segments": [{"label": s.label, "score": s.score, "mask": pack(s.mask)} for s in self.segments],
        }

    @classmethod
    def from_wire(cls, doc: Mapping[str, Any]) -> Segmentation:
        """What :meth:`to_wire` wrote, segments in their order."""
        import base64
        import zlib

        width, height = (int(v) for v in doc["size"])

        def unpack(text: str) -> np.ndarray:
            bits = np.frombuffer(zlib.decompress(base64.b64decode(text)), dtype=np.uint8)
            return np.unpackbits(bits, count=width * height).reshape(height, width).astype(bool)

        segments = tuple(
            Segment(str(s["label"]), unpack(s["mask"]), None if s["score"] is None else float(s["score"]))
            for s in doc["segments"]
        )
        return cls(segments, (width, height), doc["kind"], tuple(str(x) for x in doc["model_labels"]))


# --- the fast SegFormer postprocessing ---


def upsampled_argmax(logits: Any, size: tuple[int, int]) -> np.ndarray:
    """``F.interpolate(logits[None], size, mode="bilinear").argmax(1)[0]``, upsampling only the classes that can win.

    A bilinear pixel is a weighted mean (weights ≥ 0, summing to 1) of the four logit vectors
    around it, so class *k* can only win inside a cell of four vectors if its highest value there
    reaches the lowest value of the cell's best class. Every other class is dropped before the
    upsampling (SegFormer: typically a dozen of 150 remain); the rest are upsampled with the very
    same ``F.interpolate`` call, a few classes at a time (bounded memory), keeping the first
    maximum as ``argmax`` does. ``logits``: a (classes, h, w) tensor; ``size``: (height, width).

    Example:
        >>> import torch
        >>> upsampled_argmax(torch.tensor([[[0.0, 1.0]], [[1.0, 0.0]]]), (1, 4)).tolist()
        [[1, 1, 0, 0]]
    """
    torch = import_torch()
    height, width = size
    logits = logits.float()
    # Highest and lowest value of each class over each cell's four corners (the last row and
    # column are their own neighbours, as in PyTorch's kernel).
    down = torch.cat([logits[:, 1:], logits[:, -1:]], 1)
    high, low = torch.maximum(logits, down), torch.minimum(logits, down)
    high = torch.maximum(high, torch.cat([high[:, :, 1:], high[:, :, -1:]], 2))
    low = torch.minimum(low, torch.cat([low[:, :, 1:], low[:, :, -1:]], 2))
    floor = low.max(0).values  # the winner of any pixel in the cell scores at least this
    margin = 1e-4 * (1.0 + floor.abs())  # float rounding of the weighted mean: stay on the safe side
    ids = torch.nonzero((high >= floor - margin).flatten(1).any(1)).flatten()
    if len(ids) == 1:
        return np.full((height, width), int(ids[0]), dtype=np.int64)
    candidates = logits.index_select(0, ids)[None]  # (1, k, h, w), still in class order
    group = max(1, _GROUP_ELEMENTS // max(1, height * width))
    best_value = best_index = None
    for start in range(0, len(ids), group):
        up = torch.nn.functional.interpolate(
            candidates[:, start : start + group], size=(height, width), mode="bilinear", align_corners=False
        )[0]
        value, index = up.max(0)
        index += start
        if best_value is None:
            best_value, best_index = value, index
        else:
            better = value > best_value  # strict: on a tie the lower class id wins, as in argmax
            best_value = torch.where(better, value, best_value)
            best_index = torch.where(better, index, best_index)
    return ids[best_index].cpu().numpy()


# --- models ---


@dataclass(frozen=True, eq=False)
class Segmenter:
    """A loaded segmentation model: a transformers pipeline (semantic) or an Ultralytics YOLO (instance)."""

    model_id: str
    kind: Kind
    model: Any  # transformers ImageSegmentationPipeline | ultralytics.YOLO
    labels: tuple[str, ...]  # the classes the model knows, in id order
    where: str  # local / embedded / cache / hub
    footprint: Footprint = UNKNOWN  # what was really loaded; a test stand-in says so (engine.models.provenance)
    # Ultralytics' predictor keeps per-call state: one call at a time per shared model.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    applied: tuple[str, ...] = ()  # CPU speed-ups (engine.accel.fastcpu), e.g. ("onednn_conv:102",) for YOLO-seg
    origin: str = ""  # how a Hugging Face model's weights are stored (engine.models.resolve.Origin)

    @property
    def stand_in(self) -> bool:
        """Not the published weights (a tiny or untrained test model)."""
        return self.footprint.stand_in


def load_segmenter(model_id: str) -> Segmenter:
    """Load a registry segmentation model (SegFormer through ``pipeline``, YOLO through Ultralytics).

    Raises :class:`ModelUnavailable` / :class:`ModelLoadError` when it cannot be had or loaded.
    """
    spec = registry.get(model_id)
    if spec.task != TASK:
        raise InvalidInput(f"{model_id} is a {spec.task} model, not {TASK}.", code="wrong_task")
    if spec.source == "ultralytics":
        return _load_yolo(spec)
    loaded = load_pipeline(TASK, spec)
    pipe = loaded.pipeline
    id2label = pipe.model.config.id2label
    labels = tuple(id2label[i] for i in sorted(id2label))
    # Not packed for oneDNN (engine.accel.fastcpu): SegFormer-B0 spends its time moving memory (upsampling
    # four feature maps to 128×128 and concatenating them), and packed weights measured 0-5 % slower.
    return Segmenter(spec.id, "semantic", pipe, labels, loaded.where, loaded.footprint(spec), origin=loaded.origin)


def _load_yolo(spec: registry.ModelSpec) -> Segmenter:
    model, resolved = load_yolo(spec, "segment")
    names = model.names
    footprint = yolo_footprint(spec, model, resolved)
    labels = tuple(names[i] for i in sorted(names))
    from engine.accel.fastcpu import speed_up_ultralytics

    applied = speed_up_ultralytics(model, YOLO_IMGSZ)
    return Segmenter(spec.id, "instance", model, labels, resolved.where, footprint, applied=tuple(applied))


def fit_for_segmentation(image: Image.Image, max_side: int = MAX_SIDE) -> Image.Image:
    """``image`` shrunk so that its long side is at most ``max_side`` (the same image if it fits).

    One boolean mask per label at 40 megapixels would take gigabytes; the page segments a copy
    of at most ~2 megapixels.

    Example:
        >>> fit_for_segmentation(Image.new("RGB", (4000, 3000))).size
        (1600, 1200)
    """
    check_image(image)
    return shrink_to(image, max_side)


def segment(segmenter: Segmenter, image: Image.Image) -> Segmentation:
    """Segment ``image`` (an RGB PIL image from :func:`engine.inputs.images.load_image`)."""
    check_image(image)
    image = image if image.mode == "RGB" else image.convert("RGB")
    if isinstance(segmenter, RemoteModel):  # VISION_INFERENCE: a Serve replica runs this same function
        return Segmentation.from_wire(remote.call(segmenter, "segment", images=[image]))
    if segmenter.kind == "instance":
        return _segment_instances(segmenter, image)
    return _segment_semantic(segmenter, image)


def _segment_semantic(segmenter: Segmenter, image: Image.Image) -> Segmentation:
    """The pipeline's steps (processor → model → argmax at the image's size), argmax done once."""
    torch = import_torch()
    pipe = segmenter.model
    inputs = pipe.image_processor(images=[image], return_tensors="pt")
    pixels = inputs["pixel_values"].to(device=pipe.model.device, dtype=pipe.model.dtype)
    with torch.inference_mode():
        logits = pipe.model(pixel_values=pixels).logits[0]
        label_map = upsampled_argmax(logits, (image.height, image.width))
    return Segmentation.from_label_map(label_map, segmenter.labels)


def _segment_instances(segmenter: Segmenter, image: Image.Image) -> Segmentation:
    torch = import_torch()
    with segmenter.lock, torch.inference_mode():
        # retina_masks: masks at the photo's size (else at the letterboxed inference size).
        result = segmenter.model(image, imgsz=YOLO_IMGSZ, verbose=False, retina_masks=True)[0]
    return Segmentation.from_ultralytics(result, image.size)


_SNIPPET_WORDS = {
    "es": {
        "model": "modelo",
        "image": "imagen",
        "result": "resultado",
        "results": "resultados",
        "segmenter": "segmentador",
        "names": "nombres",
        "label": "etiqueta",
        "masks": "mascaras",
        "chosen": "elegidas",
        "mask": "mascara",
        "inverted": "invertida",
        "view": "vista",
        "cutout": "recorte",
        "c_retina": "# retina_masks=True: una máscara por objeto, al tamaño de la foto",
        "c_union": "# todas las instancias de la etiqueta",
        "c_mask": "# 255 = la etiqueta",
        "c_mask_l": '# imagen "L": 255 = la etiqueta, 0 = el resto',
        "c_invert": "# 255 = todo lo demás",
        "c_white": "# lo demás, en blanco",
        "c_alpha": "# fuera de la máscara: transparente",
        "c_found": "# una máscara por etiqueta encontrada",
        "none": "No hay {} en la imagen",
        "shares": "partes",
        "share": "parte",
        "name": "nombre",
        "c_shares": "# La parte de la imagen de cada etiqueta, de mayor a menor (la tabla de la página)",
        "c_shares_yolo": "# La parte de la imagen de cada etiqueta (todas sus instancias), de mayor a menor",
    },
    "en": {
        "model": "model",
        "image": "image",
        "result": "result",
        "results": "results",
        "segmenter": "segmenter",
        "names": "names",
        "label": "label",
        "masks": "masks",
        "chosen": "chosen",
        "mask": "mask",
        "inverted": "inverted",
        "view": "view",
        "cutout": "cutout",
        "c_retina": "# retina_masks=True: one mask per object, at the photo's size",
        "c_union": "# every instance of the label",
        "c_mask": "# 255 = the label",
        "c_mask_l": '# an "L" image: 255 = the label, 0 = the rest',
        "c_invert": "# 255 = everything else",
        "c_white": "# the rest, white",
        "c_alpha": "# outside the mask: transparent",
        "c_found": "# one mask per label found",
        "none": "No {} in the image",
        "shares": "shares",
        "share": "share",
        "name": "name",
        "c_shares": "# Each label's share of the photo, largest first (the page's table)",
        "c_shares_yolo": "# Each label's share of the photo (all its instances), largest first",
    },
}


def code_snippet(model_id: str, label: str = "person", file_name: str = "", lang: str = "es") -> str:
    """The Python a student would write: segment their file ``file_name``, pick ``label``, invert its
    mask, cut it out; comments and names in ``lang`` ("es" or "en").

    Example:
        >>> "Image.open('street.jpg')" in code_snippet("ultralytics/yolo11n-seg", "car", "street.jpg", "en")
        True
    """
    spec = registry.get(model_id)
    wanted = repr(label.strip() or "person")
    name = repr(file_name or ("photo.jpg" if lang == "en" else "foto.jpg"))  # the file name is data, never code
    w = _SNIPPET_WORDS["en" if lang == "en" else "es"]
    img, lab, mask, inv, view, cut = w["image"], w["label"], w["mask"], w["inverted"], w["view"], w["cutout"]
    none = w["none"].format("{" + lab + "}")
    # Each label's share of the photo, largest first: the page's table (and the deliverable's report).
    shares, share, name_ = w["shares"], w["share"], w["name"]
    print_shares = (
        f"for {name_}, {share} in sorted({shares}.items(), key=lambda x: -x[1]):\n"
        f'    print(f"{{{name_}}}: {{{share}:.1%}}")\n'
    )
    if spec.source == "ultralytics":
        res = w["result"]
        return (
            "import numpy as np\n"
            "from PIL import Image, ImageOps\n"
            "from ultralytics import YOLO\n\n"
            f'{w["model"]} = YOLO("{spec.file}")\n'
            f'{img} = Image.open({name}).convert("RGB")\n'
            f"{w['c_retina']}\n"
            f"{res} = {w['model']}({img}, retina_masks=True)[0]\n"
            f"{w['names']} = [{res}.names[int(c)] for c in {res}.boxes.cls]\n"
            f"print({w['names']})\n"
            f"{w['masks']} = {res}.masks.data if {res}.masks is not None else []\n"
            f"{w['c_shares_yolo']}\n"
            f"{shares} = {{}}\n"
            f"for n in dict.fromkeys({w['names']}):\n"
            f"    union = sum(m for m, k in zip({w['masks']}, {w['names']}) if k == n) > 0.5\n"
            f"    {shares}[n] = union.float().mean().item()\n"
            f"{print_shares}\n"
            f"{lab} = {wanted}\n"
            f"{w['chosen']} = [m for m, n in zip({w['masks']}, {w['names']}) if n.lower() == {lab}.lower()]\n"
            f"if {w['chosen']}:\n"
            f"    union = (sum({w['chosen']}) > 0.5).cpu().numpy()  {w['c_union']}\n"
            f'    {mask} = Image.fromarray((union * 255).astype(np.uint8), "L")  {w["c_mask"]}\n'
            f"    {inv} = ImageOps.invert({mask})  {w['c_invert']}\n"
            f"    {view} = {img}.copy()\n"
            f"    {view}.paste({inv}, (0, 0), {inv})  {w['c_white']}\n"
            f'    {view}.save("{inv}.png")\n'
            f'    {cut} = {img}.convert("RGBA")\n'
            f"    {cut}.putalpha({mask})  {w['c_alpha']}\n"
            f'    {cut}.save("{cut}.png")\n'
            "else:\n"
            f'    print(f"{none}")\n'
        )
    results = w["results"]
    return (
        "import numpy as np\n"
        "from PIL import Image, ImageOps\n"
        "from transformers import pipeline\n\n"
        f'{w["segmenter"]} = pipeline("image-segmentation", model="{spec.id}")\n'
        f'{img} = Image.open({name}).convert("RGB")\n'
        f"{results} = {w['segmenter']}({img})  {w['c_found']}\n"
        f'print([r["label"] for r in {results}])\n'
        f"{w['c_shares']}\n"
        f'{shares} = {{r["label"]: np.asarray(r["mask"]).mean() / 255 for r in {results}}}\n'
        f"{print_shares}\n"
        f"{lab} = {wanted}\n"
        f"for r in {results}:\n"
        f'    if r["label"].strip().lower() == {lab}.lower():\n'
        f'        {mask} = r["mask"]  {w["c_mask_l"]}\n'
        f"        {inv} = ImageOps.invert({mask})  {w['c_invert']}\n"
        f"        {view} = {img}.copy()\n"
        f"        {view}.paste({inv}, (0, 0), {inv})  {w['c_white']}\n"
        f'        {view}.save("{inv}.png")\n'
        f'        {cut} = {img}.convert("RGBA")\n'
        f"        {cut}.putalpha({mask})  {w['c_alpha']}\n"
        f'        {cut}.save("{cut}.png")\n'
    )
