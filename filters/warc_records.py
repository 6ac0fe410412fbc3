"""Read WARC, WET and ARC shards into :class:`Document` records, bounded and tolerant of bad input.

:class:`WarcReader` turns one shard (a binary stream) into a sequence of items, one per record:

* a :class:`~zhclean.filters.document.Document` for every *capture*: a ``response`` record with an
  HTTP message, a WET ``conversion`` record (plain text), an HTML ``resource`` record, or an ARC
  record with an ``http(s)`` URL;
* a :class:`~zhclean.filters.document.DropEvent` with stage ``read`` for a capture that goes no
  further (``not_html``, ``empty``, ``too_large``, ``binary``) and for read errors
  (``error:KIND``, see :data:`ERROR_KINDS`);
* a :class:`SkippedRecord` for records that are not captures (``warcinfo``, ``request``,
  ``metadata``, ``revisit``, non-HTML ``resource``...): counted, never documents.

The reader never raises on bad input and never holds an unbounded amount of one record. It
parses the record framing itself instead of using ``warcio.ArchiveIterator``, because the latter
inflates whole 16 KB input blocks without an output bound, skips a record by inflating all of it,
refuses single-member gzip files, and reports corrupt gzip data only on stderr. What this module
does instead:

* gzip members are inflated at most ``INFLATE_CHUNK`` bytes at a time; a record's payload is read
  only if it is at most ``max_record_bytes`` long, and HTTP ``Content-Encoding`` is undone with an
  output cap of ``max_record_bytes + 1`` bytes;
* a record that is skipped (too large, not HTML, not a capture) is inflated and discarded only up
  to ``skip_inflate_limit`` bytes; past that, if the record started its own gzip member (the
  Common Crawl layout), the reader jumps to the next gzip member by scanning the compressed
  bytes, so a gzip bomb costs time in proportion to its *compressed* size;
* a record whose ``Content-Length`` does not match its block is reported as ``error:bad_record``
  and reading resumes at the next record header (the next line starting with ``WARC/`` or the
  next ARC header line); a damaged gzip member is reported as ``error:truncated_gzip`` and
  reading resumes at the next gzip member that starts a record, if there is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from zhclean.filters.document import Document, DropEvent
from zhclean.filters.http_payload import (
    binary_reason,
    dechunk,
    decode_content,
    looks_like_html,
    parse_content_type,
)
from zhclean.filters.warc_stream import (
    GZIP_MAGIC,
    RAW_CHUNK,
    BadRecord,
    RecordBlock,
    ShardStream,
    StreamBroken,
)

STAGE = "read"

#: Drop reasons of the read stage (``read/REASON``).
DROP_REASONS: dict[str, str] = {
    "not_html": "the capture's content type is not one of html_content_types",
    "empty": "the capture has a zero-length payload",
    "too_large": "the payload, as stored or once decoded, is longer than max_record_bytes",
    "binary": "the payload is labelled as HTML but its first bytes are binary",
}

#: Error kinds of the read stage (``read/error:KIND``). ``stops`` says what happens next.
ERROR_KINDS: dict[str, str] = {
    "empty_file": "the shard has zero bytes; nothing more to read",
    "not_warc": "the shard (after gzip) does not start with a WARC or ARC record; reading stops",
    "truncated_gzip": "a gzip member does not inflate to its end: the file ends inside it, or its "
    "deflate data breaks off (a member cut short mid-shard, damaged bytes, bad CRC); "
    "reading resumes at the next gzip member that starts a record, or stops",
    "gzip_garbage": "bytes where the next gzip member should start are not gzip; reading resumes "
    "at the next gzip member that starts a record, or stops",
    "bad_record": "a record's framing is broken: malformed or oversized WARC headers, missing "
    "or invalid Content-Length, a block shorter than its Content-Length, or bytes after the block "
    "that do not start the next record; reading resumes at the next record header",
    "bad_http": "a response record's HTTP status line or headers are malformed or oversized; "
    "the record's framing is intact, so reading goes on with the next record",
    "io": "the underlying stream raised while reading; reading stops",
    "internal": "an unexpected exception inside the reader (a bug); reading stops",
}

DEFAULT_HTML_CONTENT_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")
#: Decompressed bytes a skip may inflate before jumping to the next gzip member instead.
DEFAULT_SKIP_INFLATE_LIMIT = 64 << 20

_CAPTURE_TYPES = frozenset({"response", "resource", "conversion"})
_MAX_LINE = 1 << 16
_MAX_HEADER_BYTES = 1 << 18

_WARC_LINE = re.compile(rb"WARC/\d+\.\d+\s*")
_ARC_V2_LINE = re.compile(
    rb"(?P<uri>\S.*) (?P<ip>\S+) (?P<date>\d{14}) (?P<ctype>\S+) (?:\d{3}|-) \S+ \S+ (?:\d+|-) "
    rb"\S+ (?P<length>\S+)\s*"
)
_ARC_V1_LINE = re.compile(
    rb"(?P<uri>\S.*) (?P<ip>\S+) (?P<date>\d{8,18}) (?P<ctype>\S+) (?P<length>\S+)\s*"
)
_URI_SCHEME = re.compile(rb"[A-Za-z][A-Za-z0-9+.-]{0,15}:")


@dataclass(frozen=True)
class SkippedRecord:
    """A WARC/ARC record that is not a capture of a web page.

    ``warcinfo``, ``request``, ``metadata``, ``revisit``, non-HTML ``resource`` records,
    ``response`` records for non-HTTP URLs (``dns:``) and ARC file headers carry no page. They are
    counted per ``record_type`` so the input can be audited, but they are neither documents nor
    drops.
    """

    record_type: str
    id: str = ""
    url: str = ""
    detail: str = ""


Item = Document | DropEvent | SkippedRecord


@dataclass
class _Line:
    """A record header line and where its record starts."""

    line: bytes
    raw_offset: int
    delta: int  # logical distance from the start of its gzip member (0: record starts a member)


@dataclass
class _Cursor:
    """Where the shard loop is: the file format, the next record line, the record in hand."""

    head: bytes  # the first bytes of the shard, for error details
    fmt: str | None = None  # 'warc' or 'arc', fixed by the first record
    next_line: _Line | None = None
    record: _Line | None = None
    held: Item | None = None  # a record read completely, not yet emitted


@dataclass
class _Meta:
    id: str
    url: str
    date: str
    source_file: str
    offset: int


class _Shard:
    """Per-shard bookkeeping of ids, so that no capture or error id is emitted twice.

    Captures keep their WARC-Record-ID unless it was already used in this shard (some writers
    reuse ids); records without a usable id are named ``FILE#OFFSET`` (``FILE#OFFSET+DELTA`` for a
    record that does not start its own gzip member).
    """

    def __init__(self, source_file: str) -> None:
        self.file = source_file
        self._ids: set[str] = set()
        self.last_offset = 0
        self.current: tuple[int, str, str] | None = None  # (raw offset, record id, url)

    def offset_id(self, raw_offset: int, delta: int = 0) -> str:
        base = f"{self.file}#{raw_offset}" if delta == 0 else f"{self.file}#{raw_offset}+{delta}"
        name, n = base, 1
        while name in self._ids:
            n += 1
            name = f"{base}~{n}"
        self._ids.add(name)
        return name

    def capture_id(self, record_id: str, raw_offset: int, delta: int) -> str:
        if record_id and record_id not in self._ids:
            self._ids.add(record_id)
            return record_id
        return self.offset_id(raw_offset, delta)

    def error(
        self, kind: str, detail: str, raw_offset: int, delta: int = 0, url: str = ""
    ) -> DropEvent:
        return DropEvent(
            id=self.offset_id(raw_offset, delta),
            url=url,
            stage=STAGE,
            reason=f"error:{kind}",
            detail=detail,
        )


def _decode_header_bytes(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _parse_fields(block: bytes) -> tuple[list[tuple[str, str]], bool]:
    """Header fields of a header block (lines up to a blank line); names are lowercased.

    Returns (fields, complete): ``complete`` is False if the block does not end with a blank
    line (input ended first, or the block is longer than ``_MAX_HEADER_BYTES``). Values are
    UTF-8, or Latin-1 for lines that are not UTF-8.
    """
    try:
        lines = block.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        lines = [_decode_header_bytes(line) for line in block.split(b"\n")]
    complete = len(lines) >= 2 and not lines[-1] and not lines[-2].strip()
    fields: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        if line[0] in " \t":
            if fields:
                name, value = fields[-1]
                fields[-1] = (name, f"{value} {line.strip()}".strip())
            continue
        name, sep, value = line.partition(":")
        if sep:
            fields.append((name.strip().lower(), value.strip()))
    return fields, complete


def _first(fields: list[tuple[str, str]], name: str) -> str | None:
    for key, value in fields:
        if key == name:
            return value
    return None


def _last(fields: list[tuple[str, str]], name: str) -> str | None:
    found = None
    for key, value in fields:
        if key == name and value:
            found = value
    return found


def _all(fields: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in fields if key == name]


def _parse_int(text: str | bytes | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


def _clean_uri(uri: str | None) -> str:
    """Strip the ``<...>`` some wget versions wrote, and percent-encode spaces."""
    if not uri:
        return ""
    uri = uri.strip()
    if uri.startswith("<") and uri.endswith(">"):
        uri = uri[1:-1]
    return uri.replace(" ", "%20")


def _arc_date(stamp: str) -> str:
    """ARC 14-digit timestamp → ISO 8601 (longer stamps are cut; others are kept as given)."""
    if len(stamp) >= 14 and stamp[:14].isdigit():
        s = stamp[:14]
        return f"{s[0:4]}-{s[4:6]}-{s[6:8]}T{s[8:10]}:{s[10:12]}:{s[12:14]}Z"
    return stamp


def _record_line_format(line: bytes) -> str | None:
    """'warc' or 'arc' if ``line`` is a record header line, else None."""
    text = line.rstrip(b"\r\n")
    if _WARC_LINE.fullmatch(text):
        return "warc"
    if _arc_match(text) is not None:
        return "arc"
    return None


def _arc_match(text: bytes) -> re.Match[bytes] | None:
    text = text.rstrip(b"\r\n")
    for pattern in (_ARC_V2_LINE, _ARC_V1_LINE):
        m = pattern.fullmatch(text)
        if m is not None and _URI_SCHEME.match(m.group("uri")):
            return m
    return None


class WarcReader:
    """Turns one WARC/WET/ARC shard into Documents, read drops, read errors and skipped records.

    It decides, per record, whether the record is a capture worth decoding (HTML or WET text,
    non-empty, not larger than ``max_record_bytes``, not binary) and reports every other record
    with a reason, so that the read stage accounts for every record it saw. See the module
    docstring for the bounds it keeps and :data:`DROP_REASONS` / :data:`ERROR_KINDS` for the
    reason names.
    """

    def __init__(
        self,
        max_record_bytes: int,
        html_content_types: list[str] | tuple[str, ...] = DEFAULT_HTML_CONTENT_TYPES,
        skip_inflate_limit: int = DEFAULT_SKIP_INFLATE_LIMIT,
    ) -> None:
        if max_record_bytes <= 0:
            raise ValueError("max_record_bytes must be positive")
        self.max_record_bytes = max_record_bytes
        self.html_content_types = frozenset(t.strip().lower() for t in html_content_types)
        self.skip_inflate_limit = max(0, skip_inflate_limit)

    # -- public ----------------------------------------------------------------------------
    def read(self, stream: BinaryIO, source_file: str) -> Iterator[Item]:
        """One item per record of ``stream``; never raises on bad input."""
        shard = _Shard(source_file)
        try:
            yield from self._read_shard(stream, shard)
        except Exception as exc:  # last line of defence: a reader bug must not kill the worker
            yield shard.error("internal", f"{type(exc).__name__}: {exc}", shard.last_offset)

    # -- shard loop ------------------------------------------------------------------------
    def _read_shard(self, stream: BinaryIO, shard: _Shard) -> Iterator[Item]:
        try:
            head = bytes(stream.read(RAW_CHUNK) or b"")
            while 0 < len(head) < 4:
                more = bytes(stream.read(RAW_CHUNK) or b"")
                if not more:
                    break
                head += more
        except Exception as exc:
            yield shard.error("io", f"{type(exc).__name__}: {exc}", 0)
            return
        if not head:
            yield shard.error("empty_file", "the file has zero bytes", 0)
            return
        src = ShardStream(stream, head, gz=head.startswith(GZIP_MAGIC))
        cursor = _Cursor(head)
        while True:
            try:
                yield from self._records(src, shard, cursor)
                return
            except StreamBroken as broken:
                yield from self._broken(shard, cursor, broken)
                if not (broken.recoverable and src.recover()):
                    return
                cursor.next_line = None

    def _records(self, src: ShardStream, shard: _Shard, cursor: _Cursor) -> Iterator[Item]:
        """Records from the cursor on, until the end of input (or until the stream breaks)."""
        while True:
            if cursor.next_line is None:
                cursor.next_line = self._next_line(src)
            rec = cursor.next_line
            if rec is None:
                if cursor.fmt is None:
                    yield shard.error("not_warc", _not_warc_detail(cursor.head), 0)
                return
            if cursor.fmt is None:
                cursor.fmt = _record_line_format(rec.line)
                if cursor.fmt is None:
                    yield shard.error("not_warc", _not_warc_detail(cursor.head, rec.line), 0)
                    return
            elif _record_line_format(rec.line) != cursor.fmt:  # after a recovery
                cursor.next_line = self._resync(src, cursor.fmt)
                if cursor.next_line is None:
                    return
                continue
            cursor.next_line = None
            cursor.record = rec
            shard.last_offset = rec.raw_offset
            shard.current = None
            try:
                item: Item = self._record(src, rec, cursor.fmt, shard)
                framed = True
            except BadRecord as bad:
                item = self._bad_record(shard, rec, bad)
                framed = False
            if framed:
                cursor.held = item  # until we know the block ended where the next record starts
                follow = self._after_block(src, cursor.fmt)
                cursor.held = None
                if isinstance(follow, bytes):
                    item = self._bad_record(
                        shard,
                        rec,
                        BadRecord(
                            "the bytes after the block do not start the next record "
                            f"({follow!r}); Content-Length is probably wrong",
                            item.id,
                            item.url,
                        ),
                    )
                    framed = False
                else:
                    cursor.next_line = follow
            yield item
            shard.current = None
            if not framed:
                cursor.next_line = self._resync(src, cursor.fmt)
            if cursor.next_line is None:
                return

    def _broken(self, shard: _Shard, cursor: _Cursor, broken: StreamBroken) -> Iterator[Item]:
        """The error for a broken stream, and the record read just before it if it is sound."""
        error = shard.error(broken.kind, broken.detail, broken.raw_offset)
        same_member = cursor.record is not None and cursor.record.raw_offset == broken.raw_offset
        held, cursor.held = cursor.held, None
        if held is not None and not same_member:
            yield held  # complete, and the break is in a later member
        elif held is not None:  # the record's member failed (e.g. its CRC): the error replaces it
            error = DropEvent(
                id=error.id,
                url=held.url,
                stage=STAGE,
                reason=error.reason,
                detail=f"{broken.detail} [record {held.id}]",
            )
        elif shard.current is not None and shard.current[0] == broken.raw_offset:
            _offset, record_id, url = shard.current  # the record being read was lost
            error = DropEvent(
                id=error.id,
                url=url,
                stage=STAGE,
                reason=error.reason,
                detail=f"{broken.detail} [record {record_id}]",
            )
        yield error

    def _next_line(self, src: ShardStream) -> _Line | None:
        """The next non-blank line, with where it starts; None at the end of input."""
        while True:
            if not src.peek(1):
                return None
            raw, delta = src.locate(src.pos)
            line = src.readline(_MAX_LINE)
            if line.strip():
                return _Line(line, raw, delta)

    def _after_block(self, src: ShardStream, fmt: str) -> _Line | bytes | None:
        """After a block: the next record's line, None at the end, or the offending bytes."""
        nxt = self._next_line(src)
        if nxt is None or _record_line_format(nxt.line) == fmt:
            return nxt
        return nxt.line[:40]

    def _resync(self, src: ShardStream, fmt: str) -> _Line | None:
        """Skip lines up to the next record header line of format ``fmt``."""
        skipped = 0
        while True:
            nxt = self._next_line(src)
            if nxt is None or _record_line_format(nxt.line) == fmt:
                return nxt
            skipped += len(nxt.line)
            if skipped > self.skip_inflate_limit and src.member_active():
                if not src.jump_to_next_member():
                    return None
                skipped = 0

    def _bad_record(self, shard: _Shard, rec: _Line, bad: BadRecord) -> DropEvent:
        if bad.record_id.startswith(f"{shard.file}#"):
            # the record was already named by its offset: its error keeps that name
            return DropEvent(
                id=bad.record_id,
                url=bad.url,
                stage=STAGE,
                reason="error:bad_record",
                detail=bad.detail,
            )
        detail = f"{bad.detail} [record {bad.record_id}]" if bad.record_id else bad.detail
        return shard.error("bad_record", detail, rec.raw_offset, rec.delta, url=bad.url)

    # -- one record ------------------------------------------------------------------------
    def _record(self, src: ShardStream, rec: _Line, fmt: str, shard: _Shard) -> Item:
        if fmt == "warc":
            return self._warc_record(src, rec, shard)
        return self._arc_record(src, rec, shard)

    def _warc_record(self, src: ShardStream, rec: _Line, shard: _Shard) -> Item:
        fields, complete = _parse_fields(src.read_header_block(_MAX_HEADER_BYTES))
        record_id = (_first(fields, "warc-record-id") or "").strip()
        url = _clean_uri(_first(fields, "warc-target-uri"))
        shard.current = (rec.raw_offset, record_id, url)
        if not complete:
            raise BadRecord("malformed, oversized or truncated WARC headers", record_id, url)
        length = _parse_int(_first(fields, "content-length"))
        if length is None or length < 0:
            raise BadRecord("missing or invalid Content-Length", record_id, url)
        rtype = (_first(fields, "warc-type") or "").strip().lower() or "unknown"
        meta = _Meta(
            id=(
                shard.capture_id(record_id, rec.raw_offset, rec.delta)
                if rtype in _CAPTURE_TYPES
                else record_id or shard.offset_id(rec.raw_offset, rec.delta)
            ),
            url=url,
            date=(_first(fields, "warc-date") or "").strip(),
            source_file=shard.file,
            offset=rec.raw_offset,
        )
        block = RecordBlock(src, length)
        try:
            item = self._warc_block(block, rtype, fields, meta)
            block.finish(jump_ok=rec.delta == 0, inflate_limit=self.skip_inflate_limit)
        except BadRecord as bad:
            raise BadRecord(bad.detail, meta.id, url) from None
        if isinstance(item, Document):
            if _first(fields, "warc-truncated"):
                item.signals["read_warc_truncated"] = 1
            if record_id and item.id != record_id:
                item.signals["read_duplicate_record_id"] = 1
        return item

    def _warc_block(
        self, block: RecordBlock, rtype: str, fields: list[tuple[str, str]], meta: _Meta
    ) -> Item:
        warc_ctype, warc_charset = parse_content_type(_first(fields, "content-type"))
        if rtype == "response":
            if block.length == 0:
                return self._drop(meta, "empty", "response record without a block")
            if block.peek(5) == b"HTTP/":
                return self._http_capture(block, meta)
            if meta.url.lower().startswith(("http:", "https:")):
                return self._error(meta, "bad_http", "response block does not start with HTTP/")
            return SkippedRecord("response", meta.id, meta.url, "response for a non-HTTP URL")
        if rtype == "resource" and warc_ctype in self.html_content_types:
            return self._payload(block, meta, warc_ctype, warc_charset, None, [], False)
        if rtype == "conversion":
            return self._payload(
                block, meta, "text/plain", warc_charset or "utf-8", None, [], False, plain_text=True
            )
        return SkippedRecord(rtype, meta.id, meta.url)

    def _arc_record(self, src: ShardStream, rec: _Line, shard: _Shard) -> Item:
        m = _arc_match(rec.line)
        if m is None:  # pragma: no cover - the caller checked the line
            raise BadRecord("not an ARC header line")
        url = _clean_uri(_decode_header_bytes(m.group("uri")))
        length = _parse_int(m.group("length"))
        if length is None or length < 0:
            raise BadRecord(f"invalid ARC length {m.group('length')!r}", "", url)
        meta = _Meta(
            id=shard.offset_id(rec.raw_offset, rec.delta),
            url=url,
            date=_arc_date(_decode_header_bytes(m.group("date"))),
            source_file=shard.file,
            offset=rec.raw_offset,
        )
        block = RecordBlock(src, length)
        try:
            if url.startswith("filedesc:"):
                item: Item = SkippedRecord("arc_header", meta.id, url)
            elif not url.lower().startswith(("http:", "https:")):
                item = SkippedRecord("response", meta.id, url, "ARC record for a non-HTTP URL")
            elif length == 0:
                item = self._drop(meta, "empty", "ARC record without content")
            elif block.peek(5) == b"HTTP/":
                item = self._http_capture(block, meta, _decode_header_bytes(m.group("ctype")))
            else:  # old ARCs without HTTP headers: the ARC line carries the content type
                ctype, charset = parse_content_type(_decode_header_bytes(m.group("ctype")))
                item = self._payload(block, meta, ctype, charset, None, [], False)
            block.finish(jump_ok=rec.delta == 0, inflate_limit=self.skip_inflate_limit)
        except BadRecord as bad:
            raise BadRecord(bad.detail, meta.id, url) from None
        return item

    def _http_capture(self, block: RecordBlock, meta: _Meta, fallback_ctype: str = "") -> Item:
        status = block.readline(_MAX_LINE)
        if not status.startswith(b"HTTP/") or not status.endswith(b"\n"):
            return self._error(meta, "bad_http", f"bad HTTP status line {status[:60]!r}")
        fields, complete = _parse_fields(block.read_header_block(_MAX_HEADER_BYTES))
        if not complete and block.remaining > 0:
            return self._error(meta, "bad_http", "malformed or oversized HTTP headers")
        ctype, charset = parse_content_type(_last(fields, "content-type") or fallback_ctype)
        codings = [
            token.strip().lower()
            for value in _all(fields, "content-encoding")
            for token in value.split(",")
            if token.strip()
        ]
        chunked = any("chunked" in value.lower() for value in _all(fields, "transfer-encoding"))
        language = _last(fields, "content-language")
        return self._payload(block, meta, ctype, charset, language, codings, chunked)

    def _payload(
        self,
        block: RecordBlock,
        meta: _Meta,
        ctype: str,
        charset: str | None,
        language: str | None,
        codings: list[str],
        chunked: bool,
        plain_text: bool = False,
    ) -> Item:
        stored = block.remaining
        if ctype and not plain_text and ctype not in self.html_content_types:
            return self._drop(meta, "not_html", ctype)
        if stored == 0:
            return self._drop(meta, "empty", "zero-length payload")
        if stored > self.max_record_bytes:
            return self._drop(
                meta,
                "too_large",
                f"payload of {stored} bytes > max_record_bytes {self.max_record_bytes}",
            )
        body = block.read(stored)
        if chunked:
            body = dechunk(body)
        body, notes = decode_content(body, codings, self.max_record_bytes)
        if len(body) > self.max_record_bytes:
            return self._drop(
                meta,
                "too_large",
                f"payload decodes ({'+'.join(codings)}) to more than "
                f"max_record_bytes {self.max_record_bytes}",
            )
        signals: dict[str, int] = {}
        for note in notes:  # e.g. "gzip:partial" -> read_encoding_partial
            signals[f"read_encoding_{note.rsplit(':', 1)[-1]}"] = 1
        if not ctype:
            if not looks_like_html(body):
                return self._drop(meta, "not_html", "no Content-Type and not HTML-like")
            ctype = "text/html"
            signals["read_content_type_sniffed"] = 1
        if not body:
            return self._drop(meta, "empty", "payload decodes to zero bytes")
        why = binary_reason(body)
        if why is not None:
            return self._drop(meta, "binary", f"{ctype}: {why}")
        return Document(
            id=meta.id,
            url=meta.url,
            date=meta.date,
            source_file=meta.source_file,
            source_offset=meta.offset,
            content_type=ctype,
            http_charset=charset,
            content_language=language.strip() if language else None,
            is_plain_text=plain_text,
            raw=body,
            signals=signals,
        )

    @staticmethod
    def _drop(meta: _Meta, reason: str, detail: str) -> DropEvent:
        return DropEvent(id=meta.id, url=meta.url, stage=STAGE, reason=reason, detail=detail)

    @staticmethod
    def _error(meta: _Meta, kind: str, detail: str) -> DropEvent:
        return DropEvent(
            id=meta.id, url=meta.url, stage=STAGE, reason=f"error:{kind}", detail=detail
        )


def _not_warc_detail(head: bytes, line: bytes | None = None) -> str:
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd-compressed input is not supported"
    if head.startswith(b"BZh"):
        return "bzip2-compressed input is not supported"
    shown = line if line is not None else head
    return f"no WARC/ARC record header; the input starts with {shown[:40]!r}"
