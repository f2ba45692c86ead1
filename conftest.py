"""Root conftest: the doctests under engine/, ui/ and bench/ run in the test suite's offline
environment. pytest loads tests/conftest.py only for tests/; importing it here sets that
environment (offline, private caches, tiny models directory) before any doctest imports the engine.
"""

import tests.conftest  # noqa: F401  (its import sets the environment)
