"""N-gram repetition rules (Gopher definitions, as in FineWeb-2), over characters or words.

- top n-gram share: characters covered by all occurrences of the most frequent n-gram,
  divided by all token characters;
- duplicated n-gram share: scanning left to right, an n-gram seen before adds its characters
  and the scan jumps past it; divided by all token characters.

Both catch keyword stuffing, repeated templates and spun text built from a few phrases.
"""

from __future__ import annotations

import bisect
from abc import abstractmethod
from collections.abc import Mapping

import numpy as np

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.quality.base import fmt
from zhclean.filters.quality.tokens import TokenSeq, Unit, load_tokenizer, token_seq
from zhclean.filters.verdict import KEEP, Verdict


def top_ngram_share(seq: TokenSeq, n: int) -> float:
    total = seq.total_chars
    if len(seq) < n or not total:
        return 0.0
    grams = seq.grams(n)
    count = int(grams.counts.max())
    if count < 2:
        return 0.0
    # Ties go to the n-gram that occurs first (its characters are the ones counted).
    pos = int(grams.first[grams.counts == count].min())
    return (seq.cum[pos + n] - seq.cum[pos]) * count / total


def duplicate_ngram_share(seq: TokenSeq, n: int) -> float:
    """Characters of repeated n-grams, scanning left to right and jumping past each repeat.

    Only positions whose n-gram occurred earlier ("candidates") can be repeats; every other
    position is a first occurrence, seen once the scan visits it, i.e. unless a jump skipped it.
    So the scan walks the candidates alone: a visited candidate is a repeat iff its n-gram was
    seen, through an earlier visited candidate or through its first occurrence not lying
    inside a jump.
    """
    cum, total = seq.cum, seq.total_chars
    if len(seq) < n or not total:
        return 0.0
    grams = seq.grams(n)
    first, inverse = grams.first, grams.inverse
    candidates = np.flatnonzero(first[inverse] != np.arange(len(inverse)))
    repeated = 0
    next_visit = 0
    jumps: list[int] = []  # starts of the jumps, in order; a jump skips start+1 .. start+n-1
    seen: set[int] = set()  # classes seen at a visited candidate
    for pos in candidates.tolist():
        if pos < next_visit:
            continue
        gram = int(inverse[pos])
        if gram not in seen:
            head = int(first[gram])
            k = bisect.bisect_left(jumps, head) - 1
            if k >= 0 and head < jumps[k] + n:  # its first occurrence was skipped: new here
                seen.add(gram)
                continue
        repeated += cum[pos + n] - cum[pos]
        jumps.append(pos)
        next_visit = pos + n
    return repeated / total


class _NgramRule(DocumentRule):
    prefix = ""

    def __init__(self, max_shares: Mapping[int, float | None], unit: Unit = "char") -> None:
        self.max_shares = {n: v for n, v in sorted(max_shares.items()) if v is not None}
        self.unit: Unit = unit
        load_tokenizer(unit)

    @abstractmethod
    def share(self, seq: TokenSeq, n: int) -> float:
        """Share of repeated or top n-grams of length ``n`` in ``seq``."""

    def check(self, doc: Document) -> Verdict:
        seq = token_seq(doc.text, self.unit)
        failed = ""
        for n, limit in self.max_shares.items():
            value = self.share(seq, n)
            name = f"{self.prefix}_{n}gram_share"
            doc.quality[name] = round(value, 4)
            if value > limit:
                failed = f"{name}={fmt(value)} > {fmt(limit)}"
                break
        return self.drop(failed) if failed else KEEP


class TopNgram(_NgramRule):
    """Drops documents where the most frequent n-gram covers more than ``max_shares[n]`` of
    the characters, for any configured n (FineWeb-2 cmn, jieba words: 2→0.256, 3→0.201,
    4→0.171). Signals ``top_{n}gram_share``; stops at the first n over its bound.
    """

    reason = "top_ngram"
    prefix = "top"

    def share(self, seq: TokenSeq, n: int) -> float:
        return top_ngram_share(seq, n)


class DuplicateNgrams(_NgramRule):
    """Drops documents where repeated n-grams cover more than ``max_shares[n]`` of the
    characters, for any configured n (FineWeb-2 cmn, jieba words: 5→0.198 … 10→0.127).
    Signals ``dup_{n}gram_share``; stops at the first n over its bound.
    """

    reason = "duplicate_ngrams"
    prefix = "dup"

    def share(self, seq: TokenSeq, n: int) -> float:
        return duplicate_ngram_share(seq, n)
