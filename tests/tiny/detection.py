"""Tiny DETR, YOLOS and YOLO11n detectors (random weights, real processors and label maps).

DETR and YOLOS are saved in the Hugging Face layout with COCO's 91-id label map, like the real
``facebook/detr-resnet-50`` and ``hustvl/yolos-small``; DETR keeps a timm backbone (as the real
one does) built with ``use_pretrained_backbone=False``, so nothing is downloaded. Their classifier
bias favours "cat" so that a few boxes pass the default threshold (random weights alone give
every class about 1/92). ``yolo11n`` is Ultralytics' packaged ``yolo11n.yaml`` with random
weights and the COCO names, saved where the models directory expects it.

Example:
    >>> build_detr(tmp_path / "facebook" / "detr-resnet-50")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

FAVOURED = 17  # "cat" in COCO's 91-id map


def _labels() -> dict:
    from engine.tasks.detection import coco91_id2label

    id2label = coco91_id2label()
    return {"id2label": id2label, "label2id": {n: i for i, n in id2label.items() if n != "N/A"}}


def _favour(linear, class_id: int = FAVOURED, logit: float = 8.0) -> None:
    import torch

    with torch.no_grad():
        linear.bias[class_id] = logit


def build_detr(target: Path) -> None:
    import transformers as tf

    config = tf.DetrConfig(
        use_timm_backbone=True,
        backbone="mobilenetv3_small_050",  # a 0.3 M-parameter timm backbone
        use_pretrained_backbone=False,
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        num_queries=8,
        **_labels(),
    )
    model = tf.DetrForObjectDetection(config).eval()
    _favour(model.class_labels_classifier)
    model.save_pretrained(target)
    tf.DetrImageProcessor(size={"shortest_edge": 64, "longest_edge": 96}).save_pretrained(target)


def build_yolos(target: Path) -> None:
    import transformers as tf

    config = tf.YolosConfig(
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        image_size=[64, 96],
        patch_size=16,
        num_detection_tokens=8,
        **_labels(),
    )
    model = tf.YolosForObjectDetection(config).eval()
    _favour(model.class_labels_classifier.layers[-1])
    model.save_pretrained(target)
    tf.YolosImageProcessor(size={"shortest_edge": 64, "longest_edge": 96}).save_pretrained(target)


def build_yolo11n(target: Path) -> None:
    """Ultralytics' own yolo11n.yaml (packaged), random weights, saved as ``<root>/ultralytics/yolo11n.pt``."""
    import os

    os.environ.setdefault("YOLO_OFFLINE", "1")
    from ultralytics import YOLO

    from engine.tasks.detection import COCO_NAMES

    model = YOLO("yolo11n.yaml", task="detect")
    model.model.names = dict(enumerate(COCO_NAMES))
    # The builder gets <root>/ultralytics/yolo11n/ (an HF-style folder); Ultralytics models are files.
    target.rmdir()
    model.save(target.parent / "yolo11n.pt")


BUILDERS = {
    "facebook/detr-resnet-50": build_detr,
    "hustvl/yolos-small": build_yolos,
    "ultralytics/yolo11n": build_yolo11n,
}
