"""UI-free logic of the vision dashboard: registry, model resolution, images, results, tasks.

Nothing in this package imports Streamlit (a test proves it), and importing it is cheap:
heavy libraries (torch, transformers, ultralytics) are imported lazily, inside the functions
that need them, through :mod:`engine.models.lazy`.

Example:
    >>> from engine.models import registry
    >>> registry.get("google/vit-base-patch16-224").task
    'image-classification'
"""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
