"""Faster CPU inference with the same numbers: weights packed once for oneDNN at load time.

In eager PyTorch an ``nn.Linear`` calls MKL's ``sgemm`` on a plain row-major weight, and an
``nn.Conv2d`` reorders its weight into oneDNN's blocked layout on every call. :func:`pack`
replaces them by modules that hold the weight already in oneDNN's layout and call oneDNN
directly (``torch.ops.mkldnn._linear_pointwise`` / ``_convolution_pointwise``, the kernels that
``torch.compile``'s CPU "freezing" uses, here without a compiler). The arithmetic is the same
fp32 multiply-adds in another order, so results agree within float rounding (the loaders check
every packed model against the original and undo the packing when they do not).

Measured on this project's 2-core machine (AMD EPYC, AVX-512, torch 2.14): a ViT-base MLP
linear 6.7 → 4.7 ms, the ViT-base forward 270 → 200 ms, the ResNet-50 forward 61 → 50 ms.

Example:
    >>> available()  # oneDNN's kernels are in this torch build (else nothing is packed)
    True
    >>> model = torch.nn.Sequential(torch.nn.Linear(8, 4))
    >>> pack(model, lambda: model(torch.randn(2, 8)))
    {'linear': 1, 'conv': 0}
    >>> unpack(model)
    1
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from engine import settings
from engine.models.mapped import is_file_backed

# This module imports torch: import it only from code that already runs a model (never from Home).

ENV = "VISION_ONEDNN_PACK"  # 0 turns packing off (engine.settings.onednn_pack)
log = logging.getLogger(__name__)


def available() -> bool:
    """Whether this torch can run packed weights (x86 builds with oneDNN) and packing is not turned off."""
    if not settings.onednn_pack():
        return False
    ops = torch.ops.mkldnn
    needed = ("_reorder_linear_weight", "_linear_pointwise", "_reorder_convolution_weight", "_convolution_pointwise")
    try:
        return bool(torch.backends.mkldnn.is_available()) and all(hasattr(ops, name) for name in needed)
    except (AttributeError, RuntimeError):
        return False


class PackedLinear(torch.nn.Module):
    """``nn.Linear`` with its weight in oneDNN's layout; ``rows`` is the batch size it is tuned for.

    Example:
        >>> PackedLinear(torch.nn.Linear(8, 4), rows=2)(torch.randn(2, 8)).shape
        torch.Size([2, 4])
    """

    def __init__(self, linear: Any, rows: int) -> None:
        super().__init__()
        self.in_features, self.out_features, self.rows = linear.in_features, linear.out_features, rows
        packed = torch.ops.mkldnn._reorder_linear_weight(linear.weight.detach(), max(1, rows))
        self.weight = torch.nn.Parameter(packed, requires_grad=False)
        self.bias = None if linear.bias is None else torch.nn.Parameter(linear.bias.detach(), requires_grad=False)

    def forward(self, x: Any) -> Any:
        lead = x.shape[:-1]
        # oneDNN's linear takes a matrix: fold the leading dims (batch, tokens) into rows.
        y = torch.ops.mkldnn._linear_pointwise(x.reshape(-1, self.in_features), self.weight, self.bias, "none", [], "")
        return y.reshape(*lead, self.out_features)

    def unpacked(self) -> Any:
        return _filled(torch.nn.Linear(self.in_features, self.out_features, bias=self.bias is not None), self)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, rows={self.rows}"


class PackedConv2d(torch.nn.Module):
    """``nn.Conv2d`` (zero padding) with its weight in oneDNN's layout for inputs like ``size``.

    Its output is channels-last, oneDNN's own layout; any input size works.
    """

    def __init__(self, conv: Any, size: list[int]) -> None:
        super().__init__()
        self.in_channels, self.out_channels = conv.in_channels, conv.out_channels
        self.kernel_size = tuple(conv.kernel_size)
        self.padding, self.stride = conv_padding(conv), list(conv.stride)
        self.dilation, self.groups, self.size = list(conv.dilation), conv.groups, list(size)
        packed = torch.ops.mkldnn._reorder_convolution_weight(
            conv.weight.detach(), self.padding, self.stride, self.dilation, self.groups, self.size
        )
        self.weight = torch.nn.Parameter(packed, requires_grad=False)
        self.bias = None if conv.bias is None else torch.nn.Parameter(conv.bias.detach(), requires_grad=False)

    def forward(self, x: Any) -> Any:
        return torch.ops.mkldnn._convolution_pointwise(
            x, self.weight, self.bias, self.padding, self.stride, self.dilation, self.groups, "none", [], ""
        )

    def unpacked(self) -> Any:
        conv = torch.nn.Conv2d(
            self.in_channels,
            self.out_channels,
            self.kernel_size,
            stride=tuple(self.stride),
            padding=tuple(self.padding),
            dilation=tuple(self.dilation),
            groups=self.groups,
            bias=self.bias is not None,
        )
        return _filled(conv, self)

    def extra_repr(self) -> str:
        return (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={tuple(self.stride)}, "
            f"groups={self.groups}"
        )


def _filled(plain: Any, packed: Any) -> Any:
    """``plain`` (a new Linear/Conv2d) with ``packed``'s weight, in the plain layout again, and bias."""
    with torch.no_grad():
        plain.weight.copy_(packed.weight.to_dense())
        if packed.bias is not None:
            plain.bias.copy_(packed.bias)
    return plain.eval()


def _packable(module: Any, dtype: Any = torch.float32) -> str:
    """ "linear", "conv" or "" (only exact ``dtype`` CPU ``Linear``/zero-padded ``Conv2d``: subclasses may do more)."""
    weight = getattr(module, "weight", None)
    if weight is None or weight.dtype != dtype or weight.device.type != "cpu" or weight.is_mkldnn:
        return ""
    if type(module) is torch.nn.Linear:
        return "linear"
    if type(module) is torch.nn.Conv2d and module.padding_mode == "zeros" and conv_padding(module) is not None:
        return "conv"
    return ""


def conv_padding(conv: Any) -> list[int] | None:
    """A ``Conv2d``'s padding as numbers: "valid" is 0, and "same" (stride 1) is ``dilation·(k-1)/2``
    on each side when that is whole (an even total: PyTorch would pad one side more); else ``None``.

    Example:
        >>> conv_padding(torch.nn.Conv2d(1, 1, 3, padding="same"))
        [1, 1]
    """
    if not isinstance(conv.padding, str):
        return list(conv.padding)
    if conv.padding == "valid":
        return [0, 0]
    totals = [d * (k - 1) for d, k in zip(conv.dilation, conv.kernel_size, strict=True)]
    return [t // 2 for t in totals] if all(t % 2 == 0 for t in totals) else None


def pack(model: Any, run: Callable[[], Any], dtype: Any = torch.float32) -> dict[str, int]:
    """Replace, in place, the ``Linear`` and ``Conv2d`` layers that ``run()`` uses by packed ones.

    ``run`` calls the model once on a typical input: it tells each layer the shape it will see
    (layers it does not reach stay as they are). Returns how many of each were packed; nothing
    is packed when :func:`available` is false. ``dtype`` is the weights' (bf16 for a fast mode's
    copy, :mod:`engine.accel.fastmode`).
    """
    counts = {"linear": 0, "conv": 0}
    if not available():
        return counts
    shapes: dict[int, list[int]] = {}

    def record(module: Any, args: tuple[Any, ...]) -> None:
        if args and isinstance(args[0], torch.Tensor):
            shapes.setdefault(id(module), list(args[0].shape))

    hooks = [m.register_forward_pre_hook(record) for m in model.modules() if _packable(m, dtype)]
    try:
        with torch.inference_mode():
            run()
    finally:
        for hook in hooks:
            hook.remove()
    done: dict[int, Any] = {}  # a layer used twice (tied) becomes one packed layer

    def replace(parent: Any) -> None:
        for name, child in list(parent.named_children()):
            kind = _packable(child, dtype)
            if not kind:
                replace(child)
                continue
            if id(child) not in shapes:
                continue
            if id(child) not in done:
                shape = shapes[id(child)]
                if kind == "linear":
                    done[id(child)] = PackedLinear(child, math.prod(shape[:-1]))
                elif len(shape) == 4:
                    done[id(child)] = PackedConv2d(child, shape)
                else:  # an unbatched 3-D input: leave it
                    continue
                counts[kind] += 1
            setattr(parent, name, done[id(child)])

    replace(model)
    if any(counts.values()):
        own_memory(model)
    return counts


def own_memory(model: Any) -> int:
    """Give memory of its own to every plain parameter and buffer of ``model`` that views a mapped file.

    transformers memory-maps a ``model.safetensors`` file and its tensors view that mapping; one
    tensor still viewing it keeps the whole file mapped, and every page a forward pass touched
    stays resident. Packing replaces most weights by new copies, so the rest (norms, embeddings,
    biases) are copied too and the mapping goes: without this a packed ViT held its weights twice.
    Tensors already in the process's own memory are left alone (copying CLIP's 100 MB token
    embedding would only add to the loading peak). Returns how many tensors were copied.
    """
    mapped = _mapped_ranges()

    def in_file(tensor: Any) -> bool:
        if mapped is None:  # no /proc/self/maps (not Linux): copy everything, to be safe
            return True
        start = tensor.untyped_storage().data_ptr()
        return any(lo <= start < hi for lo, hi in mapped)

    copied = 0
    with torch.no_grad():
        for module in model.modules():
            for param in module._parameters.values():
                # A table read from the file on purpose (engine.models.mapped) stays there.
                if param is not None and not param.is_mkldnn and not is_file_backed(param) and in_file(param):
                    param.data = param.data.clone()
                    copied += 1
            for name, buffer in module._buffers.items():
                if buffer is not None and not buffer.is_mkldnn and in_file(buffer):
                    module._buffers[name] = buffer.clone()
                    copied += 1
    return copied


def _mapped_ranges() -> list[tuple[int, int]] | None:
    """The address ranges of this process's file-backed memory mappings (``None`` off Linux)."""
    try:
        lines = Path("/proc/self/maps").read_text().splitlines()
    except OSError:
        return None
    ranges = []
    for line in lines:
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5].startswith("/"):
            lo, hi = fields[0].split("-")
            ranges.append((int(lo, 16), int(hi, 16)))
    return ranges


def unpack(model: Any) -> int:
    """Turn every packed layer back into a plain one, in place; returns how many."""
    count = 0
    memo: dict[int, Any] = {}
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, PackedLinear | PackedConv2d):
                if id(child) not in memo:
                    memo[id(child)] = child.unpacked()
                    count += 1
                setattr(parent, name, memo[id(child)])
    return count


def packed_layers(model: Any) -> int:
    """How many packed layers ``model`` has."""
    return sum(isinstance(m, PackedLinear | PackedConv2d) for m in model.modules())


def outputs_match(got: Any, expected: Any) -> bool:
    """Same shapes and values within float rounding (tensors, or dicts/tuples/lists of them).

    Example:
        >>> outputs_match(torch.ones(3), torch.ones(3) + 1e-7), outputs_match(torch.ones(3), torch.ones(3) + 1e-2)
        (True, False)
    """
    if isinstance(expected, dict):
        return (
            isinstance(got, dict)
            and got.keys() == expected.keys()
            and all(outputs_match(got[k], expected[k]) for k in expected)
        )
    if isinstance(expected, list | tuple):
        return (
            isinstance(got, list | tuple)
            and len(got) == len(expected)
            and all(outputs_match(g, e) for g, e in zip(got, expected, strict=True))
        )
    if not isinstance(expected, torch.Tensor) or not isinstance(got, torch.Tensor):
        return type(got) is type(expected) and bool(got == expected)
    got, expected = got.float(), expected.float()
    if got.shape != expected.shape:
        return False
    tolerance = 1e-3 * max(1.0, float(expected.abs().max())) if expected.numel() else 0.0
    return bool(torch.allclose(got, expected, rtol=1e-3, atol=tolerance))


def pack_checked(
    model: Any, run: Callable[[Any], Any], output: Callable[[Any], Any], expected: Any = None
) -> list[str]:
    """Pack ``model``'s weights for oneDNN in place (:func:`pack`) and keep it only
    when ``output(run(model))`` still matches ``expected`` (computed first when not given).

    Packing needs no copy of the model: a failed check, or a oneDNN error, turns the packed
    layers back into plain ones. Returns what was applied, e.g. ``["onednn_linear:73", "onednn_conv:1"]``, or ``[]``.
    """
    if not available() or next(model.parameters()).device.type != "cpu":
        return []
    first_s = 0.0
    if expected is None:
        start = time.perf_counter()
        with torch.inference_mode():
            expected = output(run(model))
        first_s = time.perf_counter() - start
    # A first call well over the limit (warm-up included) already says the model is too slow to
    # time at load: no second plain forward just to find that out (DETR's is over a second).
    timed = settings.onednn_pack_timed() and first_s <= 2 * TIMED_UNDER_S
    plain_s = _best_time(lambda: run(model), give_up_over=TIMED_UNDER_S) if timed else None
    try:
        counts = pack(model, lambda: run(model))
        with torch.inference_mode():
            ok = any(counts.values()) and outputs_match(output(run(model)), expected)
        if ok and plain_s is not None:
            packed_s = _best_time(lambda: run(model)) or 0.0
            ok = keep_packed(plain_s, packed_s)
            if not ok:
                log.info(
                    "oneDNN packing not kept: %.1f ms packed, %.1f ms plain on this CPU", packed_s * 1e3, plain_s * 1e3
                )
    except (RuntimeError, NotImplementedError) as exc:  # a CPU or build oneDNN refuses: stay plain
        log.warning("oneDNN packing skipped: %s: %s", type(exc).__name__, str(exc)[:200])
        ok = False
    if not ok:
        unpack(model)
        return []
    return [f"onednn_{kind}:{n}" for kind, n in counts.items() if n]


# Packing is timed at load only where a forward pass is this short (timing DETR's would add seconds
# to every load); the larger models gained from it on both CPUs measured (bench/README.md).
TIMED_UNDER_S = 0.25
TIMED_RUNS = 3
KEEP_UNDER = 0.97  # packed must be at least 3 % faster than plain to be kept: under that it is noise


def keep_packed(plain_s: float, packed_s: float) -> bool:
    """Whether a packed model that took ``packed_s`` (its best run) is worth keeping over the plain
    one's ``plain_s``: how fast packing is depends on the CPU's kernels (the sketch CNN packed
    took 0.85x on an AMD EPYC, 1.08x on an Intel Xeon), so it is measured where the app runs.

    Example:
        >>> keep_packed(0.010, 0.008), keep_packed(0.010, 0.0099), keep_packed(0.010, 0.011)
        (True, False, False)
    """
    return packed_s < plain_s * KEEP_UNDER


def _best_time(call: Callable[[], Any], runs: int = TIMED_RUNS, give_up_over: float | None = None) -> float | None:
    """The shortest of ``runs`` timed calls after a first one, the least disturbed by a busy
    machine; ``None`` when the first took longer than ``give_up_over`` (too slow to time at load)."""
    with torch.inference_mode():
        start = time.perf_counter()
        call()
        if give_up_over is not None and time.perf_counter() - start > give_up_over:
            return None
        best = float("inf")
        for _ in range(runs):
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
    return best


def speed_up_ultralytics(yolo: Any, imgsz: int) -> list[str]:
    """Pack an ``ultralytics.YOLO`` model's convolutions (see :func:`pack_checked`), in place.

    Ultralytics fuses each convolution with its batch norm when its predictor is first set up,
    so one small prediction comes first; packing then works on the fused layers the predictor
    calls. Returns what was applied, e.g. ``["onednn_conv:64"]``.

    Example:
        >>> speed_up_ultralytics(YOLO("yolov8n.pt"), 640)  # doctest: +SKIP
        ['onednn_conv:64']
    """
    import numpy as np

    if not available() or next(yolo.model.parameters()).device.type != "cpu":
        return []
    yolo.predict(np.zeros((64, 64, 3), dtype=np.uint8), imgsz=imgsz, verbose=False)  # sets up and fuses
    net = yolo.predictor.model.model if yolo.predictor is not None else yolo.model
    example = torch.rand(1, 3, imgsz * 3 // 4 // 32 * 32, imgsz)  # a 4:3 photo's letterbox
    return pack_checked(net, lambda m: m(example), lambda out: out)
