"""Cost of bounding extraction in time: child process vs thread watchdog vs a bare call.

On the decoded gold pages of data/extraction_zh (69 real Chinese pages, 3 MB of HTML), each
extractor (trafilatura, resiliparse) is run in three ways, interleaved page by page so that
machine load hits all three alike, for ``--rounds`` rounds:

- ``direct``: ``zhclean.filters.extractors.extract(html)`` in this thread (the baseline);
- ``thread``: through ``HtmlExtractor(isolation="thread")`` (async-exception watchdog);
- ``process``: through ``HtmlExtractor(isolation="process")`` (persistent child process).

Printed per extractor and mode: median and mean wall ms per page; CPU ms per page (this
process's CPU time, plus for ``process`` the child's, from /proc) — the number to trust on a
shared machine, where wall time includes waiting for a core; docs/s on one core (1000 / CPU ms
per page); the CPU ratio to ``direct``; the peak RSS of this process and of the child.

Usage::

    .venv/bin/python benchmarks/extract_isolation.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from zhclean.filters.document import Document
from zhclean.filters.extract import HtmlExtractor
from zhclean.filters.extractors import extract, quiet_library_logs

DATA = Path("/work/shared/data/extraction_zh/original")


def _decode(raw: bytes) -> str:
    try:
        from zhclean.filters.decode import CharsetDecoder

        doc = Document(id="b", raw=raw, content_type="text/html")
        CharsetDecoder().check(doc)
        if doc.html is not None:
            return doc.html
    except ImportError:
        pass
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return raw.decode("gb18030", "replace")


def _child_cpu_s(rule: HtmlExtractor) -> float:
    runner = rule._process
    if runner is None or not runner._idle:
        return 0.0
    fields = Path(f"/proc/{runner._idle[0].proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _child_rss_kb(rule: HtmlExtractor) -> int:
    runner = rule._process
    if runner is None or not runner._idle:
        return 0
    pid = runner._idle[0].proc.pid
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    quiet_library_logs()
    pages = [_decode(p.read_bytes()) for p in sorted(args.data.glob("*.html"))]
    mb = sum(len(p.encode()) for p in pages) / 1e6
    print(f"{len(pages)} pages, {mb:.1f} MB of HTML, {args.rounds} rounds, interleaved")
    print(f"{'extractor':12} {'mode':8} {'ms med':>7} {'ms mean':>8} {'CPU ms':>7} "
          f"{'docs/s/core':>11} {'CPU vs direct':>13} {'RSS MB':>7} {'child MB':>8}")
    for name in ("trafilatura", "resiliparse"):
        rules = {
            "thread": HtmlExtractor(extractor=name, isolation="thread", timeout_seconds=60),
            "process": HtmlExtractor(extractor=name, isolation="process", timeout_seconds=60),
        }
        times: dict[str, list[float]] = {"direct": [], "thread": [], "process": []}
        cpu = dict.fromkeys(times, 0.0)
        # warm-up (imports, child start) outside the measurement
        extract(pages[0], extractor=name)
        for rule in rules.values():
            rule.check(Document(id="w", html=pages[0]))
        child0 = _child_cpu_s(rules["process"])
        for _ in range(args.rounds):
            for html in pages:
                c0, t0 = time.process_time(), time.perf_counter()
                extract(html, extractor=name)
                times["direct"].append(time.perf_counter() - t0)
                cpu["direct"] += time.process_time() - c0
                for mode, rule in rules.items():
                    doc = Document(id="x", html=html)
                    c0, t0 = time.process_time(), time.perf_counter()
                    rule.check(doc)
                    times[mode].append(time.perf_counter() - t0)
                    cpu[mode] += time.process_time() - c0
        cpu["process"] += _child_cpu_s(rules["process"]) - child0
        n = len(times["direct"])
        base = cpu["direct"] / n
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for mode, ts in times.items():
            per_page = cpu[mode] / n
            child = _child_rss_kb(rules["process"]) / 1024 if mode == "process" else 0.0
            print(f"{name:12} {mode:8} {statistics.median(ts) * 1000:7.2f} "
                  f"{statistics.fmean(ts) * 1000:8.2f} {per_page * 1000:7.2f} "
                  f"{1 / per_page:11.1f} {per_page / base:13.3f} {rss:7.0f} {child:8.0f}")
        for rule in rules.values():
            rule.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
