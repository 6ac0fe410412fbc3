"""Blocklist at scale: build a 10,000,000-entry list, load it, look entries up.

Synthetic inputs (written to ``--workdir`` first; not timed): 70% URLs, 15% domains, 10%
paragraphs, the rest short documents (exact entries only) plus ``--near-docs`` long documents
(each an exact ``document`` and a MinHash ``near`` entry). Then, each phase in a fresh process:

1. **build**: ``zhclean blocklist build`` (the real command: normalise, hash, sort, write) —
   wall time, entries/s, file size, peak RSS;
2. **load**: ``zhclean.transforms.blocklist.load_index`` (as a worker does), ``--repeats``
   fresh processes — median load time, RSS of the process before/after loading, index bytes;
3. **lookups** (in the load processes): single-key URL lookups (``index.lookup``, half listed,
   half not) per second; and the per-document cost of the whole rule chain (URL, domain,
   document, paragraph, near) on 1,000-character documents with the 10M list vs. the same
   rules with a 5-entry list (ratio = cost of scale) vs. ``normalize_text`` alone (what exact
   dedup pays per document anyway). Medians of ``--repeats``; one core. Rates are per CPU
   second of the process (``time.process_time``), and load/build also report CPU seconds,
   since the cores may be shared with other jobs (the load average is printed).

For comparison the memory of the same digests held as a Python ``set`` of hex strings is
measured on 1,000,000 entries in the same process and scaled linearly.

    .venv/bin/python benchmarks/blocklist_scale.py [--entries 10000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cjk(rng: np.random.Generator, rows: int, width: int) -> list[str]:
    codes = rng.integers(0x4E00, 0x9FA5, size=(rows, width), dtype=np.uint32)
    text = codes.astype("<u4").tobytes().decode("utf-32-le")
    return [text[i * width : (i + 1) * width] for i in range(rows)]


def _long_doc(rng: np.random.Generator, chars: int) -> str:
    body = _cjk(rng, 1, chars)[0]
    return "\n".join(body[i : i + 80] + "。" for i in range(0, chars, 80))


def generate(workdir: str, entries: int, near_docs: int, seed: int) -> dict[str, int]:
    """Write the build inputs; returns how many lines of each."""
    rng = np.random.default_rng(seed)
    n_url = entries * 70 // 100
    n_domain = entries * 15 // 100
    n_para = entries * 10 // 100
    n_doc = entries - n_url - n_domain - n_para - 2 * near_docs
    with open(os.path.join(workdir, "urls.txt"), "w") as fh:
        for start in range(0, n_url, 100_000):
            fh.write(
                "".join(
                    f"http://www.site{i % 400_000}.example{i % 7}.com/a/{i}/page.html?id={i}\n"
                    for i in range(start, min(n_url, start + 100_000))
                )
            )
    with open(os.path.join(workdir, "domains.txt"), "w") as fh:
        fh.write("".join(f"host{i}.bad{i % 1000}.example.net\n" for i in range(n_domain)))
    with open(os.path.join(workdir, "paragraphs.txt"), "w", encoding="utf-8") as fh:
        for start in range(0, n_para, 100_000):
            fh.write("".join(p + "\n" for p in _cjk(rng, min(100_000, n_para - start), 24)))
    with open(os.path.join(workdir, "docs.jsonl"), "w", encoding="utf-8") as fh:
        for start in range(0, n_doc, 100_000):
            rows = _cjk(rng, min(100_000, n_doc - start), 40)
            fh.write("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in rows))
    with open(os.path.join(workdir, "near_docs.jsonl"), "w", encoding="utf-8") as fh:
        for _ in range(near_docs):
            fh.write(json.dumps({"text": _long_doc(rng, 600)}, ensure_ascii=False) + "\n")
    return {"urls": n_url, "domains": n_domain, "paragraphs": n_para, "docs": n_doc}


def _cli(argv: list[str]) -> int:
    from zhclean.pipeline.commands import blocklist as command

    parser = argparse.ArgumentParser(prog="zhclean")
    command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["blocklist", *argv])
    return args.func(args, [])


def phase_build(workdir: str) -> dict[str, float]:
    """Two builds merged into one list file, as a user would: bulk entries without near
    entries, then long documents with them (concatenated lists are a valid list)."""
    started = time.perf_counter()
    w = lambda name: os.path.join(workdir, name)  # noqa: E731
    code = _cli(
        [
            "build", "--output", w("bulk.txt"), "--category", "porn", "--no-near",
            "--urls", w("urls.txt"), "--domains", w("domains.txt"),
            "--paragraphs", w("paragraphs.txt"), "--documents", w("docs.jsonl"),
        ]
    )  # fmt: skip
    assert code == 0
    code = _cli(["build", "--output", w("near.txt"), "--documents", w("near_docs.jsonl")])
    assert code == 0
    with open(w("list.txt"), "wb") as out:
        for part in ("bulk.txt", "near.txt"):
            with open(w(part), "rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 24)
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time(),
        "peak_rss_mb": _peak_mb(),
    }


def _probe_docs(seed: int, n: int) -> list[str]:
    rng = np.random.default_rng(seed + 1)
    return [_long_doc(rng, 1000) for _ in range(n)]


def _docs_per_second(rules: list, docs: list) -> float:
    """Documents per CPU-second of this process (robust to other jobs on shared cores)."""
    started = time.process_time()
    for doc in docs:
        for rule in rules:
            if not rule.check(doc).keep:
                break
    return len(docs) / (time.process_time() - started)


def phase_load(workdir: str, seed: int) -> dict[str, float]:
    import zhclean.filters.blocklist as bl
    from zhclean.filters.blocklist.keys import document_key
    from zhclean.filters.blocklist.urls import url_lookup_keys
    from zhclean.filters.document import Document
    from zhclean.transforms.blocklist import load_index

    rss_before = _rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    index = load_index([os.path.join(workdir, "list.txt")])
    load_seconds = time.perf_counter() - started
    load_cpu_seconds = time.process_time() - cpu_started
    rss_after = _rss_mb()
    out = {
        "load_seconds": load_seconds,
        "load_cpu_seconds": load_cpu_seconds,
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
        "rss_delta_mb": rss_after - rss_before,
        "index_mb": index.nbytes() / 1e6,
        "entries": len(index),
    }
    # single-key URL lookups: half listed, half not
    rng = random.Random(seed)
    n_url = index.counts()["url/xxh64"]
    keys = []
    for _ in range(100_000):
        i = rng.randrange(n_url)
        listed = f"http://www.site{i % 400_000}.example{i % 7}.com/a/{i}/page.html?id={i}"
        keys.append(url_lookup_keys(listed)[0][0])
        keys.append(url_lookup_keys(listed.replace("/a/", "/b/"))[0][0])
    started = time.process_time()
    hits = sum(index.lookup("url", (k,)) is not None for k in keys)
    out["url_lookups_per_s"] = len(keys) / (time.process_time() - started)
    assert hits == len(keys) // 2, hits
    # per-document cost of the whole rule chain, big list vs tiny list vs normalize_text
    texts = _probe_docs(seed, 300)
    docs = [
        Document(id=str(i), url=f"http://p{i}.example.org/x/{i}", text=t)
        for i, t in enumerate(texts)
    ]
    big_rules = bl.make_rules(index)
    assert [r.reason for r in big_rules] == ["url", "domain", "document", "paragraph", "near"]
    builder = bl.BlocklistBuilder()
    builder.add_url("http://tiny.example/", "x")
    builder.add_domain("tiny.example", "x")
    builder.add_paragraph("这是一个很小的名单里唯一的一个段落内容", "x")
    builder.add_document(_probe_docs(seed + 5, 1)[0], "x")
    tiny_path = os.path.join(workdir, "tiny.txt")
    with open(tiny_path, "wb") as fh:
        builder.write(fh)
    tiny_rules = bl.make_rules(bl.load_blocklists([tiny_path]))
    # each pass gets fresh text objects so no per-document cache helps
    fresh = lambda: [Document(id=d.id, url=d.url, text="".join(list(d.text))) for d in docs]  # noqa: E731
    out["docs_per_s_big_list"] = _docs_per_second(big_rules, fresh())
    out["docs_per_s_tiny_list"] = _docs_per_second(tiny_rules, fresh())
    probe = fresh()
    started = time.process_time()
    for d in probe:
        document_key(d.text)
    out["docs_per_s_normalize_only"] = len(docs) / (time.process_time() - started)
    out["peak_rss_mb"] = _peak_mb()
    return out


def python_set_baseline(entries: int) -> float:
    """MB for ``entries`` hex digests in a Python set, measured on min(entries, 1M), scaled."""
    sample = min(entries, 1_000_000)
    before = _rss_mb()
    digests = {f"{i * 0x9E3779B97F4A7C15 % 2**64:016x}" for i in range(sample)}
    grown = _rss_mb() - before
    assert len(digests) == sample
    return grown * entries / sample


def _child(phase: str, workdir: str, seed: int) -> dict:
    cmd = [sys.executable, __file__, "--phase", phase, "--workdir", workdir, "--seed", str(seed)]
    result = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--entries", type=int, default=10_000_000)
    ap.add_argument("--near-docs", type=int, default=20_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", help="where inputs and the list go (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the workdir")
    ap.add_argument(
        "--reuse", action="store_true", help="reuse --workdir's inputs and list (no build)"
    )
    ap.add_argument("--phase", choices=["build", "load"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.phase == "build":
        print(json.dumps(phase_build(args.workdir)))
        return 0
    if args.phase == "load":
        print(json.dumps(phase_load(args.workdir, args.seed)))
        return 0

    workdir = args.workdir or tempfile.mkdtemp(prefix="blocklist_scale_")
    os.makedirs(workdir, exist_ok=True)
    try:
        if args.reuse:
            build = {
                "seconds": float("nan"),
                "cpu_seconds": float("nan"),
                "peak_rss_mb": float("nan"),
            }
        else:
            t0 = time.perf_counter()
            lines = generate(workdir, args.entries, args.near_docs, args.seed)
            print(f"inputs generated in {time.perf_counter() - t0:.1f} s: {lines}", flush=True)
            build = _child("build", workdir, args.seed)
        size = os.path.getsize(os.path.join(workdir, "list.txt"))
        loads = [_child("load", workdir, args.seed) for _ in range(args.repeats)]
        med = {k: statistics.median(run[k] for run in loads) for k in loads[0]}
        set_mb = python_set_baseline(int(med["entries"]))
        report = {
            "entries": int(med["entries"]),
            "build_seconds": round(build["seconds"], 1),
            "build_cpu_seconds": round(build["cpu_seconds"], 1),
            "build_entries_per_s": round(med["entries"] / build["seconds"], 1),
            "build_peak_rss_mb": round(build["peak_rss_mb"], 1),
            "file_mb": round(size / 1e6, 1),
            "load_seconds_median": round(med["load_seconds"], 2),
            "load_seconds_all": [round(r["load_seconds"], 2) for r in loads],
            "load_cpu_seconds_median": round(med["load_cpu_seconds"], 2),
            "rss_before_load_mb": round(med["rss_before_mb"]),
            "rss_after_load_mb": round(med["rss_after_mb"]),
            "rss_growth_mb": round(med["rss_delta_mb"]),
            "index_mb": round(med["index_mb"], 1),
            "load_peak_rss_mb": round(med["peak_rss_mb"]),
            "python_set_of_hex_mb_estimate": round(set_mb),
            "url_lookups_per_s": round(med["url_lookups_per_s"]),
            "docs_per_s_big_list": round(med["docs_per_s_big_list"]),
            "docs_per_s_tiny_list": round(med["docs_per_s_tiny_list"]),
            "docs_per_s_normalize_only": round(med["docs_per_s_normalize_only"]),
            "ratio_big_vs_tiny_list": round(
                med["docs_per_s_big_list"] / med["docs_per_s_tiny_list"], 3
            ),
            "load_average": os.getloadavg(),
        }
        print(json.dumps(report, indent=2))
    finally:
        if not args.keep and not args.workdir and not args.reuse:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
