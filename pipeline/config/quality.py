"""Config of the quality stage: heuristic rules, lexicon filter and optional classifier.

Every threshold of every rule is here. ``null`` disables a bound (the signal is still
recorded). Defaults were chosen by measurement on ``../shared/data`` (see README "Language
and quality filters" and ``benchmarks/quality_eval.py``); the published figure each one
started from is in its docstring.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from zhclean.pipeline.config.base import DataPath, Section

Share = float  # a fraction in [0, 1]


class LexiconSection(Section):
    enabled: bool = True
    """Run the lexicon density rules (one reason per category: ``quality/lexicon_<category>``)."""
    files: list[DataPath] = Field(
        default_factory=lambda: [
            "builtin:lexicon/gambling.txt",
            "builtin:lexicon/porn.txt",
            "builtin:lexicon/ads.txt",
        ]
    )
    """Lexicon files: one term per line (category = file name) or ``category<TAB>term``. Add
    your own files here; the shipped ones come from konsheng/Sensitive-lexicon (MIT) and
    LDNOOBW zh (CC-BY-4.0), see ``filters/resources/lexicon/NOTICE.md``."""
    allowlist_files: list[DataPath] = Field(
        default_factory=lambda: ["builtin:lexicon/allowlist.txt"]
    )
    """Phrases that never count, and that shield terms inside them (成人 in 成人教育)."""
    allow: list[str] = Field(default_factory=list)
    """Extra allowlisted terms or phrases, inline."""
    max_density: dict[str, float] = Field(
        default_factory=lambda: {"gambling": 1.0, "porn": 2.0, "ads": 1.0}
    )
    """Per-category bound on term occurrences per 1,000 normalised characters (ChineseWebText
    uses distinct hits per line ≤ 0.5). Measured: gambling-injected spam pages 1.1–12.8, real
    articles ≤ 1.2 with a single hit."""
    default_max_density: float | None = Field(1.0, ge=0.0)
    """Bound for categories not in ``max_density`` (e.g. from your own files); null: signal only."""
    min_hits: int = Field(2, ge=1)
    """A category drops a document only with at least this many occurrences."""
    min_term_chars: int = Field(2, ge=1)
    """Terms shorter than this (after normalisation) are ignored: single characters such as 性
    match ordinary words."""


class ClassifierSection(Section):
    model_path: DataPath | None = None
    """fastText quality model from ``zhclean train-quality`` (null: no classifier). When set,
    every document gets ``quality.quality_score`` (probability of the positive label)."""
    min_score: float = Field(0.0, ge=0.0, le=1.0)
    """Documents scoring below this are ``quality/low_quality_score``; 0 only records the score."""
    positive_label: str = "hq"
    """Label of good documents in the model (``train-quality`` uses ``hq``/``lq``)."""
    max_chars: int = Field(5000, ge=100)
    """Only the first characters are segmented and scored (cost)."""


class QualitySection(Section):
    enabled: bool = True
    """Run the quality stage at all."""
    min_chars: int | None = Field(100, ge=0)
    """``too_short``: fewer non-whitespace characters (ChineseWebText > 200, MAP-CC ≥ 50;
    200 dropped 2/69 real articles of extraction_zh and no more spam than 100)."""
    max_chars: int | None = Field(100_000, ge=1)
    """``too_long``: more non-whitespace characters (MAP-CC ≤ 10,000 would drop long real
    articles; this is a cost bound for the repetition rules)."""
    min_cjk_share: Share | None = Field(0.3, ge=0.0, le=1.0)
    """``low_cjk_share``: Han characters / non-whitespace characters (ChineseWebText ≥ 0.3)."""
    min_mean_line_chars: float | None = Field(5.0, ge=0.0)
    """``short_lines``: mean non-whitespace characters per line (ChineseWebText ≥ 10; 10 dropped
    2/69 real article pages end to end and nothing else on cc_zh_sample)."""
    min_terminal_punct_share: Share | None = Field(0.08, ge=0.0, le=1.0)
    """``few_terminal_punct``: share of lines ending in 。！？；.!?; (FineWeb-2 cmn ≥ 0.106,
    which dropped 5/69 real pages end to end; 0.08 drops 3 and the same cc_zh_sample lists)."""
    max_read_more_share: Share | None = Field(0.3, ge=0.0, le=1.0)
    """``read_more_lines``: share of lines ending like a teaser (…, ..., 展开, 更多);
    MAP-CC ≤ 0.3."""
    min_lines_for_line_shares: int = Field(3, ge=1)
    """The two share-of-lines rules above judge only texts with at least this many lines."""
    max_dup_line_share: Share | None = Field(0.4, ge=0.0, le=1.0)
    """``duplicate_lines``: share of lines repeating an earlier line (FineWeb-2 cmn ≤ 0.287;
    real pages with repeated table cells reached 0.35)."""
    max_dup_line_char_share: Share | None = Field(0.25, ge=0.0, le=1.0)
    """``duplicate_lines``: share of characters in repeated lines (Gopher ≤ 0.2)."""
    max_digit_share: Share | None = Field(0.3, ge=0.0, le=1.0)
    """``too_many_digits``: digits / non-punctuation characters (MAP-CC ≤ 0.3)."""
    min_unique_char_share: Share | None = Field(0.1, ge=0.0, le=1.0)
    """``low_char_diversity``: distinct / all characters in the first 1,000 (MAP-CC > 0.1)."""
    min_char_entropy: float | None = Field(4.0, ge=0.0)
    """``low_char_entropy``: Shannon entropy of characters, bits (MAP-CC ≥ 3; real text ≥ 5.9)."""
    ngram_unit: Literal["char", "word"] = "char"
    """Unit of the n-gram rules: ``char`` (Han characters, ASCII words) or ``word`` (jieba).
    Measured: characters separate spam better (AUC 0.75 vs 0.71) at a third of the cost."""
    max_top_2gram_share: Share | None = Field(0.15, ge=0.0, le=1.0)
    """``top_ngram``: characters covered by the most frequent 2-gram (FineWeb-2 cmn,
    words: 0.256)."""
    max_top_3gram_share: Share | None = Field(0.15, ge=0.0, le=1.0)
    """``top_ngram``: same for 3-grams (FineWeb-2 cmn, words: 0.201)."""
    max_top_4gram_share: Share | None = Field(0.10, ge=0.0, le=1.0)
    """``top_ngram``: same for 4-grams (FineWeb-2 cmn, words: 0.171)."""
    max_dup_5gram_share: Share | None = Field(0.32, ge=0.0, le=1.0)
    """``duplicate_ngrams``: characters in repeated 5-grams (FineWeb-2 cmn, words: 0.198; over
    characters real pages reach 0.30, see README)."""
    max_dup_6gram_share: Share | None = Field(0.30, ge=0.0, le=1.0)
    """``duplicate_ngrams``: same for 6-grams (FineWeb-2 cmn, words: 0.182)."""
    max_dup_7gram_share: Share | None = Field(0.28, ge=0.0, le=1.0)
    """``duplicate_ngrams``: same for 7-grams (FineWeb-2 cmn, words: 0.167)."""
    max_dup_8gram_share: Share | None = Field(0.26, ge=0.0, le=1.0)
    """``duplicate_ngrams``: same for 8-grams (FineWeb-2 cmn, words: 0.154)."""
    max_dup_9gram_share: Share | None = Field(0.25, ge=0.0, le=1.0)
    """``duplicate_ngrams``: same for 9-grams (FineWeb-2 cmn, words: 0.14)."""
    max_dup_10gram_share: Share | None = Field(0.25, ge=0.0, le=1.0)
    """``duplicate_ngrams``: same for 10-grams (FineWeb-2 cmn, words: 0.127)."""
    lexicon: LexiconSection = LexiconSection()
    """Gambling / porn / ads lexicon density rules."""
    classifier: ClassifierSection = ClassifierSection()
    """Optional fastText quality classifier (runs last: the most expensive rule)."""
