"""Any Hub model id on every Hugging Face page (AppTest): an id typed in the "Hub model" input is
checked against a Hub on 127.0.0.1 (tests/hub), downloaded and run like a preset, shown in the
page's code; in compare mode it joins the presets; every refusal shows its catalog message and
the page goes on with its preset."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from engine.models import registry
from tests.apptest import assert_no_exception, open_page, texts
from tests.catalog import es
from tests.conftest import SHARED_MODELS, TINY_DIR
from tests.hub import Fault, HubFile, HubRepo

# page, widget-key prefix, task, the tiny model served under the typed id, the typed id
PAGES = {
    "classification": ("cls", "image-classification", "google/vit-base-patch16-224", "alumnos/vit-tiny"),
    "detection": ("det", "object-detection", "hustvl/yolos-small", "alumnos/yolos-tiny"),
    "segmentation": ("seg", "image-segmentation", "nvidia/segformer-b0-finetuned-ade-512-512", "alumnos/segformer"),
    "zero_shot": ("zs", "zero-shot-image-classification", "openai/clip-vit-base-patch32", "alumnos/clip-tiny"),
    # its own id: the one above is already loaded (the server's model cache) when this page runs
    "clip_workshop": ("cw", "zero-shot-image-classification", "openai/clip-vit-base-patch32", "alumnos/clip-tiny-2"),
    "depth": ("depth", "depth-estimation", "depth-anything/Depth-Anything-V2-Small-hf", "alumnos/depth-tiny"),
}
VIT = PAGES["classification"][3]
YOLOS = PAGES["detection"][3]


def tiny_repo(repo_id: str, folder: Path, *, config: dict[str, Any] | None = None, **kw: Any) -> HubRepo:
    """``repo_id`` on the Hub with the files of the tiny model ``folder`` (``config``: keys to add)."""
    files: dict[str, HubFile | bytes] = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    if config:
        files["config.json"] = json.dumps({**json.loads(files["config.json"]), **config}).encode()  # type: ignore[arg-type]
    return HubRepo.single(repo_id, files, **kw)


@pytest.fixture(autouse=True)
def _forget_typed():
    registry.forget_typed()
    yield
    registry.forget_typed()


@pytest.fixture
def hub(local_hub, monkeypatch):
    """The local Hub serving every page's tiny model under its typed id; the presets from the tiny
    models directory (so compare mode has them), typed ids only from the Hub."""
    monkeypatch.setenv("VISION_MODELS_DIR", os.pathsep.join(str(p) for p in (TINY_DIR, SHARED_MODELS) if p.is_dir()))
    for _, _, tiny, typed_id in PAGES.values():
        local_hub.add_repo(tiny_repo(typed_id, TINY_DIR / tiny))
    return local_hub


def _typed(at, key: str, repo_id: str):
    at.text_input(key=f"{key}_hub_model").set_value(repo_id).run()
    assert_no_exception(at)
    return at


def _code(at) -> str:
    return "\n".join(c.value for c in at.code)


def _fetched(hub, repo_id: str) -> list[str]:
    return sorted(p.rsplit("/", 1)[-1] for p in hub.downloads() if p.startswith(f"/{repo_id}/resolve/"))


@pytest.mark.parametrize("name", list(PAGES))
def test_a_typed_id_is_downloaded_run_and_shown_in_the_code(hub, name: str) -> None:
    key, task, _, repo_id = PAGES[name]
    at = _typed(open_page(f"pages/{name}.py"), key, repo_id)
    body = texts(at)
    assert not at.error, [e.value for e in at.error]
    assert es("common.where_hub") in body  # this page's result came from the Hub's download
    assert "model.safetensors" in _fetched(hub, repo_id)
    assert f'"{repo_id}"' in _code(at)  # the "Código" expander names the typed id
    assert f'pipeline("{task}", model="{repo_id}")' in _code(at) or name == "clip_workshop"
    if name == "classification":
        assert f"`{repo_id}`" in body and at.metric  # its column and its top label
    elif name == "detection":
        assert any(repo_id in tb.value.to_string() for tb in at.table)  # the comparison table's model column
    elif name in {"zero_shot", "clip_workshop"}:
        assert len(at.dataframe) >= 1
    elif name == "segmentation":
        assert es("segmentation.kind_semantic") in body  # SegFormer's kind of segments, from the typed model
    elif name == "depth":
        assert len(at.dataframe) == 1 and at.get("plotly_chart")  # its values and its 3-D view


def test_a_rerun_does_not_ask_the_hub_again(hub) -> None:
    at = _typed(open_page("pages/classification.py"), "cls", VIT)
    asked = [p for _, p in hub.requests if p.startswith("/api/")]
    assert asked  # the check asked the Hub once...
    at.slider(key="cls_top_k").set_value(2).run()
    assert_no_exception(at)
    assert [p for _, p in hub.requests if p.startswith("/api/")] == asked  # ...and the rerun did not
    assert f"`{VIT}`" in texts(at)


def test_the_typed_id_replaces_the_preset_then_clearing_it_brings_the_preset_back(hub) -> None:
    at = open_page("pages/classification.py")
    preset = at.selectbox(key="cls_model").value
    assert f"`{preset}`" in texts(at)
    _typed(at, "cls", VIT)
    assert f"`{VIT}`" in texts(at) and f"`{preset}`" not in texts(at)
    _typed(at, "cls", "")
    assert f"`{preset}`" in texts(at) and f"`{VIT}`" not in texts(at)


@pytest.mark.parametrize(("name", "toggle"), [("classification", "cls_compare"), ("detection", "det_compare")])
def test_compare_mode_runs_the_presets_and_the_typed_id_side_by_side(hub, name: str, toggle: str) -> None:
    key, _, _, repo_id = PAGES[name]
    at = open_page(f"pages/{name}.py")
    at.toggle(key=toggle).set_value(True).run()
    at.multiselect(key=f"{key}_models").set_value(at.multiselect(key=f"{key}_models").value[:1]).run()
    preset = at.multiselect(key=f"{key}_models").value[0]
    _typed(at, key, repo_id)
    body = texts(at)
    assert f"`{preset}`" in body and f"`{repo_id}`" in body
    assert not at.warning or all(es("common.compare_need_two") not in w.value for w in at.warning)
    if name == "detection":
        table = next(tb.value for tb in at.table if es("detection.col_time") in tb.value.columns).to_string()
        assert preset in table and repo_id in table  # the comparison table (each model's boxes come first)


def test_compare_mode_keeps_at_most_three_models_in_all(hub) -> None:
    at = open_page("pages/classification.py")
    at.toggle(key="cls_compare").set_value(True).run()
    presets = [s.id for s in registry.models_for("image-classification") if s.source == "embedded"][:3]
    at.multiselect(key="cls_models").set_value(presets).run()
    _typed(at, "cls", VIT)
    body = texts(at)
    assert es("hub.compare_full", max=3, model=VIT, dropped=presets[2]) in body
    assert all(f"`{m}`" in body for m in (*presets[:2], VIT)) and f"`{presets[2]}`" not in body


def test_zero_shot_compare_is_a_preset_and_the_typed_clip(hub) -> None:
    key, _, _, repo_id = PAGES["zero_shot"]
    at = open_page("pages/zero_shot.py")
    at.toggle(key="zs_compare").set_value(True).run()
    at.multiselect(key="zs_models").set_value(at.multiselect(key="zs_models").value[:1]).run()
    preset = at.multiselect(key="zs_models").value[0]
    _typed(at, key, repo_id)
    both = at.dataframe[-1].value
    # the preset is a tiny stand-in here and says so; the typed model is what its Hub repo publishes
    assert f"{preset} · {es('common.tag_stand_in')}" in both.columns and repo_id in both.columns


def _unavailable(repo_id: str, reason: str, **params: Any) -> str:
    return es("errors.model_unavailable", model_id=repo_id, reason_text=es(f"errors.reason_{reason}", **params))


def _gated(hub) -> str:
    hub.add_repo(tiny_repo("alumnos/gated", TINY_DIR / PAGES["classification"][2], gated=True))
    return "alumnos/gated"


def _not_found(hub) -> str:
    hub.fault(Fault("status", f"/api/models/{VIT}", status=404))
    return VIT


def _auto_map(hub) -> str:
    auto = {"auto_map": {"AutoModelForImageClassification": "modeling.Net"}}
    hub.add_repo(tiny_repo("alumnos/custom", TINY_DIR / PAGES["classification"][2], config=auto))
    return "alumnos/custom"


def _too_large(hub) -> str:
    repo = tiny_repo("alumnos/huge", TINY_DIR / PAGES["classification"][2])
    commit = repo.commit("main")
    commit.files["model.safetensors"] = HubFile(commit.files["model.safetensors"].content, 2_000_000_000)
    hub.add_repo(repo)
    return "alumnos/huge"


REFUSALS = {
    "bad_id": (lambda hub: "esto no es un id", "bad_id", {}),
    "hub_not_found": (_not_found, "hub_not_found", {"model_id": VIT}),
    "hub_gated": (_gated, "hub_gated", {}),
    "wrong_task": (
        lambda hub: YOLOS,
        "wrong_task",
        {"found": "object-detection", "wanted": "image-classification", "page": "detection"},
    ),
    "remote_code": (_auto_map, "remote_code", {"detail": "auto_map"}),
    "too_large": (_too_large, "too_large", {"size_mb": 2000, "limit_mb": 1000}),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_shows_its_message_and_the_preset_still_works(hub, monkeypatch, case: str) -> None:
    monkeypatch.setenv("VISION_MAX_MODEL_MB", "1000")
    serve, reason, params = REFUSALS[case]
    repo_id = serve(hub)
    at = open_page("pages/classification.py")
    preset = at.selectbox(key="cls_model").value
    _typed(at, "cls", repo_id)
    shown = repo_id[:120] if reason != "bad_id" else repo_id
    assert [e.value for e in at.error] == [_unavailable(shown, reason, **params)]
    assert f"`{preset}`" in texts(at) and at.metric  # the preset's result, below the refusal
    assert not [p for p in hub.downloads() if p.endswith(".safetensors")]  # refused before any weights
    assert f'model="{repo_id}"' not in _code(at)


@pytest.mark.parametrize("name", ["detection", "segmentation", "zero_shot", "clip_workshop", "depth"])
def test_a_model_of_another_task_names_its_page_on_every_page(hub, name: str) -> None:
    key, task, _, _ = PAGES[name]
    at = _typed(open_page(f"pages/{name}.py"), key, VIT)
    message = _unavailable(VIT, "wrong_task", found="image-classification", wanted=task, page="classification")
    assert [e.value for e in at.error if VIT in e.value] == [message]


def test_in_english_the_input_and_a_refusal_are_english(hub) -> None:
    from tests.catalog import en

    # Typed before the page opens: a rerun of an English AppTest trips over a Spanish option label.
    at = open_page("pages/classification.py", lang="en", cls_hub_model=YOLOS)
    assert at.text_input(key="cls_hub_model").label == en("hub.model_input") == "Hub model (optional)"
    reason = en("errors.reason_wrong_task", found="object-detection", wanted="image-classification", page="detection")
    assert [e.value for e in at.error] == [en("errors.model_unavailable", model_id=YOLOS, reason_text=reason)]


def test_offline_the_input_is_disabled() -> None:
    at = open_page("pages/classification.py")
    box = at.text_input(key="cls_hub_model")
    assert box.disabled and box.label == es("hub.model_input")


# --- the progress bar's worker (ui.progress), called bare: st.empty() is a no-op outside a page ---


def _spec(repo_id: str = "alumnos/no-descargado") -> registry.ModelSpec:
    return registry.ModelSpec(repo_id, "image-classification", "hf", size_mb=1.0, params_m=0.1, license="", card_url="")


def test_a_download_is_loaded_in_a_worker_and_its_value_or_error_comes_back(local_hub) -> None:
    import threading

    from engine.errors import ModelLoadError
    from ui.progress import load_watching_download, will_download

    spec = _spec()
    assert will_download(spec)  # nothing local or cached: it would come from the Hub
    threads: list[threading.Thread] = []
    assert load_watching_download(spec, lambda: threads.append(threading.current_thread()) or "modelo") == "modelo"
    assert threads and threads[0] is not threading.current_thread()

    def fails() -> None:
        raise ModelLoadError("broken", code="model_load_error", model_id=spec.id, detail="x")

    with pytest.raises(ModelLoadError):
        load_watching_download(spec, fails)


def test_the_wait_for_a_worker_is_bounded(local_hub) -> None:
    import threading

    from engine.errors import ModelUnavailable
    from ui.progress import load_watching_download

    release = threading.Event()
    try:
        with pytest.raises(ModelUnavailable) as info:
            load_watching_download(_spec(), lambda: release.wait(30), max_wait_s=0.5)
        assert info.value.params["reason"] == "download_failed"
    finally:
        release.set()


def test_a_model_with_nothing_to_download_is_loaded_right_here() -> None:
    import threading

    from ui.progress import load_watching_download, will_download

    spec = registry.get("efficientnet-lite0")  # embedded
    assert not will_download(spec)
    assert load_watching_download(spec, threading.current_thread) is threading.current_thread()


def test_the_bar_text_names_the_file_the_megabytes_and_the_speed() -> None:
    from engine.models.hub import DownloadProgress
    from ui.progress import download_text

    state = DownloadProgress("org/m", "main", 114_000_000, {"config.json": 700, "model.safetensors": 0})
    text = download_text(state, "es")
    assert text.startswith(es("hub.downloading", model="org/m", file="model.safetensors", done="0.0", total="114.0", speed="0.0", eta="")[:60])  # fmt: skip
    assert text.endswith(es("hub.eta_unknown"))  # under 1 %: no estimate yet
    state.done["model.safetensors"] = 57_000_000
    assert "57.0" in download_text(state, "es") and es("hub.eta_unknown") not in download_text(state, "es")
