"""Recall of the CJK pre-filter (``read/no_cjk``) on real Chinese pages, and what it saves.

A page is *lost* if the pre-filter drops it although it holds Chinese. The script checks that
nothing is lost, in four ways:

1. **Real Chinese pages** in ``data/extraction_zh/original`` (69 article pages, 47 in
   GB2312/GBK/GB18030, mislabelled and undeclared charsets included) and ``data/charset/``
   (GB2312 and Big5 blog feeds, EUC-TW, UTF-8): each page's raw bytes, as served (no HTTP
   charset) and with a lying ``charset=iso-8859-1`` header. All must be kept.
2. **The same texts re-encoded**: the gold main text of every extraction_zh page, wrapped in a
   small HTML page, in UTF-8, GB18030, Big5-HKSCS (Traditional), HZ, UTF-16 with BOM, and as
   ASCII with numeric character references; and the 120 real Common Crawl Chinese documents of
   ``data/cc_zh_sample`` (CCNet output, clean and dirty) as UTF-8 and GB18030 pages. All must
   be kept.
3. **WARC captures** of ``examples/warc/`` and ``data/warc/`` (real crawls, Common Crawl
   captures) read with the pipeline's reader: a capture is lost if it is dropped while the
   pipeline's own decode → extract → language rules keep it as Chinese (the ground truth),
   and the labelled Chinese captures of ``examples/warc/labels.jsonl`` must all go on.
   Dropped captures that have Han characters after decoding but are not Chinese (Japanese,
   an English page with a few Japanese and Korean words) are listed.
4. **Windows**: the smallest prefix (in bytes) in which each real page is recognised, to show
   how early the evidence comes (the pre-filter scans up to ``extract.max_html_bytes``).

Then what it saves: the share of non-Chinese pages dropped (pages built from the
``data/langid`` sentences of 10 languages, in UTF-8 and in their legacy charsets, and the
Japanese/Korean confusables of ``data/charset``), and its cost per page (CPU µs).

Exit status 1 if any Chinese page is lost.

    .venv/bin/python scripts/eval_prefilter.py [--data /work/shared/data]
"""

from __future__ import annotations

import argparse
import glob
import html
import io
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from zhclean.filters.decode import CharsetDecoder
from zhclean.filters.document import Document
from zhclean.filters.prefilter import KanaHangulPrefilter, chinese_evidence, kana_hangul_share
from zhclean.filters.script import HAN_RE
from zhclean.filters.warc_records import WarcReader
from zhclean.pipeline.config import parse_config
from zhclean.transforms import language
from zhclean.transforms.stages import decode_rules, extract_rules

REPO = Path(__file__).resolve().parent.parent
CHINESE_CATEGORIES = {"news_hans", "blog_hans", "news_hant", "forum", "spam", "boilerplate"}
LEGACY = {
    "ru": "cp1251",
    "de": "cp1252",
    "fr": "cp1252",
    "es": "cp1252",
    "ja": "cp932",
    "ko": "cp949",
    "th": "cp874",
    "ar": "cp1256",
    "vi": "cp1258",
    "en": "ascii",
}


KANA_RULE = KanaHangulPrefilter()


def evidence(
    raw: bytes,
    http_charset: str | None = None,
    content_language: str | None = None,
    scan_bytes: int = 2_000_000,
) -> str | None:
    """Why the page goes on past both pre-filter rules, or None if either drops it."""
    found = chinese_evidence(raw, http_charset, content_language, scan_bytes)
    if found is None:
        return None
    doc = Document(id="x", raw=raw, http_charset=http_charset, content_language=content_language)
    return found if KANA_RULE.check(doc).keep else None


def page(text: str, title: str = "t") -> str:
    paras = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><head><title>{html.escape(title)}</title></head><body>{paras}</body></html>"


def to_refs(text: str) -> bytes:
    return text.encode("ascii", errors="xmlcharrefreplace")


class Tally:
    def __init__(self) -> None:
        self.rows: list[tuple[str, int, int, Counter]] = []
        self.lost: list[str] = []
        self.shares: list[float] = []  # kana + Hangul share of the real Chinese pages
        self.han_dropped: list[str] = []  # dropped pages with Han that are not Chinese

    def add(self, name: str, items: list[tuple[str, str | None]]) -> None:
        """``items``: (label, evidence) of Chinese pages; None evidence = lost."""
        lost = [label for label, ev in items if ev is None]
        self.rows.append((name, len(items), len(lost), Counter(ev for _, ev in items)))
        self.lost += [f"{name}: {label}" for label in lost]

    def print(self) -> None:
        print(f"{'Chinese pages':<52}{'n':>5}{'lost':>6}  evidence")
        for name, n, lost, evidence in self.rows:
            ev = ", ".join(f"{k}={v}" for k, v in evidence.most_common())
            print(f"{name:<52}{n:>5}{lost:>6}  {ev}")


def real_pages(data: Path) -> dict[str, list[Path]]:
    sets = {
        "extraction_zh/original": sorted((data / "extraction_zh" / "original").glob("*")),
        "charset GB2312": sorted((data / "charset/chardet/GB2312").glob("*")),
        "charset Big5": sorted((data / "charset/chardet/Big5").glob("*")),
        "charset EUC-TW": sorted((data / "charset/chardet/EUC-TW").glob("*")),
        "charset utf-8 (Chinese)": sorted((data / "charset/chardet/utf-8").glob("*")),
    }
    return {k: [p for p in v if p.is_file()] for k, v in sets.items()}


def check_real(tally: Tally, data: Path) -> list[int]:
    prefixes = []
    for name, paths in real_pages(data).items():
        raws = [(p.name, p.read_bytes()) for p in paths]
        tally.add(name, [(n, chinese_evidence(r)) for n, r in raws])
        tally.add(
            f"{name} (HTTP charset=iso-8859-1)",
            [(n, chinese_evidence(r, http_charset="iso-8859-1")) for n, r in raws],
        )
        for _, raw in raws:
            prefixes.append(smallest_prefix(raw))
    return prefixes


def smallest_prefix(raw: bytes) -> int:
    """Smallest window (power of two from 64 bytes) in which the page is recognised."""
    size = 64
    while size < len(raw) and evidence(raw, scan_bytes=size) is None:
        size *= 2
    return min(size, len(raw))


def check_reencoded(tally: Tally, data: Path) -> None:
    gold = sorted((data / "extraction_zh" / "cleaned").glob("*"))
    texts = [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in gold]
    encodings = {
        "utf-8": lambda t: page(t).encode("utf-8"),
        "gb18030": lambda t: page(t).encode("gb18030"),
        "big5hkscs (Traditional)": lambda t: page(to_traditional(t)).encode(
            "big5hkscs", errors="xmlcharrefreplace"
        ),
        "hz": lambda t: page(t).encode("hz", errors="xmlcharrefreplace"),
        "utf-16 (BOM)": lambda t: page(t).encode("utf-16"),
        "ascii + &#NNNNN; references": lambda t: to_refs(page(t)),
    }
    for name, encode in encodings.items():
        tally.add(f"gold texts as {name}", [(n, evidence(encode(t))) for n, t in texts])
    cc = []
    for path in sorted((data / "cc_zh_sample").rglob("*.jsonl")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            row = json.loads(line)
            text = row.get("raw_content") or row.get("text") or row.get("content") or ""
            cc.append((f"{path.name}:{i}", row.get("title") or "", text))
    for codec in ("utf-8", "gb18030"):
        tally.add(
            f"cc_zh_sample docs as {codec} pages",
            [
                (n, evidence(page(t, title).encode(codec, "xmlcharrefreplace")))
                for n, title, t in cc
            ],
        )


def to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def pipeline_keeps_as_chinese(doc: Document, stages: list) -> bool:
    """Whether decode → extract → language (the real rules) keep the capture as Chinese."""
    probe = Document(
        id=doc.id,
        url=doc.url,
        raw=doc.raw,
        http_charset=doc.http_charset,
        content_type=doc.content_type,
        content_language=doc.content_language,
        is_plain_text=doc.is_plain_text,
    )
    try:
        return all(rule.check(probe).keep for rules in stages for rule in rules)
    except Exception:  # an error in a later stage: not a page the pipeline would keep
        return False


def has_han_after_decode(doc: Document, decoder: CharsetDecoder) -> bool:
    probe = Document(
        id=doc.id,
        raw=doc.raw,
        http_charset=doc.http_charset,
        content_type=doc.content_type,
        is_plain_text=doc.is_plain_text,
    )
    try:
        return decoder.check(probe).keep and HAN_RE.search(probe.html or probe.text or "")
    except Exception:
        return False


def check_warcs(tally: Tally, data: Path) -> tuple[int, int]:
    labels = {}
    labels_path = REPO / "examples" / "warc" / "labels.jsonl"
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["record_id"]] = row
    reader = WarcReader(
        max_record_bytes=5_000_000,
        html_content_types=[
            "text/html",
            "application/xhtml+xml",
            "application/xml",
            "text/xml",
            "text/plain",
        ],
    )
    decoder = CharsetDecoder()
    config = parse_config({"extract": {"isolation": "thread"}})
    stages = [decode_rules(config), extract_rules(config), language.build_rules(config)]
    paths = sorted(glob.glob(str(REPO / "examples/warc/*.warc*.gz")))
    paths += sorted(
        p
        for p in glob.glob(str(data / "warc/**/*"), recursive=True)
        if Path(p).is_file() and not p.endswith(("LICENSE", ".md"))
    )
    labelled, chinese_pages, dropped_total, docs_total = [], [], 0, 0
    han_dropped = []
    for path in paths:
        with open(path, "rb") as fh:
            items = list(reader.read(io.BytesIO(fh.read()), path))
        for doc in items:
            if not isinstance(doc, Document):
                continue
            docs_total += 1
            ev = evidence(doc.raw, doc.http_charset, doc.content_language)
            dropped_total += ev is None
            label = labels.get(doc.id)
            if label and label["lang"] == "zh" and label["category"] in CHINESE_CATEGORIES:
                labelled.append((f"{Path(path).name} {label['url']}", ev))
            if label and label["lang"] == "zh":
                tally.shares.append(kana_hangul_share(doc.raw) or 0.0)
            where = f"{Path(path).name} {doc.url}"
            if pipeline_keeps_as_chinese(doc, stages):
                chinese_pages.append((where, ev))
            elif ev is None and has_han_after_decode(doc, decoder):
                han_dropped.append(where)
    tally.add("examples/warc labelled Chinese captures", labelled)
    tally.add("all WARC captures the language stage keeps", chinese_pages)
    tally.han_dropped = han_dropped
    return dropped_total, docs_total


def savings(data: Path) -> list[tuple[str, int, int, float]]:
    rows = []
    sentences = data / "langid" / "sentences"
    for path in sorted(sentences.glob("*.txt")):
        lang = path.stem
        if lang == "zh":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        pages = [page("\n".join(lines[i : i + 8])) for i in range(0, len(lines) - 8, 8)]
        for codec in ("utf-8", LEGACY[lang]):
            raws = [p.encode(codec, errors="xmlcharrefreplace") for p in pages]
            start = time.process_time()
            dropped = sum(evidence(r) is None for r in raws)
            cost = (time.process_time() - start) / len(raws) * 1e6
            rows.append((f"{lang} {codec}", len(raws), dropped, cost))
    confusables = sorted(p for p in (data / "charset/chardet/confusables").glob("*/*"))
    raws = [p.read_bytes() for p in confusables if p.is_file()]
    start = time.process_time()
    dropped = sum(evidence(r) is None for r in raws)
    cost = (time.process_time() - start) / max(1, len(raws)) * 1e6
    rows.append(("ja/ko confusables (SJIS, EUC-JP/KR...)", len(raws), dropped, cost))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    args = parser.parse_args()

    tally = Tally()
    prefixes = check_real(tally, args.data)
    check_reencoded(tally, args.data)
    dropped, total = check_warcs(tally, args.data)
    tally.print()
    print(
        f"\nWARC captures read: {total}, dropped by the pre-filter: {dropped}; of these, with "
        f"Han characters but not Chinese for the language stage: {len(tally.han_dropped)}"
    )
    for where in tally.han_dropped:
        print(f"  {where}")
    print(
        f"kana + Hangul share of the real Chinese pages: max {max(tally.shares):.3f} "
        f"(read/kana_hangul drops above {KANA_RULE.max_share})"
    )
    print(
        f"smallest window that recognises a real page (bytes): median "
        f"{statistics.median(prefixes):.0f}, max {max(prefixes)} over {len(prefixes)} pages"
    )
    print(f"\n{'non-Chinese pages':<52}{'n':>5}{'dropped':>9}{'CPU µs/page':>13}")
    for name, n, dropped_n, cost in savings(args.data):
        print(f"{name:<52}{n:>5}{dropped_n / n:>9.0%}{cost:>13.0f}")
    if tally.lost:
        print(f"\nLOST {len(tally.lost)} Chinese pages:")
        for item in tally.lost:
            print("  " + item)
        return 1
    print("\nno Chinese page lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
