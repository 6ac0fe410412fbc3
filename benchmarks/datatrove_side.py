"""The datatrove half of ``benchmarks/vs_datatrove.py`` (runs in ``.venv-bench``, not ``.venv``).

An equivalent of zhclean's pipeline built from datatrove's own blocks, set up as FineWeb-2 sets
up Chinese (``cmn_Hani``): WarcReader → Trafilatura (precision mode, as FineWeb) →
LanguageFilter (``zh``, fastText lid.176 from a local file: nothing is downloaded) →
GopherRepetitionFilter → FineWebQualityFilter → GopherQualityFilter with FineWeb-2's
cmn_Hani thresholds and word tokenizer (spaCy + jieba) → JsonlWriter; then MinHash dedup in
datatrove's four steps (signatures, buckets, clusters, filter) with FineWeb-2's MinHash setup
(xxhash 64-bit, 14 buckets × 8 hashes, word 5-grams) → JsonlWriter. One task, one worker.

    .venv-bench/bin/python benchmarks/datatrove_side.py --input DIR --workdir DIR --model FILE

Prints one JSON line: seconds per step and document counts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may be fetched

from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.dedup import (
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets
from datatrove.pipeline.extractors import Trafilatura
from datatrove.pipeline.filters import (
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
    LanguageFilter,
)
from datatrove.pipeline.readers import JsonlReader, WarcReader
from datatrove.pipeline.writers.jsonl import JsonlWriter
from datatrove.utils.hashing import HashConfig
from datatrove.utils.lid import FT176LID
from datatrove.utils.word_tokenizers import load_word_tokenizer

LANGUAGE = "cmn_Hani"
# FineWeb-2 configs/cmn_Hani.yml (the published thresholds for Mandarin in Han script).
CMN_HANI = {
    "dup_line_frac": 0.287,
    "dup_n_grams": ((5, 0.198), (6, 0.182), (7, 0.167), (8, 0.154), (9, 0.14), (10, 0.127)),
    "top_n_grams": ((2, 0.256), (3, 0.201), (4, 0.171)),
    "line_punct_thr": 0.106,
    "new_line_ratio": 0.178,
    "max_avg_word_length": 5,
    "min_avg_word_length": 1,
    "max_non_alpha_words_ratio": 0.735,
    "stopwords": [
        "的",
        "年",
        "在",
        "月",
        "是",
        "和",
        "日",
        "了",
        "於",
        "·",
        "為",
        "有",
        "被",
        "人",
        "中",
        "为",
        "他",
        "與",
        "後",
        "也",
        "而",
        "由",
    ],
}


class LocalFastTextLID(FT176LID):
    """lid.176 read from a local file instead of datatrove's download cache."""

    def __init__(self, path: str, languages: list[str]) -> None:
        super().__init__(languages)
        self.path = path

    @property
    def model(self):
        if self._model is None:
            from fasttext.FastText import _FastText

            self._model = _FastText(self.path)
        return self._model


def run(steps: list, workdir: str, name: str, tasks: int = 1) -> float:
    start = time.perf_counter()
    LocalPipelineExecutor(
        pipeline=steps, tasks=tasks, workers=1, logging_dir=f"{workdir}/logs/{name}"
    ).run()
    # Steps share word tokenizers through a cache; one loaded by this run holds spaCy objects
    # that the next executor cannot deep-copy, so the next steps get fresh ones.
    load_word_tokenizer.cache_clear()
    return time.perf_counter() - start


def count_lines(folder: str) -> int:
    import gzip

    n = 0
    for root, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".jsonl.gz"):
                with gzip.open(os.path.join(root, name), "rt") as fh:
                    n += sum(1 for _ in fh)
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="folder of *.warc.gz shards")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--model", required=True, help="local lid.176.ftz / .bin")
    parser.add_argument("--lang-threshold", type=float, default=0.65)
    parser.add_argument("--timeout", type=float, default=5.0, help="extraction limit (s)")
    args = parser.parse_args()
    w = args.workdir

    language_filter = LanguageFilter(languages=["zh"], language_threshold=args.lang_threshold)
    language_filter.model = LocalFastTextLID(args.model, ["zh"])
    filtering = [
        WarcReader(args.input, glob_pattern="*.warc.gz"),
        Trafilatura(favour_precision=True, timeout=args.timeout),
        language_filter,
        GopherRepetitionFilter(
            language=LANGUAGE,
            dup_para_frac=0,
            dup_line_char_frac=0,
            dup_para_char_frac=0,
            dup_line_frac=CMN_HANI["dup_line_frac"],
            top_n_grams=CMN_HANI["top_n_grams"],
            dup_n_grams=CMN_HANI["dup_n_grams"],
        ),
        FineWebQualityFilter(
            language=LANGUAGE,
            short_line_thr=999,
            char_duplicates_ratio=0.1,
            line_punct_thr=CMN_HANI["line_punct_thr"],
            new_line_ratio=CMN_HANI["new_line_ratio"],
        ),
        GopherQualityFilter(
            language=LANGUAGE,
            max_avg_word_length=CMN_HANI["max_avg_word_length"],
            min_avg_word_length=CMN_HANI["min_avg_word_length"],
            stop_words=CMN_HANI["stopwords"],
            max_non_alpha_words_ratio=CMN_HANI["max_non_alpha_words_ratio"],
            min_stop_words=2,
        ),
        JsonlWriter(f"{w}/filtered"),
    ]
    minhash = MinhashConfig(
        hash_config=HashConfig(hash_fc="xxhash", precision=64),
        num_buckets=14,
        hashes_per_bucket=8,
        n_grams=5,
    )
    seconds = {"filter": run(filtering, w, "filter")}
    if not count_lines(f"{w}/filtered"):  # nothing to deduplicate (datatrove would fail)
        print(json.dumps({"seconds": seconds, "filtered": 0, "kept": 0}))
        return 0
    seconds["minhash_signatures"] = run(
        [
            JsonlReader(f"{w}/filtered"),
            MinhashDedupSignature(f"{w}/signatures", config=minhash, language=LANGUAGE),
        ],
        w,
        "signatures",
    )
    seconds["minhash_buckets"] = run(
        [MinhashDedupBuckets(f"{w}/signatures", f"{w}/buckets", config=minhash)],
        w,
        "buckets",
        tasks=minhash.num_buckets,  # one task per bucket (datatrove requires a multiple)
    )
    seconds["minhash_clusters"] = run(
        [MinhashDedupCluster(f"{w}/buckets", f"{w}/remove_ids", config=minhash)], w, "clusters"
    )
    seconds["minhash_filter"] = run(
        [
            JsonlReader(f"{w}/filtered"),
            MinhashDedupFilter(f"{w}/remove_ids"),
            JsonlWriter(f"{w}/output"),
        ],
        w,
        "dedup_filter",
    )
    print(
        json.dumps(
            {
                "seconds": seconds,
                "filtered": count_lines(f"{w}/filtered"),
                "kept": count_lines(f"{w}/output"),
                "output": f"{w}/output",
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
