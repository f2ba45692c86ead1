"""Shared Streamlit helpers: language and catalogs, sidebar, cached model getters, inputs, errors."""
