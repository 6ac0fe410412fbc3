"""Scale run of the Beam dedup stage on a synthetic corpus, checked against a union-find.

Generates ``--docs`` synthetic documents (``--dup-share`` of them copies: exact, whitespace/width
noise, ~3% character edits, 90% truncation; see :mod:`zhclean.filters.dedup.synthetic`) inside
the pipeline, runs :class:`zhclean.transforms.dedup.Dedup` with the default config on Beam's
FnApiRunner with ``--workers`` SDK worker processes, and reports wall time, throughput, peak
memory per process (runner and each worker, from ``/proc/PID/status`` VmHWM), the dedup
counters, and the load average. Then it recomputes the fingerprints in this process and runs
:func:`zhclean.filters.dedup.reference.dedup_in_memory` (a union-find over the same LSH candidate
edges) and compares every decision; it also scores both against the synthetic ground truth.

Note: the local FnApiRunner keeps every shuffle in the runner process's memory, so the runner's
peak reflects the whole data set; on Dataflow shuffles live in the shuffle service and a
worker's memory is bounded by its bundles.

    .venv/bin/python benchmarks/dedup_scale.py --docs 200000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from multiprocessing import Pool

import apache_beam as beam
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner

from zhclean.filters.dedup.fingerprint import Fingerprint, fingerprint, make_hasher
from zhclean.filters.dedup.reference import KEEP, Decision, dedup_in_memory
from zhclean.filters.dedup.synthetic import synthetic_doc
from zhclean.filters.document import Document
from zhclean.pipeline.config import parse_config
from zhclean.transforms.dedup import Dedup, params_from_config


class MemorySampler:
    """Polls VmHWM (peak RSS) of this process and all its descendants."""

    def __init__(self, interval: float = 0.5) -> None:
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        me = os.getpid()
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
        for pid in parents:
            p, depth = pid, 0
            while p not in (0, 1, me) and depth < 20:
                p, depth = parents.get(p, 0), depth + 1
            if p != me:
                continue
            try:
                with open(f"/proc/{pid}/status") as fh:
                    hwm = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM"))
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, StopIteration):
                continue
            label = "sdk worker" if "sdk_worker" in cmd or "worker_pool" in cmd else "runner"
            self.peaks[pid] = (label, max(hwm, self.peaks.get(pid, ("", 0))[1]))


def generate_shard(
    shard: int, shards: int, n_docs: int, dup_share: float, seed: int
) -> Iterator[Document]:
    for i in range(shard, n_docs, shards):
        d = synthetic_doc(seed, i, n_docs, dup_share)
        yield Document(id=d.id, url=f"https://example.com/{d.id}", text=d.text)


def _fingerprint_range(args: tuple[int, int, int, float, int, dict]) -> list[Fingerprint]:
    start, stop, n_docs, dup_share, seed, config_dict = args
    params = params_from_config(parse_config(config_dict))
    hasher = make_hasher(params)
    out = []
    for i in range(start, stop):
        d = synthetic_doc(seed, i, n_docs, dup_share)
        out.append(fingerprint(d.id, d.text, params, hasher))
    return out


def truth_score(decisions: dict[str, Decision], n_docs: int, dup_share: float, seed: int) -> dict:
    origin = {}
    kinds: Counter = Counter()
    found: Counter = Counter()
    for i in range(n_docs):
        d = synthetic_doc(seed, i, n_docs, dup_share)
        origin[d.id] = d.origin
        if d.kind != "original":
            kinds[d.kind] += 1
    cluster = {i: (i if d.kind == KEEP else d.keeper) for i, d in decisions.items()}
    for i in range(n_docs):
        d = synthetic_doc(seed, i, n_docs, dup_share)
        if d.kind != "original" and cluster[d.id] == cluster[d.origin]:
            found[d.kind] += 1
    removed = [(i, d.keeper) for i, d in decisions.items() if d.kind != KEEP]
    wrong = sum(origin[i] != origin[k] for i, k in removed)
    return {
        "recall": {k: round(found[k] / n, 4) for k, n in sorted(kinds.items())},
        "removed": len(removed),
        "precision": round(1 - wrong / len(removed), 5) if removed else 1.0,
        "expected_removed": sum(kinds.values()),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--docs", type=int, default=200_000)
    ap.add_argument("--dup-share", type=float, default=0.2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shards", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None, help="output directory (default: a temp dir)")
    ap.add_argument("--skip-check", action="store_true")
    args = ap.parse_args(argv)

    config_dict = {"run": {"seed": args.seed}}
    config = parse_config(config_dict)
    out = args.out or tempfile.mkdtemp(prefix="dedup_scale_")
    options = PipelineOptions(
        flags=[],
        direct_num_workers=args.workers,
        direct_running_mode="multi_processing" if args.workers > 1 else "in_memory",
    )
    load_start = os.getloadavg()
    p = beam.Pipeline(runner=FnApiRunner(), options=options)
    docs = (
        p
        | "Shards" >> beam.Create(list(range(args.shards)))
        | "Generate"
        >> beam.FlatMap(generate_shard, args.shards, args.docs, args.dup_share, args.seed)
    )
    res = docs | "Dedup" >> Dedup(config)
    kept = res["docs"] | "Kept" >> beam.Map(
        lambda d: json.dumps([d.id, KEEP, d.id, d.dup_cluster_size])
    )
    drops = res["drops"] | "Drops" >> beam.Map(lambda e: json.dumps([e.id, e.reason, e.detail, 0]))
    (kept, drops) | beam.Flatten() | beam.io.WriteToText(os.path.join(out, "decisions"))

    start = time.perf_counter()
    cpu_start = resource.getrusage(resource.RUSAGE_CHILDREN)
    with MemorySampler() as mem:
        result = p.run()
        result.wait_until_finish()
    wall = time.perf_counter() - start
    load_end = os.getloadavg()

    decisions: dict[str, Decision] = {}
    for name in sorted(os.listdir(out)):
        if name.startswith("decisions"):
            with open(os.path.join(out, name), encoding="utf-8") as fh:
                for line in fh:
                    i, kind, keeper, size = json.loads(line)
                    decisions[i] = Decision(kind, keeper, size)
    counters = {
        c.key.metric.name: c.committed
        for c in result.metrics().query(MetricsFilter())["counters"]
        if c.key.metric.name.startswith("dedup:") or "dedup/" in c.key.metric.name
    }
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = {
        "docs": args.docs,
        "dup_share": args.dup_share,
        "workers": args.workers,
        "wall_seconds": round(wall, 1),
        "docs_per_second": round(args.docs / wall, 1),
        "docs_per_second_per_worker": round(args.docs / wall / args.workers, 1),
        "worker_cpu_seconds": round(
            children.ru_utime + children.ru_stime - cpu_start.ru_utime - cpu_start.ru_stime, 1
        ),
        "peak_rss_mb": {
            f"{label} {pid}": round(kb / 1024)
            for pid, (label, kb) in sorted(mem.peaks.items())
            if kb > 20 * 1024  # leave out tiny launcher shells
        },
        "runner_process_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ),
        "load_average_1min": [round(load_start[0], 2), round(load_end[0], 2)],
        "decisions": len(decisions),
        "kept": sum(d.kind == KEEP for d in decisions.values()),
        "reasons": dict(Counter(d.kind for d in decisions.values())),
        "counters": {"dedup:cc_unconverged_nodes": 0, **dict(sorted(counters.items()))},
        "params": str(params_from_config(config)),
    }
    print(json.dumps(report, indent=1), flush=True)
    if len(decisions) != args.docs:
        print(f"ERROR: {len(decisions)} decisions for {args.docs} documents")
        return 1
    print(
        "ground truth (Beam):",
        json.dumps(truth_score(decisions, args.docs, args.dup_share, args.seed)),
    )
    if args.skip_check:
        return 0

    start = time.perf_counter()
    step = max(1, min(5000, args.docs // (4 * args.workers)))
    tasks = [
        (s, min(s + step, args.docs), args.docs, args.dup_share, args.seed, config_dict)
        for s in range(0, args.docs, step)
    ]
    with Pool(args.workers) as pool:
        fps = [fp for chunk in pool.map(_fingerprint_range, tasks) for fp in chunk]
    ref = dedup_in_memory(fps, params_from_config(config))
    mismatches = [
        (i, decisions.get(i), d) for i, d in ref.decisions.items() if decisions.get(i) != d
    ]
    print(
        json.dumps(
            {
                "reference_seconds": round(time.perf_counter() - start, 1),
                "reference_candidate_edges": len(ref.edges),
                "reference_multi_member_buckets": ref.multi_buckets,
                "decisions_compared": len(ref.decisions),
                "mismatches": len(mismatches),
                "first_mismatches": [str(m) for m in mismatches[:5]],
            }
        )
    )
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
