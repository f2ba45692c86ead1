"""The CUDA libraries' pages a CPU-only server gives back (engine.serving.gpu_libraries)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.serving import gpu_libraries

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("path", "chosen"),
    [
        ("/v/nvidia/cublas/lib/libcublasLt.so.13", True),
        ("/v/nvidia/cublas/lib/libcublas.so.13", True),
        ("/v/nvidia/cu13/lib/libnvrtc.so.13", True),
        ("/v/nvidia/nvjitlink/lib/libnvJitLink.so.13", True),
        ("/v/nvidia/cusparselt/lib/libcusparseLt.so.0", True),
        ("/v/nvidia/cudnn/lib/libcudnn_ops.so.9", True),
        ("/v/nvidia/nccl/lib/libnccl.so.2", True),
        ("/v/torch/lib/libtorch_cuda.so", True),
        ("/v/torch/lib/libtorch_nvshmem.so", True),
        ("/v/torch/lib/libc10_cuda.so", True),
        ("/v/triton/_C/libtriton.so", True),
        # What a CPU run uses: never dropped.
        ("/v/torch/lib/libtorch_cpu.so", False),
        ("/v/torch/lib/libtorch.so", False),
        ("/v/torch/lib/libc10.so", False),
        ("/v/torch/lib/libgomp.so.1", False),
        ("/v/torch/_C.cpython-311-x86_64-linux-gnu.so", False),
        ("/usr/lib/x86_64-linux-gnu/libc.so.6", False),
        ("/v/cv2/cv2.abi3.so", False),
        ("/v/cuda/bindings/runtime.cpython-311-x86_64-linux-gnu.so", False),  # a Python extension
        ("[heap]", False),
    ],
)
def test_which_mappings_are_given_back(path: str, chosen: bool) -> None:
    maps = f"7f0000000000-7f0000002000 r-xp 00000000 08:01 1 {path}\n"
    assert bool(gpu_library_ranges := gpu_libraries.gpu_library_ranges(maps)) is chosen
    if chosen:
        assert gpu_library_ranges == [(0x7F0000000000, 0x7F0000002000, Path(path).name)]


def test_writable_mappings_are_never_given_back() -> None:
    maps = "7f0000000000-7f0000002000 rw-p 00000000 08:01 1 /v/nvidia/cublas/lib/libcublasLt.so.13\n"
    assert gpu_libraries.gpu_library_ranges(maps) == []


def _run(code: str, **env: str) -> str:
    import os

    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


CODE = """
    import torch
    from engine.serving import gpu_libraries
    mapped = sum(e - s for s, e, _ in gpu_libraries.gpu_library_ranges(open("/proc/self/maps").read()))
    advised = gpu_libraries.give_back()
    # torch still computes, and a model still runs, after the pages went
    x = torch.nn.Linear(8, 3)(torch.ones(2, 8))
    print(mapped > 0, advised == mapped, tuple(x.shape), gpu_libraries.gpu_libraries_rss_mb() >= 0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and madvise are Linux's")
def test_the_cuda_build_of_torch_has_its_gpu_libraries_advised_and_still_computes() -> None:
    # Whether the pages really leave RSS depends on no other process mapping the same files (this
    # test runner does): bench --memory-only measures it on the server alone.
    assert _run(CODE) == "True True (2, 3) True"


def test_switched_off_it_gives_nothing_back() -> None:
    assert _run(CODE, VISION_GIVE_BACK_GPU_LIBS="0") == "True False (2, 3) True"
