"""Plain-Python pieces of exact and MinHash near-duplicate removal (no Beam).

- :mod:`.keys`: the exact-dedup key (xxh64 of the shared normalisation).
- :mod:`.shingles`: character shingles of normalised text.
- :mod:`.minhash`: a vectorised MinHash, bit-identical to ``datasketch.MinHash``.
- :mod:`.lsh`: bands/rows choice and band keys.
- :mod:`.candidates`: edges from one LSH bucket (with optional verification).
- :mod:`.components`: large-star/small-star steps and a union-find reference.
- :mod:`.keeper`: deterministic keeper ranking.
- :mod:`.params`: the settings as plain values; :mod:`.fingerprint`: the small per-document
  record (exact key, bands, signature) that replaces the text in the shuffles.
- :mod:`.reference`: the whole dedup in memory (evaluation and checking the Beam graph).
- :mod:`.synthetic`: deterministic synthetic corpora with known duplicates (tests, benchmarks).
"""

from zhclean.filters.dedup.keeper import KEEPER_POLICIES, keeper_rank
from zhclean.filters.dedup.keys import exact_key, exact_key_of_normalized
from zhclean.filters.dedup.lsh import LshParams, band_keys, optimal_bands_rows
from zhclean.filters.dedup.minhash import MinHasher, estimated_jaccard
from zhclean.filters.dedup.params import DedupParams
from zhclean.filters.dedup.shingles import char_shingles

__all__ = [
    "KEEPER_POLICIES",
    "DedupParams",
    "LshParams",
    "MinHasher",
    "band_keys",
    "char_shingles",
    "estimated_jaccard",
    "exact_key",
    "exact_key_of_normalized",
    "keeper_rank",
    "optimal_bands_rows",
]
