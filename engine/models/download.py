"""``python -m engine download``: fill the caches with every registry model, for offline use later.

Example:
    $ python -m engine download --task image-classification
"""

from __future__ import annotations

import argparse

from engine.errors import EngineError
from engine.models import registry
from engine.models.resolve import resolve


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine download", description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=list(registry.TASKS), help="only this task's models")
    parser.add_argument("--model", action="append", help="only this model id (repeatable)")
    args = parser.parse_args(argv)
    specs = [m for m in registry.MODELS if (not args.task or m.task == args.task)]
    if args.model:
        specs = [registry.get(m) for m in args.model]
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
