"""Charset labels and in-document declarations: what a page *says* its encoding is.

- :func:`codec_for_label` turns a declared label (HTTP ``Content-Type`` or ``<meta>``) into
  the Python codec we decode with. It follows the WHATWG Encoding Standard where that standard
  is the web's de-facto behaviour (``iso-8859-1``/``ascii`` mean windows-1252, ``shift_jis``
  means windows-31j, ``euc-kr`` means windows-949, a ``<meta>`` saying UTF-16 means UTF-8) and
  widens the Chinese labels to their supersets: every GB label decodes as GB18030 (GB2312 ⊂
  GBK ⊂ GB18030; pages labelled gb2312 routinely use GBK characters), every Big5 label as
  Big5-HKSCS. Misspellings seen in the wild (``utf8mb4``, ``gb-2312``, ``UTF 8``, ``x-gbk``)
  resolve; anything else unknown (``none``, ``text/html``, ``utf-7``, ``base64``) gives None.
- :func:`sniff_bom` and :func:`declared_in_document` read byte-order marks, ``<meta charset>``,
  ``<meta http-equiv=Content-Type content="...; charset=...">`` and the XML declaration with
  bytes-level regular expressions over the first few KB (no HTML parse).
"""

from __future__ import annotations

import codecs
import re

UTF8 = "utf-8"
GB18030 = "gb18030"
BIG5 = "big5hkscs"

# codec: labels, as keys (lowercased, everything but [a-z0-9] removed).
_ALIAS_TABLE = """
utf-8: utf8 utf8mb4 utf8mb3 unicode11utf8 unicode20utf8 xunicode20utf8 utf8bom utf8sig utf
gb18030: gb2312 gbk xgbk cp936 ms936 windows936 gb231280 gb23121980 csgb2312 chinese isoir58
    csiso58gb231280 euccn xeuccn gb18030 gb180302000 gb180302005 gb180302022 gb 936 xgb2312
    gbk2312 gb2312gbk cngb
hz: hzgb2312 hz
big5hkscs: big5 big5hkscs cnbig5 csbig5 xxbig5 xbig5 cp950 ms950 windows950 big5eten big5tw
    big5hk hkscs 950
cp932: shiftjis sjis xsjis mskanji csshiftjis windows31j cp932 ms932 shiftjis2004 sjis2004
    shiftjisx0213 xmssjis 932
euc_jp: eucjp xeucjp cseucpkdfmtjapanese eucjis2004 eucjisx0213 ujis
iso2022_jp_2: iso2022jp csiso2022jp jis iso2022jp2
cp949: euckr cseuckr ksc56011987 ksc5601 isoir149 csksc56011987 korean windows949 cp949 ms949
    uhc ksx1001 xwindows949 949
iso2022_kr: iso2022kr csiso2022kr
cp1252: iso88591 latin1 l1 cp819 ibm819 csisolatin1 isoir100 iso885911987 usascii ascii
    ansix341968 iso646us csascii windows1252 cp1252 xcp1252 ansi isolatin1
cp874: tis620 iso885911 windows874 dos874 cp874
cp1254: iso88599 latin5 windows1254 cp1254
utf-16-le: utf16 utf16le unicode ucs2 csunicode unicodefeff
utf-16-be: utf16be unicodefffe
"""


def _parse_aliases(table: str) -> dict[str, str]:
    aliases: dict[str, str] = {}
    codec = ""
    for line in table.strip().splitlines():
        if not line.startswith(" "):
            codec, line = line.split(":", 1)
        for key in line.split():
            aliases[key] = codec
    return aliases


_ALIASES = _parse_aliases(_ALIAS_TABLE)

# Other encodings a page may legitimately use, as Python canonical codec names. A label that
# Python resolves to anything outside this set (utf-7, base64, rot13, idna, mbcs...) is refused.
_OTHER_WEB_CODEC_NAMES = """
    ibm866 cp866 koi8-r koi8-u mac-roman mac-cyrillic cp1250 cp1251 cp1253 cp1255 cp1256 cp1257
    cp1258 utf-16-le utf-16-be utf-32-le utf-32-be iso2022_jp iso2022_jp_1 iso2022_jp_2
    iso2022_jp_3 iso2022_jp_ext euc_jis_2004 euc_jisx0213 shift_jis_2004 shift_jisx0213
    shift_jis euc_jp euc_kr johab gbk gb2312 big5 cp950 tis-620
"""
_OTHER_WEB_CODECS = frozenset(
    _OTHER_WEB_CODEC_NAMES.split() + [f"iso8859-{n}" for n in range(2, 17) if n != 12]
)

# Meta-declared UTF-16/32 cannot be right (we read the meta as ASCII): WHATWG says UTF-8.
_WIDE = frozenset(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])

_NON_ALNUM = re.compile(r"[^a-z0-9]")


def codec_for_label(label: str | None, *, in_document: bool = False) -> str | None:
    """The Python codec for a declared charset label, or None if the label is unusable."""
    if not label:
        return None
    key = _NON_ALNUM.sub("", label.strip().strip("\"'").lower())
    if not key or len(key) > 40:
        return None
    codec = _ALIASES.get(key)
    if codec is None:
        try:
            info = codecs.lookup(label.strip().strip("\"'"))
        except (LookupError, ValueError):
            return None
        if info.name not in _OTHER_WEB_CODECS:
            return None
        codec = info.name
    if in_document and codec in _WIDE:
        return UTF8
    return codec


_BOMS = (
    (codecs.BOM_UTF8, UTF8),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same 2 bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"\x84\x31\x95\x33", GB18030),
)


def sniff_bom(raw: bytes) -> tuple[str, int] | None:
    """``(codec, bom_length)`` if ``raw`` starts with a byte-order mark."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return codec, len(bom)
    return None


_META_CHARSET = re.compile(
    rb"<meta\b[^>]{0,512}?charset\s*=\s*[\"']?\s*([^\s\"'>/;,]{1,40})", re.IGNORECASE
)
_XML_ENCODING = re.compile(
    rb"^\s{0,64}<\?xml\b[^>]{0,200}?encoding\s*=\s*[\"']([^\"'>]{1,40})[\"']", re.IGNORECASE
)


def declared_in_document(raw: bytes, scan_bytes: int) -> list[str]:
    """Charset labels declared in the first ``scan_bytes`` of the page, in document order.

    The XML declaration (``<?xml ... encoding="..."?>``, only at the very start) comes first,
    then every ``<meta>`` that mentions ``charset=``; duplicates are dropped.
    """
    head = raw[:scan_bytes]
    labels: list[str] = []
    xml = _XML_ENCODING.match(head)
    if xml:
        labels.append(xml.group(1).decode("ascii", "replace"))
    for match in _META_CHARSET.finditer(head):
        label = match.group(1).decode("ascii", "replace")
        if label.lower() not in (seen.lower() for seen in labels):
            labels.append(label)
        if len(labels) >= 3:
            break
    return labels
