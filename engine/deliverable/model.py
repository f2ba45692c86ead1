"""A page's deliverable: what the student ran on it in this session, as a zip with a Markdown
report (tables, images, settings, machine), the results as CSV and a script that reproduces them.

Every word a student reads comes in ``words`` (the UI passes them from its catalog, see
:data:`WORDS`); a word missing there shows as its key. Built in memory: nothing touches the disk.

Example:
    >>> e = Entry("gato.png", (("gato.png", b"..."),), ({"rank": 1, "label": "tabby", "score": 0.5},), 12.5,
    ...           ("efficientnet-lite0",), {"top_k": 1})
    >>> d = Deliverable("classification", "es", (e,), machine=Machine("cpu", 2, "2.4", "3.11", "2026-01-01"))
    >>> sorted(d.files())[:2]
    ['README.md', 'images/01_gato.png']
    >>> "| 1 | tabby | 50.0% |" in d.report_markdown()
    True
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from engine.deliverable.entry import Entry, Machine
from engine.deliverable.markdown import md_cell, md_table, slug
from engine.deliverable.scripts import join_snippets, run_snippet
from engine.results import rows_csv

SCRIPT = "reproduce.py"
MAX_ZIP_BYTES = 96 * 1024 * 1024  # the images of one session's runs are far less (VISION_SESSION_MB)
_EPOCH = (1980, 1, 1, 0, 0, 0)  # a zip's entries carry this date: the same runs give the same bytes

# The words of a report; the UI fills them from ui/strings/deliverable.py (``deliverable.<key>``).
WORDS = (
    "page",
    "title",
    "intro",
    "dropped",
    "summary",
    "compare",
    "course_table",
    "runs",
    "time",
    "no_rows",
    "run_settings",
    "settings",
    "machine",
    "reproduce",
    "reproduce_text",
    "script_comment",
    "col_number",
    "col_image",
    "col_model",
    "col_time",
    "col_result",
    "col_objects",
    "col_fp",
    "col_fn",
    "col_lines",
    "col_notes",
    "col_cpu",
    "col_cores",
    "col_torch",
    "col_python",
    "col_date",
    "total_row",
    "source_image",
    # The values that are words, shown in the report's language (see VALUE_KEYS).
    "outcome_won",
    "outcome_lost",
    "outcome_skipped",
    "level_easy",
    "level_normal",
    "level_all",
    "statistic_min",
    "statistic_p5",
    "statistic_median",
    "statistic_p95",
    "statistic_max",
    "statistic_mean",
)
PERCENT = frozenset({"score", "probability", "share"})  # shown as the snippets print them: 45.3%
# Columns and settings whose values are the engine's words (a game round's outcome, a game's level, a
# depth statistic): the report shows ``words[f"{key}_{value}"]``, the value itself when it has none.
VALUE_KEYS = frozenset({"outcome", "level", "statistic"})


def _ext(data: bytes) -> str:
    r"""The file extension of an image (JPEG or PNG) or of a video run's clip (MP4/MOV, WebM/MKV).

    Example:
        >>> _ext(b"\xff\xd8\xff\xe0"), _ext(b"\x00\x00\x00\x18ftypmp42"), _ext(b"\x1aE\xdf\xa3"), _ext(b"\x89PNG")
        ('.jpg', '.mp4', '.webm', '.png')
    """
    if data[:3] == b"\xff\xd8\xff":
        return ".jpg"
    if data[4:8] == b"ftyp":
        return ".mp4"
    if data[:4] == b"\x1aE\xdf\xa3":  # EBML: WebM and Matroska
        return ".webm"
    return ".png"


def _fmt(page: str, key: str, value: Any) -> str:
    """A table cell as the page's snippet prints it (so the report and the script read alike)."""
    if hasattr(value, "item") and callable(value.item):  # a numpy scalar
        value = value.item()
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if not isinstance(value, float):
        if isinstance(value, (list, tuple)):
            return ", ".join(map(str, value)) or "—"
        return "—" if value is None or value == "" else str(value)
    if page == "clip_workshop":
        return f"{value:.3f}"  # as the workshop's script prints them
    if page == "detection":
        return f"{value:.2f}" if key == "score" else f"{value:.1f}"
    if page == "depth":
        return f"{value:.5g}"  # DepthMap.rows() keeps 5 significant digits (relative depth has any scale)
    if key in PERCENT:
        return f"{value:.1%}"
    return f"{value:.4g}"


def _headline(page: str, rows: Sequence[Mapping[str, Any]], cell: Callable[[str, Any], str]) -> str:
    """One cell saying what a run found (its first row, or for boxes their counts); ``cell(key,
    value)`` writes a value as the report does."""
    if not rows:
        return "—"
    if "outcome" in rows[0] and "target" in rows[0]:  # a game: each round's word and how it ended
        return ", ".join(f"{r['target']}: {cell('outcome', r['outcome'])}" for r in rows)
    if page == "detection":
        counts: dict[str, int] = {}
        for row in rows:
            counts[str(row.get("label", ""))] = counts.get(str(row.get("label", "")), 0) + 1
        return ", ".join(f"{n} × {name}" for name, n in counts.items())
    first = rows[0]
    if "label" in first and "score" in first:
        return f"{first['label']} ({cell('score', first['score'])})"
    if "prediction" in first:
        return "; ".join(f"{r.get('image', '')}: {r['prediction']}" for r in rows[:4])
    if "statistic" in first and "value" in first:  # a depth map's statistics
        return ", ".join(
            f"{cell('statistic', r['statistic'])} {cell('value', r['value'])} {r.get('unit', '')}".strip() for r in rows
        )
    if "label" in first and "share" in first:
        return ", ".join(f"{r['label']} {cell('share', r['share'])}" for r in rows[:3])
    return ", ".join(f"{k}={cell(k, v)}" for r in rows[:3] for k, v in r.items() if k != "unit")[:120]


@dataclass(frozen=True)
class Deliverable:
    """A page's runs in this session, oldest first; ``dropped`` older ones did not fit the budget."""

    page: str
    language: str
    entries: tuple[Entry, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)
    machine: Machine | None = None
    words: Mapping[str, str] = field(default_factory=dict)
    dropped: int = 0

    def _w(self, key: str, **params: Any) -> str:
        text = self.words.get(key, key)
        try:
            return text.format(**params) if params else text
        except (KeyError, IndexError, ValueError):
            return text

    def _cell(self, key: str, value: Any) -> str:
        """A value as the report shows it: a word of the engine's in the report's language, else as
        the page's snippet prints it (:func:`_fmt`)."""
        if key in VALUE_KEYS and isinstance(value, str) and value:
            return self.words.get(f"{key}_{value}", value)
        return _fmt(self.page, key, value)

    def fit(self, max_bytes: int = MAX_ZIP_BYTES) -> Deliverable:
        """The newest entries whose images fit in ``max_bytes`` (the newest always stays)."""
        kept = list(self.entries)
        while len(kept) > 1 and sum(e.nbytes for e in kept) > max_bytes:
            kept.pop(0)
        return replace(self, entries=tuple(kept), dropped=self.dropped + len(self.entries) - len(kept))

    # --- names in the zip -------------------------------------------------------------------

    def _stem(self, i: int, entry: Entry) -> str:
        return f"{i:02d}_{slug(entry.image_name)}"

    def _paths(self, i: int, entry: Entry) -> tuple[list[str], list[str]]:
        if len(entry.sources) == 1:
            name, data = entry.sources[0]
            sources = [f"images/{i:02d}_{slug(name)}{_ext(data)}"]
        else:
            sources = [
                f"images/{i:02d}_{k}_{slug(name)}{_ext(data)}" for k, (name, data) in enumerate(entry.sources, 1)
            ]
        shown = [f"images/{self._stem(i, entry)}_{slug(kind)}{_ext(data)}" for kind, data in entry.shown]
        # Two names that differ only in characters a file name cannot hold ("a b", "a_b") get a number.
        seen: set[str] = set()
        out = []
        for path in sources + shown:
            stem, dot, ext = path.rpartition(".")
            unique, n = path, 2
            while unique in seen:
                unique, n = f"{stem}_{n}{dot}{ext}", n + 1
            seen.add(unique)
            out.append(unique)
        return out[: len(sources)], out[len(sources) :]

    def source_paths(self, i: int, entry: Entry) -> list[str]:
        """Where the zip keeps the images run ``i`` (from 1) ran on, relative to its root."""
        return self._paths(i, entry)[0]

    def shown_paths(self, i: int, entry: Entry) -> list[str]:
        """Where the zip keeps the images run ``i`` showed."""
        return self._paths(i, entry)[1]

    def _csv_path(self, i: int, entry: Entry) -> str:
        return f"results/{self._stem(i, entry)}_{slug(entry.models[0] if entry.models else '')}.csv"

    # --- the report ---------------------------------------------------------------------------

    def _course_table(self) -> tuple[list[str], list[list[str]]]:
        """Detection: the course's table (image, model, objects, time, FP, FN, lines of code, notes)."""
        # Imported here: Home builds the course's zip and must not load the detection stack to open.
        from engine.evaluation.comparison import ComparisonRow, ComparisonTable
        from engine.tasks.detection import lines_of_code

        table = ComparisonTable(
            tuple(
                ComparisonRow(e.image_name, e.models[0], len(e.rows), e.ms or 0.0, e.facts.get("fp"), e.facts.get("fn"))
                for e in self.entries
            )
        )
        # By keyword: tests/test_i18n.py reads a function with a ``code`` parameter, called with a
        # positional argument, as a helper building an engine error.
        lines = {
            e.models[0]: lines_of_code(code=run_snippet(self.page, e, self.source_paths(i, e), self.language))
            for i, e in enumerate(self.entries, 1)
        }
        several = len({e.image_name for e in self.entries}) > 1
        header = [self._w(k) for k in ("col_image", "col_model", "col_objects", "col_time", "col_fp", "col_fn")]
        header += [self._w("col_lines"), self._w("col_notes")]
        records = []
        for row in table.rows():
            total = row["row"] == "total"
            if total and not several:
                continue
            records.append(
                [
                    self._w("total_row", n=row["images"]) if total else row["image"],
                    row["model"],
                    row["objects"],
                    round(row["time_ms"]),
                    "—" if row["fp"] is None else row["fp"],
                    "—" if row["fn"] is None else row["fn"],
                    lines[row["model"]],
                    "",  # the student's notes
                ]
            )
        return header, records

    def _summary(self) -> tuple[list[str], list[list[str]]]:
        header = [self._w(k) for k in ("col_number", "col_image", "col_model", "col_time", "col_result")]
        records = [
            [
                i,
                e.image_name,
                ", ".join(e.models),
                "—" if e.ms is None else round(e.ms),
                _headline(self.page, e.rows, self._cell),
            ]
            for i, e in enumerate(self.entries, 1)
        ]
        return header, records

    def table(self) -> tuple[list[str], list[list[str]]]:
        """The report's first table: the course's for detection, else one row per run."""
        return self._course_table() if self.page == "detection" else self._summary()

    def comparisons(self) -> list[tuple[str, list[str], list[list[str]]]]:
        """Zero-shot: for each photo and labels that several CLIPs ran on (OpenAI vs LAION), a table of
        every label's score under each model: ``(image name, header, records)``."""
        if self.page != "zero_shot":
            return []
        groups: dict[tuple[str, tuple[str, ...]], list[Entry]] = {}
        for e in self.entries:
            groups.setdefault((e.image_name, tuple(e.settings.get("labels", ()))), []).append(e)
        out = []
        for (image, _), runs in groups.items():
            models = list(dict.fromkeys(e.models[0] for e in runs))
            if len(models) < 2:
                continue
            scores = {e.models[0]: {r.get("label"): r.get("score") for r in e.rows} for e in runs}
            labels = list(dict.fromkeys(r.get("label") for r in runs[0].rows))
            header = [self._w("col_label"), *models]
            records = [[label, *(_fmt(self.page, "score", scores[m].get(label)) for m in models)] for label in labels]
            out.append((image, header, records))
        return out

    def _rows_table(self, entry: Entry) -> str:
        if not entry.rows:
            return self._w("no_rows")
        keys = list(dict.fromkeys(k for row in entry.rows for k in row))
        header = [self.words.get(f"col_{k}", k) for k in keys]
        return md_table(header, ([self._cell(k, row.get(k)) for k in keys] for row in entry.rows))

    def _settings_lines(self, settings: Mapping[str, Any]) -> list[str]:
        return [
            f"- **{md_cell(self.words.get(f'set_{k}', k))}**: {md_cell(self._cell(k, v))}" for k, v in settings.items()
        ]

    def report_markdown(self) -> str:
        """The README.md: title, the table, each run (images, rows, settings), settings, machine, script."""
        out = [f"# {md_cell(self._w('title', page=self._w('page')))}", "", self._w("intro", n=len(self.entries))]
        if self.dropped:
            out += ["", f"> {self._w('dropped', n=self.dropped)}"]
        header, records = self.table()
        heading = "course_table" if self.page == "detection" else "summary"
        out += ["", f"## {self._w(heading)}", "", md_table(header, records)]
        for image, cols, rows in self.comparisons():
            out += ["", f"### {md_cell(self._w('compare', image=image))}", "", md_table(cols, rows)]
        out += ["", f"## {self._w('runs')}"]
        for i, e in enumerate(self.entries, 1):
            out += ["", f"### {i}. {md_cell(e.image_name)} · {md_cell(', '.join(e.models))}", ""]
            shown = list(zip([k for k, _ in e.shown], self.shown_paths(i, e), strict=True))
            if not shown:
                shown = [(self._w("source_image"), p) for p in self.source_paths(i, e)]
            for kind, path in shown:
                caption = md_cell(self.words.get(f"img_{kind}", kind))
                # The caption as text above the picture: a viewer shows no alt text.
                out += [f"*{caption}*", "", f"![{caption}]({path})", ""]
            ms = "—" if e.ms is None else f"{e.ms:.0f}"
            out += ["", self._w("time", ms=ms, when=e.when or "—"), "", self._rows_table(e)]
            if e.settings:
                out += ["", f"**{self._w('run_settings')}**", "", *self._settings_lines(e.settings)]
        models = list(dict.fromkeys(m for e in self.entries for m in e.models))
        settings = {"models": models, **self.settings}
        out += ["", f"## {self._w('settings')}", "", *self._settings_lines(settings)]
        if self.machine is not None:
            m = self.machine
            cols = [self._w(k) for k in ("col_cpu", "col_cores", "col_torch", "col_python", "col_date")]
            out += ["", f"## {self._w('machine')}", "", md_table(cols, [[m.cpu, m.cores, m.torch, m.python, m.date]])]
        out += ["", f"## {self._w('reproduce')}", "", self._w("reproduce_text", script=SCRIPT), ""]
        return "\n".join(out)

    def script(self) -> str:
        """One ``.py`` running each run's snippet on its images in the zip (run it from anywhere)."""
        parts = []
        for i, e in enumerate(self.entries, 1):
            paths = self.source_paths(i, e)
            parts.append(
                (f"{i} · {', '.join(paths)} · {', '.join(e.models)}", run_snippet(self.page, e, paths, self.language))
            )
        return join_snippets(parts, self._w("script_comment", script=SCRIPT))

    def files(self) -> dict[str, bytes]:
        """Every file of the zip by its path (README.md, reproduce.py, table.csv, images/, results/)."""
        out = {"README.md": self.report_markdown().encode(), SCRIPT: self.script().encode()}
        header, records = self.table()
        out["table.csv"] = rows_csv([dict(zip(header, r, strict=True)) for r in records], header).encode()
        for i, e in enumerate(self.entries, 1):
            for path, (_, data) in zip(self.source_paths(i, e), e.sources, strict=True):
                out[path] = data
            for path, (_, data) in zip(self.shown_paths(i, e), e.shown, strict=True):
                out[path] = data
            if e.rows:
                out[self._csv_path(i, e)] = rows_csv(list(e.rows)).encode()
        return out

    def to_zip(self, max_bytes: int = MAX_ZIP_BYTES) -> bytes:
        """The zip (its newest runs within ``max_bytes``)."""
        return _zip(self.fit(max_bytes).files())


def _zip(files: Mapping[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            # PNG and JPEG are compressed already: stored as they are, the zip is quick to build.
            packed = path.endswith((".png", ".jpg"))
            info = zipfile.ZipInfo(path, date_time=_EPOCH)
            zf.writestr(info, data, compress_type=zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def join(deliverables: Sequence[Deliverable], words: Mapping[str, str], max_bytes: int = MAX_ZIP_BYTES) -> bytes:
    """Home's "todo el curso" zip: a README.md linking each page's folder (``<page>/README.md``...).

    ``words``: ``course_title``, ``course_intro`` and ``course_runs`` (a page's ``{n}`` runs).
    """
    budget = max_bytes // max(1, len(deliverables))
    lines = [f"# {md_cell(words.get('course_title', 'course_title'))}", "", words.get("course_intro", ""), ""]
    files: dict[str, bytes] = {}
    for d in deliverables:
        fitted = d.fit(budget)
        folder = slug(d.page)
        runs = words.get("course_runs", "{n}").format(n=len(fitted.entries))
        lines.append(f"- [{md_cell(d._w('page'))}]({folder}/README.md): {runs}")
        files.update({f"{folder}/{path}": data for path, data in fitted.files().items()})
    return _zip({"README.md": ("\n".join(lines) + "\n").encode(), **files})
