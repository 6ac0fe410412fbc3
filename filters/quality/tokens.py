"""Tokenisation for the repetition rules: characters (default) or jieba words.

``char``: every Han character, kana or other non-Latin letter is a token, a run of ASCII
letters/digits is one token (so English words and numbers count as units). ``word``: jieba's
default segmentation (the unit FineWeb-2's Chinese thresholds are stated in), keeping words
with a letter or digit. Punctuation, symbols and whitespace are never tokens.

A token sequence is returned as a string with one code point per distinct token plus the
character length of each token, so n-grams are substrings (hashed and compared in C).
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

Unit = Literal["char", "word"]

# A run of ASCII letters/digits, or any other single letter or digit (Han, kana, Hangul, ...);
# punctuation, symbols, underscores and whitespace never match.
_CHAR_TOKEN = re.compile(r"[A-Za-z0-9]+|[^\W_]")
_WORD_CHAR = re.compile(r"[^\W_]")
_FIRST_SYMBOL = 0x100


@dataclass(frozen=True)
class TokenSeq:
    """``symbols[i]`` stands for token ``i``; ``cum[i]`` is the character length of tokens
    ``0..i-1`` (so an n-gram at ``i`` covers ``cum[i + n] - cum[i]`` characters)."""

    symbols: str
    cum: tuple[int, ...]

    @property
    def total_chars(self) -> int:
        return self.cum[-1]

    def __len__(self) -> int:
        return len(self.symbols)


@functools.lru_cache(maxsize=1)
def _jieba() -> ModuleType:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def load_tokenizer(unit: Unit) -> None:
    """Load what ``unit`` needs up front (jieba's dictionary takes about a second)."""
    if unit == "word":
        _jieba()


def split_tokens(text: str, unit: Unit) -> list[str]:
    if unit == "word":
        return [t for t in _jieba().lcut(text) if _WORD_CHAR.search(t)]
    return _CHAR_TOKEN.findall(text)


@functools.lru_cache(maxsize=8)
def token_seq(text: str, unit: Unit) -> TokenSeq:
    """The (cached) token sequence of ``text``."""
    tokens = split_tokens(text, unit)
    ids = {tok: chr(_FIRST_SYMBOL + i) for i, tok in enumerate(dict.fromkeys(tokens))}
    symbols = "".join(map(ids.__getitem__, tokens))
    cum = (0, *itertools.accumulate(map(len, tokens)))
    return TokenSeq(symbols, cum)
