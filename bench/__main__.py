"""``python -m bench [options]``: see :mod:`bench.run`."""

from __future__ import annotations

import sys

from bench.run import cli

if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
