"""Tiny random depth models in the Hugging Face layout: Depth Anything V2, DPT-Hybrid and GLPN.

Each has its real architecture (``DepthAnythingForDepthEstimation`` on a DINOv2 backbone,
``DPTForDepthEstimation`` with the BiT hybrid backbone, ``GLPNForDepthEstimation``) and its real
image processor class, but a few channels and 56-64 px inputs, so ``pipeline("depth-estimation")``
loads each exactly as it loads the published model. Their depth maps are random: stand-ins for
the flow of the page, never for what is in the photo.

Example:
    >>> build_depth_anything(tmp_path / "depth-anything" / "Depth-Anything-V2-Small-hf")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def build_depth_anything(target: Path) -> None:
    """Depth Anything V2 (relative) on a 4-layer DINOv2, 56 px inputs (multiples of its 14 px patches)."""
    import transformers as tf

    backbone = tf.Dinov2Config(
        hidden_size=16,
        num_hidden_layers=4,
        num_attention_heads=2,
        intermediate_size=32,
        image_size=56,
        patch_size=14,
        out_features=["stage1", "stage2", "stage3", "stage4"],
        reshape_hidden_states=False,
        apply_layernorm=True,
    )
    config = tf.DepthAnythingConfig(
        backbone_config=backbone,
        reassemble_hidden_size=16,
        patch_size=14,
        neck_hidden_sizes=[8, 16, 24, 32],
        fusion_hidden_size=16,
        head_hidden_size=8,
        depth_estimation_type="relative",
    )
    tf.DepthAnythingForDepthEstimation(config).eval().save_pretrained(target)
    # The real processor's settings (keep the aspect ratio, multiples of 14, bicubic), at 56 px.
    tf.DPTImageProcessor(
        size={"height": 56, "width": 56},
        keep_aspect_ratio=True,
        ensure_multiple_of=14,
        do_pad=False,
        resample=3,
        image_mean=IMAGENET_MEAN,
        image_std=IMAGENET_STD,
    ).save_pretrained(target)


def build_dpt_hybrid(target: Path) -> None:
    """DPT-Hybrid (MiDaS, relative): a 3-stage BiT backbone under a 4-layer ViT, 64 px inputs."""
    import transformers as tf

    bit = tf.BitConfig(
        global_padding="same",
        layer_type="bottleneck",
        depths=[1, 1, 1],
        out_features=["stage1", "stage2", "stage3"],
        embedding_dynamic_padding=True,
        hidden_sizes=[8, 16, 32, 64],
        embedding_size=8,
        num_groups=2,
    )
    config = tf.DPTConfig(
        is_hybrid=True,
        backbone_config=bit,
        backbone_featmap_shape=[1, 32, 4, 4],
        hidden_size=16,
        num_hidden_layers=4,
        num_attention_heads=2,
        intermediate_size=32,
        image_size=64,
        patch_size=16,
        neck_hidden_sizes=[8, 16, 24, 24],
        fusion_hidden_size=16,
        backbone_out_indices=[0, 1, 2, 3],
        readout_type="project",
        reassemble_factors=[1, 1, 1, 0.5],
    )
    tf.DPTForDepthEstimation(config).eval().save_pretrained(target)
    tf.DPTImageProcessor(size={"height": 64, "width": 64}, keep_aspect_ratio=False).save_pretrained(target)


def build_glpn(target: Path) -> None:
    """GLPN (metric, metres up to ``max_depth``) on a 4-stage mini SegFormer-style encoder."""
    import transformers as tf

    config = tf.GLPNConfig(
        num_encoder_blocks=4,
        depths=[1, 1, 1, 1],
        sr_ratios=[8, 4, 2, 1],
        hidden_sizes=[8, 16, 24, 32],
        num_attention_heads=[1, 1, 2, 2],
        mlp_ratios=[2, 2, 2, 2],
        decoder_hidden_size=16,
        max_depth=10,
    )
    tf.GLPNForDepthEstimation(config).eval().save_pretrained(target)
    tf.GLPNImageProcessor().save_pretrained(target)


BUILDERS = {
    "depth-anything/Depth-Anything-V2-Small-hf": build_depth_anything,
    "Intel/dpt-hybrid-midas": build_dpt_hybrid,
    "vinvino02/glpn-nyu": build_glpn,
}
