"""Issue 14, beyond one server: the pages' inference on a Ray Serve app (``VISION_INFERENCE``).

The transport (engine.serving.remote) is tested against small stub servers on 127.0.0.1; the
replica's code and every task's wire form through in-process ModelServers (the tiny SegFormer and
CLIP, the Quick Draw CNN from ../shared); then one local Ray cluster for the module (127.0.0.1,
2 CPUs, stopped at the end) serves the real EfficientNet-Lite0, YOLOv8n from ../shared and a
deliberately slow tiny ViT on two replicas, one of which is killed mid-request. Every remote
result is compared with the same function run locally.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from engine.errors import EngineError, InvalidInput, ServeError
from engine.inputs.samples import load_sample
from engine.serving import remote
from tests.apptest import open_page, texts
from tests.catalog import es, piece
from tests.conftest import IN_CI, SHARED_MODELS

LITE0 = "efficientnet-lite0"
SLOW = "google/vit-base-patch16-224"  # tiny random ViT, served with a delay on /slow
SEGFORMER = "nvidia/segformer-b0-finetuned-ade-512-512"
CLIP = "openai/clip-vit-base-patch32"
YOLO = "ultralytics/yolov8n"
QUICKDRAW = "nateraw/quickdraw"
SLOW_DELAY_S = 3.0
SHARED_HERE = {
    YOLO: (SHARED_MODELS / "ultralytics" / "yolov8n.pt").is_file(),
    QUICKDRAW: (SHARED_MODELS / "nateraw" / "quickdraw" / "pytorch_model.bin").is_file(),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def need_shared(model_id: str) -> None:
    """Skip a real-weights test when ../shared lacks the model (fail under CI, which has it)."""
    if SHARED_HERE[model_id]:
        return
    if IN_CI:
        pytest.fail(f"{model_id} is missing from {SHARED_MODELS}: CI must have ../shared")
    pytest.skip(f"{model_id} is not in {SHARED_MODELS}")


# --- the transport, against stub servers -------------------------------------------------------


class _Stub(http.server.ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 answering from a script: each request takes the next answer."""

    def __init__(self, answers: list[tuple[int, bytes] | None]) -> None:
        self.answers = answers
        self.hits = 0
        super().__init__(("127.0.0.1", 0), _StubHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _StubHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _answer(self) -> None:
        server: _Stub = self.server  # type: ignore[assignment]
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        answer = server.answers[min(server.hits, len(server.answers) - 1)]
        server.hits += 1
        if answer is None:  # a replica dying mid-request: the connection closes without an answer
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, body = answer
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer


@pytest.fixture
def stub() -> Iterator[callable]:
    servers: list[_Stub] = []

    def start(answers: list[tuple[int, bytes] | None]) -> _Stub:
        server = _Stub(answers)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _stub_model(url: str) -> remote.RemoteModel:
    return remote.RemoteModel(LITE0, "image-classification", remote.model_url(url, LITE0))


OK = (200, json.dumps({"result": {"labels": ["cat"], "scores": [0.5]}, "replica": "r1"}).encode())


def test_a_reset_connection_is_retried_once_and_then_succeeds(stub) -> None:
    from engine.tasks.classification import classify

    server = stub([None, OK])
    result = classify(_stub_model(server.url), load_sample("cat"), top_k=1)
    assert (result.labels, result.scores, server.hits) == (("cat",), (0.5,), 2)


def test_a_replica_failing_twice_is_serve_failed(stub) -> None:
    server = stub([(500, b"Internal Server Error")])
    with pytest.raises(ServeError) as info:
        remote.call(_stub_model(server.url), "classify", images=[load_sample("cat")], params={"top_k": 1})
    assert (info.value.code, info.value.params["model_id"], server.hits) == ("serve_failed", LITE0, 2)


def test_an_engine_error_on_the_replica_comes_back_as_itself_without_retry(stub) -> None:
    error = {"class": "InvalidInput", "code": "bad_top_k", "message": "top_k must be ...", "params": {"k": 0}}
    server = stub([(422, json.dumps({"error": error}).encode())])
    with pytest.raises(InvalidInput) as info:
        remote.call(_stub_model(server.url), "classify", images=[load_sample("cat")], params={"top_k": 0})
    assert (info.value.code, info.value.params, server.hits) == ("bad_top_k", {"k": 0}, 1)


def test_nothing_listening_is_serve_unreachable() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ServeError) as info:
        remote.connect(LITE0, "image-classification", url)
    assert info.value.code == "serve_unreachable" and info.value.params["url"].startswith(url)


def test_a_ray_address_is_refused_with_a_message() -> None:
    with pytest.raises(ServeError) as info:
        remote.connect(LITE0, "image-classification", "ray://127.0.0.1:10001")
    assert info.value.code == "serve_bad_address"


def test_a_replica_refuses_requests_it_does_not_understand() -> None:
    from engine.serving.serve_app import ModelServer

    server = ModelServer(SLOW)
    assert server.describe()["model_id"] == SLOW and len(server.describe()["labels"]) > 1
    status, reply = server.handle("POST", b"not json")
    assert (status, reply["error"]["code"]) == (422, "serve_bad_request")
    status, reply = server.handle("POST", json.dumps({"model_id": SLOW, "op": "segment"}).encode())
    assert (status, reply["error"]["code"]) == (422, "serve_bad_request")
    status, reply = server.handle("POST", json.dumps({"model_id": LITE0, "op": "classify", "params": {}}).encode())
    assert status == 404


def test_served_tells_the_pickers_what_the_serve_app_has(stub) -> None:
    remote.forget()
    describe = {"model_id": LITE0, "task": "image-classification", "labels": ["cat"]}
    up = stub([(200, json.dumps(describe).encode())])
    assert remote.served(LITE0, "image-classification", up.url) == "served"
    fake = stub([(200, json.dumps(describe | {"footprint": {"params_m": 0.02, "stand_in": True}}).encode())])
    assert remote.served(LITE0, "image-classification", fake.url) == "stand_in"
    missing = stub([(404, b"{}")])
    assert remote.served(LITE0, "image-classification", missing.url) == "not_served"
    down = f"http://127.0.0.1:{free_port()}"
    assert remote.served(LITE0, "image-classification", down) == "down"
    hits = up.hits
    assert remote.served(LITE0, "image-classification", up.url) == "served" and up.hits == hits  # kept a while
    remote.forget()


def test_a_page_with_the_serve_app_down_says_so_and_home_still_opens(monkeypatch) -> None:
    monkeypatch.setenv("VISION_INFERENCE", f"http://127.0.0.1:{free_port()}")
    remote.forget()
    at = open_page("pages/classification.py")  # fails on any exception the page raised
    errors = " ".join(e.value for e in at.error)
    assert piece("errors.serve_unreachable") in errors, errors
    assert not at.metric
    home = open_page()
    assert home.table and not home.error


@pytest.fixture
def loopback(monkeypatch):
    """Requests go straight to in-process ModelServers (the replica's code and the wire form, no
    Ray): ``loopback(model_id, task)`` gives the RemoteModel."""
    from engine.serving.serve_app import ModelServer

    servers: dict[str, ModelServer] = {}

    def once(method: str, url: str, body: bytes | None, model_id: str) -> dict:
        status, reply = servers[model_id].handle(method, body or b"")
        if status != 200:
            raise remote._engine_error(reply["error"])
        return reply

    monkeypatch.setattr(remote, "_once", once)

    def connect(model_id: str, task: str) -> remote.RemoteModel:
        servers[model_id] = ModelServer(model_id)
        return remote.connect(model_id, task, "http://127.0.0.1:9")

    yield connect
    remote.forget()


def test_the_sketch_model_is_the_same_through_a_replica_as_local(loopback) -> None:
    need_shared(QUICKDRAW)
    from engine.tasks.sketch import load_sketch_model, predict_batch, rasterize

    model = loopback(QUICKDRAW, "sketch-recognition")
    local = load_sketch_model()
    assert model.labels == local.labels and len(model.labels) == 100
    square = np.array([[10.0, 10.0], [110.0, 10.0], [110.0, 110.0], [10.0, 110.0], [10.0, 10.0]])
    inputs = [rasterize([square]), rasterize([square[:3]])]
    for a, b in zip(predict_batch(model, inputs, 5), predict_batch(local, inputs, 5), strict=True):
        assert a.labels == b.labels and np.allclose(a.scores, b.scores, atol=1e-6)
    with pytest.raises(InvalidInput) as info:  # checked here, as local inference checks it
        predict_batch(model, inputs, 0)
    assert info.value.code == "bad_top_k"


def test_segmentation_is_the_same_through_a_replica_as_local(loopback) -> None:
    from engine.tasks.segmentation import load_segmenter, segment

    model = loopback(SEGFORMER, "image-segmentation")
    local = load_segmenter(SEGFORMER)
    assert (model.stand_in, model.labels) == (local.stand_in, local.labels)
    assert model.stand_in and model.footprint == local.footprint  # what the replica loaded, flagged the same
    image = load_sample("astronaut")
    here, there = segment(local, image), segment(model, image)
    assert (there.kind, there.size, there.model_labels) == (here.kind, here.size, here.model_labels)
    assert [s.label for s in there.segments] == [s.label for s in here.segments]
    agree = np.mean([(a.mask == b.mask).mean() for a, b in zip(there.segments, here.segments, strict=True)])
    assert agree > 0.999, agree


def test_zero_shot_is_the_same_through_a_replica_as_local(loopback) -> None:
    from engine.tasks.clip import load_clip, probability_matrix, similarities, truncated, zero_shot

    model = loopback(CLIP, "zero-shot-image-classification")
    local = load_clip(CLIP)
    labels, image = ["cat", "dog", "car"], load_sample("cat")
    here, there = zero_shot(local, image, labels), zero_shot(model, image, labels)
    assert there.labels == here.labels and np.allclose(there.scores, here.scores, atol=1e-5)
    assert np.allclose(similarities(model, image, labels).scores, similarities(local, image, labels).scores, atol=1e-5)
    long = ["a " * 100 + "cat", "a dog"]
    assert truncated(model, long) == truncated(local, long) == [0]
    before = model.stats()
    images = [load_sample("cat"), load_sample("coffee")]
    matrix = probability_matrix(model, images, ["a photo of a cat", "a photo of a cup"])
    assert np.allclose(matrix, probability_matrix(local, images, ["a photo of a cat", "a photo of a cup"]), atol=1e-5)
    done = model.stats() - before  # what the workshop page shows: counted on the replica
    assert done.image_passes + done.image_hits >= 1 and done.texts_encoded + done.text_hits == 2


# --- a local Ray cluster ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[str]:
    """A Ray head on 127.0.0.1 with the Serve app; its address. Stopped after the module."""
    import ray
    from ray import serve

    from engine.serving.serve_app import applications, deploy, start_local

    port = free_port()
    start_local(port, num_cpus=2, temp_dir=str(tmp_path_factory.mktemp("ray")))
    try:
        shared = [YOLO] if SHARED_HERE[YOLO] else []
        # At most 1 of the 2 CPUs reserved: every replica fits (a replica that does not fit would wait forever).
        deploy(
            applications([LITE0, *shared], num_cpus=0.25)
            + applications(
                [SLOW], replicas=2, num_cpus=0.25, prefix="/slow/v1", delay_s=SLOW_DELAY_S, name_prefix="slow-"
            )
        )
        remote.forget()
        yield f"http://127.0.0.1:{port}"
    finally:
        remote.forget()
        serve.shutdown()
        ray.shutdown()


@pytest.fixture(scope="module")
def local_lite0():
    from engine.tasks.classification import load_classifier

    return load_classifier(LITE0)


def test_real_lite0_gives_the_same_top5_remote_as_local(cluster, local_lite0) -> None:
    from engine.tasks.classification import classify

    model = remote.connect(LITE0, "image-classification", cluster)
    assert (model.where, model.replica_where, len(model.labels), model.model) == ("serve", "embedded", 1000, None)
    for sample in ("cat", "coffee"):
        here = classify(local_lite0, load_sample(sample), top_k=5)
        there = classify(model, load_sample(sample), top_k=5)
        assert there.labels == here.labels
        assert np.allclose(there.scores, here.scores, atol=1e-4), (there.scores, here.scores)


def test_two_replicas_share_the_load(cluster) -> None:
    model = remote.connect(SLOW, "image-classification", cluster + "/slow")
    image = load_sample("cat")

    def one(_: int) -> str:
        return remote.send(model, "classify", images=[image], params={"top_k": 1})["replica"]

    # Four at once on two replicas that take one request each at a time: Ray must use both.
    with ThreadPoolExecutor(4) as pool:
        replicas = list(pool.map(one, range(4)))
    assert len(set(replicas)) == 2, replicas


def test_detection_is_the_same_remote_as_local(cluster) -> None:
    need_shared(YOLO)
    from engine.tasks.detection import detect, detect_batch, load_detector

    model = remote.connect(YOLO, "object-detection", cluster)
    assert model.library == "ultralytics" and "person" in model.labels
    settings = dict(threshold=0.25, iou=0.6, classes=None, max_detections=50)
    local = load_detector(YOLO)
    here, there = detect(local, load_sample("coffee"), **settings), detect(model, load_sample("coffee"), **settings)
    assert len(here) > 0 and there.class_name == here.class_name
    assert np.allclose(there.xyxy, here.xyxy, atol=0.05) and np.allclose(there.confidence, here.confidence, atol=1e-4)
    images = [load_sample("coffee"), load_sample("astronaut"), load_sample("coffee")]  # a zip's batch
    for a, b in zip(detect_batch(model, images, **settings), detect_batch(local, images, **settings), strict=True):
        assert a.class_name == b.class_name and np.allclose(a.xyxy, b.xyxy, atol=0.05)


def test_the_classification_page_shows_the_same_top_label_through_serve(cluster, monkeypatch) -> None:
    monkeypatch.setenv("VISION_INFERENCE", cluster)
    at = open_page("pages/classification.py")
    assert at.metric[0].value == "tabby, tabby cat"  # what the page shows with local inference
    assert es("common.where_serve") in texts(at) and not at.error
    # the picker says what the Serve app has, not what this machine's models directory holds
    tags = {o.split(" · ")[0]: o.split(" · ", 1)[1] for o in at.selectbox(key="cls_model").options}
    assert tags[LITE0] == es("common.tag_serve_served")
    assert tags["google/vit-base-patch16-224"] == es("common.tag_serve_not_served"), tags


def test_killing_a_replica_mid_request_retries_or_says_so(cluster, monkeypatch) -> None:
    import ray

    from engine.tasks.classification import classify, load_classifier

    model = remote.connect(SLOW, "image-classification", cluster + "/slow")
    attempts: list[str] = []
    once = remote._once

    def counted(method: str, url: str, body: bytes | None, model_id: str) -> dict:
        attempts.append(method)
        return once(method, url, body, model_id)

    monkeypatch.setattr(remote, "_once", counted)
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["reply"] = remote.send(model, "classify", images=[load_sample("cat")], params={"top_k": 3})
        except EngineError as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(SLOW_DELAY_S / 3)  # the request is now inside a replica, which waits SLOW_DELAY_S first
    assert worker.is_alive()
    # Each replica takes one request at a time: a description now comes from the other, idle one.
    idle = remote._request("GET", model.url, None, SLOW)["replica"]
    [busy] = [
        a["name"]
        for a in ray.util.list_named_actors(all_namespaces=True)
        if a["name"].startswith("SERVE_REPLICA::slow-") and not a["name"].endswith("#" + idle)
    ]
    ray.kill(ray.get_actor(busy, namespace="serve"))
    worker.join(2 * remote.READ_TIMEOUT_S)  # bounded: a hung request fails here
    assert not worker.is_alive(), "the request hung after its replica was killed"
    if "error" in outcome:  # a clear message, in the catalogs
        assert isinstance(outcome["error"], ServeError) and outcome["error"].code == "serve_failed"
    else:  # retried on the live replica, with the right answer
        reply = outcome["reply"]
        assert (reply["replica"], attempts.count("POST")) == (idle, 2), (reply["replica"], attempts)
        local = classify(load_classifier(SLOW), load_sample("cat"), top_k=3)
        assert tuple(reply["result"]["labels"]) == local.labels


def test_with_the_serve_app_shut_down_inference_is_serve_unreachable(cluster) -> None:
    """Last in the module: it stops Serve (the fixture's teardown then only stops Ray)."""
    from ray import serve

    from engine.tasks.classification import classify

    model = remote.connect(LITE0, "image-classification", cluster)
    serve.shutdown()
    with pytest.raises(ServeError) as info:
        classify(model, load_sample("cat"), top_k=5)
    assert info.value.code == "serve_unreachable"
    remote.forget()
    with pytest.raises(ServeError) as info:
        remote.connect(LITE0, "image-classification", cluster)
    assert info.value.code == "serve_unreachable"


def test_the_serve_command_line_lists_its_options(capsys) -> None:
    from engine.serving.serve_app import main

    with pytest.raises(SystemExit) as info:
        main(["--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0 and all(f"--{o}" in out for o in ("replicas", "autoscale", "num-cpus", "address"))


def test_a_serve_config_file_builds_one_application_per_model() -> None:
    """KubeRay's RayService and ``serve run config.yaml`` name ``engine.serving.serve_app:build``."""
    from ray.serve import Application

    from engine.serving.serve_app import build

    app = build({"model_id": YOLO, "replicas": 3, "num_cpus": 2})
    deployment = app._bound_deployment
    assert isinstance(app, Application)
    assert (deployment.name, deployment.num_replicas, deployment.ray_actor_options["num_cpus"]) == (
        "ultralytics--yolov8n",
        3,
        2.0,
    )
    assert app._bound_deployment.func_or_class.__name__ == "ModelServer"
