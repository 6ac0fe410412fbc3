"""In-memory blocklist: sorted digest arrays per kind and algorithm, and the MinHash index.

Tens of millions of entries must load in seconds and stay small, so nothing here is a Python
set of strings: each ``(kind, algo)`` table is one sorted NumPy array (``uint64`` for xxh64,
fixed-width bytes for md5/sha1/sha256) plus a parallel ``uint8``/``uint16`` array of category
codes; a lookup is a binary search (``np.searchsorted``). The arrays are read-only after
construction, so one index is safely shared by every thread of a worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from zhclean.filters.blocklist.keys import EXACT_KINDS, digest_bytes, xxh64_int
from zhclean.filters.blocklist.minhash import band_keys, lsh_bands

__all__ = ["UNCATEGORIZED", "BlocklistIndex", "DigestTable", "NearTable"]

UNCATEGORIZED = "uncategorized"


@dataclass(frozen=True)
class DigestTable:
    """All digests of one ``(kind, algo)``: sorted, unique, with a category code each."""

    kind: str
    algo: str
    digests: np.ndarray  # uint64 (xxh64) or S{width}
    codes: np.ndarray  # uint8 or uint16 indices into BlocklistIndex.categories

    def __len__(self) -> int:
        return len(self.digests)

    def nbytes(self) -> int:
        return int(self.digests.nbytes + self.codes.nbytes)

    def find(self, keys: Sequence[str]) -> int:
        """Category code of the first key in ``keys`` that is listed, or -1."""
        size = len(self.digests)
        if not size:
            return -1
        search = self.digests.searchsorted
        for key in keys:
            # Queries of the array's own type: a Python int above 2**63 would make searchsorted
            # convert the whole array, and a bytes scalar would compare unequal to a stored
            # digest ending in NUL bytes (NumPy strips those from the items it returns).
            if self.algo == "xxh64":
                query = np.uint64(xxh64_int(key))
            else:
                query = np.array(digest_bytes(self.algo, key), dtype=self.digests.dtype)
            pos = search(query)
            if pos < size and self.digests[pos] == query:
                return int(self.codes[pos])
        return -1


@dataclass(frozen=True)
class NearTable:
    """MinHash signatures of blocked documents with LSH band keys for one threshold.

    A query is a candidate when one band of its signature equals that band of a stored
    signature (all band keys of all documents are one sorted array, so a query is two
    ``searchsorted`` calls); a candidate matches when the share of equal signature values
    (the Jaccard estimate) is at least ``threshold``. The best-scoring match wins.
    """

    signatures: np.ndarray  # (n, num_perm) uint32
    codes: np.ndarray
    threshold: float
    bands: int
    rows: int
    keys: np.ndarray  # (n * bands,) uint64, sorted
    docs: np.ndarray  # (n * bands,) int32: document of each key

    @classmethod
    def build(cls, signatures: np.ndarray, codes: np.ndarray, threshold: float) -> NearTable:
        bands, rows = lsh_bands(threshold, signatures.shape[1])
        keys = band_keys(signatures, bands, rows).ravel()
        order = np.argsort(keys, kind="stable")
        docs = (order // bands).astype(np.int32 if len(signatures) < 2**31 else np.int64)
        return cls(signatures, codes, threshold, bands, rows, keys[order], docs)

    @property
    def num_perm(self) -> int:
        return int(self.signatures.shape[1])

    def __len__(self) -> int:
        return len(self.signatures)

    def nbytes(self) -> int:
        return int(self.signatures.nbytes + self.codes.nbytes + self.keys.nbytes + self.docs.nbytes)

    def find(self, signature: np.ndarray) -> tuple[int, float]:
        """``(category code, estimated Jaccard)`` of the best match, or ``(-1, best score)``."""
        if not len(self.signatures):
            return -1, 0.0
        query = band_keys(signature, self.bands, self.rows)[0]
        lo = self.keys.searchsorted(query, side="left")
        hi = self.keys.searchsorted(query, side="right")
        hit = np.flatnonzero(hi > lo)
        if not len(hit):
            return -1, 0.0
        ids = np.unique(np.concatenate([self.docs[lo[i] : hi[i]] for i in hit]))
        scores = (self.signatures[ids] == signature[None, :]).mean(axis=1)
        best = int(np.argmax(scores))
        score = float(scores[best])
        if score >= self.threshold:
            return int(self.codes[ids[best]]), score
        return -1, score


@dataclass(frozen=True)
class BlocklistIndex:
    """Every loaded list, combined: exact tables per kind, the near table, category names."""

    categories: tuple[str, ...]
    tables: dict[str, tuple[DigestTable, ...]]
    near: NearTable | None = None

    def has(self, kind: str) -> bool:
        if kind == "near":
            return self.near is not None and len(self.near) > 0
        return any(len(t) for t in self.tables.get(kind, ()))

    def lookup(self, kind: str, keys: Iterable[str]) -> str | None:
        """Category of the first of ``keys`` listed under ``kind`` (any algorithm), or None."""
        keys = list(keys)
        for table in self.tables.get(kind, ()):
            code = table.find(keys)
            if code >= 0:
                return self.categories[code]
        return None

    def lookup_near(self, signature: np.ndarray) -> tuple[str | None, float]:
        if self.near is None:
            return None, 0.0
        code, score = self.near.find(signature)
        return (self.categories[code] if code >= 0 else None), score

    def counts(self) -> dict[str, int]:
        """Entries per ``kind/algo`` (and ``near/minhash``)."""
        out = {
            f"{t.kind}/{t.algo}": len(t) for kind in EXACT_KINDS for t in self.tables.get(kind, ())
        }
        if self.near is not None:
            out["near/minhash"] = len(self.near)
        return out

    def category_counts(self) -> dict[str, int]:
        totals = np.zeros(len(self.categories), dtype=np.int64)
        arrays = [t.codes for ts in self.tables.values() for t in ts]
        if self.near is not None:
            arrays.append(self.near.codes)
        for codes in arrays:
            totals += np.bincount(codes, minlength=len(self.categories))[: len(totals)]
        return {name: int(n) for name, n in zip(self.categories, totals, strict=True) if n}

    def nbytes(self) -> int:
        size = sum(t.nbytes() for ts in self.tables.values() for t in ts)
        return size + (self.near.nbytes() if self.near is not None else 0)

    def __len__(self) -> int:
        return sum(self.counts().values())
