"""Page furniture shared by every page: the header, the "¿Cómo funciona?" and "Código" expanders,
and the sidebar (language switch, models directory, memory use)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ui.i18n import LANGS, lang, t


def ensure_router() -> None:
    """Make a deep link on a fresh server go through Home.py's ``st.navigation``.

    Streamlit 1.67 still has its old multipage mode: while no session has run ``st.navigation``
    since the server started, a first visit to ``/zero_shot`` runs ``pages/zero_shot.py`` on its
    own (no language switch, raw file names in the sidebar). A page that finds itself run that way
    switches the process to ``st.navigation`` (what Home.py's first run would do) and reruns, so
    Home.py routes the same URL. tests/browser/test_deep_links.py checks it on a fresh server.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner=False)
def _plotting_imported() -> bool:
    """pandas and plotly imported once per server, before sessions race to draw charts."""
    from engine.models.lazy import import_plotting

    import_plotting()
    return True


def page_header(page: str) -> None:
    """Title and one-line intro of ``page`` from the catalogs (``<page>.title``, ``<page>.intro``).

    Every page calls it first, so it is also where a page run outside the router is sent back
    through it (:func:`ensure_router`), and where the chart libraries are imported once.
    """
    ensure_router()
    if page != "home":  # Home draws no chart and opens at once
        _plotting_imported()
    st.title(t(f"{page}.title"))
    st.caption(t(f"{page}.intro"))


def how_it_works(page: str) -> None:
    """The concept explained, from ``<page>.how`` (Markdown written by us, never user input)."""
    with st.expander(t("common.how_it_works"), expanded=False):
        st.markdown(t(f"{page}.how"))


def code_expander(code: str | Sequence[tuple[str, str]]) -> None:
    """The minimal Python a student would write for the current settings: one snippet, or one
    ``(model id, snippet)`` pair per model on screen (compare mode), each under its model's id.

    A single pair is shown as a plain snippet, so a one-model page looks the same either way.
    Captions and ``st.code`` rather than ``st.tabs``: a tab has no key, and every snippet stays
    visible to copy side by side.

    Example:
        >>> code_expander([("ultralytics/yolov8n", yolo_code), ("facebook/detr-resnet-50", detr_code)])  # doctest: +SKIP
    """
    snippets = [("", code)] if isinstance(code, str) else list(code)
    with st.expander(t("common.code"), expanded=False):
        st.caption(t("common.code_caption"))
        for title, snippet in snippets:
            if len(snippets) > 1:
                st.caption(t("common.code_model", model=title))  # a model id: registry or checked Hub id
            st.code(snippet, language="python")


def language_switch() -> str:
    """The language radio in the sidebar; returns the chosen language."""
    current = lang()
    if "lang" not in st.session_state:
        st.session_state["lang"] = current
    st.sidebar.radio(
        "Idioma / Language",
        LANGS,
        format_func=lambda code: {"es": "Español", "en": "English"}[code],
        horizontal=True,
        key="lang",
    )
    return st.session_state["lang"]


def sidebar_footer() -> None:
    """Where models come from and how much memory the model cache uses."""
    from engine.models.resolve import hub_offline, models_dirs
    from ui.models import model_cache

    cache = model_cache()
    dirs = ", ".join(str(d) for d in models_dirs()) or t("common.none")
    st.sidebar.caption(t("common.models_dir", dirs=dirs))
    if hub_offline():
        st.sidebar.caption(t("common.offline_mode"))
    st.sidebar.caption(
        t("common.cache_use", used=f"{cache.used_mb():.0f}", budget=f"{cache.budget_mb:.0f}", n=len(cache.keys()))
    )


_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def md_escape(text: str) -> str:
    """``text`` with every Markdown/HTML-significant character escaped, for widgets that render
    Markdown (captions, labels): user text such as a file name is then shown exactly as typed.

    Example:
        >>> md_escape("**hola**_[x](y)")
        '\\\\*\\\\*hola\\\\*\\\\*\\\\_\\\\[x\\\\]\\\\(y\\\\)'
    """
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text.replace("\n", " "))
