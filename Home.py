"""Entry point: `streamlit run Home.py`. Sets the page config, the language switch, and routes
to the pages with fixed URL paths (titles follow the language; files stay in pages/)."""

from __future__ import annotations

import streamlit as st

from engine.serving.garbage import note_run
from ui.i18n import t
from ui.layout import language_switch, sidebar_footer
from ui.nav import existing_pages

note_run()  # a full garbage collection at most every VISION_GC_PERIOD_S (engine.serving.garbage)
st.set_page_config(page_title="Visión por computador · Hugging Face", page_icon="👁️", layout="wide")

language_switch()
pages = [
    st.Page(p.file, title=t(f"{p.key}.nav"), icon=p.icon, url_path=p.url_path or None, default=not p.url_path)
    for p in existing_pages()
]
current = st.navigation(pages)
current.run()
sidebar_footer()  # after the page, so it counts the models the page just loaded
