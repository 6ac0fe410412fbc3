"""HTTP payload helpers for the read stage: content type, transfer and content codings, sniffing.

Plain functions on bytes, each bounded: decoding never produces more than ``cap + 1`` bytes,
sniffing looks at the first few KB only.
"""

from __future__ import annotations

import zlib

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 4096
_MAX_NUL_SHARE = 0.01
_MAX_CONTROL_SHARE = 0.05

_BINARY_MAGIC: tuple[bytes, ...] = (
    b"%PDF-",
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b\x08",
    b"\x28\xb5\x2f\xfd",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf",
    b"OggS",
    b"ID3\x03",
    b"ID3\x04",
    b"\x7fELF",
    b"wOFF",
    b"wOF2",
    b"RIFF",
    b"II*\x00",
    b"MM\x00*",
    b"fLaC",
    b"\x1aE\xdf\xa3",
    b"\x00\x00\x01\x00",
)
_TEXT_BOMS: tuple[bytes, ...] = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# C0 controls except TAB LF VT FF CR and ESC (ISO-2022 encodings use ESC), plus DEL.
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32), 127])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``'Text/HTML; charset="GBK"'`` → ``('text/html', 'gbk')``; missing parts are ``''``/None."""
    if not value:
        return "", None
    parts = value.split(";")
    mime = parts[0].strip().lower()
    charset = None
    for param in parts[1:]:
        key, sep, val = param.partition("=")
        if sep and key.strip().lower() == "charset":
            charset = val.strip().strip("'\"").strip().lower() or None
    return mime, charset


def dechunk(data: bytes) -> bytes:
    """Undo HTTP chunked transfer coding. Not chunked from the first byte: ``data`` unchanged;
    broken later: the chunks decoded so far."""
    out = bytearray()
    i = 0
    n = len(data)
    while i < n:
        j = data.find(b"\n", i, i + 1024)
        size = None
        if j >= 0:
            try:
                size = int(data[i:j].split(b";")[0].strip(), 16)
            except ValueError:
                size = None
        if size is None or size < 0:
            return data if i == 0 else bytes(out)
        if size == 0:
            break
        start = j + 1
        out += data[start : start + size]
        i = start + size
        if data[i : i + 2] == b"\r\n":
            i += 2
        elif data[i : i + 1] == b"\n":
            i += 1
    return bytes(out)


def _inflate_capped(data: bytes, wbits: int, cap: int) -> tuple[bytes, str]:
    """Inflate with an output cap. Status: ok | partial (broken or cut later) | failed."""
    out = bytearray()
    rest = data
    while rest:
        d = zlib.decompressobj(wbits)
        try:
            out += d.decompress(rest, cap + 1 - len(out))
        except zlib.error:
            return bytes(out), ("partial" if out else "failed")
        if len(out) > cap or not d.eof:
            return bytes(out), ("ok" if len(out) > cap else "partial")
        rest = d.unused_data
        if wbits <= 15 or not rest.startswith(GZIP_MAGIC):
            break  # bytes after the (last) gzip member are ignored
    return bytes(out), "ok"


def _brotli_capped(data: bytes, cap: int) -> tuple[bytes, str]:
    try:
        import brotli
    except ImportError:
        return data, "unsupported"
    decomp = brotli.Decompressor()
    try:
        out = decomp.process(data, output_buffer_limit=cap + 1)
    except TypeError:  # brotli < 1.2 cannot bound its output: refuse rather than risk a bomb
        return data, "unsupported"
    except brotli.error:
        return b"", "failed"
    if len(out) > cap or decomp.is_finished():
        return out, "ok"
    return out, "partial"


def decode_content(data: bytes, codings: list[str], cap: int) -> tuple[bytes, list[str]]:
    """Undo HTTP content codings (listed in the order applied), never producing more than
    ``cap + 1`` bytes. Returns (bytes, notes); a result longer than ``cap`` means too large.

    A coding that fails from its first byte is taken to be a false label (servers that say gzip
    and send plain text) and left as is; one that breaks later keeps the decoded prefix.
    """
    notes: list[str] = []
    for coding in reversed(codings):
        if coding in ("identity", ""):
            continue
        if coding in ("gzip", "x-gzip"):
            out, status = _inflate_capped(data, 16 + zlib.MAX_WBITS, cap)
        elif coding == "deflate":
            out, status = _inflate_capped(data, zlib.MAX_WBITS, cap)
            if status == "failed":
                out, status = _inflate_capped(data, -zlib.MAX_WBITS, cap)
        elif coding == "br":
            out, status = _brotli_capped(data, cap)
        else:
            out, status = data, "unsupported"
        if status == "failed":
            notes.append(f"{coding}:not_encoded")
            continue
        if status == "unsupported":
            notes.append(f"{coding}:unsupported")
            return data, notes
        if status == "partial":
            notes.append(f"{coding}:partial")
        data = out
        if len(data) > cap:
            return data, notes
    return data, notes


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` (a payload labelled as text) is binary, or None if it looks like text."""
    for magic in _BINARY_MAGIC:
        if data.startswith(magic):
            return f"starts with binary signature {magic!r}"
    if data[4:8] == b"ftyp":
        return "starts with an MP4/ISO media signature"
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":
        return "starts with a bzip2 signature"
    if data.startswith(_TEXT_BOMS):
        return None  # UTF-16/32 text has NULs by design
    sample = data[:SNIFF_BYTES]
    if not sample:
        return None
    nul = sample.count(0)
    control = len(sample.translate(None, _NOT_CONTROL))
    if nul > _MAX_NUL_SHARE * len(sample):
        return f"{nul} NUL bytes in the first {len(sample)} bytes"
    if control > _MAX_CONTROL_SHARE * len(sample):
        return f"{control} control bytes in the first {len(sample)} bytes"
    return None


def looks_like_html(data: bytes) -> bool:
    """Cheap sniff for a payload served without Content-Type."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    return head.startswith(b"<") and any(tag in head for tag in (b"<html", b"<head", b"<body"))
