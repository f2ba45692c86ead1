"""CPU speed-ups for convolutional networks, applied at load time and checked against the original.

Batch norms folded into the preceding convolutions, channels-last layout, then every model's
linear and convolution weights packed for oneDNN (:mod:`engine.accel.fastcpu`).

Example:
    >>> model, applied = speed_up(module, example, lambda out: out.logits)  # doctest: +SKIP
    >>> applied[:2]  # doctest: +SKIP
    ['fold_batchnorm:49', 'channels_last']
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from engine.models.lazy import import_torch

CONVNET_MIN_CONVS = 8  # a ViT has one convolution (its patch embedding); a CNN has dozens


def fold_batchnorm(module: Any) -> int:
    """Fold every eval-mode ``BatchNorm2d`` that directly follows a ``Conv2d`` into that conv.

    At inference a batch norm is a per-channel ``y = a·x + b``: folding it into the preceding
    convolution's weights and bias removes one pass over every feature map (about 10-20 % of a
    CNN's CPU time). Pairs are taken as registered (``conv``, then its ``bn``), which is how
    transformers' ResNet and timm's EfficientNets build them; timm's ``BatchNormAct2d`` keeps its
    activation. Returns how many were folded. Check the outputs afterwards (see
    :func:`speed_up`): a model that registers a pair but runs something in between is not folded
    correctly.

    Example:
        >>> fold_batchnorm(pipe.model)  # doctest: +SKIP
        53
    """
    torch = import_torch()
    nn = torch.nn
    folded = 0
    for parent in list(module.modules()):
        names = list(parent._modules)
        for conv_name, bn_name in itertools.pairwise(names):
            conv, bn = parent._modules[conv_name], parent._modules[bn_name]
            if not (isinstance(conv, nn.Conv2d) and isinstance(bn, nn.BatchNorm2d)):
                continue
            if bn.training or not bn.track_running_stats or bn.num_features != conv.out_channels:
                continue
            if type(bn) is nn.BatchNorm2d:
                replacement: Any = nn.Identity()
            elif isinstance(getattr(bn, "act", None), nn.Module) and isinstance(getattr(bn, "drop", None), nn.Module):
                replacement = nn.Sequential(bn.drop, bn.act)  # timm's BatchNormAct2d: norm, dropout, activation
            else:
                continue  # an unknown subclass may do more than normalise
            with torch.no_grad():
                scale = torch.rsqrt(bn.running_var + bn.eps)
                if bn.affine:
                    scale = scale * bn.weight
                shift = -bn.running_mean * scale + (bn.bias if bn.affine else 0.0)
                bias = shift if conv.bias is None else conv.bias * scale + shift
                conv.weight.mul_(scale.reshape(-1, 1, 1, 1))
                conv.bias = nn.Parameter(bias.detach().clone(), requires_grad=False)
            parent._modules[bn_name] = replacement
            folded += 1
    return folded


def is_convnet(module: Any) -> bool:
    """Whether convolutions do most of the work (CNNs yes; ViT, DeiT, CLIP no)."""
    nn = import_torch().nn
    return sum(isinstance(m, nn.Conv2d) for m in module.modules()) >= CONVNET_MIN_CONVS


def speed_up(module: Any, example: dict[str, Any], output: Callable[[Any], Any]) -> tuple[Any, list[str]]:
    """A faster version of a model for CPU inference, checked against the original on ``example``.

    CNNs get their batch norms folded into their convolutions and run channels-last (the layout
    oneDNN's convolutions are fastest with; inputs must then be channels-last too): this happens
    on a copy, kept only when it matches. Then every model gets its linear and convolution
    weights packed for oneDNN (:func:`engine.accel.fastcpu.pack_checked`). Measured on two cores (`make bench`):
    EfficientNet-Lite0 about 0.6x and ViT-base about 0.75x the forward time.
    Returns ``(model, applied)``, e.g. ``(model, ["fold_batchnorm:49", "channels_last",
    "onednn_linear:1", "onednn_conv:66"])``; ``(module, [])`` when nothing applied.
    """
    import copy

    from engine.accel.fastcpu import outputs_match, pack_checked

    torch = import_torch()
    with torch.inference_mode():
        expected = output(module(**example))
    applied: list[str] = []
    if is_convnet(module):
        candidate = copy.deepcopy(module)
        folded = fold_batchnorm(candidate)
        candidate = candidate.to(memory_format=torch.channels_last)
        fast_example = {k: to_channels_last(v) for k, v in example.items()}
        with torch.inference_mode():
            got = output(candidate(**fast_example))
        if outputs_match(got, expected):
            module, example = candidate, fast_example
            applied = [f"fold_batchnorm:{folded}", "channels_last"]
        del candidate
    applied += pack_checked(module, lambda m: m(**example), output, expected)
    return module, applied


def to_channels_last(value: Any) -> Any:
    """4-D image tensors in channels-last layout (anything else unchanged)."""
    torch = import_torch()
    if isinstance(value, torch.Tensor) and value.dim() == 4:
        return value.contiguous(memory_format=torch.channels_last)
    return value
