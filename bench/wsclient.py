"""A student without a browser: Streamlit's own websocket protocol, for load levels a browser cannot drive.

On two cores, 32 Chromium pages compete with the server they measure (each tab renders, runs the
Streamlit frontend and decodes every image), so the browser curve measured the browsers as much as
the app. This client speaks the frontend's protocol instead: it opens ``/_stcore/stream``, sends
``BackMsg.rerun_script`` with the widget states a browser would send, uploads the photo the way the
frontend does (``file_urls_request``, then a multipart ``PUT`` to the URL the server gives, with
the XSRF cookie and header), and reads the ``ForwardMsg`` deltas of the run until
``script_finished``. The server does all its real work (the page's script, the fair queue, the model,
encoding the images it sends); only rendering in a browser is left out, so a result here is a little
earlier than in a tab.

A result is right when the finished run drew this photo's name (the input's caption or the detection
table) and a result element (a metric or a table), and drew no exception or error box: the same rule
as the browser client (``bench.load.DONE_JS``).

Example:
    >>> _widget_ids_by_label({"Sube una imagen": "$$ID-1"}, "Sube una imagen")
    '$$ID-1'
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The photo uploader's label (ui/strings/common.py, "input.upload"). The detection page has a second
# uploader (ground-truth labels): taking "the first dropzone" while the photo uploader is still being
# drawn after "Subir archivo" sent the photo to the labels uploader ("image/png files are not
# allowed"), and the run the bench waited for never started.
PHOTO_UPLOADER = "Sube una imagen"
SOURCE_LABEL = "Imagen"  # ui/strings/common.py "input.source" (the page opens in Spanish)
UPLOAD_OPTION = "Subir archivo"  # "input.source_upload"
_request_ids = itertools.count()


def _widget_ids_by_label(ids: dict[str, str], label: str) -> str:
    """The id of the widget with this label (what a browser test finds by its label)."""
    if label not in ids:
        raise LookupError(f"no widget labelled {label!r} in the page; widgets: {sorted(ids)}")
    return ids[label]


@dataclass
class _Run:
    """What one script run drew: widget ids by label, texts, and whether it errored."""

    widgets: dict[str, str] = field(default_factory=dict)
    radio_options: dict[str, list[str]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    results: int = 0  # metrics and tables
    errors: list[str] = field(default_factory=list)
    finished: bool = False


def _read_element(run: _Run, element: Any) -> None:
    kind = element.WhichOneof("type")
    if kind is None:
        return
    body = getattr(element, kind)
    if kind in ("radio", "file_uploader", "selectbox", "button", "checkbox", "slider", "multiselect"):
        run.widgets[body.label] = body.id
        if kind == "radio":
            run.radio_options[body.label] = list(body.options)
    elif kind == "exception":
        run.errors.append(f"{body.type}: {body.message}"[:200])
    elif kind == "alert" and body.format == 1:  # Alert.Format.ERROR
        run.errors.append(body.body[:200])
    elif kind in ("metric", "table", "arrow_table", "arrow_data_frame"):
        run.results += 1
        if kind == "metric":
            run.texts.append(f"{body.label} {body.body}")
    elif kind == "markdown":
        run.texts.append(body.body)
    elif kind == "imgs":
        run.texts.extend(img.caption for img in body.imgs)
    if kind in ("arrow_table", "arrow_data_frame", "table"):
        try:  # the detection table names the photo: look inside it
            import pyarrow as pa

            data = getattr(body, "data", b"")
            if data:
                table = pa.ipc.open_stream(data).read_all()
                run.texts.append(" ".join(str(v) for col in table.columns for v in col.to_pylist()))
        except Exception:  # noqa: BLE001, S110 - a table we cannot read only loses its text
            pass


class WsStudent:
    """One session over the websocket: open a page, choose "upload", upload photos one after another.

    Example (needs a running app):
        >>> async def demo():  # doctest: +SKIP
        ...     async with WsStudent("http://127.0.0.1:8501", "classification") as s:
        ...         return await s.upload(Path("cat.jpg"))
    """

    def __init__(self, base: str, page_path: str, timeout_s: float = 300.0) -> None:
        self.base = base.rstrip("/")
        self.page_path = page_path
        self.timeout_s = timeout_s
        self.states: dict[str, Any] = {}  # widget id -> WidgetState (all of them are sent on each rerun)
        self.session_id = ""
        self.xsrf = ""
        self.last = _Run()
        self.sent: dict[str, Any] = {}  # ForwardMsg by hash: what the server may later refer to by hash

    async def __aenter__(self) -> WsStudent:
        import httpx
        import websockets

        # No keep-alive: the server closes an idle connection after a few seconds, and a session
        # that waited in the queue longer reused a closed one for its upload (httpx ReadError).
        self.http = httpx.AsyncClient(
            base_url=self.base, timeout=self.timeout_s, limits=httpx.Limits(max_keepalive_connections=0)
        )
        health = await self.http.get("/_stcore/health")  # sets the XSRF cookie, as the frontend's first call
        health.raise_for_status()
        self.xsrf = self.http.cookies.get("_streamlit_xsrf", "")
        ws_url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        protocols = ["streamlit", self.xsrf] if self.xsrf else ["streamlit"]
        self.ws = await websockets.connect(
            ws_url,
            subprotocols=protocols,  # type: ignore[arg-type]
            origin=self.base,  # type: ignore[arg-type]
            additional_headers={"Cookie": f"_streamlit_xsrf={self.xsrf}"} if self.xsrf else None,
            max_size=None,
            open_timeout=self.timeout_s,
        )
        await self._rerun()  # the page's first run, as a browser opening /page
        source = _widget_ids_by_label(self.last.widgets, SOURCE_LABEL)
        options = self.last.radio_options[SOURCE_LABEL]
        self._set(source, "string_value", options[options.index(UPLOAD_OPTION)])  # the shown option
        await self._rerun()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()
        await self.http.aclose()

    def _set(self, widget_id: str, kind: str, value: Any) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=widget_id)
        if kind == "file_uploader_state_value":
            state.file_uploader_state_value.CopyFrom(value)
        else:
            setattr(state, kind, value)
        self.states[widget_id] = state

    async def _send(self, msg: Any) -> None:
        await self.ws.send(msg.SerializeToString())

    async def _rerun(self) -> _Run:
        """Send the widget states, read the run to its end."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_name = self.page_path
        msg.rerun_script.widget_states.widgets.extend(self.states.values())
        await self._send(msg)
        return await self._read_run()

    async def _read_run(self) -> _Run:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        run = _Run()
        started = False
        deadline = time.monotonic() + self.timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no script_finished within {self.timeout_s:.0f} s")
            data = await asyncio.wait_for(self.ws.recv(), timeout=left)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "ref_hash":  # a message this session was sent before: the server sends its hash only
                cached = self.sent.get(fwd.ref_hash)
                if cached is None:
                    raise RuntimeError(f"the server referred to a message this client never got ({fwd.ref_hash})")
                fwd, kind = cached, cached.WhichOneof("type")
            elif fwd.hash:
                self.sent[fwd.hash] = fwd
            if kind == "new_session":
                started = True
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                _read_element(run, fwd.delta.new_element)
            elif kind == "script_finished" and started:
                # 0 = finished successfully, 1 = with compile error, 2 = for a rerun (superseded), 3 = fragment
                if fwd.script_finished in (2,):
                    run = _Run()
                    continue
                run.finished = True
                self.last = run
                return run

    async def _upload_file(self, uploader_id: str, photo: Path) -> Any:
        """The frontend's upload: ask for a URL, PUT the file there; the uploader's new state."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        request_id = f"bench-{next(_request_ids)}-{uuid.uuid4().hex[:6]}"
        msg = BackMsg()
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.file_names.append(photo.name)
        msg.file_urls_request.session_id = self.session_id
        await self._send(msg)
        deadline = time.monotonic() + self.timeout_s
        while True:
            data = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            if fwd.WhichOneof("type") == "file_urls_response" and fwd.file_urls_response.response_id == request_id:
                if fwd.file_urls_response.error_msg:
                    raise RuntimeError(fwd.file_urls_response.error_msg)
                urls = fwd.file_urls_response.file_urls[0]
                break
        content = photo.read_bytes()
        headers = {"X-Xsrftoken": self.xsrf} if self.xsrf else {}
        put = await self.http.put(urls.upload_url, files={"file": (photo.name, content, "image/jpeg")}, headers=headers)
        put.raise_for_status()
        state = FileUploaderState()
        info = UploadedFileInfo(name=photo.name, size=len(content), file_id=urls.file_id)
        info.file_urls.CopyFrom(urls)
        state.uploaded_file_info.append(info)
        return state

    async def upload(self, photo: Path) -> dict[str, Any]:
        """Upload ``photo`` to the page's photo uploader and wait for its result; a row for the bench."""
        start = time.monotonic()
        uploader = _widget_ids_by_label(self.last.widgets, PHOTO_UPLOADER)
        self._set(uploader, "file_uploader_state_value", await self._upload_file(uploader, photo))
        run = await self._rerun()
        end = time.monotonic()
        named = any(photo.name in text.replace("\\", "") for text in run.texts)  # markdown escapes "."
        ok = run.finished and not run.errors and named and run.results > 0
        row: dict[str, Any] = {"s": end - start, "error": not ok, "start": start, "end": end}
        if not ok:
            row["detail"] = ("; ".join(run.errors) or f"finished={run.finished} named={named} results={run.results}")[
                :300
            ]
        return row


async def ws_student(
    base: str, page_path: str, photos: list[Path], rounds: int, out: list[dict[str, Any]], timeout_s: float = 300.0
) -> None:
    """One session of a load level over the websocket; rows go into ``out`` as they finish."""
    try:
        student = WsStudent(base, page_path, timeout_s=timeout_s)
        await student.__aenter__()
    except Exception as exc:  # noqa: BLE001 - a page that never opened: every upload is an error row
        now = time.monotonic()
        out.extend({"s": 0.0, "error": True, "detail": repr(exc)[:200], "start": now, "end": now} for _ in photos)
        return
    try:
        for r in range(rounds):
            try:
                out.append(await student.upload(photos[r % len(photos)]))
            except Exception as exc:  # noqa: BLE001 - a time-out or a dropped socket is an error row
                now = time.monotonic()
                out.append({"s": 0.0, "error": True, "detail": repr(exc)[:200], "start": now, "end": now})
    finally:
        await student.__aexit__()
