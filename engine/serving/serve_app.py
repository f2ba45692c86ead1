"""The Ray Serve side of remote inference: one Serve application (one deployment) per model.

Each replica loads its model with the task's own ``load_*`` (same resolve, same speed-ups) and
runs the task's own run functions; it answers :mod:`engine.serving.remote`'s requests with the
results' ``to_wire()`` form. Ray scales each model apart: ``num_replicas``, or autoscaling between
a minimum and a maximum, and the CPUs (``num_cpus``) each replica reserves, which are also its
torch threads. Any number of Streamlit front ends (``VISION_INFERENCE=http://<head>:8000``) share it.

One command starts a local Ray head on 127.0.0.1 and the app (``make serve``)::

    python -m engine.serving.serve_app --replicas 2 --port 8000

``--address auto`` joins an existing cluster instead (a KubeRay ``RayCluster``; see the README).

Example:
    >>> server = ModelServer("efficientnet-lite0")  # doctest: +SKIP
    >>> server.describe()["task"]  # doctest: +SKIP
    'image-classification'
    >>> slug("ultralytics/yolov8n")
    'ultralytics--yolov8n'
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import importlib
import ipaddress
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from engine.errors import EngineError, InvalidInput
from engine.models import registry
from engine.models.provenance import Footprint
from engine.serving.remote import API, TASKS, decode_array, encode_array
from engine.tasks import LOADERS

ROOT = Path(__file__).resolve().parents[2]
MAX_BODY_BYTES = 256 * 1024 * 1024  # a zip batch of 8 photos as PNG, base64: far below
START_ATTEMPTS = 2  # a Ray head that timed out starting on a busy machine gets one more try


def slug(model_id: str) -> str:
    """A Serve application name for a model id (no ``/``)."""
    return model_id.replace("/", "--")


def _images(doc: dict[str, Any]) -> list[Any]:
    from engine.inputs.images import load_image

    # Decoded with the engine's limits: a request is data from the network like an upload.
    return [load_image(base64.b64decode(b)) for b in doc.get("images", [])]


def _classify(model: Any, doc: dict[str, Any]) -> Any:
    from engine.tasks.classification import classify

    return classify(model, _images(doc)[0], int(doc["params"]["top_k"])).to_wire()


def _detect_batch(model: Any, doc: dict[str, Any]) -> Any:
    from engine.tasks.detection import detect_batch

    p = doc["params"]
    found = detect_batch(
        model,
        _images(doc),
        threshold=float(p["threshold"]),
        iou=float(p["iou"]),
        classes=p.get("classes"),
        max_detections=int(p["max_detections"]),
        batch_size=int(p.get("batch_size", 8)),
    )
    return [d.to_wire() for d in found]


def _segment(model: Any, doc: dict[str, Any]) -> Any:
    from engine.tasks.segmentation import segment

    return segment(model, _images(doc)[0]).to_wire()


def _clip(op: str) -> Callable[[Any, dict[str, Any]], Any]:
    def run(model: Any, doc: dict[str, Any]) -> Any:
        from engine.tasks import clip

        texts = [str(t) for t in doc["params"]["texts"]]
        if op == "truncated":
            return clip.truncated(model, texts)
        matrix = getattr(clip, op)(model, _images(doc), texts)
        return encode_array(matrix)

    return run


def _predict_batch(model: Any, doc: dict[str, Any]) -> Any:
    from engine.tasks.sketch import predict_batch

    inputs = [decode_array(a) for a in doc.get("arrays", [])]
    return [c.to_wire() for c in predict_batch(model, inputs, int(doc["params"]["top_k"]))]


# What each task's replicas run: the op names remote.call sends.
OPS: dict[str, dict[str, Callable[[Any, dict[str, Any]], Any]]] = {
    "image-classification": {"classify": _classify},
    "object-detection": {"detect_batch": _detect_batch},
    "image-segmentation": {"segment": _segment},
    "zero-shot-image-classification": {op: _clip(op) for op in ("cosine_matrix", "probability_matrix", "truncated")},
    "sketch-recognition": {"predict_batch": _predict_batch},
}


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, (str, int, float, bool, type(None))) else str(v) for k, v in params.items()}


class ModelServer:
    """One replica: the model ``model_id`` loaded by its task's loader, answering requests.

    ``delay_s`` makes every inference wait first (the tests kill a replica during one);
    ``threads`` sets torch's threads (the CPUs Ray reserved for the replica; 0: the engine's choice).
    """

    def __init__(self, model_id: str, delay_s: float = 0.0, threads: int = 0) -> None:
        spec = registry.get(model_id)
        if spec.task not in TASKS:
            raise InvalidInput(f"{spec.task} is not served remotely.", code="wrong_task")
        if threads > 0:
            from engine.models.lazy import import_torch

            import_torch().set_num_threads(threads)
        module, function = LOADERS[spec.task]
        self.spec = spec
        self.model = getattr(importlib.import_module(module), function)(spec.id)
        self.delay_s = delay_s
        self.replica = _replica_id()

    def describe(self) -> dict[str, Any]:
        """What pages read from a loaded wrapper (``RemoteModel``'s fields), and who answered."""
        m = self.model
        return {
            "model_id": self.spec.id,
            "task": self.spec.task,
            "where": str(getattr(m, "where", "")),
            "origin": str(getattr(m, "origin", "")),
            "labels": [str(x) for x in getattr(m, "labels", ())],
            "kind": str(getattr(m, "kind", "")),
            "library": str(getattr(m, "library", "")),
            "stand_in": bool(getattr(m, "stand_in", False)),
            "footprint": m.footprint.as_dict() if isinstance(getattr(m, "footprint", None), Footprint) else None,
            "applied": [str(x) for x in getattr(m, "applied", ())],
            "replica": self.replica,
            "pid": os.getpid(),
        }

    def handle(self, method: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """``(HTTP status, reply)`` for one request: GET describes, POST runs an op."""
        if method == "GET":
            return 200, self.describe()
        start = time.perf_counter()
        try:
            if len(body) > MAX_BODY_BYTES:
                raise InvalidInput("The request is too large.", code="serve_bad_request")
            try:
                doc = json.loads(body)
                op = OPS[self.spec.task][doc["op"]]
            except (ValueError, KeyError, TypeError) as exc:
                raise InvalidInput(f"Not a request this app understands: {exc}.", code="serve_bad_request") from exc
            if doc.get("model_id") != self.spec.id:
                return 404, {"detail": f"this deployment serves {self.spec.id}"}
            if self.delay_s:
                time.sleep(self.delay_s)
            before = self.model.stats() if hasattr(self.model, "stats") else None
            result = op(self.model, doc)
            counts = _counts(before, self.model.stats()) if before is not None else {}
        except EngineError as exc:
            error = {
                "class": type(exc).__name__,
                "code": exc.code,
                "message": str(exc),
                "params": _jsonable(exc.params),
            }
            return 422, {"error": error, "replica": self.replica}
        ms = (time.perf_counter() - start) * 1000
        return 200, {"result": result, "counts": counts, "replica": self.replica, "ms": ms}

    async def __call__(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        body = await request.body()
        # The inference runs in a thread: the replica's event loop keeps answering Ray's health checks.
        status, reply = await asyncio.to_thread(self.handle, request.method, body)
        return JSONResponse(reply, status_code=status)


def _counts(before: Any, after: Any) -> dict[str, int]:
    delta = after - before
    return {k: int(v) for k, v in asdict(delta).items()} if is_dataclass(delta) else {}


def _replica_id() -> str:
    from ray import serve
    from ray.serve.exceptions import RayServeException

    try:
        return str(serve.get_replica_context().replica_id.unique_id)
    except RayServeException:  # outside a replica (a test of handle()): the process is the replica
        return f"pid-{os.getpid()}"


def applications(
    model_ids: Sequence[str],
    *,
    replicas: int = 1,
    autoscale: tuple[int, int] | None = None,
    num_cpus: float = 1.0,
    prefix: str = API,
    delay_s: float = 0.0,
    name_prefix: str = "",
) -> list[Any]:
    """One Serve application (a ``RunTarget``) per model, routed at ``<prefix>/<model id>``.

    ``autoscale=(min, max)`` lets Ray add replicas while requests wait (about one ongoing request
    per replica) instead of a fixed ``replicas``. Each replica reserves ``num_cpus`` (fractions
    share a core) and runs torch on that many threads (at least one).
    """
    from ray import serve
    from ray.serve.api import RunTarget

    threads = max(1, int(num_cpus))
    # The replicas import this package: on a local cluster from this checkout (a real cluster's
    # image has it installed, and PYTHONPATH is left as the image sets it).
    env = {"PYTHONPATH": str(ROOT)} if (ROOT / "engine").is_dir() else {}
    targets = []
    for model_id in model_ids:
        spec = registry.get(model_id)
        scaling: dict[str, Any] = {"num_replicas": replicas}
        if autoscale is not None:
            low, high = autoscale
            scaling = {"autoscaling_config": {"min_replicas": low, "max_replicas": high, "target_ongoing_requests": 1}}
        deployment = serve.deployment(
            ModelServer,
            name=slug(spec.id),
            ray_actor_options={"num_cpus": num_cpus, "runtime_env": {"env_vars": env}},
            # One inference at a time per replica: Ray queues the rest and routes each to a free one.
            max_ongoing_requests=1,
            **scaling,
        )
        app = deployment.bind(spec.id, delay_s, threads)
        targets.append(RunTarget(app, name=name_prefix + slug(spec.id), route_prefix=f"{prefix}/{spec.id}"))
    return targets


def build(args: dict[str, Any]) -> Any:
    """An application builder for Serve's config files (``serve run``, ``serve deploy``, KubeRay's
    ``RayService``): ``import_path: engine.serving.serve_app:build`` with ``args: {model_id: ...}``
    (and optionally ``replicas``, ``num_cpus``) gives that model's application; the config's own
    ``deployments:`` entry can then override replicas, autoscaling and resources.
    """
    [target] = applications(
        [str(args["model_id"])], replicas=int(args.get("replicas", 1)), num_cpus=float(args.get("num_cpus", 1.0))
    )
    return target.target


def deploy(targets: Sequence[Any]) -> dict[str, str]:
    """Run :func:`applications`' targets on the running Serve instance, all at once (the replicas of
    every model load side by side); returns ``{application name: route}`` when every replica is up."""
    from ray import serve

    serve.run_many(list(targets))
    return {t.name: t.route_prefix for t in targets}


def default_models() -> list[str]:
    """Each task's default model that can be had here (no download needed)."""
    from engine.models.resolve import availability

    out = []
    for task in sorted(TASKS):
        spec = registry.default_for(task)
        if availability(spec) in {"local", "embedded", "cache"}:
            out.append(spec.id)
    return out


def start_local(port: int, *, num_cpus: int | None = None, temp_dir: str | None = None) -> None:
    """A Ray head on this machine, on 127.0.0.1 only, and Serve's HTTP proxy on ``port``."""
    import ray
    from ray import serve

    # No usage report to Anyscale from a classroom machine (it would only time out offline).
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    for attempt in range(START_ATTEMPTS):
        try:
            ray.init(
                num_cpus=num_cpus,
                include_dashboard=False,
                _node_ip_address="127.0.0.1",
                _temp_dir=temp_dir,
                log_to_driver=False,
            )
            break
        # Ray raises a bare Exception when its head is slow to come up (a saturated machine).
        except Exception as exc:
            ray.shutdown()
            if attempt == START_ATTEMPTS - 1 or "timed out during startup" not in str(exc):
                raise
    serve.start(http_options={"host": "127.0.0.1", "port": port})


class LocalServe:
    """``python -m engine.serving.serve_app`` in a subprocess (a local Ray head on 127.0.0.1 and the
    app), for the load benchmark: :meth:`start` returns its address once every replica is up.

    Example:
        >>> with LocalServe(["efficientnet-lite0"], replicas=2) as address:  # doctest: +SKIP
        ...     print(address)
        http://127.0.0.1:...
    """

    def __init__(
        self, model_ids: Sequence[str], *, replicas: int = 1, num_cpus: float = 1.0, timeout_s: float = 900
    ) -> None:
        self.args = ["--models", *model_ids, "--replicas", str(replicas), "--num-cpus", str(num_cpus)]
        self.timeout_s = timeout_s
        self.proc: Any = None
        self._dir: Any = None
        self._log: Any = None

    def start(self) -> str:
        import socket
        import subprocess
        import tempfile

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self._dir = tempfile.TemporaryDirectory(prefix="serve-")
        ready = Path(self._dir.name) / "ready"
        self._log = log = open(Path(self._dir.name) / "serve.log", "wb")  # noqa: SIM115 - closed in stop()
        cmd = [
            sys.executable,
            "-m",
            "engine.serving.serve_app",
            *self.args,
            "--port",
            str(port),
            "--ready-file",
            str(ready),
        ]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.timeout_s
        while not ready.is_file():  # bounded: the replicas load their models first
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = Path(log.name).read_text(errors="replace")[-3000:]
                self.stop()
                raise RuntimeError(f"the Serve app did not start:\n{tail}")
            time.sleep(0.5)
        return ready.read_text()

    def stop(self) -> None:
        import subprocess

        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # serve.shutdown() and ray.shutdown() in main()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m engine.serving.serve_app``: a local Ray cluster and the app, until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m engine.serving.serve_app", description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="*", help="registry ids (default: each task's default that is here)")
    parser.add_argument("--replicas", type=int, default=1, help="replicas per model (default 1)")
    parser.add_argument("--autoscale", nargs=2, type=int, metavar=("MIN", "MAX"), help="autoscale between MIN and MAX")
    parser.add_argument("--num-cpus", type=float, default=1.0, help="CPUs each replica reserves (default 1)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1", help="the HTTP proxy's address (0.0.0.0 on a real cluster)")
    parser.add_argument("--address", help="join this Ray cluster (e.g. auto) instead of starting a local one")
    parser.add_argument("--ready-file", help="write the app's address here once every replica is up")
    args = parser.parse_args(argv)
    import ray
    from ray import serve

    if args.address:
        ray.init(address=args.address, log_to_driver=False)
        serve.start(http_options={"host": args.host, "port": args.port})
    else:
        start_local(args.port)
    models = args.models or default_models()
    autoscale = tuple(args.autoscale) if args.autoscale else None
    routes = deploy(applications(models, replicas=args.replicas, autoscale=autoscale, num_cpus=args.num_cpus))
    # A proxy listening on every interface is reached here on the loopback.
    host = "127.0.0.1" if ipaddress.ip_address(args.host).is_unspecified else args.host
    address = f"http://{host}:{args.port}"
    for name, route in routes.items():
        print(f"serving {name} at {address}{route}", flush=True)
    print(f"ready: VISION_INFERENCE={address} make run", flush=True)
    if args.ready_file:
        Path(args.ready_file).write_text(address)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    serve.shutdown()
    ray.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
