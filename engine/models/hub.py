"""The Hugging Face Hub: which files of a model repo the app downloads, and downloading them.

A pipeline needs the config, the processor and tokenizer files, and one set of weights. Repos
on the Hub come in several layouts (see README, "Which file each model loads"):

1. ``model.safetensors`` (or its shards and index) at the pinned commit: taken.
2. Only pickled weights (``pytorch_model.bin``), but the Hub's conversion bot opened a pull
   request with a safetensors copy *of that very commit* (``refs/pr/N``, the rule transformers
   follows when it loads a repo by id): every file is taken from that pull request's commit.
3. Only ``pytorch_model.bin``: taken, and loaded through transformers' ``weights_only`` path
   (``torch.load(..., weights_only=True)``: tensors only, no pickled code runs).

TensorFlow, Flax, ONNX and open_clip files are never downloaded. Every request goes to the
endpoint huggingface_hub is configured with (``HF_ENDPOINT``, :func:`engine.settings.hub_endpoint`).

Example:
    >>> choose_weights(["config.json", "pytorch_model.bin", "tf_model.h5"])
    WeightsChoice(files=('pytorch_model.bin',), format='pickle')
    >>> choose_weights(["model.safetensors", "pytorch_model.bin"]).format
    'safetensors'
    >>> choose_weights(["tf_model.h5", "flax_model.msgpack"]) is None
    True
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from engine import settings
from engine.errors import model_unavailable

Origin = Literal["safetensors", "conversion", "pickle"]
Format = Literal["safetensors", "pickle"]

CONVERSION_BOT = "SFconvertbot"
CONVERSION_TITLE = "Adding `safetensors` variant of this model"

# What pipelines read besides the weights (models, processors, tokenizers). Anything else in a
# repo (README, .gitattributes, other frameworks' weights, open_clip files) is never downloaded.
AUX_FILES = (
    "config.json",
    "preprocessor_config.json",
    "processor_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.json",
    "vocab.txt",
    "merges.txt",
)
_FORMATS: tuple[tuple[Format, str, str, re.Pattern[str]], ...] = (
    (
        "safetensors",
        "model.safetensors",
        "model.safetensors.index.json",
        re.compile(r"^model-(\d{5})-of-(\d{5})\.safetensors$"),
    ),
    (
        "pickle",
        "pytorch_model.bin",
        "pytorch_model.bin.index.json",
        re.compile(r"^pytorch_model-(\d{5})-of-(\d{5})\.bin$"),
    ),
)
_SHA = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class WeightsChoice:
    """The weights files to download from one commit's file list, and their format."""

    files: tuple[str, ...]
    format: Format


def _complete_shards(names: set[str], pattern: re.Pattern[str]) -> list[str]:
    shards = sorted(n for n in names if pattern.match(n))
    if not shards:
        return []
    total = int(pattern.match(shards[0]).group(2))  # type: ignore[union-attr]
    wanted = {f"{i:05d}" for i in range(1, total + 1)}
    found = {pattern.match(n).group(1) for n in shards if int(pattern.match(n).group(2)) == total}  # type: ignore[union-attr]
    return shards if found == wanted else []


def choose_weights(names: Iterable[str]) -> WeightsChoice | None:
    """The weights a pipeline loads from a repo holding ``names``: safetensors first, else the
    pickled ``pytorch_model.bin`` (single file, or a complete set of shards with its index);
    None when neither is there (only TensorFlow/Flax/ONNX files, or an incomplete shard set)."""
    present = set(names)
    for fmt, single, index, shard in _FORMATS:
        if single in present:
            return WeightsChoice((single,), fmt)
        if index in present:
            shards = _complete_shards(present, shard)
            if shards:
                return WeightsChoice((index, *shards), fmt)
    return None


@dataclass(frozen=True)
class RepoFile:
    """One file of a repo at a commit, with its size as the Hub reports it."""

    name: str
    size: int = 0
    sha256: str = ""  # large (LFS) files: the content's hash, checked after the download

    @classmethod
    def from_sibling(cls, sibling: Any) -> RepoFile:
        """From a ``huggingface_hub`` ``RepoSibling`` (``model_info(..., files_metadata=True)``)."""
        lfs = getattr(sibling, "lfs", None)
        size = lfs.size if lfs else (sibling.size or 0)
        return cls(sibling.rfilename, int(size or 0), lfs.sha256 if lfs else "")


@dataclass(frozen=True)
class DownloadPlan:
    """What to download for one model: the commit, its files and where its weights come from.

    ``checked`` is the commit asked for (the registry's pinned revision); ``revision`` is the
    commit the files come from: the same one, or a safetensors conversion of it (``origin``
    ``"conversion"``, from ``conversion_ref``).

    Example:
        >>> plan = DownloadPlan("org/m", "a" * 40, "a" * 40, "pickle",
        ...                     (RepoFile("config.json", 700), RepoFile("pytorch_model.bin", 3_000_000)))
        >>> (plan.weights, plan.total_mb)
        (('pytorch_model.bin',), 3.0)
    """

    repo_id: str
    revision: str
    checked: str
    origin: Origin
    files: tuple[RepoFile, ...]
    conversion_ref: str = ""
    pin_missing: bool = False  # the pinned commit is gone from the Hub: ``main`` was planned instead
    pipeline_tag: str | None = None  # the task the repo declares on the Hub
    # The branch or tag the plan was read from ("" when it was asked for a commit): after the
    # download the cache names the commit downloaded after it (:func:`record_ref`).
    ref: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.files)

    @property
    def weights(self) -> tuple[str, ...]:
        choice = choose_weights(self.names)
        return choice.files if choice else ()

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def total_mb(self) -> float:
        return round(self.total_bytes / 1e6, 1)

    def rows(self) -> list[dict[str, Any]]:
        """One row a file: name and MB."""
        return [{"file": f.name, "mb": round(f.size / 1e6, 1)} for f in self.files]


def is_commit(revision: str) -> bool:
    """Whether ``revision`` is a full commit hash (what the registry pins)."""
    return bool(_SHA.match(revision))


def api() -> Any:
    """An ``HfApi`` on the configured endpoint."""
    from huggingface_hub import HfApi

    return HfApi(endpoint=settings.hub_endpoint())


def _files(info: Any) -> dict[str, RepoFile]:
    return {s.rfilename: RepoFile.from_sibling(s) for s in (info.siblings or [])}


def plan(repo_id: str, revision: str = "main", *, conversion: str = "", timeout: float | None = None) -> DownloadPlan:
    """The files to download for ``repo_id`` at ``revision`` (see the module's rules).

    ``conversion`` pins the conversion commit to take when ``revision`` has only pickled weights
    (the registry pins both); it must be the bot's conversion of ``revision``.

    Raises :class:`ModelUnavailable` with a reason code when the Hub says no or the repo has no
    weights a pipeline can load.
    """
    from huggingface_hub import errors as hf_errors

    hub = api()
    timeout = timeout or settings.download_timeout_s()
    pin_missing = False
    ref = "" if is_commit(revision) else revision
    try:
        try:
            info = hub.model_info(repo_id, revision=revision, files_metadata=True, timeout=timeout)
        except hf_errors.RevisionNotFoundError:
            if not is_commit(revision):
                raise
            # A pinned commit the Hub no longer has (history rewritten): the same rules on main,
            # said in the page, beat a model no student can load.
            info = hub.model_info(repo_id, revision="main", files_metadata=True, timeout=timeout)
            pin_missing, conversion = True, ""
        files = _files(info)
        choice = choose_weights(files)
        if choice is None or choice.format == "pickle":
            converted = _conversion(hub, repo_id, info.sha, conversion, timeout)
            if converted is not None:
                return replace(converted, pin_missing=pin_missing, pipeline_tag=info.pipeline_tag, ref=ref)
    except hf_errors.GatedRepoError as exc:
        raise model_unavailable(repo_id, "hub_gated") from exc
    except hf_errors.RevisionNotFoundError as exc:
        raise model_unavailable(repo_id, "hub_revision_missing", revision=revision) from exc
    except hf_errors.RepositoryNotFoundError as exc:
        raise model_unavailable(repo_id, "hub_not_found") from exc
    except Exception as exc:
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        raise model_unavailable(repo_id, "hub_error", endpoint=settings.hub_endpoint(), detail=detail) from exc
    if choice is None:
        found = ", ".join(sorted(n for n in files if n not in AUX_FILES and not n.startswith("."))) or "none"
        raise model_unavailable(repo_id, "no_weights", revision=info.sha, found=found)
    keep = [files[n] for n in AUX_FILES if n in files] + [files[n] for n in choice.files]
    return DownloadPlan(
        repo_id,
        info.sha,
        info.sha,
        choice.format,
        tuple(keep),
        pin_missing=pin_missing,
        pipeline_tag=info.pipeline_tag,
        ref=ref,
    )


def _conversion(hub: Any, repo_id: str, commit: str, pinned: str, timeout: float) -> DownloadPlan | None:
    """The conversion bot's open pull request whose parent is ``commit``, with safetensors; else None.

    Only the bot's own pull requests count (anyone can open one), and only one made from this
    exact commit: its safetensors hold the same weights as the commit's ``pytorch_model.bin``.
    With ``pinned``, that commit of the pull request is taken (it must sit right on ``commit``).
    """
    discussions = hub.get_repo_discussions(
        repo_id, author=CONVERSION_BOT, discussion_type="pull_request", discussion_status="open"
    )
    for pr in discussions:
        if pr.author != CONVERSION_BOT or pr.title != CONVERSION_TITLE or not pr.is_pull_request:
            continue
        ids = [c.commit_id for c in hub.list_repo_commits(repo_id, revision=pr.git_reference)]
        head = pinned if pinned in ids else (ids[0] if ids else "")
        if head not in ids or ids.index(head) + 1 >= len(ids) or ids[ids.index(head) + 1] != commit:
            continue
        info = hub.model_info(repo_id, revision=head, files_metadata=True, timeout=timeout)
        files = _files(info)
        choice = choose_weights(files)
        if choice is None or choice.format != "safetensors":
            continue
        keep = [files[n] for n in AUX_FILES if n in files] + [files[n] for n in choice.files]
        return DownloadPlan(repo_id, info.sha, commit, "conversion", tuple(keep), conversion_ref=pr.git_reference)
    return None


Progress = Callable[[str, int, int], None]  # (file name, bytes done of that file, its size)


@dataclass
class DownloadProgress:
    """A download under way (or just ended), shared by every session waiting for that model."""

    repo_id: str
    revision: str
    total_bytes: int
    done: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    finished: bool = False
    error: str = ""

    @property
    def done_bytes(self) -> int:
        return sum(self.done.values())

    @property
    def fraction(self) -> float:
        return min(1.0, self.done_bytes / self.total_bytes) if self.total_bytes else 0.0

    @property
    def speed_mb_s(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done_bytes / 1e6 / elapsed if elapsed > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        speed = self.speed_mb_s
        return (self.total_bytes - self.done_bytes) / 1e6 / speed if speed > 0 else None


_ACTIVE: dict[tuple[str, str], DownloadProgress] = {}
_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def progress_of(repo_id: str) -> DownloadProgress | None:
    """The newest download of ``repo_id`` in this process (None: none yet)."""
    with _LOCKS_LOCK:
        found = [p for (r, _), p in _ACTIVE.items() if r == repo_id]
    return max(found, key=lambda p: p.started) if found else None


def download(plan: DownloadPlan, *, progress: Progress | None = None) -> Path:
    """Download the plan's files at its commit into the Hugging Face cache; the snapshot folder.

    One download per model and commit at a time: a second session asking for it waits for the
    first one (and can watch :func:`progress_of`), then finds the files in the cache.
    huggingface_hub writes each file to an ``.incomplete`` blob and moves it in place only once
    its size matched; the sha256 is checked here; a dropped, stalled or corrupt download leaves
    nothing a later load would trust. ``progress`` hears about every chunk.
    """
    key = (plan.repo_id, plan.revision)
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:
        state = DownloadProgress(plan.repo_id, plan.revision, plan.total_bytes)
        with _LOCKS_LOCK:
            _ACTIVE[key] = state

        def report(name: str, done: int, total: int) -> None:
            state.done[name] = done
            if progress:
                progress(name, done, total)

        try:
            return _download_files(plan, report)
        except Exception as exc:
            state.error = f"{type(exc).__name__}: {str(exc)[:200]}"
            raise
        finally:
            state.finished = True


def _download_files(plan: DownloadPlan, report: Progress) -> Path:
    import huggingface_hub.constants
    from huggingface_hub import hf_hub_download

    # The read timeout of a download (huggingface_hub reads it once, at import): ours, so a stalled
    # server fails within the configured time.
    huggingface_hub.constants.HF_HUB_DOWNLOAD_TIMEOUT = settings.download_timeout_s()
    folder: Path | None = None
    for file in plan.files:
        path = hf_hub_download(
            plan.repo_id,
            file.name,
            revision=plan.revision,
            cache_dir=settings.hf_cache_dir(),
            endpoint=settings.hub_endpoint(),
            etag_timeout=settings.download_timeout_s(),
            tqdm_class=_progress_tqdm(file, report),
        )
        _check_hash(Path(path), file)
        folder = Path(path).parent
        report(file.name, file.size, file.size)
    if folder is None:
        raise model_unavailable(plan.repo_id, "no_weights", revision=plan.revision, found="none")
    # Downloads go by commit (main may move between the plan and the last file), which writes no
    # ref: without one, a model asked for by a branch is not found in the cache by the next process.
    for ref in (plan.ref, plan.conversion_ref):
        if ref:
            record_ref(folder, ref)
    return folder


def record_ref(snapshot: Path, ref: str) -> None:
    """Name ``snapshot`` (``<repo folder>/snapshots/<commit>`` in the Hugging Face cache) as
    ``ref`` (a branch, a tag, ``refs/pr/5``), as huggingface_hub does after a download by a ref: the
    file ``<repo folder>/refs/<ref>`` holds the commit, so a look-up by ``ref`` with no network
    (``snapshot_download(..., local_files_only=True)``, transformers offline) finds these files.

    For a conversion, the branch names the bot's commit, not the branch's own: those are the files
    the app (and transformers, which loads a pickle-only branch through the same pull request)
    takes for it, and a ref to a commit with no snapshot would be a corrupt cache to
    ``huggingface_hub.scan_cache_dir``.

    Example:
        >>> import tempfile
        >>> snapshot = Path(tempfile.mkdtemp()) / "models--org--m" / "snapshots" / ("a" * 40)
        >>> snapshot.mkdir(parents=True)
        >>> record_ref(snapshot, "refs/pr/5")
        >>> (snapshot.parents[1] / "refs" / "refs" / "pr" / "5").read_text() == "a" * 40
        True
    """
    parts = ref.split("/")
    if snapshot.parent.name != "snapshots" or not ref or "" in parts or ".." in parts or "." in parts:
        return  # not a cache snapshot, or a ref that would write outside refs/
    path = snapshot.parents[1] / "refs" / ref
    commit = snapshot.name
    if path.is_file() and path.read_text() == commit:
        return  # unchanged: a read-only cache that already says so is fine
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole, then moved in place: a process reading the ref meanwhile never sees half of it.
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(commit)
    os.replace(tmp, path)


def converted(snapshot: Path) -> bool:
    """Whether a pull request's ref in the cache names ``snapshot``: the bot's conversion that
    :func:`download` took (and :func:`record_ref` named) for a pickle-only commit.

    Example:
        >>> converted(Path("/nonexistent/models--org--m/snapshots") / ("a" * 40))
        False
    """
    pulls = snapshot.parents[1] / "refs" / "refs" / "pr"
    if not pulls.is_dir():
        return False
    return any(p.is_file() and p.read_text().strip() == snapshot.name for p in pulls.iterdir())


def _check_hash(path: Path, file: RepoFile) -> None:
    """The downloaded bytes are the ones the Hub listed, or the file is removed (blob and link)
    and the download fails: huggingface_hub checks the size only."""
    import hashlib

    if not file.sha256:
        return
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    if digest.hexdigest() != file.sha256:
        blob = path.resolve()
        path.unlink(missing_ok=True)
        blob.unlink(missing_ok=True)
        raise OSError(f"{file.name}: its sha256 is {digest.hexdigest()[:12]}…, the Hub lists {file.sha256[:12]}…")


def _progress_tqdm(file: RepoFile, progress: Progress) -> type:
    """A progress-bar class for huggingface_hub that reports bytes to ``progress``, scaled to
    the size the Hub listed (huggingface_hub builds any class it is given with tqdm's keywords)."""

    class _Report:
        def __init__(self, *, total: int | None = None, initial: int = 0, **_: Any) -> None:
            self.total, self.n = total, initial
            self.update(0)  # the file is under way: a progress bar names it before its first chunk

        def update(self, n: int = 1) -> None:
            self.n += n
            share = min(1.0, self.n / (self.total or file.size or 1))
            progress(file.name, int(share * file.size), file.size)

        def close(self) -> None:
            pass

        def __enter__(self) -> _Report:
            return self

        def __exit__(self, *exc: object) -> None:
            self.close()

    return _Report


def cached(repo_id: str, revisions: Iterable[str]) -> Path | None:
    """The cached snapshot of ``repo_id`` at the first of ``revisions`` that holds a config and
    loadable weights, with no network."""
    from huggingface_hub import snapshot_download

    for revision in revisions:
        if not revision:
            continue
        try:
            path = Path(
                snapshot_download(repo_id, revision=revision, local_files_only=True, cache_dir=settings.hf_cache_dir())
            )
        except Exception:  # noqa: BLE001, S112 - any failure here just means "not cached"
            continue
        if (path / "config.json").is_file() and choose_weights(p.name for p in path.iterdir()):
            return path
    return None
