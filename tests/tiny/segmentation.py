"""Tiny random segmentation models: a SegFormer in the Hugging Face layout and a YOLO11n-seg .pt.

The SegFormer has the real architecture and the real (fast) ``SegformerImageProcessor`` but a few
channels, 64×64 inputs and 21 ADE20K class names (in ADE20K's order and spelling, including
``"bed "`` with its trailing space), so ``pipeline("image-segmentation")`` loads it exactly as
it loads ``nvidia/segformer-b0-finetuned-ade-512-512``. Its segments are random: that is expected.

YOLO11n-seg has no offline weights, so it is built from Ultralytics' packaged ``yolo11n-seg``
yaml with random weights and COCO's 80 names, saved as the ``.pt`` file Ultralytics loads. Random
YOLO weights find no objects at the default confidence (0.25): the page's "nothing found" state.

Example:
    >>> build_segformer(tmp_path / "nvidia" / "segformer-b0-finetuned-ade-512-512")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

# A slice of ADE20K's 150 classes, spelled as the real config spells them.
ADE_LABELS = [
    "wall",
    "building",
    "sky",
    "floor",
    "tree",
    "ceiling",
    "road",
    "bed ",
    "windowpane",
    "grass",
    "cabinet",
    "sidewalk",
    "person",
    "earth",
    "door",
    "table",
    "mountain",
    "plant",
    "curtain",
    "chair",
    "car",
]
TINY_SIZE = 64  # the processor's input side (the real model uses 512)


def build_segformer(target: Path) -> None:
    """A SegFormer with random weights, ADE20K label names and the fast image processor."""
    import transformers as tf

    config = tf.SegformerConfig(
        num_channels=3,
        num_encoder_blocks=4,
        depths=[1, 1, 1, 1],
        sr_ratios=[8, 4, 2, 1],
        hidden_sizes=[8, 16, 24, 32],
        num_attention_heads=[1, 1, 2, 2],
        mlp_ratios=[2, 2, 2, 2],
        decoder_hidden_size=32,
        id2label=dict(enumerate(ADE_LABELS)),
        label2id={name: i for i, name in enumerate(ADE_LABELS)},
    )
    tf.SegformerForSemanticSegmentation(config).eval().save_pretrained(target)
    tf.SegformerImageProcessor(size={"height": TINY_SIZE, "width": TINY_SIZE}).save_pretrained(target)


def build_yolo11n_seg(target: Path) -> None:
    """``<root>/ultralytics/yolo11n-seg.pt``: Ultralytics' yolo11n-seg architecture, random weights."""
    import os

    os.environ.setdefault("YOLO_OFFLINE", "1")
    os.environ.setdefault("YOLO_VERBOSE", "False")
    from ultralytics import YOLO
    from ultralytics.utils import ROOT, YAML

    model = YOLO("yolo11n-seg.yaml")
    # A yaml-built model is named "0".."79"; the real checkpoint carries COCO's names.
    model.model.names = dict(YAML.load(ROOT / "cfg" / "datasets" / "coco.yaml")["names"])
    # The builder is given <root>/ultralytics/yolo11n-seg/; Ultralytics files sit beside it.
    model.save(target.parent / "yolo11n-seg.pt")


BUILDERS = {
    "nvidia/segformer-b0-finetuned-ade-512-512": build_segformer,
    "ultralytics/yolo11n-seg": build_yolo11n_seg,
}
