"""Chinese quality rules: one class per rule, one reason name each, signals in ``doc.quality``.

Rules are cheap heuristics measured on the text (length, character classes, lines, repetition),
a lexicon density filter, and an optional fastText classifier. :mod:`.runner` applies a list of
them cheap-first (stopping at the first failure) or all of them (for ``explain`` and samples).
"""

from zhclean.filters.quality.chars import CharEntropy, CjkShare, DigitShare, UniqueCharShare
from zhclean.filters.quality.classifier import QualityClassifier
from zhclean.filters.quality.length import MaxLength, MinLength
from zhclean.filters.quality.lexicon import LexiconDensity
from zhclean.filters.quality.lines import (
    DuplicateLines,
    MeanLineLength,
    ReadMoreLines,
    TerminalPunctuation,
)
from zhclean.filters.quality.repetition import DuplicateNgrams, TopNgram
from zhclean.filters.quality.runner import RuleOutcome, evaluate_all, first_failure

__all__ = [
    "CharEntropy",
    "CjkShare",
    "DigitShare",
    "DuplicateLines",
    "DuplicateNgrams",
    "LexiconDensity",
    "MaxLength",
    "MeanLineLength",
    "MinLength",
    "QualityClassifier",
    "ReadMoreLines",
    "RuleOutcome",
    "TerminalPunctuation",
    "TopNgram",
    "UniqueCharShare",
    "evaluate_all",
    "first_failure",
]
