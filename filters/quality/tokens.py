"""Tokenisation for the repetition rules: characters (default) or jieba words.

``char``: every Han character, kana or other non-Latin letter is a token, a run of ASCII
letters/digits is one token (so English words and numbers count as units). ``word``: jieba's
default segmentation (the unit FineWeb-2's Chinese thresholds are stated in), keeping words
with a letter or digit. Punctuation, symbols and whitespace are never tokens.

A token sequence is returned as a string with one code point per distinct token plus the
character length of each token; its n-grams are numbered as integer classes with numpy
(:meth:`TokenSeq.grams`), so the repetition rules count integers, not substrings.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Literal

import numpy as np

Unit = Literal["char", "word"]

# A run of ASCII letters/digits, or any other single letter or digit (Han, kana, Hangul, ...);
# punctuation, symbols, underscores and whitespace never match.
_CHAR_TOKEN = re.compile(r"[A-Za-z0-9]+|[^\W_]")
_WORD_CHAR = re.compile(r"[^\W_]")
_FIRST_SYMBOL = 0x100


@dataclass(frozen=True)
class GramClasses:
    """The n-grams of a token sequence as integer classes (equal n-grams, equal class).

    ``inverse[i]`` is the class of the n-gram at position ``i``, ``first[c]`` the position of
    the first occurrence of class ``c`` and ``counts[c]`` its number of occurrences.
    """

    first: np.ndarray
    inverse: np.ndarray
    counts: np.ndarray


@dataclass(frozen=True)
class TokenSeq:
    """``symbols[i]`` stands for token ``i``; ``cum[i]`` is the character length of tokens
    ``0..i-1`` (so an n-gram at ``i`` covers ``cum[i + n] - cum[i]`` characters)."""

    symbols: str
    cum: tuple[int, ...]
    _grams: dict[int, GramClasses] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def total_chars(self) -> int:
        return self.cum[-1]

    def __len__(self) -> int:
        return len(self.symbols)

    def grams(self, n: int) -> GramClasses:
        """The classes of the ``n``-grams (``n <= len(self)``), computed once per sequence.

        Exact, with no hashing: the class of an n-gram is the rank of the pair (class of its
        first ``n - n//2`` tokens, class of its last ``n//2`` tokens), two 32-bit ranks packed
        in one 64-bit key, so every n costs one ``numpy.unique`` over integers and reuses the
        shorter n-grams' classes (5-grams from 3- and 2-grams, 10-grams from 5-grams...).
        """
        found = self._grams.get(n)
        if found is None:
            _, first, inverse, counts = np.unique(
                self._keys(n), return_index=True, return_inverse=True, return_counts=True
            )
            found = GramClasses(first, inverse.astype(np.int64).ravel(), counts)
            self._grams[n] = found
        return found

    def _classes(self, n: int) -> np.ndarray:
        """Class of the n-gram at each position (token ids are the classes of 1-grams)."""
        if n == 1:
            ids = np.frombuffer(self.symbols.encode("utf-32-le"), dtype=np.uint32)
            return ids.astype(np.int64) - _FIRST_SYMBOL
        return self.grams(n).inverse

    def _keys(self, n: int) -> np.ndarray:
        if n == 1:
            return self._classes(1)
        half, size = n // 2, len(self.symbols) - n + 1
        left = self._classes(n - half)[:size]
        right = self._classes(half)[n - half : n - half + size]
        return (left << 32) | right


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
