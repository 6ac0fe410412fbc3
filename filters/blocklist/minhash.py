"""MinHash signatures of blocked documents and the LSH banding that finds edited copies.

The signature is part of the blocklist file format (``near`` lines, algorithm ``minhash``), so
its definition is fixed and independent of the dedup stage's settings:

    datasketch ``MinHash(num_perm=P, seed=1)`` (its default ``affine32`` scheme), updated with
    the UTF-8 bytes of every distinct character 3-gram of ``normalize_text(text)`` (the whole
    text when it is shorter than 3 characters); stored as ``P`` unsigned 32-bit values.

It is computed with the dedup stage's vectorised implementation
(:class:`zhclean.filters.dedup.minhash.MinHasher`, bit-identical to datasketch), so anyone can
produce compatible signatures with datasketch alone. Character 3-grams (not the 5-grams of
near dedup) because a 5%-edited copy keeps a Jaccard similarity of about 0.7 with 3-grams
(0.6 with 5-grams), while unrelated documents of the sample data stay below 0.03.
"""

from __future__ import annotations

import functools

import numpy as np

from zhclean.filters.dedup.minhash import MinHasher
from zhclean.filters.dedup.shingles import char_shingles

__all__ = ["MINHASH_SEED", "SHINGLE_CHARS", "band_keys", "lsh_bands", "minhash_signature"]

SHINGLE_CHARS = 3
MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"
# Banding weights: a missed copy of unsafe content costs more than verifying a candidate.
_FALSE_POSITIVE_WEIGHT, _FALSE_NEGATIVE_WEIGHT = 0.1, 0.9
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)


@functools.lru_cache(maxsize=4)
def _hasher(num_perm: int) -> MinHasher:
    return MinHasher(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)


def minhash_signature(normalized: str, num_perm: int) -> np.ndarray:
    """The ``num_perm`` × uint32 signature of an already normalised text."""
    return _hasher(num_perm).signature(char_shingles(normalized, SHINGLE_CHARS))


@functools.lru_cache(maxsize=64)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` with ``bands·rows ≤ num_perm`` minimising the weighted areas of false
    positives (candidate probability below ``threshold``) and false negatives (above it), as
    datasketch's ``MinHashLSH`` chooses them, but with false negatives weighted 0.9 and false
    positives 0.1: candidates are verified on the whole signature, so a false positive only
    costs a comparison, while a false negative lets unsafe text through. Vectorised (all
    pairs at once on a 1,001-point grid), so a worker spends milliseconds on it."""
    pairs = np.array(
        [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)],
        dtype=np.float64,
    )
    grid = np.linspace(0.0, 1.0, 1001)
    miss = (1.0 - grid[None, :] ** pairs[:, 1:2]) ** pairs[:, 0:1]  # P(not a candidate)
    below = grid <= threshold
    false_pos = np.trapezoid(np.where(below, 1.0 - miss, 0.0), grid, axis=1)
    false_neg = np.trapezoid(np.where(below, 0.0, miss), grid, axis=1)
    best = int(np.argmin(_FALSE_POSITIVE_WEIGHT * false_pos + _FALSE_NEGATIVE_WEIGHT * false_neg))
    return int(pairs[best, 0]), int(pairs[best, 1])


def _fmix64(x: np.ndarray) -> np.ndarray:
    x ^= x >> _S33
    x *= _M1
    x ^= x >> _S33
    x *= _M2
    x ^= x >> _S33
    return x


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``(n, bands)`` uint64 keys, one per band of each of ``n`` signatures; the band index is
    mixed in, so keys of different bands do not collide. Vectorised over documents and bands
    (one pass per row); only compared within one process, never stored."""
    sig = np.asarray(signatures, dtype=np.uint32)
    if sig.ndim == 1:
        sig = sig[None, :]
    cells = sig[:, : bands * rows].reshape(sig.shape[0], bands, rows).astype(np.uint64)
    acc = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), cells.shape[:2]).copy()
    for row in range(rows):
        acc ^= cells[:, :, row]
        _fmix64(acc)
    return acc
