"""Loading transformers pipelines from a resolved model: the one path every HF model takes.

The folder comes from :func:`engine.resolve.resolve` (models directory, embedded, cache or a
fresh Hub download); the pipeline is built from that folder with ``trust_remote_code=False``,
in eval mode, and errors become :class:`ModelLoadError` naming the model and the folder.

Example:
    >>> pipe = load_pipeline("image-classification", "efficientnet-lite0")  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine import registry
from engine.errors import EngineError, ModelLoadError
from engine.lazy import import_torch, import_transformers
from engine.registry import ModelSpec
from engine.resolve import Resolved, resolve

# Streamlit Community Cloud has few cores; more threads than cores only adds contention.
_THREADS = int(os.environ.get("VISION_TORCH_THREADS", "0"))


def configure_torch() -> None:
    """Thread settings, set once (they are process-wide)."""
    torch = import_torch()
    if _THREADS > 0:
        torch.set_num_threads(_THREADS)
    logging.getLogger("transformers").setLevel(logging.ERROR)


def weights_file(folder: Path) -> str:
    """The weights file a Hugging Face folder loads from (the folder itself when it has none)."""
    from engine.hub import choose_weights

    choice = choose_weights(p.name for p in folder.iterdir()) if folder.is_dir() else None
    return str(folder / choice.files[0]) if choice else str(folder)


def weights_kwargs(folder: Path) -> dict[str, Any]:
    """``from_pretrained`` keywords that load only safetensors where the folder has them, and
    pickled ``pytorch_model.bin`` only through ``torch.load(..., weights_only=True)``."""
    from engine.hub import choose_weights

    choice = choose_weights(p.name for p in folder.iterdir()) if folder.is_dir() else None
    return {"weights_only": True, "use_safetensors": bool(choice and choice.format == "safetensors")}


def load_pipeline(task: str, spec: ModelSpec | str, **kwargs: Any) -> Any:
    """A ``transformers.pipeline`` for ``task`` from the model's resolved folder, on the CPU/GPU.

    Raises :class:`ModelUnavailable` when it cannot be had and :class:`ModelLoadError` when its
    files do not load.
    """
    if isinstance(spec, str):
        spec = registry.get(spec)
    resolved: Resolved = resolve(spec)
    transformers = import_transformers()
    configure_torch()
    folder = resolved.path
    try:
        pipe = transformers.pipeline(
            task,
            model=str(folder),
            trust_remote_code=False,  # never run code that comes with a model
            device=_device(),
            model_kwargs=weights_kwargs(folder),
            **kwargs,
        )
    except EngineError:
        raise
    except Exception as exc:
        raise ModelLoadError(
            f"{spec.id} could not be loaded from {weights_file(folder)}: {type(exc).__name__}: {str(exc)[:300]}",
            model_id=spec.id,
            file=weights_file(folder),
            detail=f"{type(exc).__name__}: {str(exc)[:300]}",
        ) from exc
    pipe.model.eval()
    pipe.vision_where = resolved.where  # shown in the page: local / embedded / cache / hub
    pipe.vision_origin = resolved.origin  # and how its weights are stored (safetensors / conversion / pickle)
    return pipe


def read_safetensors(path: Path) -> dict[str, Any]:
    """Every tensor of a ``.safetensors`` file, read with ``pread`` into memory of its own.

    transformers memory-maps the file instead; a mapped page stays resident while any tensor
    still views the file, which :mod:`engine.fastcpu`'s packing would double.

    Example:
        >>> sorted(read_safetensors(folder / "model.safetensors"))[:1]  # doctest: +SKIP
        ['logit_scale']
    """
    from safetensors import safe_open

    try:
        handle = safe_open(str(path), framework="pt", device="cpu", backend="pread")
    except TypeError:  # a safetensors without the pread backend: its default (mapped) reader
        handle = safe_open(str(path), framework="pt", device="cpu")
    with handle as f:
        return {key: f.get_tensor(key) for key in f.keys()}  # noqa: SIM118 - a safe_open has no __iter__


def _device() -> int | str:
    torch = import_torch()
    return 0 if torch.cuda.is_available() else "cpu"


# --- CPU speed-ups for convolutional networks (opt-in; results equal within float rounding) ---

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
    weights packed for oneDNN (:func:`engine.fastcpu.pack_checked`). Measured on two cores (`make bench`):
    EfficientNet-Lite0 about 0.6x and ViT-base about 0.75x the forward time.
    Returns ``(model, applied)``, e.g. ``(model, ["fold_batchnorm:49", "channels_last",
    "onednn_linear:1", "onednn_conv:66"])``; ``(module, [])`` when nothing applied.
    """
    import copy

    from engine.fastcpu import outputs_match, pack_checked

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
