"""Per-text statistics shared by several quality rules, computed once per text.

Several rules need the same counts (non-space characters, lines); :func:`text_profile` caches
the profile of the last few texts so a rule list costs one pass over each document.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from zhclean.filters.script import HAN_RE

_WHITESPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)
def is_punct_or_symbol(ch: str) -> bool:
    """Unicode punctuation (P*) or symbol (S*)."""
    return unicodedata.category(ch)[0] in "PS"


@dataclass
class TextProfile:
    """Counts of one text. ``lines`` are the stripped non-empty lines."""

    text: str
    lines: list[str] = field(init=False)
    chars: int = field(init=False)  # non-whitespace characters

    def __post_init__(self) -> None:
        self.lines = [s for s in (ln.strip() for ln in self.text.splitlines()) if s]
        self.chars = len(_WHITESPACE.sub("", self.text))

    @functools.cached_property
    def han(self) -> int:
        return len(HAN_RE.findall(self.text))

    @functools.cached_property
    def char_counts(self) -> Counter[str]:
        """Frequency of every non-whitespace character."""
        counts = Counter(self.text)
        for ch in [c for c in counts if c.isspace()]:
            del counts[ch]
        return counts

    @functools.cached_property
    def punct(self) -> int:
        return sum(n for ch, n in self.char_counts.items() if is_punct_or_symbol(ch))

    @functools.cached_property
    def digits(self) -> int:
        return sum(n for ch, n in self.char_counts.items() if ch.isdigit())

    @functools.cached_property
    def entropy(self) -> float:
        """Shannon entropy (bits) of the non-whitespace character distribution."""
        total = sum(self.char_counts.values())
        if not total:
            return 0.0
        return -sum(n / total * math.log2(n / total) for n in self.char_counts.values())


@functools.lru_cache(maxsize=8)
def text_profile(text: str) -> TextProfile:
    """The (cached) profile of ``text``."""
    return TextProfile(text)
