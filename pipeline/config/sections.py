"""Config sections of the core stages: read, decode, extract, language, output, run."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from zhclean.pipeline.config.base import DataPath, Section


class RunSection(Section):
    seed: int = 0
    """Seed of every random choice (MinHash permutations, sampling ties)."""


class ReadSection(Section):
    max_record_bytes: int = Field(5_000_000, ge=1024)
    """Payloads larger than this (after decompression) are dropped as ``read/too_large``;
    no more than this many bytes are ever inflated from one record (gzip bombs)."""
    html_content_types: list[str] = [
        "text/html",
        "application/xhtml+xml",
        "application/xml",
        "text/xml",
        "text/plain",
    ]
    """Content types (HTTP ``Content-Type`` without parameters) that go on to decoding."""
    cjk_prefilter: bool = True
    """Drop captures whose payload cannot hold a Han character (``read/no_cjk``) before
    decoding and extraction: no Han in UTF-8, no legacy double-byte text, no Han character
    references or 7-bit CJK encodings, and not declared Chinese (``Content-Language``,
    ``lang``). The first ``extract.max_html_bytes`` bytes are scanned. Applies only when
    every ``language.languages`` entry is written with Han characters (zh, wuu, yue, ja)."""
    max_kana_hangul_share: float = Field(0.5, ge=0.0, le=1.0)
    """With ``cjk_prefilter``: UTF-8 pages whose kana and Hangul are more than this share of
    their CJK characters (whole payload) are dropped as ``read/kana_hangul`` (Japanese or
    Korean; Chinese pages are near 0). 1 disables; off when ``ja`` or ``ko`` is kept."""


class DecodeSection(Section):
    max_replacement_ratio: float = Field(0.01, ge=0.0, le=1.0)
    """A candidate charset is wrong if more than this share of the non-ASCII characters it
    decodes to are U+FFFD (wrong charsets on real pages give >= 0.03; results are the same
    anywhere in 0.002-0.02, see scripts/eval_decode.py --sweep)."""
    max_mojibake_ratio: float = Field(0.05, ge=0.0, le=1.0)
    """A candidate charset is wrong if more than this share of the non-ASCII characters are
    mojibake: controls, private use, rare ideographs for its language, Latin mojibake like
    ``Ã©``/``ÖÐ`` (real pages <= 0.011; wrong charsets >= 0.06; flat from 0.02 to 0.2)."""
    max_garbled_ratio: float = Field(0.2, ge=0.0, le=1.0)
    """When no charset passes, the least garbled decoding is still kept if its U+FFFD plus
    mojibake share is at most this (mixed or damaged pages); above it: ``decode/undecodable``."""
    meta_scan_bytes: int = Field(8192, ge=512, le=1_048_576)
    """How many leading bytes are searched for ``<meta charset>`` and the XML declaration."""


class ExtractSection(Section):
    extractor: Literal["trafilatura", "resiliparse"] = "resiliparse"
    """Main-text extractor. resiliparse (default): same mean F1 as trafilatura on the Chinese
    gold pages at about 1/5 of the CPU, same articles kept end to end (README "Speed");
    trafilatura: better on more of the gold pages one by one, leaves less navigation text."""
    max_html_bytes: int = Field(2_000_000, ge=1024, le=100_000_000)
    """HTML beyond this many UTF-8 bytes is cut before parsing (the main text is near the top;
    trafilatura needs about 0.75 s of CPU for 2 MB)."""
    timeout_seconds: float = Field(5.0, gt=0, le=600)
    """Per-document time limit; a page that takes longer is dropped as ``extract/timeout``."""
    isolation: Literal["process", "thread"] = "process"
    """How the time limit is enforced: ``process`` runs extraction in persistent child
    processes and kills one that overruns (stops C code too, survives parser crashes);
    ``thread`` uses an in-thread watchdog (no extra processes, cannot stop C code)."""
    include_comments: bool = True
    """Keep comment sections of articles (forum thread pages always give their post bodies)."""
    min_chars: int = Field(1, ge=0)
    """Pages whose extracted text is shorter than this are dropped as ``extract/empty``."""
    clean_boilerplate_lines: bool = True
    """Cut Chinese site boilerplate lines (ICP备, 版权所有, 上一篇/下一篇, 分享到…)."""


class LanguageSection(Section):
    model_path: DataPath = "builtin:lid.176.ftz"
    """fastText LID model: ``builtin:lid.176.ftz`` (shipped) or a path to e.g. ``lid.176.bin``."""
    languages: list[str] = ["zh"]
    """Language codes to keep (fastText ``__label__`` suffixes)."""
    min_score: float = Field(0.5, ge=0.0, le=1.0)
    """Documents whose best kept-language score is below this are ``language/low_score``
    (CCNet 0.5; measured on langid/: zh recall 0.986 at 0.5, 0.982 at 0.65, no false accepts)."""
    max_chars: int = Field(2000, ge=50)
    """Only the first characters of the text are given to the model (speed)."""
    min_kana_share: float = Field(0.05, ge=0.0, le=1.0)
    """``ja`` (``ko``) is a possible label only if kana (Hangul) are at least this share of
    the CJK characters: lid.176 calls 3% of short Chinese sentences ``ja`` without any kana."""
    max_kana_share: float = Field(0.2, ge=0.0, le=1.0)
    """Chinese labels are impossible when kana or Hangul reach this share of the CJK
    characters (Japanese text has ≥ 0.22; Chinese pages on cc_zh_sample ≤ 0.002)."""
    mixed_min_share: float = Field(0.3, ge=0.0, le=1.0)
    """Mixed pages (Chinese prose plus English/code): when the whole text is not confidently
    Chinese, its CJK lines are identified alone and the page is kept if they are Chinese and
    hold at least this share of the non-space characters."""
    to_simplified: bool = False
    """Convert kept text from Traditional to Simplified script (``script`` keeps the original)."""


class OutputSection(Section):
    format: Literal["jsonl.gz", "parquet"] = "jsonl.gz"
    num_shards: int = Field(0, ge=0)
    """Number of kept shards; 0 lets the runner choose."""
    manifest_shards: int = Field(0, ge=0)
    """Number of dropped-manifest shards; 0 lets the runner choose."""
    samples_per_reason: int = Field(20, ge=0, le=10_000)
    """How many dropped documents per ``stage/reason`` go to ``dropped/samples.jsonl``."""
    excerpt_chars: int = Field(500, ge=0)
    """Length of the text excerpt stored with each sample."""
