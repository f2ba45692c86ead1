"""Serving a whole class from one process: a fair queue for inference and per-session memory budgets."""
