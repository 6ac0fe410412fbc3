"""The quality stage's rules, built from the config once per worker.

Rules run cheap first (measured cost per document, ``benchmarks/quality_eval.py --cost``):
length, lines, character classes, lexicon, n-gram repetition, then the classifier. A document
stops at its first failing rule; :func:`zhclean.filters.quality.evaluate_all` computes every
signal when all are wanted (``zhclean explain``, report samples).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhclean.filters.base import DocumentRule
from zhclean.filters.lexicon import Lexicon
from zhclean.filters.quality import (
    CharEntropy,
    CjkShare,
    DigitShare,
    DuplicateLines,
    DuplicateNgrams,
    MaxLength,
    MeanLineLength,
    MinLength,
    ReadMoreLines,
    TerminalPunctuation,
    TopNgram,
    UniqueCharShare,
)
from zhclean.filters.quality.classifier import QualityClassifier
from zhclean.filters.quality.lexicon import LexiconDensity
from zhclean.transforms.files import local_copy

if TYPE_CHECKING:
    from zhclean.pipeline.config import Config
    from zhclean.pipeline.config.quality import LexiconSection, QualitySection


def lexicon_rules(cfg: LexiconSection) -> list[DocumentRule]:
    """One :class:`LexiconDensity` rule per category, all sharing one automaton."""
    lexicon = Lexicon.from_files(
        [local_copy(p) for p in cfg.files],
        [local_copy(p) for p in cfg.allowlist_files],
        cfg.allow,
        cfg.min_term_chars,
    )
    return [
        LexiconDensity(
            lexicon, category, cfg.max_density.get(category, cfg.default_max_density), cfg.min_hits
        )
        for category in lexicon.categories
    ]


def quality_rules(cfg: QualitySection) -> list[DocumentRule]:
    """The rules of a quality section in measured cost order (µs/doc on cc_zh_sample):
    length ~30, line rules ~30-110 (sharing one line split), character-class rules ~90-220
    (sharing one character count), lexicon ~450 (one match for all categories), top n-gram
    ~1,500, duplicated n-grams ~2,300, classifier last. A rule whose bounds are null still
    runs, to record its signal."""
    rules: list[DocumentRule] = [
        MinLength(cfg.min_chars),
        MaxLength(cfg.max_chars),
        MeanLineLength(cfg.min_mean_line_chars),
        DuplicateLines(cfg.max_dup_line_share, cfg.max_dup_line_char_share),
        TerminalPunctuation(cfg.min_terminal_punct_share, cfg.min_lines_for_line_shares),
        ReadMoreLines(cfg.max_read_more_share, cfg.min_lines_for_line_shares),
        CjkShare(cfg.min_cjk_share),
        UniqueCharShare(cfg.min_unique_char_share),
        CharEntropy(cfg.min_char_entropy),
        DigitShare(cfg.max_digit_share),
    ]
    if cfg.lexicon.enabled:
        rules.extend(lexicon_rules(cfg.lexicon))
    rules += [
        TopNgram(
            {2: cfg.max_top_2gram_share, 3: cfg.max_top_3gram_share, 4: cfg.max_top_4gram_share},
            cfg.ngram_unit,
        ),
        DuplicateNgrams(
            {
                5: cfg.max_dup_5gram_share,
                6: cfg.max_dup_6gram_share,
                7: cfg.max_dup_7gram_share,
                8: cfg.max_dup_8gram_share,
                9: cfg.max_dup_9gram_share,
                10: cfg.max_dup_10gram_share,
            },
            cfg.ngram_unit,
        ),
    ]
    if cfg.classifier.model_path is not None:
        clf = cfg.classifier
        rules.append(
            QualityClassifier(
                local_copy(clf.model_path), clf.min_score, clf.positive_label, clf.max_chars
            )
        )
    return rules


def build_rules(config: Config) -> list[DocumentRule]:
    """The quality stage's rules for the root config (empty when the stage is disabled)."""
    if not config.quality.enabled:
        return []
    return quality_rules(config.quality)
