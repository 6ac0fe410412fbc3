"""Applying a list of rules: cheap-first with early exit, or all of them for auditing."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass

from zhclean.filters.base import DocumentRule
from zhclean.filters.document import Document
from zhclean.filters.verdict import KEEP, Verdict


@dataclass(frozen=True)
class RuleOutcome:
    """One rule's verdict on one document (``reason`` is the rule's reason name)."""

    rule: str
    reason: str
    verdict: Verdict


def rule_name(rule: DocumentRule) -> str:
    return type(rule).__name__


def first_failure(rules: Sequence[DocumentRule], doc: Document) -> Verdict:
    """Run ``rules`` in order and return the first drop (later rules do not run), or KEEP."""
    for rule in rules:
        verdict = rule.check(doc)
        if not verdict.keep:
            return verdict
    return KEEP


def evaluate_all(
    rules: Sequence[DocumentRule], doc: Document, *, on_copy: bool = True
) -> list[RuleOutcome]:
    """Every rule's verdict on ``doc``, without stopping at the first failure.

    All signals end up in the evaluated document's ``quality``. With ``on_copy`` (default) the
    rules run on a copy, and only ``quality`` is merged back into ``doc``, so rules that
    transform text cannot change what a later pipeline stage sees.
    """
    target = copy.deepcopy(doc) if on_copy else doc
    outcomes = [RuleOutcome(rule_name(rule), rule.reason, rule.check(target)) for rule in rules]
    if on_copy:
        doc.quality.update(target.quality)
    return outcomes
