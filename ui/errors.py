"""Showing the engine's own errors in the page (translated); anything else is left to raise."""

from __future__ import annotations

import streamlit as st

from engine.errors import EngineError, ModelUnavailable
from ui.i18n import t


def error_text(exc: EngineError) -> str:
    """The translated message of an engine error (its English text when no entry exists).

    An unavailable model's message is built from its reason code and the models-directory path,
    both translated: no English sentence of the engine is pasted into a Spanish page.
    """
    params = dict(exc.params)
    if isinstance(exc, ModelUnavailable):
        params["reason_text"] = t(f"errors.reason_{params.get('reason', '')}", **params)
    key = f"errors.{exc.code}"
    text = t(key, **params)
    if text == key:
        return str(exc)
    if isinstance(exc, ModelUnavailable) and params.get("where"):
        text += "\n\n" + t("errors.how_to_get", where=params["where"])
    return text


def show_error(exc: EngineError) -> None:
    """``st.error`` with the translated message (and how to get an unavailable model)."""
    st.error(error_text(exc), icon="⚠️")
