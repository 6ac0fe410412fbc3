"""Character shingles of normalised text.

Chinese has no spaces, so near-duplicate detection uses character n-grams (as data-juicer's
``character`` tokenisation, MAP-CC's 13-grams or NeMo Curator's 24-grams) over the text after
:func:`~zhclean.filters.normalize.normalize_text`, which already unified width, script, case,
punctuation and whitespace.
"""

from __future__ import annotations


def char_shingles(normalized: str, size: int) -> set[str]:
    """The set of ``size``-character substrings of ``normalized``.

    A text shorter than ``size`` is one shingle (itself); an empty text has none, so it never
    becomes a near-duplicate candidate (empty texts are still exact duplicates of each other).
    """
    if size < 1:
        raise ValueError("shingle size must be at least 1")
    n = len(normalized)
    if n == 0:
        return set()
    if n <= size:
        return {normalized}
    return {normalized[i : i + size] for i in range(n - size + 1)}
