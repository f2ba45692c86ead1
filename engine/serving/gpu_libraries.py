"""Give back the pages of the GPU libraries a CPU-only server never runs.

PyPI's torch wheel is the CUDA build: importing it maps cuBLAS, cuBLASLt, nvrtc, nvJitLink,
cuSPARSE, cuFFT, NCCL and ``libtorch_cuda.so``, and their start-up code reads part of each file
(registering kernels, relocations). On a machine without a GPU, such as Streamlit Community Cloud,
no line of them runs again, yet those pages stay in the process's resident set: ~140 MB measured
after ``import torch, transformers, ultralytics`` on this project's machine (AMD EPYC), more after
Ultralytics' first call looks for a device. torch's CPU build would not map them at all, but its
index is not on PyPI, where Community Cloud installs from.

They are clean pages of files on disk, so the kernel may drop them at no cost: here
``madvise(MADV_PAGEOUT)`` asks it to, for the read-only mappings of those libraries only (never a
writable one, never torch's CPU library). A page touched later is read back from the file. The
kernel drops only pages no other process maps, so a second Python process that imported torch
(a test runner, a bench's parent) keeps them resident in both: measure with the server alone.

Example:
    >>> maps = (
    ...     "7f0000000000-7f0000100000 r-xp 00000000 08:01 1 /venv/nvidia/cublas/lib/libcublasLt.so.13\\n"
    ...     "7f0000100000-7f0000101000 rw-p 00100000 08:01 1 /venv/nvidia/cublas/lib/libcublasLt.so.13\\n"
    ...     "7f0000200000-7f0000300000 r-xp 00000000 08:01 2 /venv/torch/lib/libtorch_cpu.so\\n"
    ...     "7f0000400000-7f0000500000 r--p 00000000 08:01 3 /venv/torch/lib/libtorch_cuda.so\\n"
    ...     "7f0000600000-7f0000601000 rw-p 00000000 00:00 0\\n"
    ... )
    >>> [(hex(start), end - start, name) for start, end, name in gpu_library_ranges(maps)]
    [('0x7f0000000000', 1048576, 'libcublasLt.so.13'), ('0x7f0000400000', 1048576, 'libtorch_cuda.so')]
"""

from __future__ import annotations

import logging
import os
import re
import threading

from engine import settings

_LOG = logging.getLogger(__name__)
MADV_PAGEOUT = 21  # Linux >= 5.4 (asm-generic/mman-common.h)

# The CUDA toolkit's libraries (nvidia-* wheels), torch's CUDA halves and Triton's: never torch's CPU
# library, libc10 or a Python extension a CPU run uses.
_GPU_LIBRARY = re.compile(
    r"/(?:libcu(?:blas|blasLt|dnn\w*|fft|file|sparse\w*|rand|solver\w*|pti|dart|da)|libnv\w+|libnccl"
    r"|libtorch_(?:cuda|nvshmem)\w*|libc10_cuda|libcaffe2_nvrtc|libtriton\w*)(?:[.-][^/]*)?\.so[^/]*$"
)
_lock = threading.Lock()


def gpu_library_ranges(maps: str) -> list[tuple[int, int, str]]:
    """The read-only mappings of GPU libraries in a ``/proc/<pid>/maps`` text: (start, end, file name)."""
    ranges = []
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) < 6 or "w" in fields[1] or not _GPU_LIBRARY.search(fields[5].strip()):
            continue
        start, end = (int(address, 16) for address in fields[0].split("-"))
        ranges.append((start, end, os.path.basename(fields[5].strip())))
    return ranges


def gpu_libraries_rss_mb(smaps_path: str = "/proc/self/smaps") -> float:
    """Resident MB of this process's GPU-library mappings (what :func:`give_back` can drop)."""
    total_kb, counting = 0, False
    try:
        with open(smaps_path, encoding="ascii", errors="replace") as smaps:
            for line in smaps:
                if line[:1] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:
                    fields = line.split(maxsplit=5)
                    counting = len(fields) == 6 and bool(_GPU_LIBRARY.search(fields[5].strip()))
                elif counting and line.startswith("Rss:"):
                    total_kb += int(line.split()[1])
    except OSError:  # not Linux
        return 0.0
    return total_kb / 1024


def give_back(maps_path: str = "/proc/self/maps") -> int:
    """Ask the kernel to drop the GPU libraries' resident pages; the bytes advised (0 where it cannot:
    not Linux, a kernel before 5.4, or a GPU in use, whose libraries do run; 0 when
    ``VISION_GIVE_BACK_GPU_LIBS=0``). Called after the heavy imports (:func:`ui.models.warm_imports`)
    and after each paced collection (:mod:`engine.serving.garbage`): a first model call may read more
    of them (Ultralytics looks for a device)."""
    if not settings.give_back_gpu_libraries() or not _lock.acquire(blocking=False):
        return 0  # off, or another thread is doing it now
    try:
        if _gpu_in_use():
            return 0
        try:
            with open(maps_path, encoding="ascii", errors="replace") as maps:
                ranges = gpu_library_ranges(maps.read())
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        except (OSError, AttributeError):
            return 0
        advised = 0
        for start, end, _name in ranges:
            if libc.madvise(start, end - start, MADV_PAGEOUT) != 0:
                # EINVAL: a kernel without MADV_PAGEOUT; nothing else would work either.
                _LOG.debug("madvise(MADV_PAGEOUT) failed: errno %d", ctypes.get_errno())
                return advised
            advised += end - start
        return advised
    finally:
        _lock.release()


_gpu: list[bool] = []  # torch's answer, asked once (asking loads the CUDA runtime's pages again)


def _gpu_in_use() -> bool:
    """Whether torch runs on a GPU here (then its libraries are in use). Only asked once torch is
    imported: this module never imports it."""
    import sys

    torch = sys.modules.get("torch")
    if torch is None:
        return False
    if not _gpu:
        try:
            _gpu.append(bool(torch.cuda.is_available()))
        except Exception:  # noqa: BLE001 - a broken CUDA set-up is a CPU-only server
            _gpu.append(False)
    return _gpu[0]
