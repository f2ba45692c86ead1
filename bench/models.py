"""Full-size stand-ins for the benchmark: each registry model's real architecture, random weights.

Speed and memory depend on the architecture and the input size, not on the weight values, so
when a model's real weights are not on this machine (no internet) the benchmark builds the
same architecture from its config, saves it in the layout the app loads (Hugging Face folder,
or an Ultralytics ``.pt``) into a bench models directory, and loads it through the app's own
code path (``VISION_MODELS_DIR``). Each built model carries a marker file so the results can
say ``"weights": "random-init"``.

Example:
    >>> root = bench_models_dir()  # doctest: +SKIP
    >>> build(["microsoft/resnet-50"], root)  # doctest: +SKIP
    {'microsoft/resnet-50': 'built'}
    >>> marker_of(root / "microsoft" / "resnet-50")["weights"]  # doctest: +SKIP
    'random-init'
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from engine.models import registry
from engine.models.provenance import RANDOM_INIT_MARKER, RANDOM_INIT_SUFFIX
from engine.models.registry import ModelSpec

Builder = Callable[[Path], None]

# The engine reads these markers too (engine.models.provenance: a marked model is a stand-in).
MARKER = RANDOM_INIT_MARKER  # inside a built Hugging Face folder
MARKER_SUFFIX = RANDOM_INIT_SUFFIX  # beside a built Ultralytics file: yolo11n.pt.bench.json
# Bump when a builder changes: stale stand-ins are rebuilt on the next run.
FORMAT_VERSION = 1


def bench_models_dir() -> Path:
    """Where the stand-ins live between runs (``<app cache>/bench-models``)."""
    from engine.models.resolve import cache_dir

    return cache_dir() / "bench-models"


def target_of(spec: ModelSpec, root: Path) -> Path:
    """The folder (Hugging Face) or file (Ultralytics) of ``spec`` under a models directory."""
    if spec.source == "ultralytics":
        return root / "ultralytics" / spec.file
    return root / spec.org / spec.name


def marker_path(location: Path) -> Path:
    """The marker file of a built model folder or Ultralytics file."""
    if location.is_file() or location.suffix == ".pt":
        return location.with_name(location.name + MARKER_SUFFIX)
    return location / MARKER


def marker_of(location: Path | str) -> dict[str, Any] | None:
    """The marker of a model the benchmark built, or ``None`` for real weights."""
    path = marker_path(Path(location))
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def write_marker(location: Path, model_id: str, note: str = "") -> None:
    """Mark ``location`` as a random-init stand-in built by the benchmark."""
    marker = {"id": model_id, "weights": "random-init", "format": FORMAT_VERSION, "note": note}
    marker_path(location).write_text(json.dumps(marker, indent=1))


# --- label sets (names only; the values of the head are random anyway) ---


def _imagenet_labels() -> dict[int, str]:
    from timm.data import ImageNetInfo

    info = ImageNetInfo()
    return {i: info.index_to_description(i) for i in range(1000)}


def _coco80_labels() -> dict[int, str]:
    """The 80 COCO names, from the dataset file Ultralytics ships."""
    from ultralytics.utils import ROOT, YAML

    return {int(k): str(v) for k, v in YAML.load(ROOT / "cfg" / "datasets" / "coco.yaml")["names"].items()}


def _coco91_labels() -> dict[int, str]:
    """COCO's 91 category ids with names, "N/A" for the unused ids (as DETR's config has them)."""
    from ultralytics.data.converter import coco80_to_coco91_class

    labels = {i: "N/A" for i in range(91)}
    for name, cid in zip(_coco80_labels().values(), coco80_to_coco91_class(), strict=True):
        labels[cid] = name
    return labels


def _label_kwargs(labels: dict[int, str]) -> dict[str, Any]:
    return {"id2label": labels, "label2id": {v: k for k, v in labels.items() if v != "N/A"}}


# --- builders: one per registry model without real weights here ---


def _save(model: Any, processor: Any, target: Path) -> None:
    model.eval().save_pretrained(target)
    processor.save_pretrained(target)


def build_vit(target: Path) -> None:
    """google/vit-base-patch16-224: ViTConfig() defaults are exactly ViT-B/16 at 224."""
    import transformers as tf

    model = tf.ViTForImageClassification(tf.ViTConfig(**_label_kwargs(_imagenet_labels())))
    _save(model, tf.ViTImageProcessor(), target)  # 224x224, bilinear, mean=std=0.5 as the real one


def build_deit(target: Path) -> None:
    """facebook/deit-base-patch16-224: the ViT-B/16 architecture with DeiT's processor (256 → crop 224)."""
    import transformers as tf

    model = tf.ViTForImageClassification(tf.ViTConfig(**_label_kwargs(_imagenet_labels())))
    _save(model, tf.DeiTImageProcessor(), target)


def build_resnet50(target: Path) -> None:
    """microsoft/resnet-50: ResNetConfig() defaults are ResNet-50; ConvNeXt processor, 224, crop_pct 0.875."""
    import transformers as tf

    model = tf.ResNetForImageClassification(tf.ResNetConfig(**_label_kwargs(_imagenet_labels())))
    processor = tf.ConvNextImageProcessor(size={"shortest_edge": 224}, crop_pct=0.875, resample=3)
    _save(model, processor, target)


def build_detr(target: Path) -> None:
    """facebook/detr-resnet-50: DetrConfig() defaults (timm resnet50 backbone, not downloaded)."""
    import transformers as tf

    config = tf.DetrConfig(**_label_kwargs(_coco91_labels()))
    config.backbone_config.use_pretrained_backbone = False  # no download: random weights throughout
    _save(tf.DetrForObjectDetection(config), tf.DetrImageProcessor(), target)  # 800 / 1333


def build_yolos_small(target: Path) -> None:
    """hustvl/yolos-small: DeiT-S sized encoder (384 wide, 6 heads), mid position embeddings: 30.7 M."""
    import transformers as tf

    config = tf.YolosConfig(
        hidden_size=384,
        num_attention_heads=6,
        intermediate_size=1536,
        **_label_kwargs(_coco91_labels()),
    )
    _save(tf.YolosForObjectDetection(config), tf.YolosImageProcessor(), target)  # 800 / 1333


def build_segformer_b0(target: Path) -> None:
    """nvidia/segformer-b0-finetuned-ade-512-512: SegformerConfig() defaults are B0; 150 ADE20K classes."""
    import transformers as tf

    labels = {i: f"ade20k_{i}" for i in range(150)}
    model = tf.SegformerForSemanticSegmentation(tf.SegformerConfig(**_label_kwargs(labels)))
    _save(model, tf.SegformerImageProcessor(), target)  # 512x512


def _clip_tokenizer_files(target: Path) -> None:
    """CLIP's real BPE vocabulary, rebuilt from the merges list open_clip ships (same 49,408 tokens)."""
    import gzip

    import open_clip.tokenizer as oct

    merges_path = Path(oct.__file__).with_name("bpe_simple_vocab_16e6.txt.gz")
    with gzip.open(merges_path) as fh:
        lines = fh.read().decode("utf-8").split("\n")
    merges = lines[1 : 49152 - 256 - 2 + 1]  # the slice CLIP itself uses
    byte_chars = list(oct.bytes_to_unicode().values())
    vocab = byte_chars + [c + "</w>" for c in byte_chars] + ["".join(m.split()) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    (target / "vocab.json").write_text(json.dumps({tok: i for i, tok in enumerate(vocab)}))
    (target / "merges.txt").write_text("#version: 0.2\n" + "\n".join(merges) + "\n")


def build_clip_b32(target: Path) -> None:
    """openai/clip-vit-base-patch32 (and LAION's B/32): CLIPConfig() defaults are ViT-B/32."""
    import transformers as tf

    target.mkdir(parents=True, exist_ok=True)
    _clip_tokenizer_files(target)
    tokenizer = tf.CLIPTokenizer(vocab=str(target / "vocab.json"), merges=str(target / "merges.txt"))
    processor = tf.CLIPProcessor(image_processor=tf.CLIPImageProcessor(), tokenizer=tokenizer)
    model = tf.CLIPModel(tf.CLIPConfig())
    _save(model, processor, target)


def build_quickdraw(target: Path) -> None:
    """nateraw/quickdraw: the Space's CNN (100 classes) as pytorch_model.bin + class_names.txt."""
    import torch

    from engine.tasks.sketch import build_network

    names = [f"sketch_{i}" for i in range(100)]
    (target / "class_names.txt").write_text("\n".join(names) + "\n")
    torch.save(build_network(len(names)).state_dict(), target / "pytorch_model.bin")


_IMAGENET_MEAN, _IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def build_depth_anything_v2_small(target: Path) -> None:
    """depth-anything/Depth-Anything-V2-Small-hf: DINOv2-S (384 wide, 12 layers) + DPT head, 518 px: 24.8 M."""
    import transformers as tf

    backbone = tf.Dinov2Config(
        hidden_size=384,
        num_hidden_layers=12,
        num_attention_heads=6,
        intermediate_size=1536,
        image_size=518,
        patch_size=14,
        out_indices=[3, 6, 9, 12],
        reshape_hidden_states=False,
        apply_layernorm=True,
        layerscale_value=1.0,
    )
    config = tf.DepthAnythingConfig(
        backbone_config=backbone,
        reassemble_hidden_size=384,
        patch_size=14,
        neck_hidden_sizes=[48, 96, 192, 384],
        fusion_hidden_size=64,
        head_hidden_size=32,
        depth_estimation_type="relative",
    )
    processor = tf.DPTImageProcessor(  # the real one: 518, aspect kept, multiples of 14, bicubic
        size={"height": 518, "width": 518},
        keep_aspect_ratio=True,
        ensure_multiple_of=14,
        do_pad=False,
        resample=3,
        image_mean=_IMAGENET_MEAN,
        image_std=_IMAGENET_STD,
    )
    _save(tf.DepthAnythingForDepthEstimation(config), processor, target)


def build_dpt_hybrid(target: Path) -> None:
    """Intel/dpt-hybrid-midas: BiT-R50 stem (3 stages) + ViT-B/16 at 384 + DPT neck and head: 122.4 M."""
    import transformers as tf

    bit = tf.BitConfig(
        global_padding="same",
        layer_type="bottleneck",
        depths=[3, 4, 9],
        out_features=["stage1", "stage2", "stage3"],
        embedding_dynamic_padding=True,
    )
    config = tf.DPTConfig(
        is_hybrid=True,
        backbone_config=bit,
        backbone_featmap_shape=[1, 1024, 24, 24],
        image_size=384,
        neck_hidden_sizes=[256, 512, 768, 768],
        backbone_out_indices=[2, 5, 8, 11],
        readout_type="project",
        reassemble_factors=[1, 1, 1, 0.5],
        neck_ignore_stages=[0, 1],
    )
    _save(tf.DPTForDepthEstimation(config), tf.DPTImageProcessor(size={"height": 384, "width": 384}), target)


def build_glpn_nyu(target: Path) -> None:
    """vinvino02/glpn-nyu: a MiT-b4 encoder (depths 3/8/27/3) + GLPN decoder, metres up to 10: 61.2 M."""
    import transformers as tf

    config = tf.GLPNConfig(
        depths=[3, 8, 27, 3],
        hidden_sizes=[64, 128, 320, 512],
        num_attention_heads=[1, 2, 5, 8],
        decoder_hidden_size=64,
        max_depth=10,
    )
    _save(tf.GLPNForDepthEstimation(config), tf.GLPNImageProcessor(), target)


def _ultralytics(yaml_name: str) -> Builder:
    def build(target: Path) -> None:
        """An Ultralytics model from its packaged yaml, saved as a checkpoint (fp16, like the releases)."""
        from engine.models.lazy import import_ultralytics

        model = import_ultralytics().YOLO(yaml_name)
        model.model.names = _coco80_labels()
        target.parent.mkdir(parents=True, exist_ok=True)
        model.save(str(target))

    build.__doc__ = f"Ultralytics {yaml_name} (random weights), as a .pt checkpoint."
    return build


BUILDERS: dict[str, Builder] = {
    "google/vit-base-patch16-224": build_vit,
    "microsoft/resnet-50": build_resnet50,
    "facebook/deit-base-patch16-224": build_deit,
    "nateraw/quickdraw": build_quickdraw,
    "facebook/detr-resnet-50": build_detr,
    "hustvl/yolos-small": build_yolos_small,
    "ultralytics/yolov8n": _ultralytics("yolov8n.yaml"),
    "ultralytics/yolo11n": _ultralytics("yolo11n.yaml"),
    "nvidia/segformer-b0-finetuned-ade-512-512": build_segformer_b0,
    "ultralytics/yolo11n-seg": _ultralytics("yolo11n-seg.yaml"),
    "openai/clip-vit-base-patch32": build_clip_b32,
    "laion/CLIP-ViT-B-32-laion2B-s34B-b79K": build_clip_b32,
    "depth-anything/Depth-Anything-V2-Small-hf": build_depth_anything_v2_small,
    "Intel/dpt-hybrid-midas": build_dpt_hybrid,
    "vinvino02/glpn-nyu": build_glpn_nyu,
}


def is_built(spec: ModelSpec, root: Path) -> bool:
    """Whether an up-to-date stand-in of ``spec`` is under ``root``."""
    target = target_of(spec, root)
    marker = marker_of(target)
    return bool(marker) and marker.get("format") == FORMAT_VERSION and target.exists()


def has_real_weights(spec: ModelSpec, root: Path) -> bool:
    """Whether the app would find real weights for ``spec`` without the bench directory (no download)."""
    import os

    from engine.models.resolve import availability

    saved = os.environ.get("VISION_MODELS_DIR", "")
    others = [p for p in saved.split(os.pathsep) if p and Path(p).resolve() != root.resolve()]
    os.environ["VISION_MODELS_DIR"] = os.pathsep.join(others)
    try:
        return availability(spec) in {"local", "embedded", "cache"}
    finally:
        os.environ["VISION_MODELS_DIR"] = saved


def build(
    model_ids: Iterable[str] | None = None,
    root: Path | None = None,
    builders: dict[str, Builder] | None = None,
    *,
    log: Callable[[str], None] = print,
) -> dict[str, str]:
    """Build the stand-ins that are missing; returns ``{model_id: "real" | "built" | "kept" | "no builder"}``.

    A model with real weights on this machine gets no stand-in (and a stale one is removed, so the
    real weights are what the benchmark loads).
    """
    import torch

    root = root or bench_models_dir()
    builders = BUILDERS if builders is None else builders
    ids = list(model_ids) if model_ids is not None else [m.id for m in registry.MODELS]
    done: dict[str, str] = {}
    for model_id in ids:
        spec = registry.get(model_id)
        target = target_of(spec, root)
        if has_real_weights(spec, root):
            _remove(target)
            done[model_id] = "real"
        elif is_built(spec, root):
            done[model_id] = "kept"
        elif model_id not in builders:
            done[model_id] = "no builder"
        else:
            log(f"building a full-size random-init {model_id} in {target} ...")
            _remove(target)
            torch.manual_seed(0)
            if spec.source != "ultralytics":
                target.mkdir(parents=True, exist_ok=True)
            builders[model_id](target)
            doc = (builders[model_id].__doc__ or "").strip()
            write_marker(target, model_id, note=doc.splitlines()[0] if doc else "")
            done[model_id] = "built"
    return done


def _remove(target: Path) -> None:
    marker = marker_path(target)
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    marker.unlink(missing_ok=True)
