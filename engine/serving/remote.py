"""Remote inference: the pages' models answered by a Ray Serve app (``VISION_INFERENCE=http://...``).

When ``VISION_INFERENCE`` is set, ``ui.models.get_model`` returns a :class:`RemoteModel` (nothing
is loaded in the Streamlit process) and each task's run function, given one, sends its inputs
here: ``{op, images (PNG), arrays, params}`` as JSON to ``<address>/v1/<model id>``. The Serve app
(:mod:`engine.serving.serve_app`) runs the very same ``load_*`` and run functions and answers
with the result's lossless wire form (``to_wire()``), which the task rebuilds (``from_wire()``).
This module is only the transport: it knows no task, so the tasks can import it.

Failures become :class:`~engine.errors.ServeError` codes the catalogs translate: nothing answers
(``serve_unreachable``), a replica died or the proxy failed twice (``serve_failed``; one retry
first, since Ray restarts a dead replica and routes the retry to a live one), the app does not
serve that model (``serve_no_model``). Engine errors raised on the replica (a bad ``top_k``...)
come back with their own class, code and parameters.

Example:
    >>> encode_array(np.eye(2, dtype=np.float32))["shape"]
    [2, 2]
    >>> decode_array(encode_array(np.eye(2, dtype=np.float32))).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    >>> model = connect("efficientnet-lite0", "http://127.0.0.1:8000")  # doctest: +SKIP
    >>> model.where, model.task  # doctest: +SKIP
    ('serve', 'image-classification')
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import numpy as np
from PIL import Image

from engine import errors, settings
from engine.errors import EngineError, ServeError
from engine.inputs.images import to_png
from engine.models.provenance import UNKNOWN, Footprint

API = "/v1"  # <address>/v1/<model id>: one Serve application (one deployment) per model
# The tasks the Serve app runs (depth and any newer task stay local until they get a wire form).
TASKS = frozenset(
    {
        "image-classification",
        "sketch-recognition",
        "object-detection",
        "image-segmentation",
        "zero-shot-image-classification",
    }
)
READ_TIMEOUT_S = 120.0  # one inference (a zip's batch of 8 on a busy replica) answers well within this
RETRY_PAUSE_S = 0.5  # Serve needs a moment to mark a dead replica and route to another
ENGINE_CLASSES = {
    c.__name__: c
    for c in (
        errors.EngineError,
        errors.InvalidImage,
        errors.InvalidInput,
        errors.ModelUnavailable,
        errors.ModelLoadError,
        errors.UnknownModel,
        errors.ServeError,
    )
}


class _Retryable(Exception):
    """A failure a second try may not see: a reset connection, a replica that died, a 5xx of the proxy."""


@dataclass(frozen=True)
class Counts:
    """Counters a replica reported (CLIP's embedding statistics), subtractable like ``EmbeddingStats``.

    Example:
        >>> (Counts({"image_passes": 3}) - Counts({"image_passes": 1})).image_passes
        2
    """

    values: Mapping[str, int] = field(default_factory=dict)

    def __sub__(self, other: Counts) -> Counts:
        keys = set(self.values) | set(other.values)
        return Counts({k: self.values.get(k, 0) - other.values.get(k, 0) for k in keys})

    def __getattr__(self, name: str) -> int:
        if name.startswith("_") or name == "values":
            raise AttributeError(name)
        return int(self.values.get(name, 0))


@dataclass(frozen=True, eq=False)
class RemoteModel:
    """A model served by a Ray Serve app: what pages read from a loaded wrapper (``model_id``,
    ``where``, ``origin``, ``labels``, ``stand_in``...), filled from the app's description of its
    replica. ``model`` is None: nothing is held here (the model cache measures 0 MB).
    """

    model_id: str
    task: str
    url: str  # <address>/v1/<model id>
    origin: str = ""
    labels: tuple[str, ...] = ()
    kind: str = ""  # segmentation: semantic / instance
    library: str = ""  # detection: transformers / ultralytics
    footprint: Footprint = UNKNOWN  # what the replica loaded (engine.models.provenance)
    applied: tuple[str, ...] = ()
    replica_where: str = ""  # where the replica found the weights (local / embedded / cache / hub)
    where: str = "serve"
    model: Any = None
    _counts: dict[str, int] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def stand_in(self) -> bool:
        return self.footprint.stand_in

    def stats(self) -> Counts:
        """What the replicas reported so far (CLIP: embeddings computed and reused)."""
        with self._lock:
            return Counts(dict(self._counts))

    def add_counts(self, delta: Mapping[str, int]) -> None:
        with self._lock:
            for k, v in delta.items():
                self._counts[k] = self._counts.get(k, 0) + int(v)


_CONNECTED: dict[tuple[str, str], RemoteModel] = {}
_CONNECTED_LOCK = threading.Lock()


def model_url(base: str, model_id: str) -> str:
    """The address of one model's deployment.

    Example:
        >>> model_url("http://127.0.0.1:8000", "ultralytics/yolov8n")
        'http://127.0.0.1:8000/v1/ultralytics/yolov8n'
    """
    return f"{base}{API}/{quote(model_id, safe='/-_.')}"


def check_address(base: str) -> str:
    """``base`` if it is an ``http(s)://host:port`` address, else a ``serve_bad_address`` error.

    Example:
        >>> check_address("ray://head:10001")
        Traceback (most recent call last):
        ...
        engine.errors.ServeError: VISION_INFERENCE must be the http(s):// address of the Serve app; got 'ray://head:10001'.
    """
    parts = urlsplit(base)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ServeError(
            f"VISION_INFERENCE must be the http(s):// address of the Serve app; got {base!r}.",
            code="serve_bad_address",
            url=base,
        )
    return base


def connect(model_id: str, task: str, base: str | None = None) -> RemoteModel:
    """The :class:`RemoteModel` of ``model_id`` on the Serve app at ``base`` (``VISION_INFERENCE`` by
    default): one request for its description, then kept for this process."""
    base = check_address(base or settings.inference_url() or "")
    with _CONNECTED_LOCK:
        known = _CONNECTED.get((base, model_id))
    if known is not None:
        return known
    url = model_url(base, model_id)
    info = _request("GET", url, None, model_id)
    if info.get("model_id") != model_id:  # a route that matched a longer id's prefix
        raise _no_model(model_id, url)
    model = RemoteModel(
        model_id=model_id,
        task=task,
        url=url,
        origin=str(info.get("origin", "")),
        labels=tuple(info.get("labels", ())),
        kind=str(info.get("kind", "")),
        library=str(info.get("library", "")),
        footprint=Footprint.from_dict(info.get("footprint")),
        applied=tuple(info.get("applied", ())),
        replica_where=str(info.get("where", "")),
    )
    with _CONNECTED_LOCK:
        return _CONNECTED.setdefault((base, model_id), model)


Served = Literal["served", "stand_in", "not_served", "down"]
_SERVED: dict[tuple[str, str], tuple[float, Served]] = {}
SERVED_TTL_S = 30.0  # a deployment added to the Serve app shows in the pickers within this


def served(model_id: str, task: str, base: str | None = None) -> Served:
    """Whether the Serve app serves ``model_id``, for the model pickers' tags: ``"served"``,
    ``"stand_in"`` (served, but its replica loaded a test stand-in), ``"not_served"`` or ``"down"``.

    The app's address is probed once (a cached TCP probe), so a page whose Serve app is down waits
    seconds once, not once per model; answers are kept :data:`SERVED_TTL_S` seconds.

    Example:
        >>> served("ultralytics/yolov8n", "object-detection", "http://127.0.0.1:9")
        'down'
    """
    base = check_address(base or settings.inference_url() or "")
    now = time.monotonic()
    with _CONNECTED_LOCK:
        hit = _SERVED.get((base, model_id))
    if hit and now - hit[0] < SERVED_TTL_S:
        return hit[1]
    answer: Served
    if not _listening(base):
        answer = "down"
    else:
        try:
            answer = "stand_in" if connect(model_id, task, base).stand_in else "served"
        except ServeError as exc:
            answer = "not_served" if exc.code == "serve_no_model" else "down"
    with _CONNECTED_LOCK:
        _SERVED[(base, model_id)] = (time.monotonic(), answer)
    return answer


def _listening(base: str) -> bool:
    """Whether the Serve app's address takes a TCP connection (the probe's answer is kept
    :data:`SERVED_TTL_S` seconds)."""
    from engine.models.resolve import reachable

    parts = urlsplit(base)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return reachable((parts.hostname or "", port), ttl=SERVED_TTL_S, hub=False)


def forget() -> None:
    """Drop the kept descriptions (a test that restarts the Serve app)."""
    with _CONNECTED_LOCK:
        _CONNECTED.clear()
        _SERVED.clear()


def call(
    model: RemoteModel,
    op: str,
    *,
    images: Sequence[Image.Image] = (),
    arrays: Sequence[np.ndarray] = (),
    params: Mapping[str, Any] | None = None,
) -> Any:
    """Run ``op`` of ``model``'s task on the Serve app; its ``result`` (the task rebuilds its type)."""
    return send(model, op, images=images, arrays=arrays, params=params).get("result")


def send(
    model: RemoteModel,
    op: str,
    *,
    images: Sequence[Image.Image] = (),
    arrays: Sequence[np.ndarray] = (),
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """:func:`call`'s whole reply: ``result``, ``replica`` (which replica answered), ``ms``.

    Images travel as PNG (lossless: the replica sees the very pixels), arrays as raw bytes.
    """
    body = {
        "model_id": model.model_id,
        "op": op,
        "images": [base64.b64encode(to_png(img, compress_level=1)).decode("ascii") for img in images],
        "arrays": [encode_array(a) for a in arrays],
        "params": dict(params or {}),
    }
    reply = _request("POST", model.url, json.dumps(body).encode(), model.model_id)
    if reply.get("counts"):
        model.add_counts(reply["counts"])
    return reply


def encode_array(arr: np.ndarray) -> dict[str, Any]:
    """A NumPy array as JSON: dtype, shape and its bytes in base64 (exact, unlike a list of decimals)."""
    arr = np.ascontiguousarray(arr)
    return {"dtype": arr.dtype.str, "shape": list(arr.shape), "data": base64.b64encode(arr.tobytes()).decode("ascii")}


def decode_array(doc: Mapping[str, Any]) -> np.ndarray:
    """The array :func:`encode_array` wrote (a copy, writeable)."""
    raw = base64.b64decode(doc["data"])
    return np.frombuffer(raw, dtype=np.dtype(doc["dtype"])).reshape(doc["shape"]).copy()


def _no_model(model_id: str, url: str) -> ServeError:
    return ServeError(
        f"The Serve app does not serve {model_id} ({url}).", code="serve_no_model", model_id=model_id, url=url
    )


def _request(method: str, url: str, body: bytes | None, model_id: str) -> dict[str, Any]:
    """One request with one retry on a failure a retry can fix; the reply's JSON."""
    last = ""
    for attempt in range(2):
        try:
            return _once(method, url, body, model_id)
        except _Retryable as exc:
            last = str(exc)
            if attempt == 0:
                time.sleep(RETRY_PAUSE_S)
        except (ConnectionRefusedError, socket.gaierror, TimeoutError) as exc:
            # Nothing listens (or the host is unknown): say so at once, no retry would help.
            raise ServeError(
                f"The Serve app at {url} cannot be reached: {type(exc).__name__}.",
                code="serve_unreachable",
                url=url,
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
    raise ServeError(
        f"The Serve app failed twice on {model_id}: {last}.", code="serve_failed", model_id=model_id, detail=last
    )


def _once(method: str, url: str, body: bytes | None, model_id: str) -> dict[str, Any]:
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname, parts.port, timeout=settings.net_timeout_s())
    try:
        conn.connect()  # bounded by the probe's timeout: a dead address fails in seconds
        conn.sock.settimeout(READ_TIMEOUT_S)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            conn.request(method, parts.path, body=body, headers=headers)
            response = conn.getresponse()
            status, raw = response.status, response.read()
        except TimeoutError as exc:
            raise ServeError(
                f"The Serve app did not answer on {model_id} within {READ_TIMEOUT_S:.0f} s.",
                code="serve_failed",
                model_id=model_id,
                detail=f"no answer in {READ_TIMEOUT_S:.0f} s",
            ) from exc
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise _Retryable(f"{type(exc).__name__}: {exc}") from exc
    finally:
        conn.close()
    try:
        doc = json.loads(raw)
    except ValueError:
        doc = None
    if status == 200 and isinstance(doc, dict):
        return doc
    if isinstance(doc, dict) and isinstance(doc.get("error"), dict):
        raise _engine_error(doc["error"])  # raised on the replica on purpose: no retry
    if status == 404:
        raise _no_model(model_id, url)
    # Ray's own answer (a replica died mid-request, none is ready yet, the proxy is overloaded).
    raise _Retryable(f"HTTP {status}: {raw[:200].decode('utf-8', 'replace')}")


def _engine_error(doc: Mapping[str, Any]) -> EngineError:
    """The replica's engine error, rebuilt with its class, code and parameters."""
    cls = ENGINE_CLASSES.get(str(doc.get("class")), EngineError)
    params = dict(doc.get("params") or {})
    params.pop("code", None)
    return cls(str(doc.get("message", "")), code=str(doc.get("code") or cls.default_code), **params)
