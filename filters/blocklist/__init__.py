"""Unsafe-content hash blocklist: list format, normalisation, compact index, matching rules.

Users keep known unsafe material out of the output without shipping its plaintext: a list holds
digests of normalised URLs, domains, documents and paragraphs (plus optional MinHash signatures
of blocked documents, to catch lightly edited copies). See README "Blocklist".
"""

from zhclean.filters.blocklist.builder import BlocklistBuilder, BlocklistInputError
from zhclean.filters.blocklist.index import UNCATEGORIZED, BlocklistIndex
from zhclean.filters.blocklist.listfile import (
    BlocklistFormatError,
    BlocklistLoader,
    load_blocklists,
)
from zhclean.filters.blocklist.rules import (
    DocumentBlockRule,
    DomainBlockRule,
    NearBlockRule,
    ParagraphBlockRule,
    UrlBlockRule,
    make_rules,
)

__all__ = [
    "UNCATEGORIZED",
    "BlocklistBuilder",
    "BlocklistFormatError",
    "BlocklistIndex",
    "BlocklistInputError",
    "BlocklistLoader",
    "DocumentBlockRule",
    "DomainBlockRule",
    "NearBlockRule",
    "ParagraphBlockRule",
    "UrlBlockRule",
    "load_blocklists",
    "make_rules",
]
