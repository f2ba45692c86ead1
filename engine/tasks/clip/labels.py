"""The labels a student types and the sentence template: cleaned, checked, made into prompts.

Example:
    >>> prompts(parse_labels("cat, dog"))
    ['a photo of a cat', 'a photo of a dog']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from engine.errors import InvalidInput

DEFAULT_TEMPLATE = "a photo of a {}"
DEFAULT_DESCRIPTIONS = ("a cat", "a dog", "a car", "a tree", "a person")
MIN_LABELS = 2  # a softmax over one label is always 100 %
MAX_LABELS = 30  # a readable chart, and one small text batch
MAX_LABEL_CHARS = 100
MAX_INPUT_CHARS = 5000  # the whole text box: 30 labels of 100 characters plus separators fit
MAX_TEMPLATE_CHARS = 200


def _clean(label: str) -> str:
    """NFC, no control characters, inner whitespace collapsed, trimmed."""
    label = unicodedata.normalize("NFC", label)
    # Control characters (NUL, escape sequences, bidi overrides...) are invisible and only confuse.
    label = "".join(
        " " if ch.isspace() else ch for ch in label if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    return " ".join(label.split())


def validate_labels(labels: Sequence[str]) -> list[str]:
    """Cleaned labels, duplicates (case-insensitive) removed, checked for count and length.

    Example:
        >>> validate_labels(["Cat", " cat ", "dog"])
        ['Cat', 'dog']
    """
    if isinstance(labels, str) or not all(isinstance(x, str) for x in labels):
        raise InvalidInput(
            "Expected a list of label strings; got " + type(labels).__name__ + ".",
            code="clip_labels_type",
        )
    seen: set[str] = set()
    out: list[str] = []
    for raw in labels:
        label = _clean(raw)
        if not label or label.casefold() in seen:
            continue
        seen.add(label.casefold())
        out.append(label)
    if not out:
        raise InvalidInput(
            f"No labels: write at least {MIN_LABELS}, separated by commas or new lines.",
            code="clip_no_labels",
            min=MIN_LABELS,
        )
    if len(out) < MIN_LABELS:
        raise InvalidInput(
            f"At least {MIN_LABELS} different labels are needed (the scores compare them); got {len(out)}.",
            code="clip_too_few_labels",
            min=MIN_LABELS,
            got=len(out),
        )
    if len(out) > MAX_LABELS:
        raise InvalidInput(
            f"At most {MAX_LABELS} labels; got {len(out)} different ones.",
            code="clip_too_many_labels",
            max=MAX_LABELS,
            got=len(out),
        )
    for i, label in enumerate(out, start=1):
        if len(label) > MAX_LABEL_CHARS:
            # The label itself is left out of the message: it is user text, and may be huge.
            raise InvalidInput(
                f"Each label can have at most {MAX_LABEL_CHARS} characters; label {i} has {len(label)}.",
                code="clip_label_too_long",
                max=MAX_LABEL_CHARS,
                index=i,
                got=len(label),
            )
    return out


def parse_labels(text: str) -> list[str]:
    """Labels typed comma- or newline-separated: trimmed, de-duplicated, 2..30 of ≤100 characters.

    Any character is allowed (emoji, quotes, ``<script>``): labels are data, always shown as text.

    Example:
        >>> parse_labels("cat, dog\\n  Cat ,, 🦊 fox")
        ['cat', 'dog', '🦊 fox']
    """
    if not isinstance(text, str):
        raise InvalidInput(f"Expected text; got {type(text).__name__}.", code="clip_labels_type")
    if len(text) > MAX_INPUT_CHARS:
        raise InvalidInput(
            f"The labels text can have at most {MAX_INPUT_CHARS} characters; it has {len(text)}.",
            code="clip_input_too_long",
            max=MAX_INPUT_CHARS,
            got=len(text),
        )
    parts = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", ",").split(",")
    return validate_labels(parts)


def validate_template(template: str) -> str:
    """The prompt template, trimmed: exactly one ``{}`` (where the label goes) and no other braces.

    Example:
        >>> validate_template("  a photo of a {}  ")
        'a photo of a {}'
    """
    if not isinstance(template, str):
        raise InvalidInput(f"Expected a text template; got {type(template).__name__}.", code="clip_template_type")
    template = " ".join(template.split())
    if len(template) > MAX_TEMPLATE_CHARS:
        raise InvalidInput(
            f"The template can have at most {MAX_TEMPLATE_CHARS} characters; it has {len(template)}.",
            code="clip_template_too_long",
            max=MAX_TEMPLATE_CHARS,
            got=len(template),
        )
    count = template.count("{}")
    rest = template.replace("{}", "")
    if count != 1 or "{" in rest or "}" in rest:
        raise InvalidInput(
            f"The template needs exactly one {{}} where the label goes (and no other braces); it has {count}.",
            code="clip_template_placeholder",
            got=count,
        )
    return template


def prompts(labels: Sequence[str], template: str = DEFAULT_TEMPLATE) -> list[str]:
    """One sentence per label.

    Example:
        >>> prompts(["cat", "dog"], "a photo of a {}")
        ['a photo of a cat', 'a photo of a dog']
    """
    template = validate_template(template)
    return [template.format(label) for label in labels]
