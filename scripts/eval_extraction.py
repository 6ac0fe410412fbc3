"""Extraction quality and speed on the Chinese gold pages (data/extraction_zh).

For every page of ``original/`` (raw bytes, 47 of 69 in GB2312/GBK/GB18030) the script decodes
the bytes, runs each extractor configuration in this process and compares the result with the
hand-made gold text in ``cleaned/``.

Metric: character-level precision / recall / F1 over **bags of characters** (multisets, so
order is ignored), with all whitespace removed and both sides NFC-normalised (trafilatura
NFC-normalises its output). A second F1 over bags of character **bigrams** (taken on the
whitespace-free string) is printed as well: it is sensitive to order within a line and so
penalises text assembled from scattered fragments. Scores are averaged per page (macro), then
reported for all pages, for the GBK-family pages (raw bytes not valid UTF-8) and for the
UTF-8 pages separately. Speed: milliseconds of extraction per page (decoding excluded), one run
per configuration, in this process: median wall time, and median and mean CPU time (the CPU
numbers are the ones to trust on a shared machine, where wall time includes waiting for a core).
Last, every configuration is compared page by page with the first one (the pipeline default):
pages won/lost and the mean F1 difference with a paired bootstrap 95 % interval.

Decoding: ``zhclean.filters.decode.CharsetDecoder`` when it can be imported; otherwise a local
fallback (BOM → ``<meta charset>`` with GB2312/GBK read as GB18030 → UTF-8 → GB18030, last
resort GB18030 with replacement). The output says which one ran.

Usage::

    .venv/bin/python scripts/eval_extraction.py [--data DIR] [--only NAME ...] [--dump DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from zhclean.filters.boilerplate import BoilerplateLineCleaner
from zhclean.filters.document import Document
from zhclean.filters.extractors import (
    extract_resiliparse,
    extract_trafilatura,
    quiet_library_logs,
    sanitize_html,
    tidy_lines,
    trafilatura_config,
)

DEFAULT_DATA = Path("/work/shared/data/extraction_zh")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_WS = re.compile(r"\s+")


# --------------------------------------------------------------------------- decoding


def _fallback_decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    candidates: list[str] = []
    m = _META_CHARSET.search(raw[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        if name in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936"):
            name = "gb18030"
        candidates.append(name)
    candidates += ["utf-8", "gb18030"]
    for name in candidates:
        try:
            return raw.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("gb18030", "replace")


def make_decoder() -> tuple[str, Callable[[bytes], str]]:
    try:
        from zhclean.filters.decode import CharsetDecoder
    except ImportError:
        return "local fallback (meta charset / utf-8 / gb18030)", _fallback_decode
    try:
        decoder = CharsetDecoder()
    except TypeError:  # constructor wants its config values
        decoder = CharsetDecoder(max_replacement_ratio=0.01, max_mojibake_ratio=0.05)

    def decode(raw: bytes) -> str:
        doc = Document(id="eval", raw=raw, content_type="text/html")
        verdict = decoder.check(doc)
        if not verdict.keep or doc.html is None:
            return _fallback_decode(raw)
        return doc.html

    return "zhclean.filters.decode.CharsetDecoder", decode


# --------------------------------------------------------------------------- scoring


def _squash(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFC", text))


def prf(pred: Counter, gold: Counter) -> tuple[float, float, float]:
    overlap = sum((pred & gold).values())
    p = overlap / sum(pred.values()) if pred else 0.0
    r = overlap / sum(gold.values()) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(pred: str, gold: str) -> dict[str, float]:
    ps, gs = _squash(pred), _squash(gold)
    p, r, f = prf(Counter(ps), Counter(gs))
    _, _, f2 = prf(Counter(pairwise(ps)), Counter(pairwise(gs)))
    return {"p": p, "r": r, "f": f, "f2": f2}


# --------------------------------------------------------------------------- configurations


def _cleaned(fn: Callable[[str], str]) -> Callable[[str], str]:
    cleaner = BoilerplateLineCleaner()

    def run(html: str) -> str:
        doc = Document(id="eval", text=fn(html))
        return doc.text if cleaner.check(doc).keep else ""  # a drop: nothing left

    return run


def _traf(comments: bool = True, min_extracted_size: int | None = None, **kw) -> Callable:
    config = None
    if min_extracted_size is not None:
        from trafilatura.settings import use_config

        config = use_config()
        for key, value in trafilatura_config()["DEFAULT"].items():
            config.set("DEFAULT", key.upper(), value)
        config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(min_extracted_size))
    return lambda html: extract_trafilatura(html, comments, config=config, **kw)


def _traf_library(comments: bool = True, **kw) -> Callable[[str], str]:
    """trafilatura.extract on the HTML string, its own parsing and txt rendering."""
    import trafilatura

    def run(html: str) -> str:
        return tidy_lines(trafilatura.extract(html, include_comments=comments, **kw) or "")

    return run


def configurations() -> dict[str, Callable[[str], str]]:
    """Name → function(html) -> text. ``ours`` = the pipeline defaults."""
    traf = _traf()
    traf_nc = _traf(comments=False)
    resi = lambda html: extract_resiliparse(html, True)  # noqa: E731
    resi_nc = lambda html: extract_resiliparse(html, False)  # noqa: E731
    return {
        "trafilatura ours (fast,recall,comments) +clean": _cleaned(traf),
        "trafilatura ours, no cleaning": traf,
        "trafilatura ours without forum path +clean": _cleaned(_traf(forums=False)),
        "trafilatura -comments +clean": _cleaned(traf_nc),
        "trafilatura -comments, no cleaning": traf_nc,
        "trafilatura balanced +clean": _cleaned(_traf(focus="balanced")),
        "trafilatura precision +clean": _cleaned(_traf(focus="precision")),
        "trafilatura +fallbacks (fast=False) +clean": _cleaned(_traf(fast=False)),
        "trafilatura MIN_EXTRACTED_SIZE=100 +clean": _cleaned(_traf(min_extracted_size=100)),
        "trafilatura MIN_EXTRACTED_SIZE=500 +clean": _cleaned(_traf(min_extracted_size=500)),
        "trafilatura.extract library defaults": _traf_library(),
        "trafilatura.extract fast,recall (library parse+txt)": _traf_library(
            fast=True, favor_recall=True
        ),
        "resiliparse (comments) +clean": _cleaned(resi),
        "resiliparse (comments), no cleaning": resi,
        "resiliparse without forum path +clean": _cleaned(
            lambda html: extract_resiliparse(html, True, forums=False)
        ),
        "resiliparse -comments +clean": _cleaned(resi_nc),
        "resiliparse -comments, no cleaning": resi_nc,
    }


# --------------------------------------------------------------------------- main


def load_pages(data: Path, decode: Callable[[bytes], str]) -> list[tuple[str, str, str, str]]:
    pages = []
    for path in sorted((data / "original").glob("*.html")):
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
            group = "utf8"
        except UnicodeDecodeError:
            group = "gbk"
        gold = (data / "cleaned" / f"{path.stem}.txt").read_text("utf-8")
        pages.append((path.stem, group, sanitize_html(decode(raw)), gold))
    return pages


def _mean(rows: list[dict[str, float]], key: str) -> float:
    return statistics.fmean(r[key] for r in rows) if rows else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--only", nargs="*", help="substrings of configuration names to run")
    ap.add_argument("--dump", type=Path, help="write each configuration's output per page here")
    args = ap.parse_args(argv)

    quiet_library_logs()
    decoder_name, decode = make_decoder()
    pages = load_pages(args.data, decode)
    n_gbk = sum(1 for p in pages if p[1] == "gbk")
    print(f"pages: {len(pages)} ({n_gbk} GBK-family, {len(pages) - n_gbk} UTF-8); "
          f"decoder: {decoder_name}")
    print("metric: bag-of-characters P/R/F1 (whitespace removed, NFC), macro-averaged per page;"
          " F1-bi = bag of character bigrams")
    head = (f"{'configuration':52} {'P':>5} {'R':>5} {'F1':>5} {'F1-bi':>5} | "
            f"{'F1 gbk':>6} {'F1 utf8':>7} | {'ms med':>6} {'CPU med':>6} {'CPU mean':>7}")
    print(head)
    print("-" * len(head))
    per_page: dict[str, list[float]] = {}
    for name, fn in configurations().items():
        if args.only and not any(s in name for s in args.only):
            continue
        rows: list[dict[str, float]] = []
        groups: list[str] = []
        times: list[float] = []
        cpu: list[float] = []
        for page_id, group, html, gold in pages:
            c0, t0 = time.process_time(), time.perf_counter()
            text = fn(html)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            rows.append(score(text, gold))
            groups.append(group)
            if args.dump:
                folder = args.dump / re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{page_id}.txt").write_text(text, "utf-8")
        per_page[name] = [r["f"] for r in rows]
        gbk = [r for r, g in zip(rows, groups, strict=True) if g == "gbk"]
        utf = [r for r, g in zip(rows, groups, strict=True) if g == "utf8"]
        print(f"{name:52} {_mean(rows, 'p'):5.3f} {_mean(rows, 'r'):5.3f} {_mean(rows, 'f'):5.3f} "
              f"{_mean(rows, 'f2'):5.3f} | {_mean(gbk, 'f'):6.3f} {_mean(utf, 'f'):7.3f} | "
              f"{statistics.median(times):6.1f} {statistics.median(cpu):6.1f} "
              f"{statistics.fmean(cpu):7.1f}")
        sys.stdout.flush()
    compare(per_page)
    return 0


def compare(per_page: dict[str, list[float]], seed: int = 0, rounds: int = 2000) -> None:
    """Each configuration against the first one run: pages won/lost by more than 0.005 F1,
    mean F1 difference with a paired bootstrap 95 % interval (pages resampled)."""
    if len(per_page) < 2:
        return
    (base_name, base), *others = per_page.items()
    rng = random.Random(seed)
    print(f"\nper page vs '{base_name}': wins/losses (|dF1| > 0.005), mean dF1 [95% bootstrap]")
    for name, scores in others:
        diff = [a - b for a, b in zip(scores, base, strict=True)]
        boots = sorted(
            statistics.fmean(rng.choices(diff, k=len(diff))) for _ in range(rounds)
        )
        lo, hi = boots[int(0.025 * rounds)], boots[int(0.975 * rounds)]
        wins = sum(d > 0.005 for d in diff)
        losses = sum(d < -0.005 for d in diff)
        print(f"  {name:52} {wins:3d}/{losses:<3d} {statistics.fmean(diff):+.4f} "
              f"[{lo:+.4f}, {hi:+.4f}]")


if __name__ == "__main__":
    sys.exit(main())
