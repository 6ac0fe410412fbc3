"""Shared shape of the threshold rules: measure one signal, compare with a bound."""

from __future__ import annotations

from abc import abstractmethod

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.verdict import KEEP, Verdict


def fmt(value: float) -> str:
    return f"{value:.4g}"


class ThresholdRule(DocumentRule):
    """A rule that measures ``signal`` and drops when it is below ``minimum`` or above ``maximum``.

    Subclasses implement :meth:`measure`; the value is rounded and written to
    ``doc.quality[signal]`` before the comparison, so kept documents carry it too.
    """

    signal = ""
    minimum: float | None = None
    maximum: float | None = None

    @abstractmethod
    def measure(self, doc: Document) -> float:
        """The measured value (subclasses)."""

    def check(self, doc: Document) -> Verdict:
        value = self.measure(doc)
        doc.quality[self.signal] = round(value, 4)
        if self.minimum is not None and value < self.minimum:
            return self.drop(f"{self.signal}={fmt(value)} < {fmt(self.minimum)}")
        if self.maximum is not None and value > self.maximum:
            return self.drop(f"{self.signal}={fmt(value)} > {fmt(self.maximum)}")
        return KEEP
