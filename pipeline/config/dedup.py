"""Config of the dedup stage: exact (normalised-text hash) and MinHash near-duplicate removal."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from zhclean.pipeline.config.base import Section


class DedupSection(Section):
    enabled: bool = True
    """Run the dedup stage at all; ``false`` passes every document through."""
    exact: bool = True
    """Drop documents whose normalised text (NFKC, t2s, lowercase, no punctuation or spaces)
    has the same xxh64 as another's, as ``dedup/exact``."""
    near: bool = True
    """Drop MinHash near-duplicates of the exact-dedup survivors, as ``dedup/near``."""
    shingle_size: int = Field(5, ge=1, le=64)
    """Characters per shingle (character n-grams of the normalised text)."""
    num_perm: int = Field(128, ge=8, le=1024)
    """MinHash permutations (signature length)."""
    minhash_scheme: Literal["affine32", "legacy"] = "affine32"
    """Permutation scheme, bit-identical to ``datasketch.MinHash(scheme=...)``: ``affine32``
    (datasketch ≥2.0 default) or ``legacy`` (datasketch <2.0)."""
    threshold: float = Field(0.7, gt=0.0, lt=1.0)
    """Jaccard similarity of shingle sets above which two documents are near-duplicates;
    LSH bands/rows are the datasketch false-positive/false-negative optimum for it."""
    false_positive_weight: float = Field(0.2, ge=0.0, le=1.0)
    """Weight of the false-positive probability in the bands/rows optimum (the two weights sum
    to 1). Low by default because verification removes false candidates; use 0.5 without it."""
    false_negative_weight: float = Field(0.8, ge=0.0, le=1.0)
    """Weight of the false-negative probability in the bands/rows optimum."""
    bands: int | None = Field(None, ge=1)
    """Override of the LSH band count (set together with ``rows``; bands×rows ≤ num_perm)."""
    rows: int | None = Field(None, ge=1)
    """Override of the LSH rows per band (set together with ``bands``)."""
    verify: bool = True
    """Accept a candidate pair (same LSH bucket) only if its estimated Jaccard (share of equal
    signature values) is at least ``verify_threshold``."""
    verify_threshold: float | None = Field(None, gt=0.0, le=1.0)
    """Estimated-Jaccard bar of the verification; unset means ``threshold``."""
    max_bucket_reps: int = Field(64, ge=1)
    """With verification, a bucket member that fails against the bucket's first member is tried
    against at most this many other representatives (bounds work on huge buckets)."""
    max_rounds: int = Field(8, ge=1, le=64)
    """Large-star/small-star rounds of the connected-components step, unrolled in the graph.
    Unconverged nodes (Beam counter ``dedup:cc_unconverged_nodes``) keep a cluster label from
    their own component, so a component may be split into several kept clusters: fewer
    removals, never a wrong one."""
    keeper: Literal["longest", "shortest", "smallest_id"] = "longest"
    """Which document of a duplicate cluster is kept: the longest text, the shortest, or the
    smallest id; ties always go to the smallest id."""

    @model_validator(mode="after")
    def _check_bands(self) -> DedupSection:
        if abs(self.false_positive_weight + self.false_negative_weight - 1.0) > 1e-9:
            raise ValueError(
                "dedup.false_positive_weight + dedup.false_negative_weight must equal 1"
            )
        if (self.bands is None) != (self.rows is None):
            raise ValueError("dedup.bands and dedup.rows must be set together")
        if (
            self.bands is not None
            and self.rows is not None
            and self.bands * self.rows > self.num_perm
        ):
            raise ValueError(
                f"dedup.bands × dedup.rows = {self.bands * self.rows} exceeds "
                f"dedup.num_perm = {self.num_perm}"
            )
        return self
