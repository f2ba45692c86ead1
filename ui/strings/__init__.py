"""UI catalogs: one module an area, each with ``ES`` and ``EN`` dicts (see :mod:`ui.i18n`)."""
