"""Throughput and peak memory of :class:`WarcReader` vs warcio's ArchiveIterator (baseline).

Builds an in-memory shard in the Common Crawl layout (one gzip member per record; request,
response, metadata per capture) by repeating the response payloads of ``examples/warc`` and of
the real files in ``/work/shared/data/warc/dolma`` (if present) under fresh record ids, then
reads it ``--runs`` times with each reader in the same process and prints medians: records/s
and captures/s on one core, and peak traced memory. The baseline reads every payload with
``record.content_stream().read()``, i.e. the same work the reader does (HTTP decoding included).

    .venv/bin/python benchmarks/warc_reader_throughput.py [--captures 3000] [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from zhclean.filters.document import Document
from zhclean.filters.warc_records import WarcReader

REPO = Path(__file__).resolve().parent.parent
SOURCES = [REPO / "examples" / "warc", Path("/work/shared/data/warc/dolma")]


def payloads() -> list[tuple[str, list[tuple[str, str]], bytes]]:
    out = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.warc.gz")):
            with path.open("rb") as fh:
                for record in ArchiveIterator(fh):
                    if record.rec_type == "response" and record.http_headers:
                        out.append((record.rec_headers.get_header("WARC-Target-URI"),
                                    record.http_headers.headers, record.raw_stream.read()))
    return out


def build_shard(n_captures: int) -> bytes:
    base = payloads()
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i in range(n_captures):
        url, headers, body = base[i % len(base)]
        rid = f"<urn:uuid:{uuid.UUID(int=i * 3 + 1)}>"
        for rtype, extra in (("request", None), ("response", body), ("metadata", b"x: 1\r\n")):
            if rtype == "request":
                record = writer.create_warc_record(url, "request", http_headers=StatusAndHeaders(
                    "GET / HTTP/1.1", [("Host", "example")], is_http_request=True),
                    warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=i * 3)}>"})
            elif rtype == "response":
                record = writer.create_warc_record(
                    url, "response", payload=io.BytesIO(extra), length=len(extra),
                    http_headers=StatusAndHeaders("200 OK", list(headers), protocol="HTTP/1.1"),
                    warc_headers_dict={"WARC-Record-ID": rid})
            else:
                record = writer.create_warc_record(
                    url, "metadata", payload=io.BytesIO(extra),
                    warc_content_type="application/warc-fields",
                    warc_headers_dict={"WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=i * 3 + 2)}>"})
            writer.write_record(record)
    return out.getvalue()


def run_ours(data: bytes) -> tuple[int, int]:
    reader = WarcReader(max_record_bytes=10 << 20,
                        html_content_types=["text/html", "application/xhtml+xml"])
    records = docs = 0
    for item in reader.read(io.BytesIO(data), "bench.warc.gz"):
        records += 1
        docs += isinstance(item, Document)
    return records, docs


def run_warcio(data: bytes) -> tuple[int, int]:
    records = docs = 0
    for record in ArchiveIterator(io.BytesIO(data)):
        records += 1
        if record.rec_type == "response":
            try:
                record.content_stream().read()
            except AttributeError:  # warcio's brotli hook fails with brotli 1.2 (see README)
                record.raw_stream.read()
            docs += 1
    return records, docs


def measure(fns: dict[str, Callable[[bytes], tuple[int, int]]], data: bytes,
            runs: int) -> dict[str, dict]:
    """Median timings; the readers take turns in every run, so load changes hit both."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(runs):
        for name, fn in fns.items():
            start = time.perf_counter()
            counts[name] = fn(data)
            times[name].append(time.perf_counter() - start)
    out = {}
    for name, fn in fns.items():
        tracemalloc.start()
        fn(data)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        t = statistics.median(times[name])
        records, docs = counts[name]
        out[name] = {"records": records, "captures": docs, "s": t, "records_s": records / t,
                     "captures_s": docs / t, "peak_mib": peak / 2**20}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = build_shard(args.captures)
    print(f"shard: {len(data) / 2**20:.1f} MiB gzip, {args.captures} captures, 3 records each; "
          f"median of {args.runs} runs, one core")
    result = measure({"WarcReader": run_ours, "warcio ArchiveIterator (baseline)": run_warcio},
                     data, args.runs)
    ours, base = result["WarcReader"], result["warcio ArchiveIterator (baseline)"]
    for name, m in result.items():
        print(f"{name:34s} {m['records_s']:9.0f} records/s {m['captures_s']:8.0f} captures/s "
              f"{m['s']:6.2f} s  peak {m['peak_mib']:6.1f} MiB  ({m['records']} records)")
    print(f"ratio WarcReader / warcio: {ours['records_s'] / base['records_s']:.2f}x")


if __name__ == "__main__":
    main()
