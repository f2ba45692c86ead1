"""The download path against a Hub on this machine (``tests/hub``), with the real file layouts
of the registry's models: which files are chosen, that they load, and that nothing else is fetched."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from engine import settings
from engine.errors import ModelLoadError, ModelUnavailable
from engine.models import hub, registry, resolve
from tests.conftest import ROOT, TINY_DIR
from tests.hub import Commit, HubFile, HubRepo, layouts, real_repo

HF_MODELS = [m for m in registry.MODELS if m.source == "hf"]
NEVER = (".h5", ".msgpack", ".onnx", ".md", ".gitattributes", "open_clip_config.json")

# What each registry model loads, by its real layout at the pinned commit.
EXPECTED = {
    "google/vit-base-patch16-224": ("safetensors", ("model.safetensors",)),
    "microsoft/resnet-50": ("safetensors", ("model.safetensors",)),
    "facebook/deit-base-patch16-224": ("conversion", ("model.safetensors",)),
    "facebook/detr-resnet-50": ("safetensors", ("model.safetensors",)),
    "hustvl/yolos-small": ("safetensors", ("model.safetensors",)),
    "nvidia/segformer-b0-finetuned-ade-512-512": ("safetensors", ("model.safetensors",)),
    "openai/clip-vit-base-patch32": ("conversion", ("model.safetensors",)),
    "laion/CLIP-ViT-B-32-laion2B-s34B-b79K": ("safetensors", ("model.safetensors",)),
    "depth-anything/Depth-Anything-V2-Small-hf": ("safetensors", ("model.safetensors",)),
    "Intel/dpt-hybrid-midas": ("conversion", ("model.safetensors",)),
    "vinvino02/glpn-nyu": ("safetensors", ("model.safetensors",)),
}


def _serve(local_hub, model_id: str, **kw) -> HubRepo:
    return local_hub.add_repo(real_repo(model_id, TINY_DIR / model_id, **kw))


def _load(model_id: str):
    task = registry.get(model_id).task
    image = Image.new("RGB", (48, 40), (120, 60, 30))
    if task == "image-classification":
        from engine.tasks.classification import classify, load_classifier

        return classify(load_classifier(model_id), image, top_k=3)
    if task == "object-detection":
        from engine.tasks.detection import detect, load_detector

        return detect(load_detector(model_id), image, threshold=0.0)
    if task == "image-segmentation":
        from engine.tasks.segmentation import load_segmenter, segment

        return segment(load_segmenter(model_id), image)
    if task == "depth-estimation":
        from engine.tasks.depth import estimate_depth, load_depth_estimator

        return estimate_depth(load_depth_estimator(model_id), image)
    from engine.tasks.clip import load_clip, zero_shot

    return zero_shot(load_clip(model_id), image, ["a cat", "a dog"])


# --- the choice, as plain data ---


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            ["config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5"],
            ("safetensors", ["model.safetensors"]),
        ),
        (["config.json", "pytorch_model.bin", "tf_model.h5", "flax_model.msgpack"], ("pickle", ["pytorch_model.bin"])),
        (["tf_model.h5", "flax_model.msgpack", "onnx/model.onnx"], None),
        (
            ["model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"],
            (
                "safetensors",
                [
                    "model.safetensors.index.json",
                    "model-00001-of-00002.safetensors",
                    "model-00002-of-00002.safetensors",
                ],
            ),
        ),
        (
            ["model.safetensors.index.json", "model-00001-of-00002.safetensors", "pytorch_model.bin"],
            ("pickle", ["pytorch_model.bin"]),
        ),
        (["open_clip_model.safetensors", "open_clip_pytorch_model.bin"], None),
        (
            ["pytorch_model.bin.index.json", "pytorch_model-00001-of-00001.bin"],
            ("pickle", ["pytorch_model.bin.index.json", "pytorch_model-00001-of-00001.bin"]),
        ),
    ],
)
def test_choose_weights(names: list[str], expected) -> None:
    got = hub.choose_weights(names)
    assert (None if got is None else (got.format, list(got.files))) == expected


def test_every_registry_hub_model_has_its_real_layout_and_a_pinned_commit() -> None:
    known = layouts()
    for spec in HF_MODELS:
        assert spec.id in known, f"{spec.id}: no real layout in tests/hub/layouts.json"
        layout = known[spec.id]
        if not layout.get("revision_known", True):  # no commit of it could be read: main, and said so
            assert (spec.revision, layout["revision"]) == ("main", None), spec.id
            continue
        assert hub.is_commit(spec.revision), f"{spec.id}: revision {spec.revision!r} is not a pinned commit"
        assert layout["revision"] == spec.revision
        conv = layout.get("conversion") or {}
        assert spec.weights_revision == (conv.get("revision") or "" if EXPECTED[spec.id][0] == "conversion" else "")
    assert set(EXPECTED) == {m.id for m in HF_MODELS}
    space = registry.get("nateraw/quickdraw")
    assert hub.is_commit(space.revision) and known["nateraw/quickdraw"]["revision"] == space.revision


@pytest.mark.parametrize("model_id", sorted(k for k, v in layouts().items() if v["type"] == "model"))
def test_every_real_layout_resolves_to_loadable_weights(local_hub, model_id: str) -> None:
    """Registry models and the ones other issues name: a plan with weights, never TF/Flax files."""
    layout = layouts()[model_id]
    repo = local_hub.add_repo(real_repo(model_id, None))
    plan = hub.plan(model_id, repo.refs["main"])
    assert plan.weights, f"{model_id}: the chosen files hold no weights: {plan.names}"
    assert not [n for n in plan.names if n.endswith(NEVER)]
    assert "config.json" in plan.names
    if "model.safetensors" in layout["files"]:
        assert plan.origin == "safetensors"
    elif layout.get("conversion", {}).get("parent_is_revision"):
        assert (plan.origin, plan.conversion_ref) == ("conversion", layout["conversion"]["ref"])
        assert plan.checked == repo.refs["main"] and plan.revision == repo.refs[layout["conversion"]["ref"]]
    else:
        assert plan.origin == "pickle"
    # the size shown before a download is the real one (the weights dominate it)
    weights_mb = (
        sum(layout["files"].get(n) or layout.get("conversion", {}).get("added", {}).get(n, 0) for n in plan.weights)
        / 1e6
    )
    assert weights_mb > 10 and plan.total_mb == pytest.approx(weights_mb, rel=0.05)


@pytest.mark.parametrize("model_id", sorted(EXPECTED))
def test_registry_model_downloads_its_pinned_files_and_loads(local_hub, model_id: str) -> None:
    spec = registry.get(model_id)
    repo = _serve(local_hub, model_id)
    origin, weights = EXPECTED[model_id]
    plan = hub.plan(spec.id, spec.revision, conversion=spec.weights_revision)
    assert (plan.origin, plan.weights) == (origin, weights)
    if hub.is_commit(spec.revision):
        assert plan.checked == spec.revision
        assert plan.revision == (spec.weights_revision or spec.revision)
    else:  # no commit known (see the registry): main's commit, and the bot's conversion of it
        assert plan.checked == repo.refs["main"]
        assert plan.revision == repo.refs[layouts()[model_id]["conversion"]["ref"]]

    got = resolve.resolve(spec)
    assert (got.where, got.origin) == ("hub", origin)
    fetched = local_hub.downloads()
    assert sorted(p.rsplit("/", 1)[-1] for p in fetched) == sorted(plan.names)  # nothing more
    assert all(f"/resolve/{plan.revision}/" in p for p in fetched)  # exactly the pinned commit
    assert _load(model_id) is not None
    if not hub.is_commit(spec.revision):
        return  # its cache lookup: test_an_unpinned_model_is_found_in_the_cache_after_its_download

    # Afterwards the same model is found in the cache, offline, with the same origin.
    os.environ["VISION_OFFLINE"] = "1"
    assert resolve.availability(spec) == "cache"
    again = resolve.resolve(spec)
    assert (again.where, again.origin, again.path) == ("cache", origin, got.path)


UNPINNED = [m.id for m in HF_MODELS if not hub.is_commit(m.revision)]


@pytest.mark.parametrize("model_id", UNPINNED)
def test_an_unpinned_model_is_found_in_the_cache_after_its_download(local_hub, model_id: str) -> None:
    """A model on a branch (the registry's "main") is downloaded by the commit planned, and the
    cache then names that commit after the branch: a new server process finds it there, with the
    same origin, and downloads nothing; offline too; and huggingface_hub reads the cache as sound."""
    from huggingface_hub import scan_cache_dir

    spec = registry.get(model_id)
    _serve(local_hub, model_id)
    got = resolve.resolve(spec)
    assert got.where == "hub"
    fetched = local_hub.downloads()

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    code = f"from engine.models import resolve; r = resolve.resolve({model_id!r}); print(r.where, r.origin, r.location)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.split() == ["cache", got.origin, str(got.path)]
    assert local_hub.downloads() == fetched  # the Hub was up, and nothing was fetched again

    os.environ["VISION_OFFLINE"] = "1"
    assert resolve.availability(spec) == "cache"
    again = resolve.resolve(spec)
    assert (again.where, again.origin, again.path) == ("cache", got.origin, got.path)

    scan = scan_cache_dir(settings.hf_cache_dir())
    assert not scan.warnings, scan.warnings  # no ref to a commit the cache lacks
    [cached] = [r for r in scan.repos if r.repo_id == model_id]
    refs = {ref: rev.commit_hash for rev in cached.revisions for ref in rev.refs}
    assert refs[spec.revision] == got.path.name


def test_a_branch_names_the_commit_downloaded_as_huggingface_hub_does(local_hub) -> None:
    """A plan read from a branch (a typed id is checked on "main") writes refs/<branch> with the
    commit it downloaded: what huggingface_hub itself writes for that branch, which finds it."""
    from huggingface_hub import hf_hub_download

    model_id = "google/vit-base-patch16-224"
    repo = _serve(local_hub, model_id)
    plan = hub.plan(model_id, "main")
    assert (plan.ref, plan.revision) == ("main", repo.refs["main"])
    folder = hub.download(plan)
    ref = folder.parents[1] / "refs" / "main"
    assert ref.read_text() == plan.revision
    assert hub.cached(model_id, ["main"]) == folder
    # huggingface_hub, asked for the branch, agrees on the commit (and rewrites nothing)
    path = hf_hub_download(model_id, "config.json", revision="main", cache_dir=settings.hf_cache_dir())
    assert Path(path).parent == folder and ref.read_text() == plan.revision
    assert hub.plan(model_id, plan.revision).ref == ""  # a pinned commit needs no ref


def test_pickle_only_repo_loads_through_weights_only(local_hub) -> None:
    model_id = "facebook/deit-base-patch16-224"
    spec = registry.get(model_id)
    _serve(local_hub, model_id, conversion=False)  # a Hub where the bot never opened its pull request
    got = resolve.resolve(spec)
    assert got.origin == "pickle"
    assert {p.name for p in got.path.iterdir()} == {"config.json", "preprocessor_config.json", "pytorch_model.bin"}
    result = _load(model_id)
    assert len(result.labels) == 3


class _Exploit:
    def __reduce__(self):
        return (os.system, (f"touch {Path(os.environ['HF_HUB_CACHE']) / 'pwned'}",))


def test_pickled_code_in_a_bin_is_never_run(local_hub) -> None:
    model_id = "google/vit-base-patch16-224"
    tiny = TINY_DIR / model_id
    files = {n: HubFile((tiny / n).read_bytes()) for n in ("config.json", "preprocessor_config.json")}
    files["pytorch_model.bin"] = HubFile(pickle.dumps({"weight": _Exploit()}))
    local_hub.add_repo(HubRepo.single(model_id, files, sha=registry.get(model_id).revision))
    with pytest.raises(ModelLoadError) as info:
        _load(model_id)
    assert "pytorch_model.bin" in str(info.value)
    assert not (Path(os.environ["HF_HUB_CACHE"]) / "pwned").exists()


@pytest.mark.parametrize(
    "pull",
    [
        {"author": "someone", "status": "open"},  # anyone can open a pull request: only the bot's count
        {"author": "SFconvertbot", "status": "closed"},
        {"author": "SFconvertbot", "status": "open", "older": True},  # made from another commit
    ],
)
def test_only_the_bots_open_conversion_of_this_commit_is_taken(local_hub, pull) -> None:
    model_id = "facebook/deit-base-patch16-224"
    repo = real_repo(model_id, TINY_DIR / model_id, conversion=False)
    main = repo.refs["main"]
    parent = main
    if pull.get("older"):
        parent = HubRepo.fake_sha("older")
        repo.add_commit(Commit(parent, dict(repo.commits[main].files)))
    tensors = HubFile((TINY_DIR / model_id / "model.safetensors").read_bytes())
    repo.add_conversion(
        parent,
        HubRepo.fake_sha("pr"),
        {"model.safetensors": tensors},
        num=3,
        author=pull["author"],
        status=pull["status"],
    )
    local_hub.add_repo(repo)
    plan = hub.plan(model_id, main)
    assert (plan.origin, plan.weights, plan.revision) == ("pickle", ("pytorch_model.bin",), main)


def test_repo_without_usable_weights_is_refused_before_any_download(local_hub) -> None:
    files = {"config.json": b"{}", "tf_model.h5": HubFile(b"x", 346_000_000), "flax_model.msgpack": b"y"}
    local_hub.add_repo(HubRepo.single("org/tf-only", files))
    with pytest.raises(ModelUnavailable) as info:
        hub.plan("org/tf-only", "main")
    assert info.value.params["reason"] == "no_weights"
    assert "flax_model.msgpack" in info.value.params["found"] and "tf_model.h5" in info.value.params["found"]
    assert local_hub.downloads() == []


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda h: None, "hub_not_found"),
        (lambda h: h.add_repo(HubRepo.single("org/m", {"config.json": b"{}"}, gated=True)), "hub_gated"),
    ],
)
def test_hub_refusals_have_reason_codes(local_hub, setup, reason: str) -> None:
    setup(local_hub)
    with pytest.raises(ModelUnavailable) as info:
        hub.plan("org/m", "main")
    assert info.value.params["reason"] == reason


def test_a_pinned_commit_gone_from_the_hub_falls_back_to_main_and_says_so(local_hub) -> None:
    model_id = "microsoft/resnet-50"
    repo = real_repo(model_id, TINY_DIR / model_id)
    repo.refs["main"] = HubRepo.fake_sha("rewritten")
    repo.commits[repo.refs["main"]] = repo.commits.pop(registry.get(model_id).revision)
    repo.commits[repo.refs["main"]].sha = repo.refs["main"]
    local_hub.add_repo(repo)
    plan = hub.plan(model_id, registry.get(model_id).revision)
    assert plan.pin_missing and plan.revision == repo.refs["main"] and plan.weights == ("model.safetensors",)


def test_probe_and_downloads_use_the_configured_endpoint(local_hub, monkeypatch) -> None:
    host, port = settings.hub_address()
    assert (host, str(port)) == ("127.0.0.1", local_hub.url.rsplit(":", 1)[1])
    spec = registry.get("microsoft/resnet-50")
    assert resolve.reachable(resolve.source_address(spec))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    assert not resolve.reachable(resolve.source_address(spec))
    with pytest.raises(ModelUnavailable) as info:
        resolve.resolve(spec)
    assert info.value.params == {**info.value.params, "reason": "unreachable", "host": "127.0.0.1"}


def test_a_dropped_download_resumes_and_a_corrupt_one_leaves_nothing(local_hub) -> None:
    from tests.hub import Fault

    model_id = "microsoft/resnet-50"
    spec = registry.get(model_id)
    _serve(local_hub, model_id)
    local_hub.fault(Fault("drop", "model.safetensors", times=1))
    first = resolve.resolve(spec)
    assert first.where == "hub"  # huggingface_hub resumed with a byte range
    assert len([p for p in local_hub.downloads() if p.endswith("model.safetensors")]) == 2
    cache = Path(os.environ["HF_HUB_CACHE"])

    # Bytes that do not match the listed sha256: refused, and nothing stays for a later load.
    import shutil

    shutil.rmtree(cache)
    local_hub.fault(Fault("corrupt", "model.safetensors", times=1))
    with pytest.raises(ModelUnavailable) as info:
        resolve.resolve(spec)
    assert info.value.params["reason"] == "download_failed" and "sha256" in info.value.params["detail"]
    assert resolve.availability(spec) == "hub"  # not "cache"
    assert not [p for p in cache.rglob("model.safetensors*")]
    # With the fault gone, the same request succeeds.
    local_hub.clear_faults()
    assert resolve.resolve(spec).where == "hub"
    assert _load(model_id) is not None


def test_make_models_downloads_the_pinned_conversion(local_hub, tmp_path: Path) -> None:
    model_id = "facebook/deit-base-patch16-224"
    _serve(local_hub, model_id)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    out = subprocess.run(
        [sys.executable, "-m", "engine", "download", "--model", model_id],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "conversion" in out.stdout and "1 of 1 models ready" in out.stdout
    assert all(f"/resolve/{registry.get(model_id).weights_revision}/" in p for p in local_hub.downloads())


# --- what the page says ---


@pytest.mark.parametrize(("conversion", "origin"), [(True, "conversion"), (False, "pickle")])
def test_page_says_where_the_weights_come_from(local_hub, conversion: bool, origin: str) -> None:
    from tests.apptest import open_page, texts
    from ui.i18n import translate
    from ui.models import model_cache

    model_id = "facebook/deit-base-patch16-224"
    _serve(local_hub, model_id, conversion=conversion)
    model_cache.clear()  # earlier tests cached the tiny DeiT of the models directory
    at = open_page("pages/classification.py")
    at.selectbox(key="cls_model").set_value(model_id).run()
    body = texts(at)
    assert translate("common.where_hub", "es") in body
    assert translate(f"common.origin_{origin}", "es") in body
    assert len(at.metric) == 1
    model_cache.clear()


def test_every_unavailable_reason_is_translated() -> None:
    from engine.errors import UNAVAILABLE_REASONS
    from ui.i18n import catalogs

    for lang, table in catalogs().items():
        missing = [r for r in UNAVAILABLE_REASONS if f"errors.reason_{r}" not in table]
        assert not missing, f"{lang}: no text for {missing}"


def test_an_unavailable_model_reads_spanish_in_a_spanish_page(local_hub, monkeypatch) -> None:
    from tests.apptest import open_page
    from tests.catalog import en, es, piece
    from ui.models import model_cache

    monkeypatch.setenv("VISION_OFFLINE", "1")
    model_cache.clear()
    at = open_page("pages/classification.py")
    at.selectbox(key="cls_model").set_value("microsoft/resnet-50").run()
    (error,) = [e.value for e in at.error]
    assert es("errors.reason_offline") in error
    assert es("errors.how_to_get", where="<dir>/microsoft/resnet-50/") in error
    assert en("errors.reason_offline") not in error and piece("errors.how_to_get", "en") not in error
