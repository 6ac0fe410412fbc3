"""Character-class rules: Han share, digit share, character diversity and entropy."""

from __future__ import annotations

from zhclean.filters.document import Document
from zhclean.filters.quality.base import ThresholdRule
from zhclean.filters.quality.profile import text_profile


class CjkShare(ThresholdRule):
    """Drops documents whose Han characters are less than ``min_share`` of all
    non-whitespace characters: tables, code, Latin-script pages with a Chinese title.

    Signal ``cjk_share`` (Han ideographs of all planes / non-whitespace characters).
    """

    reason = "low_cjk_share"
    signal = "cjk_share"

    def __init__(self, min_share: float) -> None:
        self.minimum = min_share

    def measure(self, doc: Document) -> float:
        prof = text_profile(doc.text)
        return prof.han / prof.chars if prof.chars else 0.0


class DigitShare(ThresholdRule):
    """Drops documents where digits are more than ``max_share`` of the characters that are
    not punctuation, symbols or whitespace: price lists, timetables, lottery results, stock data.

    Signal ``digit_share``.
    """

    reason = "too_many_digits"
    signal = "digit_share"

    def __init__(self, max_share: float) -> None:
        self.maximum = max_share

    def measure(self, doc: Document) -> float:
        prof = text_profile(doc.text)
        base = prof.chars - prof.punct
        return prof.digits / base if base > 0 else 0.0


class UniqueCharShare(ThresholdRule):
    """Drops documents whose distinct characters are less than ``min_share`` of their
    first ``window`` non-whitespace characters: the same few characters over and over.

    Measured on a fixed-size window because the share falls with length for any text.
    Signal ``unique_char_share``.
    """

    reason = "low_char_diversity"
    signal = "unique_char_share"

    def __init__(self, min_share: float, window: int = 1000) -> None:
        self.minimum = min_share
        self.window = window

    def measure(self, doc: Document) -> float:
        prof = text_profile(doc.text)
        if prof.chars <= self.window:
            counts = prof.char_counts
            total = prof.chars
            return len(counts) / total if total else 0.0
        head = "".join(doc.text.split())[: self.window]
        return len(set(head)) / len(head)


class CharEntropy(ThresholdRule):
    """Drops documents whose character entropy (bits) is below ``min_entropy``: a very
    small or very skewed character distribution (keyword lists, symbol art, repeated tokens).

    Signal ``char_entropy``.
    """

    reason = "low_char_entropy"
    signal = "char_entropy"

    def __init__(self, min_entropy: float) -> None:
        self.minimum = min_entropy

    def measure(self, doc: Document) -> float:
        return text_profile(doc.text).entropy
