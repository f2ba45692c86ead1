"""A Hugging Face Hub on 127.0.0.1 for the tests: the requests ``huggingface_hub`` makes, answered
from repos held in memory, with faults a test can switch on.

It answers what the app's download path asks (and nothing else):

- ``GET /api/models/<repo>[/revision/<rev>]``: model info with siblings (sizes as listed, which
  may be the real Hub's sizes while the bytes served are tiny stand-ins), sha, pipeline tag, config;
- ``GET /api/models/<repo>/discussions``: pull requests (the conversion bot's);
- ``GET /api/models/<repo>/commits/<rev>``: the commit history, newest first;
- ``GET /api/models/<repo>/tree/<rev>[/<folder>]``: the files and folders there (``list_repo_tree``,
  which ``transformers`` calls for a processor's chat templates);
- ``HEAD|GET /<repo>/resolve/<rev>/<file>`` (``/spaces/<repo>/...`` for Spaces): the file with
  ``X-Repo-Commit``, ``ETag`` and length headers, and byte ranges (resumed downloads).

Faults (:class:`Fault`) apply to the requests whose path contains ``match``: ``"status"``
(answer ``status``, e.g. 500, 404, 401), ``"drop"`` (send half the bytes, then close),
``"stall"`` (wait ``seconds`` before answering), ``"corrupt"`` (serve other bytes of the same
length), ``"slow"`` (send the body in 20 pieces over about ``seconds``: a download a page can
show in progress). Every request is logged in :attr:`LocalHub.requests`.

Example:
    >>> with LocalHub() as hub:  # doctest: +SKIP
    ...     hub.add_repo(HubRepo.single("org/tiny", {"config.json": b"{}"}))
    ...     os.environ["HF_ENDPOINT"] = hub.url
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

LFS_SUFFIXES = (".safetensors", ".bin", ".h5", ".msgpack", ".pt", ".pth", ".onnx", ".ckpt")


def is_lfs(name: str) -> bool:
    """Whether the Hub keeps ``name`` in LFS (its ETag is then the content's sha256)."""
    return name.endswith(LFS_SUFFIXES)


@dataclass(frozen=True)
class HubFile:
    """A file of a commit: the bytes served and the size the API lists (None: the bytes' length)."""

    content: bytes
    listed_size: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def blob_id(self) -> str:
        return hashlib.sha1(b"blob %d\0" % len(self.content) + self.content).hexdigest()


@dataclass
class Commit:
    sha: str
    files: dict[str, HubFile]
    parent: str | None = None
    title: str = "Upload"
    author: str = "user"


@dataclass
class HubRepo:
    """One repo: its commits, refs (``main``, ``refs/pr/N``) and pull requests."""

    repo_id: str
    commits: dict[str, Commit] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    pulls: list[dict[str, Any]] = field(default_factory=list)
    repo_type: str = "model"
    gated: bool = False
    pipeline_tag: str | None = None
    config: dict[str, Any] | None = None

    @staticmethod
    def fake_sha(*parts: str) -> str:
        return hashlib.sha1("/".join(parts).encode()).hexdigest()

    @classmethod
    def single(cls, repo_id: str, files: dict[str, HubFile | bytes], *, sha: str = "", **kw: Any) -> HubRepo:
        """A repo with one commit on ``main``."""
        sha = sha or cls.fake_sha(repo_id, "main")
        repo = cls(repo_id, **kw)
        repo.add_commit(Commit(sha, {n: f if isinstance(f, HubFile) else HubFile(f) for n, f in files.items()}), "main")
        return repo

    def add_commit(self, commit: Commit, ref: str | None = None) -> None:
        self.commits[commit.sha] = commit
        if ref:
            self.refs[ref] = commit.sha

    def add_conversion(
        self,
        parent: str,
        sha: str,
        extra: dict[str, HubFile],
        *,
        num: int = 1,
        author: str = "SFconvertbot",
        title: str = "Adding `safetensors` variant of this model",
        status: str = "open",
    ) -> None:
        """A pull request adding ``extra`` files on top of commit ``parent`` (as the conversion bot does)."""
        files = {**self.commits[parent].files, **extra}
        self.add_commit(Commit(sha, files, parent=parent, title=title, author=author), f"refs/pr/{num}")
        self.pulls.append({"num": num, "title": title, "author": author, "status": status})

    def commit(self, rev: str) -> Commit | None:
        sha = self.refs.get(rev, rev)
        return self.commits.get(sha)

    def history(self, sha: str) -> list[Commit]:
        out, current = [], self.commits.get(sha)
        while current is not None:
            out.append(current)
            current = self.commits.get(current.parent) if current.parent else None
        return out


@dataclass(frozen=True)
class Fault:
    kind: str  # "status" | "drop" | "stall" | "corrupt" | "slow"
    match: str = ""  # applies to request paths containing this
    status: int = 500
    seconds: float = 0.0
    times: int = -1  # how many requests it hits (-1: all)


class LocalHub:
    """The server: ``start()``/``stop()`` or a ``with`` block; ``url`` goes into ``HF_ENDPOINT``."""

    def __init__(self) -> None:
        self.repos: dict[tuple[str, str], HubRepo] = {}
        self.requests: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self._hits: dict[int, int] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- set-up -------------------------------------------------------------------------------
    def add_repo(self, repo: HubRepo) -> HubRepo:
        self.repos[(repo.repo_type, repo.repo_id)] = repo
        return repo

    def fault(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()
            self._hits.clear()

    def hits(self, kind: str) -> int:
        """How many requests the faults of ``kind`` switched on now have hit."""
        with self._lock:
            return sum(self._hits.get(i, 0) for i, f in enumerate(self.faults) if f.kind == kind)

    def downloads(self) -> list[str]:
        """The file paths fetched with GET (``<repo>/resolve/<rev>/<file>``), in order."""
        return [p for m, p in self.requests if m == "GET" and "/resolve/" in p]

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the hub first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LocalHub:
        handler = type("Handler", (_Handler,), {"hub": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-hub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LocalHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- request handling ---------------------------------------------------------------------
    def _fault_for(self, path: str, head: bool) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self.faults):
                if head and fault.kind in {"drop", "corrupt", "slow"}:
                    continue  # they change a body, which a HEAD has not
                if fault.match in path and (fault.times < 0 or self._hits.get(i, 0) < fault.times):
                    self._hits[i] = self._hits.get(i, 0) + 1
                    return fault
        return None


class _Handler(BaseHTTPRequestHandler):
    hub: LocalHub
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    # --- helpers ------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None, head: bool = False) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _json(self, data: Any, status: int = 200, head: bool = False) -> None:
        self._send(status, json.dumps(data).encode(), {"Content-Type": "application/json"}, head)

    def _error(self, status: int, message: str, code: str = "", head: bool = False) -> None:
        headers = {"Content-Type": "application/json", "X-Error-Message": message}
        if code:
            headers["X-Error-Code"] = code
        self._send(status, json.dumps({"error": message}).encode(), headers, head)

    def _serve(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        self.hub.requests.append(("HEAD" if head else "GET", path))
        fault = self.hub._fault_for(path, head)
        if fault is not None and fault.kind == "stall":
            time.sleep(fault.seconds)
        if fault is not None and fault.kind == "status":
            code = {401: "GatedRepo", 404: "RepoNotFound"}.get(fault.status, "")
            return self._error(fault.status, f"fault {fault.status}", code, head)
        segments = [s for s in parts.path.split("/") if s]
        try:
            if segments[:1] == ["api"]:
                return self._api(segments[1:], parse_qs(parts.query), head)
            return self._resolve(segments, fault, head)
        except (BrokenPipeError, ConnectionResetError):
            return None

    def _repo(self, repo_type: str, org: str, name: str) -> HubRepo | None:
        return self.hub.repos.get((repo_type, f"{unquote(org)}/{unquote(name)}"))

    def _api(self, seg: list[str], query: dict[str, list[str]], head: bool) -> None:
        if len(seg) < 3 or seg[0] not in {"models", "spaces"}:
            return self._error(404, "unknown API path", head=head)
        repo = self._repo(seg[0][:-1], seg[1], seg[2])
        if repo is None:
            return self._error(404, "Repository not found", "RepoNotFound", head)
        rest = [unquote(s) for s in seg[3:]]
        if rest[:1] == ["discussions"]:
            return self._discussions(repo, query, head)
        if rest[:1] == ["tree"] and len(rest) >= 2:
            return self._tree(repo, rest[1], "/".join(rest[2:]), query, head)
        if rest[:1] == ["commits"]:
            commit = repo.commit("/".join(rest[1:]) or "main")
            if commit is None:
                return self._error(404, "Revision not found", "RevisionNotFound", head)
            history = [
                {
                    "id": c.sha,
                    "title": c.title,
                    "message": "",
                    "authors": [{"user": c.author}],
                    "date": "2024-01-01T00:00:00.000Z",
                }
                for c in repo.history(commit.sha)
            ]
            return self._json(history, head=head)
        revision = "/".join(rest[1:]) if rest[:1] == ["revision"] else "main"
        if repo.gated:
            return self._error(401, "Access to this repo is restricted", "GatedRepo", head)
        commit = repo.commit(revision)
        if commit is None:
            return self._error(404, "Revision not found", "RevisionNotFound", head)
        blobs = query.get("blobs", ["false"])[0].lower() == "true"
        siblings = []
        for name, f in sorted(commit.files.items()):
            item: dict[str, Any] = {"rfilename": name}
            if blobs:
                size = f.listed_size if f.listed_size is not None else len(f.content)
                item.update({"size": size, "blobId": f.blob_id})
                if is_lfs(name):
                    item["lfs"] = {"size": size, "sha256": f.sha256, "pointerSize": 134}
            siblings.append(item)
        info = {
            "id": repo.repo_id,
            "modelId": repo.repo_id,
            "sha": commit.sha,
            "private": False,
            "gated": False,
            "disabled": False,
            "pipeline_tag": repo.pipeline_tag,
            "tags": [],
            "siblings": siblings,
            "config": repo.config,
        }
        return self._json(info, head=head)

    def _tree(self, repo: HubRepo, revision: str, folder: str, query: dict[str, list[str]], head: bool) -> None:
        """``list_repo_tree``: the files and folders under ``folder`` (404 ``EntryNotFound`` when none)."""
        commit = repo.commit(revision)
        if commit is None:
            return self._error(404, "Revision not found", "RevisionNotFound", head)
        recursive = query.get("recursive", ["false"])[0].lower() == "true"
        prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
        entries: dict[str, dict[str, Any]] = {}
        for name, f in sorted(commit.files.items()):
            if not name.startswith(prefix):
                continue
            parts = name[len(prefix) :].split("/")
            for depth in range(1, len(parts) if recursive else min(2, len(parts))):
                folder_path = prefix + "/".join(parts[:depth])
                entries.setdefault(folder_path, {"type": "directory", "oid": HubRepo.fake_sha(folder_path), "size": 0})
            if recursive or len(parts) == 1:
                size = f.listed_size if f.listed_size is not None else len(f.content)
                entry: dict[str, Any] = {"type": "file", "oid": f.blob_id, "size": size}
                if is_lfs(name):
                    entry["lfs"] = {"oid": f.sha256, "size": size, "pointerSize": 134}
                entries[name] = entry
        if prefix and not entries:
            return self._error(404, f"{folder} does not exist at {revision}", "EntryNotFound", head)
        return self._json([{**e, "path": path} for path, e in sorted(entries.items())], head=head)

    def _discussions(self, repo: HubRepo, query: dict[str, list[str]], head: bool) -> None:
        want_author = query.get("author", [""])[0]
        want_status = query.get("status", [""])[0]
        items = [
            {
                "num": p["num"],
                "title": p["title"],
                "status": p["status"],
                "isPullRequest": True,
                "author": {"name": p["author"]},
                "createdAt": "2023-03-17T00:00:00.000Z",
                "repo": {"name": repo.repo_id, "type": repo.repo_type},
            }
            for p in repo.pulls
            if (not want_author or p["author"] == want_author) and (not want_status or p["status"] == want_status)
        ]
        return self._json({"discussions": items, "count": len(items), "start": 0, "numClosedDiscussions": 0}, head=head)

    def _resolve(self, seg: list[str], fault: Fault | None, head: bool) -> None:
        repo_type = "model"
        if seg[:1] == ["spaces"]:
            repo_type, seg = "space", seg[1:]
        if len(seg) < 5 or seg[2] != "resolve":
            return self._error(404, "Not found", head=head)
        repo = self._repo(repo_type, seg[0], seg[1])
        if repo is None:
            return self._error(404, "Repository not found", "RepoNotFound", head)
        if repo.gated:
            return self._error(401, "Access to this repo is restricted", "GatedRepo", head)
        commit = repo.commit(unquote(seg[3]))
        if commit is None:
            return self._error(404, "Revision not found", "RevisionNotFound", head)
        name = unquote("/".join(seg[4:]))
        file = commit.files.get(name)
        if file is None:
            return self._error(404, "Entry not found", "EntryNotFound", head)
        body = file.content
        if fault is not None and fault.kind == "corrupt":
            body = bytes(b ^ 0xFF for b in body)
        etag = file.sha256 if is_lfs(name) else file.blob_id
        headers = {
            "X-Repo-Commit": commit.sha,
            "ETag": f'"{etag}"',
            "Accept-Ranges": "bytes",
            "Content-Type": "application/octet-stream",
        }
        start = 0
        ranged = self.headers.get("Range", "")
        status = 200
        if ranged.startswith("bytes=") and not head:
            start = int(ranged[6:].split("-")[0] or 0)
            status = 206
            headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
        chunk = body[start:]
        headers["Content-Length"] = str(len(chunk))
        if head:
            return self._send(status, b"", headers, head=True)
        if fault is not None and fault.kind == "slow":
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            pieces = 20
            step = max(1, -(-len(chunk) // pieces))
            for i in range(0, len(chunk), step):
                self.wfile.write(chunk[i : i + step])
                self.wfile.flush()
                time.sleep(fault.seconds / pieces)
            return None
        if fault is not None and fault.kind == "drop":
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(chunk[: len(chunk) // 2])
            self.wfile.flush()
            self.close_connection = True
            return None
        return self._send(status, chunk, headers)
