"""Lexicon density rules: one rule (and one reason) per lexicon category."""

from __future__ import annotations

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.lexicon import Lexicon
from zhclean.filters.quality.base import fmt
from zhclean.filters.verdict import KEEP, Verdict


class LexiconDensity(DocumentRule):
    """Drops documents dense in one category's terms (gambling, porn, ads, or a custom one).

    Signal ``lexicon_<category>``: term occurrences per 1,000 normalised characters. A document
    is dropped as ``lexicon_<category>`` when that density is above ``max_density`` and it has
    at least ``min_hits`` occurrences (one accidental hit in a short text is not enough).
    Allowlisted phrases never count (see :class:`~zhclean.filters.lexicon.Lexicon`). All
    categories share one automaton and one match per document.
    """

    reason = "lexicon"

    def __init__(
        self, lexicon: Lexicon, category: str, max_density: float | None, min_hits: int = 2
    ) -> None:
        self.lexicon = lexicon
        self.category = category
        self.max_density = max_density
        self.min_hits = min_hits
        self.reason = f"lexicon_{category}"  # one reason per category instance
        self.signal = f"lexicon_{category}"

    def check(self, doc: Document) -> Verdict:
        match = self.lexicon.match(doc.text)
        density = match.density(self.category)
        hits = match.hits.get(self.category, 0)
        doc.quality[self.signal] = round(density, 4)
        if self.max_density is not None and hits >= self.min_hits and density > self.max_density:
            terms = ",".join(match.top_terms(self.category))
            return self.drop(
                f"{self.signal}={fmt(density)}/1000 chars > {fmt(self.max_density)} "
                f"({hits} hits: {terms})"
            )
        return KEEP
