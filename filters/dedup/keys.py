"""The exact-dedup key: xxh64 of the normalised text.

The same normalisation (:func:`zhclean.filters.normalize.normalize_text`) and hash as the
blocklist's ``document`` kind, so a blocklisted document and an exact duplicate agree on
what "the same text" means.
"""

from __future__ import annotations

import xxhash

from zhclean.filters.normalize import normalize_text


def exact_key_of_normalized(normalized: str) -> int:
    """xxh64 (seed 0) of the UTF-8 bytes of already-normalised text, as an unsigned int."""
    return xxhash.xxh64_intdigest(normalized.encode("utf-8"))


def exact_key(text: str) -> int:
    """The exact-dedup key of raw ``text``."""
    return exact_key_of_normalized(normalize_text(text))
