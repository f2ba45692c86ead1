"""Home: what a task is, one card per page, where each model comes from, device and versions.

Imports no torch, transformers or ultralytics: Home must open fast.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

import pandas as pd
import streamlit as st

from engine.models import registry
from engine.models.resolve import availability, present
from ui.deliverable import course_button
from ui.i18n import t
from ui.layout import page_header
from ui.nav import existing_pages
from ui.widgets import weights_kind

page_header("home")
st.markdown(t("home.what_is_task"))

st.subheader(t("home.pages"))
cards = [p for p in existing_pages() if p.url_path]
cols = st.columns(3)
for i, page in enumerate(cards):
    with cols[i % 3].container(border=True):
        st.markdown(f"**{page.icon} {t(page.key + '.nav')}**")
        st.caption(t(f"home.card_{page.key}"))
        st.page_link(page.file, label=t("home.open"), icon="➡️")

# Every page's deliverable of this session in one zip (a page without runs is left out).
st.subheader(t("deliverable.course_heading"))
course_button()

st.subheader(t("home.availability"))
st.caption(t("home.availability_caption"))


def _where_text(spec: registry.ModelSpec) -> str:
    where = availability(spec)
    if where == "hub":
        return t("home.will_download", size=f"{spec.size_mb:.0f}")
    return t(f"common.where_{where}")


def _row(spec: registry.ModelSpec) -> dict[str, str]:
    # What is on this machine, counted in its files (no model is loaded: Home stays light); the
    # published figures only for a model not here yet. A .pt's parameters cannot be counted unloaded.
    here = footprints[spec.id]
    known = here.size_mb is not None
    if not known:
        weights = t("common.weights_unknown") if availability(spec) == "hub" else "—"
    else:
        weights = weights_kind(here)
    return {
        t("home.col_model"): spec.id,
        t("home.col_task"): spec.task,
        t("home.col_where"): _where_text(spec),
        t("home.col_weights"): weights,
        t("home.col_size"): f"{here.size_mb:.3g}" if known else f"{spec.size_mb:g}",
        t("home.col_params"): f"{here.params_m:.3g}" if here.params_m is not None else f"{spec.params_m:g}",
        t("home.col_license"): spec.license,
    }


footprints = {spec.id: present(spec) for spec in registry.MODELS}
stand_ins = [model_id for model_id, here in footprints.items() if here.stand_in]
if stand_ins:
    st.warning(t("home.stand_ins", n=len(stand_ins), models=", ".join(stand_ins)), icon="⚠️")
rows = [_row(spec) for spec in registry.MODELS]
# A static table: it renders with the page (and in screenshots), and 13 rows need no scrolling.
st.table(pd.DataFrame(rows).set_index(t("home.col_model")))

st.subheader(t("home.environment"))


def _device() -> str:
    # Importing torch just to ask would cost seconds on Home; ask only once it is loaded.
    torch = sys.modules.get("torch")
    if torch is not None:
        return t("home.device_gpu") if torch.cuda.is_available() else t("home.device_cpu")
    if Path("/dev/nvidia0").exists():
        return t("home.device_gpu")
    return f"{t('home.device_cpu')} ({t('home.device_unknown')})"


st.write(t("home.device", device=_device()))
versions = {}
for pkg, dists in {
    "streamlit": ("streamlit",),
    "transformers": ("transformers",),
    "torch": ("torch",),
    "torchvision": ("torchvision",),
    "ultralytics": ("ultralytics", "ultralytics-opencv-headless"),  # the headless build's name
    "timm": ("timm",),
    "pillow": ("pillow",),
    "plotly": ("plotly",),
}.items():
    versions[pkg] = "—"
    for dist in dists:
        try:
            versions[pkg] = metadata.version(dist)
            break
        except metadata.PackageNotFoundError:
            continue
versions["python"] = sys.version.split()[0]
st.caption(t("home.versions") + ": " + " · ".join(f"{k} {v}" for k, v in versions.items()))
