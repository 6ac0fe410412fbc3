"""Base class of document rules: thresholds in ``__init__``, one decision method."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from zhclean.filters.document import Document
from zhclean.filters.verdict import Verdict


class DocumentRule(ABC):
    """One rule with one reason name.

    Subclasses set ``reason`` and implement :meth:`check`, which may also record the signal
    it measured in ``doc.quality`` (so auditors see the value even for kept documents) and
    may transform the document (decode, extract). Rules never raise on bad input on purpose:
    an exception is an error (``stage/error:KIND``), not a drop.
    """

    reason: ClassVar[str] = ""

    @abstractmethod
    def check(self, doc: Document) -> Verdict:
        """Decide on ``doc``; return :data:`~zhclean.filters.verdict.KEEP` or a drop."""

    def drop(self, detail: str = "") -> Verdict:
        return Verdict.drop(self.reason, detail)
