"""Monocular depth estimation: how far each pixel of one photo is, from that photo alone.

``pipeline("depth-estimation")`` gives a map of one value per pixel (``predicted_depth``, at the
photo's size). What the value means depends on the model:

- **relative** (Depth Anything V2, DPT/MiDaS): a *relative inverse depth* (disparity): larger =
  nearer, no unit, a scale and an offset the model does not know;
- **metric** (GLPN trained on NYU Depth v2, ZoeDepth, Depth Anything "metric"): metres from the
  camera (larger = farther), valid for scenes like the training ones (GLPN-NYU: indoor rooms).

:class:`DepthMap` keeps the values with that meaning and turns them into *nearness* (0 = farthest,
1 = nearest) for the pictures of :mod:`engine.render.depth`, so colours mean the same thing for
every model.

Example:
    >>> estimator = load_depth_estimator("depth-anything/Depth-Anything-V2-Small-hf")  # doctest: +SKIP
    >>> depth = estimate_depth(estimator, load_sample("coffee"))  # doctest: +SKIP
    >>> depth.kind, depth.size  # doctest: +SKIP
    ('relative', (600, 400))
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from PIL import Image

from engine.errors import InvalidImage, InvalidInput
from engine.inputs.images import shrink_to
from engine.models import registry
from engine.models.lazy import import_torch
from engine.models.loading import load_pipeline
from engine.models.provenance import UNKNOWN, Footprint
from engine.results import json_text, rows_csv

TASK = "depth-estimation"
Kind = Literal["relative", "metric"]
MAX_SIDE = 1024  # the page estimates photos shrunk to this long side: the models see ~518 px anyway
MIN_SIDE = 32  # smaller photos are enlarged for the model (see estimate_depth)
# Model types whose processor keeps the photo's size (no fixed input), with the side they were
# trained at: a typed Hub model of that type is run there too (registry models say it in max_side).
NATIVE_SIDE = {"glpn": 640}
# Model types whose depth-estimation head predicts metres (transformers' configs).
METRIC_TYPES = frozenset({"glpn", "zoedepth"})
_STATS = ("min", "p5", "median", "p95", "max", "mean")


@dataclass(frozen=True, eq=False)
class DepthMap:
    """One value per pixel, with what the values mean.

    ``kind``: ``"relative"`` (inverse depth: larger = nearer, no unit) or ``"metric"`` (metres:
    larger = farther).

    Example:
        >>> d = DepthMap.from_array(np.array([[1.0, 2.0], [3.0, 4.0]]), "metric")
        >>> d.size, d.unit, [round(x, 3) for x in d.nearness()[0].tolist()]
        ((2, 2), 'm', [1.0, 0.667])
        >>> [r["value"] for r in d.rows()][:2]
        [1.0, 1.15]
    """

    values: np.ndarray  # float32, (height, width)
    kind: Kind

    def __post_init__(self) -> None:
        if self.kind not in ("relative", "metric"):
            raise InvalidInput(f"DepthMap.kind: expected 'relative' or 'metric'; got {self.kind!r}.", code="bad_depth")
        v = self.values
        if not isinstance(v, np.ndarray) or v.ndim != 2 or v.size == 0 or v.dtype != np.float32:
            got = f"{v.dtype} {v.shape}" if isinstance(v, np.ndarray) else type(v).__name__
            raise InvalidInput(f"Expected a non-empty 2-D float32 depth map; got {got}.", code="bad_depth")
        if not np.isfinite(v).all():
            raise InvalidInput("The depth map has NaN or infinite values.", code="bad_depth")

    @classmethod
    def from_array(cls, values: Any, kind: Kind) -> DepthMap:
        """From any 2-D array (a (1, h, w) batch of one is squeezed)."""
        array = np.asarray(values, dtype=np.float32)
        if array.ndim == 3 and array.shape[0] == 1:
            array = array[0]
        return cls(np.ascontiguousarray(array), kind)

    @classmethod
    def from_pipeline(cls, output: Mapping[str, Any], kind: Kind) -> DepthMap:
        """From ``pipeline("depth-estimation")(image)``: its ``predicted_depth`` tensor."""
        if not isinstance(output, Mapping) or "predicted_depth" not in output:
            got = sorted(map(str, output)) if isinstance(output, Mapping) else type(output).__name__
            raise InvalidInput(f"Expected the pipeline's dict with 'predicted_depth'; got {got}.", code="bad_depth")
        tensor = output["predicted_depth"]
        array = tensor.detach().float().cpu().numpy() if hasattr(tensor, "detach") else tensor
        return cls.from_array(array, kind)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height)."""
        return self.values.shape[1], self.values.shape[0]

    @property
    def unit(self) -> str:
        """``"m"`` for metric depth, ``""`` for relative."""
        return "m" if self.kind == "metric" else ""

    @property
    def near_is_high(self) -> bool:
        """Whether larger values are nearer (relative inverse depth) or farther (metres)."""
        return self.kind == "relative"

    def stats(self) -> dict[str, float]:
        """Minimum, 5th percentile, median, 95th percentile, maximum and mean of the values."""
        v = self.values
        p5, median, p95 = np.percentile(v, [5, 50, 95])
        found = (v.min(), p5, median, p95, v.max(), v.mean())
        return {name: float(x) for name, x in zip(_STATS, found, strict=True)}

    def nearness(self) -> np.ndarray:
        """The values scaled to 0 (farthest) .. 1 (nearest), the same meaning for every model."""
        v = self.values
        low, high = float(v.min()), float(v.max())
        if high - low <= 1e-12:
            return np.zeros_like(v)
        scaled = (v - low) / (high - low)
        return scaled if self.near_is_high else 1.0 - scaled

    def distance(self) -> np.ndarray:
        """Something that grows with the distance: metres (metric), or 1 − nearness (relative, no unit)."""
        return self.values if self.kind == "metric" else 1.0 - self.nearness()

    def ticks(self, n: int = 5) -> list[tuple[float, float]]:
        """``n`` (nearness, value) pairs for a colour bar, from far to near."""
        low, high = float(self.values.min()), float(self.values.max())
        out = []
        for near in np.linspace(0.0, 1.0, max(2, n)):
            scaled = near if self.near_is_high else 1.0 - near
            out.append((float(near), low + scaled * (high - low)))
        return out

    def rows(self) -> list[dict[str, Any]]:
        """Rows for a table: one per statistic (``statistic``, ``value``, ``unit``)."""
        return [{"statistic": k, "value": _significant(v), "unit": self.unit} for k, v in self.stats().items()]

    def to_csv(self) -> str:
        """The statistics as CSV (header ``statistic,value,unit``)."""
        return rows_csv(self.rows(), ["statistic", "value", "unit"])

    def to_json(self, **extra: Any) -> str:
        """What the map is and its statistics as JSON (``{**extra, "kind", "unit", ...}``)."""
        width, height = self.size
        doc = {
            **extra,
            "kind": self.kind,
            "unit": self.unit,
            "near_is_high": self.near_is_high,
            "width": width,
            "height": height,
            "stats": {k: _significant(v, 7) for k, v in self.stats().items()},
        }
        return json_text(doc)

    def to_npy(self) -> bytes:
        """The values, exactly, as a NumPy ``.npy`` file (float32, (height, width))."""
        buf = io.BytesIO()
        np.save(buf, self.values, allow_pickle=False)
        return buf.getvalue()

    def png16_image(self) -> Image.Image:
        """A 16-bit grey image: millimetres for metric depth (up to 65.535 m), else min..max → 0..65535."""
        v = self.values.astype(np.float64)
        if self.kind == "metric":
            scaled = np.rint(v * 1000.0)
        else:
            low, high = v.min(), v.max()
            scaled = np.rint((v - low) / (high - low) * 65535.0) if high > low else np.zeros_like(v)
        return Image.fromarray(np.clip(scaled, 0, 65535).astype(np.uint16))  # mode I;16

    def to_png16(self) -> bytes:
        """:meth:`png16_image` as PNG bytes (16 bits a pixel)."""
        from engine.inputs.images import to_png

        return to_png(self.png16_image())


def _significant(value: float, digits: int = 5) -> float:
    """``value`` to ``digits`` significant digits: relative depth has any scale (1e-3 or 1e3).

    Example:
        >>> _significant(0.000123456789), _significant(12345.678)
        (0.00012346, 12346.0)
    """
    return float(f"{value:.{digits}g}")


# --- models ---


@dataclass(frozen=True, eq=False)
class DepthEstimator:
    """A loaded depth model: a transformers ``DepthEstimationPipeline`` and what its values mean."""

    model_id: str
    model: Any  # transformers DepthEstimationPipeline
    kind: Kind
    where: str  # local / embedded / cache / hub
    origin: str = ""  # how the weights are stored (engine.models.resolve.Origin)
    footprint: Footprint = UNKNOWN  # what was really loaded; a test stand-in says so (engine.models.provenance)

    @property
    def stand_in(self) -> bool:
        """Not the published weights (a tiny or untrained test model)."""
        return self.footprint.stand_in

    @property
    def metric(self) -> bool:
        return self.kind == "metric"


def kind_of(config: Any) -> Kind:
    """Whether a transformers config's model predicts metres or relative inverse depth.

    Example:
        >>> from types import SimpleNamespace as C
        >>> kind_of(C(model_type="glpn")), kind_of(C(model_type="dpt"))
        ('metric', 'relative')
        >>> kind_of(C(model_type="depth_anything", depth_estimation_type="metric"))
        'metric'
    """
    if str(getattr(config, "model_type", "")) in METRIC_TYPES:
        return "metric"
    return "metric" if getattr(config, "depth_estimation_type", "relative") == "metric" else "relative"


def load_depth_estimator(model_id: str) -> DepthEstimator:
    """Load a registry (or checked Hub) depth model through ``pipeline("depth-estimation")``.

    Raises :class:`ModelUnavailable` / :class:`ModelLoadError` when it cannot be had or loaded.
    """
    spec = registry.get(model_id)
    if spec.task != TASK:
        raise InvalidInput(f"{model_id} is a {spec.task} model, not {TASK}.", code="wrong_task")
    loaded = load_pipeline(TASK, spec)
    pipe = loaded.pipeline
    return DepthEstimator(
        spec.id, pipe, kind_of(pipe.model.config), loaded.where, loaded.origin, loaded.footprint(spec)
    )


def model_side(model_id: str) -> int:
    """The longest photo side the page gives ``model_id``: :data:`MAX_SIDE`, or less for a model
    whose activations grow with the photo beyond what it was trained on (GLPN: 640 px).

    Example:
        >>> model_side("depth-anything/Depth-Anything-V2-Small-hf"), model_side("vinvino02/glpn-nyu")
        (1024, 640)
    """
    spec = registry.get(model_id)
    side = spec.max_side or NATIVE_SIDE.get(spec.family, 0)
    return min(MAX_SIDE, side) if side > 0 else MAX_SIDE


def fit_for_depth(image: Image.Image, max_side: int = MAX_SIDE) -> Image.Image:
    """``image`` shrunk so that its long side is at most ``max_side`` (the same image if it fits).

    Example:
        >>> fit_for_depth(Image.new("RGB", (4000, 3000))).size
        (1024, 768)
    """
    _check_image(image)
    return shrink_to(image, max_side)


def _check_image(image: Image.Image) -> None:
    if not isinstance(image, Image.Image):
        raise InvalidImage(f"Expected a PIL image; got {type(image).__name__}.", code="bad_type")


def estimate_depth(estimator: DepthEstimator, image: Image.Image, module: Any = None) -> DepthMap:
    """The depth map of ``image`` (an RGB PIL image), at the image's size; with ``module`` (a fast
    copy of the model, :mod:`engine.tasks.fast`), that module in the pipeline model's place."""
    _check_image(image)
    image = image if image.mode == "RGB" else image.convert("RGB")
    # transformers' processors guess the channel axis from the shape and fail on a 1×1 or 3×N
    # picture: a tiny photo is enlarged for the model and its map brought back to its size.
    scale = max(1.0, MIN_SIDE / min(image.size))
    seen = image if scale == 1.0 else image.resize(_scaled(image.size, scale), Image.Resampling.NEAREST)
    torch = import_torch()
    with torch.inference_mode():
        output = estimator.model(seen) if module is None else _through(estimator.model, module, seen)
    depth = DepthMap.from_pipeline(output, estimator.kind)
    if seen is image:
        return depth
    back = Image.fromarray(depth.values).resize(image.size, Image.Resampling.BILINEAR)  # mode "F"
    return DepthMap.from_array(np.asarray(back), depth.kind)


def _through(pipe: Any, module: Any, image: Image.Image) -> Any:
    """The pipeline's own steps for ``image`` with ``module`` run in its model's place (the shared
    pipeline is left untouched: other sessions call it meanwhile)."""
    inputs = pipe.preprocess(image)
    target = inputs.pop("target_size")
    outputs = module(**inputs)
    outputs["target_size"] = target
    return pipe.postprocess(outputs)


def _scaled(size: tuple[int, int], scale: float) -> tuple[int, int]:
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


_SNIPPET_WORDS = {
    "es": {
        "estimator": "estimador",
        "image": "imagen",
        "result": "resultado",
        "values": "valores",
        "stats": "estadisticas",
        "name": "nombre",
        "value": "valor",
        "png": "profundidad.png",
        "npy": "profundidad.npy",
        "c_tensor": "# predicted_depth: un valor por píxel (un tensor de torch)",
        "c_grey": "# depth: el mismo mapa como imagen en grises (0..255)",
        "c_metric": "# metros desde la cámara",
        "c_relative": "# relativa: mayor = más cerca (sin unidad)",
        "c_stats": "# Las estadísticas de la tabla de la página",
        "c_side": "# Como en la página: este modelo ve la foto a {side} px de lado como mucho"
        " (más píxeles solo le cuestan memoria y tiempo)",
    },
    "en": {
        "estimator": "estimator",
        "image": "image",
        "result": "result",
        "values": "values",
        "stats": "stats",
        "name": "name",
        "value": "value",
        "png": "depth.png",
        "npy": "depth.npy",
        "c_tensor": "# predicted_depth: one value per pixel (a torch tensor)",
        "c_grey": "# depth: the same map as a grey image (0..255)",
        "c_metric": "# metres from the camera",
        "c_relative": "# relative: larger = nearer (no unit)",
        "c_stats": "# The statistics of the page's table",
        "c_side": "# As on the page: this model sees the photo at {side} px on its long side at most"
        " (more pixels only cost it memory and time)",
    },
}
# The statistics' names as the snippet prints them: the report's (ui/strings/deliverable.py,
# ``deliverable.statistic_*``) and the page's, so the script's lines read like the report's table.
STAT_NAMES = {
    "es": {
        "min": "mínimo",
        "p5": "percentil 5",
        "median": "mediana",
        "p95": "percentil 95",
        "max": "máximo",
        "mean": "media",
    },
    "en": {
        "min": "minimum",
        "p5": "5th percentile",
        "median": "median",
        "p95": "95th percentile",
        "max": "maximum",
        "mean": "mean",
    },
}


def code_snippet(model_id: str, file_name: str = "", lang: str = "es") -> str:
    """The Python a student would write: the pipeline call, the map's statistics as the page's
    table gives them (:meth:`DepthMap.rows`: 5 significant digits), the map as an
    image and as numbers; comments and names in ``lang`` ("es" or "en").

    Example:
        >>> "mediana" in code_snippet("depth-anything/Depth-Anything-V2-Small-hf", "salón.jpg")
        True
    """
    spec = registry.get(model_id)
    key = "en" if lang == "en" else "es"
    name = repr(file_name or ("photo.jpg" if key == "en" else "foto.jpg"))  # data, never code
    w = _SNIPPET_WORDS[key]
    est, img, res, vals, stats, n, v = (
        w[k] for k in ("estimator", "image", "result", "values", "stats", "name", "value")
    )
    metric = _metric_id(spec.id)
    unit = " m" if metric else ""
    side = model_side(spec.id)
    sc = "escala" if key == "es" else "scale"
    shrink = (
        f"{w['c_side'].format(side=side)}\n"
        f"{sc} = {side} / max({img}.size)\n"
        f"if {sc} < 1:\n"
        f"    {img} = {img}.resize((round({img}.width * {sc}), round({img}.height * {sc})), Image.Resampling.LANCZOS)\n"
        if side < MAX_SIDE
        else ""
    )
    names = STAT_NAMES[key]
    # numpy's percentile and float32 min/max/mean: the engine's DepthMap.stats on the same map.
    table = "".join(
        f'    "{names[k]}": {expr},\n'
        for k, expr in (
            ("min", f"{vals}.min()"),
            ("p5", "p5"),
            ("median", "p50"),
            ("p95", "p95"),
            ("max", f"{vals}.max()"),
            ("mean", f"{vals}.mean()"),
        )
    )
    return (
        "import numpy as np\n"
        "from PIL import Image\n"
        "from transformers import pipeline\n\n"
        f'{est} = pipeline("depth-estimation", model="{spec.id}")\n'
        f'{img} = Image.open({name}).convert("RGB")\n'
        f"{shrink}"
        f"{res} = {est}({img})\n"
        f"{w['c_tensor']}\n"
        f'{vals} = {res}["predicted_depth"].numpy()\n'
        f"print({vals}.shape)  {w['c_metric'] if metric else w['c_relative']}\n"
        f"{w['c_stats']}\n"
        f"p5, p50, p95 = np.percentile({vals}, [5, 50, 95])\n"
        f"{stats} = {{\n{table}}}\n"
        f"for {n}, {v} in {stats}.items():\n"
        f'    print(f"{{{n}}}: {{{v}:.5g}}{unit}")\n'
        f"{w['c_grey']}\n"
        f'{res}["depth"].save("{w["png"]}")\n'
        f'np.save("{w["npy"]}", {vals})\n'
    )


def _metric_id(model_id: str) -> bool:
    """Whether a registry model predicts metres, from its family as the registry records it (a typed
    Hub model's family is its config's ``model_type``)."""
    family = registry.get(model_id).family.lower()
    return "metric" in family or family in METRIC_TYPES
