"""``python -m tests.hub serve --port-file F``: the local Hub as a process, for CI's ``make models``.

It builds the tiny models (:func:`tests.tiny.build_models_dir`, into a temporary folder unless
``--tiny-dir`` names one), serves every registry Hugging Face model with its real layout at its
pinned commit (:func:`tests.hub.real_repo`, the conversion pull request included) on 127.0.0.1,
writes its URL (``http://127.0.0.1:<port>``) to the port file once it answers, and serves until
it gets SIGTERM or SIGINT.

Example:
    $ python -m tests.hub serve --port-file /tmp/hub.url &
    $ HF_ENDPOINT=$(cat /tmp/hub.url) VISION_OFFLINE=0 python -m engine download --model microsoft/resnet-50
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path


def serve(port_file: Path, tiny_dir: Path | None = None) -> int:
    """Serve until a signal; 0 when stopped by one."""
    from engine.models import registry
    from tests.hub import LocalHub, layouts, real_repo
    from tests.tiny import build_models_dir

    # Quiet: the tiny models are saved with transformers, whose progress bars would fill CI's log.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with tempfile.TemporaryDirectory(prefix="vision-hub-") as tmp:
        tiny = build_models_dir(tiny_dir or Path(tmp) / "tiny-models")
        hub = LocalHub()
        # A model without a real layout is test_hub's failure to report; here it is only not served.
        served = [spec.id for spec in registry.MODELS if spec.source == "hf" and spec.id in layouts()]
        for model_id in served:
            hub.add_repo(real_repo(model_id, tiny / model_id))
        hub.start()
        try:
            # Written whole and last (a rename): whoever reads the file finds a Hub that answers.
            partial = port_file.with_name(port_file.name + ".partial")
            partial.write_text(hub.url + "\n")
            partial.replace(port_file)
            print(f"local Hub on {hub.url}: {', '.join(served)}", flush=True)
            stop.wait()
        finally:
            hub.stop()
            print(f"local Hub stopped after {len(hub.downloads())} file downloads", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.hub", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the registry's Hub models until killed")
    run.add_argument("--port-file", type=Path, required=True, help="where to write the Hub's URL")
    run.add_argument("--tiny-dir", type=Path, help="build (or reuse) the tiny models here, not in a temp dir")
    args = parser.parse_args(argv)
    return serve(args.port_file, args.tiny_dir)


if __name__ == "__main__":
    sys.exit(main())
