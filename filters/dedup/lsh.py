"""LSH banding of MinHash signatures.

A signature of ``num_perm`` values is cut into ``bands`` bands of ``rows`` values; two documents
become candidates when any band is equal. For Jaccard similarity ``s`` the probability of that
is ``1 − (1 − s^rows)^bands``. ``bands``/``rows`` default to datasketch's optimum for a
threshold: the pair minimising the weighted false-positive area (below the threshold) plus
false-negative area (above it) of that curve, as ``datasketch.MinHashLSH`` chooses them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import xxhash


@dataclass(frozen=True)
class LshParams:
    """Band layout of a signature: ``bands`` bands of ``rows`` values each."""

    bands: int
    rows: int

    def candidate_probability(self, similarity: float) -> float:
        """Probability that two sets with this Jaccard similarity share at least one band."""
        return 1.0 - (1.0 - similarity**self.rows) ** self.bands


@functools.lru_cache(maxsize=64)
def optimal_bands_rows(
    threshold: float,
    num_perm: int,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> LshParams:
    """datasketch's false-positive/false-negative optimum for ``threshold`` and ``num_perm``."""
    from datasketch.lsh import _optimal_param  # the exact function MinHashLSH uses

    bands, rows = _optimal_param(threshold, num_perm, false_positive_weight, false_negative_weight)
    return LshParams(bands=int(bands), rows=int(rows))


def band_keys(signature: np.ndarray, lsh: LshParams) -> tuple[int, ...]:
    """One 64-bit key per band: xxh64 of the band's little-endian bytes, seeded by band index.

    The band index is also part of the bucket key downstream, so equal values in different
    bands never meet.
    """
    data = signature.astype("<u4", copy=False)
    r = lsh.rows
    return tuple(
        xxhash.xxh64_intdigest(data[i * r : (i + 1) * r].tobytes(), seed=i)
        for i in range(lsh.bands)
    )
