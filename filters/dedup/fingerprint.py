"""Everything dedup needs to know about one document, computed once, without its text."""

from __future__ import annotations

from typing import NamedTuple

from zhclean.filters.dedup.keys import exact_key_of_normalized
from zhclean.filters.dedup.lsh import band_keys
from zhclean.filters.dedup.minhash import MinHasher
from zhclean.filters.dedup.params import DedupParams
from zhclean.filters.dedup.shingles import char_shingles
from zhclean.filters.normalize import normalize_text


class Fingerprint(NamedTuple):
    """The small record that travels through dedup's shuffles instead of the document.

    ``length`` is the character count of the original text (for the keeper choice);
    ``bands`` and ``signature`` are empty when near dedup is off or the normalised text is
    empty (such a document is never a near-duplicate candidate).
    """

    id: str
    length: int
    exact_key: int
    bands: tuple[int, ...]
    signature: bytes


def fingerprint(doc_id: str, text: str, params: DedupParams, hasher: MinHasher) -> Fingerprint:
    """Normalise ``text`` once; derive the exact key and (for near dedup) signature and bands."""
    normalized = normalize_text(text)
    key = exact_key_of_normalized(normalized)
    bands: tuple[int, ...] = ()
    signature = b""
    if params.near:
        shingles = char_shingles(normalized, params.shingle_size)
        if shingles:
            sig = hasher.signature(shingles)
            bands = band_keys(sig, params.lsh)
            if params.verify_threshold is not None:  # only verification needs the signature
                signature = sig.astype("<u4").tobytes()
    return Fingerprint(doc_id, len(text), key, bands, signature)


def make_hasher(params: DedupParams) -> MinHasher:
    return MinHasher(num_perm=params.num_perm, seed=params.seed, scheme=params.scheme)
