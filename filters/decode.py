"""Decode stage: raw HTTP payload bytes → HTML text, choosing the charset by evidence.

Order of candidates (the first one that passes validation wins):

1. **BOM** — a byte-order mark is the strongest evidence there is (browsers let it override the
   HTTP header too, per the WHATWG Encoding Standard).
2. **HTTP** ``Content-Type: ...; charset=`` (``doc.http_charset``).
3. **meta** — the XML declaration, ``<meta charset>`` and ``<meta http-equiv ... charset=>``
   in the first ``meta_scan_bytes`` bytes (bytes-level regex, no parse).
4. **detector** — ISO-2022 escapes, UTF-16 without BOM, UTF-8 (unless the bytes are plainly
   not UTF-8), then the CJK legacy codecs in the order GB18030, Big5-HKSCS, EUC-JP,
   Windows-949, Windows-31J (the first clean one wins at once, else the least garbled one
   that passes, Chinese preferred on near ties), then cchardet for everything else
   (Cyrillic, Greek, Thai, ...).
5. **fallback** — UTF-8, windows-1252; then two repairs (a UTF-8 page with GBK blocks is decoded run
   by run; double-encoded UTF-8/GBK text is mapped back to its bytes, see
   :mod:`~zhclean.filters.charset_repair`); then the least garbled decoding seen, if at most
   ``max_garbled_ratio`` of its non-ASCII characters are U+FFFD or mojibake. Otherwise the
   page is dropped as ``decode/undecodable``.

Every candidate, declared ones included, is *validated* on its output (see
:mod:`~zhclean.filters.charset_stats`): at most ``max_replacement_ratio`` U+FFFD and
``max_mojibake_ratio`` mojibake among the non-ASCII characters, and a script that fits the
codec (a Japanese codec must produce kana, a Korean one Hangul; a Chinese codec must not
produce Japanese kana by the hundred nor the GB2312/Big5 row pattern of Korean text). A
declared charset that fails is recorded in ``doc.signals["charset_rejected"]`` and the next
candidate is tried: ``charset=iso-8859-1`` on a GBK page, ``utf-8`` on a GBK page, ``gb2312``
on a UTF-8 page are all caught this way.

Decoding details: every GB label is decoded as GB18030 and every Big5 label as Big5-HKSCS with
Windows-950 extensions (e.g. the euro sign A3E1) patched in; GB18030's U+E5E5 (bytes A3A0, which
GBK pages use as a full-width space) becomes U+3000; a multibyte sequence cut off at the very
end of the payload (truncated WARC records) is dropped instead of becoming U+FFFD.
"""

from __future__ import annotations

import codecs
import functools
import math
from dataclasses import dataclass, field, replace

import cchardet

from zhclean.filters.base import DocumentRule
from zhclean.filters.charset_labels import (
    BIG5,
    GB18030,
    UTF8,
    codec_for_label,
    declared_in_document,
    sniff_bom,
)
from zhclean.filters.charset_repair import decode_mixed_utf8_gb18030, undo_single_byte_reading
from zhclean.filters.charset_stats import EMPTY_STATS, CharStats, char_stats
from zhclean.filters.document import Document
from zhclean.filters.verdict import KEEP, Verdict

# --- codec families: which rare-ideograph measure and which script check apply ------------
_UTF = "utf"
_GB = "zh-gb"
_BIG5 = "zh-big5"
_JA = "ja"
_KO = "ko"
_BYTE = "byte"  # single-byte codecs
_FAMILY = {
    UTF8: _UTF,
    "utf-16-le": _UTF,
    "utf-16-be": _UTF,
    "utf-32-le": _UTF,
    "utf-32-be": _UTF,
    GB18030: _GB,
    "gbk": _GB,
    "gb2312": _GB,
    "hz": _GB,
    BIG5: _BIG5,
    "big5": _BIG5,
    "cp950": _BIG5,
    "cp932": _JA,
    "shift_jis": _JA,
    "euc_jp": _JA,
    "euc_jis_2004": _JA,
    "euc_jisx0213": _JA,
    "shift_jis_2004": _JA,
    "shift_jisx0213": _JA,
    "iso2022_jp": _JA,
    "iso2022_jp_1": _JA,
    "iso2022_jp_2": _JA,
    "iso2022_jp_3": _JA,
    "iso2022_jp_ext": _JA,
    "cp949": _KO,
    "euc_kr": _KO,
    "johab": _KO,
    "iso2022_kr": _KO,
}

# Legacy CJK codecs tried in this order when nothing is declared: the first one that passes
# validation wins if it is clean enough (below), else the least garbled one that passes, where a
# Chinese codec gets CHINESE_PRIOR off its garbled ratio (we are a Chinese pipeline: one
# GB2312 level-2 character in a short Chinese text must not hand it to CP949). Wrong ones are
# kept out by the mojibake measure (GBK<->Big5, Shift_JIS) and the script checks (EUC-JP and
# EUC-KR read as Chinese).
_CJK_CANDIDATES = (GB18030, BIG5, "euc_jp", "cp949", "cp932")
CHINESE_PRIOR = 0.03
# The first passing candidate is taken at once when its only blemish is a few rare ideographs
# (real Chinese pages: up to ~1% of the non-ASCII characters), which saves four decodes.
EARLY_ACCEPT_RARE = 0.02
EARLY_ACCEPT_STRONG = 0.002  # e.g. one stray private-use character in 500
_LAST_RESORT = "cp1252"
MIXED = "utf-8+gb18030"

# Script checks. Each compares a share against the range measured on real Chinese pages
# (chardet's GB2312/Big5 test pages; see scripts/eval_decode.py) and, so that short texts are
# judged too, also asks that the count be statistically out of reach for Chinese: a binomial
# tail below ALPHA at the Chinese share (e.g. 20 of 20 GB2312 ideographs in rows 16-40 has
# probability 0.65**20 = 0.0002 for Chinese text; for EUC-KR read as GBK it is the rule).
ALPHA = 1e-3
MAX_KANA_FOR_CHINESE = 0.30  # EUC-JP read as GBK keeps its kana: 0.73-0.86 of letters
MIN_KANA_EVIDENCE = 4
GB_ROWS_16_40 = (0.65, 0.85)  # (Chinese share, limit): Chinese 0.54-0.63; EUC-KR as GBK 0.96-1.00
BIG5_A4_AF = (0.35, 0.15)  # Chinese 0.40-0.72; EUC-KR read as Big5: 0.00-0.01
BIG5_KANA_ROWS = (0.25, 0.40)  # Chinese 0.02-0.22; EUC-JP read as Big5: 0.78-0.89
# Japanese/Korean codecs: (share in the right language, limit), same binomial test.
KANA_FOR_JAPANESE = (0.30, 0.10)  # Japanese 0.38-0.86; Chinese or Korean as EUC-JP: 0.00-0.01
HANGUL_FOR_KOREAN = (0.92, 0.80)  # Korean 0.95-1.00; Chinese read as CP949: 0.53-0.66
_BINOMIAL_MAX_N = 200  # beyond this the share limit is the stricter condition anyway


@functools.cache
def _critical_count(n: int, p: float) -> int:
    """Smallest k with P(Binomial(n, p) >= k) < ALPHA (n + 1 if there is none)."""
    tail = 0.0
    for k in range(n, -1, -1):
        tail += math.comb(n, k) * p**k * (1 - p) ** (n - k)
        if tail >= ALPHA:
            return k + 1
    return 0


def _too_many(count: int, total: int, expected_share: float, limit: float) -> bool:
    """``count`` of ``total`` is above ``limit`` and improbable (< ALPHA) at the share
    expected for text that really is in the codec's language."""
    if total == 0 or count <= limit * total:
        return False
    if total > _BINOMIAL_MAX_N:
        return True
    return count >= _critical_count(total, expected_share)


def _too_few(count: int, total: int, expected_share: float, limit: float) -> bool:
    """``count`` of ``total`` is below ``limit`` and improbable (< ALPHA) (see _too_many)."""
    return _too_many(total - count, total, 1.0 - expected_share, 1.0 - limit)


# Ratios are taken over at least this many characters, so that a page with two stray
# control characters and no other non-ASCII text is not "100% garbage".
MIN_DENOMINATOR = 50
# Penalty that ranks implausible-script decodings after plausible ones in the last resort.
_IMPLAUSIBLE_PENALTY = 0.1
_CCHARDET_BYTES = 65536
_CCHARDET_MIN_CONFIDENCE = 0.5

_BIG5_ERRORS = "zhclean.big5_cp950"


def _big5_with_cp950(exc: UnicodeError) -> tuple[str, int]:
    """Decode-error handler: bytes Big5-HKSCS lacks but Windows-950 maps (A3E1 €, F9F9-F9FE)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    pair = exc.object[exc.start : exc.start + 2]
    try:
        return pair.decode("cp950"), exc.start + 2
    except UnicodeDecodeError:
        return "\ufffd", exc.end


codecs.register_error(_BIG5_ERRORS, _big5_with_cp950)


def _decode(raw: bytes, codec: str) -> str:
    """Decode leniently: strict first (fast), then with replacement characters.

    An incremental decoder with ``final=False`` leaves out a multibyte sequence cut off at the
    very end of the payload (truncated WARC records) instead of turning it into U+FFFD.
    """
    make = codecs.getincrementaldecoder(codec)
    try:
        text = make("strict").decode(raw, final=False)
    except UnicodeDecodeError:
        text = make(_BIG5_ERRORS if codec == BIG5 else "replace").decode(raw, final=False)
    if codec == GB18030 and "\ue5e5" in text:
        text = text.replace("\ue5e5", "\u3000")
    return text


def _is_utf8_with_multibyte(raw: bytes) -> bool:
    if raw.isascii():
        return False
    try:
        raw.decode(UTF8)
    except UnicodeDecodeError:
        return False
    return True


def _may_be_utf8(raw: bytes) -> bool:
    """Valid UTF-8, or at most a few errors in the 4 KB after the first one. GBK or Big5
    bytes fail this at once, which spares the detector a full lenient UTF-8 decode."""
    try:
        raw.decode(UTF8)
    except UnicodeDecodeError as exc:
        window = raw[exc.start : exc.start + 4096].decode(UTF8, "replace")
        return window.count("\ufffd") <= 4
    return True


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 LE/BE if NUL bytes sit on one parity only (the high byte of ASCII characters)."""
    if b"\x00" not in raw:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    if max(even, odd) * 20 < len(raw) or min(even, odd) * 10 > max(even, odd):
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


@dataclass(frozen=True)
class Assessment:
    """One candidate decoding and what validation found in it."""

    codec: str
    source: str
    text: str
    stats: CharStats
    replacement_ratio: float
    mojibake_ratio: float
    implausible: str
    """Why the script does not fit the codec ('' when it does)."""
    repair: str = ""

    @property
    def garbled_ratio(self) -> float:
        return self.replacement_ratio + self.mojibake_ratio

    def describe(self) -> str:
        parts = [f"replacement {self.replacement_ratio:.3f}", f"mojibake {self.mojibake_ratio:.3f}"]
        if self.implausible:
            parts.append(self.implausible)
        return f"{self.codec} ({', '.join(parts)})"


def mojibake_count(stats: CharStats, family: str) -> int:
    """Mojibake characters of a decoding by a codec of ``family``.

    UTF-8/16 decodings are self-validating (wrong bytes become U+FFFD), so only controls and
    Latin mojibake (double-encoded UTF-8) count; rare ideographs there are real text.
    """
    if family == _UTF:
        return stats.controls + stats.latin_mojibake
    rare = {_JA: stats.rare_ja, _KO: stats.rare_ko}.get(family, stats.rare_zh)
    return (
        stats.controls
        + stats.private_use
        + stats.halfwidth_kana
        + stats.rare_hangul
        + stats.latin_mojibake
        + rare
    )


def script_problem(stats: CharStats, family: str) -> str:
    """Why the script of a decoding does not fit the codec's language ('' when it does)."""
    letters = stats.letters
    if family in (_GB, _BIG5):
        if letters >= MIN_KANA_EVIDENCE and stats.kana > MAX_KANA_FOR_CHINESE * letters:
            return "kana-heavy for Chinese"
        if family == _GB and _too_many(stats.gb_rows_16_40, stats.gb, *GB_ROWS_16_40):
            return "GB2312 row pattern of Korean"
        if family == _BIG5:
            if _too_few(stats.big5_a4_af, stats.big5, *BIG5_A4_AF):
                return "Big5 row pattern of Korean"
            if _too_many(stats.big5_kana_rows, stats.big5, *BIG5_KANA_ROWS):
                return "Big5 row pattern of Japanese kana"
    elif family == _JA and _too_few(stats.kana, letters, *KANA_FOR_JAPANESE):
        return "too few kana for Japanese"
    elif family == _KO and _too_few(stats.hangul, letters, *HANGUL_FOR_KOREAN):
        return "too little Hangul for Korean"
    return ""


def _clean_enough(a: Assessment) -> bool:
    """Hardly any strong sign of a wrong codec (U+FFFD, controls, private use, Latin or Hangul
    mojibake: at most EARLY_ACCEPT_STRONG) and few rare ideographs (EARLY_ACCEPT_RARE)."""
    s = a.stats
    strong = (
        s.replacement
        + s.controls
        + s.private_use
        + s.halfwidth_kana
        + s.rare_hangul
        + s.latin_mojibake
    )
    return strong <= EARLY_ACCEPT_STRONG * s.examined and a.mojibake_ratio <= EARLY_ACCEPT_RARE


def _detector_rank(a: Assessment) -> float:
    chinese = _FAMILY.get(a.codec) in (_GB, _BIG5)
    return a.garbled_ratio - (CHINESE_PRIOR if chinese else 0.0)


@dataclass
class _Session:
    """The assessments made for one page, so that no codec is tried twice."""

    raw: bytes
    tried: dict[str, Assessment] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)


class CharsetDecoder(DocumentRule):
    """Decides the charset of a page and decodes it; drops pages no charset makes clean.

    Declared charsets are evidence, not truth: each candidate (BOM, HTTP, meta, detector,
    fallback) is validated on the text it produces, so a wrong declaration costs one extra
    decode instead of a page of mojibake in the corpus. Sets ``doc.html``, ``doc.encoding``
    (Python codec name; ``utf-8+gb18030`` for a repaired mixed page),
    ``doc.signals["charset_source"]`` (bom|http|meta|detector|fallback),
    ``doc.signals["charset_rejected"]`` (e.g. ``http:iso-8859-1``) when a declared charset was
    overruled, ``doc.signals["charset_repair"]`` when a last-resort repair was used, and frees
    ``doc.raw``.
    """

    reason = "undecodable"

    def __init__(
        self,
        max_replacement_ratio: float = 0.01,
        max_mojibake_ratio: float = 0.05,
        max_garbled_ratio: float = 0.2,
        meta_scan_bytes: int = 8192,
        use_cchardet: bool = True,
        repair: bool = True,
    ) -> None:
        self.max_replacement_ratio = max_replacement_ratio
        self.max_mojibake_ratio = max_mojibake_ratio
        self.max_garbled_ratio = max_garbled_ratio
        self.meta_scan_bytes = meta_scan_bytes
        self.use_cchardet = use_cchardet
        self.repair = repair

    # --- validation ----------------------------------------------------------------------
    def assess(self, raw: bytes, codec: str, source: str) -> Assessment | None:
        """Decode ``raw`` with ``codec`` and validate the result (None: codec unavailable)."""
        try:
            text = _decode(raw, codec)
        except LookupError:
            return None
        family = _FAMILY.get(codec, _BYTE)
        utf8_bytes = family == _BYTE and _is_utf8_with_multibyte(raw)
        return self.judge(text, codec, source, family, utf8_bytes)

    def judge(
        self, text: str, codec: str, source: str, family: str, utf8_bytes: bool = False
    ) -> Assessment:
        """Validate a decoded text (see the module docstring)."""
        stats = char_stats(text)
        if stats is EMPTY_STATS:
            return Assessment(codec, source, text, stats, 0.0, 0.0, "")
        denominator = max(stats.examined, MIN_DENOMINATOR)
        implausible = script_problem(stats, family)
        if not implausible and stats.controls and ("\x1b$" in text or "\x1b(" in text):
            implausible = "ISO-2022 escape sequences left in the text"
        if not implausible and utf8_bytes:
            implausible = "bytes are valid UTF-8"
        return Assessment(
            codec,
            source,
            text,
            stats,
            stats.replacement / denominator,
            mojibake_count(stats, family) / denominator,
            implausible,
        )

    def passes(self, a: Assessment) -> bool:
        return (
            not a.implausible
            and a.replacement_ratio <= self.max_replacement_ratio
            and a.mojibake_ratio <= self.max_mojibake_ratio
        )

    # --- the decision --------------------------------------------------------------------
    def choose(
        self, raw: bytes, http_charset: str | None = None
    ) -> tuple[Assessment | None, _Session]:
        """The winning assessment (None: undecodable) and everything tried on the way."""
        session = _Session(raw)
        bom = sniff_bom(raw)
        if bom is not None:
            codec, length = bom
            a = self.assess(raw[length:], codec, "bom")
            if a is not None and self.passes(a):
                return a, session
        a = self._declared(session, http_charset, "http")
        if a is not None:
            return a, session
        for label in declared_in_document(raw, self.meta_scan_bytes):
            a = self._declared(session, label, "meta")
            if a is not None:
                return a, session
        a = self._detect(session)
        if a is None:
            a = self._fallback(session)
        return a, session

    def _attempt(self, session: _Session, codec: str, source: str) -> Assessment | None:
        if codec not in session.tried:
            a = self.assess(session.raw, codec, source)
            if a is None:
                return None
            session.tried[codec] = a
        return session.tried[codec]

    def _declared(self, session: _Session, label: str | None, source: str) -> Assessment | None:
        if not label or not label.strip():
            return None
        codec = codec_for_label(label, in_document=source == "meta")
        a = self._attempt(session, codec, source) if codec else None
        if a is not None and self.passes(a):
            return a
        session.rejected.append(f"{source}:{label.strip()[:40]}")
        return None

    def _detect(self, session: _Session) -> Assessment | None:
        raw = session.raw
        candidates = []
        if b"\x1b" in raw:
            candidates += ["iso2022_jp_2", "iso2022_kr"]
        utf16 = _utf16_without_bom(raw)
        if utf16:
            candidates.append(utf16)
        if _may_be_utf8(raw):
            candidates.append(UTF8)
        for codec in candidates:
            a = self._attempt(session, codec, "detector")
            if a is not None and self.passes(a):
                return a
        passing: list[Assessment] = []
        for codec in _CJK_CANDIDATES:
            a = self._attempt(session, codec, "detector")
            if a is None or not self.passes(a):
                continue
            if not passing and _clean_enough(a):
                return a
            passing.append(a)
        if passing:
            return min(passing, key=_detector_rank)
        if self.use_cchardet:
            guess = cchardet.detect(raw[:_CCHARDET_BYTES])
            label = guess.get("encoding")
            if label and (guess.get("confidence") or 0.0) >= _CCHARDET_MIN_CONFIDENCE:
                codec = codec_for_label(label)
                a = self._attempt(session, codec, "detector") if codec else None
                if a is not None and self.passes(a):
                    return a
        return None

    def _fallback(self, session: _Session) -> Assessment | None:
        for codec in (UTF8, _LAST_RESORT):
            a = self._attempt(session, codec, "fallback")
            if a is not None and self.passes(a):
                return replace(a, source="fallback")
        repaired = self._repair(session) if self.repair else None
        if repaired is not None:
            return repaired
        best = min(
            session.tried.values(),
            key=lambda x: x.garbled_ratio + (_IMPLAUSIBLE_PENALTY if x.implausible else 0.0),
            default=None,
        )
        if best is not None and best.garbled_ratio <= self.max_garbled_ratio:
            return replace(best, source="fallback")
        return None

    def _repair(self, session: _Session) -> Assessment | None:
        """Mixed UTF-8/GBK pages and double-encoded text (see charset_repair)."""
        utf8 = session.tried.get(UTF8)
        if utf8 is None:
            return None
        if utf8.stats.replacement:
            text = decode_mixed_utf8_gb18030(session.raw)
            if text is not None:
                a = self.judge(text, MIXED, "fallback", _GB)
                if self.passes(a):
                    return a
        if utf8.stats.latin_mojibake and not utf8.stats.replacement:
            original = undo_single_byte_reading(utf8.text)
            if original is not None:
                for codec in (UTF8, GB18030, BIG5):
                    a = self.assess(original, codec, "fallback")
                    if a is not None and self.passes(a):
                        return replace(a, repair=f"double-encoded {codec}")
        return None

    def check(self, doc: Document) -> Verdict:
        if doc.raw is None:
            if doc.html is not None:
                return KEEP  # already decoded upstream
            raw = b""
        else:
            raw = bytes(doc.raw)
        winner, session = self.choose(raw, doc.http_charset)
        if session.rejected:
            doc.signals["charset_rejected"] = ",".join(session.rejected)
        if winner is None:
            best = min(session.tried.values(), key=lambda x: x.garbled_ratio, default=None)
            detail = "no charset gives clean text"
            if best is not None:
                detail += f"; least garbled: {best.describe()}"
            return self.drop(detail)
        doc.html = winner.text
        doc.encoding = winner.codec if winner.codec == MIXED else codecs.lookup(winner.codec).name
        doc.signals["charset_source"] = winner.source
        if winner.codec == MIXED:
            doc.signals["charset_repair"] = "mixed utf-8/gb18030"
        elif winner.repair:
            doc.signals["charset_repair"] = winner.repair
        doc.raw = None
        return KEEP
