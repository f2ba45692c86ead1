"""Tensors read from a safetensors file's pages (engine/models/mapped.py): the exact values, the
refusals, and CLIP's token table left in the file (not counted as heap, not copied by the CPU
packing) with the same scores as a model that holds it in its own memory."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from engine.accel import fastcpu
from engine.inputs.samples import load_sample
from engine.models import registry
from engine.models.cache import model_size_mb
from engine.models.mapped import is_file_backed, map_parameter, map_safetensor
from engine.models.resolve import resolve
from engine.tasks.clip import load_clip, zero_shot
from engine.tasks.clip.model import TOKEN_TABLE

OPENAI = "openai/clip-vit-base-patch32"


@pytest.fixture
def weights(tmp_path: Path) -> Path:
    path = tmp_path / "model.safetensors"
    generator = torch.Generator().manual_seed(0)
    save_file(
        {
            "table": torch.randn(300, 8, generator=generator),
            "half": torch.randn(4, 4, generator=generator).half(),
            "ids": torch.arange(10),
        },
        str(path),
    )
    return path


def _in_a_file_mapping(tensor: torch.Tensor) -> bool:
    start = tensor.untyped_storage().data_ptr()
    return any(lo <= start < hi for lo, hi in fastcpu._mapped_ranges() or [])


@pytest.mark.parametrize(("key", "dtype"), [("table", torch.float32), ("half", torch.float16)])
def test_a_mapped_tensor_is_the_files_tensor_in_the_files_pages(weights: Path, key: str, dtype) -> None:
    from safetensors import safe_open

    mapped = map_safetensor(weights, key)
    with safe_open(str(weights), framework="pt") as f:
        expected = f.get_tensor(key)
    assert mapped.dtype == dtype and torch.equal(mapped, expected)
    assert _in_a_file_mapping(mapped)


@pytest.mark.parametrize("key", ["missing", "ids"])  # absent, and a dtype this does not map (int64)
def test_what_cannot_be_mapped_is_none(weights: Path, key: str) -> None:
    assert map_safetensor(weights, key) is None


def test_a_parameter_is_replaced_only_by_the_same_values(weights: Path) -> None:
    from safetensors import safe_open

    with safe_open(str(weights), framework="pt") as f:
        table = f.get_tensor("table")
    same = torch.nn.Embedding(300, 8)
    same.weight.data.copy_(table)
    assert map_parameter(same, "weight", weights, "table")
    assert is_file_backed(same.weight) and _in_a_file_mapping(same.weight)
    assert torch.equal(same(torch.tensor([0, 299])), table[[0, 299]])  # read again from the file
    other = torch.nn.Embedding(300, 8)  # other values, another shape, a file that is not there
    before = other.weight
    assert not map_parameter(other, "weight", weights, "table")
    assert not map_parameter(torch.nn.Embedding(3, 8), "weight", weights, "table")
    assert not map_parameter(other, "weight", weights.with_name("none.safetensors"), "table")
    assert other.weight is before and not is_file_backed(other.weight)


def test_clips_token_table_stays_in_the_file_and_scores_do_not_change() -> None:
    model = load_clip(OPENAI)
    table = model.model.text_model.embeddings.token_embedding.weight
    assert is_file_backed(table) and _in_a_file_mapping(table)  # the CPU packing did not copy it back
    # The model cache counts what the model holds in the heap: all but the table.
    held = model_size_mb(model.model)
    everything = sum(p.numel() * p.element_size() for p in model.model.parameters())
    everything += sum(b.numel() * b.element_size() for b in model.model.buffers())
    assert held == pytest.approx((everything - table.numel() * table.element_size()) / 2**20)
    # The same scores as CLIP loaded by transformers with every weight in memory.
    from transformers import CLIPModel, CLIPProcessor

    folder = resolve(registry.get(OPENAI)).path
    plain = CLIPModel.from_pretrained(str(folder)).eval()
    processor = CLIPProcessor.from_pretrained(str(folder))
    labels = ["a cat", "a dog", "a rocket"]
    inputs = processor(
        text=[f"a photo of {x}" for x in labels], images=load_sample("cat"), return_tensors="pt", padding=True
    )
    with torch.inference_mode():
        expected = plain(**inputs).logits_per_image.softmax(-1)[0].tolist()
    result = zero_shot(model, load_sample("cat"), labels, "a photo of {}")
    got = dict(zip(result.labels, result.scores, strict=True))
    assert [got[x] for x in labels] == pytest.approx(expected, abs=1e-5)
    assert TOKEN_TABLE in dict(plain.named_parameters())  # the name the loader maps is the checkpoint's
