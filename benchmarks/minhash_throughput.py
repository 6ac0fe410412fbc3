"""MinHash signature throughput: our vectorised MinHasher vs datasketch.MinHash, same process.

Documents are 3,000-character windows of real Chinese articles (the gold texts of
``extraction_zh/cleaned/`` under ``--data``), or synthetic text with ``--synthetic``. All methods
get the same shingle sets (5-character shingles of the normalised text) and must produce the
same signatures (checked). Reported per method, one core, median of ``--repeats`` runs:

- ``datasketch plain``: ``m = MinHash(num_perm, seed)``; ``m.update(s.encode())`` per shingle
  (the usual way, the baseline);
- ``datasketch update_batch``: one ``m.update_batch([...])`` per document;
- ``zhclean MinHasher``: :class:`zhclean.filters.dedup.minhash.MinHasher`.

Both "signature only" (shingles given) and "end to end" (normalise + shingle + signature)
docs/s are printed, with the ratio to the baseline, peak RSS and the load average.

    .venv/bin/python benchmarks/minhash_throughput.py [--docs 200] [--repeats 5]
"""

from __future__ import annotations

import argparse
import glob
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
from datasketch import MinHash

from zhclean.filters.dedup.minhash import MinHasher
from zhclean.filters.dedup.shingles import char_shingles
from zhclean.filters.dedup.synthetic import base_text
from zhclean.filters.normalize import normalize_text


def load_documents(data: str, n: int, chars: int, synthetic: bool) -> list[str]:
    if synthetic:
        text = "".join(base_text(0, i) for i in range(n * chars // 900 + 10))
    else:
        paths = sorted(glob.glob(os.path.join(data, "extraction_zh/cleaned/*.txt")))
        if not paths:
            raise SystemExit(f"no articles under {data}/extraction_zh/cleaned; use --synthetic")
        parts = []
        for path in paths:
            with open(path, encoding="utf-8", errors="replace") as fh:
                parts.append(fh.read())
        text = "\n".join(parts)
    # Non-overlapping windows first; wrap around with an offset if more are needed.
    docs = []
    step = max(1, (len(text) - chars) // n)
    for i in range(n):
        start = (i * step) % max(1, len(text) - chars)
        docs.append(text[start : start + chars])
    return docs


def timed(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../shared/data"))
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--chars", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--num-perm", type=int, default=128)
    ap.add_argument("--shingle-size", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    load_start = os.getloadavg()
    docs = load_documents(args.data, args.docs, args.chars, args.synthetic)
    shingle_sets = [char_shingles(normalize_text(d), args.shingle_size) for d in docs]
    hasher = MinHasher(num_perm=args.num_perm, seed=args.seed)

    def plain(sets: list[set[str]]) -> list[np.ndarray]:
        out = []
        for shingles in sets:
            m = MinHash(num_perm=args.num_perm, seed=args.seed)
            for s in shingles:
                m.update(s.encode("utf-8"))
            out.append(m.hashvalues)
        return out

    def batch(sets: list[set[str]]) -> list[np.ndarray]:
        out = []
        for shingles in sets:
            m = MinHash(num_perm=args.num_perm, seed=args.seed)
            m.update_batch([s.encode("utf-8") for s in shingles])
            out.append(m.hashvalues)
        return out

    def ours(sets: list[set[str]]) -> list[np.ndarray]:
        return [hasher.signature(shingles) for shingles in sets]

    methods = {
        "datasketch plain": plain,
        "datasketch update_batch": batch,
        "zhclean MinHasher": ours,
    }
    reference = plain(shingle_sets)
    for name, fn in methods.items():
        assert all(
            np.array_equal(a, b) for a, b in zip(fn(shingle_sets), reference, strict=True)
        ), name

    prep = timed(
        lambda: [char_shingles(normalize_text(d), args.shingle_size) for d in docs], args.repeats
    )
    mean_shingles = sum(map(len, shingle_sets)) / len(shingle_sets)
    source = "synthetic" if args.synthetic else "real articles"
    print(
        f"{len(docs)} documents × {args.chars} chars ({source}), {mean_shingles:.0f} distinct "
        f"{args.shingle_size}-char shingles each, {args.num_perm} permutations, "
        f"median of {args.repeats}; signatures identical across methods: yes"
    )
    print(f"normalise + shingle alone: {len(docs) / prep:,.0f} docs/s")
    print(
        f"{'method':<26}{'signature docs/s':>18}{'ratio':>8}{'end-to-end docs/s':>20}{'ratio':>8}"
    )
    base_sig = base_e2e = None
    for name, fn in methods.items():
        sig_time = timed(
            lambda fn=fn: fn(shingle_sets),
            args.repeats if name != "datasketch plain" else max(3, args.repeats // 2),
        )
        e2e_time = sig_time + prep
        sig_rate, e2e_rate = len(docs) / sig_time, len(docs) / e2e_time
        base_sig = base_sig or sig_rate
        base_e2e = base_e2e or e2e_rate
        print(
            f"{name:<26}{sig_rate:>18,.0f}{sig_rate / base_sig:>7.1f}×"
            f"{e2e_rate:>20,.0f}{e2e_rate / base_e2e:>7.1f}×"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS {peak_mb:.0f} MB; load average (1 min) {load_start[0]:.2f} at start, "
        f"{os.getloadavg()[0]:.2f} at end, on {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
