"""Command line: ``python -m engine <command> [options]``.

Commands live in their own modules, each with ``cli(argv) -> int``, imported only when used:

- ``download``: fetch every registry model into the caches (``make models``; needs internet).
- ``evaluate-detection``: precision, recall, AP50 and mAP50-95 of a detector on a labelled folder.

Example:
    $ python -m engine evaluate-detection --model ultralytics/yolov8n --data ../shared/data/coco8
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "download": ("engine.models.download", "Download every registry model into the caches (needs internet)."),
    "evaluate-detection": ("engine.evaluation.metrics", "Evaluate a detector against ground-truth labels."),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        print("usage: python -m engine {" + ",".join(COMMANDS) + "} [options]\n")
        for name, (_, text) in COMMANDS.items():
            print(f"  {name:20s} {text}")
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    return int(module.cli(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
