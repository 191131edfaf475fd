"""Streaming multipart parsing for uploads: the file part goes to disk chunk by chunk, so the size
limit holds while the body arrives (Starlette's form parser would spool it all first)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from adclf.errors import BadInput

MAX_FIELD_BYTES = 64 * 1024


@dataclass
class _State:
    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None
    saw_file: bool = False
    header_field: bytes = b""
    header_value: bytes = b""
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str | None = None
    is_file: bool = False
    buf: bytearray = field(default_factory=bytearray)
    file_chunks: list[bytes] = field(default_factory=list)
    done: bool = False


class MultipartUpload:
    """Iterate `file_bytes()` to receive the `file` part; the other fields are in `fields`.

    A body that is not multipart is refused (BadInput) when `file_bytes()` starts, not here: the
    checks that need no body (declared size, a node to take the job) answer first."""

    def __init__(self, request: Request, file_field: str = "file") -> None:
        self.request = request
        self.file_field = file_field
        self.state = _State()
        ctype, params = parse_options_header(request.headers.get("content-type", ""))
        self.parser: MultipartParser | None = None
        if ctype == b"multipart/form-data" and b"boundary" in params:
            self.parser = self._parser(params[b"boundary"], file_field)

    def _parser(self, boundary: bytes, file_field: str) -> MultipartParser:
        s = self.state

        def on_header_field(data: bytes, start: int, end: int) -> None:
            s.header_field += data[start:end]

        def on_header_value(data: bytes, start: int, end: int) -> None:
            s.header_value += data[start:end]

        def on_header_end() -> None:
            s.headers[s.header_field.lower()] = s.header_value
            s.header_field, s.header_value = b"", b""

        def on_headers_finished() -> None:
            _, disp = parse_options_header(s.headers.get(b"content-disposition", b""))
            s.name = disp.get(b"name", b"").decode("utf-8", "replace")
            s.is_file = s.name == file_field
            if s.is_file:
                if s.saw_file:
                    raise BadInput("send one file per upload request")
                s.saw_file = True
                raw = disp.get(b"filename")
                s.filename = raw.decode("utf-8", "replace") if raw is not None else None
            s.buf = bytearray()

        def on_part_data(data: bytes, start: int, end: int) -> None:
            if s.is_file:
                s.file_chunks.append(bytes(data[start:end]))
                return
            s.buf += data[start:end]
            if len(s.buf) > MAX_FIELD_BYTES:
                raise BadInput(f"form field {s.name!r} is too long")

        def on_part_end() -> None:
            if not s.is_file and s.name:
                s.fields[s.name] = s.buf.decode("utf-8", "replace")
            s.headers = {}

        def on_end() -> None:
            s.done = True

        return MultipartParser(boundary, callbacks={
            "on_header_field": on_header_field, "on_header_value": on_header_value,
            "on_header_end": on_header_end, "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data, "on_part_end": on_part_end, "on_end": on_end})

    @property
    def fields(self) -> dict[str, str]:
        return self.state.fields

    @property
    def filename(self) -> str | None:
        return self.state.filename

    def _feed(self, chunk: bytes | None) -> None:
        assert self.parser is not None
        # A malformed body is the client's mistake: 400, not the parser's exception as a 500.
        try:
            if chunk is None:
                self.parser.finalize()
            else:
                self.parser.write(chunk)
        except FormParserError as exc:
            raise BadInput(f"the multipart body is malformed: {exc}"[:300]) from None

    async def file_bytes(self) -> AsyncIterator[bytes]:
        if self.parser is None:
            raise BadInput("expected a multipart/form-data body with a 'file' part")
        async for chunk in self.request.stream():
            self._feed(chunk)
            if self.state.file_chunks:
                chunks, self.state.file_chunks = self.state.file_chunks, []
                yield b"".join(chunks)
        self._feed(None)
        if self.state.file_chunks:
            yield b"".join(self.state.file_chunks)
            self.state.file_chunks = []
        if not self.state.saw_file:
            raise BadInput("the multipart body has no 'file' part")
