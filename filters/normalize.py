"""Text normalisation shared by exact dedup, near dedup and the blocklist.

One implementation, so that a blocklisted document's hash and a dedup key agree on what
"the same text" means: NFKC (full/half width), Traditional→Simplified (OpenCC ``t2s``),
lowercase, and no punctuation, symbols or whitespace.
"""

from __future__ import annotations

import functools
import unicodedata

import opencc

# Unicode general categories removed by normalisation: punctuation (P*), symbols (S*),
# separators (Z*) and controls/format characters (Cc, Cf).
_DROPPED_CATEGORIES = ("P", "S", "Z")
_DROPPED_EXACT = {"Cc", "Cf"}


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=4096)
def _is_dropped(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in _DROPPED_CATEGORIES or cat in _DROPPED_EXACT


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese with OpenCC's ``t2s`` tables."""
    return _t2s().convert(text)


def normalize_text(text: str) -> str:
    """The canonical form of ``text`` for hashing and shingling."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text).lower()
    return "".join(ch for ch in text if not _is_dropped(ch))
