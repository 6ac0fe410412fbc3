"""N-gram repetition rules (Gopher definitions, as in FineWeb-2), over characters or words.

- top n-gram share: characters covered by all occurrences of the most frequent n-gram,
  divided by all token characters;
- duplicated n-gram share: scanning left to right, an n-gram seen before adds its characters
  and the scan jumps past it; divided by all token characters.

Both catch keyword stuffing, repeated templates and spun text built from a few phrases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.quality.base import fmt
from zhclean.filters.quality.tokens import TokenSeq, Unit, load_tokenizer, token_seq
from zhclean.filters.verdict import KEEP, Verdict


def top_ngram_share(seq: TokenSeq, n: int) -> float:
    s, total = seq.symbols, seq.total_chars
    if len(s) < n or not total:
        return 0.0
    counts = Counter(s[i : i + n] for i in range(len(s) - n + 1))
    gram, count = counts.most_common(1)[0]
    if count < 2:
        return 0.0
    pos = s.find(gram)
    return (seq.cum[pos + n] - seq.cum[pos]) * count / total


def duplicate_ngram_share(seq: TokenSeq, n: int) -> float:
    s, cum, total = seq.symbols, seq.cum, seq.total_chars
    if len(s) < n or not total:
        return 0.0
    grams = [s[i : i + n] for i in range(len(s) - n + 1)]
    # Index of each n-gram's first occurrence (C-speed: later pairs overwrite earlier ones).
    first = dict(zip(reversed(grams), range(len(grams) - 1, -1, -1), strict=True))
    start = next((i for i, g in enumerate(grams) if first[g] != i), None)
    if start is None:  # no n-gram occurs twice
        return 0.0
    # Until the first repeat every n-gram is new, so the scan can start there.
    seen = set(grams[:start])
    repeated = 0
    i, last = start, len(grams) - 1
    while i <= last:
        gram = grams[i]
        if gram in seen:
            repeated += cum[i + n] - cum[i]
            i += n
        else:
            seen.add(gram)
            i += 1
    return repeated / total


class _NgramRule(DocumentRule):
    prefix = ""

    def __init__(self, max_shares: Mapping[int, float | None], unit: Unit = "char") -> None:
        self.max_shares = {n: v for n, v in sorted(max_shares.items()) if v is not None}
        self.unit: Unit = unit
        load_tokenizer(unit)

    def share(self, seq: TokenSeq, n: int) -> float:
        raise NotImplementedError

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
