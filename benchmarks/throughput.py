#!/usr/bin/env python
"""Throughput of each stage and end to end, on a generated shard of N records.

    .venv/bin/python benchmarks/throughput.py [--records 1000] [--repeats 3] [--config C]

Prints, per stage: documents in, median seconds, docs/s on one core and peak RSS while the stage
ran (Linux VmHWM, reset before each stage); then the whole Beam job (in-process runner, one
worker) as docs/s per core; and the ratio against a baseline run in the same process: plain
warcio iteration + ``trafilatura.extract`` with default settings on every HTML response (what a
minimal hand-written extraction loop costs). Medians over ``--repeats`` runs; the machine is
shared, so compare figures taken in the same run.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.memory import peak_rss_mib, reset_peak_rss  # noqa: E402
from benchmarks.shards import write_shard  # noqa: E402
from zhclean.filters.document import Document  # noqa: E402
from zhclean.filters.warc_records import WarcReader  # noqa: E402
from zhclean.pipeline.config import load_config  # noqa: E402
from zhclean.transforms.read import build_prefilters, prefilter_drop  # noqa: E402
from zhclean.transforms.stages import stage_builders  # noqa: E402


def timed(fn, repeats: int) -> tuple[float, float, object]:
    """Median seconds and peak RSS (MiB) over ``repeats`` runs of ``fn``; last result."""
    times, peaks, result = [], [], None
    for _ in range(repeats):
        reset_peak_rss()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        peaks.append(peak_rss_mib())
    return statistics.median(times), max(peaks), result


def read_stage(path: str, config) -> list[Document]:
    """Read and pre-filter, as ``ReadWarcFn`` does."""
    reader = WarcReader(
        max_record_bytes=config.read.max_record_bytes,
        html_content_types=list(config.read.html_content_types),
    )
    prefilters = build_prefilters(config)
    with open(path, "rb") as fh:
        return [
            d
            for d in reader.read(fh, path)
            if isinstance(d, Document) and prefilter_drop(prefilters, d) is None
        ]


def apply_rules(docs: list[Document], rules) -> list[Document]:
    kept = []
    for doc in docs:
        if all(rule.check(doc).keep for rule in rules):
            kept.append(doc)
    return kept


def baseline(path: str) -> int:
    import trafilatura
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            html = record.content_stream().read().decode("utf-8", errors="replace")
            trafilatura.extract(html)
            n += 1
    return n


def end_to_end(path: str, config_path: str) -> None:
    from zhclean.pipeline.cli import main

    with tempfile.TemporaryDirectory() as out:
        code = main(
            [
                "--log-level",
                "WARNING",
                "run",
                "--config",
                config_path,
                "--input",
                path,
                "--output",
                f"{out}/o",
                "--direct_num_workers=1",
                "--direct_running_mode=in_memory",
            ]
        )
        assert code == 0


def row(stage: str, n: int, secs: float, peak: float, note: str = "") -> None:
    print(f"{stage:<12}{n:>9}{secs:>10.3f}{n / secs:>13.0f}{peak:>10.0f}{note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--config", default=str(REPO / "configs" / "default.yaml"))
    args = parser.parse_args()
    config = load_config(args.config)

    with tempfile.TemporaryDirectory() as tmp:
        shard = f"{tmp}/bench.warc.gz"
        size = write_shard(shard, args.records, seed=1)
        print(f"shard: {args.records} captures, {size / 1e6:.1f} MB; repeats={args.repeats}")
        print(f"{'stage':<12}{'docs in':>9}{'median s':>10}{'docs/s/core':>13}{'peak MiB':>10}")

        secs, peak, docs = timed(lambda: read_stage(shard, config), args.repeats)
        row("read", args.records, secs, peak)
        for stage, build in stage_builders():
            rules = build(config)
            batch = docs
            secs, peak, docs = timed(
                lambda b=batch, r=rules: apply_rules(copy.deepcopy(b), r), args.repeats
            )
            row(stage, len(batch), secs, peak)

        e2e_secs, e2e_peak, _ = timed(lambda: end_to_end(shard, args.config), 1)
        base_secs, base_peak, n_base = timed(lambda: baseline(shard), args.repeats)
        row("end to end", args.records, e2e_secs, e2e_peak, "   (Beam, 1 worker, all stages)")
        row("baseline", n_base, base_secs, base_peak, "   (warcio + trafilatura defaults)")
        ratio = (args.records / e2e_secs) / (n_base / base_secs)
        print(f"ratio end-to-end / baseline: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
