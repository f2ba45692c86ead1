""" "Modo rápido": a model in a faster numeric mode (bf16, or int8 linear layers), and what it costs.

The app's default is fp32, the pipeline's own numbers. A student may switch a page to a faster
mode and see, next to its result, the time per image of both and how well they agree:

- **bf16** (bfloat16: fp32's 8-bit exponent with 7 mantissa bits instead of 23) where the CPU
  has bf16 instructions (AVX-512 BF16, AMX) and torch says oneDNN can use them. The weights are
  held once more in bf16 (half the fp32 size): autocast around the app's model does nothing
  there, because its weights are packed for oneDNN (:mod:`engine.accel.fastcpu`) and autocast
  only converts the standard ops, and autocast around an unpacked copy measured slower than
  fp32 (it converts every activation at every layer; EfficientNet-Lite0 on AMD EPYC: 57 ms fp32
  packed, the same 57 ms and identical numbers with autocast, 720 ms autocast unpacked, 32 ms
  with bf16 weights).
- **int8**: ``torch.ao.quantization.quantize_dynamic`` of the ``nn.Linear`` layers (weights in
  int8, activations quantized on the fly). torchao (0.18, installable from the mirror without another
  torch) was measured and is not used: its eager ``Int8DynamicActivationInt8WeightConfig`` ran a
  ViT-base MLP (197 tokens) in 312 ms against fp32's 56 ms and torch's own dynamic int8's 24 ms here
  (it needs ``torch.compile`` to be fast). int8 pays off only where the linear layers do most of the
  work (ViT, DeiT, the sketch CNN), so :func:`candidates` offers it only then; CNNs get bf16.

Every copy is checked against the fp32 model on an example and timed (:func:`prepare`): it is
kept only when it is faster, and its memory is counted (``FastModel.extra_mb``).

Example:
    >>> model = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10)).eval()
    >>> fast = fast_copy(model, "bf16")
    >>> fast.mode, fast.module(torch.randn(2, 64)).dtype
    ('bf16', torch.float32)
    >>> a = ClassAgreement.from_scores(["cat", "dog"], [0.9, 0.1], ["cat", "dog"], [0.88, 0.12])
    >>> a.same_top1, round(a.max_score_diff, 2)
    (True, 0.02)
"""

from __future__ import annotations

import copy
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import torch

from engine.results import json_text, rows_csv

# This module imports torch: import it only from code that already runs a model (never from Home).

Mode = Literal["bf16", "int8"]
MODES: tuple[Mode, ...] = ("bf16", "int8")
BF16_FLAGS = ("avx512_bf16", "amx_bf16")
LINEAR_SHARE_FOR_INT8 = 0.5  # int8 linear layers only where they hold at least half of the weights
KEEP_IF_RATIO_BELOW = 0.95  # a fast copy must take at most 95 % of the fp32 time to be kept
MATCH_IOU = 0.5  # two boxes are "the same" from this IoU on, as in AP50


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


@dataclass(frozen=True)
class Support:
    """Which fast modes this CPU and torch build can run, and why not where they cannot.

    ``why_not`` maps a mode to a catalog code (``fastmode.no_bf16``, ``fastmode.no_int8``).

    Example:
        >>> s = Support.from_flags({"avx2"}, bf16_kernels=False, int8_engines=("x86",))
        >>> s.modes, s.why_not
        (('int8',), {'bf16': 'no_bf16'})
        >>> Support.from_flags({"avx512_bf16"}, bf16_kernels=True, int8_engines=()).modes
        ('bf16',)
    """

    modes: tuple[Mode, ...]
    why_not: dict[str, str]
    cpu_flags: tuple[str, ...]

    @classmethod
    def from_flags(cls, flags: set[str], *, bf16_kernels: bool, int8_engines: Sequence[str]) -> Support:
        """From the CPU's flags, whether oneDNN has bf16 kernels here, and torch's quantized engines."""
        bf16 = bf16_kernels and bool(flags & set(BF16_FLAGS))
        int8 = bool({"x86", "fbgemm", "onednn"} & set(int8_engines))
        modes = tuple(m for m, ok in (("bf16", bf16), ("int8", int8)) if ok)
        why_not = {m: f"no_{m}" for m, ok in (("bf16", bf16), ("int8", int8)) if not ok}
        return cls(modes, why_not, tuple(sorted(flags & {*BF16_FLAGS, "avx512_vnni", "amx_int8", "avx2", "avx512f"})))

    @property
    def any(self) -> bool:
        return bool(self.modes)


@lru_cache(maxsize=1)
def support() -> Support:
    """This machine's :class:`Support` (cached: the CPU does not change)."""
    try:
        kernels = bool(torch.backends.mkldnn.is_available()) and bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        kernels = False
    return Support.from_flags(
        _cpu_flags(), bf16_kernels=kernels, int8_engines=tuple(torch.backends.quantized.supported_engines)
    )


def _cast(value: Any, dtype: Any) -> Any:
    """Floating tensors in ``value`` (nested tuples, lists, dicts) cast to ``dtype``."""
    if isinstance(value, torch.Tensor):
        return value.to(dtype) if value.is_floating_point() else value
    if isinstance(value, tuple | list):
        return type(value)(_cast(v, dtype) for v in value)
    if isinstance(value, dict):
        cast = {k: _cast(v, dtype) for k, v in value.items()}
        try:
            return type(value)(**cast)  # transformers' ModelOutput keeps its attributes
        except TypeError:
            return cast
    return value


class Cast(torch.nn.Module):
    """A module run in ``dtype``: floating inputs cast to it, floating outputs back to fp32.

    Example:
        >>> Cast(torch.nn.Linear(4, 2).to(torch.bfloat16), torch.bfloat16)(torch.ones(1, 4)).dtype
        torch.float32
    """

    def __init__(self, inner: Any, dtype: Any) -> None:
        super().__init__()
        self.inner, self.dtype = inner, dtype

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return _cast(self.inner(*_cast(args, self.dtype), **_cast(kwargs, self.dtype)), torch.float32)

    def __getattr__(self, name: str) -> Any:  # the wrapped model's attributes (YOLO's stride, names...)
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(super().__getattr__("inner"), name)


def unpacked_copy(module: Any, share_file_backed: bool = False) -> Any:
    """A plain copy of ``module``: its oneDNN-packed layers (:mod:`engine.accel.fastcpu`) as the plain
    ``Linear``/``Conv2d`` they came from (a packed weight cannot be copied or cast); 4-D weights stay
    channels-last when the model ran so. The original is left as it is.

    With ``share_file_backed``, a parameter read from the file's pages (:mod:`engine.models.mapped`:
    CLIP's 97 MB token table) is the same object in the copy, not a copy of it in the heap: only for a
    copy that never converts it (int8 quantizes the linear layers only; ``.to(bf16)`` would convert
    the shared parameter in place, the fp32 model's too)."""
    from engine.accel.fastcpu import PackedConv2d, PackedLinear
    from engine.models.mapped import is_file_backed

    channels_last = any(
        p.dim() == 4 and p.is_contiguous(memory_format=torch.channels_last) and not p.is_contiguous()
        for p in module.parameters()
        if not p.is_mkldnn
    ) or any(isinstance(m, PackedConv2d) for m in module.modules())
    memo: dict[int, Any] = {}
    for m in module.modules():
        if isinstance(m, PackedLinear | PackedConv2d) and id(m) not in memo:
            memo[id(m)] = m.unpacked()
    if share_file_backed:
        memo.update({id(p): p for p in module.parameters() if is_file_backed(p)})
    plain = copy.deepcopy(module, memo)
    if channels_last:
        plain = plain.to(memory_format=torch.channels_last)
    return plain.eval()


def module_mb(module: Any) -> float:
    """Bytes of a module's parameters, buffers and int8 packed weights, in MB; a parameter read from the
    file's pages (:func:`engine.models.mapped.is_file_backed`) is not heap and not counted."""
    from engine.models.mapped import is_file_backed

    tensors = [*(p for p in module.parameters() if not is_file_backed(p)), *module.buffers()]
    total = sum(t.numel() * t.element_size() for t in tensors)
    for m in module.modules():
        # A quantized Linear's int8 weight and bias, packed by torch inside its LinearPackedParams
        # (the Linear around it has the same method: counted once, at the inner module).
        packed = getattr(m, "_packed_params", None)
        if hasattr(m, "_weight_bias") and packed is not None and not isinstance(packed, torch.nn.Module):
            weight, bias = m._weight_bias()
            total += weight.numel() * weight.element_size() + (0 if bias is None else bias.numel() * 4)
    return total / 2**20


def linear_share(module: Any) -> float:
    """The share of a module's weights held by ``nn.Linear`` layers (packed ones included).

    Example:
        >>> linear_share(torch.nn.Sequential(torch.nn.Conv2d(1, 1, 1), torch.nn.Linear(10, 10)))
        0.9821428571428571
    """
    from engine.accel.fastcpu import PackedLinear

    def size(m: Any) -> int:
        return sum(p.numel() for p in m.parameters(recurse=False))

    linear = sum(size(m) for m in module.modules() if isinstance(m, torch.nn.Linear | PackedLinear))
    total = sum(size(m) for m in module.modules())
    return linear / total if total else 0.0


@dataclass(frozen=True, eq=False)
class FastModel:
    """A copy of a model in a fast mode, run like the original (fp32 in, fp32 out).

    ``model`` is the torch module (what the app's model cache measures); ``extra_mb`` the memory
    the copy adds next to the fp32 model; ``applied`` what was done, e.g. ``"bf16_weights"`` or
    ``"int8_dynamic_linear:12"``.
    """

    mode: Mode
    module: Any
    extra_mb: float
    applied: str

    @property
    def model(self) -> Any:
        return self.module


def fast_copy(module: Any, mode: Mode, run: Callable[[Any], Any] | None = None) -> FastModel:
    """``module`` (fp32, maybe packed) copied into ``mode``; the original is untouched.

    With ``run`` (a call of a model on a typical input), a bf16 copy gets its weights packed for
    oneDNN too (:func:`engine.accel.fastcpu.pack`, bf16 kernels: EfficientNet-Lite0's forward 0.78x
    the fp32 time here, against 0.96x unpacked), kept only when its outputs match the unpacked copy's.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
    plain = unpacked_copy(module, share_file_backed=mode == "int8")
    if mode == "bf16":
        inner = plain.to(torch.bfloat16)
        fast: Any = Cast(inner, torch.bfloat16)
        applied = "bf16_weights" + (_pack_bf16(fast, run) if run is not None else "")
    else:
        # The plain copy is the copy's own: quantized in place, it keeps a file-backed table shared
        # (quantize_dynamic's default would deep-copy it again, into the heap).
        fast = torch.ao.quantization.quantize_dynamic(plain, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
        count = sum(type(m).__name__ == "Linear" and "quantized" in type(m).__module__ for m in fast.modules())
        applied = f"int8_dynamic_linear:{count}"
    return FastModel(mode, fast.eval(), round(module_mb(fast), 2), applied)


def _pack_bf16(fast: Any, run: Callable[[Any], Any]) -> str:
    """Pack a bf16 copy's layers for oneDNN in place; ``"+onednn_conv:49,onednn_linear:1"`` or ``""``."""
    from engine.accel import fastcpu

    if not fastcpu.available():
        return ""
    with torch.inference_mode():
        expected = run(fast)
    try:
        counts = fastcpu.pack(fast.inner, lambda: run(fast), dtype=torch.bfloat16)
        with torch.inference_mode():
            ok = any(counts.values()) and fastcpu.outputs_match(run(fast), expected)
    except (RuntimeError, NotImplementedError):  # a oneDNN without bf16 kernels for a layer: stay plain
        ok, counts = False, {}
    if not ok:
        fastcpu.unpack(fast.inner)
        fast.inner.to(torch.bfloat16)
        return ""
    return "+" + ",".join(f"onednn_{kind}:{n}" for kind, n in counts.items() if n)


def candidates(module: Any, modes: Sequence[Mode] | None = None) -> tuple[Mode, ...]:
    """The fast modes worth trying for ``module`` here: the CPU's (:func:`support`), int8 only when
    linear layers hold at least half of the weights (a CNN's one classifier layer gains nothing)."""
    allowed = support().modes if modes is None else tuple(modes)
    share = linear_share(module)
    return tuple(m for m in allowed if m != "int8" or share >= LINEAR_SHARE_FOR_INT8)


def paired_times(fns: Sequence[Callable[[], Any]], runs: int = 5, warmup: int = 1) -> list[list[float]]:
    """Each of ``fns``' times in ms over ``runs`` rounds, the calls alternating within a round (a machine
    busy for a while slows all of them alike), after ``warmup`` untimed calls of each."""
    with torch.inference_mode():
        for fn in fns:
            for _ in range(warmup):
                fn()
        times: list[list[float]] = [[] for _ in fns]
        for _ in range(runs):
            for i, fn in enumerate(fns):
                start = time.perf_counter()
                fn()
                times[i].append((time.perf_counter() - start) * 1000)
    return times


def ratios_of(times: Sequence[Sequence[float]]) -> list[float]:
    """For each of ``times[1:]`` (from :func:`paired_times`), the median over rounds of its time divided
    by ``times[0]``'s in the same round.

    Example:
        >>> ratios_of([[10.0, 20.0, 10.0], [5.0, 10.0, 6.0]])
        [0.5]
    """
    return [statistics.median(t / b for t, b in zip(other, times[0], strict=True)) for other in times[1:]]


def paired_ratios(fns: Sequence[Callable[[], Any]], runs: int = 5, warmup: int = 1) -> list[float]:
    """For each of ``fns[1:]``, the median over ``runs`` rounds of its time divided by ``fns[0]``'s time
    in the same round (:func:`paired_times`).

    Example:
        >>> [round(r) for r in paired_ratios([lambda: time.sleep(0.002), lambda: time.sleep(0.004)], runs=3)]
        [2]
    """
    return ratios_of(paired_times(fns, runs, warmup))


def timing_runs(forward_s: float, budget_s: float = 6.0, most: int = 5, least: int = 2) -> int:
    """Paired rounds to time the modes of a model whose forward pass takes ``forward_s``: as many as
    fit in about ``budget_s`` (a round runs fp32 and two copies), from ``least`` to ``most``. Making
    a fast copy holds the server's queue: DPT's 2 s forward at 5 rounds would hold it half a minute.

    Example:
        >>> timing_runs(0.05), timing_runs(0.5), timing_runs(2.0)
        (5, 4, 2)
    """
    if forward_s <= 0:
        return most
    return max(least, min(most, int(budget_s / (3 * forward_s))))


def prepare(
    module: Any, run: Callable[[Any], Any], modes: Sequence[Mode] | None = None, runs: int = 5
) -> FastModel | None:
    """The fastest copy of ``module`` among ``modes`` (default :func:`candidates`), or ``None`` when no
    mode is supported or none takes under :data:`KEEP_IF_RATIO_BELOW` of the fp32 time.
    ``run(m)`` calls a model once on a typical input; the times are paired (:func:`paired_ratios`)."""
    tried = candidates(module, modes)
    if not tried:
        return None
    copies = [fast_copy(module, m, run) for m in tried]
    ratios = paired_ratios([lambda: run(module), *[lambda c=c: run(c.module) for c in copies]], runs)
    ratio, best = min((r, i) for i, r in enumerate(ratios))
    return copies[best] if ratio < KEEP_IF_RATIO_BELOW else None


# --- how a fast result compares with fp32's ---


@dataclass(frozen=True)
class ClassAgreement:
    """Classification, fast vs fp32: the same top-1? the largest score difference over fp32's top-k
    (a label missing from the fast top-k counts with score 0 there).

    Example:
        >>> ClassAgreement.from_scores(["a", "b"], [0.6, 0.3], ["b", "a"], [0.5, 0.4]).rows()[0]
        {'measure': 'same_top1', 'value': False}
    """

    same_top1: bool
    max_score_diff: float
    top_k: int

    @classmethod
    def from_scores(
        cls, labels: Sequence[str], scores: Sequence[float], fast_labels: Sequence[str], fast_scores: Sequence[float]
    ) -> ClassAgreement:
        fast = dict(zip(fast_labels, fast_scores, strict=True))
        diffs = [abs(s - fast.get(label, 0.0)) for label, s in zip(labels, scores, strict=True)]
        same = bool(labels) and bool(fast_labels) and labels[0] == fast_labels[0]
        return cls(same, max(diffs, default=0.0), len(labels))

    @classmethod
    def from_classifications(cls, fp32: Any, fast: Any) -> ClassAgreement:
        """From two ``engine.results.Classifications``."""
        return cls.from_scores(fp32.labels, fp32.scores, fast.labels, fast.scores)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"measure": "same_top1", "value": self.same_top1},
            {"measure": "max_score_diff", "value": round(self.max_score_diff, 6)},
        ]


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """IoU of two ``(x1, y1, x2, y2)`` boxes.

    Example:
        >>> box_iou((0, 0, 10, 10), (5, 0, 15, 10))
        0.3333333333333333
    """
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


@dataclass(frozen=True)
class BoxAgreement:
    """Detection, fast vs fp32: boxes matched greedily (same label, highest IoU first, IoU >=
    :data:`MATCH_IOU`); ``mean_iou`` over the matched pairs (1.0 when neither found anything).

    Example:
        >>> a = BoxAgreement.from_boxes([(0, 0, 10, 10)], ["cat"], [(0, 0, 10, 9)], ["cat"])
        >>> a.matched, a.same_count, a.same_labels, a.mean_iou
        (1, True, True, 0.9)
    """

    fp32_count: int
    fast_count: int
    matched: int
    mean_iou: float
    same_labels: bool

    @property
    def same_count(self) -> bool:
        return self.fp32_count == self.fast_count

    @classmethod
    def from_boxes(
        cls,
        boxes: Sequence[Sequence[float]],
        labels: Sequence[str],
        fast_boxes: Sequence[Sequence[float]],
        fast_labels: Sequence[str],
    ) -> BoxAgreement:
        pairs = sorted(
            (
                (box_iou(a, b), i, j)
                for i, a in enumerate(boxes)
                for j, b in enumerate(fast_boxes)
                if labels[i] == fast_labels[j]
            ),
            reverse=True,
        )
        used_a: set[int] = set()
        used_b: set[int] = set()
        ious = []
        for iou, i, j in pairs:
            if iou < MATCH_IOU:
                break
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            ious.append(iou)
        mean = statistics.fmean(ious) if ious else (1.0 if not boxes and not fast_boxes else 0.0)
        same = Counter(labels) == Counter(fast_labels)
        return cls(len(boxes), len(fast_boxes), len(ious), round(mean, 6), same)

    @classmethod
    def from_detections(cls, fp32: Any, fast: Any) -> BoxAgreement:
        """From two ``engine.tasks.detection.Detections``."""
        return cls.from_boxes(fp32.xyxy.tolist(), list(fp32.class_name), fast.xyxy.tolist(), list(fast.class_name))

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"measure": "fp32_boxes", "value": self.fp32_count},
            {"measure": "fast_boxes", "value": self.fast_count},
            {"measure": "matched", "value": self.matched},
            {"measure": "mean_iou", "value": self.mean_iou},
            {"measure": "same_labels", "value": self.same_labels},
        ]


@dataclass(frozen=True)
class PixelAgreement:
    """Segmentation, fast vs fp32: the share of pixels given the same class.

    Example:
        >>> import numpy as np
        >>> PixelAgreement.from_masks(np.array([[0, 1], [1, 1]]), np.array([[0, 1], [1, 2]])).agreement
        0.75
    """

    agreement: float
    pixels: int

    @classmethod
    def from_masks(cls, fp32: Any, fast: Any) -> PixelAgreement:
        a, b = torch.as_tensor(fp32), torch.as_tensor(fast)
        if a.shape != b.shape:
            raise ValueError(f"masks of different shapes: {tuple(a.shape)} and {tuple(b.shape)}")
        n = a.numel()
        return cls(float((a == b).sum()) / n if n else 1.0, n)

    @classmethod
    def from_segmentations(cls, fp32: Any, fast: Any) -> PixelAgreement:
        """From two ``engine.tasks.segmentation.Segmentation`` of the same image: each pixel's class
        (its last segment's, for overlapping instances; none where no segment covers it)."""
        return cls.from_masks(label_map(fp32), label_map(fast))

    def rows(self) -> list[dict[str, Any]]:
        return [{"measure": "pixel_agreement", "value": round(self.agreement, 6)}]


@dataclass(frozen=True)
class MapAgreement:
    """Depth, fast vs fp32: how closely the two maps follow each other, pixel by pixel: their
    correlation, and the mean difference as a share of the fp32 map's range (0.01 = 1 %).

    Example:
        >>> import numpy as np
        >>> a = MapAgreement.from_maps(np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([[0.0, 1.0], [2.0, 3.3]]))
        >>> round(a.correlation, 4), round(a.mean_diff, 4), a.pixels
        (0.9977, 0.025, 4)
    """

    correlation: float
    mean_diff: float  # mean |fast - fp32| / (max - min of fp32)
    pixels: int

    @classmethod
    def from_maps(cls, fp32: Any, fast: Any) -> MapAgreement:
        import numpy as np

        a, b = np.asarray(fp32, dtype=np.float64), np.asarray(fast, dtype=np.float64)
        if a.shape != b.shape:
            raise ValueError(f"maps of different shapes: {a.shape} and {b.shape}")
        diff = float(np.abs(a - b).mean()) if a.size else 0.0
        spread = float(a.max() - a.min()) if a.size else 0.0
        if a.size > 1 and a.std() > 0 and b.std() > 0:
            correlation = float(np.corrcoef(a.ravel(), b.ravel())[0, 1])
        else:  # a flat map: they agree when they are the same
            correlation = 1.0 if diff == 0 else 0.0
        return cls(correlation, diff / spread if spread > 0 else float(diff > 0), int(a.size))

    @classmethod
    def from_depth(cls, fp32: Any, fast: Any) -> MapAgreement:
        """From two ``engine.tasks.depth.DepthMap`` of the same image."""
        return cls.from_maps(fp32.values, fast.values)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"measure": "correlation", "value": round(self.correlation, 6)},
            {"measure": "mean_diff_of_range", "value": round(self.mean_diff, 6)},
        ]


def label_map(segmentation: Any) -> Any:
    """A segmentation as one class index per pixel (``model_labels``' order; -1 where no segment is).

    Example:
        >>> import numpy as np
        >>> from engine.tasks.segmentation import Segmentation
        >>> label_map(Segmentation.from_label_map(np.array([[0, 2]]), ("wall", "sky", "person"))).tolist()
        [[0, 2]]
    """
    import numpy as np

    width, height = segmentation.size
    index = {name: i for i, name in enumerate(segmentation.model_labels)}
    out = np.full((height, width), -1, dtype=np.int64)
    for seg in segmentation.segments:
        out[seg.mask] = index.get(seg.label, -2)
    return out


Agreement = ClassAgreement | BoxAgreement | PixelAgreement | MapAgreement


@dataclass(frozen=True)
class Comparison:
    """One image in fp32 and in a fast mode: the time of each (ms) and how well they agree.

    Example:
        >>> c = Comparison.from_times("bf16", 60.0, 30.0, ClassAgreement(True, 0.004, 5), extra_mb=9.4)
        >>> c.speedup, c.rows()[0]
        (2.0, {'measure': 'fp32_ms', 'value': 60.0})
        >>> print(c.to_csv().splitlines()[3])
        speedup,2.0
    """

    mode: Mode
    fp32_ms: float
    fast_ms: float
    agreement: Agreement
    extra_mb: float = 0.0

    @classmethod
    def from_times(
        cls, mode: Mode, fp32_ms: float, fast_ms: float, agreement: Agreement, extra_mb: float = 0.0
    ) -> Comparison:
        return cls(mode, round(fp32_ms, 3), round(fast_ms, 3), agreement, round(extra_mb, 2))

    @property
    def speedup(self) -> float:
        """fp32 time / fast time (above 1: the fast mode is faster)."""
        return round(self.fp32_ms / self.fast_ms, 3) if self.fast_ms > 0 else 0.0

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"measure": "fp32_ms", "value": self.fp32_ms},
            {"measure": f"{self.mode}_ms", "value": self.fast_ms},
            {"measure": "speedup", "value": self.speedup},
            *self.agreement.rows(),
            {"measure": "extra_mb", "value": self.extra_mb},
        ]

    def to_csv(self) -> str:
        return rows_csv(self.rows(), ["measure", "value"])

    def to_json(self, **extra: Any) -> str:
        return json_text({**extra, "mode": self.mode, "comparison": self.rows()})
