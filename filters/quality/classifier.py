"""Optional fastText quality classifier over jieba-segmented text.

The same :func:`classifier_line` preprocessing is used to train (``zhclean train-quality``)
and to score, so a model always sees text shaped as it was trained on.
"""

from __future__ import annotations

import re

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.language import LABEL_PREFIX, FastTextModelUser
from zhclean.filters.quality.base import fmt
from zhclean.filters.quality.tokens import load_tokenizer, split_tokens
from zhclean.filters.verdict import KEEP, Verdict

POSITIVE = "hq"
NEGATIVE = "lq"
_WHITESPACE = re.compile(r"\s+")


def classifier_line(text: str, max_chars: int = 5000) -> str:
    """One line of space-separated jieba words (punctuation dropped) of the text's start."""
    load_tokenizer("word")
    head = _WHITESPACE.sub(" ", text[:max_chars])
    return " ".join(split_tokens(head, "word"))


class QualityClassifier(FastTextModelUser, DocumentRule):
    """Scores every document with a fastText model trained by ``zhclean train-quality``.

    Signal ``quality_score``: the probability of ``positive_label``. Drops documents scoring
    below ``min_score`` as ``low_quality_score`` (with ``min_score=0`` it only records the
    score). The model is loaded once per process and queried through the low-level
    ``model.f.predict`` (NumPy-2 safe, DESIGN.md §7).
    """

    reason = "low_quality_score"
    signal = "quality_score"

    def __init__(
        self,
        model_path: str,
        min_score: float = 0.0,
        positive_label: str = POSITIVE,
        max_chars: int = 5000,
    ) -> None:
        self.model_path = model_path
        self.min_score = min_score
        self.label = LABEL_PREFIX + positive_label
        self.max_chars = max_chars
        load_tokenizer("word")

    def score(self, text: str) -> float:
        line = classifier_line(text, self.max_chars)
        if not line:
            return 0.0
        for prob, label in self.model.f.predict(line, -1, 0.0, "strict"):
            if label == self.label:
                return min(1.0, float(prob))
        return 0.0

    def check(self, doc: Document) -> Verdict:
        value = self.score(doc.text)
        doc.quality[self.signal] = round(value, 4)
        if value < self.min_score:
            return self.drop(f"{self.signal}={fmt(value)} < {fmt(self.min_score)}")
        return KEEP
