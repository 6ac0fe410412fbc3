#!/usr/bin/env python
"""zhclean against datatrove, on the same Common Crawl-like shards, in the same run.

    make bench-datatrove        # once: datatrove in its own venv, .venv-bench
    .venv/bin/python benchmarks/vs_datatrove.py [--records 3000] [--repeats 3]

Both pipelines read the same generated WARC shards (``benchmarks/shards.py:write_cc_shard``:
~95% non-Chinese pages of 10 languages, some in legacy charsets; Chinese pages are the real
``extraction_zh`` articles, 47 of 69 GBK-family, and the sample crawl's news, blogs, forums,
spam and navigation pages) and run as separate processes, one after the other, alternating
which goes first:

- **zhclean**: ``zhclean run`` with ``--config`` (default ``configs/default.yaml``), one
  worker, in-process runner;
- **datatrove**: ``benchmarks/datatrove_side.py`` in ``.venv-bench``: WarcReader → Trafilatura
  → LanguageFilter (zh, same lid.176.ftz file) → Gopher repetition / FineWeb quality / Gopher
  quality filters with FineWeb-2's cmn_Hani thresholds → JsonlWriter, then its 4-step MinHash
  dedup (FineWeb-2 setup) → JsonlWriter; one task, one worker.

Throughput is **documents per CPU-second** (user + system time of the process and all its
children, extraction workers included): on a shared machine that is what one core delivers,
while wall time also counts waiting for a core. Wall time and the load average are printed too.
A run on a tiny shard (``--startup-records``) measures each side's fixed start-up cost; the
marginal rate excludes it. Medians over ``--repeats``.

Kept documents are mapped back to what the generator wrote (the ``bench=`` index in each URL):
real Chinese articles kept (distinct articles, copies counted once), other Chinese pages kept
(spam, navigation), non-Chinese kept.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.shards import BenchRecord, bench_index, write_cc_shard  # noqa: E402

BENCH_PYTHON = REPO / ".venv-bench" / "bin" / "python"
ZHCLEAN = REPO / ".venv" / "bin" / "zhclean"
MODEL = REPO / "filters" / "resources" / "lid.176.ftz"


@dataclass
class Run:
    wall: float
    cpu: float
    load: float
    output: Path


@dataclass
class Side:
    name: str
    runs: list[Run] = field(default_factory=list)
    startup: list[Run] = field(default_factory=list)

    def median(self, attr: str, runs: list[Run] | None = None) -> float:
        return statistics.median(getattr(r, attr) for r in (runs or self.runs))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], output: Path, log: Path) -> Run:
    before_cpu, load_before = children_cpu(), os.getloadavg()[0]
    start = time.perf_counter()
    with log.open("w") as fh:
        proc = subprocess.run(argv, stdout=fh, stderr=subprocess.STDOUT, check=False)
    wall = time.perf_counter() - start
    cpu = children_cpu() - before_cpu
    if proc.returncode != 0:
        sys.exit(f"{argv[0]} failed ({proc.returncode}); log: {log}")
    return Run(wall, cpu, (load_before + os.getloadavg()[0]) / 2, output)


def run_zhclean(inputs: Path, out: Path, config: str) -> Run:
    argv = [
        str(ZHCLEAN), "--log-level", "WARNING", "run", "--config", config,
        "--input", str(inputs / "*.warc.gz"), "--output", str(out),
        "--direct_num_workers=1", "--direct_running_mode=in_memory",
    ]  # fmt: skip
    return timed(argv, out, out.parent / f"{out.name}.log")


def run_datatrove(inputs: Path, out: Path, lang_threshold: float) -> Run:
    argv = [
        str(BENCH_PYTHON), str(REPO / "benchmarks" / "datatrove_side.py"),
        "--input", str(inputs), "--workdir", str(out), "--model", str(MODEL),
        "--lang-threshold", str(lang_threshold),
    ]  # fmt: skip
    return timed(argv, out / "output", out.parent / f"{out.name}.log")


def kept_urls(side: str, output: Path) -> list[str]:
    urls = []
    pattern = "kept/*.jsonl.gz" if side == "zhclean" else "**/*.jsonl.gz"
    for path in sorted(output.glob(pattern)):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                urls.append(row.get("url") or row.get("metadata", {}).get("url", ""))
    return urls


def kept_summary(urls: list[str], truth: dict[int, BenchRecord]) -> dict[str, int]:
    kinds: Counter[str] = Counter()
    articles = set()
    for url in urls:
        index = bench_index(url)
        record = truth.get(index) if index is not None else None
        kinds[record.kind if record else "unknown"] += 1
        if record and record.kind == "zh_article":
            articles.add(record.group)
    return {
        "kept": len(urls),
        "chinese": kinds["zh_article"] + kinds["zh_other"],
        "articles": len(articles),
        "zh_other": kinds["zh_other"],
        "non_chinese": kinds["other"] + kinds["not_html"] + kinds["unknown"],
    }


def make_inputs(root: Path, records: int, seed: int, share: float) -> dict[int, BenchRecord]:
    root.mkdir(parents=True)
    _, truth = write_cc_shard(str(root / "cc-00000.warc.gz"), records, seed, share)
    return truth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chinese-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--startup-records", type=int, default=20)
    parser.add_argument("--config", default=str(REPO / "configs" / "default.yaml"))
    parser.add_argument(
        "--lang-threshold", type=float, default=0.65,
        help="datatrove LanguageFilter threshold (its default; FineWeb used 0.65 with ft176)",
    )  # fmt: skip
    parser.add_argument("--workdir", default=None, help="keep inputs and outputs here")
    args = parser.parse_args()
    if not BENCH_PYTHON.exists():
        sys.exit("datatrove is not installed: run `make bench-datatrove` first")

    work = Path(args.workdir or tempfile.mkdtemp(prefix="vs-datatrove-"))
    truth = make_inputs(work / "in", args.records, args.seed, args.chinese_share)
    make_inputs(work / "in-startup", args.startup_records, args.seed + 1, 0.5)
    chinese = {r.group for r in truth.values() if r.kind == "zh_article"}
    kinds = Counter(r.kind for r in truth.values())
    size = sum(p.stat().st_size for p in (work / "in").glob("*.warc.gz"))
    print(
        f"input: {args.records} responses (+ requests), {size / 1e6:.1f} MB gzip; "
        f"{kinds['zh_article']} real Chinese article captures ({len(chinese)} distinct), "
        f"{kinds['zh_other']} other Chinese, {kinds['other']} non-Chinese, "
        f"{kinds['not_html']} not HTML; repeats={args.repeats}; cores={os.cpu_count()}"
    )
    zh, dt = Side("zhclean"), Side("datatrove")
    for i in range(args.repeats):
        order = [zh, dt] if i % 2 == 0 else [dt, zh]
        for side in order:
            for runs, inputs in ((side.runs, "in"), (side.startup, "in-startup")):
                out = work / f"out-{side.name}-{inputs}-{i}"
                if side is zh:
                    runs.append(run_zhclean(work / inputs, out, args.config))
                else:
                    runs.append(run_datatrove(work / inputs, out, args.lang_threshold))
            last = side.runs[-1]
            print(
                f"  run {i + 1} {side.name:<10} wall {last.wall:7.1f} s  CPU {last.cpu:7.1f} s"
                f"  load {last.load:.1f}",
                flush=True,
            )

    print(
        f"\n{'pipeline':<11}{'wall s':>8}{'CPU s':>8}{'docs/s/core':>13}{'marginal':>10}"
        f"{'load':>6}{'kept':>6}{'zh':>5}{'articles':>10}{'other zh':>9}{'non-zh':>8}"
    )
    rates = {}
    for side in (zh, dt):
        cpu, startup_cpu = side.median("cpu"), side.median("cpu", side.startup)
        rate = args.records / cpu
        marginal = (args.records - args.startup_records) / max(1e-9, cpu - startup_cpu)
        rates[side.name] = (rate, marginal)
        kept = kept_summary(kept_urls(side.name, side.runs[-1].output), truth)
        print(
            f"{side.name:<11}{side.median('wall'):>8.1f}{cpu:>8.1f}{rate:>13.1f}{marginal:>10.1f}"
            f"{side.median('load'):>6.1f}{kept['kept']:>6}{kept['chinese']:>5}"
            f"{kept['articles']:>6}/{len(chinese):<3}{kept['zh_other']:>9}{kept['non_chinese']:>8}"
        )
    ratio = rates["zhclean"][0] / rates["datatrove"][0]
    marginal_ratio = rates["zhclean"][1] / rates["datatrove"][1]
    print(
        f"\nratio zhclean / datatrove, docs per CPU-second: {ratio:.2f}x end to end "
        f"(start-up included), {marginal_ratio:.2f}x marginal (start-up excluded)"
    )
    print(
        f"start-up (median CPU s on {args.startup_records} records): zhclean "
        f"{zh.median('cpu', zh.startup):.1f}, datatrove {dt.median('cpu', dt.startup):.1f}"
    )
    print(f"outputs in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
