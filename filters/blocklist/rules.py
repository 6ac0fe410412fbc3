"""The blocklist stage's rules: one class per entry kind, each with its own reason.

Every rule looks the document up in a shared, read-only :class:`BlocklistIndex` and drops it
with ``detail`` = the entry's category (``uncategorized`` when the list gave none). They run
cheapest first: URL, domain, document, paragraph, near. A document whose URL cannot be parsed
is simply not matched by URL or domain (that is not an error of this stage).
"""

from __future__ import annotations

import functools

from zhclean.filters.base import DocumentRule
from zhclean.filters.blocklist.index import BlocklistIndex
from zhclean.filters.blocklist.keys import normalized_lines, paragraph_keys_of
from zhclean.filters.blocklist.minhash import minhash_signature
from zhclean.filters.blocklist.urls import InvalidUrlError, url_lookup_keys
from zhclean.filters.document import Document
from zhclean.filters.verdict import KEEP, Verdict

__all__ = [
    "DocumentBlockRule",
    "DomainBlockRule",
    "NearBlockRule",
    "ParagraphBlockRule",
    "UrlBlockRule",
    "make_rules",
]


@functools.lru_cache(maxsize=16)
def _normalized(text: str) -> tuple[str, tuple[str, ...]]:
    """``(document key, normalised lines)``, computed once per document for the document,
    paragraph and near rules (thread-safe; keeps the last few texts only)."""
    lines = normalized_lines(text)
    return "".join(lines), tuple(lines)


def _url_keys(url: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not url:
        return (), ()
    try:
        return url_lookup_keys(url)
    except InvalidUrlError:
        return (), ()


class _IndexRule(DocumentRule):
    def __init__(self, index: BlocklistIndex) -> None:
        self.index = index

    def _verdict(self, category: str | None) -> Verdict:
        return KEEP if category is None else self.drop(category)


class UrlBlockRule(_IndexRule):
    """Drops a document whose normalised URL (under http or https) is listed: the page
    itself was reported as unsafe."""

    reason = "url"

    def check(self, doc: Document) -> Verdict:
        keys, _ = _url_keys(doc.url)
        return self._verdict(self.index.lookup("url", keys) if keys else None)


class DomainBlockRule(_IndexRule):
    """Drops a document whose host or any parent domain is listed: the whole site (and its
    subdomains) is known to serve unsafe content."""

    reason = "domain"

    def check(self, doc: Document) -> Verdict:
        _, hosts = _url_keys(doc.url)
        return self._verdict(self.index.lookup("domain", hosts) if hosts else None)


class DocumentBlockRule(_IndexRule):
    """Drops a document whose normalised full text is listed: an exact (up to width, script,
    case, punctuation and spacing) copy of a document flagged by reviewers."""

    reason = "document"

    def check(self, doc: Document) -> Verdict:
        key, _ = _normalized(doc.text)
        return self._verdict(self.index.lookup("document", (key,)) if key else None)


class ParagraphBlockRule(_IndexRule):
    """Drops a document containing a listed paragraph (a line whose normalised form has at
    least ``min_chars`` characters): unsafe passages pasted into otherwise new pages."""

    reason = "paragraph"

    def __init__(self, index: BlocklistIndex, min_chars: int) -> None:
        super().__init__(index)
        self.min_chars = min_chars

    def check(self, doc: Document) -> Verdict:
        keys = paragraph_keys_of(_normalized(doc.text)[1], self.min_chars)
        return self._verdict(self.index.lookup("paragraph", keys) if keys else None)


class NearBlockRule(_IndexRule):
    """Drops a lightly edited copy of a blocked document: MinHash Jaccard estimate (character
    3-grams of the normalised text) at least the configured threshold to a ``near`` entry.
    Texts shorter than ``min_chars`` normalised characters are not matched (short texts share
    many shingles by chance)."""

    reason = "near"

    def __init__(self, index: BlocklistIndex, min_chars: int) -> None:
        super().__init__(index)
        if index.near is None:
            raise ValueError("the index has no near entries")
        self.min_chars = min_chars
        self.num_perm = index.near.num_perm

    def check(self, doc: Document) -> Verdict:
        key, _ = _normalized(doc.text)
        if len(key) < self.min_chars:
            return KEEP
        category, _ = self.index.lookup_near(minhash_signature(key, self.num_perm))
        return self._verdict(category)


def make_rules(
    index: BlocklistIndex, paragraph_min_chars: int = 20, near_min_chars: int = 50
) -> list[DocumentRule]:
    """The rules for the kinds present in ``index``, cheapest first."""
    rules: list[DocumentRule] = []
    if index.has("url"):
        rules.append(UrlBlockRule(index))
    if index.has("domain"):
        rules.append(DomainBlockRule(index))
    if index.has("document"):
        rules.append(DocumentBlockRule(index))
    if index.has("paragraph"):
        rules.append(ParagraphBlockRule(index, paragraph_min_chars))
    if index.has("near"):
        rules.append(NearBlockRule(index, near_min_chars))
    return rules
