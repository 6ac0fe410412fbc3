"""Category word lists matched with an Aho-Corasick automaton (pyahocorasick).

Text and terms are put in the canonical form of :func:`zhclean.filters.normalize.normalize_text`
(NFKC, Traditional→Simplified, lower case, no punctuation, symbols or whitespace), so
``百 家 乐``, ``百家樂`` and ``百家乐`` are the same term. Matching takes the leftmost-longest
non-overlapping matches (``Automaton.iter_long``); allowlisted phrases are in the same
automaton, so a term inside an allowlisted phrase (成人 in 成人教育) is consumed by the
phrase and does not count, and an allowlisted term itself is never counted.

Lexicon file format (UTF-8): one term per line, ``#`` starts a comment line. A line
``category<TAB>term`` names its category; a bare ``term`` belongs to the category named by
the file name (``gambling.txt`` → ``gambling``).
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from zhclean.filters.normalize import normalize_text

ALLOW = ""  # category value of allowlisted phrases in the automaton


def normalize_term(term: str) -> str:
    """The form a term is matched in (the same normalisation as the text)."""
    return normalize_text(term.strip())


def read_lexicon_file(path: str) -> list[tuple[str, str]]:
    """``(category, term)`` pairs of one lexicon file (terms not yet normalised)."""
    default = os.path.splitext(os.path.basename(path))[0]
    pairs: list[tuple[str, str]] = []
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if "\t" in line:
                category, term = line.split("\t", 1)
                pairs.append((category.strip(), term))
            else:
                pairs.append((default, line))
    return pairs


def read_term_file(path: str) -> list[str]:
    """Terms of an allowlist file (one per line, ``#`` comments)."""
    with open(path, encoding="utf-8-sig") as fh:
        return [ln.strip() for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]


@dataclass(frozen=True)
class LexiconMatch:
    """Matches of one text: occurrences and distinct terms per category."""

    chars: int  # length of the normalised text
    hits: Counter[str] = field(default_factory=Counter)
    terms: dict[str, Counter[str]] = field(default_factory=dict)

    def density(self, category: str) -> float:
        """Occurrences per 1,000 normalised characters."""
        return 1000.0 * self.hits.get(category, 0) / self.chars if self.chars else 0.0

    def top_terms(self, category: str, n: int = 5) -> list[str]:
        return [t for t, _ in self.terms.get(category, Counter()).most_common(n)]


class Lexicon:
    """Category lexicons plus an allowlist, compiled into one automaton.

    ``min_term_chars`` (after normalisation) drops terms too short for substring matching.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, str]],
        allowlist: Iterable[str] = (),
        min_term_chars: int = 2,
        cache_size: int = 8,
    ) -> None:
        allowed = {t for t in (normalize_term(a) for a in allowlist) if t}
        terms: dict[str, str] = {}
        for category, term in entries:
            norm = normalize_term(term)
            if len(norm) >= min_term_chars and norm not in allowed:
                terms.setdefault(norm, category)
        self.categories = sorted(set(terms.values()))
        self.size = len(terms)
        automaton = ahocorasick.Automaton()
        for term, category in terms.items():
            automaton.add_word(term, (category, term))
        for term in allowed:
            automaton.add_word(term, (ALLOW, term))
        if len(automaton):
            automaton.make_automaton()
        self._automaton = automaton
        self.match = functools.lru_cache(maxsize=cache_size)(self._match)

    @classmethod
    def from_files(
        cls,
        files: Iterable[str],
        allowlist_files: Iterable[str] = (),
        allow_terms: Iterable[str] = (),
        min_term_chars: int = 2,
    ) -> Lexicon:
        entries = [pair for path in files for pair in read_lexicon_file(path)]
        allow = [t for path in allowlist_files for t in read_term_file(path)] + list(allow_terms)
        return cls(entries, allow, min_term_chars)

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        del state["match"]  # the bound cache is rebuilt on unpickling
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.match = functools.lru_cache(maxsize=8)(self._match)

    def _match(self, text: str) -> LexiconMatch:
        norm = normalize_text(text)
        result = LexiconMatch(len(norm))
        if not len(self._automaton) or not norm:
            return result
        for _end, (category, term) in self._automaton.iter_long(norm):
            if category == ALLOW:
                continue
            result.hits[category] += 1
            result.terms.setdefault(category, Counter())[term] += 1
        return result
