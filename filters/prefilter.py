"""A cheap test, before decoding and extraction, that a capture cannot be Chinese.

Most records of a Common Crawl shard are not Chinese (about 95%), and extraction is by far the
costliest stage (milliseconds per page, against microseconds here). A page without a single
Han character in its payload cannot yield Chinese text, so it can skip decode, extraction and
language identification. The test works on the raw payload bytes, without choosing a charset:

1. **UTF-8 Han bytes** anywhere in the scanned bytes (the three- or four-byte sequences of CJK
   Unified Ideographs, Extension A, Compatibility Ideographs and Extensions B-F) → may be
   Chinese. This catches every UTF-8 Chinese page in the first few hundred bytes (its
   ``<title>``), so the common positive case stops early.
2. Otherwise, if the bytes are **valid UTF-8** (ASCII included), they contain no Han
   character as UTF-8 text; Han characters can still hide in ASCII as numeric character
   references (``&#20013;``, ``&#x4e2d;``), in 7-bit CJK encodings (HZ ``~{...~}``,
   ISO-2022 escape sequences, UTF-7) or in a UTF-16/32 payload with a byte-order mark: each
   of these is checked, and any of them → may be Chinese.
3. Bytes that are **not valid UTF-8** are in a legacy charset. GB2312/GBK/GB18030, Big5 and
   EUC-TW write a Han character as two bytes of which the first is >= 0x80, and a Chinese
   text of two or more characters has a run of at least three such bytes. Single-byte Latin
   charsets (windows-1252, ISO-8859-x) almost never do (accented letters stand between ASCII
   letters), so a run of three bytes >= 0x80 → may be Chinese. Other scripts in single-byte
   charsets (Cyrillic windows-1251, Greek, Thai...) are kept: losing a Chinese page costs
   more than extracting a Russian one. Declared charsets are not trusted to drop a page:
   headers lie (``charset=ISO-8859-1`` on GBK pages is common).
4. A page declared Chinese (HTTP ``Content-Language``, ``<html lang>``, ``xml:lang``,
   ``<meta http-equiv="content-language">``) is never dropped, whatever the bytes say.

Only the first ``scan_bytes`` bytes are looked at; set it to the extractor's input cap, so
that a page dropped here would have given no Han character to the extractor either.

A second, optional rule (:class:`KanaHangulPrefilter`, ``read/kana_hangul``) drops UTF-8
pages whose CJK characters are mostly kana or Hangul: Japanese and Korean pages have Han
characters, so they pass the first rule, and would otherwise cost a full extraction.
"""

from __future__ import annotations

import re

from zhclean.filters.base import DocumentRule
from zhclean.filters.charset_labels import codec_for_label, declared_in_document, sniff_bom
from zhclean.filters.document import Document
from zhclean.filters.script import HAN_RE
from zhclean.filters.verdict import KEEP, Verdict

__all__ = ["CjkPrefilter", "KanaHangulPrefilter", "chinese_evidence", "kana_hangul_share"]

# UTF-8 encodings of Han code points:
#   U+3400-U+3FFF   E3 90-BF xx    (Extension A, first part)
#   U+4000-U+9FFF   E4-E9 xx xx    (Extension A rest, Unified Ideographs)
#   U+F900-U+FAFF   EF A4-AB xx    (Compatibility Ideographs)
#   U+20000-U+3FFFF F0 A0-BF xx xx (Extensions B-I, planes 2 and 3)
_UTF8_HAN = re.compile(
    rb"\xe3[\x90-\xbf][\x80-\xbf]"
    rb"|[\xe4-\xe9][\x80-\xbf]{2}"
    rb"|\xef[\xa4-\xab][\x80-\xbf]"
    rb"|\xf0[\xa0-\xbf][\x80-\xbf]{2}"
)
# Searching with a character class costs ~20 ns per byte when nothing matches, a single byte
# (``in``, memchr) ~0.02 ns and a literal-prefix regex ~1 ns: so lead bytes are looked up one by
# one, and a regex runs only once its first byte is known to be there.
_LEADS_3 = tuple(bytes([b]) for b in range(0xE4, 0xEA))  # U+4000-U+9FFF: Han in valid UTF-8
_HAN_E3 = re.compile(rb"\xe3[\x90-\xbf]")  # U+3400-U+3FFF
_HAN_EF = re.compile(rb"\xef[\xa4-\xab]")  # U+F900-U+FAFF
_HAN_F0 = re.compile(rb"\xf0[\xa0-\xbf]")  # planes 2-3
_HZ_SHIFT = re.compile(rb"~\{")
_ISO2022_MULTIBYTE = re.compile(rb"\x1b\$")
# Three bytes >= 0x80 in a row (two double-byte characters of a legacy CJK charset), searched
# as a literal in a 0/1 translation of the bytes (fast) rather than with a character class.
_HIGH_TO_ONE = bytes([0] * 128 + [1] * 128)
_HIGH_RUN = re.compile(rb"\x01\x01\x01")
# Numeric character references of Han code points (checked by value after matching).
_NCR = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{4,5})|([0-9]{5,6}))")
# UTF-7 encodes non-ASCII as +base64-; Han text gives runs like ``+ThZ1TA-``.
_UTF7_LABELS = ("utf-7", "utf7", "unicode-1-1-utf-7", "csunicode11utf7")

_CHINESE_TAGS = r"(?:zh|cmn|yue|wuu|lzh|hak|nan|gan|hsn|cdo|cjy|cpx|czh|czo|mnp)"
# At an occurrence of ``lang`` in the lowercased head: ``lang=``, ``xml:lang=``,
# ``<meta http-equiv="content-language" content=``, ``<meta name="language" content=``.
_LANG_AT = re.compile(
    rb"lang(?:uage[\"']?\s+content)?\s*=\s*[\"']?\s*" + _CHINESE_TAGS.encode() + rb"(?![a-z])"
)
_HEADER_LANG = re.compile(_CHINESE_TAGS + r"(?![a-z])", re.IGNORECASE)
_TITLE = re.compile(rb"<title[^>]*>([^<]{1,200})", re.IGNORECASE)


def _is_han_code_point(value: int) -> bool:
    return 0x3400 <= value <= 0x9FFF or 0xF900 <= value <= 0xFAFF or 0x20000 <= value <= 0x3FFFF


def _han_reference(head: bytes) -> bool:
    for n, match in enumerate(_NCR.finditer(head)):
        hex_digits, digits = match.groups()
        value = int(hex_digits, 16) if hex_digits else int(digits)
        if _is_han_code_point(value):
            return True
        if n >= 2000:  # a page of references without a single Han one
            return False
    return False


def _valid_utf8(head: bytes, truncated: bool) -> bool:
    """Whether ``head`` is UTF-8; a character cut by the scan window does not count."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        return truncated and err.start >= len(head) - 3 and err.reason == "unexpected end of data"
    return True


def _declared_codecs(head: bytes, http_charset: str | None) -> list[str]:
    labels = [http_charset] if http_charset else []
    labels += declared_in_document(head, 4096)
    codecs = []
    for label in labels:
        lowered = label.strip().strip("\"'").lower()
        if lowered in _UTF7_LABELS:
            codecs.append("utf-7")
            continue
        codec = codec_for_label(label)
        if codec:
            codecs.append(codec)
    return codecs


def _han_when_decoded(head: bytes, codec: str) -> bool:
    try:
        text = head.decode(codec, errors="replace")
    except LookupError:
        return False
    return HAN_RE.search(text) is not None


def declares_chinese(raw: bytes, content_language: str | None, scan_bytes: int = 8192) -> bool:
    """Whether the HTTP ``Content-Language`` or the page's ``lang``/``content-language``
    declarations (in its first ``scan_bytes``) name a Chinese language."""
    if content_language and any(
        _HEADER_LANG.match(part.strip()) for part in content_language.split(",")
    ):
        return True
    head = raw[:scan_bytes].lower()
    at = head.find(b"lang")
    while at >= 0:
        if _LANG_AT.match(head, at):
            return True
        at = head.find(b"lang", at + 4)
    return False


def _seven_bit_evidence(head: bytes, http_charset: str | None) -> str | None:
    """Han hidden in an ASCII payload: references, HZ / ISO-2022 / UTF-7 text."""
    if _han_reference(head):
        return "char_ref"
    if (b"~" in head and _HZ_SHIFT.search(head)) or (
        b"\x1b" in head and _ISO2022_MULTIBYTE.search(head)
    ):
        return "seven_bit"
    for codec in _declared_codecs(head, http_charset):
        if (codec in ("utf-7", "hz") or codec.startswith("iso2022")) and _han_when_decoded(
            head, codec
        ):
            return "declared_han"
    return None


def chinese_evidence(
    raw: bytes,
    http_charset: str | None = None,
    content_language: str | None = None,
    scan_bytes: int = 2_000_000,
) -> str | None:
    """Why ``raw`` may hold Chinese text (a short tag), or None if it cannot.

    Tags: ``utf8_han``, ``legacy_run``, ``bom_han``, ``declared_han``, ``seven_bit``,
    ``char_ref``, ``nul_bytes`` (a payload with NUL bytes is not judged), ``lang_hint``.
    """
    head = raw[:scan_bytes]
    if head.isascii():
        if b"\x00" in head:
            return "nul_bytes"
        found = _seven_bit_evidence(head, http_charset)
    else:
        found = _non_ascii_evidence(head, truncated=len(raw) > len(head))
    if found:
        return found
    if declares_chinese(raw, content_language):
        return "lang_hint"
    return None


def _first(head: bytes, needles: tuple[bytes, ...]) -> int:
    return min((i for i in map(head.find, needles) if i >= 0), default=-1)


def _non_ascii_evidence(head: bytes, truncated: bool) -> str | None:
    lead = _first(head, _LEADS_3)
    if lead >= 0 and _UTF8_HAN.match(head, lead):  # a UTF-8 Chinese page: its <title>
        return "utf8_han"
    bom = sniff_bom(head)
    if bom is not None and bom[0].startswith(("utf-16", "utf-32")):
        return "bom_han" if _han_when_decoded(head[bom[1] :], bom[0]) else None
    if b"\x00" in head:
        return "nul_bytes"
    if _valid_utf8(head, truncated):
        # In valid UTF-8 an E4-E9 byte always leads a U+4000-U+9FFF character.
        if lead >= 0:
            return "utf8_han"
        for byte, pattern in ((b"\xe3", _HAN_E3), (b"\xef", _HAN_EF), (b"\xf0", _HAN_F0)):
            if byte in head and pattern.search(head):
                return "utf8_han"
        return "char_ref" if _han_reference(head) else None
    if _HIGH_RUN.search(head.translate(_HIGH_TO_ONE)):
        return "legacy_run"
    return None


class CjkPrefilter(DocumentRule):
    """Drops captures whose payload cannot contain a Han character (``read/no_cjk``).

    Runs in the read stage, on the raw payload, before decoding and extraction: it saves their
    cost on the non-Chinese majority of a crawl. It never drops a page with Han characters in
    UTF-8, in a legacy double-byte charset (GB2312/GBK/GB18030, Big5, EUC-TW...), as numeric
    character references, in HZ/ISO-2022/UTF-7 or in UTF-16/32 with a BOM, nor a page
    declared Chinese (``Content-Language``, ``lang``): see :func:`chinese_evidence`. Han
    (not kana or Hangul alone) is the test, since Chinese text cannot be written without it.
    """

    reason = "no_cjk"

    def __init__(self, scan_bytes: int = 2_000_000) -> None:
        self.scan_bytes = int(scan_bytes)

    def check(self, doc: Document) -> Verdict:
        raw = doc.raw
        if raw is None:  # nothing raw to judge (already decoded upstream): not ours to drop
            return KEEP
        if chinese_evidence(raw, doc.http_charset, doc.content_language, self.scan_bytes):
            return KEEP
        return self.drop(self._detail(raw, doc.content_language))

    def _detail(self, raw: bytes, content_language: str | None) -> str:
        scanned = min(len(raw), self.scan_bytes)
        parts = [f"no Han character in {scanned} bytes"]
        if content_language:
            parts.append(f"Content-Language {content_language[:40]}")
        title = _TITLE.search(raw[:8192])
        if title:
            parts.append("title " + title.group(1).decode("utf-8", "replace").strip()[:80])
        return "; ".join(parts)


# Kana (U+3041-U+30FF: E3 81 xx - E3 83 xx) less the middle dot and prolonged sound mark that
# Chinese transliterations use (U+30FB, U+30FC: E3 83 BB, E3 83 BC).
_KANA_PAIRS = (b"\xe3\x81", b"\xe3\x82", b"\xe3\x83")
_KANA_IN_CHINESE = (b"\xe3\x83\xbb", b"\xe3\x83\xbc")
# Hangul syllables U+AC00-U+D7A3: EA B0-BF xx, EB xx xx, EC xx xx, ED 80-9E xx.
_HANGUL_EA = re.compile(rb"\xea[\xb0-\xbf]")
_HANGUL_ED = re.compile(rb"\xed[\x80-\x9e]")
_HAN_E3 = re.compile(rb"\xe3[\x90-\xbf]")


def kana_hangul_share(raw: bytes, scan_bytes: int = 2_000_000) -> float | None:
    """Share of kana and Hangul among the CJK characters of a UTF-8 payload (kana + Hangul +
    Han, counted on the bytes), or None when it is not UTF-8 or has no CJK character."""
    head = raw[:scan_bytes]
    han = sum(map(head.count, _LEADS_3)) + len(_HAN_E3.findall(head))
    kana = sum(map(head.count, _KANA_PAIRS)) - sum(map(head.count, _KANA_IN_CHINESE))
    hangul = (
        head.count(b"\xeb")
        + head.count(b"\xec")
        + len(_HANGUL_EA.findall(head))
        + len(_HANGUL_ED.findall(head))
    )
    if not han + kana + hangul:
        return None
    if not kana + hangul:
        return 0.0
    # Counting UTF-8 sequences in GBK or Big5 bytes means nothing: check the bytes are UTF-8
    # (only here, when the counts would drop the page, to keep the common case cheap).
    if not _valid_utf8(head, truncated=len(raw) > len(head)):
        return None
    return (kana + hangul) / (han + kana + hangul)


class KanaHangulPrefilter(DocumentRule):
    """Drops UTF-8 pages whose CJK characters are mostly kana or Hangul (``read/kana_hangul``).

    A Japanese or Korean page has Han characters, so :class:`CjkPrefilter` lets it through,
    and it would cost a full extraction before language identification drops it. When kana and
    Hangul are more than ``max_share`` of the payload's CJK characters (Japanese prose ~0.55-0.85,
    Korean ~0.95; Chinese pages ~0, quoting some Japanese < 0.2), the page is Japanese or Korean.
    The whole payload is counted (navigation included), so the bound is looser than the
    language stage's ``max_kana_share`` on the main text. Pages declared Chinese are kept;
    legacy charsets (Shift_JIS, EUC-KR...) are not counted and go on to the language stage.
    """

    reason = "kana_hangul"

    def __init__(self, max_share: float = 0.5, scan_bytes: int = 2_000_000) -> None:
        self.max_share = float(max_share)
        self.scan_bytes = int(scan_bytes)

    def check(self, doc: Document) -> Verdict:
        raw = doc.raw
        if raw is None or self.max_share >= 1.0:
            return KEEP
        share = kana_hangul_share(raw, self.scan_bytes)
        if share is None or share <= self.max_share:
            return KEEP
        if declares_chinese(raw, doc.content_language):
            return KEEP
        return self.drop(f"kana and Hangul are {share:.2f} > {self.max_share} of CJK characters")
