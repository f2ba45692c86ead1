"""The machine a figure was taken on: CPU model, the vector/matrix flags that decide which kernels
run, the cores. Every benchmark writes it next to its figures, so runs from two CPUs (an AMD EPYC
and an Intel Xeon with AVX-512 BF16/VNNI have both been seen here) can be told apart.

Example:
    >>> info = cpu_info()
    >>> sorted(info) == ["cores", "flags", "model"] and set(info["flags"]) <= set(FLAGS)
    True
"""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

# The flags that change which CPU kernels torch/oneDNN can pick.
FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_int8")


def cpu_info() -> dict[str, Any]:
    """The CPU model, its vector/matrix flags and the cores: recorded next to every figure."""
    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").is_file() else ""
    fields = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in text.splitlines() if ":" in line)}
    model = fields.get("model name", platform.processor() or platform.machine())
    flags = set(fields.get("flags", "").split())
    return {"model": model, "flags": [f for f in FLAGS if f in flags], "cores": os.cpu_count()}
