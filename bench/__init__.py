"""Speed and memory of the app (``python -m bench``, ``make bench``): each model against the plain
call the course teaches, the whole app's memory, and the full-size random-init stand-ins it needs.

Nothing in :mod:`engine` exists only for the benchmark; this package imports the engine, never the
other way round.
"""
