"""Tiny ViT, ResNet and DeiT image classifiers (random weights, real processors)."""

from __future__ import annotations

from pathlib import Path

LABELS = ["tabby, tabby cat", "espresso", "golden retriever", "sports car", "space shuttle"]


def _labels() -> dict:
    return {"id2label": dict(enumerate(LABELS)), "label2id": {n: i for i, n in enumerate(LABELS)}}


def _vit(target: Path, processor_cls: str) -> None:
    import transformers as tf

    config = tf.ViTConfig(
        image_size=32,
        patch_size=8,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        **_labels(),
    )
    tf.ViTForImageClassification(config).eval().save_pretrained(target)
    getattr(tf, processor_cls)(size={"height": 32, "width": 32}).save_pretrained(target)


def build_vit(target: Path) -> None:
    _vit(target, "ViTImageProcessor")


def build_deit(target: Path) -> None:
    # facebook/deit-base-patch16-224 is a ViT architecture with DeiT's image processor.
    import transformers as tf

    config = tf.ViTConfig(
        image_size=32,
        patch_size=8,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        **_labels(),
    )
    tf.ViTForImageClassification(config).eval().save_pretrained(target)
    tf.DeiTImageProcessor(size={"height": 36, "width": 36}, crop_size={"height": 32, "width": 32}).save_pretrained(
        target
    )


def build_resnet(target: Path) -> None:
    import transformers as tf

    config = tf.ResNetConfig(embedding_size=8, hidden_sizes=[8, 16], depths=[1, 1], layer_type="basic", **_labels())
    tf.ResNetForImageClassification(config).eval().save_pretrained(target)
    tf.ConvNextImageProcessor(size={"shortest_edge": 32}).save_pretrained(target)


BUILDERS = {
    "google/vit-base-patch16-224": build_vit,
    "microsoft/resnet-50": build_resnet,
    "facebook/deit-base-patch16-224": build_deit,
}
