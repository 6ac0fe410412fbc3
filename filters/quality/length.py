"""Document length, counted in non-whitespace characters."""

from __future__ import annotations

from zhclean.filters.document import Document
from zhclean.filters.quality.base import ThresholdRule
from zhclean.filters.quality.profile import text_profile


class MinLength(ThresholdRule):
    """Drops documents with fewer than ``min_chars`` non-whitespace characters.

    Too little text to be useful and too little for the other signals to mean anything
    (ChineseWebText keeps > 200 characters; MAP-CC ≥ 50).
    """

    reason = "too_short"
    signal = "chars"

    def __init__(self, min_chars: int) -> None:
        self.minimum = min_chars

    def measure(self, doc: Document) -> float:
        return text_profile(doc.text).chars


class MaxLength(ThresholdRule):
    """Drops documents with more than ``max_chars`` non-whitespace characters.

    Very long extracted pages are almost always dumps (catalogues, logs, concatenated lists);
    the bound also caps the cost of the repetition rules. Signal: ``chars`` (as MinLength).
    """

    reason = "too_long"
    signal = "chars"

    def __init__(self, max_chars: int) -> None:
        self.maximum = max_chars

    def measure(self, doc: Document) -> float:
        return text_profile(doc.text).chars
