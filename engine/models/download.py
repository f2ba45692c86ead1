"""``python -m engine download``: fill the caches with every registry model, for offline use later.

Example:
    $ python -m engine download --task image-classification
    $ python -m engine download --model yolov8n.pt --model facebook/deit-base-patch16-224
"""

from __future__ import annotations

import argparse
import sys

from engine.errors import EngineError, UnknownModel
from engine.models import registry
from engine.models.resolve import resolve


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine download", description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=list(registry.TASKS), help="only this task's models")
    parser.add_argument(
        "--model", action="append", help="only this model: a registry id, or yolov8n / yolov8n.pt (repeatable)"
    )
    args = parser.parse_args(argv)
    specs = [m for m in registry.MODELS if (not args.task or m.task == args.task)]
    if args.model:
        try:
            specs = list(dict.fromkeys(registry.find(m, task=args.task) for m in args.model))
        except UnknownModel as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    failed = 0
    for spec in specs:
        try:
            where = resolve(spec)
            origin = f" ({where.origin})" if where.origin else ""
            print(f"ok       {spec.id:45s} {where.where:9s} {where.location}{origin}")
        except EngineError as exc:
            failed += 1
            print(f"FAILED   {spec.id:45s} {exc}")
    print(f"{len(specs) - failed} of {len(specs)} models ready.")
    return 1 if failed else 0
