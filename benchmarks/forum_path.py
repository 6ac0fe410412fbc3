"""Cost of the forum-thread path (``zhclean.filters.forum``) on pages that are not forums.

Every page of ``extraction_zh/original`` (69 real article pages, none a forum thread) is
extracted with the forum path on and off, interleaved page by page (alternating which goes
first) for ``--rounds`` rounds in this process, with both back-ends. Prints the median and
mean CPU ms per page of each and the ratio on/off (per page, median over pages), how many
pages the forum path claimed (expected 0) and the cost of ``find_thread`` alone on the
parsed trees.

    .venv/bin/python benchmarks/forum_path.py [--rounds 5] [--data DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time
from pathlib import Path

from zhclean.filters.decode import CharsetDecoder
from zhclean.filters.document import Document
from zhclean.filters.extractors import extract_resiliparse, extract_trafilatura, parse_html
from zhclean.filters.forum import find_thread

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction_zh"


def load(data: Path) -> list[str]:
    decoder = CharsetDecoder()
    pages = []
    for path in sorted((data / "original").glob("*.html")):
        doc = Document(id=path.stem, raw=path.read_bytes())
        decoder.check(doc)
        pages.append(doc.html or "")
    return pages


def cpu_ms(fn, html: str, **kw) -> float:
    t0 = time.process_time()
    fn(html, **kw)
    return 1000 * (time.process_time() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    pages = load(args.data)
    backends = {"trafilatura": extract_trafilatura}
    if importlib.util.find_spec("resiliparse") is not None:
        backends["resiliparse"] = extract_resiliparse
    trees = [parse_html(html) for html in pages]
    claimed = sum(find_thread(tree) is not None for tree in trees)
    print(f"pages: {len(pages)}; claimed as forum threads: {claimed}")
    for name, fn in backends.items():
        for html in pages[:3]:  # warm-up: imports, parser creation
            fn(html, True, forums=True)
        on: list[list[float]] = [[] for _ in pages]
        off: list[list[float]] = [[] for _ in pages]
        for r in range(args.rounds):
            for i, html in enumerate(pages):
                order = (True, False) if (r + i) % 2 else (False, True)  # alternate who goes first
                for forums in order:
                    (on if forums else off)[i].append(cpu_ms(fn, html, forums=forums))
        med_on = [statistics.median(x) for x in on]
        med_off = [statistics.median(x) for x in off]
        ratio = statistics.median(a / b for a, b in zip(med_on, med_off, strict=True) if b > 0)
        print(
            f"{name:12s} forum path on: {statistics.median(med_on):6.2f} ms median "
            f"{statistics.mean(med_on):6.2f} mean | off: {statistics.median(med_off):6.2f} "
            f"median {statistics.mean(med_off):6.2f} mean | on/off per page (median) {ratio:.3f}"
        )
    alone = [statistics.median(cpu_ms(find_thread, t) for _ in range(args.rounds)) for t in trees]
    print(
        f"find_thread alone on a parsed tree: {statistics.median(alone):.3f} ms median, "
        f"{statistics.mean(alone):.3f} mean, {max(alone):.3f} max"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
