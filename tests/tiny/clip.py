"""Tiny random CLIP models (OpenAI and LAION ids) with the real CLIP tokenizer and a small crop.

The tokenizer is real: its ``vocab.json`` and ``merges.txt`` are written from the BPE vocabulary
that ``open_clip_torch`` ships (``open_clip/bpe_simple_vocab_16e6.txt.gz``), the same 49,408
tokens OpenAI's CLIP uses, so labels are split exactly as the real model splits them. Only the
networks are tiny (hidden size 32, two layers) and random: their scores mean nothing.

Example:
    >>> build_openai(tmp_path)  # doctest: +SKIP
    >>> sorted(p.name for p in tmp_path.iterdir())[:2]  # doctest: +SKIP
    ['config.json', 'merges.txt']
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

VOCAB_SIZE = 49408  # 256 bytes + 256 bytes-with-</w> + 48,894 merges + 2 special tokens
MAX_TOKENS = 77  # CLIP's context length
IMAGE_SIZE = 32
_N_MERGES = 49152 - 256 - 2  # open_clip's SimpleTokenizer reads exactly this many merge lines


def bpe_vocab_file() -> Path:
    """open_clip's gzipped BPE merges, found without importing open_clip (which imports torch)."""
    spec = importlib.util.find_spec("open_clip")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("open_clip_torch is not installed: it ships the CLIP BPE vocabulary")
    return Path(next(iter(spec.submodule_search_locations))) / "bpe_simple_vocab_16e6.txt.gz"


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP byte → printable character table (the order defines the first 256 ids)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs), strict=True))


def write_tokenizer_files(target: Path) -> None:
    """``vocab.json`` + ``merges.txt`` in Hugging Face's CLIP layout, from open_clip's vocabulary."""
    lines = gzip.decompress(bpe_vocab_file().read_bytes()).decode("utf-8").split("\n")
    merges = [tuple(line.split()) for line in lines[1 : _N_MERGES + 1]]
    base = list(_bytes_to_unicode().values())
    tokens = base + [b + "</w>" for b in base] + ["".join(m) for m in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    vocab = {tok: i for i, tok in enumerate(tokens)}
    if len(vocab) != VOCAB_SIZE:
        raise RuntimeError(f"expected {VOCAB_SIZE} CLIP tokens, built {len(vocab)}")
    (target / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    merges_text = "#version: 0.2\n" + "\n".join(" ".join(m) for m in merges) + "\n"
    (target / "merges.txt").write_text(merges_text, encoding="utf-8")


def _build(target: Path, seed: int) -> None:
    import torch
    import transformers as tf

    torch.manual_seed(seed)  # a different seed per id, so "OpenAI" and "LAION" disagree like real ones
    config = tf.CLIPConfig(
        text_config={
            "vocab_size": VOCAB_SIZE,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": MAX_TOKENS,
            "bos_token_id": VOCAB_SIZE - 2,
            "eos_token_id": VOCAB_SIZE - 1,
            "pad_token_id": VOCAB_SIZE - 1,
        },
        vision_config={
            "image_size": IMAGE_SIZE,
            "patch_size": 8,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
        },
        projection_dim=16,
    )
    tf.CLIPModel(config).eval().save_pretrained(target)
    write_tokenizer_files(target)
    tf.CLIPTokenizer.from_pretrained(target, model_max_length=MAX_TOKENS).save_pretrained(target)
    # Saved apart, as in the real repositories: preprocessor_config.json + the tokenizer files.
    tf.CLIPImageProcessor(
        size={"shortest_edge": IMAGE_SIZE}, crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}
    ).save_pretrained(target)


def build_openai(target: Path) -> None:
    _build(target, seed=1)


def build_laion(target: Path) -> None:
    _build(target, seed=2)


BUILDERS = {
    "openai/clip-vit-base-patch32": build_openai,
    "laion/CLIP-ViT-B-32-laion2B-s34B-b79K": build_laion,
}
