"""The catalogs against the code: every engine error has a message in both languages that only
names parameters its raise passes, counts agree with their words, and no Spanish entry is an
English one left untranslated.

The error codes are found by reading the engine's source (``ast``), not by triggering errors:
a new ``raise ... code="..."`` fails here until its message is written.
"""

from __future__ import annotations

import ast
import re
import string
from dataclasses import dataclass

import pytest

from tests.conftest import ROOT
from ui.errors import UI_PARAMS, error_text
from ui.i18n import catalogs, plural_format, translate

ENGINE = ROOT / "engine"


@dataclass(frozen=True)
class RaiseSite:
    """One place that builds an engine error: its code and the parameters it passes
    (``params is None``: it forwards ``**params``, so any name may be there)."""

    where: str
    code: str
    params: frozenset[str] | None
    english: frozenset[str] = frozenset()  # parameters holding the engine's English message


def _default_codes() -> dict[str, str]:
    """``{class name: default_code}`` of engine/errors.py."""
    codes = {}
    for node in ast.parse((ENGINE / "errors.py").read_text()).body:
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "default_code" for t in stmt.targets)
                    and isinstance(stmt.value, ast.Constant)
                ):
                    codes[node.name] = stmt.value.value
    return codes


@dataclass(frozen=True)
class _Helper:
    """A function with a ``code`` parameter that builds the error (``_bad(message, code)``)."""

    index: int  # position of ``code``
    default: str | None
    adds: frozenset[str]  # keywords it passes itself
    english: frozenset[str]  # of those, the ones it fills with its message argument


def _helpers(tree: ast.Module) -> dict[str, _Helper]:
    found = {}
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        args = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        if "code" not in args or not args:
            continue
        index = args.index("code")
        first_default = len(args) - len(fn.args.defaults)
        default = fn.args.defaults[index - first_default] if index >= first_default else None
        adds: set[str] = set()
        english: set[str] = set()
        for call in ast.walk(fn):
            if isinstance(call, ast.Call):
                for kw in call.keywords:
                    if kw.arg and kw.arg != "code":
                        adds.add(kw.arg)
                        if isinstance(kw.value, ast.Name) and kw.value.id == args[0]:
                            english.add(kw.arg)
        found[fn.name] = _Helper(
            index,
            default.value if isinstance(default, ast.Constant) else None,
            frozenset(adds),
            frozenset(english),
        )
    return found


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def raise_sites() -> list[RaiseSite]:
    """Every engine call that gives an error its code: ``code="..."`` keywords, calls of a
    helper taking ``code`` (positional or default), and error classes built without a code
    (their ``default_code``)."""
    classes = _default_codes()
    sites = []
    trees = {path: ast.parse(path.read_text()) for path in sorted(ENGINE.rglob("*.py"))}
    # A helper may live in another module (engine.evaluation.groundtruth.base.bad); the file's own win.
    shared = {name: h for tree in trees.values() for name, h in _helpers(tree).items()}
    for path, tree in trees.items():
        helpers = {**shared, **_helpers(tree)}
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = _callee(call)
            keywords = {kw.arg: kw.value for kw in call.keywords}
            passed = {k for k in keywords if k and k != "code"}
            english: frozenset[str] = frozenset()
            code = keywords.get("code")
            if code is not None:
                if not isinstance(code, ast.Constant):
                    continue  # ``code=code`` inside a helper: its callers are the sites
                code = code.value
            elif name in helpers:
                helper = helpers[name]
                arg = call.args[helper.index] if len(call.args) > helper.index else None
                code = arg.value if isinstance(arg, ast.Constant) else helper.default
                passed |= helper.adds
                english = helper.english
            elif name in classes:
                code = classes[name]
            else:
                continue
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            sites.append(RaiseSite(where, code, None if None in keywords else frozenset(passed), english))
    return sites


SITES = raise_sites()
FIELDS = string.Formatter()


def placeholders(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in FIELDS.parse(template) if name}


def test_the_scan_sees_the_engine_errors() -> None:
    codes = {s.code for s in SITES}
    # one of each way a code is given: keyword, helper argument, helper default, class default
    assert {"wrong_task", "gt_bad_zip", "det_bad_detections", "model_load_error"} <= codes
    assert set(_default_codes().values()) <= codes | {"engine_error", "invalid_image", "invalid_input"}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_engine_error_code_has_a_message(lang: str) -> None:
    table = catalogs()[lang]
    codes = {s.code for s in SITES} | set(_default_codes().values())
    missing = sorted(c for c in codes if f"errors.{c}" not in table)
    assert not missing, f"no {lang} catalog entry errors.<code> for: {missing}"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_messages_only_name_parameters_every_raise_passes(lang: str) -> None:
    table = catalogs()[lang]
    wrong = []
    for site in SITES:
        template = table.get(f"errors.{site.code}")
        if template is None or site.params is None:
            continue
        available = site.params | UI_PARAMS.get(site.code, frozenset())
        extra = placeholders(template) - available
        if extra:
            wrong.append(f"errors.{site.code} names {sorted(extra)}; {site.where} passes {sorted(available)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_message_pastes_the_engines_english_sentence(lang: str) -> None:
    table = catalogs()[lang]
    wrong = [
        f"errors.{s.code} shows {sorted(placeholders(table[f'errors.{s.code}']) & s.english)} ({s.where})"
        for s in SITES
        if f"errors.{s.code}" in table and placeholders(table[f"errors.{s.code}"]) & s.english
    ]
    assert not wrong, "\n".join(wrong)


def test_every_unavailable_reason_names_only_its_parameters() -> None:
    from engine.errors import UNAVAILABLE_REASONS

    for lang, table in catalogs().items():
        for reason, english in UNAVAILABLE_REASONS.items():
            allowed = placeholders(english) | {"model_id", "where", "reason"}
            assert placeholders(table[f"errors.reason_{reason}"]) <= allowed, (lang, reason)


def test_a_spanish_page_never_shows_the_engines_english() -> None:
    from engine.errors import EngineError, InvalidImage, InvalidInput, ModelLoadError, model_unavailable

    # A code with no entry falls back to its class's entry, in the page's language.
    assert error_text(InvalidInput("English.", code="no_such_code"), "es") == translate("errors.invalid_input", "es")
    assert error_text(InvalidImage("English.", code="no_such_code"), "es") == translate("errors.invalid_image", "es")
    assert error_text(EngineError("English."), "es") == translate("errors.engine_error", "es")
    text = error_text(InvalidInput("Expected a drawing with some ink.", code="empty_drawing"), "es")
    assert text == translate("errors.empty_drawing", "es") and "Expected" not in text
    # A library's exception text only as a labelled detail, after the Spanish sentence.
    err = ModelLoadError("m could not be loaded", model_id="org/m", file="/x/model.safetensors", detail="OSError: bad")
    sentence, detail = error_text(err, "es").split("\n\n")
    assert sentence == translate("errors.model_load_error", "es", model_id="org/m", file="/x/model.safetensors")
    assert detail == translate("errors.technical_detail", "es", detail="OSError: bad")
    unavailable = error_text(model_unavailable("org/m", "unreachable", host="huggingface.co"), "es")
    assert translate("errors.reason_unreachable", "es", host="huggingface.co") in unavailable
    assert "cannot be reached" not in unavailable


# --- plurals ---


@pytest.mark.parametrize(
    ("key", "lang", "params", "expected"),
    [
        ("detection.found", "es", {"n": 1}, "1 objeto"),
        ("detection.found", "es", {"n": 2}, "2 objetos"),
        ("detection.found", "es", {"n": 0}, "0 objetos"),
        ("detection.found", "en", {"n": 1}, "1 object"),
        ("detection.found", "en", {"n": 2}, "2 objects"),
        (
            "detection.truth_zip_loaded",
            "es",
            {"n": 1, "objects": 3},
            "Zip cargado: 1 imagen con 3 objetos etiquetados.",
        ),
        ("detection.truth_zip_loaded", "en", {"n": 2, "objects": 1}, "Zip loaded: 2 images with 1 labelled object."),
        (
            "segmentation.found",
            "es",
            {"label": "sky", "share": "40,0 %", "n": 1},
            "«sky» ocupa el 40,0 % de la imagen (1 segmento).",
        ),
    ],
)
def test_counts_agree_with_their_words(key: str, lang: str, params: dict, expected: str) -> None:
    assert translate(key, lang, **params) == expected


def test_plural_fields_keep_ordinary_formatting() -> None:
    assert plural_format("{ms:.0f} ms, {n:# run|# runs}", ms=12.4, n=1) == "12 ms, 1 run"
    assert plural_format("{n:# run|# runs}", n=1.0) == "1.0 runs"  # a float is not "one"
    assert plural_format("{{}} {n:una|#}", n=1) == "{} una"


PLURAL_SPEC = re.compile(r"\{(\w+):([^{}]*\|[^{}]*)\}")
# A count followed by a word ("{n} objetos"), or a word with "(s)": these need a plural field.
BARE_COUNT = re.compile(
    r"\{(n|n_\w+|count|objects|runs|lines|total|files|img_\w+|txt_\w+|images|labels)\} [a-záéíóúñ]|\(s\)|\(es\)"
)
# ...unless the number is not a count, or the word after it does not change with it.
NOT_A_COUNT = {
    ("es", "game.round"),  # "Ronda 1 de 6": an ordinal
    ("en", "game.round"),
    ("en", "clip_workshop.bad_file"),  # "File no. 2 was skipped": an ordinal
    ("en", "clip_workshop.stats"),  # "1 computed, 4 reused": English participles do not inflect
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_count_message_uses_a_plural_field(lang: str) -> None:
    table = catalogs()[lang]
    bare = sorted(k for k, v in table.items() if BARE_COUNT.search(v) and (lang, k) not in NOT_A_COUNT)
    assert not bare, f"{lang}: counts without a plural field: {bare}"
    for key, value in table.items():
        for _, spec in PLURAL_SPEC.findall(value):
            assert spec.count("|") == 1, (key, spec)


# --- untranslated entries ---

# Words that read the same in Spanish: names, acronyms, units, the metric terms the course uses.
SAME_WORDS = frozenset(
    [
        "CLIP",
        "CPU",
        "GPU",
        "CUDA",
        "Pictionary",
        "safetensors",
        "AP",
        "AP50",
        "mAP",
        "mAP50",
        "TP",
        "FP",
        "FN",
        "id",
        "Top",
        "Recall",
        "ms",
        "MB",
        "px",
    ]
)
# Entries in English on purpose: CLIP and the segmenter read English labels.
ENGLISH_ON_PURPOSE = frozenset(
    {"zero_shot.default_labels", "clip_workshop.default_descriptions", "segmentation.type_placeholder"}
)


def ordinary_words(text: str) -> set[str]:
    """The words of ``text`` outside its ``{placeholders}`` that are not in :data:`SAME_WORDS`.

    Example:
        >>> sorted(ordinary_words("Top-{k} · {ms:.0f} ms on the CPU"))
        ['on', 'the']
    """
    # The literal text, and the forms of plural fields ("{n:# object|# objects}"), are words.
    parsed = FIELDS.parse(text.replace("{{", "").replace("}}", ""))
    literal = " ".join(part + " " + (spec if spec and "|" in spec else "") for part, _, spec, _ in parsed)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", literal) if w not in SAME_WORDS and len(w) > 1}


def test_no_spanish_entry_is_english_left_untranslated() -> None:
    cat = catalogs()
    same = sorted(
        key
        for key, es in cat["es"].items()
        if es == cat["en"].get(key) and key not in ENGLISH_ON_PURPOSE and ordinary_words(es)
    )
    assert not same, f"Spanish entries identical to the English ones: {same}"


def test_the_untranslated_check_sees_short_english() -> None:
    for english in ("Mask", "Colour opacity", "Download the mask (PNG)", "{n:# object|# objects}", "Skip"):
        assert ordinary_words(english), english
    for same in ("Top-{k}", "mAP50-95", "GPU (CUDA)", "✅ {label}", "#", "{ms:.0f} ms"):
        assert not ordinary_words(same), same


# --- class names in Spanish ---


def test_every_coco_class_has_a_spanish_name() -> None:
    from engine.tasks.detection import COCO_NAMES, coco91_id2label
    from ui.strings.labels import COCO_ES, label

    assert list(COCO_ES) == list(COCO_NAMES)  # DETR's and YOLOS's configs and YOLO's .pt use these names
    assert {n for n in coco91_id2label().values() if n != "N/A"} == set(COCO_ES)
    assert label("cell phone", "es") == "teléfono móvil (cell phone)"
    assert label("cell phone", "en") == "cell phone"


def test_every_ade20k_class_has_a_spanish_name() -> None:
    import yaml
    from ultralytics.utils import ROOT as ULTRALYTICS

    from tests.tiny.segmentation import ADE_LABELS
    from ui.strings.labels import ADE20K_ES, label, spanish_name

    assert len(ADE20K_ES) == 150
    # The tiny SegFormer's names are ADE20K's first ones, spelt as the real config spells them.
    assert [n.strip() for n in ADE_LABELS] == list(ADE20K_ES)[: len(ADE_LABELS)]
    assert all(spanish_name(n) for n in ADE_LABELS)
    # Ultralytics' copy of the list (its own spelling: "conveyor belt") is covered too.
    names = yaml.safe_load((ULTRALYTICS / "cfg" / "datasets" / "ade20k.yaml").read_text())["names"]
    assert [n for n in names.values() if spanish_name(n) is None] == []
    assert label("bed ", "es") == "cama (bed)" and label("bed ", "en") == "bed "


def test_spanish_names_read_as_spanish() -> None:
    from ui.strings.labels import NAMES_ES

    alike = {name for name, es in NAMES_ES.items() if es == name}
    assert alike == {"pizza", "animal", "monitor"}  # spelt alike: shown once
    assert all(es == es.strip() and es[0].islower() for es in NAMES_ES.values())


@pytest.mark.parametrize("name", ["", "N/A", "spaceship", "LABEL_7", "bed-ish"])
def test_unknown_class_names_pass_through(name: str) -> None:
    from ui.strings.labels import label

    assert label(name, "es") == name and label(name, "en") == name
