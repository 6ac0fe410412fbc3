"""The dedup settings as plain values, shared by the Beam stage and the in-memory reference."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhclean.filters.dedup.keeper import KEEPER_POLICIES
from zhclean.filters.dedup.lsh import LshParams
from zhclean.filters.dedup.minhash import SCHEMES


@dataclass(frozen=True)
class DedupParams:
    """Everything that decides which documents are duplicates and which one is kept.

    ``verify_threshold`` is ``None`` when candidate pairs are accepted without verification.
    """

    exact: bool = True
    near: bool = True
    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 0
    scheme: str = "affine32"
    threshold: float = 0.7
    lsh: LshParams = field(default_factory=lambda: LshParams(bands=18, rows=7))
    verify_threshold: float | None = 0.7
    max_bucket_reps: int = 64
    max_rounds: int = 8
    keeper: str = "longest"

    def __post_init__(self) -> None:
        if self.keeper not in KEEPER_POLICIES:
            raise ValueError(f"unknown keeper policy {self.keeper!r}")
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown MinHash scheme {self.scheme!r}")
        if self.lsh.bands * self.lsh.rows > self.num_perm:
            raise ValueError("bands × rows exceeds num_perm")
