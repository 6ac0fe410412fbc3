#!/usr/bin/env python
"""Check a finished run's audit outputs against its data, and its report in headless Chromium.

    .venv/bin/python scripts/check_report.py OUT

1. stats.json against the files on disk: ``kept`` = lines of the kept shards; ``dropped`` and
   ``errors`` = the drop manifest counted by stage/reason; ``kept + manifest = records_read``;
   every kept histogram recomputed from the kept shards' ``quality`` and ``lang_score``; the
   samples = the K smallest xxh64(id) per reason among the manifest ids (and among kept ids).
2. report.html in Chromium: no console errors and every number shown equals stats.json
   (``tests/test_report_browser.assert_numbers_match``).
Local output folders only (jsonl.gz kept shards).
"""

from __future__ import annotations

import collections
import glob
import gzip
import json
import sys
from pathlib import Path

import xxhash

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser_cdp import Browser, find_chromium
from tests.test_report_browser import assert_numbers_match


def _lines(pattern: str) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(glob.glob(pattern))
        for line in gzip.open(path, "rt", encoding="utf-8")
    ]


def _bin(edges: list[float], value: float) -> int:
    i = 0
    while i + 1 < len(edges) - 1 and value >= edges[i + 1]:
        i += 1
    return i


def _hash(record_id: str) -> int:
    return xxhash.xxh64_intdigest(record_id.encode("utf-8"))


def check_files(out: Path) -> dict:
    stats = json.loads((out / "stats" / "stats.json").read_text("utf-8"))
    kept = _lines(str(out / "kept" / "*.jsonl.gz"))
    manifest = _lines(str(out / "dropped" / "manifest-*.jsonl.gz"))
    reasons = collections.Counter(f"{m['stage']}/{m['reason']}" for m in manifest)
    assert len(kept) == stats["kept"], (len(kept), stats["kept"])
    assert {k: n for k, n in reasons.items() if "/error:" not in k} == stats["dropped"]
    assert {k: n for k, n in reasons.items() if "/error:" in k} == stats["errors"]
    assert len(kept) + len(manifest) == stats["records_read"]
    for signal, hist in stats["histograms"].items():
        want = [0] * (len(hist["edges"]) - 1)
        for doc in kept:
            value = doc["lang_score"] if signal == "lang_score" else doc["quality"].get(signal)
            if value is not None:
                want[_bin(hist["edges"], value)] += 1
        assert want == hist["counts"].get("kept", [0] * len(want)), signal
    k = stats["config"]["output"]["samples_per_reason"]
    samples = [json.loads(x) for x in (out / "dropped" / "samples.jsonl").open(encoding="utf-8")]
    ids: dict[str, list[str]] = collections.defaultdict(list)
    for m in manifest:
        ids[f"{m['stage']}/{m['reason']}"].append(m["id"])
    for key, group in ids.items():
        got = [s["id"] for s in samples if s["stage_reason"] == key]
        assert got == sorted(group, key=_hash)[:k], key
    kept_path = out / "stats" / "kept_samples.jsonl"
    kept_samples = [json.loads(x)["id"] for x in kept_path.open(encoding="utf-8")]
    assert kept_samples == sorted((d["id"] for d in kept), key=_hash)[:k]
    print(
        f"files OK: {len(kept)} kept, {len(manifest)} in the manifest, "
        f"{len(stats['histograms'])} histograms, {len(samples)} + {len(kept_samples)} samples"
    )
    return stats


def check_page(out: Path, stats: dict) -> None:
    chromium = find_chromium()
    if chromium is None:
        sys.exit("chromium missing: run `make browser`")
    with Browser(chromium) as browser:
        page = browser.open((out / "stats" / "report.html").resolve().as_uri())
        page.wait_for("document.body && document.body.getAttribute('data-charts-drawn')")
        assert page.problems() == [], page.problems()
        assert_numbers_match(page, stats)
    print("report OK: no console errors, every number shown equals stats.json")


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    check_page(out, check_files(out))


if __name__ == "__main__":
    main()
