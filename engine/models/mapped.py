"""Tensors read straight from a ``.safetensors`` file's pages instead of the process's heap.

For a lookup table of which a call reads a few rows (CLIP's 49,408 x 512 token embedding is 97 MB,
and a label touches a handful of its 2 KB rows): only the pages read become resident, and they are
clean file pages the kernel can drop under a memory limit, not heap. A weight that every call reads
whole gains nothing from this, so the loaders choose the tensors by name.

Such a parameter is marked (:data:`FILE_BACKED`, :func:`is_file_backed`): the model cache does not
count it as memory held, and the CPU packing (:mod:`engine.accel.fastcpu`) does not copy it into
the heap.

Example:
    >>> class Table:  # any object with a tensor attribute
    ...     weight = None
    >>> is_file_backed(Table.weight)
    False
"""

from __future__ import annotations

import json
import mmap
import struct
from pathlib import Path
from typing import Any

from engine.models.lazy import import_torch

# safetensors' dtype names -> torch's; a table of another dtype is read into memory as before.
_MAPPABLE = {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}
FILE_BACKED = "_vision_file_backed"  # the attribute that marks a parameter read from the file's pages


def map_safetensor(path: Path, key: str) -> Any | None:
    """The tensor ``key`` of a ``.safetensors`` file as a view of the file's pages (a private,
    copy-on-write mapping), or None when the file does not hold it in a mappable dtype.

    For a lookup table of which a call reads a few rows (CLIP's 49,408 x 512 token embedding is
    97 MB and a label touches a handful of its 2 KB rows): only the pages read become resident,
    and they are clean file pages the kernel can drop under a memory limit, not heap. A table that
    every call reads whole gains nothing from this.

    Example:
        >>> table = map_safetensor(folder / "model.safetensors", "text_model.embeddings.token_embedding.weight")  # doctest: +SKIP
    """
    found = _map(path, key)
    return None if found is None else found[0]


def _map(path: Path, key: str) -> tuple[Any, mmap.mmap] | None:
    torch = import_torch()
    with open(path, "rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        if size > 100 * 2**20:  # a header is a few KB of JSON: anything else is not safetensors
            return None
        header = json.loads(fh.read(size))
        info = header.get(key)
        if not isinstance(info, dict) or info.get("dtype") not in _MAPPABLE:
            return None
        start, end = info["data_offsets"]
        dtype = getattr(torch, _MAPPABLE[info["dtype"]])
        count = end - start
        if count <= 0 or count % dtype.itemsize:
            return None
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_COPY)  # writable, so torch takes it as is
    # torch.frombuffer holds a reference to the mapping: it lives as long as the tensor.
    tensor = torch.frombuffer(mapped, dtype=dtype, count=count // dtype.itemsize, offset=8 + size + start)
    return tensor.view(info["shape"]), mapped


def map_parameter(module: Any, name: str, path: Path, key: str) -> bool:
    """Replace ``module.<name>`` by the file's ``key`` mapped (:func:`map_safetensor`), marked
    :data:`FILE_BACKED` so the model cache does not count it as heap; only where it holds exactly
    the same values (then the module's own copy is freed). True when it was replaced."""
    torch = import_torch()
    current = getattr(module, name)
    try:
        found = _map(path, key)
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return False
    if found is None:
        return False
    mapped, pages = found
    if mapped.shape != current.shape or mapped.dtype != current.dtype or not torch.equal(mapped, current.detach()):
        return False
    # The comparison read every page: let them go (they are the file's, read again when a row is used).
    if hasattr(mmap, "MADV_DONTNEED"):  # Linux/macOS
        pages.madvise(mmap.MADV_DONTNEED)
    param = torch.nn.Parameter(mapped, requires_grad=False)
    setattr(param, FILE_BACKED, True)
    setattr(module, name, param)
    return True


def is_file_backed(tensor: Any) -> bool:
    """Whether ``tensor`` is a parameter :func:`map_parameter` put in place."""
    return bool(getattr(tensor, FILE_BACKED, False))
