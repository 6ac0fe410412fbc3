"""End to end on real article pages: share of ``extraction_zh/original/*.html`` kept.

Each page's raw bytes (no HTTP charset: the decoder must find it) go through the per-document
stages exactly as ``zhclean run`` builds them (decode, extract, language, quality; blocklist
is empty by default) and the script prints the share kept, and for every dropped page the
stage/reason that dropped it plus the rules that would also drop it. Every page is a real
news, blog or forum article, so each drop is a false drop.

    .venv/bin/python benchmarks/extraction_keep.py [--config configs/default.yaml]
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import time
from collections import Counter

from zhclean.filters.document import Document
from zhclean.pipeline.commands.explain import explain_document
from zhclean.pipeline.config import Config, load_config
from zhclean.transforms.stages import stage_rules

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "shared", "data", "extraction_zh")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config")
    parser.add_argument("--data", default=DATA)
    args = parser.parse_args()
    config = load_config(args.config) if args.config else Config()
    stages = stage_rules(config)
    pages = sorted(glob.glob(os.path.join(args.data, "original", "*.html")))
    verdicts: Counter[str] = Counter()
    t0 = time.perf_counter()
    lines = []
    for path in pages:
        page_id = os.path.basename(path)[:8]
        with open(path, "rb") as fh:
            raw = fh.read()
        doc = Document(id=page_id, url=path, raw=raw, content_type="text/html")
        exp = explain_document(doc, stages)
        verdicts[exp.verdict] += 1
        if exp.verdict != "kept":
            also = [r.reason for r in exp.stages if not r.keep and r.after_drop]
            for r in exp.stages:
                also += r.also_failing
            lines.append(f"  {page_id} {exp.verdict}: {exp.detail}"
                         + (f"  (also: {', '.join(also)})" if also else ""))
    elapsed = time.perf_counter() - t0
    kept = verdicts["kept"]
    print(f"extraction_zh end to end: kept {kept}/{len(pages)} = {kept / len(pages):.3f} "
          f"({elapsed / len(pages) * 1000:.0f} ms/page, extractor={config.extract.extractor})")
    for verdict, n in verdicts.most_common():
        if verdict != "kept":
            print(f"  {verdict}: {n}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
