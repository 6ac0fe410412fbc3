"""Simplified vs Traditional script of Chinese text, and character classes used by rules.

The script is decided by character statistics with OpenCC's phrase-aware tables: the number
of characters that ``t2s`` would change is the evidence for Traditional (characters that only
exist in Traditional text), the number that ``s2t`` would change is the evidence for
Simplified. Phrase awareness matters: ``皇后``/``天后`` and ``干涉`` are valid Traditional text and
OpenCC's phrase tables leave them alone, whereas a character-set count would read them as
Simplified evidence.
"""

from __future__ import annotations

import functools
import operator
import re
from collections import Counter

import opencc

# CJK Unified Ideographs, Extension A, Compatibility Ideographs, Extensions B-F (planes 2-3).
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN_CLASS}]")
# Hiragana, Katakana (incl. phonetic extensions and half-width forms): evidence of Japanese.
# Not the katakana middle dot (U+30FB) nor the prolonged sound mark (U+30FC): Chinese text
# uses them in transliterated names (哈利・波特).
KANA_CLASS = "\u3041-\u309f\u30a0-\u30fa\u30fd-\u30ff\u31f0-\u31ff\uff66-\uff9d"
KANA_RE = re.compile(f"[{KANA_CLASS}]")
# Hangul syllables and jamo: evidence of Korean.
HANGUL_CLASS = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
HANGUL_RE = re.compile(f"[{HANGUL_CLASS}]")
CJK_RE = re.compile(f"[{HAN_CLASS}{KANA_CLASS}{HANGUL_CLASS}]")


@functools.lru_cache(maxsize=1)
def _converters() -> tuple[opencc.OpenCC, opencc.OpenCC]:
    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def _changed(text: str, converted: str) -> int:
    """How many characters of ``text`` the conversion replaced."""
    if len(converted) == len(text):
        return sum(map(operator.ne, text, converted))
    # A phrase mapping changed the length: count characters that disappeared.
    return sum((Counter(text) - Counter(converted)).values())


def script_evidence(text: str) -> tuple[int, int, int]:
    """(Han characters, Traditional-only evidence, Simplified-only evidence) of ``text``."""
    han = len(HAN_RE.findall(text))
    if not han:
        return 0, 0, 0
    t2s, s2t = _converters()
    return han, _changed(text, t2s.convert(text)), _changed(text, s2t.convert(text))


def detect_script(text: str) -> str | None:
    """``"Hant"``, ``"Hans"``, or ``None`` when ``text`` has no Han characters.

    ``Hant`` when more characters look Traditional-only than Simplified-only; otherwise
    ``Hans`` (this includes text written only with characters common to both scripts, where
    the two scripts are the same).
    """
    han, trad, simp = script_evidence(text)
    if not han:
        return None
    return "Hant" if trad > simp else "Hans"
