"""Issue 14, the model budget that fits the container: VISION_MODEL_BUDGET_MB's default from the
cgroup limit (v2, v1) or the RAM, and the model cache's load/reload/eviction counters."""

from __future__ import annotations

import json
from pathlib import Path

import psutil
import pytest

from engine import settings
from engine.models import registry
from engine.models.cache import ModelCache

MIB = 2**20


def _cgroup(root: Path, v2: str | None = None, v1: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if v2 is not None:
        (root / "memory.max").write_text(v2 + "\n")
    if v1 is not None:
        (root / "memory").mkdir(exist_ok=True)
        (root / "memory" / "memory.limit_in_bytes").write_text(v1 + "\n")
    return root


@pytest.fixture(autouse=True)
def _no_budget_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISION_MODEL_BUDGET_MB", raising=False)
    monkeypatch.delenv("VISION_SESSION_MB", raising=False)
    monkeypatch.delenv("VISION_CACHE_STATS", raising=False)


def test_cgroup_v2_limit_is_read(tmp_path: Path) -> None:
    root = _cgroup(tmp_path, v2=str(2 * 1024 * MIB))
    assert settings.memory_limit_mb(root) == 2048.0


def test_cgroup_v1_limit_is_read_where_there_is_no_v2(tmp_path: Path) -> None:
    root = _cgroup(tmp_path, v1=str(3 * 1024 * MIB))
    assert settings.memory_limit_mb(root) == 3072.0


@pytest.mark.parametrize(
    ("v2", "v1"),
    [("max", None), (None, "9223372036854771712"), (None, None), ("garbage", None)],
    ids=["v2-max", "v1-unlimited", "no-files", "unreadable"],
)
def test_no_limit_means_the_machines_ram(tmp_path: Path, v2: str | None, v1: str | None) -> None:
    root = _cgroup(tmp_path, v2=v2, v1=v1)
    assert settings.memory_limit_mb(root) == psutil.virtual_memory().total / MIB


def test_a_limit_above_the_ram_is_capped_by_the_ram(tmp_path: Path) -> None:
    ram = psutil.virtual_memory().total
    root = _cgroup(tmp_path, v2=str(ram * 4))
    assert settings.memory_limit_mb(root) == ram / MIB


def test_community_cloud_holds_every_pages_default_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = _cgroup(tmp_path, v2=str(int(2.7e9)))  # Community Cloud's 2.7 GB
    monkeypatch.setattr(settings, "CGROUP_ROOT", root)
    budget = settings.model_budget_mb()
    defaults = [registry.default_for(task).size_mb for task in registry.TASKS]
    assert budget == 1090.0
    assert sum(defaults) < budget  # all the pages' defaults at once
    # The registry's sizes are downloads in MB (1e6 B); the cache measures parameters in MiB: the
    # defaults plus the largest classifier or detector a compare adds (a ViT-B) still fit.
    largest = max(m.size_mb for m in registry.MODELS if m.task in ("image-classification", "object-detection"))
    assert (sum(defaults) + largest) * 1e6 / MIB < budget
    # and the reserve leaves the process (baseline + sessions) inside the 2.5 GB the issue aims at
    assert settings.BUDGET_BASELINE_MB + settings.BUDGET_SESSIONS * 64 + budget < 2500 < 2.7e9 / MIB


def test_budget_is_clamped_and_follows_the_session_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.default_model_budget_mb(64 * 1024) == settings.BUDGET_MAX_MB
    assert settings.default_model_budget_mb(900) == settings.BUDGET_MIN_MB
    monkeypatch.setenv("VISION_SESSION_MB", "128")  # bigger sessions leave less for models
    assert settings.default_model_budget_mb(3000) == 3000 * 0.95 - 1100 - 4 * 128


def test_the_variable_still_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(settings, "CGROUP_ROOT", _cgroup(tmp_path, v2=str(int(2.7e9))))
    monkeypatch.setenv("VISION_MODEL_BUDGET_MB", "800")
    assert settings.model_budget_mb() == 800.0
    assert ModelCache().budget_mb == 800.0
    monkeypatch.setenv("VISION_MODEL_BUDGET_MB", "lots")  # unreadable: the sized default
    assert settings.model_budget_mb() == 1090.0


def test_cache_counts_loads_reloads_and_evictions() -> None:
    cache = ModelCache(budget_mb=100)
    calls: list[str] = []

    def loader(name: str):
        return lambda: calls.append(name) or name

    cache.get("a", loader("a"), size_mb=60)
    cache.get("a", loader("a"), size_mb=60)  # a hit: no load
    cache.get("b", loader("b"), size_mb=60)  # "a" evicted
    cache.get("a", loader("a"), size_mb=60)  # "a" again: a reload, "b" evicted
    stats = cache.stats()
    assert calls == ["a", "b", "a"]
    assert (stats.loads, stats.reloads, stats.evictions) == (3, 1, 2)
    assert stats.keys == ("a",) and stats.used_mb == 60.0 and stats.budget_mb == 100.0


def test_a_budget_that_fits_means_no_reloads() -> None:
    cache = ModelCache(budget_mb=200)
    for _ in range(5):
        for key in ("a", "b", "c"):
            cache.get(key, lambda k=key: k, size_mb=60)
    assert (cache.stats().loads, cache.stats().reloads, cache.stats().evictions) == (3, 0, 0)


def test_counters_are_written_where_the_bench_reads_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "stats" / "cache.json"
    monkeypatch.setenv("VISION_CACHE_STATS", str(path))
    cache = ModelCache(budget_mb=100)
    cache.get("a", lambda: "A", size_mb=60)
    cache.get("b", lambda: "B", size_mb=60)
    cache.get("a", lambda: "A", size_mb=60)
    doc = json.loads(path.read_text())
    assert (doc["loads"], doc["reloads"], doc["evictions"], doc["keys"]) == (3, 1, 2, ["a"])
    assert not list(path.parent.glob(".*.tmp"))  # written through a temporary file, replaced at once


def test_no_stats_file_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ModelCache(budget_mb=100).get("a", lambda: "A", size_mb=10)
    assert settings.cache_stats_file() is None and list(tmp_path.iterdir()) == []


def test_soak_growth_is_measured_after_the_warmup() -> None:
    from bench.soak import _growth

    loading = [(t, 600.0 + 10 * t) for t in range(0, 60, 3)]  # models loading: not a leak
    flat = [(t, 1200.0 + (t % 2)) for t in range(60, 900, 3)]
    assert _growth(loading + flat, 60)["growth"] < 0.01
    leaking = [(t, 1200.0 + 0.2 * (t - 60)) for t in range(60, 900, 3)]  # +168 MB over 14 minutes
    got = _growth(loading + leaking, 60)
    assert got["growth"] > 0.05 and got["end_mb"] > got["ref_mb"]
    assert _growth(loading, 60)["growth"] is None  # nothing after the warm-up: no figure, not a pass


def test_load_goals_count_reloads_and_errors() -> None:
    from bench.load import goals

    rows = [
        {"page": "p", "sessions": 1, "errors": 0, "model_reloads": 0, "p50_s": 1.0, "p95_s": 1.2,
         "throughput_per_s": 1.0, "server_peak_rss_mb": 900},
        {"page": "p", "sessions": 16, "errors": 1, "model_reloads": 2, "p50_s": 8.0, "p95_s": 16.0,
         "throughput_per_s": 1.5, "server_peak_rss_mb": 1000},
    ]  # fmt: skip
    got = goals(rows)
    assert got["errors"] is False and got["model_reloads"] == 2
    assert got["p.throughput_16_vs_1"] == 1.5 and got["p.p95_16_vs_fair_queue"] == 1.0


# Issue 14, a class on 2.7 GB: the session budget's default is the class's share of what the libraries
# and the model budget leave (engine.settings.default_session_mb).
@pytest.mark.parametrize(
    ("limit_mb", "sessions", "want"),
    [
        (2.7e9 / MIB, 30, 8.0),  # Community Cloud, a class: (2446 - 1100 - 1090) / 30 = 8.5
        (2.7e9 / MIB, 4, 64.0),  # four sessions share the same 256 MiB: capped at 64
        (2.7e9 / MIB, 16, 16.0),
        (6 * 1024, 30, 21.0),  # the model budget at its 4 GiB cap: the sessions get the rest
        (24 * 1024, 30, 64.0),  # this machine: the cap
        (1024, 30, 8.0),  # less than the libraries need: the floor
    ],
    ids=["cloud-class", "cloud-4", "cloud-16", "6GiB", "24GiB", "1GiB"],
)
def test_session_budget_is_the_class_share(limit_mb: float, sessions: int, want: float) -> None:
    assert settings.default_session_mb(limit_mb, sessions) == want


def test_session_budget_follows_the_limit_the_class_and_the_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("VISION_CLASS_SIZE", raising=False)
    monkeypatch.setattr(settings, "CGROUP_ROOT", _cgroup(tmp_path, v2=str(int(2.7e9))))
    assert settings.session_budget_bytes() == 8 * MIB  # the class's default on Community Cloud
    # and the model budget still reserves what it did (the sessions' 256 MiB are split, not added)
    assert settings.model_budget_mb() == 1090.0
    monkeypatch.setenv("VISION_CLASS_SIZE", "16")
    assert settings.session_budget_bytes() == 16 * MIB
    monkeypatch.setenv("VISION_SESSION_MB", "3.5")  # the variable wins
    assert settings.session_budget_bytes() == int(3.5 * MIB)
    monkeypatch.setenv("VISION_SESSION_MB", "lots")  # unreadable: the sized default
    assert settings.session_budget_bytes() == 16 * MIB
    monkeypatch.delenv("VISION_SESSION_MB")
    monkeypatch.setenv("VISION_MODEL_BUDGET_MB", "800")  # fewer models: more for each session
    assert settings.session_budget_bytes() == int((2.7e9 / MIB * 0.95 - 1100 - 800) / 16) * MIB


def test_a_class_fits_the_container() -> None:
    """Libraries + models + 30 sessions at their default + the 5 % headroom: within Community Cloud's 2.7 GB."""
    limit = 2.7e9 / MIB
    used = (
        settings.BUDGET_BASELINE_MB
        + settings.default_model_budget_mb(limit)
        + 30 * settings.default_session_mb(limit, 30)
    )
    assert used <= limit * settings.BUDGET_USABLE
