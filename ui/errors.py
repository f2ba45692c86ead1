"""Showing the engine's own errors in the page (translated); anything else is left to raise.

Every message is built from the catalog entry ``errors.<code>`` and the error's parameters:
the engine's English sentence (``str(exc)``) never reaches a page.

Example:
    >>> from engine.errors import InvalidInput
    >>> error_text(InvalidInput("Expected a drawing with some ink.", code="empty_drawing"), "en")
    'The drawing is empty: draw at least one line.'
"""

from __future__ import annotations

import streamlit as st

from engine.errors import EngineError, ModelUnavailable
from ui.i18n import catalogs, lang, translate

# Parameters this module adds to an error's own before formatting its entry (the catalog test
# counts them as passed).
UI_PARAMS: dict[str, frozenset[str]] = {"model_unavailable": frozenset({"reason_text"})}

# Codes whose ``detail`` parameter is a library's exception text (English, and not ours to
# translate): it is shown apart, labelled as a technical detail, never inside the sentence.
TECHNICAL_DETAIL = frozenset({"model_load_error"})


def _entry(exc: EngineError, language: str) -> str:
    """The key of the most specific entry the catalog has: the code, the error class's own
    code, then the generic one (each exists; a test checks every code the engine raises)."""
    table = catalogs()[language]
    codes = [exc.code, *(c.__dict__["default_code"] for c in type(exc).__mro__ if "default_code" in c.__dict__)]
    return next((f"errors.{c}" for c in codes if f"errors.{c}" in table), "errors.engine_error")


def error_text(exc: EngineError, language: str | None = None) -> str:
    """The translated message of an engine error, in ``language`` (the session's by default).

    An unavailable model's message is built from its reason code and the models-directory path,
    both translated.
    """
    language = language or lang()
    params = dict(exc.params)
    if isinstance(exc, ModelUnavailable):
        params["reason_text"] = translate(f"errors.reason_{params.get('reason', '')}", language, **params)
    text = translate(_entry(exc, language), language, **params)
    if isinstance(exc, ModelUnavailable) and params.get("where"):
        text += "\n\n" + translate("errors.how_to_get", language, where=params["where"])
    if exc.code in TECHNICAL_DETAIL and params.get("detail"):
        text += "\n\n" + translate("errors.technical_detail", language, detail=params["detail"])
    return text


def show_error(exc: EngineError) -> None:
    """``st.error`` with the translated message (and how to get an unavailable model)."""
    st.error(error_text(exc), icon="⚠️")
