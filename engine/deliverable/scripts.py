"""The deliverable's script: each run's code snippet (the page's own ``code_snippet``), on the image
saved in the zip, joined into one ``.py`` that prints a header before each run's numbers.

Example:
    >>> from engine.deliverable.entry import Entry
    >>> e = Entry("cat.png", (("cat.png", b"png"),), ({"rank": 1, "label": "cat", "score": 0.9},), 12.0,
    ...           ("efficientnet-lite0",), {"top_k": 3})
    >>> "topk(3)" in run_snippet("classification", e, ["images/01_cat.png"], "en")
    True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from engine.deliverable.entry import Entry

Snippet = Callable[[Entry, Sequence[str], str], str]

# Each task's snippet module is imported when its script is written: Home (the course's zip) opens
# without loading the tasks.


def _classification(e: Entry, files: Sequence[str], lang: str) -> str:
    from engine.tasks import classification

    return classification.code_snippet(e.models[0], int(e.settings.get("top_k", 5)), files[0], lang)


def _detection(e: Entry, files: Sequence[str], lang: str) -> str:
    from engine.tasks import detection

    return detection.code_snippet(e.models[0], **detection_kwargs(e.settings), file_name=files[0], lang=lang)


def detection_kwargs(settings: Any) -> dict[str, Any]:
    """The detection snippet's settings from an entry's (the page's ``DetectionSettings.kwargs()``)."""
    classes = settings.get("classes")
    return {
        "threshold": float(settings.get("threshold", 0.5)),
        "iou": float(settings.get("iou", 0.7)),
        "classes": list(classes) if classes else None,
        "max_detections": int(settings.get("max_detections", 100)),
    }


def _segmentation(e: Entry, files: Sequence[str], lang: str) -> str:
    from engine.tasks import segmentation

    return segmentation.code_snippet(e.models[0], str(e.settings.get("label", "person")), files[0], lang)


def _zero_shot(e: Entry, files: Sequence[str], lang: str) -> str:
    from engine.tasks.clip.labels import DEFAULT_TEMPLATE
    from engine.tasks.clip.snippet import code_snippet as clip_snippet

    return clip_snippet(
        e.models[0],
        list(e.settings.get("labels", ())),
        str(e.settings.get("template", DEFAULT_TEMPLATE)),
        cosine=bool(e.settings.get("cosine", False)),
        file_name=files[0],
        lang=lang,
    )


def _workshop(e: Entry, files: Sequence[str], lang: str) -> str:
    from engine.tasks.clip.snippet import workshop_snippet

    return workshop_snippet(e.models[0], list(e.settings.get("descriptions", ())), file_names=list(files), lang=lang)


def _pictionary(e: Entry, files: Sequence[str], lang: str) -> str:
    from engine.tasks.sketch.snippet import code_snippet as sketch_snippet

    # The page saves each drawing as the model's 28×28 input, enlarged (pages/pictionary.py): read
    # back as such, the script prints the page's numbers. A game has a drawing per round: the model
    # is loaded once and each drawing's name printed before its guesses. No drawing (every round
    # skipped blank): nothing to run.
    if not files:
        return ""
    return sketch_snippet(int(e.settings.get("top_k", 5)), lang=lang, file_names=files, model_input=True)


def _depth(e: Entry, files: Sequence[str], lang: str) -> str:
    from engine.tasks import depth

    return depth.code_snippet(e.models[0], files[0], lang)


def _video(e: Entry, files: Sequence[str], lang: str) -> str:
    from engine.tasks import video

    return video.code_snippet(
        e.models[0],
        files[0],
        stride=int(e.settings.get("stride", 5)),
        threshold=float(e.settings.get("threshold", 0.5)),
        track=bool(e.settings.get("track", True)),
        lang=lang,
    )


SNIPPETS: dict[str, Snippet] = {
    "classification": _classification,
    "detection": _detection,
    "video": _video,
    "segmentation": _segmentation,
    "zero_shot": _zero_shot,
    "clip_workshop": _workshop,
    "pictionary": _pictionary,
    "depth": _depth,
}


def run_snippet(page: str, entry: Entry, files: Sequence[str], lang: str) -> str:
    """The page's snippet for one run, on ``files`` (paths relative to the script)."""
    return SNIPPETS[page](entry, files, lang)


def join_snippets(parts: Sequence[tuple[str, str]], comment: str) -> str:
    """One script from ``(header, snippet)`` pairs: the imports once at the top, then each snippet
    after a ``print`` of its header; it runs from its own folder, so relative file names work.

    Example:
        >>> code = join_snippets([("1", "import os\\nprint(1)\\n"), ("2", "import os\\nprint(2)\\n")], "hi")
        >>> code.count("import os"), "print('=== 2 ===')" in code
        (1, True)
    """
    imports: dict[str, None] = {"import os": None}
    bodies = []
    for header, code in parts:
        body = []
        for line in code.splitlines():
            # A top-level import does the same wherever it stands: once at the top is enough.
            if line.startswith(("import ", "from ")):
                imports[line] = None
            else:
                body.append(line)
        bodies.append(f"print({f'=== {header} ==='!r})\n" + "\n".join(body).strip("\n") + "\n")
    head = "\n".join(f"# {line}".rstrip() for line in comment.splitlines())
    return (
        f"{head}\n"
        + "\n".join(imports)
        + "\n\nos.chdir(os.path.dirname(os.path.abspath(__file__)))\n\n"
        + "\n\n".join(bodies)
    )
