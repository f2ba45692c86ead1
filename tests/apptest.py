"""AppTest helpers: open a page through Home.py (the real router), upload files, assert no exception.

Example:
    >>> at = open_page("pages/classification.py")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from ui.i18n import translate

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 180  # a first model load on a busy 2-core machine can be slow


def open_page(page: str | None = None, *, lang: str = "es", **state: Any) -> AppTest:
    """Run Home.py, switch to ``page`` (e.g. "pages/classification.py") and run it."""
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert_no_exception(at)
    if page:
        at.switch_page(page)
        at.run()
        assert_no_exception(at)
    return at


def assert_no_exception(at: AppTest) -> None:
    """Fail with the page's traceback text when a script raised."""
    if at.exception:
        details = "\n\n".join(f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception)
        raise AssertionError(f"the page raised:\n{details}")


def texts(at: AppTest) -> str:
    """Every visible text of the page, joined (markdown, captions, alerts, metrics, tables)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader", "header"):
        parts += [str(el.value) for el in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [t.value.to_string() for t in at.table]
    return "\n".join(parts)


def upload(at: AppTest, key: str, data: bytes, name: str, mime: str = "image/png") -> AppTest:
    """Put ``data`` in the file uploader ``key`` and rerun."""
    at.file_uploader(key=key).set_value((name, data, mime)).run()
    return at


def code_shown(at: AppTest, lang: str = "es") -> tuple[list[str], list[str]]:
    """The captions and the code blocks of the page's "Código" expander, in page order
    (``st.code`` strips its text: compare a snippet's ``.strip()``).

    Example:
        >>> captions, blocks = code_shown(at)  # doctest: +SKIP
    """
    [expander] = [e for e in at.expander if e.label == translate("common.code", lang)]
    return [c.value for c in expander.caption], [c.value for c in expander.code]


def record_media(monkeypatch: Any) -> dict[str, tuple[bytes | str, str, str | None]]:
    """Every file the page hands to Streamlit from now on (downloads, images), by file id:
    ``(data, mime type, file name)``. A fixture's body: ``return record_media(monkeypatch)``."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, tuple[bytes | str, str, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (path_or_data, mimetype, filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)

    # A download whose data is a callable (built on the click) is registered, not stored: kept as
    # its callable, which :func:`downloaded` calls as a click would.
    from streamlit.runtime.media_file_manager import MediaFileManager

    add_deferred = MediaFileManager.add_deferred

    def deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        file_id = add_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)
        files[file_id] = (data_callable, mimetype, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", deferred)
    return files


def downloaded(
    at: AppTest, media: dict[str, tuple[bytes | str, str, str | None]], key: str
) -> tuple[Any, str, str | None]:
    """What a click on the download button ``key`` gives: ``(data, mime type, file name)``."""
    button = next(b for b in at.get("download_button") if b.proto.id.endswith(key))
    if button.proto.deferred_file_id:  # built on the click: call it, as the click would
        build, mime, name = media[button.proto.deferred_file_id]
        return build(), mime, name  # type: ignore[operator]
    return media[button.proto.url.rsplit("/", 1)[-1].split(".")[0]]
