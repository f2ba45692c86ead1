"""Showing the engine's own errors in the page (translated); anything else is left to raise."""

from __future__ import annotations

import streamlit as st

from engine.errors import EngineError, ModelUnavailable
from ui.i18n import t


def error_text(exc: EngineError) -> str:
    """The translated message of an engine error (its English text when no entry exists)."""
    key = f"errors.{exc.code}"
    text = t(key, **exc.params)
    return str(exc) if text == key else text


def show_error(exc: EngineError) -> None:
    """``st.error`` with the translated message (and how to fix it, for unavailable models)."""
    text = error_text(exc)
    if isinstance(exc, ModelUnavailable) and exc.params.get("hint"):
        text += "\n\n" + t("errors.how_to_get", hint=exc.params["hint"])
    st.error(text, icon="⚠️")
