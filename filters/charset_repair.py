"""Last-resort repairs for pages no single charset decodes cleanly.

Two failure shapes are common on the Chinese web and recoverable:

- **Mixed UTF-8 / GBK pages**: a UTF-8 template with a GBK-encoded block pasted in (ads, server
  side includes, old comments). Non-ASCII bytes come in runs between ASCII bytes; each run is
  decoded on its own, as UTF-8 if it is valid UTF-8 and as GB18030 otherwise.
- **Double-encoded text**: UTF-8 (or GBK) bytes once read as Latin-1/windows-1252 and saved
  again as UTF-8 (``ä¸­æ–‡`` for 中文, ``ÖÐ¹ú`` for 中国). Mapping the characters back to the
  single bytes they came from gives the original bytes.

The decoder only calls these when every ordinary candidate failed validation, and validates
what they return like any other candidate.
"""

from __future__ import annotations

import re

# A run of non-ASCII bytes; a GBK lead byte takes its trail byte along even when the trail is
# ASCII (0x40-0x7E), so GBK characters are never split. UTF-8 runs may take one ASCII byte
# too, which UTF-8 decodes unchanged.
_HIGH_RUN = re.compile(rb"(?:[\x81-\xfe][\x40-\x7e\x80-\xfe]|[\x80-\xff])+")


def decode_mixed_utf8_gb18030(raw: bytes) -> str | None:
    """Decode each non-ASCII run as UTF-8 if valid, else GB18030; None if not mixed."""
    parts: list[str] = []
    position = 0
    utf8_runs = gb_runs = 0
    for match in _HIGH_RUN.finditer(raw):
        parts.append(raw[position : match.start()].decode("latin-1"))
        run = match.group()
        try:
            parts.append(run.decode("utf-8"))
            utf8_runs += 1
        except UnicodeDecodeError:
            parts.append(run.decode("gb18030", "replace").replace("\ue5e5", "\u3000"))
            gb_runs += 1
        position = match.end()
    if not utf8_runs or not gb_runs:
        return None
    parts.append(raw[position:].decode("latin-1"))
    return "".join(parts)


def _single_byte_inverse() -> dict[str, bytes]:
    """Character → byte for windows-1252, with Latin-1 C1 controls for its 5 unmapped bytes."""
    inverse = {}
    for byte in range(256):
        try:
            ch = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            ch = chr(byte)
        inverse[ch] = bytes([byte])
    return inverse


_TO_BYTE = _single_byte_inverse()


def undo_single_byte_reading(text: str) -> bytes | None:
    """The bytes ``text`` was read from, if it is all windows-1252 (or Latin-1 C1) characters."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for ch in text:
        byte = _TO_BYTE.get(ch)
        if byte is None:
            return None
        out += byte
    return bytes(out)
