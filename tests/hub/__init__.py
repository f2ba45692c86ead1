"""A local Hugging Face Hub for the download tests (:mod:`tests.hub.server`) and the real Hub
layouts of the registry's models (``layouts.json``: each repo's file names and sizes at the commit
the registry pins, and the conversion bot's pull request where one exists), served with tiny
stand-in contents.

``layouts.json`` was read from stored copies of the Hub's "Files and versions" pages (see each
entry's ``source``); sizes are the real ones, as the Hub lists them.

Example:
    >>> sorted(layouts())[:2]
    ['Intel/dpt-hybrid-midas', 'depth-anything/Depth-Anything-V2-Small-hf']
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from tests.hub.server import Commit, Fault, HubFile, HubRepo, LocalHub

__all__ = ["Commit", "Fault", "HubFile", "HubRepo", "LocalHub", "layouts", "real_repo"]

LAYOUTS = Path(__file__).with_name("layouts.json")
STAND_IN_JSON = b"{}"  # a processor/tokenizer file the tiny model does not have: valid, empty


@lru_cache(maxsize=1)
def layouts() -> dict[str, dict[str, Any]]:
    """The real layouts, by repo id."""
    return json.loads(LAYOUTS.read_text())


def _pickled(safetensors_file: Path) -> bytes:
    """The tiny model's weights as a ``pytorch_model.bin`` (a pickled state dict, like the Hub's)."""
    import torch
    from safetensors.torch import load_file

    buffer = io.BytesIO()
    torch.save(load_file(str(safetensors_file)), buffer)
    return buffer.getvalue()


def _content(name: str, tiny: Path | None) -> bytes:
    if tiny is not None and (tiny / name).is_file():
        return (tiny / name).read_bytes()
    if tiny is not None and name == "pytorch_model.bin" and (tiny / "model.safetensors").is_file():
        return _pickled(tiny / "model.safetensors")
    if name.endswith(".json"):
        return STAND_IN_JSON
    return f"stand-in for {name}: never downloaded by the app\n".encode()


def real_repo(repo_id: str, tiny: Path | None, *, conversion: bool = True, **kw: Any) -> HubRepo:
    """``repo_id`` with its real file list at its pinned commit (and its conversion pull request,
    unless ``conversion=False``), each file's bytes from the tiny model folder ``tiny``."""
    layout = layouts()[repo_id]
    sha = layout["revision"] or HubRepo.fake_sha(repo_id, "main")
    files = {n: HubFile(_content(n, tiny), size) for n, size in layout["files"].items()}
    repo = HubRepo(repo_id, repo_type=layout["type"], **kw)
    repo.add_commit(Commit(sha, files, title="main"), "main")
    conv = layout.get("conversion")
    if conversion and conv:
        parent = sha
        if not conv.get("parent_is_revision", True):  # an older pull request, made from an older commit
            parent = HubRepo.fake_sha(repo_id, "older")
            repo.add_commit(Commit(parent, files, title="older"))
        added = {n: HubFile(_content(n, tiny), size) for n, size in conv["added"].items()}
        num = int(conv["ref"].rsplit("/", 1)[-1])
        repo.add_conversion(parent, conv["revision"] or HubRepo.fake_sha(repo_id, conv["ref"]), added, num=num)
    return repo
