"""Small WARC/ARC/WET files for tests: well-formed records via warcio, broken ones by hand.

Records are built with warcio's ``WARCWriter`` (real library, real digests) with fixed record
ids and dates, so test files are reproducible. Helpers at the bottom write what warcio refuses to
write: records with a lying Content-Length, gzip bombs (built from repeated deflate blocks, so a
256 MiB bomb costs milliseconds to make), ARC files, garbage.

Use: ``from tests.warc_factory import http_response, warc_bytes, ...``. A record object can be
written once only (warcio consumes its payload): build a fresh one for every file.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Iterable, Sequence
from io import BytesIO

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DATE = "2024-05-18T12:00:00Z"
_BUILDER = WARCWriter(BytesIO(), gzip=False)


def rid(n: int) -> str:
    """A fixed WARC-Record-ID for test record ``n``."""
    return f"<urn:uuid:{uuid.UUID(int=n)}>"


def _warc_headers(record_id: str | None, date: str, extra: dict[str, str] | None) -> dict:
    headers = {"WARC-Record-ID": record_id or rid(0), "WARC-Date": date}
    headers.update(extra or {})
    return headers


def http_response(
    url: str,
    body: bytes,
    content_type: str | None = "text/html; charset=utf-8",
    *,
    record_id: str | None = None,
    date: str = DATE,
    headers: Sequence[tuple[str, str]] = (),
    status: str = "200 OK",
    warc_headers: dict[str, str] | None = None,
) -> ArcWarcRecord:
    """A ``response`` record: HTTP status line, headers and ``body`` (sent as is)."""
    http = [("Content-Type", content_type)] if content_type is not None else []
    http += list(headers)
    if not any(name.lower() == "content-length" for name, _ in http):
        http.append(("Content-Length", str(len(body))))
    return _BUILDER.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=StatusAndHeaders(status, http, protocol="HTTP/1.1"),
        warc_headers_dict=_warc_headers(record_id, date, warc_headers),
    )


def http_request(url: str, *, record_id: str | None = None, date: str = DATE) -> ArcWarcRecord:
    """A ``request`` record (GET, no body)."""
    return _BUILDER.create_warc_record(
        url,
        "request",
        http_headers=StatusAndHeaders(
            "GET / HTTP/1.1", [("Host", url.split("/")[2]), ("User-Agent", "zhclean-test")],
            is_http_request=True,
        ),
        warc_headers_dict=_warc_headers(record_id, date, None),
    )


def warcinfo(filename: str = "test.warc.gz", *, record_id: str | None = None,
             date: str = DATE) -> ArcWarcRecord:
    """A ``warcinfo`` record."""
    info = {"software": "zhclean tests", "format": "WARC File Format 1.0"}
    return _BUILDER.create_warc_record(
        "",
        "warcinfo",
        payload=BytesIO(b"".join(f"{k}: {v}\r\n".encode() for k, v in info.items())),
        warc_content_type="application/warc-fields",
        warc_headers_dict={**_warc_headers(record_id, date, None), "WARC-Filename": filename},
    )


def _block_record(url: str, rtype: str, body: bytes, content_type: str, record_id: str | None,
                  date: str, extra: dict[str, str] | None = None) -> ArcWarcRecord:
    return _BUILDER.create_warc_record(
        url,
        rtype,
        payload=BytesIO(body),
        length=len(body),
        warc_content_type=content_type,
        warc_headers_dict=_warc_headers(record_id, date, extra),
    )


def resource(url: str, body: bytes, content_type: str = "text/html; charset=utf-8", *,
             record_id: str | None = None, date: str = DATE) -> ArcWarcRecord:
    """A ``resource`` record (block = the content itself, no HTTP headers)."""
    return _block_record(url, "resource", body, content_type, record_id, date)


def metadata(url: str, *, record_id: str | None = None, date: str = DATE) -> ArcWarcRecord:
    """A ``metadata`` record like Common Crawl writes after each response."""
    return _block_record(url, "metadata", b"fetchTimeMs: 120\r\n", "application/warc-fields",
                         record_id, date)


def conversion(url: str, text: str, *, record_id: str | None = None, date: str = DATE,
               language: str | None = None) -> ArcWarcRecord:
    """A WET ``conversion`` record holding plain text."""
    extra = {"WARC-Identified-Content-Language": language} if language else None
    return _block_record(url, "conversion", text.encode("utf-8"), "text/plain", record_id, date,
                         extra)


def revisit(url: str, *, record_id: str | None = None, date: str = DATE) -> ArcWarcRecord:
    """A ``revisit`` record (identical-payload-digest profile, no payload)."""
    return _BUILDER.create_revisit_record(
        url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", url, DATE,
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                      protocol="HTTP/1.1"),
        warc_headers_dict=_warc_headers(record_id, date, None),
    )


def record_bytes(record: ArcWarcRecord, gzip: bool = True) -> bytes:
    """One record as written by warcio (one gzip member if ``gzip``)."""
    out = BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    record.raw_stream.seek(0)
    writer.write_record(record)
    return out.getvalue()


def warc_parts(records: Iterable[ArcWarcRecord], gzip: bool = True) -> list[bytes]:
    """The bytes of each record; their concatenation is a WARC file."""
    return [record_bytes(r, gzip) for r in records]


def offsets(parts: Sequence[bytes]) -> list[int]:
    """Start offset of each part in their concatenation."""
    result, pos = [], 0
    for part in parts:
        result.append(pos)
        pos += len(part)
    return result


def warc_bytes(records: Iterable[ArcWarcRecord], gzip: bool = True) -> bytes:
    return b"".join(warc_parts(records, gzip))


# -- hand-made records (what warcio will not write) -----------------------------------------

def gzip_member(data: bytes) -> bytes:
    """``data`` as one gzip member (mtime 0, so bytes are reproducible)."""
    c = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


def raw_record(headers: Sequence[tuple[str, str]], block: bytes, *,
               content_length: int | None = None) -> bytes:
    """An uncompressed WARC record with the given headers; Content-Length may lie."""
    lines = ["WARC/1.0", *(f"{k}: {v}" for k, v in headers)]
    length = len(block) if content_length is None else content_length
    lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def http_block(body: bytes, content_type: str = "text/html; charset=utf-8",
               headers: Sequence[tuple[str, str]] = ()) -> bytes:
    """An HTTP response message (status line, headers, body) as stored in a response block."""
    lines = ["HTTP/1.1 200 OK", f"Content-Type: {content_type}",
             *(f"{k}: {v}" for k, v in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def raw_response(url: str, body: bytes, n: int, *, content_length: int | None = None,
                 content_type: str = "text/html; charset=utf-8",
                 headers: Sequence[tuple[str, str]] = ()) -> bytes:
    """An uncompressed response record for ``url`` with record id ``rid(n)``."""
    return raw_record(
        [("WARC-Type", "response"), ("WARC-Record-ID", rid(n)), ("WARC-Date", DATE),
         ("WARC-Target-URI", url), ("Content-Type", "application/http; msgtype=response")],
        http_block(body, content_type, headers),
        content_length=content_length,
    )


def repeated_deflate(prefix: bytes, unit: bytes, repeats: int, suffix: bytes) -> bytes:
    """Raw deflate data of ``prefix + unit * repeats + suffix`` without compressing the repeats.

    After a full flush the compressor starts afresh, so the compressed form of ``unit`` is the
    same every time and can be repeated.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(unit) + c.flush(zlib.Z_FULL_FLUSH)
    return head + block * repeats + c.compress(suffix) + c.flush()


def gzip_wrap(deflate: bytes, crc: int, size: int) -> bytes:
    """A gzip member around raw deflate data with the given trailer."""
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + deflate + struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)


def _crc_repeated(prefix: bytes, unit: bytes, repeats: int, suffix: bytes) -> int:
    crc = zlib.crc32(prefix)
    for _ in range(repeats):
        crc = zlib.crc32(unit, crc)
    return zlib.crc32(suffix, crc)


def gzip_bomb(size_mib: int, *, valid_trailer: bool = True) -> bytes:
    """A gzip stream of ``size_mib`` MiB of zeros (about 1 KB per MiB compressed).

    With ``valid_trailer=False`` the CRC is wrong: a reader that inflates it to the end fails
    with a CRC error, one that skips it without inflating does not notice.
    """
    unit = b"\x00" * (1 << 20)
    crc = _crc_repeated(b"", unit, size_mib, b"") if valid_trailer else 0x12345678
    return gzip_wrap(repeated_deflate(b"", unit, size_mib, b""), crc, size_mib << 20)


def warc_bomb_member(url: str, n: int, size_mib: int, *, valid_trailer: bool = True) -> bytes:
    """One gzip member holding a response record whose HTML payload is ``size_mib`` MiB of
    spaces: small compressed, huge inflated (a WARC-level gzip bomb)."""
    unit = b" " * (1 << 20)
    http = http_block(b"")
    length = len(http) + (size_mib << 20)
    head = raw_record(
        [("WARC-Type", "response"), ("WARC-Record-ID", rid(n)), ("WARC-Date", DATE),
         ("WARC-Target-URI", url), ("Content-Type", "application/http; msgtype=response")],
        b"", content_length=length,
    )[:-4] + http  # drop the trailing CRLFs raw_record added after the empty block
    tail = b"\r\n\r\n"
    crc = _crc_repeated(head, unit, size_mib, tail) if valid_trailer else 0x12345678
    return gzip_wrap(repeated_deflate(head, unit, size_mib, tail), crc,
                     len(head) + (size_mib << 20) + len(tail))


def arc_file(records: Sequence[tuple[str, str, bytes]], *, gzip: bool = False) -> bytes:
    """An ARC v1 file: a filedesc header, then (url, content type, block) records."""
    desc = b"1 0 zhclean tests\nURL IP-address Archive-date Content-type Archive-length\n"
    parts = [b"filedesc://test.arc 0.0.0.0 20240518120000 text/plain %d\n" % len(desc) + desc
             + b"\n"]
    for url, ctype, block in records:
        parts.append(f"{url} 192.0.2.1 20240518120000 {ctype} {len(block)}\n".encode() + block
                     + b"\n")
    if gzip:
        return b"".join(gzip_member(p) for p in parts)
    return b"".join(parts)


def html_page(title: str, paragraphs: int = 3) -> bytes:
    """A small, distinct UTF-8 HTML page."""
    body = "".join(f"<p>{title}：第{i}段，测试用的中文内容。</p>" for i in range(paragraphs))
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><h1>{title}</h1>{body}</body></html>").encode()
