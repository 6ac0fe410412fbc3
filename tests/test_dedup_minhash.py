"""The vectorised MinHash and the LSH parameters agree with datasketch exactly."""

from __future__ import annotations

import datasketch
import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from zhclean.filters.dedup.lsh import LshParams, band_keys, optimal_bands_rows
from zhclean.filters.dedup.minhash import MinHasher, estimated_jaccard, sha1_hash32_many
from zhclean.filters.dedup.shingles import char_shingles
from zhclean.filters.dedup.synthetic import base_text
from zhclean.filters.normalize import normalize_text

_DATASKETCH_2 = int(datasketch.__version__.split(".")[0]) >= 2
SCHEMES = [
    pytest.param(
        "affine32",
        marks=pytest.mark.skipif(not _DATASKETCH_2, reason="datasketch < 2.0 has no affine32"),
    ),
    "legacy",
]
TEXT = "新华社北京电 國務院總理今天主持召開常務會議，部署进一步优化营商环境。ABC１２３ 测试。" * 3


def datasketch_signature(shingles: set[str], num_perm: int, seed: int, scheme: str) -> np.ndarray:
    kwargs = {"scheme": scheme} if _DATASKETCH_2 else {}
    m = MinHash(num_perm=num_perm, seed=seed, **kwargs)
    for s in shingles:
        m.update(s.encode("utf-8"))
    return m.hashvalues


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("num_perm,seed", [(128, 0), (128, 1), (64, 42), (257, 7), (16, 2**31 - 1)])
def test_signature_equals_datasketch(scheme: str, num_perm: int, seed: int) -> None:
    shingles = char_shingles(normalize_text(base_text(seed, 3) + TEXT), 5)
    ours = MinHasher(num_perm=num_perm, seed=seed, scheme=scheme).signature(shingles)
    theirs = datasketch_signature(shingles, num_perm, seed, scheme)
    assert ours.dtype == np.uint32
    assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_large_document_is_chunked_and_still_equal(scheme: str) -> None:
    # More shingles than one chunk of the (shingles × permutations) matrix.
    shingles = char_shingles(normalize_text("".join(base_text(5, i) for i in range(20))), 5)
    assert len(shingles) > 2048 * 2
    ours = MinHasher(num_perm=128, seed=5, scheme=scheme).signature(shingles)
    assert np.array_equal(ours, datasketch_signature(shingles, 128, 5, scheme))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_empty_and_single_shingle(scheme: str) -> None:
    hasher = MinHasher(num_perm=32, seed=1, scheme=scheme)
    assert np.array_equal(hasher.signature(set()), datasketch_signature(set(), 32, 1, scheme))
    assert np.array_equal(hasher.signature({"中文"}), datasketch_signature({"中文"}, 32, 1, scheme))


def test_sha1_hashes_equal_datasketch() -> None:
    items = [s.encode() for s in ("a", "中文", "長文本" * 20, "")]
    assert sha1_hash32_many(items).tolist() == [datasketch.hashfunc.sha1_hash32(b) for b in items]


def test_estimated_jaccard_equals_datasketch() -> None:
    a = char_shingles(normalize_text(base_text(0, 1)), 5)
    b = set(list(a)[: len(a) * 3 // 4]) | {"额外的片段"}
    hasher = MinHasher(num_perm=128, seed=0)
    ma, mb = MinHash(num_perm=128, seed=0), MinHash(num_perm=128, seed=0)
    for s in a:
        ma.update(s.encode())
    for s in b:
        mb.update(s.encode())
    assert estimated_jaccard(hasher.signature(a), hasher.signature(b)) == pytest.approx(
        ma.jaccard(mb)
    )


def test_duplicates_and_order_do_not_matter() -> None:
    hasher = MinHasher(num_perm=64, seed=3)
    shingles = ["甲乙丙", "乙丙丁", "丙丁戊"]
    assert np.array_equal(hasher.signature(shingles), hasher.signature(reversed(shingles * 3)))


@pytest.mark.parametrize("threshold,num_perm", [(0.7, 128), (0.8, 128), (0.5, 64), (0.9, 256)])
def test_bands_rows_are_datasketch_optimum(threshold: float, num_perm: int) -> None:
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    assert optimal_bands_rows(threshold, num_perm) == LshParams(bands=lsh.b, rows=lsh.r)


def test_band_keys_equal_exactly_when_band_values_equal() -> None:
    params = LshParams(bands=4, rows=3)
    sig = np.arange(12, dtype=np.uint32)
    other = sig.copy()
    other[4] = 99  # band 1 differs
    a, b = band_keys(sig, params), band_keys(other, params)
    assert len(a) == 4
    assert [x == y for x, y in zip(a, b, strict=True)] == [True, False, True, True]
    # The same values in different bands give different keys.
    assert len(set(band_keys(np.zeros(12, dtype=np.uint32), params))) == 4


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="scheme"):
        MinHasher(scheme="affine64")
