"""``python -m bench [options]`` (every model's speed and memory, :mod:`bench.run`) and
``python -m bench load [options]`` (a class of sessions against one server, :mod:`bench.load`) and
``python -m bench soak [options]`` (a class left running for 15 minutes, :mod:`bench.soak`) and
``python -m bench answer [options]`` (what a student waits for, in a browser, :mod:`bench.answer`) and
``python -m bench fast [--quick]`` ("Modo rápido" against fp32, per model, :mod:`bench.fast`) and
``python -m bench work [--quick]`` (each model's working memory against the registry's, :mod:`bench.work`)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if argv[:1] == ["load"]:
        from bench.load import cli as load_cli

        return load_cli(argv[1:])
    if argv[:1] == ["answer"]:
        from bench.answer import cli as answer_cli

        return answer_cli(argv[1:])
    if argv[:1] == ["fast"]:
        from bench.fast import cli as fast_cli

        return fast_cli(argv[1:])
    if argv[:1] == ["work"]:
        from bench.work import cli as work_cli

        return work_cli(argv[1:])
    if argv[:1] == ["soak"]:
        from bench.soak import cli as soak_cli

        return soak_cli(argv[1:])
    from bench.run import cli

    return cli(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
