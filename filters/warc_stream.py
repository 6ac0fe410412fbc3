"""Byte-level reading of a WARC/ARC shard: gzip members, bounded buffers, resynchronisation.

Internal to :mod:`zhclean.filters.warc_records`. :class:`ShardStream` gives the shard's
decompressed bytes (``read``/``readline``/``peek``) while remembering where every gzip member
starts, never inflating more than ``INFLATE_CHUNK`` bytes at a time; :class:`RecordBlock` reads
one record's block with framing checks. Stream damage raises :class:`StreamBroken`, a record
whose framing is wrong raises :class:`BadRecord`.
"""

from __future__ import annotations

import re
import zlib
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
_MEMBER_MAGIC = b"\x1f\x8b\x08"  # gzip magic + deflate method
RAW_CHUNK = 1 << 16
INFLATE_CHUNK = 1 << 18
_MAX_KEPT_MEMBER_RAW = 1 << 22  # raw bytes of one member kept to rescan it after damage
_VALIDATE_BYTES = 1 << 12  # compressed bytes inflated to check a candidate member start
_RECORD_HEAD = re.compile(rb"\s*(?:WARC/\d|filedesc://|https?://|dns:|ftp://)")


def looks_like_record_head(data: bytes) -> bool:
    """True if ``data`` starts like a WARC record or an ARC header line."""
    return _RECORD_HEAD.match(data) is not None


class StreamBroken(Exception):
    """The byte stream itself broke (gzip damage, I/O error)."""

    def __init__(self, kind: str, detail: str, raw_offset: int, recoverable: bool) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.raw_offset = raw_offset
        self.recoverable = recoverable


class BadRecord(Exception):
    """One record's framing is broken; the stream may still be readable after it."""

    def __init__(self, detail: str, record_id: str = "", url: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.record_id = record_id
        self.url = url


def _inflates_to_record(data: bytes) -> bool:
    """True if ``data`` starts a gzip member whose first bytes look like a WARC/ARC record."""
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 64)
    except zlib.error:
        return False
    return looks_like_record_head(out)


class ShardStream:
    """The shard's bytes, inflated member by member if gzip, read with bounded buffers.

    ``pos`` counts the decompressed ("logical") bytes consumed. For gzip input the logical
    start and raw (compressed) offset of every member are remembered, so a record can be located
    by the raw offset of its member and reads can stop at member boundaries.
    """

    def __init__(self, fh: BinaryIO, head: bytes, gz: bool) -> None:
        self._fh = fh
        self.gz = gz
        self._pending = head  # raw bytes read from fh but not consumed yet
        self._raw_next = 0  # raw offset of the first byte of _pending
        self._buf = bytearray()
        self._off = 0
        self.pos = 0
        self._d: zlib._Decompress | None = None
        self._tail = b""
        self._member_raw: bytearray | None = None
        self._members: list[tuple[int, int]] = []  # (logical start, raw start)
        self.members_started = 0
        self._ended_at: int | None = None  # logical end of the last member, until the next starts

    # -- raw bytes -------------------------------------------------------------------------
    def _raw_read(self, n: int) -> bytes:
        if self._pending:
            data, self._pending = self._pending[:n], self._pending[n:]
        else:
            try:
                data = bytes(self._fh.read(n) or b"")
            except Exception as exc:
                raise StreamBroken(
                    "io", f"{type(exc).__name__}: {exc}", self._raw_next, recoverable=False
                ) from exc
        self._raw_next += len(data)
        return data

    def _unread(self, data: bytes) -> None:
        if data:
            self._pending = data + self._pending
            self._raw_next -= len(data)

    # -- decompressed buffer ---------------------------------------------------------------
    def _avail(self) -> int:
        return len(self._buf) - self._off

    def _end(self) -> int:
        return self.pos + self._avail()

    def _consume(self, k: int) -> bytes:
        data = bytes(self._buf[self._off : self._off + k])
        self._off += len(data)
        self.pos += len(data)
        if self._off >= len(self._buf):
            self._buf.clear()
            self._off = 0
        elif self._off > INFLATE_CHUNK:
            del self._buf[: self._off]
            self._off = 0
        return data

    def _drop_buffer(self) -> None:
        self.pos = self._end()
        self._buf.clear()
        self._off = 0

    def _start_member(self) -> bool:
        head = self._raw_read(RAW_CHUNK)
        if not head:
            return False
        start = self._raw_next - len(head)
        while len(head) < len(_MEMBER_MAGIC):
            more = self._raw_read(RAW_CHUNK)
            if not more:
                break
            head += more
        if not head.startswith(GZIP_MAGIC):
            if not head.strip(b"\x00") and self._only_zeros_left():
                return False  # zero padding after the last member
            self._unread(head[1:])
            raise StreamBroken(
                "gzip_garbage",
                f"bytes at raw offset {start} are not a gzip member: {head[:16]!r}",
                start,
                recoverable=True,
            )
        self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._tail = head
        self._member_raw = bytearray(head)
        self._members.append((self._end(), start))
        self.members_started += 1
        self._ended_at = None
        return True

    def _only_zeros_left(self) -> bool:
        while True:
            more = self._raw_read(RAW_CHUNK)
            if not more:
                return True
            if more.strip(b"\x00"):
                self._unread(more)
                return False

    def _fail_member(self, detail: str) -> None:
        start = self._members[-1][1]
        if self._member_raw is not None:
            self._unread(bytes(self._member_raw[1:]))  # rescan the member after its first byte
        else:
            self._unread(self._tail)
        self._d = None
        self._tail = b""
        self._member_raw = None
        raise StreamBroken("truncated_gzip", detail, start, recoverable=True)

    def _fill(self, cross: bool = True) -> bool:
        """Append more decompressed bytes to the buffer; False at the end of input.

        With ``cross=False`` the end of the current gzip member counts as the end of input.
        """
        if not self.gz:
            data = self._raw_read(RAW_CHUNK)
            if not data:
                return False
            self._buf += data
            return True
        while True:
            if self._d is None:
                if not cross and self._ended_at is not None:
                    return False
                if not self._start_member():
                    return False
            assert self._d is not None
            if not self._tail:
                self._tail = self._raw_read(RAW_CHUNK)
                if not self._tail:
                    self._fail_member("the file ends inside a gzip member")
                if self._member_raw is not None:
                    self._member_raw += self._tail
                    if len(self._member_raw) > _MAX_KEPT_MEMBER_RAW:
                        self._member_raw = None
            try:
                out = self._d.decompress(self._tail, INFLATE_CHUNK)
            except zlib.error as exc:
                self._fail_member(f"gzip member does not inflate: {exc}")
            self._tail = self._d.unconsumed_tail
            if self._d.eof:
                self._unread(self._d.unused_data)
                self._d = None
                self._tail = b""
                self._member_raw = None
                self._buf += out
                self._ended_at = self._end()
                return True
            if out:
                self._buf += out
                return True

    # -- reading ---------------------------------------------------------------------------
    def read(self, n: int, cross: bool = True) -> bytes:
        """Up to ``n`` bytes; with ``cross=False`` never past the end of the current member."""
        while self._avail() < n and self._fill(cross):
            pass
        k = min(n, self._avail())
        if not cross and self.gz:
            for logical, _raw in self._members:
                if logical > self.pos:
                    k = min(k, logical - self.pos)
            if self._ended_at is not None:
                k = min(k, self._ended_at - self.pos)
        return self._consume(max(k, 0))

    def readline(self, limit: int) -> bytes:
        """One line of at most ``limit`` bytes (crosses gzip members)."""
        scanned = 0
        while True:
            end = min(len(self._buf), self._off + limit)
            i = self._buf.find(b"\n", self._off + scanned, end)
            if i >= 0:
                return self._consume(i + 1 - self._off)
            if end - self._off >= limit:
                return self._consume(limit)
            scanned = end - self._off
            if not self._fill():
                return self._consume(self._avail())

    def read_header_block(self, limit: int) -> bytes:
        """Bytes up to and including the first blank line, or at most ``limit`` bytes (crosses
        gzip members). The caller checks whether the result ends with a blank line."""
        scanned = 0
        while True:
            buf, off = self._buf, self._off
            end = min(len(buf), off + limit)
            if buf.startswith(b"\n", off) or buf.startswith(b"\r\n", off):
                return self.readline(2)
            start = off + max(0, scanned - 2)
            hits = [i for i in (buf.find(b"\n\r\n", start, end), buf.find(b"\n\n", start, end))
                    if i >= 0]
            if hits:
                i = min(hits)
                return self._consume(i + (3 if buf[i + 1] == 13 else 2) - off)
            if end - off >= limit:
                return self._consume(limit)
            scanned = end - off
            if not self._fill():
                return self._consume(self._avail())

    def peek(self, n: int) -> bytes:
        while self._avail() < n and self._fill():
            pass
        return bytes(self._buf[self._off : self._off + n])

    def at_boundary(self) -> bool:
        """True if a gzip member ends exactly at ``pos`` (inside the logical stream)."""
        if not self.gz:
            return False
        if self._ended_at == self.pos:
            return True
        return any(logical == self.pos and logical > 0 for logical, _ in self._members)

    def member_active(self) -> bool:
        return self.gz and self._d is not None

    def locate(self, pos: int) -> tuple[int, int]:
        """(raw offset of the member holding logical ``pos``, distance of ``pos`` from its start).

        For uncompressed input the raw offset is ``pos`` itself and the distance is 0. Members
        before the one holding ``pos`` are forgotten.
        """
        if not self.gz:
            return pos, 0
        keep = 0
        for i, (logical, _raw) in enumerate(self._members):
            if logical <= pos:
                keep = i
        del self._members[:keep]
        if not self._members:
            return 0, pos
        logical, raw = self._members[0]
        return raw, pos - logical

    # -- resynchronisation -----------------------------------------------------------------
    def jump_to_next_member(self) -> bool:
        """Abandon the current gzip member without inflating it; False if no member follows."""
        self._unread(self._tail)
        self._d = None
        self._tail = b""
        self._member_raw = None
        self._drop_buffer()
        self._ended_at = self.pos
        return self._scan_to_member()

    def recover(self) -> bool:
        """After a gzip error: continue at the next gzip member that starts a record."""
        self._d = None
        self._tail = b""
        self._member_raw = None
        self._drop_buffer()
        self._ended_at = self.pos
        return self._scan_to_member()

    def _scan_to_member(self) -> bool:
        window = bytearray()
        searched = 0
        eof = False
        while True:
            i = window.find(_MEMBER_MAGIC, searched)
            if i >= 0 and (eof or len(window) - i >= _VALIDATE_BYTES):
                if _inflates_to_record(bytes(window[i : i + _VALIDATE_BYTES])):
                    self._unread(bytes(window[i:]))
                    return True
                searched = i + 1
                continue
            if eof:
                return False
            cut = i if i >= 0 else max(0, len(window) - len(_MEMBER_MAGIC) + 1)
            del window[:cut]
            searched = 0
            more = self._raw_read(RAW_CHUNK)
            if more:
                window += more
            else:
                eof = True


class RecordBlock:
    """The block of one record: ``length`` bytes of the stream, read with framing checks.

    A block normally lies inside one gzip member. If its member ends early, the next member is
    peeked: if it starts a new record, the block is short (``bad_record``); otherwise the block
    goes on in the next member (some writers split records across members).
    """

    def __init__(self, src: ShardStream, length: int) -> None:
        self.src = src
        self.length = length
        self.remaining = length
        self._accepted: tuple[int, int] | None = None

    def _short(self, why: str) -> BadRecord:
        got = self.length - self.remaining
        return BadRecord(
            f"Content-Length is {self.length} but the block ends after {got} bytes ({why})"
        )

    def read(self, n: int) -> bytes:
        """Exactly ``min(n, remaining)`` bytes, or raise :class:`BadRecord`."""
        want = min(n, self.remaining)
        parts: list[bytes] = []
        got = 0
        while got < want:
            src = self.src
            here = (src.pos, src.members_started)
            if src.at_boundary() and here != self._accepted:
                nxt = src.peek(64)
                if not nxt:
                    self.remaining -= got
                    raise self._short("the file ends")
                if looks_like_record_head(nxt):
                    self.remaining -= got
                    raise self._short("the next gzip member starts a new record")
                self._accepted = (src.pos, src.members_started)
                continue
            chunk = src.read(want - got, cross=False)
            if not chunk:
                if src.at_boundary() and (src.pos, src.members_started) != self._accepted:
                    continue
                self.remaining -= got
                raise self._short("the file ends")
            parts.append(chunk)
            got += len(chunk)
        self.remaining -= got
        return b"".join(parts)

    def readline(self, limit: int) -> bytes:
        line = self.src.readline(min(limit, self.remaining))
        self.remaining -= len(line)
        return line

    def read_header_block(self, limit: int) -> bytes:
        block = self.src.read_header_block(min(limit, self.remaining))
        self.remaining -= len(block)
        return block

    def peek(self, n: int) -> bytes:
        return self.src.peek(min(n, self.remaining))

    def finish(self, jump_ok: bool, inflate_limit: int) -> None:
        """Discard the rest of the block, jumping to the next member past ``inflate_limit``."""
        discarded = 0
        while self.remaining > 0:
            if jump_ok and discarded > inflate_limit and self.src.member_active():
                self.src.jump_to_next_member()
                self.remaining = 0
                return
            discarded += len(self.read(min(self.remaining, INFLATE_CHUNK)))
