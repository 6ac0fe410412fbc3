"""What is hashed for each entry kind, and the digest algorithms of the list format.

Kinds and their keys (README "Blocklist"):

- ``url``: the normalised URL (:mod:`zhclean.filters.blocklist.urls`);
- ``domain``: the normalised host; a document is looked up under its host and every parent;
- ``document``: :func:`~zhclean.filters.normalize.normalize_text` of the whole text (the exact
  dedup normalisation: NFKC, Traditional→Simplified, lowercase, no punctuation/space);
- ``paragraph``: the same normalisation of one line (``str.splitlines``) of the text, for lines
  whose normalised form has at least ``paragraph_min_chars`` characters;
- ``near``: a MinHash signature of the normalised document (:mod:`.minhash`).

Digests are taken over the UTF-8 bytes of the key: ``xxh64`` (seed 0, written as 16 hex digits,
big-endian, as ``xxhash.xxh64(...).hexdigest()``), ``md5``, ``sha1``, ``sha256``.
"""

from __future__ import annotations

import hashlib

import xxhash

from zhclean.filters.normalize import normalize_text

__all__ = [
    "ALGO_HEX_CHARS",
    "DIGEST_ALGOS",
    "EXACT_KINDS",
    "KINDS",
    "NEAR_ALGO",
    "digest_bytes",
    "digest_hex",
    "document_key",
    "normalized_lines",
    "paragraph_keys",
    "paragraph_keys_of",
    "xxh64_int",
]

EXACT_KINDS = ("url", "domain", "document", "paragraph")
KINDS = (*EXACT_KINDS, "near")
ALGO_HEX_CHARS = {"xxh64": 16, "md5": 32, "sha1": 40, "sha256": 64}
DIGEST_ALGOS = tuple(ALGO_HEX_CHARS)
NEAR_ALGO = "minhash"
_HASHLIB = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256}


def xxh64_int(key: str) -> int:
    """xxh64 (seed 0) of the UTF-8 key, as an unsigned 64-bit integer."""
    return xxhash.xxh64_intdigest(key.encode("utf-8"))


def digest_bytes(algo: str, key: str) -> bytes:
    """Raw digest of the UTF-8 key (xxh64 big-endian, matching its hex form)."""
    if algo == "xxh64":
        return xxhash.xxh64_digest(key.encode("utf-8"))
    try:
        return _HASHLIB[algo](key.encode("utf-8")).digest()
    except KeyError:
        raise ValueError(f"unknown digest algorithm {algo!r}") from None


def digest_hex(algo: str, key: str) -> str:
    return digest_bytes(algo, key).hex()


def normalized_lines(text: str) -> list[str]:
    """:func:`normalize_text` of every line (``str.splitlines``) of ``text``."""
    return [normalize_text(line) for line in text.splitlines()]


def document_key(text: str) -> str:
    """Normalised full text ("" when nothing is left: such documents are never matched).

    Computed line by line and joined, which equals ``normalize_text(text)`` (line breaks are
    removed by it, and none of its steps looks across a line break; tested), so the matcher
    normalises each line once for both the document and the paragraph keys.
    """
    return "".join(normalized_lines(text))


def paragraph_keys_of(lines: list[str], min_chars: int) -> list[str]:
    """Distinct normalised lines with at least ``min_chars`` characters, in text order."""
    return list(dict.fromkeys(line for line in lines if len(line) >= min_chars))


def paragraph_keys(text: str, min_chars: int) -> list[str]:
    """Paragraph keys of ``text``: :func:`paragraph_keys_of` its normalised lines."""
    return paragraph_keys_of(normalized_lines(text), min_chars)
